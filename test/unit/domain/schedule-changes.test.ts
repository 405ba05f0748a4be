// What a reload changed in the dates people expect: only new skips and new one-off dates, only in the future.
import { describe, expect, it } from "vitest";
import type { CommunityConfig, Meeting } from "../../../src/domain/meeting.js";
import { scheduleChanges } from "../../../src/domain/schedule-changes.js";
import { testMeeting } from "../../support/meetings.js";

const weekly = (overrides: Partial<Meeting> = {}): Meeting =>
  testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-01-01" }], ...overrides });
const config = (...meetings: Meeting[]): CommunityConfig => ({ displayZones: [], admins: [], meetings });
const NOW = new Date("2026-03-01T12:00:00Z");

const summary = (before: CommunityConfig, after: CommunityConfig) =>
  scheduleChanges(before, after, NOW).map((c) => [c.meeting.id, c.kind, c.date, c.was?.date, c.now?.date]);

describe("scheduleChanges", () => {
  it("finds a new skip (cancelled), a new one-off date (added), and a skip with a date within a week (moved)", () => {
    expect(summary(config(weekly()), config(weekly({ skip: ["2026-03-05"] })))).toEqual([
      ["cabal", "cancelled", "2026-03-05", "2026-03-05", undefined],
    ]);
    expect(summary(config(weekly()), config(weekly({ dates: ["2026-03-09T09:00"] })))).toEqual([
      ["cabal", "added", "2026-03-09", undefined, "2026-03-09"],
    ]);
    expect(
      summary(
        config(weekly()),
        config(weekly({ skip: ["2026-03-12"], dates: ["2026-03-10T11:00", "2026-04-20T11:00"] })),
      ),
    ).toEqual([
      ["cabal", "moved", "2026-03-12", "2026-03-12", "2026-03-10"],
      ["cabal", "added", "2026-04-20", undefined, "2026-04-20"],
    ]);
  });

  it("ignores past dates, skips that were already there, skipped dates the schedule never had, and new meetings", () => {
    const before = config(weekly({ skip: ["2026-03-05"] }));
    expect(summary(before, config(weekly({ skip: ["2026-03-05", "2026-02-26", "2026-03-07"] })))).toEqual([]);
    expect(
      summary(before, config(weekly({ skip: ["2026-03-05"] }), weekly({ id: "new", skip: ["2026-03-12"] }))),
    ).toEqual([]);
  });
});
