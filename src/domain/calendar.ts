// Meetings in their zone: the local dates the schedule gives, turned into instants with the zone database (Intl).

import { formatLocalDate, parseLocalDateDays } from "./local-date.js";
import type { LocalDate, LocalTime, Meeting, Occurrence } from "./meeting.js";
import { expandRule, parseRRule, type RecurrenceRule } from "./recurrence.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const EPOCH_ANCHOR: LocalDate = "1970-01-01";

// ---------------------------------------------------------------------------------------------------------------
// Zone offsets

// Offsets come straight from Intl (the ICU zone database). date-fns-tz's getTimezoneOffset was tried here and
// is off by the transition hour around DST changes (the GNU date oracle test catches it).
const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneFormatter(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    } catch {
      throw new RangeError(`unknown time zone "${timeZone}"`);
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

const FORMATTED = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)$/;

/** The zone's UTC offset at an instant, in milliseconds. */
function exactOffsetMs(timeZone: string, instantMs: number): number {
  const formatter = zoneFormatter(timeZone);
  // format() and a pattern are several times faster than formatToParts(), which stays as the fallback.
  const match = FORMATTED.exec(formatter.format(instantMs));
  let fields: number[];
  if (match) {
    const [, month, day, year, hour, minute, second] = match.map(Number) as number[];
    fields = [year, month, day, hour, minute, second] as number[];
  } else {
    const byType: Record<string, number> = {};
    for (const part of formatter.formatToParts(instantMs)) byType[part.type] = Number(part.value);
    fields = ["year", "month", "day", "hour", "minute", "second"].map((type) => byType[type] ?? 0);
  }
  const [year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0] = fields;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  return wall - (instantMs - mod(instantMs, 1000));
}

/**
 * Offsets per zone and UTC hour. An hour whose two ends agree has one offset throughout (no zone changes twice
 * within an hour); NaN marks an hour holding a transition, resolved exactly on every call.
 */
const hourlyOffsets = new Map<string, Map<number, number>>();
const MAX_MEMO_HOURS = 200_000;

/** Milliseconds to add to a UTC instant to get the zone's wall clock (UTC-4 → -14 400 000). */
export function zoneOffsetMs(timeZone: string, instantMs: number): number {
  let byHour = hourlyOffsets.get(timeZone);
  if (!byHour) {
    zoneFormatter(timeZone);
    byHour = new Map();
    hourlyOffsets.set(timeZone, byHour);
  }
  const hour = Math.floor(instantMs / HOUR_MS);
  let offset = byHour.get(hour);
  if (offset === undefined) {
    const atStart = exactOffsetMs(timeZone, hour * HOUR_MS);
    const atEnd = exactOffsetMs(timeZone, hour * HOUR_MS + HOUR_MS - 1);
    offset = atStart === atEnd ? atStart : Number.NaN;
    if (byHour.size >= MAX_MEMO_HOURS) byHour.clear();
    byHour.set(hour, offset);
  }
  return Number.isNaN(offset) ? exactOffsetMs(timeZone, instantMs) : offset;
}

const mod = (a: number, b: number): number => ((a % b) + b) % b;

// ---------------------------------------------------------------------------------------------------------------
// Wall time ↔ instant

function parseTimeMinutes(time: LocalTime): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  const hours = Number(match?.[1]);
  const minutes = Number(match?.[2]);
  if (!match || hours > 23 || minutes > 59) throw new RangeError(`time "${time}" is not HH:MM`);
  return hours * 60 + minutes;
}

function parseDateDays(date: LocalDate): number {
  const days = parseLocalDateDays(date);
  if (days === undefined) throw new RangeError(`date "${date}" is not a YYYY-MM-DD date`);
  return days;
}

/** The instant of a wall-clock reading (ms since the epoch, read as if UTC) in the zone. */
function wallToInstantMs(wallMs: number, timeZone: string): number {
  // A day either side of the wall time bounds the instant (offsets are within ±14 h) and so any transition near it.
  const before = zoneOffsetMs(timeZone, wallMs - DAY_MS);
  const after = zoneOffsetMs(timeZone, wallMs + DAY_MS);
  const withBefore = wallMs - before;
  const beforeValid = zoneOffsetMs(timeZone, withBefore) === before;
  if (before === after && beforeValid) return withBefore;
  const withAfter = wallMs - after;
  const afterValid = zoneOffsetMs(timeZone, withAfter) === after;
  // Fold: the clock shows this time twice; the first one is meant.
  if (beforeValid && afterValid) return Math.min(withBefore, withAfter);
  if (beforeValid) return withBefore;
  if (afterValid) return withAfter;
  // Gap: read with the offset in force before the jump, which lands as late as the gap is long.
  return withBefore;
}

