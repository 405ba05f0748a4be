// Hand-written RRULE subset: rrule.js re-iterates from DTSTART on every query and mishandles zones; we need speed.
//
// Everything here works on local calendar dates (no zones, no times): the calendar module turns the dates into
// instants in the meeting's zone. Dates are handled internally as day numbers (days since 1970-01-01) so that
// periods can be jumped to arithmetically.

import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  floorDiv,
  formatLocalDate,
  localDateDays,
  mod,
  parseLocalDateDays,
  weekdayIndex,
} from "./local-date.js";
import type { LocalDate } from "./meeting.js";

export type Weekday = "MO" | "TU" | "WE" | "TH" | "FR" | "SA" | "SU";
export type Frequency = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

export interface WeekdayRule {
  weekday: Weekday;
  /** `3` in `3TH`, `-1` in `-1FR`; within the month (MONTHLY, or YEARLY with BYMONTH), else within the year. */
  ordinal?: number;
}

export interface RecurrenceRule {
  freq: Frequency;
  interval: number;
  byDay: WeekdayRule[];
  /** 1..31 or -31..-1 (from the end of the month). */
  byMonthDay: number[];
  /** 1..12. */
  byMonth: number[];
  /** Positions within each period's set of dates, 1-based, negative from the end. */
  bySetPos: number[];
  count?: number;
  /** Last local date (inclusive). */
  until?: LocalDate;
  weekStart: Weekday;
}

export class RRuleError extends Error {
  override name = "RRuleError";
}

const WEEKDAYS: readonly Weekday[] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
const FREQUENCIES: readonly Frequency[] = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"];
const UNSUPPORTED_PARTS = new Set(["BYSECOND", "BYMINUTE", "BYHOUR", "BYWEEKNO", "BYYEARDAY", "RSCALE", "SKIP"]);
/** Enough for any meeting series; bounds the one-off scan that finds where COUNT ends. */
const MAX_COUNT = 100_000;
const LAST_DAY = 2932896; // 9999-12-31: LocalDate has four-digit years

// ---------------------------------------------------------------------------------------------------------------
// Parsing

/** Parses an RRULE (with or without the `RRULE:` prefix); throws RRuleError naming the offending part. */
export function parseRRule(text: string): RecurrenceRule {
  let body = text.trim();
  if (/^RRULE:/i.test(body)) body = body.slice(6);
  if (body === "") throw new RRuleError("empty RRULE (expected at least FREQ=...)");

  const parts = new Map<string, string>();
  for (const segment of body.split(";")) {
    if (segment.trim() === "") continue;
    const eq = segment.indexOf("=");
    if (eq <= 0) throw new RRuleError(`rule part "${segment}" is not KEY=VALUE`);
    const key = segment.slice(0, eq).trim().toUpperCase();
    const value = segment
      .slice(eq + 1)
      .trim()
      .toUpperCase();
    if (UNSUPPORTED_PARTS.has(key)) throw new RRuleError(`${key} is not supported (meeting schedules use whole days)`);
    if (!KNOWN_PARTS.has(key)) throw new RRuleError(`unknown rule part "${key}"`);
    if (parts.has(key)) throw new RRuleError(`${key} is given twice`);
    if (value === "") throw new RRuleError(`${key} has no value`);
    parts.set(key, value);
  }

  const freqText = parts.get("FREQ");
  if (freqText === undefined) throw new RRuleError("FREQ is missing (expected DAILY, WEEKLY, MONTHLY or YEARLY)");
  if (!FREQUENCIES.includes(freqText as Frequency)) {
    throw new RRuleError(`unknown FREQ "${freqText}" (expected DAILY, WEEKLY, MONTHLY or YEARLY)`);
  }
  const freq = freqText as Frequency;

  const rule: RecurrenceRule = {
    freq,
    interval: 1,
    byDay: [],
    byMonthDay: [],
    byMonth: [],
    bySetPos: [],
    weekStart: "MO",
  };

  const interval = parts.get("INTERVAL");
  if (interval !== undefined) rule.interval = parsePositiveInt("INTERVAL", interval, 10_000);
  const count = parts.get("COUNT");
  if (count !== undefined) rule.count = parsePositiveInt("COUNT", count, MAX_COUNT);
  const until = parts.get("UNTIL");
  if (until !== undefined) rule.until = parseUntil(until);
  if (rule.count !== undefined && rule.until !== undefined) throw new RRuleError("COUNT and UNTIL cannot both be set");

  const byDay = parts.get("BYDAY");
  if (byDay !== undefined) rule.byDay = byDay.split(",").map((item) => parseWeekdayRule(item, freq));
  const byMonthDay = parts.get("BYMONTHDAY");
  if (byMonthDay !== undefined) {
    if (freq === "WEEKLY") throw new RRuleError("BYMONTHDAY cannot be used with FREQ=WEEKLY (RFC 5545)");
    rule.byMonthDay = parseIntList("BYMONTHDAY", byMonthDay, 31, true);
  }
  const byMonth = parts.get("BYMONTH");
  if (byMonth !== undefined) rule.byMonth = parseIntList("BYMONTH", byMonth, 12, false);
  const bySetPos = parts.get("BYSETPOS");
  if (bySetPos !== undefined) {
    rule.bySetPos = parseIntList("BYSETPOS", bySetPos, 366, true);
    if (byDay === undefined && byMonthDay === undefined && byMonth === undefined) {
      throw new RRuleError("BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH to choose from");
    }
  }
  const weekStart = parts.get("WKST");
  if (weekStart !== undefined) {
    if (!WEEKDAYS.includes(weekStart as Weekday)) throw new RRuleError(`WKST "${weekStart}" is not a weekday`);
    rule.weekStart = weekStart as Weekday;
  }
  return rule;
}

