// expandRule against two independent references: rrule.js (floating dates at UTC midnight) and a day-by-day scan.
import fc from "fast-check";
import * as rruleModule from "rrule";
import { describe, expect, it } from "vitest";
import { civilFromDays, daysFromCivil } from "../../../src/domain/local-date.js";
import { expandRule, parseRRule } from "../../../src/domain/recurrence.js";

// rrule ships CommonJS for Node and ESM for bundlers; take RRule from whichever shape arrives.
type RRuleModule = typeof import("rrule");
const { RRule } = (rruleModule as RRuleModule & { default?: RRuleModule }).default ?? (rruleModule as RRuleModule);

const DAY_MS = 86_400_000;
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
const FREQS = ["DAILY", "WEEKLY", "MONTHLY", "YEARLY"] as const;
type Freq = (typeof FREQS)[number];

interface Spec {
  freq: Freq;
  interval: number;
  byDay: { weekday: number; ordinal?: number }[];
  byMonthDay: number[];
  byMonth: number[];
  bySetPos: number[];
  count?: number;
  untilOffset?: number;
  weekStart: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Generators

const nonZero = (max: number) => fc.oneof(fc.integer({ min: 1, max }), fc.integer({ min: -max, max: -1 }));
const sometimes = <T>(arb: fc.Arbitrary<T[]>, emptyWeight: number) =>
  fc.oneof({ weight: emptyWeight, arbitrary: fc.constant([] as T[]) }, { weight: 2, arbitrary: arb });

function byDayArb(freq: Freq): fc.Arbitrary<Spec["byDay"]> {
  const ordinal =
    freq === "MONTHLY"
      ? fc.option(nonZero(5), { nil: undefined })
      : freq === "YEARLY"
        ? fc.option(fc.oneof(nonZero(5), nonZero(53)), { nil: undefined })
        : fc.constant(undefined);
  const entry = fc.record({ weekday: fc.integer({ min: 0, max: 6 }), ordinal });
  return sometimes(
    fc.uniqueArray(entry, { minLength: 1, maxLength: 4, selector: (e) => `${e.ordinal ?? ""}${e.weekday}` }),
    2,
  );
}

const specArb: fc.Arbitrary<Spec> = fc.constantFrom(...FREQS).chain((freq) =>
  fc
    .record({
      freq: fc.constant(freq),
      interval: fc.oneof(
        { weight: 2, arbitrary: fc.constant(1) },
        { weight: 2, arbitrary: fc.integer({ min: 2, max: 4 }) },
      ),
      byDay: byDayArb(freq),
      // RFC 5545 has no BYMONTHDAY for WEEKLY; the parser refuses it.
      byMonthDay:
        freq === "WEEKLY"
          ? fc.constant<number[]>([])
          : sometimes(fc.uniqueArray(nonZero(31), { minLength: 1, maxLength: 3 }), 3),
      byMonth: sometimes(fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }), 3),
      bySetPos: sometimes(fc.uniqueArray(nonZero(4), { minLength: 1, maxLength: 2 }), 4),
      end: fc.oneof(
        fc.constant({}),
        fc.record({ count: fc.integer({ min: 1, max: 40 }) }),
        fc.record({ untilOffset: fc.integer({ min: 0, max: 2000 }) }),
      ),
      weekStart: fc.integer({ min: 0, max: 6 }),
    })
    .map(({ end, ...rest }) => {
      const spec: Spec = { ...rest, ...end };
      // The parser refuses BYSETPOS with nothing to choose from (RFC 5545 asks for another BY part).
      if (spec.byDay.length + spec.byMonthDay.length + spec.byMonth.length === 0) spec.bySetPos = [];
      return spec;
    }),
);

const DAY_2020 = daysFromCivil(2020, 1, 1);
const DAY_2028_END = daysFromCivil(2028, 12, 31);
const caseArb = fc.record({
  spec: specArb,
  dtstart: fc.integer({ min: DAY_2020, max: DAY_2028_END }),
  windowOffset: fc.integer({ min: -200, max: 800 }),
});

// ---------------------------------------------------------------------------------------------------------------
// Helpers that use only Date's UTC calendar, so they share nothing with the code under test

const iso = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);
const dayOf = (date: Date): number => Math.round(date.getTime() / DAY_MS);

