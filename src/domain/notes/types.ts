// The shapes parseNotes returns. Kept apart so written-dates.ts can use WrittenDate without importing the parser.

/** A date as the notes wrote it: nothing is corrected here (see reconcileWrittenDate). */
export interface WrittenDate {
  /** The words as written, e.g. "Tuesday February 2, 2020". */
  text: string;
  year?: number;
  /** 1-12 */
  month: number;
  day: number;
  /** 0 = Sunday, as written (may disagree with the date). */
  weekday?: number;
}

export interface NotesTopic {
  title: string;
  owners: string[];
  /** Where the topic starts in the recording, as the notes say. */
  videoOffsetSeconds?: number;
}

export interface PossibleTopic {
  title: string;
  owner?: string;
}

export interface NextMeetingMention {
  /** "same" for a plain "Next Meeting:" line: the next meeting of the kind these notes are about. */
  kind: "same" | "community" | "cabal";
  written: WrittenDate;
  /** The "Possible Topics" listed under this mention, when the notes list any. */
  possibleTopics?: PossibleTopic[];
}

export interface ParsedNotes {
  kind?: "community" | "cabal";
  title?: string;
  meetingDate?: WrittenDate;
  topics: NotesTopic[];
  recordingUrl?: string;
  nextMeetings: NextMeetingMention[];
  /** Proposed topics for the next meeting of the same kind. */
  possibleTopics: PossibleTopic[];
  /** False when nothing recognisable was found. */
  understood: boolean;
}
