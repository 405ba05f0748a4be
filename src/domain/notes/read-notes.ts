// Reads a Podman meeting's notes (hand-written markdown whose layout changed over the years) into the facts the
// bot announces. The notes follow no grammar, so this is heuristics over headings, list items and lines,
// written against the real notes in test/fixtures/podman-notes; regular expressions are used line by line.

import { findWrittenDate } from "./dates-in-text.js";
import {
  cleanInline,
  findLinks,
  findVideoTime,
  isPersonName,
  readOwnerList,
  splitTitleAndOwners,
  trimTrailingPunctuation,
  withoutVideoTime,
} from "./inline-text.js";
import { type Block, readBlocks } from "./markdown-blocks.js";
import type { NextMeetingMention, NotesTopic, ParsedNotes, PossibleTopic, WrittenDate } from "./types.js";

type HeadingRole =
  | "title"
  | "date"
  | "datedTopics"
  | "agenda"
  | "attendees"
  | "meta"
  | "recap"
  | "next"
  | "possible"
  | "timestamp"
  | "demo"
  | "notATopic"
  | "candidate"
  | "owner";

interface Heading {
  level: number;
  /** Cleaned text. */
  text: string;
  role: HeadingRole;
  /** Index of the heading in the kept blocks. */
  blockIndex: number;
}

// --- Patterns for whole headings / lines (after cleanInline) ---

// Pasted chat and transcripts: "BlueJeans Chat raw copy/paste:", "Raw Google Meet Transcription", "Raw Transcript".
const RAW_HEADING = /^(?:raw\b.*|.*\b(?:chat|transcripts?|transcription)(?:\s+raw)?(?:\s+copy\s*\/\s*paste)?\s*:?)$/i;
const RAW_LINE =
  /^raw\s+[\p{L}\s]{0,40}(?::|\b(?:chat|transcripts?|transcription))$|^(?:[\p{L}]+\s+){0,3}(?:chat|transcript|transcription)\s*:$/iu;
const NEXT_MEETING = /^next\s+(?:(cabal|community)\s+)?meeting\b\s*(:)?(.*)$/i;
const POSSIBLE_TOPICS = /^(?:(?:possible|proposed|suggested)\s+topics\b|topics\s+for\s+(?:the\s+)?next\s+meeting\b)/i;
const AGENDA = /^(?:topics|agenda)(?:\s+for\s+today)?$/i;
const ATTENDEES = /^attendees\b/i;
const META =
  /^(?:meeting\s+(?:start|started|end|ended|finished|notes|minutes)\b|(?:\p{L}+\s+)?recording\b|meeting\s+recording\b)/iu;
const AI_RECAP =
  /^(?:(?:quick\s+)?recap|(?:meeting\s+)?summary|details|(?:suggested\s+)?next\s+steps|action\s+items)$/i;
const DEMO = /^(?:live\s+)?demo(?:nstration)?s?$/i;
// Not topics: the free-for-all at the end and the round of introductions at the start.
const NOT_A_TOPIC =
  /^(?:open\s+(?:discussion|forum)\b.*|(?:any\s+)?(?:other\s+)?questions\??|q\s*&\s*a|(?:[\p{L}\s]*\bmeeting\s+)?(?:introductions?|welcome))$/iu;
const MEETING_START_LINE = /^meeting\s+start(?:ed)?\b/i;
const MEETING_END_LINE = /^meeting\s+(?:finished|ended|end)\b/i;
const NOTHING = /^(?:none|nothing|n\/a|tbd)\b/i;

function isTimestampOnly(cleanText: string): boolean {
  const time = findVideoTime(cleanText);
  if (!time) return false;
  const rest = cleanText.slice(0, time.start) + cleanText.slice(time.end);
  return !/[\p{L}\p{N}]/u.test(rest);
}

// Words that may follow the meeting's date in its heading: "11:00 a.m. Eastern (UTC-5)".
const TIME_WORDS = new Set(["at", "a.m", "p.m", "am", "pm", "eastern", "central", "pacific", "mountain", "time"]);
const ZONE_WORD = /^(?:[ecmp][sd]t|ce(?:s)?t|utc|gmt|us\/\p{L}+)(?:[+-]\d{1,2}(?::?\d{2})?)?$/iu;