function ruleText(spec: Spec, dtstart: number): string {
  const parts = [`FREQ=${spec.freq}`, `INTERVAL=${spec.interval}`, `WKST=${WEEKDAYS[spec.weekStart]}`];
  if (spec.byDay.length) {
    parts.push(`BYDAY=${spec.byDay.map((d) => `${d.ordinal ?? ""}${WEEKDAYS[d.weekday]}`).join(",")}`);
  }
  if (spec.byMonthDay.length) parts.push(`BYMONTHDAY=${spec.byMonthDay.join(",")}`);
  if (spec.byMonth.length) parts.push(`BYMONTH=${spec.byMonth.join(",")}`);
  if (spec.bySetPos.length) parts.push(`BYSETPOS=${spec.bySetPos.join(",")}`);
  if (spec.count !== undefined) parts.push(`COUNT=${spec.count}`);
  if (spec.untilOffset !== undefined) parts.push(`UNTIL=${iso(dtstart + spec.untilOffset).replace(/-/g, "")}`);
  return parts.join(";");
}

function expandDates(spec: Spec, dtstart: number, from: number, to: number): string[] {
  const out: string[] = [];
  for (const date of expandRule(parseRRule(ruleText(spec, dtstart)), iso(dtstart), iso(from))) {
    if (date > iso(to)) break;
    out.push(date);
  }
  return out;
}

function oracleDates(spec: Spec, dtstart: number, from: number, to: number): string[] {
  const rule = new RRule({
    freq: { YEARLY: RRule.YEARLY, MONTHLY: RRule.MONTHLY, WEEKLY: RRule.WEEKLY, DAILY: RRule.DAILY }[spec.freq],
    interval: spec.interval,
    wkst: spec.weekStart,
    byweekday: spec.byDay.length
      ? spec.byDay.map(({ weekday, ordinal }) => {
          const day = [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU][weekday];
          if (!day) throw new Error("weekday");
          return ordinal === undefined ? day : day.nth(ordinal);
        })
      : null,
    bymonthday: spec.byMonthDay.length ? spec.byMonthDay : null,
    bymonth: spec.byMonth.length ? spec.byMonth : null,
    bysetpos: spec.bySetPos.length ? spec.bySetPos : null,
    count: spec.count ?? null,
    until: spec.untilOffset === undefined ? null : new Date((dtstart + spec.untilOffset) * DAY_MS),
    dtstart: new Date(dtstart * DAY_MS),
  });
  const dates = rule.between(new Date(from * DAY_MS), new Date(to * DAY_MS), true).map((d) => iso(dayOf(d)));
  return [...new Set(dates)];
}

/**
 * Rules on which rrule.js 2.8 is known to depart from RFC 5545, so it cannot judge them (the day-by-day scan
 * below still does).
 */
function oracleAgreesWithRfc(spec: Spec): boolean {
  // It intersects plain and numbered weekdays (BYDAY=MO,-1MO) where the RFC unites them.
  const numbered = spec.byDay.filter((d) => d.ordinal !== undefined).length;
  if (numbered > 0 && numbered < spec.byDay.length) return false;
  if (spec.bySetPos.length === 0) return true;
  // It takes the first date for a negative BYSETPOS beyond the set, and builds the first WEEKLY set from
  // DTSTART rather than from WKST.
  if (spec.bySetPos.some((pos) => Math.abs(pos) > 1) || spec.freq === "WEEKLY") return false;
  // It repeats a date that two positions pick, and counts it twice toward COUNT.
  return spec.bySetPos.length === 1 || spec.count === undefined;
}

interface DayParts {
  year: number;
  month: number;
  monthDay: number;
  weekday: number; // Monday = 0
  monthLength: number;
  yearDay: number;
  yearLength: number;
}

function dayParts(day: number): DayParts {
  const date = new Date(day * DAY_MS);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth() + 1;
  const jan1 = Date.UTC(year, 0, 1) / DAY_MS;
  return {
    year,
    month,
    monthDay: date.getUTCDate(),
    weekday: (date.getUTCDay() + 6) % 7,
    monthLength: new Date(Date.UTC(year, month, 0)).getUTCDate(),
    yearDay: day - jan1 + 1,
    yearLength: Date.UTC(year + 1, 0, 1) / DAY_MS - jan1,
  };
}

/** Whether a day passes the rule's BY* parts (and the DTSTART defaults), ignoring INTERVAL and BYSETPOS. */
function matchesByParts(spec: Spec, anchor: DayParts, p: DayParts): boolean {
  if (spec.byMonth.length && !spec.byMonth.includes(p.month)) return false;
  const monthDayOk = spec.byMonthDay.some((v) => (v > 0 ? v === p.monthDay : p.monthLength + v + 1 === p.monthDay));
  if (spec.byMonthDay.length && !monthDayOk) return false;
  if (spec.byDay.length) {
    const inMonth = spec.freq === "MONTHLY" || spec.byMonth.length > 0;
    const position = inMonth ? p.monthDay : p.yearDay;
    const length = inMonth ? p.monthLength : p.yearLength;
    return spec.byDay.some(
      ({ weekday, ordinal }) =>
        weekday === p.weekday &&
        (ordinal === undefined ||
          ordinal === Math.ceil(position / 7) ||
          ordinal === -Math.ceil((length - position + 1) / 7)),
    );
  }
  if (spec.freq === "WEEKLY") return p.weekday === anchor.weekday;
  if (spec.freq === "MONTHLY" && !spec.byMonthDay.length) return p.monthDay === anchor.monthDay;
  if (spec.freq === "YEARLY" && !spec.byMonthDay.length) {
    return p.monthDay === anchor.monthDay && (spec.byMonth.length > 0 || p.month === anchor.month);
  }
  return true;
}

