// The optional fields of a meeting that has ended: `replacedBy` (another meeting's id) and `endedNote`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILT_IN_CONFIG_PATH, parseConfig } from "../../src/config.js";

const twoMeetings = (cabalFields: string) => `
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0123456789
    timezone: America/New_York
    time: "11:00"
    schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU", until: "2026-05-05" }]
${cabalFields}
  - id: standup
    title: Podman Stand-up
    channel: C0123456789
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=WEEKLY;BYDAY=TH"
`;

describe("replacedBy and endedNote", () => {
  it("are read into the meeting", () => {
    const result = parseConfig(twoMeetings(`    replacedBy: standup\n    endedNote: "Stand-ups since May."`));
    expect(result.ok && result.config.meetings[0]).toMatchObject({
      replacedBy: "standup",
      endedNote: "Stand-ups since May.",
    });
  });

  it.each([
    [
      "an unknown meeting",
      `    replacedBy: standups`,
      'meetings[0].replacedBy: "standups" is not the id of another meeting',
    ],
    ["the meeting itself", `    replacedBy: cabal`, 'meetings[0].replacedBy: "cabal" is not the id of another meeting'],
    ["an empty note", `    endedNote: "  "`, "meetings[0].endedNote: must not be empty"],
  ])("refuse %s", (_case, fields, expected) => {
    const result = parseConfig(twoMeetings(fields));
    expect(!result.ok && result.errors.join("\n")).toContain(expected);
  });

  it("the built-in defaults say the stand-ups replaced the Cabal", () => {
    const result = parseConfig(readFileSync(BUILT_IN_CONFIG_PATH, "utf8"));
    expect(result.ok && result.config.meetings.find((m) => m.id === "cabal")).toMatchObject({ replacedBy: "standup" });
  });
});
