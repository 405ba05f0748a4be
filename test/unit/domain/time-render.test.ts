import { describe, expect, it } from "vitest";
import {
  formatUtcOffset,
  renderMeetingHeadline,
  renderZoneTime,
  type ZoneTime,
  zoneTimes,
} from "../../../src/domain/time-render.js";

const at = (iso: string): Date => new Date(iso);
// Podman Cabal, Thursday 2023-04-20 at 11:00 New York.
const cabalStart = at("2023-04-20T15:00:00Z");

describe("zoneTimes", () => {
  it("puts the reference zone first and does not repeat it", () => {
    const times = zoneTimes(cabalStart, "America/New_York", [
      "Asia/Tokyo",
      "America/New_York",
      "America/Los_Angeles",
      "Asia/Tokyo",
    ]);
    expect(times.map((t) => t.zone)).toEqual(["America/New_York", "Asia/Tokyo", "America/Los_Angeles"]);
  });

  it("reads each zone from the zone database", () => {
    const times = zoneTimes(cabalStart, "America/New_York", [
      "Asia/Kolkata",
      "Asia/Kathmandu",
      "America/St_Johns",
      "Europe/London",
      "UTC",
    ]);
    expect(times).toEqual([
      {
        zone: "America/New_York",
        place: "New York",
        weekday: "Thu",
        date: "2023-04-20",
        time: "11:00",
        abbreviation: "EDT",
        utcOffset: "UTC-4",
        dayShift: 0,
      },
      {
        zone: "Asia/Kolkata",
        place: "Kolkata",
        weekday: "Thu",
        date: "2023-04-20",
        time: "20:30",
        abbreviation: "GMT+5:30",
        utcOffset: "UTC+5:30",
        dayShift: 0,
      },
      {
        zone: "Asia/Kathmandu",
        place: "Kathmandu",
        weekday: "Thu",
        date: "2023-04-20",
        time: "20:45",
        abbreviation: "GMT+5:45",
        utcOffset: "UTC+5:45",
        dayShift: 0,
      },
      {
        zone: "America/St_Johns",
        place: "St Johns",
        weekday: "Thu",
        date: "2023-04-20",
        time: "12:30",
        abbreviation: "GMT-2:30",
        utcOffset: "UTC-2:30",
        dayShift: 0,
      },
      {
        zone: "Europe/London",
        place: "London",
        weekday: "Thu",
        date: "2023-04-20",
        time: "16:00",
        abbreviation: "GMT+1",
        utcOffset: "UTC+1",
        dayShift: 0,
      },
      {
        zone: "UTC",
        place: "UTC",
        weekday: "Thu",
        date: "2023-04-20",
        time: "15:00",
        abbreviation: "UTC",
        utcOffset: "UTC",
        dayShift: 0,
      },
    ]);
  });

  it.each([
    // instant, reference, display zone, rendered display line
    ["2023-04-20T15:00:00Z", "America/New_York", "Asia/Tokyo", "Fri 00:00 Tokyo (+1 day)"],
    ["2023-04-20T15:00:00Z", "America/New_York", "America/Los_Angeles", "Thu 08:00 Los Angeles"],
    ["2023-04-20T09:00:00Z", "America/New_York", "Pacific/Honolulu", "Wed 23:00 Honolulu (-1 day)"],
    ["2023-04-20T03:00:00Z", "Asia/Tokyo", "America/Los_Angeles", "Wed 20:00 Los Angeles (-1 day)"],
    ["2023-12-14T16:00:00Z", "America/New_York", "Europe/Berlin", "Thu 17:00 Berlin"],
    ["2023-06-01T10:30:00Z", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Wed 23:30 Pago Pago (-2 days)"],
  ])("at %s from %s, %s reads %s", (iso, reference, zone, expected) => {
    const [, display] = zoneTimes(at(iso), reference, [zone]);
    expect(display && renderZoneTime(display)).toBe(expected);
  });

  it("renders the reference line without a day shift", () => {
    const [reference] = zoneTimes(cabalStart, "America/New_York", []);
    expect(reference && renderZoneTime(reference)).toBe("Thu 11:00 New York");
  });

  it("follows summer and winter time", () => {
    const winter = zoneTimes(at("2023-12-19T16:00:00Z"), "America/New_York", ["Europe/London", "Australia/Sydney"]);
    expect(winter.map((t) => `${t.time} ${t.abbreviation} ${t.utcOffset}`)).toEqual([
      "11:00 EST UTC-5",
      "16:00 GMT UTC",
      "03:00 GMT+11 UTC+11",
    ]);
  });
});

describe("renderZoneTime", () => {
  const base: ZoneTime = {
    zone: "Asia/Tokyo",
    place: "Tokyo",
    weekday: "Fri",
    date: "2023-04-21",
    time: "00:00",
    abbreviation: "GMT+9",
    utcOffset: "UTC+9",
    dayShift: 0,
  };
  it.each([
    [0, "Fri 00:00 Tokyo"],
    [1, "Fri 00:00 Tokyo (+1 day)"],
    [-1, "Fri 00:00 Tokyo (-1 day)"],
    [2, "Fri 00:00 Tokyo (+2 days)"],
  ])("day shift %i", (dayShift, expected) => {
    expect(renderZoneTime({ ...base, dayShift })).toBe(expected);
  });
});

describe("formatUtcOffset", () => {
  it.each([
    [0, "UTC"],
    [-4 * 3_600_000, "UTC-4"],
    [5.5 * 3_600_000, "UTC+5:30"],
    [5.75 * 3_600_000, "UTC+5:45"],
    [-3.5 * 3_600_000, "UTC-3:30"],
    [12.75 * 3_600_000, "UTC+12:45"],
    [14 * 3_600_000, "UTC+14"],
  ])("%i ms is %s", (offset, expected) => {
    expect(formatUtcOffset(offset)).toBe(expected);
  });
});

describe("renderMeetingHeadline", () => {
  it.each([
    ["2023-04-20T15:00:00Z", "America/New_York", "Thursday, April 20, 2023, 11:00 EDT (UTC-4)"],
    ["2023-12-19T16:00:00Z", "America/New_York", "Tuesday, December 19, 2023, 11:00 EST (UTC-5)"],
    ["2024-01-05T09:00:00Z", "Europe/London", "Friday, January 5, 2024, 09:00 GMT (UTC)"],
    ["2023-04-20T15:00:00Z", "Asia/Kolkata", "Thursday, April 20, 2023, 20:30 UTC+5:30"],
    ["2026-03-08T07:30:00Z", "America/New_York", "Sunday, March 8, 2026, 03:30 EDT (UTC-4)"],
    ["2026-11-01T05:30:00Z", "America/New_York", "Sunday, November 1, 2026, 01:30 EDT (UTC-4)"],
    ["2026-11-01T06:30:00Z", "America/New_York", "Sunday, November 1, 2026, 01:30 EST (UTC-5)"],
  ])("%s in %s", (iso, zone, expected) => {
    expect(renderMeetingHeadline(at(iso), zone)).toBe(expected);
  });

  it("never repeats the wrong label the Podman notes once had (EDT is UTC-4)", () => {
    expect(renderMeetingHeadline(cabalStart, "America/New_York")).not.toContain("UTC-5");
  });
});
