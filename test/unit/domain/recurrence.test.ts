import { describe, expect, it } from "vitest";
import { addDays, civilFromDays, daysFromCivil } from "../../../src/domain/local-date.js";
import { expandRule, parseRRule, type RecurrenceRule, RRuleError } from "../../../src/domain/recurrence.js";

function take(rule: string | RecurrenceRule, dtstart: string, from: string, n: number): string[] {
  const parsed = typeof rule === "string" ? parseRRule(rule) : rule;
  const out: string[] = [];
  for (const date of expandRule(parsed, dtstart, from)) {
    if (out.length >= n) break;
    out.push(date);
  }
  return out;
}

describe("parseRRule", () => {
  it.each([
    ["FREQ=MONTHLY;BYDAY=3TH", { freq: "MONTHLY", byDay: [{ weekday: "TH", ordinal: 3 }] }],
    ["RRULE:FREQ=WEEKLY;BYDAY=MO,TH", { freq: "WEEKLY", byDay: [{ weekday: "MO" }, { weekday: "TH" }] }],
    ["rrule:freq=monthly;byday=-1fr", { freq: "MONTHLY", byDay: [{ weekday: "FR", ordinal: -1 }] }],
    ["FREQ=MONTHLY;BYDAY=+2WE", { byDay: [{ weekday: "WE", ordinal: 2 }] }],
    ["FREQ=WEEKLY;INTERVAL=2;WKST=SU", { interval: 2, weekStart: "SU" }],
    ["FREQ=DAILY;COUNT=10", { freq: "DAILY", count: 10, interval: 1, weekStart: "MO" }],
    ["FREQ=DAILY;UNTIL=20231031", { until: "2023-10-31" }],
    ["FREQ=DAILY;UNTIL=20231031T235959Z", { until: "2023-10-31" }],
    ["FREQ=DAILY;UNTIL=20231031T120000", { until: "2023-10-31" }],
    ["FREQ=MONTHLY;BYMONTHDAY=1,-1", { byMonthDay: [1, -1] }],
    ["FREQ=YEARLY;BYMONTH=1,3,5;BYDAY=1TU", { byMonth: [1, 3, 5], byDay: [{ weekday: "TU", ordinal: 1 }] }],
    ["FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", { bySetPos: [-1] }],
    ["FREQ=YEARLY;BYDAY=20MO", { byDay: [{ weekday: "MO", ordinal: 20 }] }],
    [" FREQ=MONTHLY ; BYDAY=3TH ; ", { freq: "MONTHLY", byDay: [{ weekday: "TH", ordinal: 3 }] }],
  ])("parses %s", (text, expected) => {
    expect(parseRRule(text)).toMatchObject(expected);
  });

  it("fills the RFC defaults", () => {
    expect(parseRRule("FREQ=WEEKLY")).toEqual({
      freq: "WEEKLY",
      interval: 1,
      byDay: [],
      byMonthDay: [],
      byMonth: [],
      bySetPos: [],
      weekStart: "MO",
    });
  });

  it.each([
    ["FREQ=HOURLY", 'unknown FREQ "HOURLY" (expected DAILY, WEEKLY, MONTHLY or YEARLY)'],
    ["FREQ=MONTHLY;BYDAY=5XX", 'BYDAY "5XX" is not a weekday'],
    ["FREQ=DAILY;COUNT=3;UNTIL=20240101", "COUNT and UNTIL cannot both be set"],
    ["FREQ=DAILY;BYHOUR=10", "BYHOUR is not supported"],
    ["FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO is not supported"],
    ["FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY is not supported"],
    ["FREQ=DAILY;BYMINUTE=0", "BYMINUTE is not supported"],
    ["BYDAY=MO", "FREQ is missing"],
    ["", "empty RRULE"],
    ["RRULE:", "empty RRULE"],
    ["FREQ=DAILY;FOO=1", 'unknown rule part "FOO"'],
    ["FREQ=DAILY;FREQ=WEEKLY", "FREQ is given twice"],
    ["FREQ=DAILY;INTERVAL=0", "INTERVAL 0 is out of range"],
    ["FREQ=DAILY;INTERVAL=two", 'INTERVAL "TWO" is not a whole number'],
    ["FREQ=DAILY;COUNT=-1", 'COUNT "-1" is not a whole number'],
    ["FREQ=MONTHLY;BYMONTHDAY=0", "BYMONTHDAY 0 is out of range"],
    ["FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY 32 is out of range"],
    ["FREQ=YEARLY;BYMONTH=13", "BYMONTH 13 is out of range (1..12)"],
    ["FREQ=YEARLY;BYMONTH=-1", "BYMONTH -1 is out of range (1..12)"],
    ["FREQ=WEEKLY;BYDAY=1MO", 'BYDAY "1MO": a numbered weekday needs FREQ=MONTHLY or YEARLY'],
    ["FREQ=MONTHLY;BYDAY=6MO", 'BYDAY "6MO": the number must be 1..5'],
    ["FREQ=MONTHLY;BYDAY=0MO", 'BYDAY "0MO": the number must be'],
    ["FREQ=DAILY;UNTIL=20230230", 'UNTIL "20230230" is not a real date'],
    ["FREQ=DAILY;UNTIL=2023-10-31", 'UNTIL "2023-10-31" is not a date'],
    ["FREQ=WEEKLY;BYMONTHDAY=1", "BYMONTHDAY cannot be used with FREQ=WEEKLY"],
    ["FREQ=DAILY;BYSETPOS=1", "BYSETPOS needs BYDAY, BYMONTHDAY or BYMONTH"],
    ["FREQ=DAILY;WKST=XX", 'WKST "XX" is not a weekday'],
    ["FREQ=DAILY;BYDAY", 'rule part "BYDAY" is not KEY=VALUE'],
    ["FREQ=DAILY;BYDAY=", "BYDAY has no value"],
  ])("refuses %j", (text, message) => {
    expect(() => parseRRule(text)).toThrow(RRuleError);
    expect(() => parseRRule(text)).toThrow(message);
  });
});

