// From parsed notes to what the bot announces: topics with deep links, dates cross-checked against the schedule,
// and the "Possible Topics" to carry into the next meeting's agenda. Pure: the caller gives the meetings.
import { nextOccurrence, occurrenceOn, scheduledDatesAround } from "./calendar.js";
import type { LocalDate, Meeting, Occurrence } from "./meeting.js";
import { formatLongDate, isRealDate, MONTH_NAMES, parseIsoDate, toDayNumber, toIsoDate, WEEKDAY_NAMES, weekdayOf } from "./notes/calendar.js";
import { type ParsedNotes, recordingLinkAt, type WrittenDate } from "./notes/parse-notes.js";

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
  const recordingUrl = parsed.recordingUrl && /^https?:\/\//i.test(parsed.recordingUrl) ? parsed.recordingUrl : undefined;
  const topics = parsed.topics.slice(0, MAX_TOPICS).map((topic): SummaryTopic => {
    const at =
      recordingUrl !== undefined && topic.videoOffsetSeconds !== undefined
        ? recordingLinkAt(recordingUrl, topic.videoOffsetSeconds)
        : undefined;
    return { title: clip(topic.title), owners: topic.owners.map(clip), ...(at ? { recordingAt: at } : {}) };
  });

  const corrections: string[] = [];
  if (parsed.meetingDate) {
    const result = reconcileDate(parsed.meetingDate, [occurrence.date], Number(occurrence.date.slice(0, 4)));
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
      const title = possible.title.replace(/\s+/g, " ").trim();
      if (!title || [...title].length > MAX_TITLE_CHARS) continue;
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
    const result = reconcileDate(mention.written, candidates, Number(expected.date.slice(0, 4)));
    if (result.correction) corrections.push(`Next ${target.title}: ${result.correction}.`);
    const named = result.date !== undefined && result.date > occurrence.date ? occurrenceOn(target, result.date) : undefined;
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
  const chars = [...text];
  return chars.length <= MAX_TITLE_CHARS ? text : `${chars.slice(0, MAX_TITLE_CHARS - 1).join("")}…`;
}

// ---------------------------------------------------------------------------------------------------------------
// Written dates against the schedule

export interface ReconciledDate {
  /** The scheduled date meant, when one is clearly meant. */
  date?: LocalDate;
  /** "the notes say … — the schedule says …" when the written date had to be corrected. */
  correction?: string;
}

/**
 * Which of the scheduled `candidates` a written date means. Exact (and weekday right) → that date; a date that
 * differs from one candidate by a typo (one wrong part: year, month or day; or a day or two off; or the weekday
 * right and under a week off) → that candidate with a correction; otherwise nothing.
 */
export function reconcileDate(written: WrittenDate, candidates: LocalDate[], expectedYear: number): ReconciledDate {
  const year = written.year ?? expectedYear;
  const exact = isRealDate(year, written.month, written.day) ? toIsoDate({ year, month: written.month, day: written.day }) : undefined;
  if (exact && candidates.includes(exact)) {
    const weekdayRight = written.weekday === undefined || weekdayOf(year, written.month, written.day) === written.weekday;
    return weekdayRight ? { date: exact } : { date: exact, correction: dateCorrection(written, exact) };
  }
  const writtenDay = toDayNumber(year, written.month, written.day);
  let best: { date: LocalDate; distance: number } | undefined;
  for (const candidate of candidates) {
    const c = parseIsoDate(candidate);
    if (!c) continue;
    const differing = [c.year !== year, c.month !== written.month, c.day !== written.day].filter(Boolean).length;
    const distance = Math.abs(toDayNumber(c.year, c.month, c.day) - writtenDay);
    const weekdayMatches = written.weekday !== undefined && weekdayOf(c.year, c.month, c.day) === written.weekday;
    const typo = differing === 1 || distance <= 2 || (weekdayMatches && distance < 7);
    if (!typo) continue;
    // Prefer the nearest; a one-part typo (e.g. the year) counts as near.
    const score = differing === 1 ? Math.min(distance, 1) : distance;
    if (!best || score < best.distance) best = { date: candidate, distance: score };
  }
  return best ? { date: best.date, correction: dateCorrection(written, best.date) } : {};
}

function dateCorrection(written: WrittenDate, scheduled: LocalDate): string {
  const date = parseIsoDate(scheduled);
  if (!date) return `the notes say ${written.text}`;
  const says =
    written.year === undefined || written.year === date.year
      ? `${WEEKDAY_NAMES[weekdayOf(date.year, date.month, date.day)]}, ${MONTH_NAMES[date.month - 1]} ${date.day}`
      : formatLongDate(date);
  return `the notes say ${written.text} — the schedule says ${says}`;
}
