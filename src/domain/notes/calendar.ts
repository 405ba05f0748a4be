// Plain proleptic-Gregorian calendar arithmetic on (year, month, day): no zones, no clock.

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

const MS_PER_DAY = 86_400_000;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const roundTrip = fromDayNumber(toDayNumber(year, month, day));
  return roundTrip.year === year && roundTrip.month === month && roundTrip.day === day;
}

/** Days since 1970-01-01; out-of-range days and months roll over, as Date.UTC does. */
export function toDayNumber(year: number, month: number, day: number): number {
  // Date.UTC maps years 0-99 to 1900-1999; setting the full year afterwards avoids that.
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year + (date.getUTCFullYear() - 2000));
  return Math.round(date.getTime() / MS_PER_DAY);
}

export function fromDayNumber(dayNumber: number): CalendarDate {
  const date = new Date(dayNumber * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

/** 0 = Sunday. */
export function weekdayOf(year: number, month: number, day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((toDayNumber(year, month, day) + 4) % 7) + 7) % 7;
}

export function toIsoDate({ year, month, day }: CalendarDate): string {
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

export function parseIsoDate(text: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return undefined;
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  return isRealDate(year, month, day) ? { year, month, day } : undefined;
}

/** "Thursday, August 17, 2023" */
export function formatLongDate({ year, month, day }: CalendarDate): string {
  return `${WEEKDAY_NAMES[weekdayOf(year, month, day)]}, ${MONTH_NAMES[month - 1]} ${day}, ${year}`;
}
