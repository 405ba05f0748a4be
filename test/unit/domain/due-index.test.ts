import { describe, expect, it } from "vitest";
import { DueIndex, nextReminderDueAfter } from "../../../src/domain/due-index.js";
import { type DueReminder, dueReminders } from "../../../src/domain/due-reminders.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A weekly Sunday meeting (11:00 New York) with reminders a day and an hour before. */
const meeting = (overrides: Partial<Meeting> = {}): Meeting =>
  testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU" }], remindersMs: [DAY, HOUR], ...overrides });

const at = (iso: string) => new Date(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
const shown = (found: DueReminder[]) =>
  found.map((d) => [d.meeting.id, d.occurrence.date, d.offsetMs / MINUTE, d.dueAt.toISOString()]);

describe("DueIndex", () => {
  it("gives nothing and asks no meeting until the soonest due instant comes, then exactly that reminder", () => {
    // Sunday 2025-03-02 11:00 EST = 16:00Z: due 2025-03-01T16:00Z (1 day) and 2025-03-02T15:00Z (1 hour).
    const index = new DueIndex([meeting()], at("2025-03-01T00:00:00Z"));
    expect(iso(index.nextDueMs)).toBe("2025-03-01T16:00:00.000Z");
    expect(index.takeDue(at("2025-03-01T15:59:59.999Z"))).toEqual([]);
    expect(index.cursorMs).toBe(at("2025-03-01T15:59:59.999Z").getTime());
    expect(shown(index.takeDue(at("2025-03-01T16:00:00Z")))).toEqual([
      ["cabal", "2025-03-02", 24 * 60, "2025-03-01T16:00:00.000Z"],
    ]);
    // Taken once: the same instant again, or a later one before the next due, gives nothing.
    expect(index.takeDue(at("2025-03-01T16:00:00Z"))).toEqual([]);
    expect(index.takeDue(at("2025-03-02T14:59:59Z"))).toEqual([]);
    expect(iso(index.nextDueMs)).toBe("2025-03-02T15:00:00.000Z");
    expect(shown(index.takeDue(at("2025-03-02T15:00:01Z")))).toEqual([
      ["cabal", "2025-03-02", 60, "2025-03-02T15:00:00.000Z"],
    ]);
    // The next Sunday is in daylight time (15:00Z), and a day is 24 h: the 1-day reminder is at 15:00Z.
    expect(iso(index.nextDueMs)).toBe("2025-03-08T15:00:00.000Z");
  });

  it("follows the zone's clock across the spring-forward and fall-back weeks (New York)", () => {
    // 2025-03-09 11:00 is EDT (15:00Z): 1 day before is 2025-03-08T15:00Z, 1 hour before 14:00Z.
    const spring = new DueIndex([meeting()], at("2025-03-03T00:00:00Z"));
    expect(shown(spring.takeDue(at("2025-03-09T14:00:00Z")))).toEqual([
      ["cabal", "2025-03-09", 24 * 60, "2025-03-08T15:00:00.000Z"],
      ["cabal", "2025-03-09", 60, "2025-03-09T14:00:00.000Z"],
    ]);
    // 2025-11-02 11:00 is EST (16:00Z); the day before was EDT, so 1 day before is 16:00Z still.
    const fall = new DueIndex([meeting()], at("2025-10-27T00:00:00Z"));
    expect(iso(fall.nextDueMs)).toBe("2025-11-01T16:00:00.000Z");
    fall.takeDue(at("2025-11-01T16:00:00Z"));
    expect(iso(fall.nextDueMs)).toBe("2025-11-02T15:00:00.000Z");
  });

  it("passes over a skipped date to the next occurrence", () => {
    const index = new DueIndex([meeting({ skip: ["2025-03-09"] })], at("2025-03-03T00:00:00Z"));
    expect(iso(index.nextDueMs)).toBe("2025-03-15T15:00:00.000Z");
    expect(index.takeDue(at("2025-03-14T00:00:00Z"))).toEqual([]);
  });

  it("gives a catch-up window at once: everything due between its start and now, superseded marked", () => {
    const index = new DueIndex([meeting()], at("2025-03-01T00:00:00Z"));
    const found = index.takeDue(at("2025-03-02T15:30:00Z"));
    expect(found.map((d) => [d.offsetMs, d.superseded])).toEqual([
      [DAY, true],
      [HOUR, false],
    ]);
  });

  it("leaves out meetings without reminders or without any occurrence left", () => {
    const over = meeting({ id: "over", schedule: [], dates: ["2024-01-07T11:00"] });
    const index = new DueIndex([meeting({ id: "quiet", remindersMs: [] }), over], at("2025-01-01T00:00:00Z"));
    expect(index.nextDueMs).toBeUndefined();
    expect(index.takeDue(at("2026-01-01T00:00:00Z"))).toEqual([]);
  });

  it("taken in small steps, gives exactly what one scan of the whole window gives, for many meetings", () => {
    const zones = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Apia"];
    const meetings = Array.from({ length: 40 }, (_, i) =>
      meeting({
        id: `m${String(i).padStart(2, "0")}`,
        timezone: zones[i % zones.length] as string,
        time: `${String(i % 24).padStart(2, "0")}:${i % 2 === 0 ? "00" : "30"}`,
        schedule: [{ rrule: i % 3 === 0 ? "FREQ=DAILY" : "FREQ=WEEKLY;BYDAY=MO,TH" }],
        remindersMs: i % 4 === 0 ? [DAY, HOUR, 5 * MINUTE] : [HOUR],
        skip: i % 5 === 0 ? ["2025-03-31", "2025-04-03"] : [],
      }),
    );
    // Across the European spring-forward (2025-03-30) and the Lord Howe / Apia changes of early April.
    const from = at("2025-03-25T00:00:00Z");
    const to = at("2025-04-10T00:00:00Z");
    const index = new DueIndex(meetings, from);
    const stepped: DueReminder[] = [];
    for (let t = from.getTime() + 7 * MINUTE; t <= to.getTime(); t += 7 * MINUTE) {
      stepped.push(...index.takeDue(new Date(t)));
    }
    stepped.push(...index.takeDue(to));
    const key = (d: DueReminder) => `${d.meeting.id} ${d.occurrence.date} ${d.offsetMs} ${d.dueAt.toISOString()}`;
    const whole = dueReminders(meetings, from, to).map(key);
    expect(whole.length).toBeGreaterThan(400);
    expect(stepped.map(key).sort()).toEqual([...whole].sort());
  });
});

describe("nextReminderDueAfter", () => {
  it("is strictly after the instant given, whichever offset comes first", () => {
    const m = meeting();
    expect(iso(nextReminderDueAfter(m, at("2025-03-01T15:59:59.999Z").getTime()))).toBe("2025-03-01T16:00:00.000Z");
    expect(iso(nextReminderDueAfter(m, at("2025-03-01T16:00:00Z").getTime()))).toBe("2025-03-02T15:00:00.000Z");
    // Offsets longer than the gap between occurrences: the next due may belong to an occurrence after the next.
    const daily = meeting({ schedule: [{ rrule: "FREQ=DAILY" }], remindersMs: [3 * DAY, HOUR] });
    expect(iso(nextReminderDueAfter(daily, at("2025-03-02T15:00:00Z").getTime()))).toBe("2025-03-02T16:00:00.000Z");
  });
});
