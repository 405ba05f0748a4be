// Whether a meeting still runs, is on right now, or has ended (its schedule gives no further date).
import { nextOccurrence, previousOccurrence } from "../domain/calendar.js";
import type { CommunityConfig, Meeting, Occurrence } from "../domain/meeting.js";

/** A meeting whose schedule has ended: when it last met, and what took its place when the config says. */
export interface MeetingEnded {
  kind: "ended";
  meeting: Meeting;
  /** Absent when the schedule never gave a date. */
  lastOccurrence?: Occurrence;
  replacedBy?: { meeting: Meeting; next?: Occurrence };
  /** The config's `endedNote`. */
  note?: string;
}

export function meetingEnded(config: CommunityConfig, meeting: Meeting, now: Date): MeetingEnded {
  const replacement = meeting.replacedBy ? config.meetings.find((m) => m.id === meeting.replacedBy) : undefined;
  return {
    kind: "ended",
    meeting,
    lastOccurrence: previousOccurrence(meeting, now),
    ...(replacement ? { replacedBy: { meeting: replacement, next: nextOccurrence(replacement, now) } } : {}),
    ...(meeting.endedNote ? { note: meeting.endedNote } : {}),
  };
}

/** The meetings whose schedule still gives a date after `now`, in configured order. */
export function runningMeetings(config: CommunityConfig, now: Date): Meeting[] {
  return config.meetings.filter((meeting) => nextOccurrence(meeting, now) !== undefined);
}

/** The occurrence in progress at `now` (started, not yet over), if any. */
export function occurrenceInProgress(meeting: Meeting, now: Date): Occurrence | undefined {
  const started = previousOccurrence(meeting, new Date(now.getTime() + 1));
  if (!started) return undefined;
  return started.start.getTime() + meeting.durationMinutes * 60_000 > now.getTime() ? started : undefined;
}

export function occurrenceEnd(meeting: Meeting, occurrence: Occurrence): Date {
  return new Date(occurrence.start.getTime() + meeting.durationMinutes * 60_000);
}
