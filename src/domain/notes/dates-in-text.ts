// Finds dates written in English prose ("Tuesday, February 2, 2021", "Oct 1, 2024", "Jauary 19, 2023").
// The text is tokenized first and matched token by token, so the work stays linear in the line length.

import { MONTH_NAMES, WEEKDAY_NAMES } from "./calendar.js";
import type { WrittenDate } from "./types.js";

interface Token {
  text: string;
  start: number;
  end: number;
}

export interface FoundDate {
  written: WrittenDate;
  /** Offsets of the date in the searched text. */
  start: number;
  end: number;
}

const WEEKDAY_ABBREVIATIONS: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  tues: 2,
  wed: 3,
  thu: 4,
  thur: 4,
  thurs: 4,
  fri: 5,
  sat: 6,
};

/** Optimal-string-alignment distance, capped: returns limit + 1 as soon as it is exceeded. */
function editDistanceWithin(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, (beforePrevious[j - 2] ?? 0) + 1);
      }
      current[j] = best;
      rowMin = Math.min(rowMin, best);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}

/** Index in `names` of the full name `word` spells, allowing one typo in long words ("Jauary", "Thrusday"). */
function fuzzyNameIndex(word: string, names: readonly string[]): number | undefined {
  const lower = word.toLowerCase();
  const exact = names.findIndex((name) => name.toLowerCase() === lower);
  if (exact >= 0) return exact;
  if (lower.length < 5) return undefined;
  const close = names.flatMap((name, index) => {
    const target = name.toLowerCase();
    return target[0] === lower[0] && editDistanceWithin(lower, target, 1) <= 1 ? [index] : [];
  });
  return close.length === 1 ? close[0] : undefined;
}

/** 1-12 */
export function monthFromWord(word: string): number | undefined {
  if (word.length > 12) return undefined;
  const lower = word.toLowerCase();
  if (lower === "sept") return 9;
  if (lower.length === 3) {
    const index = MONTH_NAMES.findIndex((name) => name.slice(0, 3).toLowerCase() === lower);
    return index >= 0 ? index + 1 : undefined;
  }
  const index = fuzzyNameIndex(word, MONTH_NAMES);
  return index === undefined ? undefined : index + 1;
}

/** 0 = Sunday */
export function weekdayFromWord(word: string): number | undefined {
  if (word.length > 12) return undefined;
  const abbreviation = WEEKDAY_ABBREVIATIONS[word.toLowerCase()];
  if (abbreviation !== undefined) return abbreviation;
  return word.length >= 6 ? fuzzyNameIndex(word, WEEKDAY_NAMES) : undefined;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(/\p{L}+|\d+|\S/gu)) {
    tokens.push({ text: match[0], start: match.index, end: match.index + match[0].length });
  }
  return tokens;
}

const isDigits = (text: string) => /^\d+$/.test(text);
const ORDINAL_SUFFIX = /^(?:st|nd|rd|th)$/i;

/** Reads a day number at tokens[i] ("16", "16th"); returns it and the index after it. */
function readDay(tokens: Token[], i: number): { day: number; next: number } | undefined {
  const token = tokens[i];
  if (!token || !isDigits(token.text) || token.text.length > 2) return undefined;
  const day = Number(token.text);
  if (day < 1 || day > 31) return undefined;
  let next = i + 1;
  const suffix = tokens[next];
  if (suffix && suffix.start === token.end && ORDINAL_SUFFIX.test(suffix.text)) next++;
  const after = tokens[next];
  // "11:00" and "4.4" are times and versions, not days.
  if (after && after.start === tokens[next - 1]?.end && (after.text === ":" || isDigits(after.text))) return undefined;
  if (after?.text === "." && tokens[next + 1]?.start === after.end && isDigits(tokens[next + 1]?.text ?? "")) {
    return undefined;
  }
  return { day, next };
}

/** Reads ", 2021" / " 2021" at tokens[i]; returns the year and the index after it. */
function readYear(tokens: Token[], i: number): { year: number; next: number } | undefined {
  let index = i;
  if (tokens[index]?.text === ",") index++;
  const token = tokens[index];
  if (!token || !isDigits(token.text) || token.text.length !== 4) return undefined;
  const after = tokens[index + 1];
  if (after && after.start === token.end && (after.text === ":" || isDigits(after.text))) return undefined;
  const year = Number(token.text);
  return year >= 1900 && year < 2200 ? { year, next: index + 1 } : undefined;
}

