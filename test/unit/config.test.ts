// The config schema, table-driven: valid files, and invalid ones with the message people see.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILT_IN_CONFIG_PATH, parseConfig } from "../../src/config.js";
import { nextOccurrences } from "../../src/domain/calendar.js";

const meeting = (fields: string) => `
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0123456789
    timezone: America/New_York
    time: "11:00"
${fields
  .trim()
  .split("\n")
  .map((line) => `    ${line}`)
  .join("\n")}
`;

describe("parseConfig", () => {
  it("reads the documented example shape into meetings", () => {
    const result = parseConfig(`
displayZones: [America/Los_Angeles, Europe/Berlin, Asia/Kolkata, Asia/Tokyo]
admins: [U0123ABCD]
${meeting(`
durationMinutes: 60
schedule:
  - { rrule: "FREQ=MONTHLY;BYDAY=3TH", until: "2023-10-31" }
  - { rrule: "FREQ=MONTHLY;BYDAY=3TU", from: "2023-11-01", until: "2024-06-30" }
dates: ["2026-12-03T11:00"]
skip: ["2026-12-17"]
reminders: ["1h", "1d"]
joinUrl: https://meet.example/abc
agendaUrl: https://hackmd.io/abc
notes:
  source: "https://example.org/{date}.md"
  link: "https://example.org/{date}"
  pollEvery: "10m"
`)}`);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [cabal] = result.config.meetings;
    expect(result.config.admins).toEqual(["U0123ABCD"]);
    expect(cabal?.schedule).toHaveLength(2);
    expect(cabal?.remindersMs).toEqual([86_400_000, 3_600_000]);
    expect(cabal?.notes).toEqual({
      source: "https://example.org/{date}.md",
      link: "https://example.org/{date}",
      pollEveryMs: 600_000,
      lookbackMs: 14 * 86_400_000,
    });
  });

  it("turns the rrule shorthand into a one-rule schedule and fills defaults", () => {
    const result = parseConfig(meeting(`rrule: "FREQ=MONTHLY;BYDAY=3TH"`));
    expect(result.ok && result.config.meetings[0]?.schedule).toEqual([{ rrule: "FREQ=MONTHLY;BYDAY=3TH" }]);
    expect(result.ok && result.config.displayZones).toHaveLength(4);
    expect(result.ok && result.config.meetings[0]?.remindersMs).toEqual([86_400_000, 3_600_000]);
  });

  it.each([
    [
      "a zone abbreviation",
      meeting(`rrule: "FREQ=WEEKLY"`).replace("America/New_York", "EDT"),
      'meetings[0].timezone: "EDT" is not an IANA time zone (did you mean America/New_York?)',
    ],
    [
      "a city instead of a zone",
      meeting(`rrule: "FREQ=WEEKLY"`).replace("America/New_York", "tokyo"),
      'meetings[0].timezone: "tokyo" is not an IANA time zone (did you mean Asia/Tokyo?)',
    ],
    [
      "a bad time",
      meeting(`rrule: "FREQ=WEEKLY"`).replace('"11:00"', '"25:00"'),
      'meetings[0].time: "25:00" is not a time (expected HH:MM, 24-hour)',
    ],
    [
      "a bad rule in a schedule",
      meeting(`schedule:\n  - { rrule: "FREQ=HOURLY" }`),
      'meetings[0].schedule[0].rrule: "FREQ=HOURLY" is not a valid recurrence rule',
    ],
    [
      "both rrule and schedule",
      meeting(`rrule: "FREQ=WEEKLY"\nschedule:\n  - { rrule: "FREQ=WEEKLY" }`),
      "meetings[0].rrule: give either rrule or schedule, not both",
    ],
    [
      "a weekly rule with no day and no anchor",
      meeting(`schedule:\n  - { rrule: "FREQ=WEEKLY" }`),
      "meetings[0].schedule[0].from: required when the rule has no BYDAY or BYMONTHDAY",
    ],
    [
      "a shorthand rule that needs an anchor",
      meeting(`rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"`),
      "meetings[0].rrule: this rule needs an anchor date",
    ],
    [
      "no schedule at all",
      meeting(`durationMinutes: 30`),
      "meetings[0].schedule: a meeting needs rrule, schedule or dates",
    ],
    [
      "an impossible skip date",
      meeting(`rrule: "FREQ=WEEKLY"\nskip: ["2026-02-30"]`),
      'meetings[0].skip[0]: "2026-02-30" is not a date (expected YYYY-MM-DD)',
    ],
    [
      "a reminder without unit",
      meeting(`rrule: "FREQ=WEEKLY"\nreminders: ["15"]`),
      'meetings[0].reminders[0]: "15" is not a reminder offset',
    ],
    [
      "an interval without anchor",
      meeting(`schedule:\n  - { rrule: "FREQ=WEEKLY;INTERVAL=2" }`),
      "meetings[0].schedule[0].from: required when the rule has INTERVAL or COUNT",
    ],
    ["an unknown field", meeting(`rrule: "FREQ=WEEKLY"\nchanel: C1`), "meetings[0]: Unrecognized key"],
    ["a bad admin id", `admins: [dan]\n${meeting(`rrule: "FREQ=WEEKLY"`)}`, 'admins[0]: "dan" is not a Slack user id'],
    [
      "a bad display zone",
      `displayZones: [CET]\n${meeting(`rrule: "FREQ=WEEKLY"`)}`,
      'displayZones[0]: "CET" is not an IANA time zone (did you mean Europe/Berlin?)',
    ],
    ["no meetings", "displayZones: [UTC]\nmeetings: []", "meetings: at least one meeting is needed"],
    ["broken YAML", "meetings: [", "not valid YAML"],
  ])("refuses %s with a message naming the field", (_case, text, expected) => {
    const result = parseConfig(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.join("\n")).toContain(expected);
  });

  it("refuses duplicate meeting ids", () => {
    const one = meeting(`rrule: "FREQ=WEEKLY"`);
    const text = `${one}${one.split("\n").slice(2).join("\n")}`;
    const result = parseConfig(text);
    expect(!result.ok && result.errors).toContain('meetings[1].id: duplicate meeting id "cabal"');
  });
});