describe("expandRule", () => {
  it.each<[string, string, string, string[]]>([
    // Podman Cabal: third Thursday.
    ["FREQ=MONTHLY;BYDAY=3TH", "1970-01-01", "2023-04-01", ["2023-04-20", "2023-05-18", "2023-06-15"]],
    // Every other month's first Tuesday.
    [
      "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU",
      "2022-01-01",
      "2023-05-01",
      ["2023-06-06", "2023-08-01", "2023-10-03"],
    ],
    ["FREQ=MONTHLY;BYDAY=-1FR", "2024-01-01", "2024-01-01", ["2024-01-26", "2024-02-23", "2024-03-29"]],
    // Last weekday of the month.
    [
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1",
      "2024-01-01",
      "2024-01-01",
      ["2024-01-31", "2024-02-29", "2024-03-29", "2024-04-30", "2024-05-31", "2024-06-28", "2024-07-31", "2024-08-30"],
    ],
    // First and last weekday of the month.
    [
      "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=1,-1",
      "2024-06-01",
      "2024-06-01",
      ["2024-06-03", "2024-06-28", "2024-07-01", "2024-07-31"],
    ],
    [
      "FREQ=MONTHLY;BYMONTHDAY=-1",
      "2024-01-01",
      "2024-01-01",
      ["2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"],
    ],
    ["FREQ=MONTHLY;BYMONTHDAY=-2", "2023-01-01", "2023-02-01", ["2023-02-27", "2023-03-30"]],
    // Months without a 31st are skipped, as are invalid dates in general.
    ["FREQ=MONTHLY;BYMONTHDAY=31", "2024-01-01", "2024-01-01", ["2024-01-31", "2024-03-31", "2024-05-31"]],
    ["FREQ=MONTHLY", "2024-01-31", "2024-01-01", ["2024-01-31", "2024-03-31", "2024-05-31"]],
    ["FREQ=MONTHLY;INTERVAL=3", "2024-02-15", "2024-03-01", ["2024-05-15", "2024-08-15", "2024-11-15"]],
    // Friday the 13th: BYDAY limits BYMONTHDAY.
    ["FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13", "2024-01-01", "2024-01-01", ["2024-09-13", "2024-12-13", "2025-06-13"]],
    ["FREQ=YEARLY", "2020-02-29", "2020-01-01", ["2020-02-29", "2024-02-29", "2028-02-29"]],
    ["FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", "2024-01-01", "2024-01-01", ["2024-11-28", "2025-11-27", "2026-11-26"]],
    ["FREQ=YEARLY;BYMONTH=3,9", "2024-01-10", "2024-01-01", ["2024-03-10", "2024-09-10", "2025-03-10"]],
    ["FREQ=YEARLY;BYMONTHDAY=1;BYMONTH=1,7", "2024-01-01", "2024-02-01", ["2024-07-01", "2025-01-01"]],
    // Numbered within the year when there is no BYMONTH (RFC 5545 example).
    ["FREQ=YEARLY;BYDAY=20MO", "1997-05-19", "1997-01-01", ["1997-05-19", "1998-05-18", "1999-05-17"]],
    ["FREQ=YEARLY;BYDAY=-1SU", "2024-01-01", "2024-01-01", ["2024-12-29", "2025-12-28"]],
    ["FREQ=YEARLY;INTERVAL=2", "2021-06-01", "2022-01-01", ["2023-06-01", "2025-06-01"]],
    // WEEKLY without BYDAY takes dtstart's weekday (2024-01-04 is a Thursday).
    ["FREQ=WEEKLY", "2024-01-04", "2024-01-01", ["2024-01-04", "2024-01-11", "2024-01-18"]],
    ["FREQ=WEEKLY;BYDAY=MO,TH", "2024-01-01", "2024-01-01", ["2024-01-01", "2024-01-04", "2024-01-08", "2024-01-11"]],
    // INTERVAL counts weeks from dtstart's week, also when queried much later.
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2024-01-02", "2024-03-01", ["2024-03-12", "2024-03-26", "2024-04-09"]],
    ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "2024-01-02", "2030-01-01", ["2030-01-08", "2030-01-22"]],
    // RFC 5545: WKST decides which days share a week when INTERVAL > 1.
    [
      "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO",
      "1997-08-05",
      "1997-01-01",
      ["1997-08-05", "1997-08-10", "1997-08-19", "1997-08-24"],
    ],
    [
      "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU",
      "1997-08-05",
      "1997-01-01",
      ["1997-08-05", "1997-08-17", "1997-08-19", "1997-08-31"],
    ],
    ["FREQ=WEEKLY;BYDAY=SA;BYMONTH=2", "2024-01-01", "2024-01-01", ["2024-02-03", "2024-02-10", "2024-02-17"]],
    ["FREQ=DAILY;INTERVAL=10", "2024-01-01", "2024-01-05", ["2024-01-11", "2024-01-21", "2024-01-31"]],
    ["FREQ=DAILY;BYDAY=SA,SU", "2024-01-01", "2024-01-01", ["2024-01-06", "2024-01-07", "2024-01-13"]],
    ["FREQ=DAILY;BYMONTHDAY=1,15", "2024-01-01", "2024-01-02", ["2024-01-15", "2024-02-01"]],
    ["FREQ=DAILY;UNTIL=20240105", "2024-01-03", "2024-01-01", ["2024-01-03", "2024-01-04", "2024-01-05"]],
    ["FREQ=DAILY;UNTIL=20240105T000000Z", "2024-01-03", "2024-01-04", ["2024-01-04", "2024-01-05"]],
    // COUNT counts from dtstart even when the query starts later.
    ["FREQ=WEEKLY;COUNT=3", "2020-01-02", "2020-01-01", ["2020-01-02", "2020-01-09", "2020-01-16"]],
    ["FREQ=WEEKLY;COUNT=3", "2020-01-02", "2020-01-10", ["2020-01-16"]],
    ["FREQ=WEEKLY;COUNT=3", "2020-01-02", "2020-02-01", []],
    ["FREQ=DAILY;COUNT=1000", "2020-01-01", "2022-09-24", ["2022-09-24", "2022-09-25", "2022-09-26"]],
    ["FREQ=MONTHLY;BYDAY=1TU;COUNT=2", "2024-01-03", "2024-01-01", ["2024-02-06", "2024-03-05"]],
    // dtstart is not an occurrence unless the rule matches it.
    ["FREQ=MONTHLY;BYDAY=1TU", "2024-01-03", "2024-01-01", ["2024-02-06"]],
    // Rules that can never match end instead of searching forever.
    ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2024-01-01", "2024-01-01", []],
    ["FREQ=MONTHLY;BYMONTHDAY=31;INTERVAL=12", "2024-04-30", "2024-01-01", []],
    ["FREQ=DAILY;UNTIL=20200101", "2019-12-30", "2024-01-01", []],
    // Four-digit years end the calendar.
    ["FREQ=YEARLY", "9998-06-01", "9990-01-01", ["9998-06-01", "9999-06-01"]],
  ])("%s from %s, queried from %s", (rule, dtstart, from, expected) => {
    expect(take(rule, dtstart, from, expected.length)).toEqual(expected);
  });

  it.each<[string, string, string, string[]]>([
    ["FREQ=DAILY;UNTIL=20240105", "2024-01-03", "2024-01-01", ["2024-01-03", "2024-01-04", "2024-01-05"]],
    ["FREQ=WEEKLY;COUNT=3", "2020-01-02", "2020-01-10", ["2020-01-16"]],
    ["FREQ=DAILY;COUNT=1000", "2020-01-01", "2022-09-24", ["2022-09-24", "2022-09-25", "2022-09-26"]],
    ["FREQ=MONTHLY;BYDAY=1TU;COUNT=2", "2024-01-03", "2024-01-01", ["2024-02-06", "2024-03-05"]],
    ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "2024-01-01", "2024-01-01", []],
    ["FREQ=YEARLY", "9998-06-01", "9990-01-01", ["9998-06-01", "9999-06-01"]],
  ])("%s from %s, queried from %s, ends after %j", (rule, dtstart, from, expected) => {
    expect(take(rule, dtstart, from, 10_000)).toEqual(expected);
  });

  it("gives the same dates whether it starts at dtstart or jumps ahead", () => {
    const rule = parseRRule("FREQ=MONTHLY;INTERVAL=5;BYDAY=2WE,-1MO");
    const all = take(rule, "2020-03-11", "2020-01-01", 200);
    const from = "2026-07-15";
    expect(take(rule, "2020-03-11", from, 20)).toEqual(all.filter((d) => d >= from).slice(0, 20));
  });

  it("works for rules built by hand", () => {
    const rule: RecurrenceRule = {
      freq: "MONTHLY",
      interval: 1,
      byDay: [{ weekday: "TU", ordinal: 3 }],
      byMonthDay: [],
      byMonth: [],
      bySetPos: [],
      weekStart: "MO",
      until: "2024-02-29",
    };
    expect(take(rule, "2023-11-01", "2023-11-01", 5)).toEqual(["2023-11-21", "2023-12-19", "2024-01-16", "2024-02-20"]);
  });

  it("refuses malformed dates", () => {
    expect(() => take("FREQ=DAILY", "2024-02-30", "2024-01-01", 1)).toThrow(/dtstart "2024-02-30"/);
    expect(() => take("FREQ=DAILY", "2024-01-01", "20240101", 1)).toThrow(/fromDate "20240101"/);
  });
});

describe("day numbers", () => {
  it.each([
    ["1970-01-01", 0],
    ["1969-12-31", -1],
    ["2000-02-29", 11016],
    ["2024-03-01", 19783],
    ["9999-12-31", 2932896],
  ])("%s is day %i", (date, days) => {
    const [y, m, d] = date.split("-").map(Number) as [number, number, number];
    expect(daysFromCivil(y, m, d)).toBe(days);
    expect(civilFromDays(days)).toEqual([y, m, d]);
  });

  it.each([
    ["2024-02-28", 1, "2024-02-29"],
    ["2023-02-28", 1, "2023-03-01"],
    ["2024-01-01", -1, "2023-12-31"],
    ["2024-03-10", -40, "2024-01-30"],
  ])("addDays(%s, %i) = %s", (date, n, expected) => {
    expect(addDays(date, n)).toBe(expected);
  });
});