const KNOWN_PARTS = new Set([
  "FREQ",
  "INTERVAL",
  "COUNT",
  "UNTIL",
  "BYDAY",
  "BYMONTHDAY",
  "BYMONTH",
  "BYSETPOS",
  "WKST",
]);

function parsePositiveInt(part: string, value: string, max: number): number {
  if (!/^\d+$/.test(value)) throw new RRuleError(`${part} "${value}" is not a whole number`);
  const n = Number(value);
  if (n < 1 || n > max) throw new RRuleError(`${part} ${value} is out of range (1..${max})`);
  return n;
}

function parseIntList(part: string, value: string, max: number, negativeAllowed: boolean): number[] {
  const seen = new Set<number>();
  for (const item of value.split(",")) {
    if (!/^[+-]?\d+$/.test(item)) throw new RRuleError(`${part} "${item}" is not a whole number`);
    const n = Number(item);
    const ok = n !== 0 && Math.abs(n) <= max && (negativeAllowed || n > 0);
    if (!ok) {
      const range = negativeAllowed ? `1..${max} or -${max}..-1` : `1..${max}`;
      throw new RRuleError(`${part} ${item} is out of range (${range})`);
    }
    seen.add(n);
  }
  return [...seen];
}

function parseWeekdayRule(item: string, freq: Frequency): WeekdayRule {
  const match = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
  const weekday = match?.[2] as Weekday | undefined;
  if (!match || weekday === undefined || !WEEKDAYS.includes(weekday)) {
    throw new RRuleError(`BYDAY "${item}" is not a weekday (expected e.g. TH, 3TH or -1FR)`);
  }
  if (match[1] === undefined) return { weekday };
  const ordinal = Number(match[1]);
  if (freq !== "MONTHLY" && freq !== "YEARLY") {
    throw new RRuleError(`BYDAY "${item}": a numbered weekday needs FREQ=MONTHLY or YEARLY`);
  }
  const max = freq === "MONTHLY" ? 5 : 53;
  if (ordinal === 0 || Math.abs(ordinal) > max) {
    throw new RRuleError(`BYDAY "${item}": the number must be 1..${max} or -${max}..-1`);
  }
  return { weekday, ordinal };
}

