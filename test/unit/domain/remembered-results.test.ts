// The caches behind fast replies must answer exactly what a fresh computation would, whatever order time is asked in.
import { describe, expect, it } from "vitest";
import { BoundedMemo } from "../../../src/domain/bounded-memo.js";
import { nextOccurrence, occurrencesFrom, previousOccurrence } from "../../../src/domain/calendar.js";
import { renderMeetingHeadline, zoneTimes } from "../../../src/domain/time-render.js";
import { driftSincePrevious } from "../../../src/domain/zone-drift.js";
import { testMeeting } from "../../support/meetings.js";

const fresh = (meeting: ReturnType<typeof testMeeting>, at: Date) => occurrencesFrom(meeting, at).next().value;

describe("nextOccurrence, remembered per meeting", () => {
  it("gives what a fresh computation gives, asked forwards, backwards and across a start", () => {
    const meeting = testMeeting(); // third Thursday of each month, 11:00 New York
    const instants = [
      "2026-03-01T00:00:00Z",
      "2026-03-10T00:00:00Z",
      "2026-03-19T15:00:00Z", // exactly the March start
      "2026-03-19T15:00:00.001Z", // just after it: April's
      "2026-02-01T00:00:00Z", // the clock set back
      "2026-05-30T00:00:00Z",
      "2026-03-19T14:59:59Z",
    ].map((text) => new Date(text));
    for (const at of instants) {
      expect(nextOccurrence(meeting, at), at.toISOString()).toEqual(fresh(meeting, at));
    }
  });

  it("is the same object until the occurrence starts, so caches further on can key on it", () => {
    const meeting = testMeeting();
    const first = nextOccurrence(meeting, new Date("2026-03-01T00:00:00Z"));
    expect(nextOccurrence(meeting, new Date("2026-03-18T00:00:00Z"))).toBe(first);
    expect(nextOccurrence(meeting, new Date("2026-03-20T00:00:00Z"))).not.toBe(first);
  });

  it("says a meeting has ended, and not before its last date", () => {
    const meeting = testMeeting({
      schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-01-01", until: "2026-01-15" }],
    });
    expect(nextOccurrence(meeting, new Date("2026-02-01T00:00:00Z"))).toBeUndefined();
    expect(nextOccurrence(meeting, new Date("2026-01-10T00:00:00Z"))?.date).toBe("2026-01-15");
    expect(nextOccurrence(meeting, new Date("2026-03-01T00:00:00Z"))).toBeUndefined();
  });

  it("follows a reloaded configuration: another meeting object with another schedule", () => {
    const at = new Date("2026-03-01T00:00:00Z");
    expect(nextOccurrence(testMeeting(), at)?.date).toBe("2026-03-19");
    const moved = testMeeting({ schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU", from: "2020-01-01" }] });
    expect(nextOccurrence(moved, at)?.date).toBe("2026-03-03");
  });
});

describe("remembered renderings", () => {
  it("a list handed out is the caller's own: changing it changes no later answer", () => {
    const instant = new Date("2026-03-19T15:00:00Z");
    const first = zoneTimes(instant, "America/New_York", ["Europe/Berlin", "Asia/Tokyo"]);
    first.pop();
    expect(zoneTimes(instant, "America/New_York", ["Europe/Berlin", "Asia/Tokyo"])).toHaveLength(3);
    expect(renderMeetingHeadline(instant, "America/New_York")).toBe("Thursday, March 19, 2026, 11:00 EDT (UTC-4)");
    expect(renderMeetingHeadline(instant, "Asia/Kolkata")).toBe("Thursday, March 19, 2026, 20:30 UTC+5:30");
  });

  it("drift is worked out per zone list, not once for every list", () => {
    const meeting = testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-01-01" }] });
    // 2026-03-12: New York has moved to summer time, Berlin not yet.
    const occurrence = nextOccurrence(meeting, new Date("2026-03-10T00:00:00Z"));
    if (!occurrence) throw new Error("no occurrence");
    expect(driftSincePrevious(meeting, occurrence, ["Europe/Berlin"]).map((d) => d.minutes)).toEqual([-60]);
    expect(driftSincePrevious(meeting, occurrence, ["America/Chicago"])).toEqual([]);
  });
});

describe("BoundedMemo", () => {
  it("holds at most its limit, forgets the oldest first and computes a forgotten key again", () => {
    const memo = new BoundedMemo<number, number>(3);
    let computed = 0;
    const square = (n: number) =>
      memo.get(n, () => {
        computed++;
        return n * n;
      });
    for (const n of [1, 2, 3, 1, 4]) square(n);
    expect(memo.size).toBe(3);
    expect(computed).toBe(4);
    expect(square(1)).toBe(1); // 1 was the oldest when 4 came
    expect(computed).toBe(5);
    expect(square(4)).toBe(16);
    expect(computed).toBe(5);
  });
});

describe("previousOccurrence, remembered per meeting", () => {
  it("gives what a fresh look back gives, asked in any order and on the starts themselves", () => {
    const meeting = testMeeting();
    const lookBack = (at: Date) => {
      let last: ReturnType<typeof fresh>;
      for (const occurrence of occurrencesFrom(meeting, new Date(at.getTime() - 120 * 86_400_000))) {
        if (occurrence.start >= at) break;
        last = occurrence;
      }
      return last;
    };
    const instants = [
      "2026-03-19T15:00:00.001Z",
      "2026-03-19T15:00:00Z", // exactly March's start: February's
      "2026-04-10T00:00:00Z",
      "2026-04-16T15:00:00Z", // exactly April's start: still March's
      "2026-04-16T15:00:00.001Z", // April's
      "2026-02-01T00:00:00Z",
      "2026-03-01T00:00:00Z",
    ].map((text) => new Date(text));
    for (const at of instants) {
      expect(previousOccurrence(meeting, at), at.toISOString()).toEqual(lookBack(at));
    }
  });
});
