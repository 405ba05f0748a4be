// Dates as the notes parser handles them, (year, month, day), on top of the shared local-date arithmetic.
import {
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatLocalDate,
  formatLongDate as formatLocalLongDate,
  mod,
  parseLocalDateDays,
  weekdayOfDays,
} from "../local-date.js";

export const MONTH_NAMES = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** Days since 1970-01-01; out-of-range days and months roll over, as Date.UTC does. */
export function toDayNumber(year: number, month: number, day: number): number {
  const monthIndex = month - 1;
  return daysFromCivil(year + Math.floor(monthIndex / 12), mod(monthIndex, 12) + 1, 1) + day - 1;
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  const [year, month, day] = civilFromDays(dayNumber);
  return { year, month, day };
}

/** 0 = Sunday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return weekdayOfDays(toDayNumber(year, month, day));
}

export function toIsoDate(date: CalendarDate): string {
  return formatLocalDate(daysFromCivil(date.year, date.month, date.day));
}

export function parseIsoDate(text: string): CalendarDate | undefined {
  const days = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseLocalDateDays(text) : undefined;
  return days === undefined ? undefined : fromDayNumber(days);
}

/** "Thursday, August 17, 2023" */
export function formatLongDate(date: CalendarDate): string {
  return formatLocalLongDate(toIsoDate(date));
}