/** Whether the rest of a date heading is only a time and zone, so the heading is the meeting's date. */
function isOnlyTimeOfDay(rest: string): boolean {
  return rest
    .split(/[\s,;()]+/)
    .map((word) => word.replace(/\.$/, "").toLowerCase())
    .every((word) => word === "" || /^[\d:.\-–—]+$/.test(word) || TIME_WORDS.has(word) || ZONE_WORD.test(word));
}

function isRawMarkerLine(cleanText: string): boolean {
  return RAW_LINE.test(cleanText);
}

/** Drops pasted chat and transcripts: from their heading (or "Raw ...:" line) to the next heading of the notes. */
function withoutPastedRecords(blocks: Block[]): Block[] {
  const kept: Block[] = [];
  let rawUntilLevel: number | undefined;
  for (const block of blocks) {
    if (block.type === "heading") {
      const text = cleanInline(block.text);
      if (RAW_HEADING.test(text) && !findVideoTime(text)) {
        rawUntilLevel = rawUntilLevel === undefined ? block.level : Math.max(rawUntilLevel, block.level);
        continue;
      }
      if (rawUntilLevel !== undefined && block.level <= rawUntilLevel) rawUntilLevel = undefined;
    } else if (block.type === "text" && isRawMarkerLine(cleanInline(block.text))) {
      // A plain "Raw Meeting Chat:" line has no level: any later heading ends it.
      rawUntilLevel = 6;
      continue;
    }
    if (rawUntilLevel === undefined) kept.push(block);
  }
  return kept;
}

function classifyHeading(text: string, isFirstTitle: boolean): HeadingRole {
  if (isFirstTitle) return "title";
  if (isTimestampOnly(text)) return "timestamp";
  const bare = trimTrailingPunctuation(text);
  if (NEXT_MEETING.test(bare)) return "next";
  if (POSSIBLE_TOPICS.test(bare)) return "possible";
  const date = findWrittenDate(text, { atStart: true });
  if (date) {
    const rest = text.slice(date.end);
    if (/\btopics?\b/i.test(rest)) return "datedTopics";
    if (isOnlyTimeOfDay(rest)) return "date";
  }
  if (AGENDA.test(bare)) return "agenda";
  if (ATTENDEES.test(bare)) return "attendees";
  if (META.test(bare)) return "meta";
  if (AI_RECAP.test(bare)) return "recap";
  const { title } = splitTitleAndOwners(text);
  if (DEMO.test(title)) return "demo";
  if (NOT_A_TOPIC.test(title)) return "notATopic";
  return "candidate";
}

/** Text of the blocks between heading `i` and the next heading. */
function bodyOf(blocks: Block[], headings: Heading[], i: number): Block[] {
  const start = (headings[i]?.blockIndex ?? 0) + 1;
  const end = headings[i + 1]?.blockIndex ?? blocks.length;
  return blocks.slice(start, end);
}

/** Appends without spreading: a spread of tens of thousands of items would overflow the call stack. */
function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

const hasContent = (body: Block[]) => body.some((block) => block.type === "item" || block.type === "text");

/** Top-level list items of a list (its sub-items are details). */
function topLevelItems(body: Block[]): string[] {
  const items = body.filter((block): block is Extract<Block, { type: "item" }> => block.type === "item");
  if (items.length === 0) return [];
  const minIndent = items.reduce((min, item) => Math.min(min, item.indent), Number.POSITIVE_INFINITY);
  return items.filter((item) => item.indent <= minIndent + 1).map((item) => cleanInline(item.text));
}

