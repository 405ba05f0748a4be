// The config schema, table-driven: valid files, and invalid ones with the message people see.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BUILT_IN_CONFIG_PATH,
  ConfigError,
  configWarnings,
  FIND_SLACK_CHANNEL_ID,
  PLACEHOLDER_CHANNEL,
  parseConfig,
} from "../../src/config.js";
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
    [
      "an unknown field",
      meeting(`rrule: "FREQ=WEEKLY"\nchanel: C1`),
      'meetings[0]: unknown key "chanel" (did you mean channel?)',
    ],
    ["a bad admin id", `admins: [dan]\n${meeting(`rrule: "FREQ=WEEKLY"`)}`, 'admins[0]: "dan" is not a Slack user id'],
    [
      "a bad display zone",
      `displayZones: [CET]\n${meeting(`rrule: "FREQ=WEEKLY"`)}`,
      'displayZones[0]: "CET" is not an IANA time zone (did you mean Europe/Berlin?)',
    ],
    ["no meetings", "displayZones: [UTC]\nmeetings: []", "meetings: at least one meeting is needed"],
    ["broken YAML", "meetings: [", "line 1, column 12: not valid YAML"],
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

/** The errors a person sees for `text`; fails the test when the text is accepted. */
function errorsOf(text: string): string[] {
  const result = parseConfig(text);
  if (result.ok) throw new Error("the configuration was accepted");
  return result.errors;
}

const monthly = `rrule: "FREQ=MONTHLY;BYDAY=3TH"`;

describe("a file that is not a configuration at all", () => {
  const EXPECTS_MAPPING = 'a configuration is a mapping with "displayZones:", "admins:" and "meetings:" at the top';
  it.each([
    [
      "an empty file",
      "",
      'the file is empty (or holds only comments): a configuration needs at least a "meetings:" list',
    ],
    ["blank lines only", "\n\n  \n", "the file is empty (or holds only comments)"],
    ["comments only", "# meetings will go here\n# soon\n", "the file is empty (or holds only comments)"],
    [
      "a list",
      "- id: cabal\n  title: Cabal\n",
      `the file is a list, but ${EXPECTS_MAPPING}; should the list be indented under "meetings:"?`,
    ],
    [
      "a bare word",
      "meetings\n",
      `the file holds only the text "meetings", but ${EXPECTS_MAPPING}; is a ":" missing after a key?`,
    ],
    ["a number", "42\n", `the file holds only the number 42, but ${EXPECTS_MAPPING}`],
    [
      "a list where the meetings go",
      "meetings:\n  id: cabal\n",
      "meetings: expected a list (lines starting with -), found a mapping",
    ],
  ])("explains %s in one sentence", (_case, text, expected) => {
    const errors = errorsOf(text);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(expected);
  });

  it.each([
    [
      "a line indented less than its mapping",
      "meetings:\n  - id: cabal\n    title: Cabal\n   channel: C0123ABCD\n",
      ["line 4, column 1: not valid YAML: ", "4 |    channel: C0123ABCD", "  | ^"],
    ],
    [
      "an unclosed list",
      "displayZones: [UTC\nmeetings: []\n",
      ["line 2, column 1: not valid YAML: ", "2 | meetings: []", "  | ^"],
    ],
    [
      "a key given twice",
      "displayZones: [UTC]\nadmins: []\ndisplayZones: [Asia/Tokyo]\n",
      ["line 3, column 1: not valid YAML: Map keys must be unique", "3 | displayZones: [Asia/Tokyo]", "  | ^"],
    ],
  ])("shows a YAML syntax error (%s) with its line number and the line itself", (_case, text, expectedLines) => {
    const [error, ...others] = errorsOf(text);
    expect(others).toEqual([]);
    const shown = (error ?? "").split("\n");
    expect(shown).toHaveLength(3);
    for (const [index, expected] of expectedLines.entries()) expect(shown[index]).toContain(expected);
    expect(shown[0]).not.toMatch(/at line \d+/);
  });

  it("indents every line of a multi-line problem under the file name", () => {
    const error = new ConfigError("cabalbot.yml", errorsOf("meetings:\n  - id: cabal\n   title: x\n"));
    const [heading, first, ...rest] = error.message.split("\n");
    expect(heading).toBe("cabalbot.yml: invalid configuration");
    expect(first).toMatch(/^ {2}line 3, column 1: not valid YAML: \S/);
    expect(rest).toEqual(["  3 |    title: x", "    | ^"]);
  });
});

