// Short readings of an instant for answers: "11:00 EST (UTC-5)", "Fri, Nov 27, 01:00 Tokyo time (UTC+9)".
import { formatMonthDay } from "./local-date.js";
import { zoneTimes } from "./time-render.js";

/** "11:00 EST (UTC-5)"; where the zone database has no letters for the zone, "01:00 UTC+9". */
export function clockInZone(instant: Date, zone: string): string {
  const [t] = zoneTimes(instant, zone, []);
  if (!t) return "";
  const lettered = t.abbreviation !== "" && !/^GMT[+-]/.test(t.abbreviation);
  return lettered ? `${t.time} ${t.abbreviation} (${t.utcOffset})` : `${t.time} ${t.utcOffset}`;
}

/** "01:00 Tokyo time (UTC+9)": for a zone named by its place. */
export function clockAtPlace(instant: Date, zone: string): string {
  const [t] = zoneTimes(instant, zone, []);
  return t ? `${t.time} ${t.place} time (${t.utcOffset})` : "";
}

/** "Fri, Nov 27, 01:00 Tokyo time (UTC+9)". */
export function dayAndClockAtPlace(instant: Date, zone: string): string {
  const [t] = zoneTimes(instant, zone, []);
  return t ? `${t.weekday}, ${formatMonthDay(t.date)}, ${t.time} ${t.place} time (${t.utcOffset})` : "";
}

/** "Tokyo" for Asia/Tokyo, "New York" for America/New_York. */
export function placeOfZone(zone: string): string {
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

/**
 * How one of today's meetings stands, in words: "at 11:00 EST (UTC-5) (08:00 Los Angeles)", "is on now, since …",
 * "was at …; it is over". `viewerZone` adds the asker's own clock when it differs from the meeting's zone.
 */
export function todayMeetingStatus(
  state: "over" | "on-now" | "later",
  start: Date,
  meetingZone: string,
  viewerZone: string | undefined,
): string {
  const at = clockInZone(start, meetingZone);
  const yours = viewerZone && viewerZone !== meetingZone ? ` (${clockAtPlace(start, viewerZone)})` : "";
  if (state === "over") return `was at ${at}${yours}; it is over`;
  if (state === "on-now") return `is on now, since ${at}${yours}`;
  return `at ${at}${yours}`;
}
