// What the use cases hand to chat adapters to render: plain data, no chat markup.
import type { RolloverReason } from "../domain/agenda.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import type { ZoneDrift } from "../domain/zone-drift.js";
import type { ChatUser, ScheduleChangeKind, Topic } from "./ports.js";

export interface UpcomingMeeting {
  meeting: Meeting;
  occurrence: Occurrence;
  /** The meeting's calendar feed ("Add to calendar"), when the bot's public URL is known. */
  calendarUrl?: string;
  /** Display zones where this occurrence starts at another local time than the previous one (clock changes). */
  drift?: ZoneDrift[];
}

export interface ReminderView extends UpcomingMeeting {
  /** How long before the start this reminder is meant to go out. */
  leadMs: number;
  /** True when it goes out after its due time (the bot was down). */
  late: boolean;
  topics: Topic[];
  displayZones: string[];
  /**
   * The proposers of the agenda's topics, to mention by name (each chat builds the mention from the stored id):
   * only in the last reminder before the meeting, and only in the meeting's rooms, never in a direct message.
   */
  mentions?: ChatUser[];
}

export interface RolloverNotice {
  meeting: Meeting;
  /** The occurrence the topics were proposed for. */
  fromDate: string;
  /** Why they moved; `not-covered`: the occurrence's notes did not cover them (carry-over). */
  reason: RolloverReason;
  to: Occurrence;
  titles: string[];
}

export interface NotesTopicView {
  title: string;
  owners: string[];
  /** Deep link into the recording at this topic, when the notes give a timestamp. */
  recordingAt?: string;
}

export interface NotesAnnouncementView extends UpcomingMeeting {
  /** The page people should open. */
  url: string;
  /** Absent when the notes could not be understood ("summary unavailable"). */
  summary?: {
    topics: NotesTopicView[];
    recordingUrl?: string;
    /** Sentences about dates the notes got wrong. */
    corrections: string[];
    /** Topics imported into the next meeting's agenda. */
    importedTopics: number;
    next?: Occurrence;
  };
  /** Announced by hand with `/cabal notes`. */
  byHand: boolean;
}

/** A subscriber or proposer told that an occurrence changed in a configuration reload. */
export interface ScheduleChangeNotice {
  meeting: Meeting;
  /** `cancelled`: `was` is off the schedule; `moved`: `was` now happens as `now`; `added`: `now` is a new date. */
  kind: ScheduleChangeKind;
  was?: Occurrence;
  now?: Occurrence;
  /** After a cancellation: the next occurrence still on the schedule, if any. */
  next?: Occurrence;
  /** The titles of the recipient's own topics on the changed occurrence (none for a subscriber who proposed none). */
  yourTopics: string[];
}
