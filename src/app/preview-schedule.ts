// `cabalbot preview`: what the bot will send in the coming days, worked out from the configuration alone with the
// same calendar functions the scheduler uses (the store is not read: a reminder still to come cannot have gone out).
import { dueReminders } from "../domain/due-reminders.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import { notesPollWindows } from "../domain/notes-polling.js";
import type { BotDeps } from "./deps.js";

const DAY_MS = 86_400_000;
export const PREVIEW_MAX_DAYS = 366;

export type PlannedItem =
  | {
      kind: "reminder";
      /** When the reminder falls due. */
      at: Date;
      meeting: Meeting;
      occurrence: Occurrence;
      leadMs: number;
    }
  | {
      kind: "notes-polling";
      /** When polling for the occurrence's notes starts (the occurrence's start; may be before the preview's start). */
      at: Date;
      /** When it stops at the latest (the notes are announced as soon as they are found). */
      until: Date;
      meeting: Meeting;
      occurrence: Occurrence;
      pollEveryMs: number;
    };

export interface SchedulePreview {
  from: Date;
  until: Date;
  days: number;
  /** Ascending by `at`, then by meeting id. */
  items: PlannedItem[];
}

/** Every reminder due in (now, now + days] and every notes poll window open during it, in time order. */
export function previewSchedule(deps: Pick<BotDeps, "config" | "clock">, days: number): SchedulePreview {
  if (!Number.isInteger(days) || days < 1 || days > PREVIEW_MAX_DAYS) {
    throw new RangeError(`days must be a whole number from 1 to ${PREVIEW_MAX_DAYS}`);
  }
  const { meetings } = deps.config.current();
  const from = deps.clock.now();
  const until = new Date(from.getTime() + days * DAY_MS);
  // Each reminder goes out at its own due instant; `superseded` only matters when several fall due in one tick.
  const reminders: PlannedItem[] = dueReminders(meetings, from, until).map((due) => ({
    kind: "reminder",
    at: due.dueAt,
    meeting: due.meeting,
    occurrence: due.occurrence,
    leadMs: due.offsetMs,
  }));
  const polls: PlannedItem[] = meetings.flatMap((meeting) => {
    const notes = meeting.notes;
    if (!notes) return [];
    return notesPollWindows(meeting, from, until).map((window) => ({
      kind: "notes-polling" as const,
      at: window.opensAt,
      until: window.closesAt,
      meeting,
      occurrence: window.occurrence,
      pollEveryMs: notes.pollEveryMs,
    }));
  });
  const items = [...reminders, ...polls].sort(
    (a, b) => a.at.getTime() - b.at.getTime() || compareText(a.meeting.id, b.meeting.id),
  );
  return { from, until, days, items };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
