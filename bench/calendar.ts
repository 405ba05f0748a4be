// Calendar engine speed: nextOccurrence over 10,000 varied meetings from one fixed instant.

import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { nextOccurrence, occurrencesBetween, occurrencesFrom } from "../src/domain/calendar.js";
import type { Meeting, ScheduleRule } from "../src/domain/meeting.js";
import type { BenchRow } from "./bench-row.js";

const MEETINGS = 10_000;
const ROUNDS = 7;
const NOW = new Date("2025-06-15T12:00:00Z");

const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Chicago",
  "America/Sao_Paulo",
  "America/Santiago",
  "America/St_Johns",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Moscow",
  "Africa/Cairo",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tehran",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Australia/Sydney",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "Pacific/Chatham",
  "UTC",
];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"];

/** A small seeded generator, so every run builds the same meetings. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function buildMeetings(count: number): Meeting[] {
  const random = seeded(20230420);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const date = (yearFrom: number, yearTo: number): string => {
    const year = yearFrom + Math.floor(random() * (yearTo - yearFrom + 1));
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  };
  const time = (): string => `${String(7 + Math.floor(random() * 12)).padStart(2, "0")}:${pick(["00", "30"])}`;

  const shapes: (() => ScheduleRule[])[] = [
    // A history like Podman's Cabal: three rules, the last still running or ended.
    () => [
      { rrule: `FREQ=MONTHLY;BYDAY=3${pick(WEEKDAYS)}`, from: date(2020, 2020), until: "2021-10-31" },
      { rrule: `FREQ=MONTHLY;BYDAY=3${pick(WEEKDAYS)}`, from: "2021-11-01", until: "2023-06-30" },
      {
        rrule: `FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1${pick(WEEKDAYS)}`,
        from: "2023-07-01",
        ...(random() < 0.3 ? { until: "2025-05-05" } : {}),
      },
    ],
    // Like Podman's Community meeting: monthly, then every other month.
    () => [
      { rrule: "FREQ=MONTHLY;BYDAY=1TU", from: date(2020, 2021), until: "2021-12-31" },
      { rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU", from: "2022-01-01" },
    ],
    // Stand-ups: two weekly rules with their own times.
    () => [
      { rrule: `FREQ=WEEKLY;BYDAY=${pick(WEEKDAYS)}`, time: time(), from: date(2020, 2024) },
      { rrule: `FREQ=WEEKLY;BYDAY=${pick(WEEKDAYS)}`, time: time(), from: date(2020, 2024) },
    ],
    () => [{ rrule: `FREQ=WEEKLY;INTERVAL=2;BYDAY=${pick(WEEKDAYS)}`, from: date(2020, 2024) }],
    () => [{ rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", from: date(2020, 2024) }],
    () => [{ rrule: `FREQ=MONTHLY;BYDAY=-1${pick(WEEKDAYS)}`, from: date(2020, 2024) }],
    () => [{ rrule: "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", from: date(2020, 2024) }],
    () => [{ rrule: "FREQ=MONTHLY;BYMONTHDAY=-1", from: date(2020, 2024) }],
    () => [{ rrule: `FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=${1 + Math.floor(random() * 28)}`, from: date(2020, 2024) }],
    () => [{ rrule: "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", from: date(2020, 2024) }],
    () => [
      {
        rrule: `FREQ=WEEKLY;COUNT=${100 + Math.floor(random() * 200)};BYDAY=${pick(WEEKDAYS)}`,
        from: date(2020, 2024),
      },
    ],
    () => [{ rrule: `FREQ=MONTHLY;BYDAY=2${pick(WEEKDAYS)};UNTIL=20260101`, from: date(2020, 2024) }],
  ];

  const meetings: Meeting[] = [];
  for (let i = 0; i < count; i++) {
    const shape = shapes[i % shapes.length] as () => ScheduleRule[];
    meetings.push({
      id: `m${i}`,
      title: `Meeting ${i}`,
      rooms: [{ chat: "slack", room: "C0BENCH" }],
      timezone: pick(ZONES),
      time: time(),
      durationMinutes: 60,
      schedule: shape(),
      dates: random() < 0.2 ? [`${date(2025, 2025)}T${time()}`] : [],
      skip: random() < 0.2 ? [date(2025, 2025)] : [],
      remindersMs: [86_400_000, 600_000],
    });
  }
  return meetings;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Microseconds per meeting of one pass over all meetings. */
function pass(meetings: Meeting[], query: (meeting: Meeting) => unknown): number {
  const started = performance.now();
  let found = 0;
  for (const meeting of meetings) if (query(meeting) !== undefined) found++;
  const elapsed = performance.now() - started;
  if (found === 0) throw new Error("no meeting had an occurrence: the bench measures nothing");
  return (elapsed * 1000) / meetings.length;
}

export function benchCalendar(): BenchRow[] {
  const meetings = buildMeetings(MEETINGS);
  // The engine itself: nextOccurrence remembers its last answer per meeting, which a second pass would only read.
  const next = (meeting: Meeting) => occurrencesFrom(meeting, NOW).next().value;
  const monthEnd = new Date(NOW.getTime() + 30 * 86_400_000);
  const month = (meeting: Meeting) => occurrencesBetween(meeting, NOW, monthEnd);

  const cold = pass(meetings, next);
  pass(meetings, next); // warm-up
  const warm = median(Array.from({ length: ROUNDS }, () => pass(meetings, next)));
  // Instants the offset memo has not seen: each meeting asked from a different hour of the following year.
  let hour = 0;
  const spread = pass(
    meetings,
    (meeting) => occurrencesFrom(meeting, new Date(NOW.getTime() + 365 * 86_400_000 + ++hour * 3_600_000)).next().value,
  );
  for (const meeting of meetings) nextOccurrence(meeting, NOW);
  const remembered = median(Array.from({ length: ROUNDS }, () => pass(meetings, (m) => nextOccurrence(m, NOW))));
  pass(meetings, month);
  const monthly = median(Array.from({ length: ROUNDS }, () => pass(meetings, month)));

  return [
    { name: "nextOccurrence per meeting (10k meetings, median)", value: round(warm), unit: "µs", target: "< 20 µs" },
    { name: "nextOccurrence per meeting, first pass (parsing, zone caches)", value: round(cold), unit: "µs" },
    { name: "nextOccurrence per meeting, each from an unseen hour (one pass)", value: round(spread), unit: "µs" },
    { name: "nextOccurrence per meeting, remembered (until it starts)", value: round(remembered), unit: "µs" },
    { name: "occurrencesBetween 30 days per meeting (median)", value: round(monthly), unit: "µs" },
  ];
}

const round = (n: number): number => Math.round(n * 100) / 100;

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.table(benchCalendar());
}