describe("unknown keys name the nearest known key", () => {
  it.each([
    ["top level", `displayZone: [UTC]\n${meeting(monthly)}`, 'unknown key "displayZone" (did you mean displayZones?)'],
    ["top level", `admin: [U0123ABCD]\n${meeting(monthly)}`, 'unknown key "admin" (did you mean admins?)'],
    [
      "meeting",
      meeting(`${monthly}\nreminder: ["1h"]`),
      'meetings[0]: unknown key "reminder" (did you mean reminders?)',
    ],
    [
      "meeting",
      meeting(monthly).replace("timezone:", "timezon:"),
      'meetings[0]: unknown key "timezon" (did you mean timezone?)',
    ],
    [
      "meeting, other case",
      meeting(monthly).replace("timezone:", "timeZone:"),
      'meetings[0]: unknown key "timeZone" (did you mean timezone?)',
    ],
    [
      "meeting, a prefix",
      meeting(`${monthly}\nduration: 30`),
      'meetings[0]: unknown key "duration" (did you mean durationMinutes?)',
    ],
    [
      "schedule rule",
      meeting(`schedule:\n  - { rrule: "FREQ=MONTHLY;BYDAY=1TU", form: "2024-01-01" }`),
      'meetings[0].schedule[0]: unknown key "form" (did you mean from?)',
    ],
    [
      "schedule rule",
      meeting(`schedule:\n  - { rrule: "FREQ=MONTHLY;BYDAY=1TU", untill: "2024-01-01" }`),
      'meetings[0].schedule[0]: unknown key "untill" (did you mean until?)',
    ],
    [
      "notes",
      meeting(`${monthly}\nnotes:\n  source: "https://example.org/{date}"\n  pollevery: 10m`),
      'meetings[0].notes: unknown key "pollevery" (did you mean pollEvery?)',
    ],
    [
      "notes",
      meeting(`${monthly}\nnotes:\n  sources: "https://example.org/{date}"`),
      'meetings[0].notes: unknown key "sources" (did you mean source?)',
    ],
  ])("at the %s level", (_level, text, expected) => {
    expect(errorsOf(text)).toContain(expected);
  });

  it("lists the known keys when nothing is near, and names every unknown key of a mapping once", () => {
    expect(errorsOf(meeting(`${monthly}\ncolour: red`))).toContain(
      'meetings[0]: unknown key "colour"; known keys: id, title, channel, slack, matrix, timezone, time, durationMinutes, rrule, schedule, dates, skip, reminders, joinUrl, agendaUrl, notes, replacedBy, endedNote',
    );
    const errors = errorsOf(meeting(`${monthly}\nreminder: ["1h"]\nagenda: https://example.org`));
    expect(errors.filter((e) => e.startsWith("meetings[0]: unknown"))).toEqual([
      'meetings[0]: unknown keys "reminder" (did you mean reminders?), "agenda" (did you mean agendaUrl?)',
    ]);
  });

  it("says a required key is missing rather than 'expected string, received undefined'", () => {
    expect(errorsOf(meeting(monthly).replace(/ {4}title: .*\n/, ""))).toEqual([
      "meetings[0].title: missing (this key is required)",
    ]);
  });
});

describe("time zones are read exactly, with the nearest IANA zone suggested", () => {
  it.each([
    ["America/New_Yrok", "America/New_York"],
    ["Asia/Tokio", "Asia/Tokyo"],
    ["europe/berlin", "Europe/Berlin"],
    ["EUROPE/BERLIN", "Europe/Berlin"],
    ["Amercia/Chicago", "America/Chicago"],
  ])("refuses %s in a meeting and in displayZones, suggesting %s", (typed, zone) => {
    const expected = `${JSON.stringify(typed)} is not an IANA time zone (did you mean ${zone}?)`;
    expect(errorsOf(meeting(monthly).replace("America/New_York", typed))).toEqual([
      `meetings[0].timezone: ${expected}`,
    ]);
    expect(errorsOf(`displayZones: [UTC, "${typed}"]\n${meeting(monthly)}`)).toEqual([`displayZones[1]: ${expected}`]);
  });

  it("says what a zone looks like when nothing is near", () => {
    expect(errorsOf(meeting(monthly).replace("America/New_York", "Mars/Olympus"))).toEqual([
      'meetings[0].timezone: "Mars/Olympus" is not an IANA time zone (expected a name like America/New_York)',
    ]);
  });

  it.each([
    "Asia/Kolkata",
    "Asia/Calcutta",
    "Europe/Kyiv",
    "UTC",
    "Etc/GMT+5",
    "America/Argentina/Buenos_Aires",
    "US/Eastern",
  ])("accepts %s", (zone) => {
    const result = parseConfig(meeting(monthly).replace("America/New_York", zone));
    expect(result.ok && result.config.meetings[0]?.timezone).toBe(zone);
  });
});