describe("built-in Podman defaults", () => {
  const result = parseConfig(readFileSync(BUILT_IN_CONFIG_PATH, "utf8"));
  const config = result.ok ? result.config : undefined;
  const byId = (id: string) => {
    const found = config?.meetings.find((m) => m.id === id);
    if (!found) throw new Error(`no meeting ${id} in the defaults`);
    return found;
  };
  const dates = (id: string, from: string, count: number) =>
    nextOccurrences(byId(id), new Date(`${from}T00:00:00-05:00`), count).map((o) => o.date);

  it("are valid and hold the three meetings", () => {
    expect(result.ok).toBe(true);
    expect(config?.meetings.map((m) => m.id)).toEqual(["community", "cabal", "standup"]);
  });

  it("match the dates of the published notes", () => {
    expect(dates("cabal", "2023-04-01", 3)).toEqual(["2023-04-20", "2023-05-18", "2023-06-15"]);
    expect(dates("community", "2023-05-01", 1)).toEqual(["2023-06-06"]);
    for (const [id, date] of [
      ["community", "2020-10-06"],
      ["community", "2020-12-01"],
      ["community", "2021-04-06"],
      ["community", "2022-02-01"],
      ["community", "2024-10-01"],
      ["community", "2025-08-05"],
      ["community", "2026-08-04"],
      ["cabal", "2021-07-15"],
      ["cabal", "2021-09-16"],
      ["cabal", "2022-09-15"],
      ["cabal", "2023-01-19"],
      ["cabal", "2023-12-12"],
      ["cabal", "2024-01-16"],
      ["cabal", "2024-07-02"],
      ["cabal", "2025-07-01"],
      ["cabal", "2026-05-05"],
    ] as const) {
      expect(dates(id, date, 1), `${id} ${date}`).toEqual([date]);
    }
  });

  it("end the Cabal on 2026-05-05 and start the stand-ups on Mondays 10:00 and Thursdays 11:00", () => {
    expect(dates("cabal", "2026-05-06", 1)).toEqual([]);
    const standups = nextOccurrences(byId("standup"), new Date("2026-11-23T00:00:00-05:00"), 3);
    expect(standups.map((o) => `${o.date} ${o.time}`)).toEqual([
      "2026-11-23 10:00",
      "2026-11-26 11:00",
      "2026-11-30 10:00",
    ]);
  });
});
