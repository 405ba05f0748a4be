// Cross-checks a date written in the notes against the meeting's schedule. Notes are typed by hand after the
// meeting and often carry last year's year or a weekday that does not fit the date; when exactly one
// scheduled meeting explains such a slip, that meeting's date wins and the caller gets a sentence saying so.

import {
  type CalendarDate,
  formatLongDate,
  isRealDate,
  MONTH_NAMES,
  parseIsoDate,
  toDayNumber,
  toIsoDate,
  WEEKDAY_NAMES,
  weekdayOf,
} from "./calendar.js";
import type { WrittenDate } from "./types.js";

export interface ReconciledDate {
  /** YYYY-MM-DD */
  date?: string;
  /** Why the date differs from what the notes say; absent when the notes are right (or nothing explains them). */
  correction?: string;
}

/** How far a wrong weekday may be from the meeting it meant: within the same week. */
const WEEKDAY_SLIP_DAYS = 3;

/** "the notes say "…", but the schedule has Thursday, August 17, 2023". */
export function correctionFor(written: WrittenDate, scheduled: CalendarDate): string {
  return `the notes say "${written.text}", but the schedule has ${formatLongDate(scheduled)}`;
}

function weekdayCorrection(written: WrittenDate, date: CalendarDate): string {
  const { year, month, day } = date;
  return `the notes say "${written.text}", but ${MONTH_NAMES[month - 1]} ${day}, ${year} is a ${WEEKDAY_NAMES[weekdayOf(year, month, day)]}`;
}

function uniqueOrUndefined<T>(items: T[]): T | undefined {
  return items.length === 1 ? items[0] : undefined;
}

interface Resolution {
  date: CalendarDate;
  correction?: string;
  /** Whether the schedule confirms the date (as written or corrected). */
  scheduled: boolean;
}

/** The written date resolved in `year`, against scheduled meeting days. */
function reconcileInYear(
  written: WrittenDate,
  scheduled: CalendarDate[],
  year: number,
  yearWasWritten: boolean,
): Resolution | undefined {
  const { month, day, weekday } = written;
  const scheduledDays = new Set(scheduled.map((date) => toDayNumber(date.year, date.month, date.day)));
  const real = isRealDate(year, month, day);
  const weekdayFits = weekday === undefined || (real && weekdayOf(year, month, day) === weekday);

  // Written right, or right but for the weekday.
  if (real && scheduledDays.has(toDayNumber(year, month, day))) {
    const date = { year, month, day };
    return weekdayFits
      ? { date, scheduled: true }
      : { date, correction: weekdayCorrection(written, date), scheduled: true };
  }

  // The year is off (a January meeting dated last year, a copied line): same month and day in another year,
  // on the written weekday if one was written; the nearest such year.
  if (yearWasWritten) {
    const sameDay = scheduled.filter(
      (date) =>
        date.month === month &&
        date.day === day &&
        (weekday === undefined || weekdayOf(date.year, date.month, date.day) === weekday),
    );
    const nearest = Math.min(...sameDay.map((date) => Math.abs(date.year - year)));
    const chosen = uniqueOrUndefined(sameDay.filter((date) => Math.abs(date.year - year) === nearest));
    if (chosen) return { date: chosen, correction: correctionFor(written, chosen), scheduled: true };
  }

  const writtenDay = toDayNumber(year, month, day);
  // The weekday does not fit the date: the scheduled meeting on that weekday in the same week.
  if (!weekdayFits && weekday !== undefined) {
    const onWeekday = scheduled.filter(
      (date) =>
        Math.abs(toDayNumber(date.year, date.month, date.day) - writtenDay) <= WEEKDAY_SLIP_DAYS &&
        weekdayOf(date.year, date.month, date.day) === weekday,
    );
    const chosen = uniqueOrUndefined(onWeekday);
    if (chosen) return { date: chosen, correction: correctionFor(written, chosen), scheduled: true };
  }

  // No weekday to go by: a scheduled meeting one day off.
  if (weekday === undefined && real) {
    const chosen = uniqueOrUndefined(
      scheduled.filter((date) => Math.abs(toDayNumber(date.year, date.month, date.day) - writtenDay) === 1),
    );
    if (chosen) return { date: chosen, correction: correctionFor(written, chosen), scheduled: true };
  }

  return real ? { date: { year, month, day }, scheduled: false } : undefined;
}

export function reconcileWrittenDate(written: WrittenDate, scheduled: string[], expectedYear?: number): ReconciledDate {
  const scheduledDates = scheduled.flatMap((text) => {
    const date = parseIsoDate(text);
    return date ? [date] : [];
  });
  const finish = (result: Resolution | undefined): ReconciledDate => {
    if (!result) return {};
    return result.correction
      ? { date: toIsoDate(result.date), correction: result.correction }
      : { date: toIsoDate(result.date) };
  };

  const year = written.year ?? expectedYear;
  if (year !== undefined) return finish(reconcileInYear(written, scheduledDates, year, written.year !== undefined));

  // No year anywhere: try each year the schedule covers and keep an answer only if the schedule explains it once.
  const years = [...new Set(scheduledDates.map((date) => date.year))];
  const confirmed = new Map<string, Resolution>();
  for (const candidateYear of years) {
    const result = reconcileInYear(written, scheduledDates, candidateYear, false);
    if (result?.scheduled) confirmed.set(toIsoDate(result.date), result);
  }
  return finish(uniqueOrUndefined([...confirmed.values()]));
}