function readWeekday(tokens: Token[], i: number): { weekday: number; next: number } | undefined {
  const token = tokens[i];
  if (!token) return undefined;
  const weekday = weekdayFromWord(token.text);
  if (weekday === undefined) return undefined;
  let next = i + 1;
  if (tokens[next]?.text === "." && tokens[next]?.start === token.end) next++;
  if (tokens[next]?.text === ",") next++;
  return { weekday, next };
}

function readMonth(tokens: Token[], i: number): { month: number; next: number } | undefined {
  const token = tokens[i];
  if (!token || !/^\p{L}+$/u.test(token.text)) return undefined;
  const month = monthFromWord(token.text);
  if (month === undefined) return undefined;
  let next = i + 1;
  if (tokens[next]?.text === "." && tokens[next]?.start === token.end) next++;
  return { month, next };
}

/** "2021-02-02" starting at tokens[i]. */
function readIsoDate(
  tokens: Token[],
  i: number,
): { year: number; month: number; day: number; next: number } | undefined {
  const parts = [tokens[i], tokens[i + 1], tokens[i + 2], tokens[i + 3], tokens[i + 4]];
  const [year, dash1, month, dash2, day] = parts;
  if (!year || !dash1 || !month || !dash2 || !day) return undefined;
  for (let k = 1; k < parts.length; k++) if (parts[k]?.start !== parts[k - 1]?.end) return undefined;
  if (dash1.text !== "-" || dash2.text !== "-") return undefined;
  if (!/^\d{4}$/.test(year.text) || !/^\d{2}$/.test(month.text) || !/^\d{2}$/.test(day.text)) return undefined;
  const m = Number(month.text);
  const d = Number(day.text);
  if (m < 1 || m > 12 || d < 1 || d > 31) return undefined;
  return { year: Number(year.text), month: m, day: d, next: i + 5 };
}

function dateAt(text: string, tokens: Token[], i: number): FoundDate | undefined {
  const iso = readIsoDate(tokens, i);
  if (iso) {
    const start = tokens[i]?.start ?? 0;
    const end = tokens[iso.next - 1]?.end ?? start;
    return {
      written: { text: text.slice(start, end), year: iso.year, month: iso.month, day: iso.day },
      start,
      end,
    };
  }
  const weekday = readWeekday(tokens, i);
  const from = weekday ? weekday.next : i;
  // Month first ("August 16, 2023"), then day first ("16 August 2023").
  let month: number | undefined;
  let day: number | undefined;
  let next = from;
  const monthFirst = readMonth(tokens, from);
  const dayAfterMonth = monthFirst ? readDay(tokens, monthFirst.next) : undefined;
  if (monthFirst && dayAfterMonth) {
    month = monthFirst.month;
    day = dayAfterMonth.day;
    next = dayAfterMonth.next;
  } else {
    const dayFirst = readDay(tokens, from);
    const monthAfterDay = dayFirst ? readMonth(tokens, dayFirst.next) : undefined;
    if (!dayFirst || !monthAfterDay) return undefined;
    day = dayFirst.day;
    month = monthAfterDay.month;
    next = monthAfterDay.next;
  }
  const year = readYear(tokens, next);
  const lastIndex = (year ? year.next : next) - 1;
  const start = tokens[i]?.start ?? 0;
  const end = tokens[lastIndex]?.end ?? start;
  const written: WrittenDate = { text: text.slice(start, end).replace(/[.,]$/, ""), month, day };
  if (year) written.year = year.year;
  if (weekday) written.weekday = weekday.weekday;
  return { written, start, end };
}

/** The first date in `text`, or only one at its very start when `atStart`. */
export function findWrittenDate(text: string, options: { atStart?: boolean } = {}): FoundDate | undefined {
  // A date at the start is short; no need to tokenize the whole line for it.
  const tokens = tokenize(options.atStart ? text.slice(0, 80) : text);
  const limit = options.atStart ? Math.min(1, tokens.length) : tokens.length;
  for (let i = 0; i < limit; i++) {
    const found = dateAt(text, tokens, i);
    if (found) return found;
  }
  return undefined;
}