function parseUntil(value: string): LocalDate {
  const match = /^(\d{4})(\d{2})(\d{2})(T\d{6}Z?)?$/.exec(value);
  if (!match) throw new RRuleError(`UNTIL "${value}" is not a date (expected YYYYMMDD or YYYYMMDDTHHMMSS[Z])`);
  const date = `${match[1]}-${match[2]}-${match[3]}`;
  if (parseLocalDateDays(date) === undefined) throw new RRuleError(`UNTIL "${value}" is not a real date`);
  return date;
}

// ---------------------------------------------------------------------------------------------------------------
// Expansion

/** The rule with weekdays as indexes and the DTSTART-derived defaults, ready for period arithmetic. */
interface CompiledRule {
  freq: Frequency;
  interval: number;
  plainWeekdays: number[];
  numberedWeekdays: { weekday: number; ordinal: number }[];
  hasByDay: boolean;
  weekdayMask: number;
  monthDays: number[];
  monthMask: number;
  months: number[];
  bySetPos: number[];
  weekStart: number;
  untilDay: number;
}

const compiledRules = new WeakMap<RecurrenceRule, CompiledRule>();

function compile(rule: RecurrenceRule): CompiledRule {
  const cached = compiledRules.get(rule);
  if (cached) return cached;
  if (!Number.isInteger(rule.interval) || rule.interval < 1)
    throw new RangeError("interval must be a positive integer");
  const plainWeekdays: number[] = [];
  const numberedWeekdays: { weekday: number; ordinal: number }[] = [];
  let weekdayMask = 0;
  for (const { weekday, ordinal } of rule.byDay) {
    const index = WEEKDAYS.indexOf(weekday);
    if (ordinal === undefined) {
      plainWeekdays.push(index);
      weekdayMask |= 1 << index;
    } else numberedWeekdays.push({ weekday: index, ordinal });
  }
  let monthMask = 0;
  for (const m of rule.byMonth) monthMask |= 1 << m;
  const compiled: CompiledRule = {
    freq: rule.freq,
    interval: rule.interval,
    plainWeekdays,
    numberedWeekdays,
    hasByDay: rule.byDay.length > 0,
    weekdayMask,
    monthDays: rule.byMonthDay,
    monthMask,
    months: [...rule.byMonth].sort((a, b) => a - b),
    bySetPos: rule.bySetPos,
    weekStart: WEEKDAYS.indexOf(rule.weekStart),
    untilDay: rule.until === undefined ? LAST_DAY : Math.min(LAST_DAY, localDateDays(rule.until, "until")),
  };
  compiledRules.set(rule, compiled);
  return compiled;
}

/** What DTSTART supplies when the BY* parts leave a period's dates open (RFC 5545 §3.3.10). */
interface Anchor {
  day: number;
  weekday: number;
  month: number;
  monthDay: number;
}

function periodOf(c: CompiledRule, day: number): number {
  switch (c.freq) {
    case "DAILY":
      return day;
    case "WEEKLY":
      return floorDiv(day + 3 - c.weekStart, 7);
    case "MONTHLY": {
      const [y, m] = civilFromDays(day);
      return y * 12 + m - 1;
    }
    case "YEARLY":
      return civilFromDays(day)[0];
  }
}

/** Consecutive periods in one 400-year Gregorian cycle: after that many empty ones the rule never matches. */
const CYCLE_PERIODS: Record<Frequency, number> = { DAILY: 146097, WEEKLY: 20871, MONTHLY: 4800, YEARLY: 400 };

function matchesMonthDay(c: CompiledRule, day: number): boolean {
  const [y, m, d] = civilFromDays(day);
  if (c.monthMask !== 0 && (c.monthMask & (1 << m)) === 0) return false;
  if (c.monthDays.length === 0) return true;
  const length = daysInMonth(y, m);
  return c.monthDays.some((v) => (v > 0 ? v === d : length + v + 1 === d));
}

