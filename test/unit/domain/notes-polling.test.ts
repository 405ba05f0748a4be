// The poll windows the preview shows must be exactly when the poller looks for an occurrence's notes.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Meeting } from "../../../src/domain/meeting.js";
import { notesPollWindows, polledOccurrences } from "../../../src/domain/notes-polling.js";
import { testMeeting } from "../../support/meetings.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const withNotes = (lookbackMs: number, overrides: Partial<Meeting> = {}): Meeting =>
  testMeeting({
    notes: { source: "https://notes.example/{date}.md", pollEveryMs: 600_000, lookbackMs },
    ...overrides,
  });

describe("notesPollWindows", () => {
  it("opens at the meeting's start and closes a lookback later", () => {
    // The Cabal of 2023-04-20 starts at 15:00Z; the next is a month away, far past a 14-day lookback.
    const cabal = withNotes(14 * DAY);
    const windows = notesPollWindows(cabal, new Date("2023-04-20T00:00:00Z"), new Date("2023-04-21T00:00:00Z"));
    expect(windows.map((w) => [w.occurrence.date, w.opensAt.toISOString(), w.closesAt.toISOString()])).toEqual([
      ["2023-04-20", "2023-04-20T15:00:00.000Z", "2023-05-04T15:00:00.000Z"],
    ]);
  });

  it("closes a daily meeting's window when three newer meetings have started, not after the lookback", () => {
    const daily = withNotes(14 * DAY, { schedule: [{ rrule: "FREQ=DAILY" }], timezone: "UTC" });
    const [first] = notesPollWindows(daily, new Date("2026-03-02T12:00:00Z"), new Date("2026-03-02T12:00:00Z"));
    expect(first?.occurrence.date).toBe("2026-02-28");
    expect(first?.closesAt.toISOString()).toBe("2026-03-03T11:00:00.000Z");
  });

  it("leaves out skipped dates and meetings without notes", () => {
    const cabal = withNotes(14 * DAY, { skip: ["2023-05-18"] });
    const dates = notesPollWindows(cabal, new Date("2023-04-01T00:00:00Z"), new Date("2023-07-01T00:00:00Z")).map(
      (w) => w.occurrence.date,
    );
    expect(dates).toEqual(["2023-04-20", "2023-06-15"]);
    expect(notesPollWindows(testMeeting(), new Date("2023-04-01"), new Date("2023-07-01"))).toEqual([]);
  });

  it("holds an occurrence exactly while the poller polls it, at any instant", () => {
    const rules = [
      "FREQ=DAILY",
      "FREQ=WEEKLY;BYDAY=TU,TH",
      "FREQ=MONTHLY;BYDAY=3TH",
      "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...rules),
        fc.constantFrom("America/New_York", "Europe/Berlin", "Asia/Kolkata"),
        fc.integer({ min: 1, max: 40 * 24 }),
        fc.integer({ min: Date.UTC(2026, 0, 1), max: Date.UTC(2027, 11, 31) }),
        (rrule, timezone, lookbackHours, nowMs) => {
          const meeting = withNotes(lookbackHours * HOUR, { schedule: [{ rrule, from: "2025-12-01" }], timezone });
          const now = new Date(nowMs);
          const polled = polledOccurrences(meeting, now).map((o) => o.date);
          const open = notesPollWindows(meeting, now, now).map((w) => w.occurrence.date);
          expect(open).toEqual([...polled].reverse());
        },
      ),
      { numRuns: 300 },
    );
  });
});
