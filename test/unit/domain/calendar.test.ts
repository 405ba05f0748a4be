import { describe, expect, it } from "vitest";
import {
  cancelledOccurrencesBetween,
  instantToLocal,
  nextOccurrence,
  nextOccurrences,
  occurrenceOn,
  occurrencesBetween,
  occurrencesFrom,
  previousOccurrence,
  scheduledDatesAround,
  zonedWallTimeToInstant,
} from "../../../src/domain/calendar.js";
import type { Meeting, Occurrence, ScheduleRule } from "../../../src/domain/meeting.js";
import { slackRooms } from "../../support/meetings.js";

function meeting(schedule: ScheduleRule[], extra: Partial<Meeting> = {}): Meeting {
  return {
    id: "m",
    title: "Meeting",
    rooms: slackRooms("C123"),
    timezone: "America/New_York",
    time: "11:00",
    durationMinutes: 60,
    schedule,
    dates: [],
    skip: [],
    remindersMs: [],
    ...extra,
  };
}

// Podman's real schedules, as the community ran them.
const cabal = meeting(
  [
    { rrule: "FREQ=MONTHLY;BYDAY=3TH", until: "2023-10-31" },
    { rrule: "FREQ=MONTHLY;BYDAY=3TU", from: "2023-11-01", until: "2024-06-30" },
    { rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" },
  ],
  { id: "cabal", title: "Podman Cabal" },
);
const community = meeting(
  [
    { rrule: "FREQ=MONTHLY;BYDAY=1TU", from: "2020-10-01", until: "2021-12-31" },
    { rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU", from: "2022-01-01" },
  ],
  { id: "community", title: "Podman Community Meeting" },
);
const standups = meeting(
  [
    { rrule: "FREQ=WEEKLY;BYDAY=MO", time: "10:00" },
    { rrule: "FREQ=WEEKLY;BYDAY=TH", time: "11:00" },
  ],
  { id: "standup" },
);

const at = (iso: string): Date => new Date(iso);
const dates = (list: Occurrence[]): string[] => list.map((o) => o.date);
const starts = (list: Occurrence[]): string[] => list.map((o) => o.start.toISOString());

describe("zonedWallTimeToInstant", () => {
  it.each([
    // Plain times: 11:00 New York is 15:00 UTC in summer time, 16:00 UTC in winter.
    ["2023-05-18", "11:00", "America/New_York", "2023-05-18T15:00:00.000Z"],
    ["2023-12-19", "11:00", "America/New_York", "2023-12-19T16:00:00.000Z"],
    ["2023-04-20", "20:30", "Asia/Kolkata", "2023-04-20T15:00:00.000Z"],
    ["2024-01-01", "00:00", "Asia/Kathmandu", "2023-12-31T18:15:00.000Z"],
    ["2024-07-01", "09:00", "Europe/London", "2024-07-01T08:00:00.000Z"],
    ["2024-01-01", "09:00", "UTC", "2024-01-01T09:00:00.000Z"],
    // Spring-forward gaps: the time moves forward by the gap.
    ["2026-03-08", "02:30", "America/New_York", "2026-03-08T07:30:00.000Z"], // 03:30 EDT
    ["2026-03-08", "02:00", "America/New_York", "2026-03-08T07:00:00.000Z"], // 03:00 EDT
    ["2026-03-08", "03:00", "America/New_York", "2026-03-08T07:00:00.000Z"],
    ["2026-03-08", "01:59", "America/New_York", "2026-03-08T06:59:00.000Z"],
    ["2026-03-29", "02:30", "Europe/Berlin", "2026-03-29T01:30:00.000Z"], // 03:30 CEST
    ["2026-10-04", "02:15", "Australia/Lord_Howe", "2026-10-03T15:45:00.000Z"], // 02:45 (+11), a 30-minute gap
    ["2026-09-06", "00:30", "America/Santiago", "2026-09-06T04:30:00.000Z"], // 01:30 (-03), a gap at midnight
    // Fall-back folds: the first of the two instants.
    ["2026-11-01", "01:30", "America/New_York", "2026-11-01T05:30:00.000Z"], // EDT, not EST
    ["2026-11-01", "01:00", "America/New_York", "2026-11-01T05:00:00.000Z"],
    ["2026-11-01", "02:00", "America/New_York", "2026-11-01T07:00:00.000Z"], // after the fold: EST
    ["2026-10-25", "02:30", "Europe/Berlin", "2026-10-25T00:30:00.000Z"], // CEST
    ["2026-04-05", "01:45", "Australia/Lord_Howe", "2026-04-04T14:45:00.000Z"], // +11
    ["2026-04-04", "23:30", "America/Santiago", "2026-04-05T02:30:00.000Z"], // -03, the evening repeats
  ])("%s %s %s → %s", (date, time, zone, expected) => {
    expect(zonedWallTimeToInstant(date, time, zone).toISOString()).toBe(expected);
  });

  it("refuses bad input", () => {
    expect(() => zonedWallTimeToInstant("2024-02-30", "10:00", "UTC")).toThrow(/2024-02-30/);
    expect(() => zonedWallTimeToInstant("2024-02-01", "24:00", "UTC")).toThrow(/24:00/);
    expect(() => zonedWallTimeToInstant("2024-02-01", "10:00", "Mars/Olympus")).toThrow(/Mars\/Olympus/);
  });
});

describe("instantToLocal", () => {
  it.each([
    ["2023-04-20T15:00:00Z", "America/New_York", { date: "2023-04-20", time: "11:00", weekday: 4 }],
    ["2023-04-20T15:00:00Z", "Asia/Tokyo", { date: "2023-04-21", time: "00:00", weekday: 5 }],
    ["2023-04-20T09:00:00Z", "Pacific/Honolulu", { date: "2023-04-19", time: "23:00", weekday: 3 }],
    ["2023-04-20T15:00:00Z", "Asia/Kathmandu", { date: "2023-04-20", time: "20:45", weekday: 4 }],
    // Both readings of the New York fold, and the minute before the gap.
    ["2026-11-01T05:30:00Z", "America/New_York", { date: "2026-11-01", time: "01:30", weekday: 0 }],
    ["2026-11-01T06:30:00Z", "America/New_York", { date: "2026-11-01", time: "01:30", weekday: 0 }],
    ["2026-03-08T06:59:59Z", "America/New_York", { date: "2026-03-08", time: "01:59", weekday: 0 }],
    ["2026-03-08T07:00:00Z", "America/New_York", { date: "2026-03-08", time: "03:00", weekday: 0 }],
  ])("%s in %s", (iso, zone, expected) => {
    expect(instantToLocal(at(iso), zone)).toEqual(expected);
  });
});

describe("Podman schedules", () => {
  it("Cabal: the next three from 2023-04-01 are the third Thursdays at 11:00 New York", () => {
    const next = nextOccurrences(cabal, at("2023-04-01T00:00:00Z"), 3);
    expect(next).toEqual([
      { meetingId: "cabal", date: "2023-04-20", time: "11:00", start: at("2023-04-20T15:00:00Z") },
      { meetingId: "cabal", date: "2023-05-18", time: "11:00", start: at("2023-05-18T15:00:00Z") },
      { meetingId: "cabal", date: "2023-06-15", time: "11:00", start: at("2023-06-15T15:00:00Z") },
    ]);
  });

  it("Cabal: moves from third Thursdays to third Tuesdays to odd months' first Tuesdays", () => {
    expect(dates(nextOccurrences(cabal, at("2023-10-01T00:00:00Z"), 4))).toEqual([
      "2023-10-19",
      "2023-11-21",
      "2023-12-19",
      "2024-01-16",
    ]);
    expect(dates(nextOccurrences(cabal, at("2024-06-01T00:00:00Z"), 4))).toEqual([
      "2024-06-18",
      "2024-07-02",
      "2024-09-03",
      "2024-11-05",
    ]);
    // December is winter time: 16:00 UTC.
    expect(nextOccurrence(cabal, at("2023-12-01T00:00:00Z"))?.start).toEqual(at("2023-12-19T16:00:00Z"));
  });

  it("Cabal: nothing after 2026-05-05", () => {
    expect(dates(nextOccurrences(cabal, at("2026-03-01T00:00:00Z"), 10))).toEqual(["2026-03-03", "2026-05-05"]);
    expect(nextOccurrence(cabal, at("2026-05-05T15:00:01Z"))).toBeUndefined();
    expect([...occurrencesFrom(cabal, at("2026-05-06T00:00:00Z"))]).toEqual([]);
    expect(previousOccurrence(cabal, at("2031-01-01T00:00:00Z"))?.date).toBe("2026-05-05");
  });

  it("Community: from 2023-05-01 the next is 2023-06-06", () => {
    expect(nextOccurrence(community, at("2023-05-01T00:00:00Z"))).toEqual({
      meetingId: "community",
      date: "2023-06-06",
      time: "11:00",
      start: at("2023-06-06T15:00:00Z"),
    });
    expect(dates(nextOccurrences(community, at("2021-11-15T00:00:00Z"), 3))).toEqual([
      "2021-12-07",
      "2022-02-01",
      "2022-04-05",
    ]);
    // Before its first rule starts, the series begins on the first first-Tuesday from 2020-10-01.
    expect(nextOccurrence(community, at("2019-01-01T00:00:00Z"))?.date).toBe("2020-10-06");
  });

  it("Stand-ups: Monday 10:00 and Thursday 11:00 rules merge in order", () => {
    expect(nextOccurrences(standups, at("2024-01-01T00:00:00Z"), 5).map((o) => `${o.date} ${o.time}`)).toEqual([
      "2024-01-01 10:00",
      "2024-01-04 11:00",
      "2024-01-08 10:00",
      "2024-01-11 11:00",
      "2024-01-15 10:00",
    ]);
    expect(starts(nextOccurrences(standups, at("2024-01-01T15:00:01Z"), 2))).toEqual([
      "2024-01-04T16:00:00.000Z",
      "2024-01-08T15:00:00.000Z",
    ]);
  });
});

describe("occurrencesFrom", () => {
  const weeklyThursday = meeting([{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2024-01-01" }]);

  it("includes an occurrence starting exactly at `from`, and not one that has started", () => {
    expect(nextOccurrence(weeklyThursday, at("2024-01-04T16:00:00Z"))?.date).toBe("2024-01-04");
    expect(nextOccurrence(weeklyThursday, at("2024-01-04T16:00:00.001Z"))?.date).toBe("2024-01-11");
  });

  it("drops skipped dates, one-offs included", () => {
    const m = meeting([{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2024-01-01" }], {
      skip: ["2024-01-11", "2024-01-17"],
      dates: ["2024-01-17T09:00", "2024-01-23T14:30"],
    });
    expect(nextOccurrences(m, at("2024-01-05T00:00:00Z"), 4).map((o) => `${o.date} ${o.time}`)).toEqual([
      "2024-01-18 11:00",
      "2024-01-23 14:30",
      "2024-01-25 11:00",
      "2024-02-01 11:00",
    ]);
  });

  it("lists the occurrences a skip cancelled, with the time they would have had, and no skipped date the schedule lacks", () => {
    const m = meeting([{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2024-01-01" }], {
      // 01-11 a rule date; 01-17 a one-off; 01-16 neither (a typo in a config): not an occurrence at all.
      skip: ["2024-01-17", "2024-01-11", "2024-01-16", "2024-03-14"],
      dates: ["2024-01-17T09:00"],
    });
    expect(cancelledOccurrencesBetween(m, at("2024-01-05T00:00:00Z"), at("2024-03-14T15:00:00Z"))).toEqual([
      { meetingId: "m", date: "2024-01-11", time: "11:00", start: at("2024-01-11T16:00:00Z") },
      { meetingId: "m", date: "2024-01-17", time: "09:00", start: at("2024-01-17T14:00:00Z") },
      // 2024-03-14 11:00 EDT is 15:00Z: the end of the window is exclusive.
    ]);
    expect(
      cancelledOccurrencesBetween(m, at("2024-01-12T00:00:00Z"), at("2024-12-31T00:00:00Z")).map((o) => o.date),
    ).toEqual(["2024-01-17", "2024-03-14"]);
  });

  it("lets a one-off entry on a rule's date replace the rule's time", () => {
    const m = meeting([{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2024-01-01" }], { dates: ["2024-01-11T15:00"] });
    expect(nextOccurrences(m, at("2024-01-05T00:00:00Z"), 2)).toEqual([
      { meetingId: "m", date: "2024-01-11", time: "15:00", start: at("2024-01-11T20:00:00Z") },
      { meetingId: "m", date: "2024-01-18", time: "11:00", start: at("2024-01-18T16:00:00Z") },
    ]);
  });

  it("gives one occurrence per date: the earliest rule time, or the earliest one-off", () => {
    const m = meeting(
      [
        { rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2024-01-01", time: "15:00" },
        { rrule: "FREQ=MONTHLY;BYDAY=2TH", from: "2024-01-01", time: "09:00" },
      ],
      { dates: ["2024-02-15T18:00", "2024-02-15T17:00"] },
    );
    expect(nextOccurrences(m, at("2024-02-01T00:00:00Z"), 4).map((o) => `${o.date} ${o.time}`)).toEqual([
      "2024-02-01 15:00",
      "2024-02-08 09:00",
      "2024-02-15 17:00",
      "2024-02-22 15:00",
    ]);
  });

  it("uses the rule's own time, else the meeting's, in the meeting's zone", () => {
    const m = meeting([{ rrule: "FREQ=DAILY", from: "2024-03-01", until: "2024-03-02" }], {
      timezone: "Asia/Tokyo",
      time: "09:30",
    });
    expect(starts([...occurrencesFrom(m, at("2024-01-01T00:00:00Z"))])).toEqual([
      "2024-03-01T00:30:00.000Z",
      "2024-03-02T00:30:00.000Z",
    ]);
  });

  it("ends when COUNT is used up or every rule's until has passed", () => {
    const counted = meeting([{ rrule: "FREQ=WEEKLY;COUNT=3", from: "2024-01-04" }]);
    expect(dates([...occurrencesFrom(counted, at("2020-01-01T00:00:00Z"))])).toEqual([
      "2024-01-04",
      "2024-01-11",
      "2024-01-18",
    ]);
    expect(dates(nextOccurrences(counted, at("2024-01-10T00:00:00Z"), 10))).toEqual(["2024-01-11", "2024-01-18"]);
    const ended = meeting([{ rrule: "FREQ=DAILY;UNTIL=20240110", from: "2024-01-01" }], {
      dates: ["2023-06-01T10:00"],
    });
    expect([...occurrencesFrom(ended, at("2024-02-01T00:00:00Z"))]).toEqual([]);
    const never = meeting([{ rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30" }]);
    expect([...occurrencesFrom(never, at("2024-01-01T00:00:00Z"))]).toEqual([]);
  });

  it("anchors a rule without `from` at 1970-01-01 (a Thursday)", () => {
    const m = meeting([{ rrule: "FREQ=WEEKLY;INTERVAL=2" }]);
    // Thursdays, every other week counted from 1970-01-01 (2024-01-04 is 2818 weeks later).
    expect(dates(nextOccurrences(m, at("2024-01-01T00:00:00Z"), 2))).toEqual(["2024-01-04", "2024-01-18"]);
  });

  it("counts INTERVAL from the rule's `from`", () => {
    const m = meeting([{ rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", from: "2024-01-02" }]);
    expect(dates(nextOccurrences(m, at("2024-03-01T00:00:00Z"), 3))).toEqual([
      "2024-03-12",
      "2024-03-26",
      "2024-04-09",
    ]);
  });

  it("keeps the scheduled date and time of an occurrence in a gap, starting after the gap", () => {
    const m = meeting([{ rrule: "FREQ=DAILY", from: "2026-03-07", until: "2026-03-09" }], { time: "02:30" });
    expect([...occurrencesFrom(m, at("2026-03-01T00:00:00Z"))]).toEqual([
      { meetingId: "m", date: "2026-03-07", time: "02:30", start: at("2026-03-07T07:30:00Z") },
      { meetingId: "m", date: "2026-03-08", time: "02:30", start: at("2026-03-08T07:30:00Z") },
      { meetingId: "m", date: "2026-03-09", time: "02:30", start: at("2026-03-09T06:30:00Z") },
    ]);
  });

  it("orders by start when a gap pushes an occurrence past the next day's (Samoa skipped 2011-12-30)", () => {
    const m = meeting(
      [
        { rrule: "FREQ=DAILY;BYDAY=FR", from: "2011-12-23", until: "2011-12-31", time: "10:00" },
        { rrule: "FREQ=DAILY;BYDAY=SA", from: "2011-12-23", until: "2011-12-31", time: "09:00" },
      ],
      { timezone: "Pacific/Apia" },
    );
    const list = [...occurrencesFrom(m, at("2011-12-23T00:00:00Z"))];
    expect(list.map((o) => `${o.date} ${o.start.toISOString()}`)).toEqual([
      "2011-12-23 2011-12-23T20:00:00.000Z",
      "2011-12-24 2011-12-24T19:00:00.000Z",
      "2011-12-31 2011-12-30T19:00:00.000Z", // 09:00 at UTC+14
      "2011-12-30 2011-12-30T20:00:00.000Z", // 10:00 at UTC-10 never came: moved on by the 24-hour gap
    ]);
    expect(nextOccurrence(m, at("2011-12-30T19:30:00Z"))?.date).toBe("2011-12-30");
  });

  it("gives starts in ascending order across zones, rules and one-offs", () => {
    for (const timezone of ["America/New_York", "Pacific/Chatham", "America/Santiago", "Asia/Kolkata"]) {
      const m = meeting(
        [
          { rrule: "FREQ=DAILY;BYDAY=MO,WE,FR", time: "23:30" },
          { rrule: "FREQ=DAILY;BYDAY=TU,TH,SA,SU", time: "00:30" },
        ],
        { timezone, dates: ["2026-04-05T23:45"], skip: ["2026-04-08"] },
      );
      const list = nextOccurrences(m, at("2026-03-01T00:00:00Z"), 400);
      expect(list).toHaveLength(400);
      for (let i = 1; i < list.length; i++) {
        expect(list[i]?.start.getTime()).toBeGreaterThan(list[i - 1]?.start.getTime() ?? 0);
      }
      expect(dates(list)).not.toContain("2026-04-08");
    }
  });
});

describe("queries", () => {
  it("occurrencesBetween is start-inclusive and end-exclusive", () => {
    const list = occurrencesBetween(standups, at("2024-01-01T15:00:00Z"), at("2024-01-11T16:00:00Z"));
    expect(list.map((o) => `${o.date} ${o.time}`)).toEqual([
      "2024-01-01 10:00",
      "2024-01-04 11:00",
      "2024-01-08 10:00",
    ]);
    expect(occurrencesBetween(standups, at("2024-01-02T00:00:00Z"), at("2024-01-02T00:00:00Z"))).toEqual([]);
  });

  it("previousOccurrence takes the latest start strictly before", () => {
    expect(previousOccurrence(cabal, at("2023-05-18T15:00:00Z"))?.date).toBe("2023-04-20");
    expect(previousOccurrence(cabal, at("2023-05-18T15:00:01Z"))?.date).toBe("2023-05-18");
    expect(previousOccurrence(standups, at("2024-01-08T00:00:00Z"))?.date).toBe("2024-01-04");
    expect(previousOccurrence(community, at("2020-10-06T15:00:00Z"))).toBeUndefined();
    expect(previousOccurrence(community, at("2030-01-01T00:00:00Z"))?.date).toBe("2029-12-04");
    // Only a one-off, long ago.
    const once = meeting([], { dates: ["2001-09-10T10:00"] });
    expect(previousOccurrence(once, at("2030-01-01T00:00:00Z"))?.date).toBe("2001-09-10");
    expect(previousOccurrence(meeting([]), at("2030-01-01T00:00:00Z"))).toBeUndefined();
  });

  it("occurrenceOn finds the occurrence of a local date, or none", () => {
    expect(occurrenceOn(cabal, "2023-04-20")).toEqual({
      meetingId: "cabal",
      date: "2023-04-20",
      time: "11:00",
      start: at("2023-04-20T15:00:00Z"),
    });
    expect(occurrenceOn(cabal, "2023-04-19")).toBeUndefined();
    expect(occurrenceOn(cabal, "2026-07-07")).toBeUndefined();
    const skipped = meeting(cabal.schedule, { skip: ["2023-04-20"] });
    expect(occurrenceOn(skipped, "2023-04-20")).toBeUndefined();
  });

  it("scheduledDatesAround lists occurrence dates within ±days", () => {
    expect(scheduledDatesAround(cabal, "2023-05-01", 31)).toEqual(["2023-04-20", "2023-05-18"]);
    expect(scheduledDatesAround(standups, "2024-01-04", 3)).toEqual(["2024-01-01", "2024-01-04"]);
    expect(scheduledDatesAround(standups, "2024-01-04", 0)).toEqual(["2024-01-04"]);
    expect(scheduledDatesAround(standups, "2024-01-03", 0)).toEqual([]);
  });
});
