// Which reminders fall due: each (meeting occurrence, offset) whose due instant (start − offset) has come.
// Pure: the caller brings the meetings, the window and "now"; the store decides what was already done.
import { occurrencesBetween } from "./calendar.js";
import type { Meeting, Occurrence } from "./meeting.js";

/** A reminder going out more than this after its due instant says that it is late. */
export const LATE_GRACE_MS = 60_000;

export interface DueReminder {
  meeting: Meeting;
  occurrence: Occurrence;
  offsetMs: number;
  /** start − offset. */
  dueAt: Date;
  /** A smaller offset of the same occurrence is due too: posting this one as well would only repeat it. */
  superseded: boolean;
}

export type ReminderTiming = "on-time" | "late" | "missed";

/**
 * Every reminder due in (windowStart, now], ascending by due instant (then by meeting id). Reminders of
 * occurrences that have already started are included (the caller drops and logs them: see `reminderTiming`).
 * Only occurrences that can have a reminder in the window are expanded, so a tick over many meetings is cheap.
 */
export function dueReminders(meetings: readonly Meeting[], windowStart: Date, now: Date): DueReminder[] {
  const fromMs = windowStart.getTime();
  const nowMs = now.getTime();
  const out: DueReminder[] = [];
  if (nowMs <= fromMs) return out;
  for (const meeting of meetings) {
    const offsets = meeting.remindersMs;
    if (offsets.length === 0) continue;
    let largest = 0;
    let smallest = Number.POSITIVE_INFINITY;
    for (const offset of offsets) {
      if (offset > largest) largest = offset;
      if (offset < smallest) smallest = offset;
    }
    // due = start − offset ∈ (from, now]  ⇒  start ∈ (from + smallest, now + largest].
    const occurrences = occurrencesBetween(meeting, new Date(fromMs + smallest + 1), new Date(nowMs + largest + 1));
    for (const occurrence of occurrences) {
      const startMs = occurrence.start.getTime();
      const dueHere = offsets.filter((offset) => startMs - offset > fromMs && startMs - offset <= nowMs);
      if (dueHere.length === 0) continue;
      const smallestDue = Math.min(...dueHere);
      for (const offset of dueHere) {
        out.push({
          meeting,
          occurrence,
          offsetMs: offset,
          dueAt: new Date(startMs - offset),
          superseded: offset !== smallestDue,
        });
      }
    }
  }
  out.sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compareText(a.meeting.id, b.meeting.id));
  return out;
}

/**
 * On time while within the grace after its due instant; late after that; missed once the meeting has started
 * (a reminder for a meeting in progress or over is never posted).
 */
export function reminderTiming(
  due: Pick<DueReminder, "occurrence" | "dueAt">,
  now: Date,
  graceMs = LATE_GRACE_MS,
): ReminderTiming {
  const nowMs = now.getTime();
  if (nowMs >= due.occurrence.start.getTime()) return "missed";
  return nowMs - due.dueAt.getTime() > graceMs ? "late" : "on-time";
}

/** The largest reminder offset of any meeting: how far back a tick must look to find every missed reminder. */
export function largestReminderOffset(meetings: readonly Meeting[]): number {
  let largest = 0;
  for (const meeting of meetings) for (const offset of meeting.remindersMs) if (offset > largest) largest = offset;
  return largest;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** A smaller offset of the same occurrence has fallen due by `now` too: posting this one would only repeat it. */
export function supersededBy(due: Pick<DueReminder, "meeting" | "occurrence" | "offsetMs">, now: Date): boolean {
  const startMs = due.occurrence.start.getTime();
  return due.meeting.remindersMs.some((offset) => offset < due.offsetMs && startMs - offset <= now.getTime());
}
