// From parsed notes to what the bot announces: topics with deep links, dates cross-checked against the schedule,
// and the "Possible Topics" to carry into the next meeting's agenda. Pure: the caller gives the meetings.
import { checkTopicTitle } from "./agenda.js";
import { nextOccurrence, occurrenceOn, scheduledDatesAround } from "./calendar.js";
import type { LocalDate, Meeting, Occurrence } from "./meeting.js";
import { parseIsoDate } from "./notes/calendar.js";
import { type ParsedNotes, recordingLinkAt, type WrittenDate } from "./notes/parse-notes.js";
import { correctionFor, reconcileWrittenDate } from "./notes/written-dates.js";
import { clipText } from "./text.js";

/** The notes URL of an occurrence: `{date}` = local `YYYY-MM-DD`; `{yyyy}`, `{mm}`, `{dd}` its parts. */
export function expandNotesUrl(template: string, date: LocalDate): string {
  const [yyyy = "", mm = "", dd = ""] = date.split("-");
  return template.replace(/\{(date|yyyy|mm|dd)\}/g, (_whole, name: string) =>
    name === "date" ? date : name === "yyyy" ? yyyy : name === "mm" ? mm : dd,
  );
}

/** Marker of an occurrence's notes announcement, carried in the chat message's metadata. */
export function notesMarker(meetingId: string, date: LocalDate): string {
  return `notes:${meetingId}:${date}`;
}

export interface SummaryTopic {
  title: string;
  owners: string[];
  recordingAt?: string;
}

export interface TopicToImport {
  meetingId: string;
  occurrenceDate: LocalDate;
  title: string;
  /** Who the notes name, or "" when nobody. */
  owner: string;
}

export interface NotesSummary {
  topics: SummaryTopic[];
  recordingUrl?: string;
  /** Sentences about dates the notes got wrong. */
  corrections: string[];
  /** The next occurrence of the same meeting, as the notes (cross-checked) or else the schedule give it. */
  next?: Occurrence;
  /** Possible topics for next meetings, deduplicated, in the order the notes list them. */
  toImport: TopicToImport[];
}

const MAX_TOPICS = 40;
const MAX_TITLE_CHARS = 300;
/** How far from the expected date a written next-meeting date is looked for (bimonthly meetings). */
const NEXT_MEETING_WINDOW_DAYS = 70;

/** Undefined when the notes could not be understood: the announcement says "summary unavailable". */
export function summarizeNotes(
  parsed: ParsedNotes,
  context: { meeting: Meeting; occurrence: Occurrence; meetings: Meeting[] },
): NotesSummary | undefined {
  if (!parsed.understood) return undefined;
  const { meeting, occurrence } = context;
  const recordingUrl =
    parsed.recordingUrl && /^https?:\/\//i.test(parsed.recordingUrl) ? parsed.recordingUrl : undefined;
  const topics = parsed.topics.slice(0, MAX_TOPICS).map((topic): SummaryTopic => {
    const at =
      recordingUrl !== undefined && topic.videoOffsetSeconds !== undefined
        ? recordingLinkAt(recordingUrl, topic.videoOffsetSeconds)
        : undefined;
    return { title: clip(topic.title), owners: topic.owners.map(clip), ...(at ? { recordingAt: at } : {}) };
  });

  const corrections: string[] = [];
  if (parsed.meetingDate) {
    const result = reconcileWrittenDate(parsed.meetingDate, [occurrence.date], Number(occurrence.date.slice(0, 4)));
    if (result.date !== occurrence.date) {
      corrections.push(`Meeting date: ${dateCorrection(parsed.meetingDate, occurrence.date)}.`);
    } else if (result.correction) {
      corrections.push(`Meeting date: ${result.correction}.`);
    }
  }

  const afterThis = new Date(occurrence.start.getTime() + 1);
  const toImport: TopicToImport[] = [];
  const seen = new Set<string>();
  const addImports = (target: Meeting, date: LocalDate, list: { title: string; owner?: string }[]) => {
    for (const possible of list) {
      // The same rules as a topic proposed in chat: whitespace collapsed, 1 to 300 characters.
      const check = checkTopicTitle(possible.title);
      if (!check.ok) continue;
      const title = check.title;
      const key = `${target.id}\u0000${date}\u0000${title.toLowerCase()}`;
      if (seen.has(key)) continue;
      seen.add(key);
      toImport.push({ meetingId: target.id, occurrenceDate: date, title, owner: possible.owner?.trim() ?? "" });
    }
  };

  let next: Occurrence | undefined;
  for (const mention of parsed.nextMeetings) {
    const target = resolveMeeting(mention.kind, meeting, parsed.kind, context.meetings);
    if (!target) continue;
    const expected = nextOccurrence(target, afterThis);
    if (!expected) continue;
    const candidates = scheduledDatesAround(target, expected.date, NEXT_MEETING_WINDOW_DAYS);
    const result = reconcileWrittenDate(mention.written, candidates, Number(expected.date.slice(0, 4)));
    const scheduled = result.date !== undefined && candidates.includes(result.date) ? result.date : undefined;
    if (scheduled && result.correction) corrections.push(`Next ${target.title}: ${result.correction}.`);
    const named = scheduled && scheduled > occurrence.date ? occurrenceOn(target, scheduled) : undefined;
    const nextOfTarget = named ?? expected;
    if (target.id === meeting.id && next === undefined) next = nextOfTarget;
    if (mention.possibleTopics?.length) addImports(target, nextOfTarget.date, mention.possibleTopics);
  }
  next ??= nextOccurrence(meeting, afterThis);
  // Possible topics not listed under a "Next meeting" line are for the next meeting of the same kind.
  if (parsed.possibleTopics.length && next) addImports(meeting, next.date, parsed.possibleTopics);

  return {
    topics,
    ...(recordingUrl ? { recordingUrl } : {}),
    corrections,
    ...(next ? { next } : {}),
    toImport,
  };
}

/** "same" → this meeting; "community"/"cabal" → the configured meeting with that id (or this one, if it is that kind). */
function resolveMeeting(
  kind: "same" | "community" | "cabal",
  meeting: Meeting,
  notesKind: "community" | "cabal" | undefined,
  meetings: Meeting[],
): Meeting | undefined {
  if (kind === "same") return meeting;
  return meetings.find((m) => m.id === kind) ?? (notesKind === kind ? meeting : undefined);
}

function clip(text: string): string {
  return clipText(text, MAX_TITLE_CHARS);
}

/** For a meeting date the schedule cannot explain: the occurrence these notes were published for wins. */
function dateCorrection(written: WrittenDate, scheduled: LocalDate): string {
  const date = parseIsoDate(scheduled);
  return date ? correctionFor(written, date) : `the notes say "${written.text}"`;
}

/**
 * Whether the notes covered an agenda topic: its words appear, in order, in one of the notes' topic titles (or
 * that title's words in it), ignoring case and punctuation; "Release plan" is covered by "Release plan for 5.0".
 */
export function topicCovered(agendaTitle: string, notesTitles: string[]): boolean {
  const wanted = comparableWords(agendaTitle);
  if (wanted.trim() === "") return false;
  return notesTitles.some((title) => {
    const written = comparableWords(title);
    return written.trim() !== "" && (written.includes(wanted) || wanted.includes(written));
  });
}

/** " release plan for 5 0 ": lower case, letters and digits only, padded so `includes` matches whole words. */
function comparableWords(text: string): string {
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  return ` ${words.join(" ")} `;
}