function readPossibleTopic(text: string): PossibleTopic | undefined {
  const clean = trimTrailingPunctuation(text);
  if (clean === "" || NOTHING.test(clean)) return undefined;
  let { title, owners } = splitTitleAndOwners(clean);
  // "Podman kube to handle vm's too?  Vivek." — a name after the question.
  if (owners.length === 0) {
    const trailingName = /^(.*[?!.])\s+([^\s?!.]+(?:\s+[^\s?!.]+){0,2})\.?$/u.exec(title);
    const names = trailingName?.[2] ? readOwnerList(trailingName[2]) : undefined;
    if (trailingName?.[1] && names?.length === 1) {
      title = trimTrailingPunctuation(trailingName[1]);
      owners = names;
    }
  }
  if (title === "") return undefined;
  const owner = owners.join(", ");
  return owner === "" ? { title } : { title, owner };
}

/** Proposed topics in a "Possible Topics" section: its list items, or else its lines. */
function readPossibleTopics(body: Block[]): PossibleTopic[] {
  const items = topLevelItems(body);
  const lines: string[] = [];
  if (items.length > 0) {
    append(lines, items);
  } else {
    // Without a list, each paragraph's first line is a topic ("Two Proposed Topics:"-style labels are not).
    let previous: Block | undefined;
    for (const block of body) {
      if (block.type === "text" && previous?.type !== "text") {
        const text = cleanInline(block.text);
        if (!text.endsWith(":") && !MEETING_END_LINE.test(text) && !isTimestampOnly(text)) lines.push(text);
      }
      previous = block;
    }
  }
  return lines.flatMap((line) => {
    const topic = readPossibleTopic(line);
    return topic ? [topic] : [];
  });
}

function tokensForMatching(title: string): Set<string> {
  const ignored = new Set(["podman", "the", "a", "an", "of", "for", "and", "to", "in", "on", "with", "w", "by"]);
  return new Set(
    title
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter((word) => word.length > 0 && !ignored.has(word)),
  );
}

/** Pairs agenda items with topic headings that name the same topic in other words ("ZSTD support update" / "ZSTD Support"). */
function matchAgendaToTopics(topicTitles: string[], agendaTitles: string[]): Map<number, number> {
  // Every pair is compared; real notes have a dozen of each, so give up on inputs that are clearly not notes.
  if (topicTitles.length * agendaTitles.length > 10_000) return new Map();
  const pairs: { topic: number; item: number; score: number }[] = [];
  topicTitles.forEach((topicTitle, topic) => {
    const topicWords = tokensForMatching(topicTitle);
    agendaTitles.forEach((itemTitle, item) => {
      const itemWords = tokensForMatching(itemTitle);
      const shared = [...topicWords].filter((word) => itemWords.has(word)).length;
      const smaller = Math.min(topicWords.size, itemWords.size);
      if (shared > 0 && smaller > 0 && shared / smaller >= 0.5) pairs.push({ topic, item, score: shared / smaller });
    });
  });
  pairs.sort((a, b) => b.score - a.score || a.topic - b.topic || a.item - b.item);
  const itemOfTopic = new Map<number, number>();
  const usedItems = new Set<number>();
  for (const pair of pairs) {
    if (itemOfTopic.has(pair.topic) || usedItems.has(pair.item)) continue;
    itemOfTopic.set(pair.topic, pair.item);
    usedItems.add(pair.item);
  }
  return itemOfTopic;
}

// Small words that may sit inside a title made of capitalized words ("Podman Performance on Mac OS and Windows").
const TITLE_CONNECTORS = new Set(["and", "or", "of", "for", "on", "to", "in", "with", "the", "a", "an", "vs"]);

/**
 * Topics of an AI-written "Details" list, where each bullet runs title, speaker and summary together:
 * "Commit Message Style Enforcement Paul Holzinger raised the discussion ... (00:04:35)".
 * The title is the leading run of capitalized words minus the speaker's name (its last two words).
 */