/** Bit d set for each day-of-month d (1..31) of the month the rule gives. */
function monthDayBits(c: CompiledRule, year: number, month: number, anchor: Anchor): number {
  const length = daysInMonth(year, month);
  const hasMonthDays = c.monthDays.length > 0;
  if (!c.hasByDay && !hasMonthDays) return anchor.monthDay <= length ? 1 << anchor.monthDay : 0;
  let monthDayMask = 0;
  for (const v of c.monthDays) {
    const d = v > 0 ? v : length + v + 1;
    if (d >= 1 && d <= length) monthDayMask |= 1 << d;
  }
  if (!c.hasByDay) return monthDayMask;
  const firstWeekday = weekdayIndex(daysFromCivil(year, month, 1));
  let weekdayMask = 0;
  for (const weekday of c.plainWeekdays) {
    for (let d = 1 + mod(weekday - firstWeekday, 7); d <= length; d += 7) weekdayMask |= 1 << d;
  }
  for (const { weekday, ordinal } of c.numberedWeekdays) {
    let d: number;
    if (ordinal > 0) d = 1 + mod(weekday - firstWeekday, 7) + 7 * (ordinal - 1);
    else d = length - mod(firstWeekday + length - 1 - weekday, 7) + 7 * (ordinal + 1);
    if (d >= 1 && d <= length) weekdayMask |= 1 << d;
  }
  return hasMonthDays ? monthDayMask & weekdayMask : weekdayMask;
}

function pushMonth(out: number[], c: CompiledRule, year: number, month: number, anchor: Anchor): void {
  const bits = monthDayBits(c, year, month, anchor);
  if (bits === 0) return;
  const base = daysFromCivil(year, month, 1) - 1;
  for (let d = 1; d <= 31; d++) if ((bits >>> d) & 1) out.push(base + d);
}

/** Weekdays of a whole year, numbered within the year (YEARLY with BYDAY but no BYMONTH). */
function yearWeekdays(c: CompiledRule, year: number): number[] {
  const first = daysFromCivil(year, 1, 1);
  const last = daysFromCivil(year, 12, 31);
  const firstWeekday = weekdayIndex(first);
  const lastWeekday = weekdayIndex(last);
  const out: number[] = [];
  for (const weekday of c.plainWeekdays) {
    for (let d = first + mod(weekday - firstWeekday, 7); d <= last; d += 7) out.push(d);
  }
  for (const { weekday, ordinal } of c.numberedWeekdays) {
    const d =
      ordinal > 0
        ? first + mod(weekday - firstWeekday, 7) + 7 * (ordinal - 1)
        : last - mod(lastWeekday - weekday, 7) + 7 * (ordinal + 1);
    if (d >= first && d <= last) out.push(d);
  }
  const filtered = c.monthDays.length > 0 ? out.filter((d) => matchesMonthDay(c, d)) : out;
  return sortUnique(filtered);
}

function sortUnique(days: number[]): number[] {
  days.sort((a, b) => a - b);
  let n = 0;
  for (let i = 0; i < days.length; i++) if (i === 0 || days[i] !== days[i - 1]) days[n++] = days[i] as number;
  days.length = n;
  return days;
}

/** The sorted day numbers the rule gives in one period, before DTSTART/UNTIL/COUNT are applied. */
function periodDays(c: CompiledRule, period: number, anchor: Anchor): number[] {
  const out: number[] = [];
  switch (c.freq) {
    case "DAILY": {
      const ok =
        (!c.hasByDay || (c.weekdayMask & (1 << weekdayIndex(period))) !== 0) &&
        ((c.monthMask === 0 && c.monthDays.length === 0) || matchesMonthDay(c, period));
      if (ok) out.push(period);
      break;
    }
    case "WEEKLY": {
      const start = 7 * period - 3 + c.weekStart;
      const mask = c.hasByDay ? c.weekdayMask : 1 << anchor.weekday;
      const filterMonths = c.monthMask !== 0 || c.monthDays.length > 0;
      for (let i = 0; i < 7; i++) {
        const day = start + i;
        if ((mask & (1 << weekdayIndex(day))) !== 0 && (!filterMonths || matchesMonthDay(c, day))) out.push(day);
      }
      break;
    }
    case "MONTHLY": {
      const year = floorDiv(period, 12);
      const month = period - year * 12 + 1;
      if (c.monthMask === 0 || (c.monthMask & (1 << month)) !== 0) pushMonth(out, c, year, month, anchor);
      break;
    }
    case "YEARLY": {
      if (c.hasByDay && c.months.length === 0) return applySetPos(c, yearWeekdays(c, period));
      const months =
        c.months.length > 0 ? c.months : c.hasByDay || c.monthDays.length > 0 ? ALL_MONTHS : [anchor.month];
      for (const month of months) pushMonth(out, c, period, month, anchor);
      break;
    }
  }
  return applySetPos(c, out);
}

