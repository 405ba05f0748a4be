import { describe, expect, it } from "vitest";
import { agendaLine, checkTopicTitle } from "../../../src/domain/agenda.js";
import { describeRefusal } from "../../../src/domain/refusal.js";
import { plainWording } from "../../../src/domain/wording.js";

describe("checkTopicTitle", () => {
  it("trims and collapses whitespace", () => {
    expect(checkTopicTitle("  containersh \n and  more ")).toEqual({ ok: true, title: "containersh and more" });
  });
  it.each(["", "   ", "\n\t"])("refuses an empty title %j", (title) => {
    expect(checkTopicTitle(title)).toEqual({ ok: false, refusal: { code: "title-empty" } });
  });
  it("drops bidi overrides and isolates and turns control characters into spaces, so no title spoofs its proposer", () => {
    expect(checkTopicTitle("\u202Ereh-ton\u2066 x\u2069")).toEqual({ ok: true, title: "reh-ton x" });
    expect(checkTopicTitle("bell\u0007\u001B[31mred\u0000end")).toEqual({ ok: true, title: "bell [31mred end" });
    expect(checkTopicTitle("\u202E\u0000")).toEqual({ ok: false, refusal: { code: "title-empty" } });
    expect(checkTopicTitle("שלום \u200Fworld 👩‍💻")).toEqual({ ok: true, title: "שלום \u200Fworld 👩‍💻" });
  });
  it("accepts 300 characters and refuses 301, counting emoji as one", () => {
    expect(checkTopicTitle("😀".repeat(300)).ok).toBe(true);
    const refused = checkTopicTitle("a".repeat(301));
    expect(refused.ok === false && describeRefusal(refused.refusal, plainWording("/cabal"))).toContain(
      "301 characters long; the limit is 300",
    );
  });
});

describe("agendaLine", () => {
  it("uses the notes' shape", () => {
    expect(agendaLine("containersh", "Dan Walsh")).toBe("containersh - Dan Walsh");
    expect(agendaLine("containersh", "")).toBe("containersh");
  });
});