function readRecapTopics(body: Block[]): NotesTopic[] {
  return topLevelItems(body).flatMap((item): NotesTopic[] => {
    const words = item.split(" ");
    const run: string[] = [];
    for (const word of words) {
      const capitalized = /^[\p{Lu}\p{N}]/u.test(word) || /^\(\p{Lu}[\p{L}]*\)$/u.test(word);
      if (!capitalized && !TITLE_CONNECTORS.has(word)) break;
      run.push(word);
      if (run.length > 20) return [];
    }
    while (run.length > 0 && TITLE_CONNECTORS.has(run[run.length - 1] ?? "")) run.pop();
    const nickname = /^\(.*\)$/.test(run[run.length - 1] ?? "") ? 1 : 0;
    const nameStart = run.length - 2 - nickname;
    const name = run.slice(nameStart).join(" ");
    if (nameStart < 1 || !isPersonName(name)) return [];
    const title = run.slice(0, nameStart).join(" ");
    const topic: NotesTopic = { title, owners: [name] };
    const time = /\((\d{1,2}):(\d{2}):(\d{2})\)/.exec(item);
    if (time) topic.videoOffsetSeconds = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
    return [topic];
  });
}

function kindOf(text: string | undefined): "community" | "cabal" | undefined {
  if (!text) return undefined;
  if (/\bcabal\b/i.test(text)) return "cabal";
  if (/\bcommunity\b/i.test(text)) return "community";
  return undefined;
}