const ALL_MONTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

function applySetPos(c: CompiledRule, days: number[]): number[] {
  if (c.bySetPos.length === 0 || days.length === 0) return days;
  const chosen: number[] = [];
  for (const pos of c.bySetPos) {
    const day = pos > 0 ? days[pos - 1] : days[days.length + pos];
    if (day !== undefined) chosen.push(day);
  }
  return sortUnique(chosen);
}

/** Day numbers ≥ max(fromDay, dtstart), ≤ untilDay, without COUNT, starting at fromDay's period. */
function* expandDays(c: CompiledRule, anchor: Anchor, fromDay: number, untilDay: number): Generator<number> {
  const start = Math.max(fromDay, anchor.day);
  const firstPeriod = periodOf(c, anchor.day);
  // Jump straight to the first period on the INTERVAL grid that can hold `start`.
  let period = firstPeriod + Math.ceil((periodOf(c, start) - firstPeriod) / c.interval) * c.interval;
  const lastPeriod = periodOf(c, untilDay);
  let emptyPeriods = 0;
  while (emptyPeriods < CYCLE_PERIODS[c.freq]) {
    const days = periodDays(c, period, anchor);
    if (days.length === 0) emptyPeriods++;
    else {
      emptyPeriods = 0;
      for (const day of days) {
        if (day > untilDay) return;
        if (day >= start) yield day;
      }
    }
    if (period >= lastPeriod) return;
    period += c.interval;
  }
}

/** Per rule and DTSTART: the day of the COUNT-th occurrence (Infinity when the rule ends sooner). */
const countEnds = new WeakMap<RecurrenceRule, Map<number, number>>();

function countEndDay(rule: RecurrenceRule, c: CompiledRule, anchor: Anchor, count: number): number {
  let byStart = countEnds.get(rule);
  if (!byStart) {
    byStart = new Map();
    countEnds.set(rule, byStart);
  }
  const cached = byStart.get(anchor.day);
  if (cached !== undefined) return cached;
  let seen = 0;
  let end = Number.POSITIVE_INFINITY;
  for (const day of expandDays(c, anchor, anchor.day, c.untilDay)) {
    if (++seen === count) {
      end = day;
      break;
    }
  }
  byStart.set(anchor.day, end);
  return end;
}

/**
 * Local dates the rule gives from `dtstart` (its anchor: INTERVAL and COUNT count from here), ascending,
 * only those ≥ fromDate. Like rrule.js and unlike RFC 5545, `dtstart` itself is not an occurrence unless the
 * rule matches it. Ends when UNTIL or COUNT is reached, or when the rule can never match again.
 */
export function* expandRule(rule: RecurrenceRule, dtstart: LocalDate, fromDate: LocalDate): Generator<LocalDate> {
  const c = compile(rule);
  const startDay = localDateDays(dtstart, "dtstart");
  const fromDay = localDateDays(fromDate, "fromDate");
  const [, month, monthDay] = civilFromDays(startDay);
  const anchor: Anchor = { day: startDay, weekday: weekdayIndex(startDay), month, monthDay };
  // COUNT becomes an UNTIL found once per rule and anchor, so later queries can jump like the others.
  const untilDay =
    rule.count === undefined ? c.untilDay : Math.min(c.untilDay, countEndDay(rule, c, anchor, rule.count));
  for (const day of expandDays(c, anchor, fromDay, untilDay)) yield formatLocalDate(day);
}
