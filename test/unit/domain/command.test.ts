import { describe, expect, it } from "vitest";
import { describeUsageProblem, echoedWord, MAX_ECHOED_WORD, parseCabalCommand } from "../../../src/domain/command.js";
import { plainWording } from "../../../src/domain/wording.js";

const IDS = ["community", "cabal", "standup"];

describe("parseCabalCommand", () => {
  it.each([
    ["topic add Podman 6 & friends", { kind: "topic-add", title: "Podman 6 & friends" }],
    ["TOPIC ADD  spaced   title ", { kind: "topic-add", title: "spaced   title" }],
    ["topic add", { kind: "topic-add", title: "" }],
    ["cabal topic add containersh", { kind: "topic-add", meetingId: "cabal", title: "containersh" }],
    ["topic list", { kind: "topic-list" }],
    ["topic", { kind: "topic-list" }],
    ["agenda", { kind: "topic-list" }],
    ["community", { kind: "topic-list", meetingId: "community" }],
    ["topic remove 2", { kind: "topic-remove", position: 2 }],
    ["standup topic remove #3", { kind: "topic-remove", meetingId: "standup", position: 3 }],
    ["next", { kind: "next" }],
    ["cabal next", { kind: "next", meetingId: "cabal" }],
    ["notes https://example.org/n.md", { kind: "notes", url: "https://example.org/n.md" }],
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
  ])("%j", (text, expected) => {
    expect(parseCabalCommand(text, IDS)).toEqual(expected);
  });

  it.each([
    ["frobnicate", { code: "unknown-command", typed: "frobnicate" }, "I don't know the command `frobnicate`."],
    ["topic rename 1", { code: "unknown-topic-action", typed: "rename" }, "I don't know `topic rename`."],
    ["topic remove two", { code: "remove-needs-number" }, "Say which topic to remove by its number"],
    ["topic remove 0", { code: "remove-needs-number" }, "Say which topic to remove by its number"],
    ["notes not-a-url", { code: "notes-needs-url" }, "Give the notes' address"],
  ])("explains a usage error for %j", (text, problem, sentence) => {
    const command = parseCabalCommand(text, IDS);
    expect(command).toEqual({ kind: "usage-error", problem });
    if (command.kind !== "usage-error") return;
    const plain = { ...plainWording("/cabal"), quote: (typed: string) => `\`${typed}\`` };
    expect(describeUsageProblem(command.problem, plain)).toContain(sentence);
  });

  it("keeps what the person typed apart from the bot's words, so each is escaped once", () => {
    const command = parseCabalCommand("&lt;!here&gt;", IDS);
    expect(command).toEqual({ kind: "usage-error", problem: { code: "unknown-command", typed: "&lt;!here&gt;" } });
    if (command.kind !== "usage-error") return;
    const marked = describeUsageProblem(command.problem, {
      ...plainWording("/cabal"),
      text: (own) => `[${own}]`,
      quote: (typed) => `{${typed}}`,
    });
    expect(marked).toBe("[I don't know the command ]{&lt;!here&gt;}[.]");
  });

  it("echoes a typed word clipped, with control, bidi and invisible characters made visible", () => {
    expect(echoedWord("x".repeat(3000))).toBe(`${"x".repeat(MAX_ECHOED_WORD - 1)}…`);
    expect(echoedWord("a\u202Eb\u0007c\u200Bd\uD800e\u001B[31m")).toBe("a\uFFFDb\uFFFDc\uFFFDd\uFFFDe\uFFFD[31m");
    expect(echoedWord("Straße 👍")).toBe("Straße 👍");
  });
});

describe("tz", () => {
  it.each([
    ["tz", { kind: "tz", action: "show" }],
    ["tz clear", { kind: "tz", action: "clear" }],
    ["TZ Clear", { kind: "tz", action: "clear" }],
    ["tz Asia/Tokyo", { kind: "tz", action: "set", zone: "Asia/Tokyo" }],
    ["timezone  America/New_York ", { kind: "tz", action: "set", zone: "America/New_York" }],
  ])("%j", (text, expected) => {
    expect(parseCabalCommand(text, ["cabal"])).toEqual(expected);
  });
});
