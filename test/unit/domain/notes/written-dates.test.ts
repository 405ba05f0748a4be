// Schedules used below, written out by hand:
//   Podman Community Meeting: first Tuesday of each month until Dec 2021, then first Tuesday of even months.
//   Cabal: third Thursday monthly until Oct 2023, third Tuesday Nov 2023 - Jun 2024,
//          first Tuesday of odd months Jul 2024 - May 2026.
import { describe, expect, it } from "vitest";
import type { WrittenDate } from "../../../../src/domain/notes/parse-notes.js";
import { reconcileWrittenDate } from "../../../../src/domain/notes/written-dates.js";

const SUN = 0;
const TUE = 2;
const WED = 3;
const THU = 4;

interface Case {
  name: string;
  written: WrittenDate;
  scheduled: string[];
  expectedYear?: number;
  date?: string;
  /** Pieces the correction must contain; undefined = no correction. */
  correctionMentions?: string[];
}

const cases: Case[] = [
  {
    name: "2020-12-01 notes: next meeting written with last year's year",
    written: { text: "Tuesday February 2, 2020", year: 2020, month: 2, day: 2, weekday: TUE },
    scheduled: ["2020-12-01", "2021-01-05", "2021-02-02", "2021-03-02"],
    date: "2021-02-02",
    correctionMentions: ["Tuesday February 2, 2020", "Tuesday, February 2, 2021"],
  },
  {
    name: "2022-02-01 notes: next community meeting written as 2021",
    written: { text: "Tuesday April 5, 2021", year: 2021, month: 4, day: 5, weekday: TUE },
    scheduled: ["2022-02-01", "2022-04-05", "2022-06-07"],
    date: "2022-04-05",
    correctionMentions: ["Tuesday April 5, 2021", "Tuesday, April 5, 2022"],
  },
  {
    name: "2022-02-01 notes: next cabal written as 2021",
    written: { text: "Thursday February 17, 2021", year: 2021, month: 2, day: 17, weekday: THU },
    scheduled: ["2022-01-20", "2022-02-17", "2022-03-17"],
    date: "2022-02-17",
    correctionMentions: ["Thursday February 17, 2021", "Thursday, February 17, 2022"],
  },
  {
    name: "2022-02-01 notes: the meeting's own date written as 2021 (no weekday)",
    written: { text: "February 1, 2021", year: 2021, month: 2, day: 1 },
    scheduled: ["2021-12-07", "2022-02-01", "2022-04-05"],
    expectedYear: 2022,
    date: "2022-02-01",
    correctionMentions: ["February 1, 2021", "Tuesday, February 1, 2022"],
  },
  {
    name: "weekday right, day off by one: Thursday, August 16, 2023 for the 17th",
    written: { text: "Thursday, August 16, 2023", year: 2023, month: 8, day: 16, weekday: THU },
    scheduled: ["2023-07-20", "2023-08-17", "2023-09-21"],
    date: "2023-08-17",
    correctionMentions: ["Thursday, August 16, 2023", "Thursday, August 17"],
  },
  {
    name: "2024-01-16 notes: start line says January 16, 2023",
    written: { text: "Tuesday, January 16, 2023", year: 2023, month: 1, day: 16, weekday: TUE },
    scheduled: ["2023-11-21", "2023-12-19", "2024-01-16", "2024-02-20"],
    date: "2024-01-16",
    correctionMentions: ["Tuesday, January 16, 2023", "Tuesday, January 16, 2024"],
  },
  {
    name: "right as written: 2021-07-15 notes' next cabal",
    written: { text: "Thursday August 19, 2021", year: 2021, month: 8, day: 19, weekday: THU },
    scheduled: ["2021-07-15", "2021-08-19", "2021-09-16"],
    date: "2021-08-19",
  },
  {
    name: "right as written, cabal on its 2024 first-Tuesday schedule",
    written: { text: "Tuesday, September 3, 2024", year: 2024, month: 9, day: 3, weekday: TUE },
    scheduled: ["2024-07-02", "2024-09-03", "2024-11-05"],
    date: "2024-09-03",
  },
  {
    // Oct 4, 2022 is a Tuesday and no Thursday meeting is that week: nothing explains it.
    name: "2022-09-15 notes: start line 'Thursday October 4, 2022' is unexplained",
    written: { text: "Thursday October 4, 2022", year: 2022, month: 10, day: 4, weekday: THU },
    scheduled: ["2022-09-15", "2022-10-20"],
    date: "2022-10-04",
  },
  {
    // The previous meeting's date, copied: it is a real scheduled date, so the schedule cannot object.
    name: "2023-12-12 notes: start line names the (scheduled) November meeting",
    written: { text: "Tuesday, November 21, 2023", year: 2023, month: 11, day: 21, weekday: TUE },
    scheduled: ["2023-11-21", "2023-12-19"],
    date: "2023-11-21",
  },
  {
    name: "scheduled date with the wrong weekday: the date stands, the weekday is pointed out",
    written: { text: "Thursday, June 6, 2023", year: 2023, month: 6, day: 6, weekday: THU },
    scheduled: ["2023-04-04", "2023-06-06", "2023-08-01"],
    date: "2023-06-06",
    correctionMentions: ["Thursday, June 6, 2023", "Tuesday"],
  },
  {
    name: "no weekday, one day off",
    written: { text: "August 16, 2023", year: 2023, month: 8, day: 16 },
    scheduled: ["2023-07-20", "2023-08-17"],
    date: "2023-08-17",
    correctionMentions: ["August 16, 2023", "Thursday, August 17, 2023"],
  },
  {
    // Wednesday is right for August 16, 2023: a deliberate date, not a slip.
    name: "weekday consistent with an unscheduled date: keep it",
    written: { text: "Wednesday, August 16, 2023", year: 2023, month: 8, day: 16, weekday: WED },
    scheduled: ["2023-08-17"],
    date: "2023-08-16",
  },
  {
    name: "no year written: the expected year",
    written: { text: "March 4", month: 3, day: 4 },
    scheduled: ["2025-01-07", "2025-03-04"],
    expectedYear: 2025,
    date: "2025-03-04",
  },
  {
    name: "no year anywhere: the schedule's only March 4",
    written: { text: "Tuesday, March 4", month: 3, day: 4, weekday: TUE },
    scheduled: ["2025-01-07", "2025-03-04", "2025-05-06"],
    date: "2025-03-04",
  },
  {
    name: "no year anywhere and nothing scheduled then: no date",
    written: { text: "March 9", month: 3, day: 9 },
    scheduled: ["2025-01-07", "2025-03-04"],
  },
  {
    name: "two years equally near: no guess, the written date stays",
    written: { text: "February 2, 2020", year: 2020, month: 2, day: 2 },
    scheduled: ["2019-02-02", "2021-02-02"],
    date: "2020-02-02",
  },
  {
    name: "not a real date and unexplained: no date",
    written: { text: "February 30, 2023", year: 2023, month: 2, day: 30 },
    scheduled: ["2023-02-16", "2023-03-16"],
  },
  {
    name: "not a real date, but the weekday names a scheduled meeting that week",
    written: { text: "Sunday, February 30, 2020", year: 2020, month: 2, day: 30, weekday: SUN },
    scheduled: ["2020-03-01"],
    date: "2020-03-01",
    correctionMentions: ["Sunday, February 30, 2020", "Sunday, March 1, 2020"],
  },
  {
    name: "empty schedule: the written date when it is real",
    written: { text: "Tuesday, June 2, 2026", year: 2026, month: 6, day: 2, weekday: TUE },
    scheduled: [],
    date: "2026-06-02",
  },
  {
    name: "garbage in the schedule is ignored",
    written: { text: "Tuesday, June 2, 2026", year: 2026, month: 6, day: 2, weekday: TUE },
    scheduled: ["not a date", "2026-13-45", "2026-06-02"],
    date: "2026-06-02",
  },
];

describe("reconcileWrittenDate", () => {
  it.each(cases)("$name", ({ written, scheduled, expectedYear, date, correctionMentions }) => {
    const result = reconcileWrittenDate(written, scheduled, expectedYear);
    expect(result.date).toBe(date);
    if (correctionMentions === undefined) {
      expect(result.correction).toBeUndefined();
    } else {
      expect(result.correction).toBeDefined();
      for (const piece of correctionMentions) expect(result.correction).toContain(piece);
    }
  });
});