function firstRecordingUrl(blocks: Block[]): string | undefined {
  for (const block of blocks) {
    if (block.type === "blank") continue;
    for (const link of findLinks(block.text)) {
      if (/\b(?:recording|video)\b/i.test(link.text) && /^https?:\/\//i.test(link.url)) return link.url;
    }
    const bare = /^(?:\p{L}+\s+)?(?:recording|video)\s*:?\s*<?(https?:\/\/[^\s<>()]+)/iu.exec(cleanInline(block.text));
    if (bare?.[1]) return bare[1];
  }
  return undefined;
}

interface MentionDraft {
  kind: NextMeetingMention["kind"];
  written?: WrittenDate;
  possibleTopics: PossibleTopic[];
}

/** Reads notes; throws only on a bug (parseNotes guards against that). */
export function readNotes(markdown: string): ParsedNotes {
  const document = readBlocks(markdown);
  const blocks = withoutPastedRecords(document.blocks);

  // 1. What each heading is.
  const headings: Heading[] = [];
  let titleSeen = false;
  blocks.forEach((block, blockIndex) => {
    if (block.type !== "heading") return;
    const text = cleanInline(block.text);
    const role = classifyHeading(text, block.level === 1 && !titleSeen);
    if (role === "title") titleSeen = true;
    headings.push({ level: block.level, text, role, blockIndex });
  });

  // 2. A name heading right under a topic heading is its owner ("## Podman Network" / "### Matt Heon").
  headings.forEach((heading, i) => {
    const above = headings[i - 1];
    if (heading.role !== "candidate" || !above || heading.level <= above.level) return;
    if (above.role !== "candidate" && above.role !== "notATopic" && above.role !== "demo") return;
    if (hasContent(bodyOf(blocks, headings, i - 1))) return;
    if (readOwnerList(withoutVideoTime(heading.text).replace(/\s*-\s*$/, ""))) heading.role = "owner";
  });

  // 3. Headings under "Next Meeting" / "Possible Topics" belong to those sections, not to the topics.
  const contained = new Set<number>();
  let containerLevel: number | undefined;
  headings.forEach((heading, i) => {
    if (heading.role === "next" || heading.role === "possible") {
      containerLevel = heading.level;
      return;
    }
    if (containerLevel === undefined) return;
    if (heading.level > containerLevel && ["candidate", "timestamp", "owner", "demo"].includes(heading.role)) {
      contained.add(i);
    } else {
      containerLevel = undefined;
    }
  });

  // 4. Topics sit at one heading level: the shallowest one with a timestamp or owner, else the shallowest one.
  const isTopicHeading = (i: number) => headings[i]?.role === "candidate" && !contained.has(i);
  const isStrong = (i: number): boolean => {
    const heading = headings[i];
    const below = headings[i + 1];
    if (!heading) return false;
    if (findVideoTime(heading.text)) return true;
    return (
      below !== undefined &&
      below.level > heading.level &&
      (below.role === "owner" || below.role === "timestamp") &&
      !hasContent(bodyOf(blocks, headings, i))
    );
  };
  const topicIndexes = headings.map((_, i) => i).filter(isTopicHeading);
  const strongLevels = topicIndexes.filter(isStrong).map((i) => headings[i]?.level ?? 6);
  const anyLevels = topicIndexes.map((i) => headings[i]?.level ?? 6);
  const shallowest = (levels: number[]) => levels.reduce((min, level) => Math.min(min, level), 7);
  const topicLevel = strongLevels.length > 0 ? shallowest(strongLevels) : shallowest(anyLevels);

  const headingTopics: NotesTopic[] = [];
  for (const i of topicIndexes) {
    const heading = headings[i];
    if (!heading || heading.level !== topicLevel) continue;
    const { title, owners } = splitTitleAndOwners(heading.text);
    const topic: NotesTopic = { title, owners };
    const ownTime = findVideoTime(heading.text);
    if (ownTime) topic.videoOffsetSeconds = ownTime.seconds;
    for (let j = i + 1; j < headings.length; j++) {
      const below = headings[j];
      if (!below || below.level <= topicLevel || below.role === "next" || below.role === "possible") break;
      if (below.role === "owner" && j === i + 1 && topic.owners.length === 0) {
        topic.owners = readOwnerList(withoutVideoTime(below.text).replace(/\s*-\s*$/, "")) ?? [];
      }
      const time = below.role === "timestamp" || below.role === "owner" ? findVideoTime(below.text) : undefined;
      if (time && topic.videoOffsetSeconds === undefined) topic.videoOffsetSeconds = time.seconds;
    }
    headingTopics.push(topic);
  }

  // 5. Dates, agenda, next meetings and their proposed topics, in document order.
  let meetingDate: WrittenDate | undefined;
  let agendaDate: WrittenDate | undefined;
  let startLineDate: WrittenDate | undefined;
  const agendaItems: string[] = [];
  const recapTopics: NotesTopic[] = [];
  const mentions: MentionDraft[] = [];
  const sameKindTopics: PossibleTopic[] = [];
  const addMention = (kindWord: string | undefined, rest: string, body: Block[] = []) => {
    const kind = kindWord ? (kindWord.toLowerCase() as "cabal" | "community") : "same";
    // "### Next Meeting" may leave the date to the line below it.
    const lineBelow = body.find((block) => block.type !== "blank");
    const found =
      findWrittenDate(rest) ??
      (lineBelow?.type === "text" ? findWrittenDate(cleanInline(lineBelow.text), { atStart: true }) : undefined);
    mentions.push(found ? { kind, written: found.written, possibleTopics: [] } : { kind, possibleTopics: [] });
  };

  let headingCursor = 0;
  blocks.forEach((block, blockIndex) => {
    if (block.type === "text") {
      const text = cleanInline(block.text);
      const next = NEXT_MEETING.exec(text);
      if (next?.[2]) addMention(next[1], next[3] ?? "");
      else if (MEETING_START_LINE.test(text) && !startLineDate) startLineDate = findWrittenDate(text)?.written;
      return;
    }
    if (block.type !== "heading") return;
    const i = headingCursor++;
    const heading = headings[i];
    if (!heading || heading.blockIndex !== blockIndex) return;
    const body = bodyOf(blocks, headings, i);
    switch (heading.role) {
      case "date":
        if (!meetingDate && mentions.length === 0)
          meetingDate = findWrittenDate(heading.text, { atStart: true })?.written;
        break;
      case "datedTopics":
        if (mentions.length === 0) {
          agendaDate ??= findWrittenDate(heading.text, { atStart: true })?.written;
          append(agendaItems, topLevelItems(body));
        } else {
          const mention = mentions[mentions.length - 1];
          if (mention) append(mention.possibleTopics, readPossibleTopics(body));
        }
        break;
      case "agenda":
        append(agendaItems, topLevelItems(body));
        break;
      case "recap":
        if (/^details\b/i.test(heading.text)) append(recapTopics, readRecapTopics(body));
        break;
      case "meta":
        if (MEETING_START_LINE.test(heading.text) && !startLineDate) {
          startLineDate = findWrittenDate(heading.text)?.written;
        }
        break;
      case "next": {
        const next = NEXT_MEETING.exec(trimTrailingPunctuation(heading.text));
        addMention(next?.[1], next?.[3] ?? "", body);
        break;
      }
      case "possible": {
        // The section runs over headings nested in it ("### NOTE ...", "#### (54:03 in the video)").
        let end = i + 1;
        while (contained.has(end)) end++;
        const span = blocks.slice(heading.blockIndex + 1, headings[end]?.blockIndex ?? blocks.length);
        const topics = readPossibleTopics(span.filter((b) => b.type !== "heading"));
        const forNextMeeting = /next\s+meeting/i.test(heading.text);
        const mention = mentions[mentions.length - 1];
        append(forNextMeeting || !mention ? sameKindTopics : mention.possibleTopics, topics);
        break;
      }
      default:
        break;
    }
  });
  meetingDate ??= agendaDate ?? startLineDate;

  // 6. Assemble.
  const titleHeading = headings.find((heading) => heading.role === "title");
  // An unrendered Jekyll title ("{{ page.title }}") stands for the front matter's title.
  const headingTitle = titleHeading?.text.includes("{{") ? undefined : titleHeading?.text;
  const rawTitle = headingTitle ?? document.frontMatterTitle;
  const title = rawTitle ? trimTrailingPunctuation(rawTitle) : undefined;
  const kind = kindOf(title) ?? kindOf(document.frontMatterTitle);

  const agenda = agendaItems
    .map((item) => splitTitleAndOwners(item))
    .filter((item) => item.title !== "" && !NOT_A_TOPIC.test(item.title) && !NOTHING.test(item.title));
  let topics: NotesTopic[];
  if (headingTopics.length > 0) {
    // The agenda names owners the section headings sometimes leave out.
    const matches = matchAgendaToTopics(
      headingTopics.map((topic) => topic.title),
      agenda.map((item) => item.title),
    );
    topics = headingTopics.map((topic, index) => {
      const item = matches.get(index);
      const agendaOwners = item === undefined ? [] : (agenda[item]?.owners ?? []);
      return topic.owners.length === 0 && agendaOwners.length > 0 ? { ...topic, owners: agendaOwners } : topic;
    });
  } else if (agenda.length > 0) {
    topics = agenda.map((item) => ({ title: item.title, owners: item.owners }));
  } else {
    topics = recapTopics;
  }
  const seenTitles = new Set<string>();
  topics = topics.filter((topic) => {
    const key = topic.title
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    if (topic.title.trim() === "" || seenTitles.has(key)) return false;
    seenTitles.add(key);
    return true;
  });

  // Proposed topics listed before any "Next Meeting" line are for the next meeting of the same kind.
  const isSameKind = (mention: MentionDraft) => mention.kind === "same" || mention.kind === kind;
  const firstSameKind = mentions.find((mention) => isSameKind(mention) && mention.written);
  const possibleTopics = [...sameKindTopics];
  for (const mention of mentions) if (isSameKind(mention)) append(possibleTopics, mention.possibleTopics);
  if (firstSameKind) firstSameKind.possibleTopics = [...sameKindTopics, ...firstSameKind.possibleTopics];

  const nextMeetings: NextMeetingMention[] = mentions.flatMap((mention) => {
    if (!mention.written) return [];
    const result: NextMeetingMention = { kind: mention.kind, written: mention.written };
    if (mention.possibleTopics.length > 0) result.possibleTopics = mention.possibleTopics;
    return [result];
  });

  const recordingUrl = firstRecordingUrl(blocks);
  const parsed: ParsedNotes = {
    topics,
    nextMeetings,
    possibleTopics,
    // A title alone ("# Community garden") is not enough to call these meeting notes.
    understood: Boolean(meetingDate || topics.length > 0 || recordingUrl || nextMeetings.length > 0),
  };
  if (kind) parsed.kind = kind;
  if (title) parsed.title = title;
  if (meetingDate) parsed.meetingDate = meetingDate;
  if (recordingUrl) parsed.recordingUrl = recordingUrl;
  return parsed;
}