/** Index of the day's period (day, week per WKST, month, year), consecutive periods differing by one. */
function periodIndex(spec: Spec, day: number, p: DayParts): number {
  switch (spec.freq) {
    case "DAILY":
      return day;
    case "WEEKLY":
      return (day - ((p.weekday - spec.weekStart + 7) % 7)) / 7;
    case "MONTHLY":
      return p.year * 12 + p.month;
    case "YEARLY":
      return p.year;
  }
}

/** The rule's dates in [from, to], by scanning every day from before DTSTART's period. */
function scannedDates(spec: Spec, dtstart: number, from: number, to: number, ignoreEnd = false): string[] {
  const anchor = dayParts(dtstart);
  const firstPeriod = periodIndex(spec, dtstart, anchor);
  const until = spec.untilOffset === undefined || ignoreEnd ? Number.POSITIVE_INFINITY : dtstart + spec.untilOffset;
  const count = ignoreEnd ? undefined : spec.count;
  const out: string[] = [];
  let seen = 0;
  let period: number | undefined;
  let members: number[] = [];
  const closePeriod = (): boolean => {
    if (period === undefined || (period - firstPeriod) % spec.interval !== 0) return true;
    const chosen = spec.bySetPos.length
      ? [...new Set(spec.bySetPos.map((pos) => members.at(pos > 0 ? pos - 1 : pos)))]
          .filter((d): d is number => d !== undefined)
          .sort((a, b) => a - b)
      : members;
    for (const day of chosen) {
      if (day < dtstart) continue;
      if (day > until || (count !== undefined && seen >= count)) return false;
      seen++;
      if (day >= from && day <= to) out.push(iso(day));
    }
    return true;
  };
  for (let day = dtstart - 370; day <= to + 370; day++) {
    const p = dayParts(day);
    const index = periodIndex(spec, day, p);
    if (index !== period) {
      if (!closePeriod()) return out;
      period = index;
      members = [];
    }
    if (index >= firstPeriod && matchesByParts(spec, anchor, p)) members.push(day);
  }
  closePeriod();
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describe("expandRule (properties)", () => {
  it("gives exactly the dates rrule.js gives, over a three-year window", () => {
    let compared = 0;
    fc.assert(
      fc.property(caseArb, ({ spec, dtstart, windowOffset }) => {
        const from = dtstart + windowOffset;
        const to = from + 3 * 365;
        // rrule.js walks on to year 9999 for a rule that stops matching, so only rules with later dates go to it.
        if (scannedDates(spec, dtstart, to + 1, to + 4 * 366, true).length === 0) return;
        if (!oracleAgreesWithRfc(spec)) return;
        compared++;
        expect(expandDates(spec, dtstart, from, to), ruleText(spec, dtstart)).toEqual(
          oracleDates(spec, dtstart, from, to),
        );
      }),
      { numRuns: 200 },
    );
    expect(compared).toBeGreaterThan(100);
  });

  it("gives every date that matches the rule in the window and no other", () => {
    fc.assert(
      fc.property(caseArb, ({ spec, dtstart, windowOffset }) => {
        const from = dtstart + windowOffset;
        const to = from + 3 * 365;
        expect(expandDates(spec, dtstart, from, to), ruleText(spec, dtstart)).toEqual(
          scannedDates(spec, dtstart, from, to),
        );
      }),
      { numRuns: 200 },
    );
  });

  it("jumping ahead gives the tail of the sequence from dtstart", () => {
    fc.assert(
      fc.property(caseArb, fc.integer({ min: 0, max: 3000 }), ({ spec, dtstart }, skip) => {
        const to = dtstart + 3500;
        const all = expandDates(spec, dtstart, dtstart, to);
        expect(expandDates(spec, dtstart, dtstart + skip, to)).toEqual(all.filter((d) => d >= iso(dtstart + skip)));
      }),
      { numRuns: 200 },
    );
  });

  it("converts day numbers like Date's UTC calendar", () => {
    fc.assert(
      fc.property(fc.integer({ min: -800_000, max: 2_900_000 }), (day) => {
        const date = new Date(day * DAY_MS);
        const civil: [number, number, number] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
        expect(civilFromDays(day)).toEqual(civil);
        expect(daysFromCivil(...civil)).toBe(day);
      }),
      { numRuns: 2000 },
    );
  });
});
