// Entry point of the notes parser: the types, parseNotes and recording deep links.

import { readNotes } from "./read-notes.js";
import type { ParsedNotes } from "./types.js";

export { recordingLinkAt } from "./recording-links.js";
export type { NextMeetingMention, NotesTopic, ParsedNotes, PossibleTopic, WrittenDate } from "./types.js";

/** Never throws: notes are free-form text written by people, and the caller must always get an answer. */
export function parseNotes(markdown: string): ParsedNotes {
  try {
    return readNotes(typeof markdown === "string" ? markdown : String(markdown));
  } catch {
    // A parser bug must not stop the announcement; the caller then says "summary unavailable".
    return { topics: [], nextMeetings: [], possibleTopics: [], understood: false };
  }
}