describe("a meeting's channel is a Slack channel id", () => {
  it.each(["#cabal", "general", "cabal-dev", "c0123abcd", "D0123ABCD", "C12", "<#C0123ABCD|cabal>"])(
    "refuses %s and says where to find the id",
    (channel) => {
      expect(errorsOf(meeting(monthly).replace("C0123456789", JSON.stringify(channel)))).toEqual([
        `meetings[0].channel: ${JSON.stringify(channel)} is not a Slack channel id (like C0123ABCD); to find it, ${FIND_SLACK_CHANNEL_ID}`,
      ]);
      expect(FIND_SLACK_CHANNEL_ID).toContain("View channel details");
      expect(FIND_SLACK_CHANNEL_ID).toContain("bottom of the About tab");
    },
  );

  it.each(["C0123ABCD", "C024BE91L", "G0123ABCD", "C0123456789"])("accepts %s", (channel) => {
    const result = parseConfig(meeting(monthly).replace("C0123456789", channel));
    expect(result.ok && result.config.meetings[0]?.rooms).toEqual([{ chat: "slack", room: channel }]);
  });
});

describe("configWarnings", () => {
  const two = (firstChannel: string, secondChannel: string) => {
    const text = `${meeting(monthly).replace("C0123456789", firstChannel)}${meeting(monthly)
      .replace("C0123456789", secondChannel)
      .replace("id: cabal", "id: standup")
      .split("\n")
      .slice(2)
      .join("\n")}`;
    const result = parseConfig(text);
    if (!result.ok) throw new Error(result.errors.join("\n"));
    return configWarnings(result.config);
  };

  it("flags the meetings still on the placeholder channel, with how to find the real id", () => {
    expect(two(PLACEHOLDER_CHANNEL, "C0123ABCD")).toEqual([
      `channel ${PLACEHOLDER_CHANNEL} of cabal is a placeholder: replace it with your Slack channel id before connecting to Slack; to find it, ${FIND_SLACK_CHANNEL_ID}`,
    ]);
    expect(two(PLACEHOLDER_CHANNEL, PLACEHOLDER_CHANNEL)[0]).toContain(
      `channel ${PLACEHOLDER_CHANNEL} of cabal, standup is a placeholder`,
    );
  });

  it("has nothing to say about real channel ids", () => {
    expect(two("C0123ABCD", "G0123ABCD")).toEqual([]);
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

  it("use the placeholder channel, which configWarnings flags for every meeting", () => {
    expect(config?.meetings.map((m) => m.rooms[0]?.room)).toEqual([
      PLACEHOLDER_CHANNEL,
      PLACEHOLDER_CHANNEL,
      PLACEHOLDER_CHANNEL,
    ]);
    expect(config && configWarnings(config)).toEqual([
      expect.stringContaining(`channel ${PLACEHOLDER_CHANNEL} of community, cabal, standup is a placeholder`),
    ]);
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

describe("destinations", () => {
  const rooms = (text: string) => {
    const result = parseConfig(text);
    return result.ok ? result.config.meetings[0]?.rooms : result.errors;
  };

  it("reads slack and matrix rooms, and the old channel as Slack", () => {
    expect(rooms(meeting(monthly))).toEqual([{ chat: "slack", room: "C0123456789" }]);
    const both = meeting(monthly).replace(
      "channel: C0123456789",
      'slack: C0123456789\n    matrix: "#podman:fedoraproject.org"',
    );
    expect(rooms(both)).toEqual([
      { chat: "slack", room: "C0123456789" },
      { chat: "matrix", room: "#podman:fedoraproject.org" },
    ]);
    const matrixOnly = meeting(monthly).replace("channel: C0123456789", 'matrix: "!abc123:example.org"');
    expect(rooms(matrixOnly)).toEqual([{ chat: "matrix", room: "!abc123:example.org" }]);
  });

  it("refuses a meeting with no place, both channel and slack, and a malformed Matrix room", () => {
    expect(errorsOf(meeting(monthly).replace("channel: C0123456789", ""))).toEqual([
      expect.stringMatching(/^meetings\[0\]\.slack: a meeting needs a place: slack .* and\/or matrix/),
    ]);
    expect(
      errorsOf(meeting(monthly).replace("channel: C0123456789", "channel: C0123456789\n    slack: C0123456789")),
    ).toEqual(["meetings[0].channel: give either channel or slack (the same), not both"]);
    expect(errorsOf(meeting(monthly).replace("channel: C0123456789", "matrix: podman"))).toEqual([
      expect.stringMatching(/^meetings\[0\]\.matrix: "podman" is not a Matrix room/),
    ]);
  });

  it("accepts Slack and Matrix admins, and refuses anything else", () => {
    const admins = (list: string) => parseConfig(`admins: ${list}\n${meeting(monthly)}`);
    const ok = admins('[U0123ABCD, "@ada:fedoraproject.org"]');
    expect(ok.ok && ok.config.admins).toEqual(["U0123ABCD", "@ada:fedoraproject.org"]);
    const bad = admins('["ada"]');
    expect(bad.ok || bad.errors).toEqual([
      'admins[0]: "ada" is not a Slack user id (U…) or a Matrix user id (@name:server)',
    ]);
  });
});
