// The meeting model shared by the whole core: what the config describes, after validation.

/** A local calendar date in the meeting's zone, `YYYY-MM-DD`. */
export type LocalDate = string;
/** A local wall-clock time, `HH:MM` (24 h). */
export type LocalTime = string;

/** One recurrence rule of a meeting's schedule, valid on local dates [from, until]. */
export interface ScheduleRule {
  /** RFC 5545 RRULE body without the `RRULE:` prefix, e.g. `FREQ=MONTHLY;BYDAY=3TH`. */
  rrule: string;
  /** First local date the rule applies to; also its DTSTART anchor (INTERVAL, COUNT count from here). */
  from?: LocalDate;
  /** Last local date the rule applies to (inclusive). */
  until?: LocalDate;
  /** Start time for this rule's occurrences; the meeting's `time` when absent. */
  time?: LocalTime;
}

export interface NotesSource {
  /** URL template of the raw notes: `{date}`, `{yyyy}`, `{mm}`, `{dd}`. */
  source: string;
  /** URL template posted to people; `source` when absent. */
  link?: string;
  pollEveryMs: number;
  lookbackMs: number;
}

/**
 * One place a meeting is held on one chat: `chat` names the chat adapter (opaque to the core), `room` is that
 * chat's id or alias of the room.
 */
export interface ChatRoom {
  chat: string;
  room: string;
}

/** A stable text form of a room, `chat:room`: part of claim keys and markers, so each destination is its own. */
export function roomKey(room: ChatRoom): string {
  return `${room.chat}:${room.room}`;
}

export interface Meeting {
  id: string;
  title: string;
  /** Where reminders and notes go, and where commands pick this meeting by default; at least one. */
  rooms: ChatRoom[];
  /** IANA zone the schedule is written in. */
  timezone: string;
  time: LocalTime;
  durationMinutes: number;
  schedule: ScheduleRule[];
  /** One-off extra occurrences, local `YYYY-MM-DDTHH:MM`. */
  dates: string[];
  /** Cancelled occurrences, local dates. */
  skip: LocalDate[];
  /** Offsets before the start, in milliseconds, largest first. */
  remindersMs: number[];
  joinUrl?: string;
  agendaUrl?: string;
  notes?: NotesSource;
  /** Once the schedule has ended: the id of the meeting that took its place. */
  replacedBy?: string;
  /** Once the schedule has ended: a sentence for people who still ask about it. */
  endedNote?: string;
}

/** One concrete meeting: a meeting on a local date, and the instant it starts. */
export interface Occurrence {
  meetingId: string;
  /** Local date in the meeting's zone: the occurrence's identity. */
  date: LocalDate;
  /** Local start time in the meeting's zone. */
  time: LocalTime;
  /** The UTC instant the meeting starts. */
  start: Date;
}

/** What a community configures: its meetings, the zones shown to everyone, and who may manage. */
export interface CommunityConfig {
  /** IANA zones every meeting time is also shown in. */
  displayZones: string[];
  /** Chat user ids (of any chat) allowed to remove any topic and announce notes by hand. */
  admins: string[];
  meetings: Meeting[];
}
