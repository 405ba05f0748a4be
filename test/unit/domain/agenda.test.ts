import { describe, expect, it } from "vitest";
import { agendaLine, checkTopicTitle } from "../../../src/domain/agenda.js";

describe("checkTopicTitle", () => {
  it("trims and collapses whitespace", () => {
    expect(checkTopicTitle("  containersh \n and  more ")).toEqual({ ok: true, title: "containersh and more" });
  });
  it.each(["", "   ", "\n\t"])("refuses an empty title %j", (title) => {
    expect(checkTopicTitle(title)).toEqual({ ok: false, problem: "The topic title is empty." });
  });
  it("accepts 300 characters and refuses 301, counting emoji as one", () => {
    expect(checkTopicTitle("😀".repeat(300)).ok).toBe(true);
    const refused = checkTopicTitle("a".repeat(301));
    expect(refused.ok === false && refused.problem).toContain("301 characters long; the limit is 300");
  });
});

describe("agendaLine", () => {
  it("uses the notes' shape", () => {
    expect(agendaLine("containersh", "Dan Walsh")).toBe("containersh - Dan Walsh");
    expect(agendaLine("containersh", "")).toBe("containersh");
  });
});
