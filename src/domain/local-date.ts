// Local calendar dates (`YYYY-MM-DD`) as day numbers: no zones, no clock.
// Day arithmetic is hand-written because the recurrence engine runs it in its hot loop (20 µs budget per query);
// names and long forms are formatted by Intl (ICU's en-US patterns), which the calendar already loads: date-fns's
// `format` brought 6 MB of memory and 20 ms of start for these four patterns.
import { BoundedMemo } from "./bounded-memo.js";
import type { LocalDate } from "./meeting.js";

export const floorDiv = (a: number, b: number): number => Math.floor(a / b);
export const mod = (a: number, b: number): number => ((a % b) + b) % b;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12), via 400-year eras starting in March. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = floorDiv(y, 400);
  const yearOfEra = y - era * 400;
  const monthFromMarch = (month + 9) % 12;
  const dayOfYear = floorDiv(153 * monthFromMarch + 2, 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Inverse of daysFromCivil: [year, month 1..12, day]. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = floorDiv(z, 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = floorDiv(
    dayOfEra - floorDiv(dayOfEra, 1460) + floorDiv(dayOfEra, 36524) - floorDiv(dayOfEra, 146096),
    365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + floorDiv(yearOfEra, 4) - floorDiv(yearOfEra, 100));
  const monthFromMarch = floorDiv(5 * dayOfYear + 2, 153);
  const day = dayOfYear - floorDiv(153 * monthFromMarch + 2, 5) + 1;
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return [yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const MONTH_LENGTHS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_LENGTHS[month - 1] ?? 0);
}

/** Monday = 0 … Sunday = 6 (RFC 5545 order); 1970-01-01 was a Thursday. */
export const weekdayIndex = (days: number): number => mod(days + 3, 7);

/** Day number of a `YYYY-MM-DD` date, or undefined when it is not a real date. */
export function parseLocalDateDays(date: string): number | undefined {
  if (date.length !== 10 || date[4] !== "-" || date[7] !== "-") return undefined;
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  return daysFromCivil(year, month, day);
}

export function localDateDays(date: string, what: string): number {
  const days = parseLocalDateDays(date);
  if (days === undefined) throw new RangeError(`${what} "${date}" is not a YYYY-MM-DD date`);
  return days;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
export function formatLocalDate(days: number): LocalDate {
  const [y, m, d] = civilFromDays(days);
  return `${y < 1000 ? String(y).padStart(4, "0") : y}-${pad2(m)}-${pad2(d)}`;
}

/** `date` moved by `days` calendar days. */
export function addDays(date: LocalDate, days: number): LocalDate {
  return formatLocalDate(localDateDays(date, "date") + days);
}

/** 0 = Sunday … 6 = Saturday, as Date#getDay and people's weekday lists count. */
export function weekdayOfDays(days: number): number {
  return mod(days + 4, 7);
}

/** The date as a UTC instant (noon, to be far from any edge), which the UTC formatters below read back. */
function asUtcNoon(days: number): number {
  return days * 86_400_000 + 43_200_000;
}

const DATE_FORMAT_OPTIONS = {
  long: { weekday: "long", month: "long", day: "numeric", year: "numeric" },
  short: { weekday: "short", month: "short", day: "numeric", year: "numeric" },
  weekday: { weekday: "short" },
  monthDay: { month: "short", day: "numeric" },
} as const satisfies Record<string, Intl.DateTimeFormatOptions>;
type DateForm = keyof typeof DATE_FORMAT_OPTIONS;

/** Built on first use: building the four (ICU's pattern generator) was ~40 ms of every start, before any reply. */
const dateFormats = new Map<DateForm, Intl.DateTimeFormat>();

function dateFormat(form: DateForm): Intl.DateTimeFormat {
  let format = dateFormats.get(form);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", ...DATE_FORMAT_OPTIONS[form] });
    dateFormats.set(form, format);
  }
  return format;
}

/** Dates already formatted: replies show the same few dates over and over. */
const formatted = new BoundedMemo<string, string>(4_096);

function formatDate(date: LocalDate, form: DateForm): string {
  return formatted.get(`${form}\n${date}`, () => dateFormat(form).format(asUtcNoon(localDateDays(date, "date"))));
}

/** "Thursday, August 17, 2023". */
export function formatLongDate(date: LocalDate): string {
  return formatDate(date, "long");
}

/** "Thu, Aug 17, 2023". */
export function formatShortDate(date: LocalDate): string {
  return formatDate(date, "short");
}

/** "Thu". */
export function formatWeekdayShort(date: LocalDate): string {
  return formatDate(date, "weekday");
}

/** "Aug 17". */
export function formatMonthDay(date: LocalDate): string {
  return formatDate(date, "monthDay");
}
