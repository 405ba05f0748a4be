// Rendering an instant for people. Zone labels always come from the zone database, never from text people wrote.
import { BoundedMemo } from "./bounded-memo.js";
import { instantToLocal, zoneOffsetMs } from "./calendar.js";
import { formatLongDate, formatWeekdayShort, parseLocalDateDays } from "./local-date.js";
import type { LocalDate, LocalTime } from "./meeting.js";

export interface ZoneTime {
  zone: string;
  /** Last segment of the zone name, underscores as spaces: "New York", "Kolkata". */
  place: string;
  /** "Thu". */
  weekday: string;
  date: LocalDate;
  time: LocalTime;
  /** Intl's en-US short name: "EDT", "GMT+5:30". */
  abbreviation: string;
  /** "UTC-4", "UTC+5:30", "UTC". */
  utcOffset: string;
  /** This zone's local date minus the reference zone's: -1, 0, +1 (±2 between the extreme zones). */
  dayShift: number;
}

const nameFormatters = new Map<string, Intl.DateTimeFormat>();

/** The zone database's short name for the zone at the instant, as Intl gives it in en-US. */
function zoneAbbreviation(instant: Date, timeZone: string): string {
  let formatter = nameFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" });
    nameFormatters.set(timeZone, formatter);
  }
  return formatter.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value ?? "";
}

/** "UTC", "UTC-4", "UTC+5:30" for an offset in milliseconds. */
export function formatUtcOffset(offsetMs: number): string {
  const totalMinutes = Math.round(offsetMs / 60_000);
  if (totalMinutes === 0) return "UTC";
  const sign = totalMinutes < 0 ? "-" : "+";
  const hours = Math.floor(Math.abs(totalMinutes) / 60);
  const minutes = Math.abs(totalMinutes) % 60;
  return `UTC${sign}${hours}${minutes === 0 ? "" : `:${String(minutes).padStart(2, "0")}`}`;
}

function placeOf(zone: string): string {
  return (zone.split("/").pop() ?? zone).replace(/_/g, " ");
}

function zoneTime(instant: Date, zone: string, referenceDate: LocalDate | undefined): ZoneTime {
  const local = instantToLocal(instant, zone);
  const shift =
    referenceDate === undefined ? 0 : (parseLocalDateDays(local.date) ?? 0) - (parseLocalDateDays(referenceDate) ?? 0);
  return {
    zone,
    place: placeOf(zone),
    weekday: formatWeekdayShort(local.date),
    date: local.date,
    time: local.time,
    abbreviation: zoneAbbreviation(instant, zone),
    utcOffset: formatUtcOffset(zoneOffsetMs(zone, instant.getTime())),
    dayShift: shift,
  };
}

/**
 * Readings already rendered, by instant and zones: every reply and reminder shows the same few next occurrences in
 * the same zones, and reading a zone's name from Intl (formatToParts) was the costliest part of a reply.
 */
const renderedZoneTimes = new BoundedMemo<string, readonly ZoneTime[]>(4_096);
const renderedHeadlines = new BoundedMemo<string, string>(4_096);

/** The instant in the reference zone first, then in each display zone (the reference zone only once). */
export function zoneTimes(instant: Date, referenceZone: string, displayZones: string[]): ZoneTime[] {
  const key = `${instant.getTime()}\n${referenceZone}\n${displayZones.join("\n")}`;
  // A copy of the remembered list, so a caller's change never reaches the next one.
  return [...renderedZoneTimes.get(key, () => computeZoneTimes(instant, referenceZone, displayZones))];
}

function computeZoneTimes(instant: Date, referenceZone: string, displayZones: string[]): ZoneTime[] {
  const reference = zoneTime(instant, referenceZone, undefined);
  const out = [reference];
  const seen = new Set([referenceZone]);
  for (const zone of displayZones) {
    if (seen.has(zone)) continue;
    seen.add(zone);
    out.push(zoneTime(instant, zone, reference.date));
  }
  return out;
}

/** "Fri 00:00 Tokyo (+1 day)", "Thu 08:00 Los Angeles". */
export function renderZoneTime(t: ZoneTime): string {
  const base = `${t.weekday} ${t.time} ${t.place}`;
  if (t.dayShift === 0) return base;
  const sign = t.dayShift > 0 ? "+" : "-";
  const days = Math.abs(t.dayShift);
  return `${base} (${sign}${days} day${days === 1 ? "" : "s"})`;
}

/**
 * "Thursday, April 20, 2023, 11:00 EDT (UTC-4)". Where the zone database has no letters for the zone
 * (Intl says "GMT+5:30"), the UTC offset alone is shown: "11:00 UTC+5:30".
 */
export function renderMeetingHeadline(instant: Date, meetingZone: string): string {
  return renderedHeadlines.get(`${instant.getTime()}\n${meetingZone}`, () => computeHeadline(instant, meetingZone));
}

function computeHeadline(instant: Date, meetingZone: string): string {
  const local = instantToLocal(instant, meetingZone);
  const offset = formatUtcOffset(zoneOffsetMs(meetingZone, instant.getTime()));
  const abbreviation = zoneAbbreviation(instant, meetingZone);
  const label = /^GMT[+-]/.test(abbreviation) || abbreviation === "" ? offset : `${abbreviation} (${offset})`;
  return `${formatLongDate(local.date)}, ${local.time} ${label}`;
}
