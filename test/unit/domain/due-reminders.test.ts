import { describe, expect, it } from "vitest";
import { dueReminders, largestReminderOffset, reminderTiming } from "../../../src/domain/due-reminders.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A weekly Sunday meeting with reminders a day and an hour before. */
const meeting = (overrides: Partial<Meeting> = {}): Meeting =>
  testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU" }], remindersMs: [DAY, HOUR], ...overrides });

const at = (iso: string) => new Date(iso);
const due = (m: Meeting[], from: string, now: string) =>
  dueReminders(m, at(from), at(now)).map((d) => ({
    id: d.meeting.id,
    date: d.occurrence.date,
    offset: d.offsetMs,
    dueAt: d.dueAt.toISOString(),
    superseded: d.superseded,
  }));

describe("dueReminders", () => {
  it("finds a reminder exactly at its due instant, never before, and only once the window passes it", () => {
    // Sunday 2025-03-02 11:00 EST = 16:00Z; the 1 h reminder is due at 15:00Z.
    const m = [meeting()];
    expect(due(m, "2025-03-02T14:59:00Z", "2025-03-02T14:59:59.999Z")).toEqual([]);
    expect(due(m, "2025-03-02T14:59:00Z", "2025-03-02T15:00:00Z")).toEqual([
      { id: "cabal", date: "2025-03-02", offset: HOUR, dueAt: "2025-03-02T15:00:00.000Z", superseded: false },
    ]);
    // The window is (start, now]: a reminder due at the window's start belongs to the window before.
    expect(due(m, "2025-03-02T15:00:00Z", "2025-03-02T15:00:01Z")).toEqual([]);
  });

  it("counts offsets as elapsed time across the spring-forward week (2025-03-09, New York)", () => {
    // Sunday 2025-03-09 11:00 is EDT (15:00Z): 1 day before is Saturday 10:00 EST, 1 hour before is 10:00 EDT.
    const m = [meeting()];
    expect(due(m, "2025-03-08T14:00:00Z", "2025-03-08T15:00:00Z")).toEqual([
      { id: "cabal", date: "2025-03-09", offset: DAY, dueAt: "2025-03-08T15:00:00.000Z", superseded: false },
    ]);
    expect(due(m, "2025-03-09T13:00:00Z", "2025-03-09T14:00:00Z")).toEqual([
      { id: "cabal", date: "2025-03-09", offset: HOUR, dueAt: "2025-03-09T14:00:00.000Z", superseded: false },
    ]);
    // The week before, 11:00 EST is 16:00Z.
    expect(due(m, "2025-03-01T15:30:00Z", "2025-03-01T16:00:00Z")).toEqual([
      { id: "cabal", date: "2025-03-02", offset: DAY, dueAt: "2025-03-01T16:00:00.000Z", superseded: false },
    ]);
  });

  it("handles the fall-back week (2025-11-02, New York)", () => {
    // Sunday 2025-11-02 11:00 is EST (16:00Z); the day before was still EDT.
    const m = [meeting()];
    expect(due(m, "2025-11-01T15:30:00Z", "2025-11-01T16:00:00Z")).toEqual([
      { id: "cabal", date: "2025-11-02", offset: DAY, dueAt: "2025-11-01T16:00:00.000Z", superseded: false },
    ]);
  });

  it("gives no reminder for a skipped date", () => {
    const m = [meeting({ skip: ["2025-03-09"] })];
    expect(due(m, "2025-03-08T00:00:00Z", "2025-03-09T23:00:00Z")).toEqual([]);
    expect(due([meeting()], "2025-03-08T00:00:00Z", "2025-03-09T14:00:00Z")).toHaveLength(2);
  });

  it("reminds of a one-off date, in its own zone, with second-granular offsets", () => {
    const m = [
      meeting({
        id: "summit",
        schedule: [],
        dates: ["2025-06-05T09:30"],
        timezone: "Europe/Berlin",
        remindersMs: [170_000, 160_000],
      }),
    ];
    // 09:30 CEST = 07:30Z.
    expect(due(m, "2025-06-05T07:27:00Z", "2025-06-05T07:27:15Z")).toEqual([
      { id: "summit", date: "2025-06-05", offset: 170_000, dueAt: "2025-06-05T07:27:10.000Z", superseded: false },
    ]);
    expect(due(m, "2025-06-05T07:27:10Z", "2025-06-05T07:27:20Z")).toEqual([
      { id: "summit", date: "2025-06-05", offset: 160_000, dueAt: "2025-06-05T07:27:20.000Z", superseded: false },
    ]);
  });

  it("marks the larger offsets superseded when a smaller one of the same occurrence is due as well", () => {
    const m = [meeting()];
    expect(due(m, "2025-03-01T00:00:00Z", "2025-03-02T15:30:00Z")).toEqual([
      { id: "cabal", date: "2025-03-02", offset: DAY, dueAt: "2025-03-01T16:00:00.000Z", superseded: true },
      { id: "cabal", date: "2025-03-02", offset: HOUR, dueAt: "2025-03-02T15:00:00.000Z", superseded: false },
    ]);
  });

  it("includes reminders of occurrences that already started, and orders everything by due instant", () => {
    const m = [meeting({ id: "b" }), meeting({ id: "a", time: "10:00", remindersMs: [HOUR] })];
    const found = dueReminders(m, at("2025-03-02T13:00:00Z"), at("2025-03-02T17:00:00Z"));
    expect(found.map((d) => [d.meeting.id, d.dueAt.toISOString()])).toEqual([
      ["a", "2025-03-02T14:00:00.000Z"],
      ["b", "2025-03-02T15:00:00.000Z"],
    ]);
    expect(found.map((d) => reminderTiming(d, at("2025-03-02T17:00:00Z")))).toEqual(["missed", "missed"]);
  });

  it("ignores meetings without reminders and empty windows", () => {
    expect(due([meeting({ remindersMs: [] })], "2025-03-01T00:00:00Z", "2025-03-09T00:00:00Z")).toEqual([]);
    expect(due([meeting()], "2025-03-09T00:00:00Z", "2025-03-01T00:00:00Z")).toEqual([]);
  });
});

describe("reminderTiming", () => {
  const occurrence = { meetingId: "cabal", date: "2025-03-02", time: "11:00", start: at("2025-03-02T16:00:00Z") };
  const dueAt = at("2025-03-02T15:00:00Z");
  it("is on time within the grace, late after it, missed once the meeting has started", () => {
    expect(reminderTiming({ occurrence, dueAt }, at("2025-03-02T15:00:00Z"))).toBe("on-time");
    expect(reminderTiming({ occurrence, dueAt }, at("2025-03-02T15:01:00Z"))).toBe("on-time");
    expect(reminderTiming({ occurrence, dueAt }, at("2025-03-02T15:01:00.001Z"))).toBe("late");
    expect(reminderTiming({ occurrence, dueAt }, at("2025-03-02T15:59:59.999Z"))).toBe("late");
    expect(reminderTiming({ occurrence, dueAt }, at("2025-03-02T16:00:00Z"))).toBe("missed");
  });
});

describe("largestReminderOffset", () => {
  it("is the largest offset of any meeting, 0 without any", () => {
    expect(largestReminderOffset([meeting({ remindersMs: [HOUR] }), meeting({ remindersMs: [2 * DAY, HOUR] })])).toBe(
      2 * DAY,
    );
    expect(largestReminderOffset([])).toBe(0);
  });
});