/**
 * The instant a local date and time denote in a zone. A time skipped by a spring-forward gap moves forward by
 * the gap (02:30 → 03:30 EDT); a time repeated by a fall-back is the first of the two (01:30 EDT, not EST).
 */
export function zonedWallTimeToInstant(date: LocalDate, time: LocalTime, timeZone: string): Date {
  return new Date(wallToInstantMs(parseDateDays(date) * DAY_MS + parseTimeMinutes(time) * MINUTE_MS, timeZone));
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

export interface LocalReading {
  date: LocalDate;
  time: LocalTime;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
}

/** What a wall clock in the zone reads at the instant (to the minute). */
export function instantToLocal(instant: Date, timeZone: string): LocalReading {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid instant");
  const wallMs = ms + zoneOffsetMs(timeZone, ms);
  const days = Math.floor(wallMs / DAY_MS);
  const minutes = Math.floor(mod(wallMs, DAY_MS) / MINUTE_MS);
  return {
    date: formatLocalDate(days),
    time: `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`,
    weekday: mod(days + 4, 7),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// A meeting's local dates

interface CompiledSchedule {
  rules: { rule: RecurrenceRule; anchor: LocalDate; until?: LocalDate; time: LocalTime }[];
  /** One-off occurrences, sorted by date then time. */
  extra: { date: LocalDate; time: LocalTime }[];
  skip: Set<LocalDate>;
  /** The earliest local date any source can give. */
  firstDate: LocalDate;
}

const parsedRules = new Map<string, RecurrenceRule>();
// Meetings are treated as immutable: the parsed form is kept per object.
const compiledSchedules = new WeakMap<Meeting, CompiledSchedule>();

/**
 * The rule of a schedule entry, with the entry's `until` folded into the rule's own UNTIL so that the
 * expansion itself stops there (a rule that never matches again would otherwise search on for centuries).
 */
function ruleFor(text: string, until: LocalDate | undefined): RecurrenceRule {
  const key = `${text}\n${until ?? ""}`;
  let rule = parsedRules.get(key);
  if (!rule) {
    rule = parseRRule(text);
    if (until !== undefined && (rule.until === undefined || until < rule.until)) rule = { ...rule, until };
    parsedRules.set(key, rule);
  }
  return rule;
}

function compileSchedule(meeting: Meeting): CompiledSchedule {
  const cached = compiledSchedules.get(meeting);
  if (cached) return cached;
  const rules = meeting.schedule.map((entry) => {
    const anchor = entry.from ?? EPOCH_ANCHOR;
    parseDateDays(anchor);
    if (entry.until !== undefined) parseDateDays(entry.until);
    const time = entry.time ?? meeting.time;
    parseTimeMinutes(time);
    return { rule: ruleFor(entry.rrule, entry.until), anchor, until: entry.until, time };
  });
  const extra = meeting.dates.map((text) => {
    const [date = "", time = "", ...rest] = text.split("T");
    if (rest.length > 0) throw new RangeError(`one-off date "${text}" is not YYYY-MM-DDTHH:MM`);
    parseDateDays(date);
    parseTimeMinutes(time);
    return { date, time };
  });
  extra.sort((a, b) => (a.date === b.date ? compareText(a.time, b.time) : compareText(a.date, b.date)));
  const starts = [...rules.map((r) => r.anchor), ...extra.map((e) => e.date)].sort(compareText);
  const compiled: CompiledSchedule = {
    rules,
    extra,
    skip: new Set(meeting.skip),
    firstDate: starts[0] ?? "9999-12-31",
  };
  compiledSchedules.set(meeting, compiled);
  return compiled;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Slot {
  date: LocalDate;
  time: LocalTime;
}

/**
 * The meeting's local dates ≥ fromDate, ascending, one per date: a one-off entry wins over rules, otherwise the
 * earliest rule time; skipped dates are left out.
 */
function* scheduledSlots(meeting: Meeting, fromDate: LocalDate, keepSkipped = false): Generator<Slot> {
  const schedule = compileSchedule(meeting);
  // Heads of each rule's date stream; a stream is dropped once it passes its `until` or ends.
  const streams: { dates: Generator<LocalDate>; head: LocalDate; until?: LocalDate; time: LocalTime }[] = [];
  for (const { rule, anchor, until, time } of schedule.rules) {
    if (until !== undefined && until < fromDate) continue;
    const dates = expandRule(rule, anchor, fromDate);
    const first = dates.next();
    if (!first.done && (until === undefined || first.value <= until)) {
      streams.push({ dates, head: first.value, until, time });
    }
  }
  let extraIndex = 0;
  while (extraIndex < schedule.extra.length && (schedule.extra[extraIndex]?.date ?? "") < fromDate) extraIndex++;

  for (;;) {
    let date: LocalDate | undefined = schedule.extra[extraIndex]?.date;
    for (const stream of streams) if (date === undefined || stream.head < date) date = stream.head;
    if (date === undefined) return;

    let oneOffTime: LocalTime | undefined;
    if (schedule.extra[extraIndex]?.date === date) {
      oneOffTime = schedule.extra[extraIndex]?.time; // sorted, so the earliest one-off of the date
      while (schedule.extra[extraIndex]?.date === date) extraIndex++;
    }
    let ruleTime: LocalTime | undefined;
    for (let i = streams.length - 1; i >= 0; i--) {
      const stream = streams[i];
      if (!stream || stream.head !== date) continue;
      if (ruleTime === undefined || stream.time < ruleTime) ruleTime = stream.time;
      const next = stream.dates.next();
      if (next.done || (stream.until !== undefined && next.value > stream.until)) streams.splice(i, 1);
      else stream.head = next.value;
    }
    const time = oneOffTime ?? ruleTime;
    if (time !== undefined && (keepSkipped || !schedule.skip.has(date))) yield { date, time };
  }
}

function toOccurrence(meeting: Meeting, slot: Slot): Occurrence {
  return {
    meetingId: meeting.id,
    date: slot.date,
    time: slot.time,
    start: zonedWallTimeToInstant(slot.date, slot.time, meeting.timezone),
  };
}

/** No wall time on `date` or later starts before this instant. */
function earliestInstantOnOrAfter(date: LocalDate, timeZone: string): number {
  const wallMs = parseDateDays(date) * DAY_MS;
  const offset = Math.max(zoneOffsetMs(timeZone, wallMs - 1.5 * DAY_MS), zoneOffsetMs(timeZone, wallMs + 1.5 * DAY_MS));
  return wallMs - offset;
}

function localDateMinus(date: LocalDate, days: number): LocalDate {
  return formatLocalDate(parseDateDays(date) - days);
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

/**
 * Every occurrence starting at or after `from`, ascending by start: the schedule rules (each anchored at its
 * `from`, else 1970-01-01) merged with the one-off dates, minus skipped dates. Ends when no source can give more.
 */
export function* occurrencesFrom(meeting: Meeting, from: Date): Generator<Occurrence> {
  const fromMs = from.getTime();
  if (Number.isNaN(fromMs)) throw new RangeError("invalid instant");
  // Two days back: a gap can push a start past midnight, and a fall-back can repeat the previous evening.
  const scanFrom = localDateMinus(instantToLocal(from, meeting.timezone).date, 2);
  // Starts are not quite monotonic in the date (a gap shifts a late time past the next day's early one), so an
  // occurrence is held until no later date could start before it.
  const pending: Occurrence[] = [];
  for (const slot of scheduledSlots(meeting, scanFrom)) {
    const occurrence = toOccurrence(meeting, slot);
    if (occurrence.start.getTime() >= fromMs) {
      let i = pending.length;
      while (i > 0 && (pending[i - 1]?.start.getTime() ?? 0) > occurrence.start.getTime()) i--;
      pending.splice(i, 0, occurrence);
    }
    const safeUntil = earliestInstantOnOrAfter(
      formatLocalDate((parseLocalDateDays(slot.date) ?? 0) + 1),
      meeting.timezone,
    );
    while (pending.length > 0 && (pending[0]?.start.getTime() ?? 0) <= safeUntil) yield pending.shift() as Occurrence;
  }
  yield* pending;
}

/**
 * Each meeting's last answer to nextOccurrence and the instant it was asked for. It holds for any later instant up
 * to the occurrence's start (nothing starts in between), and for every later instant when there was none; a
 * reloaded configuration brings new meeting objects, so nothing stale is ever read.
 */
const lastNextOccurrence = new WeakMap<Meeting, { fromMs: number; occurrence: Occurrence | undefined }>();

/**
 * The first occurrence starting at or after `from`. Remembered per meeting until it starts, because every command
 * and answer asks it for every meeting (the same object is returned, so later caches can key on it).
 */
export function nextOccurrence(meeting: Meeting, from: Date): Occurrence | undefined {
  const fromMs = from.getTime();
  const known = lastNextOccurrence.get(meeting);
  if (known && known.fromMs <= fromMs && (!known.occurrence || fromMs <= known.occurrence.start.getTime())) {
    return known.occurrence;
  }
  let next: Occurrence | undefined;
  for (const occurrence of occurrencesFrom(meeting, from)) {
    next = occurrence;
    break;
  }
  lastNextOccurrence.set(meeting, { fromMs, occurrence: next });
  return next;
}

export function nextOccurrences(meeting: Meeting, from: Date, count: number): Occurrence[] {
  const out: Occurrence[] = [];
  if (count <= 0) return out;
  for (const occurrence of occurrencesFrom(meeting, from)) {
    out.push(occurrence);
    if (out.length >= count) break;
  }
  return out;
}

/** Occurrences with start ≤ s < end, ascending. */
export function occurrencesBetween(meeting: Meeting, start: Date, end: Date): Occurrence[] {
  const out: Occurrence[] = [];
  const endMs = end.getTime();
  for (const occurrence of occurrencesFrom(meeting, start)) {
    if (occurrence.start.getTime() >= endMs) break;
    out.push(occurrence);
  }
  return out;
}

/**
 * Each meeting's last answer to previousOccurrence, with the instants it holds for: after the occurrence's start
 * and up to the next one's (nothing starts in between). Asked on every question ("is one on now?").
 */
const lastPreviousOccurrence = new WeakMap<
  Meeting,
  { afterMs: number; untilMs: number; occurrence: Occurrence | undefined }
>();

/** The latest occurrence starting strictly before `before`. */
export function previousOccurrence(meeting: Meeting, before: Date): Occurrence | undefined {
  const beforeMs = before.getTime();
  if (Number.isNaN(beforeMs)) return findPreviousOccurrence(meeting, before);
  const known = lastPreviousOccurrence.get(meeting);
  if (known && known.afterMs < beforeMs && beforeMs <= known.untilMs) return known.occurrence;
  const occurrence = findPreviousOccurrence(meeting, before);
  const following = nextOccurrence(meeting, before);
  lastPreviousOccurrence.set(meeting, {
    afterMs: occurrence ? occurrence.start.getTime() : Number.NEGATIVE_INFINITY,
    untilMs: following ? following.start.getTime() : Number.POSITIVE_INFINITY,
    occurrence,
  });
  return occurrence;
}

function findPreviousOccurrence(meeting: Meeting, before: Date): Occurrence | undefined {
  const { firstDate } = compileSchedule(meeting);
  const earliest = earliestInstantOnOrAfter(localDateMinus(firstDate, 2), meeting.timezone);
  // Look back through growing windows, each ending where the previous one began.
  let windowEnd = before.getTime();
  let span = 40 * DAY_MS;
  while (windowEnd > earliest) {
    const windowStart = Math.max(earliest, windowEnd - span);
    const found = occurrencesBetween(meeting, new Date(windowStart), new Date(windowEnd));
    const last = found[found.length - 1];
    if (last) return last;
    windowEnd = windowStart;
    span *= 8;
  }
  return undefined;
}

/** The occurrence on a local date, if the schedule has one there. */
export function occurrenceOn(meeting: Meeting, date: LocalDate): Occurrence | undefined {
  parseDateDays(date);
  for (const slot of scheduledSlots(meeting, date)) return slot.date === date ? toOccurrence(meeting, slot) : undefined;
  return undefined;
}

/** Occurrence dates within ±days of a local date, ascending (to cross-check dates written in notes). */
export function scheduledDatesAround(meeting: Meeting, date: LocalDate, days: number): LocalDate[] {
  const center = parseDateDays(date);
  const last = formatLocalDate(center + days);
  const out: LocalDate[] = [];
  for (const slot of scheduledSlots(meeting, formatLocalDate(center - days))) {
    if (slot.date > last) break;
    out.push(slot.date);
  }
  return out;
}

/**
 * The occurrences `skip` cancelled that would have started at start ≤ s < end, ascending: what a calendar must
 * show as cancelled. A skipped date the schedule does not give is no occurrence, and is left out.
 */
export function cancelledOccurrencesBetween(meeting: Meeting, start: Date, end: Date): Occurrence[] {
  const out: Occurrence[] = [];
  for (const date of [...new Set(meeting.skip)].sort(compareText)) {
    parseDateDays(date);
    for (const slot of scheduledSlots(meeting, date, true)) {
      if (slot.date !== date) break;
      const occurrence = toOccurrence(meeting, slot);
      if (occurrence.start >= start && occurrence.start < end) out.push(occurrence);
      break;
    }
  }
  return out.sort((a, b) => a.start.getTime() - b.start.getTime());
}
