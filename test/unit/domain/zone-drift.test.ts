import { describe, expect, it } from "vitest";
import { occurrenceOn } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { describeDrift, driftSincePrevious, zoneDrift } from "../../../src/domain/zone-drift.js";
import { testMeeting } from "../../support/meetings.js";

// Weekly on Tuesdays at 11:00 New York time; in 2027 the US springs forward on March 14, the EU on March 28.
const weekly = testMeeting({ id: "weekly", schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TU", from: "2027-01-05" }] });
const zones = ["America/New_York", "Europe/Berlin", "Asia/Tokyo", "Asia/Kolkata"];

function on(date: string): Occurrence {
  const occurrence = occurrenceOn(weekly, date);
  if (!occurrence) throw new Error(`no occurrence on ${date}`);
  return occurrence;
}

describe("zone drift across the 2027 spring transitions", () => {
  it("is nothing while both sides keep their clocks (early March)", () => {
    expect(driftSincePrevious(weekly, on("2027-03-09"), zones)).toEqual([]);
  });

  it("puts Berlin, Tokyo and Kolkata an hour earlier in the first week of US summer time", () => {
    expect(driftSincePrevious(weekly, on("2027-03-16"), zones)).toEqual([
      { zone: "Europe/Berlin", place: "Berlin", minutes: -60 },
      { zone: "Asia/Tokyo", place: "Tokyo", minutes: -60 },
      { zone: "Asia/Kolkata", place: "Kolkata", minutes: -60 },
    ]);
  });

  it("is nothing in the week between, when both weeks are already in the gap", () => {
    expect(driftSincePrevious(weekly, on("2027-03-23"), zones)).toEqual([]);
  });

  it("puts Berlin back an hour later once the EU springs forward too; Tokyo stays", () => {
    expect(driftSincePrevious(weekly, on("2027-03-30"), zones)).toEqual([
      { zone: "Europe/Berlin", place: "Berlin", minutes: 60 },
    ]);
  });

  it("never reports the meeting's own zone for a meeting at a fixed local time", () => {
    for (const date of ["2027-03-16", "2027-03-30", "2027-11-09"]) {
      expect(driftSincePrevious(weekly, on(date), ["America/New_York"])).toEqual([]);
    }
  });

  it("is nothing for the very first occurrence", () => {
    expect(driftSincePrevious(weekly, on("2027-01-05"), zones)).toEqual([]);
  });

  it("compares a meeting with two weekly slots slot by slot (Mondays 10:00, Thursdays 11:00)", () => {
    const standup = testMeeting({
      id: "standup",
      schedule: [
        { rrule: "FREQ=WEEKLY;BYDAY=MO", from: "2027-01-04", time: "10:00" },
        { rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2027-01-04", time: "11:00" },
      ],
    });
    const at = (date: string) => occurrenceOn(standup, date) as Occurrence;
    // An ordinary week: Monday after Thursday is an hour earlier everywhere, which is the schedule, not drift.
    expect(driftSincePrevious(standup, at("2027-03-08"), zones)).toEqual([]);
    expect(driftSincePrevious(standup, at("2027-03-11"), zones)).toEqual([]);
    // The first Monday of US summer time, against the Monday before: Berlin, Tokyo and Kolkata an hour earlier.
    expect(driftSincePrevious(standup, at("2027-03-15"), zones).map((d) => [d.place, d.minutes])).toEqual([
      ["Berlin", -60],
      ["Tokyo", -60],
      ["Kolkata", -60],
    ]);
  });

  it("takes the short way round midnight", () => {
    const before = { meetingId: "x", date: "2027-01-01", time: "23:30", start: new Date("2027-01-01T23:30:00Z") };
    const after = { meetingId: "x", date: "2027-01-09", time: "00:30", start: new Date("2027-01-09T00:30:00Z") };
    expect(zoneDrift(after, before, ["UTC"])).toEqual([{ zone: "UTC", place: "UTC", minutes: 60 }]);
    expect(zoneDrift(before, after, ["UTC"])).toEqual([{ zone: "UTC", place: "UTC", minutes: -60 }]);
  });
});

describe("describeDrift", () => {
  it("says it the way people do", () => {
    expect(describeDrift({ zone: "Europe/Berlin", place: "Berlin", minutes: -60 })).toBe(
      "1 hour earlier than last time in Berlin",
    );
    expect(describeDrift({ zone: "Asia/Kolkata", place: "Kolkata", minutes: 90 })).toBe(
      "1 hour 30 minutes later than last time in Kolkata",
    );
    expect(describeDrift({ zone: "Europe/Berlin", place: "Berlin", minutes: -120 })).toBe(
      "2 hours earlier than last time in Berlin",
    );
  });
});
