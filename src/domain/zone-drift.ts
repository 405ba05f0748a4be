// Time-zone drift: where an occurrence starts at a different local time than the one before it (the US and the
// EU change clocks on different dates, so for a week or three a New York meeting moves in Berlin and back).
import { instantToLocal, previousOccurrence } from "./calendar.js";
import type { Meeting, Occurrence } from "./meeting.js";
import { placeOfZone } from "./zone-clock.js";

export interface ZoneDrift {
  zone: string;
  /** "Berlin" for Europe/Berlin. */
  place: string;
  /** This occurrence's local start minus the previous one's, in minutes; negative = earlier than last time. */
  minutes: number;
}

const MINUTES_PER_DAY = 24 * 60;

/**
 * The zones whose wall clock reads a different start time for `occurrence` than for `previous`, in the order the
 * zones were given. Only the time of day counts: an occurrence a week later at the same local time is no drift.
 */
export function zoneDrift(occurrence: Occurrence, previous: Occurrence | undefined, zones: string[]): ZoneDrift[] {
  if (!previous) return [];
  const drifts: ZoneDrift[] = [];
  for (const zone of new Set(zones)) {
    const now = minutesOfDay(instantToLocal(occurrence.start, zone).time);
    const before = minutesOfDay(instantToLocal(previous.start, zone).time);
    // The shorter way round the clock: 00:30 after 23:30 is one hour later, not 23 hours earlier.
    const minutes =
      ((((now - before) % MINUTES_PER_DAY) + MINUTES_PER_DAY * 1.5) % MINUTES_PER_DAY) - MINUTES_PER_DAY / 2;
    if (minutes !== 0) drifts.push({ zone, place: placeOfZone(zone), minutes });
  }
  return drifts;
}

/** Drifts already worked out, per meeting, occurrence object and zone list (finding the previous one is costly). */
const driftsOf = new WeakMap<Meeting, WeakMap<Occurrence, Map<string, ZoneDrift[]>>>();

/** How many earlier occurrences are looked through for one in the same slot (a meeting with several a week). */
const SLOT_LOOK_BACK = 14;

/**
 * The latest earlier occurrence that starts at the same local time in the meeting's own zone: a meeting held
 * Mondays at 10:00 and Thursdays at 11:00 compares Monday with Monday, or every occurrence would be "an hour
 * earlier" or "later" everywhere. None (no drift to tell) when the slot is new.
 */
function previousInSameSlot(meeting: Meeting, occurrence: Occurrence): Occurrence | undefined {
  let before = occurrence.start;
  for (let step = 0; step < SLOT_LOOK_BACK; step++) {
    const previous = previousOccurrence(meeting, before);
    if (!previous || previous.time === occurrence.time) return previous;
    before = previous.start;
  }
  return undefined;
}

/** The drift of an occurrence against the meeting's previous one at the same local time. */
export function driftSincePrevious(meeting: Meeting, occurrence: Occurrence, zones: string[]): ZoneDrift[] {
  let byOccurrence = driftsOf.get(meeting);
  if (!byOccurrence) {
    byOccurrence = new WeakMap();
    driftsOf.set(meeting, byOccurrence);
  }
  let byZones = byOccurrence.get(occurrence);
  if (!byZones) {
    byZones = new Map();
    byOccurrence.set(occurrence, byZones);
  }
  const key = zones.join("\n");
  let drifts = byZones.get(key);
  if (!drifts) {
    drifts = zoneDrift(occurrence, previousInSameSlot(meeting, occurrence), zones);
    byZones.set(key, drifts);
  }
  return drifts;
}

/** "1 hour earlier than last time in Berlin", "30 minutes later …": the words every renderer shares. */
export function describeDrift(drift: ZoneDrift): string {
  const size = Math.abs(drift.minutes);
  const hours = Math.floor(size / 60);
  const minutes = size % 60;
  const parts: string[] = [];
  if (hours) parts.push(`${hours} hour${hours === 1 ? "" : "s"}`);
  if (minutes) parts.push(`${minutes} minute${minutes === 1 ? "" : "s"}`);
  return `${parts.join(" ")} ${drift.minutes < 0 ? "earlier" : "later"} than last time in ${drift.place}`;
}

function minutesOfDay(time: string): number {
  const [hours = "0", minutes = "0"] = time.split(":");
  return Number(hours) * 60 + Number(minutes);
}
