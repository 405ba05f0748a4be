// Which occurrences' notes are looked for, and when: polling for an occurrence's notes starts when it starts and
// stops after the meeting's lookback, or earlier once newer occurrences have taken its place.
import { occurrencesBetween, occurrencesFrom } from "./calendar.js";
import type { Meeting, Occurrence } from "./meeting.js";

/** Only the latest few occurrences of a meeting are polled: a daily meeting must not mean 14 requests a tick. */
export const RECENT_OCCURRENCES = 3;

/** The occurrences whose notes are looked for at `now`, newest first. */
export function polledOccurrences(meeting: Meeting, now: Date): Occurrence[] {
  const lookbackMs = meeting.notes?.lookbackMs;
  if (lookbackMs === undefined) return [];
  return occurrencesBetween(meeting, new Date(now.getTime() - lookbackMs), new Date(now.getTime() + 1))
    .slice(-RECENT_OCCURRENCES)
    .reverse();
}

export interface NotesPollWindow {
  occurrence: Occurrence;
  /** Polling starts here (the occurrence's start)… */
  opensAt: Date;
  /** …and has stopped by here: `polledOccurrences(now)` holds the occurrence exactly for opensAt ≤ now < closesAt. */
  closesAt: Date;
}

/** The poll windows open at some instant of [from, until], by opening time. */
export function notesPollWindows(meeting: Meeting, from: Date, until: Date): NotesPollWindow[] {
  const lookbackMs = meeting.notes?.lookbackMs;
  if (lookbackMs === undefined) return [];
  const fromMs = from.getTime();
  const untilMs = until.getTime();
  // An occurrence that started within a lookback before `from` may still be polled then.
  const starts: Occurrence[] = [];
  const windows: NotesPollWindow[] = [];
  for (const occurrence of occurrencesFrom(meeting, new Date(fromMs - lookbackMs))) {
    starts.push(occurrence);
    // The window of the occurrence RECENT_OCCURRENCES back is now complete: it closes at this start at the latest.
    const older = starts[starts.length - 1 - RECENT_OCCURRENCES];
    if (older) windows.push(windowOf(older, lookbackMs, occurrence.start));
    if (occurrence.start.getTime() > untilMs + lookbackMs) break;
  }
  for (const occurrence of starts.slice(-RECENT_OCCURRENCES)) windows.push(windowOf(occurrence, lookbackMs));
  return windows.filter(
    (window) =>
      window.opensAt.getTime() <= untilMs &&
      window.closesAt.getTime() > fromMs &&
      window.closesAt.getTime() > window.opensAt.getTime(),
  );
}

function windowOf(occurrence: Occurrence, lookbackMs: number, displacedAt?: Date): NotesPollWindow {
  const lapse = occurrence.start.getTime() + lookbackMs;
  const closesMs = displacedAt ? Math.min(lapse, displacedAt.getTime()) : lapse;
  return { occurrence, opensAt: occurrence.start, closesAt: new Date(closesMs) };
}
