// Which meetings can have a reminder due soonest: a min-heap of each meeting's next reminder-due instant, so a
// tick asks only the meetings whose instant has come instead of expanding every meeting's calendar.
// Pure: built from the meetings and an instant, advanced by the instants the caller brings.
import { occurrencesFrom } from "./calendar.js";
import { type DueReminder, dueReminders } from "./due-reminders.js";
import type { Meeting } from "./meeting.js";

interface Entry {
  meeting: Meeting;
  /** The meeting's first reminder due strictly after the index's cursor. */
  dueMs: number;
}

/**
 * Every reminder due in (cursor, now], meeting by meeting, with the cursor moving forward on each `takeDue`.
 * Hand-written heap: the npm heaps are either unmaintained or far larger than the 30 lines a binary heap of
 * (instant, meeting) pairs needs.
 */
export class DueIndex {
  private readonly heap: Entry[] = [];
  private cursor: number;

  /** Indexes the reminders due after `from` (exclusive). */
  constructor(meetings: readonly Meeting[], from: Date) {
    this.cursor = from.getTime();
    for (const meeting of meetings) {
      const dueMs = nextReminderDueAfter(meeting, this.cursor);
      if (dueMs !== undefined) this.heap.push({ meeting, dueMs });
    }
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** The instant up to which reminders have been taken. */
  get cursorMs(): number {
    return this.cursor;
  }

  /** The soonest reminder-due instant not yet taken, if any meeting has one. */
  get nextDueMs(): number | undefined {
    return this.heap[0]?.dueMs;
  }

  /**
   * The reminders due in (cursor, now], ascending by due instant then meeting id (as `dueReminders` gives them),
   * and the cursor moves to `now`. Costs nothing beyond a comparison while nothing is due.
   */
  takeDue(now: Date): DueReminder[] {
    const nowMs = now.getTime();
    if (nowMs <= this.cursor) return [];
    const from = new Date(this.cursor);
    const ready: Meeting[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Entry).dueMs <= nowMs) {
      const top = this.heap[0] as Entry;
      ready.push(top.meeting);
      const next = nextReminderDueAfter(top.meeting, nowMs);
      if (next === undefined) {
        const last = this.heap.pop() as Entry;
        if (this.heap.length > 0) this.heap[0] = last;
      } else {
        top.dueMs = next;
      }
      this.siftDown(0);
    }
    this.cursor = nowMs;
    // No due instant of these meetings lies in (from, entry's instant), so the window from the old cursor is exact.
    return ready.length === 0 ? [] : dueReminders(ready, from, now);
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && (heap[left] as Entry).dueMs < (heap[smallest] as Entry).dueMs) smallest = left;
      if (right < heap.length && (heap[right] as Entry).dueMs < (heap[smallest] as Entry).dueMs) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as Entry, heap[i] as Entry];
      i = smallest;
    }
  }
}

/** The first instant after `afterMs` (exclusive) at which one of the meeting's reminders falls due. */
export function nextReminderDueAfter(meeting: Meeting, afterMs: number): number | undefined {
  const offsets = meeting.remindersMs;
  if (offsets.length === 0) return undefined;
  const smallest = Math.min(...offsets);
  const largest = Math.max(...offsets);
  let best: number | undefined;
  // due = start − offset > after  ⇒  start > after + smallest; later starts only give later dues once
  // start − largest passes the best found.
  for (const occurrence of occurrencesFrom(meeting, new Date(afterMs + smallest + 1))) {
    const startMs = occurrence.start.getTime();
    if (best !== undefined && startMs - largest >= best) break;
    for (const offset of offsets) {
      const dueMs = startMs - offset;
      if (dueMs > afterMs && (best === undefined || dueMs < best)) best = dueMs;
    }
  }
  return best;
}
