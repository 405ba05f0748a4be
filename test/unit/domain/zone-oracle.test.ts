// The calendar's zone arithmetic against GNU date, which reads the system's zone database (/usr/share/zoneinfo).
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { instantToLocal, zonedWallTimeToInstant } from "../../../src/domain/calendar.js";
import { zoneTimes } from "../../../src/domain/time-render.js";

const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Anchorage",
  "America/Sao_Paulo",
  "America/Santiago",
  "America/Halifax",
  "America/St_Johns",
  "America/Havana",
  "America/Mexico_City",
  "Europe/London",
  "Europe/Dublin",
  "Europe/Lisbon",
  "Europe/Berlin",
  "Europe/Moscow",
  "Europe/Istanbul",
  "Africa/Cairo",
  "Africa/Johannesburg",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Tehran",
  "Asia/Dubai",
  "Asia/Shanghai",
  "Asia/Tokyo",
  "Asia/Singapore",
  "Asia/Gaza",
  "Asia/Jerusalem",
  "Australia/Sydney",
  "Australia/Adelaide",
  "Australia/Lord_Howe",
  "Pacific/Auckland",
  "Pacific/Chatham",
  "Pacific/Honolulu",
  "Pacific/Apia",
  "UTC",
];
/** A tz release ("2025b"), from a line such as "# version 2025b" (tzdata.zi) or "2025b" (+VERSION). */
function tzRelease(text: string): string | undefined {
  return /\b(\d{4}[a-z])\b/.exec(text)?.[1];
}

function systemTzRelease(): string | undefined {
  for (const file of ["/usr/share/zoneinfo/tzdata.zi", "/usr/share/zoneinfo/+VERSION"]) {
    if (existsSync(file)) return tzRelease(readFileSync(file, "utf8").split("\n", 1)[0] ?? "");
  }
  return undefined;
}

/**
 * The years compared. With the same tz release on both sides, all of them. When Node's and the system's
 * releases differ (or the system's cannot be read), the two databases may disagree on rules published in
 * between, and such changes take effect from about their release on: a release rewrites the recent past only
 * exceptionally (its "changes to past timestamps" are nearly always decades old). So only the years before
 * the older release's year are compared, the ones both databases had settled when it was published, and one
 * line says so. (A table of the zones each release changed would keep more years, but would have to be kept
 * up to date by hand and would still miss the releases newer than itself.)
 */
function comparedYears(nodeRelease: string | undefined, systemRelease: string | undefined) {
  const [first, last] = [2023, 2030];
  if (nodeRelease && nodeRelease === systemRelease) return { first, last };
  const known = [nodeRelease, systemRelease].filter((release): release is string => release !== undefined).sort();
  const olderYear = Number((known[0] ?? "2025").slice(0, 4));
  const restricted = { first: Math.min(first, olderYear - 2), last: Math.min(last, olderYear - 1) };
  console.log(
    `zone oracle: Node's tzdata ${nodeRelease ?? "(unknown)"} and the system's ${systemRelease ?? "(unknown)"} differ; ` +
      `comparing ${restricted.first}–${restricted.last} only (years before ${olderYear}, the older release's).`,
  );
  return restricted;
}

const { first: FIRST_YEAR, last: LAST_YEAR } = comparedYears(process.versions.tz, systemTzRelease());
const MINUTE = 60_000;
const HOUR = 3_600_000;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The zone's UTC offset in ms from Intl's "GMT-04:00" names (a different path from the calendar's). */
function intlOffset(format: Intl.DateTimeFormat, ms: number): number {
  const name = format.formatToParts(ms).find((part) => part.type === "timeZoneName")?.value ?? "";
  const match = /^GMT(?:([+-])(\d{2}):(\d{2}))?$/.exec(name);
  if (!match) throw new Error(`odd zone name ${name}`);
  const [, sign, hours = "0", minutes = "0"] = match;
  return (sign === "-" ? -1 : 1) * (Number(hours) * HOUR + Number(minutes) * MINUTE);
}

/** Offset changes in the years tested, found by scanning every 12 hours and bisecting to the second. */
function transitions(zone: string): { at: number; before: number; after: number }[] {
  const format = new Intl.DateTimeFormat("en-US", { timeZone: zone, timeZoneName: "longOffset" });
  const offset = (ms: number) => intlOffset(format, ms);
  const found: { at: number; before: number; after: number }[] = [];
  const end = Date.UTC(LAST_YEAR + 1, 0, 1);
  for (let t = Date.UTC(FIRST_YEAR, 0, 1); t < end; t += 12 * HOUR) {
    const before = offset(t);
    const after = offset(t + 12 * HOUR);
    if (before === after) continue;
    let low = t;
    let high = t + 12 * HOUR;
    while (high - low > 1000) {
      const mid = low + Math.floor((high - low) / 2000) * 1000;
      if (offset(mid) === before) low = mid;
      else high = mid;
    }
    found.push({ at: high, before, after });
  }
  return found;
}

/** Runs GNU date once over many inputs (one per line) and returns one output line per input. */
function gnuDate(input: string[], format: string, timeZone: string): string[] {
  const output = execFileSync("date", ["-f", "-", `+${format}`], {
    input: `${input.join("\n")}\n`,
    env: { PATH: process.env.PATH, TZ: timeZone, LC_ALL: "C" },
    encoding: "utf8",
  });
  const lines = output.trimEnd().split("\n");
  expect(lines).toHaveLength(input.length);
  return lines;
}

/** "+0530" → "UTC+5:30", "+0000" → "UTC" */
function utcOffsetFromGnu(z: string): string {
  const match = /^([+-])(\d{2})(\d{2})$/.exec(z);
  if (!match) throw new Error(`odd %z ${z}`);
  const [, sign, hours, minutes] = match;
  if (hours === "00" && minutes === "00") return "UTC";
  return `UTC${sign}${Number(hours)}${minutes === "00" ? "" : `:${minutes}`}`;
}

const isoMinute = (ms: number): [string, string] => {
  const text = new Date(ms).toISOString();
  return [text.slice(0, 10), text.slice(11, 16)];
};

const byZone = new Map(ZONES.map((zone) => [zone, transitions(zone)]));

describe("zone arithmetic agrees with GNU date", () => {
  it("finds the transitions it is meant to test", () => {
    const count = [...byZone.values()].reduce((sum, list) => sum + list.length, 0);
    // New York alone changes twice a year; many of the zones do.
    expect(byZone.get("America/New_York")).toHaveLength(2 * (LAST_YEAR - FIRST_YEAR + 1));
    expect(count).toBeGreaterThan(30 * (LAST_YEAR - FIRST_YEAR + 1));
  });

  it.each(ZONES)("reads instants in %s", (zone) => {
    const instants: number[] = [];
    for (const { at } of byZone.get(zone) ?? []) {
      for (const delta of [-HOUR, -30 * MINUTE, -MINUTE, -1000, 0, MINUTE, 30 * MINUTE, HOUR])
        instants.push(at + delta);
    }
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      for (let month = 0; month < 12; month++) {
        for (const day of [1, 15]) {
          for (const [h, m] of [
            [0, 0],
            [11, 0],
            [15, 0],
            [16, 30],
            [23, 59],
          ] as const) {
            instants.push(Date.UTC(year, month, day, h, m));
          }
        }
      }
    }
    const gnu = gnuDate(
      instants.map((ms) => `@${Math.floor(ms / 1000)}`),
      "%Y-%m-%d %H:%M %z %a",
      zone,
    );
    instants.forEach((ms, i) => {
      const [date, time, z, weekday] = (gnu[i] ?? "").split(" ");
      const instant = new Date(ms);
      const context = `${zone} at ${instant.toISOString()}`;
      expect(instantToLocal(instant, zone), context).toEqual({ date, time, weekday: WEEKDAYS.indexOf(weekday ?? "") });
      const [utcDate] = isoMinute(ms);
      const shown = zoneTimes(instant, "UTC", [zone]).find((t) => t.zone === zone);
      expect(shown, context).toMatchObject({ date, time, weekday, utcOffset: utcOffsetFromGnu(z ?? "") });
      const dayShift = (Date.parse(date ?? "") - Date.parse(utcDate)) / (24 * HOUR);
      expect(shown?.dayShift, context).toBe(dayShift);
    });
  });

  it.each(ZONES)("turns wall times into instants in %s", (zone) => {
    const zoneTransitions = byZone.get(zone) ?? [];
    const plain: number[] = []; // wall times as if UTC
    const folds: { wall: number; instants: number[] }[] = [];
    for (const { at, before, after } of zoneTransitions) {
      const earlier = at + Math.min(before, after); // first wall time in the gap or fold
      const later = at + Math.max(before, after); // first wall time after it
      const middle = earlier + Math.floor((later - earlier) / 2 / MINUTE) * MINUTE;
      plain.push(earlier - MINUTE, later, later + 30 * MINUTE);
      for (const wall of [earlier, middle, later - MINUTE]) {
        const [date, time] = isoMinute(wall);
        const ours = zonedWallTimeToInstant(date, time, zone).getTime();
        const context = `${zone} ${date} ${time}`;
        if (after > before) {
          // Gap: moved forward by the gap's length.
          expect(ours, context).toBe(wall - before);
          expect(instantToLocal(new Date(ours), zone), context).toMatchObject({
            date: isoMinute(wall + after - before)[0],
            time: isoMinute(wall + after - before)[1],
          });
        } else {
          // Fold: the first of the two instants. GNU may pick either, but must know both (checked below).
          expect(ours, context).toBe(wall - before);
          folds.push({ wall, instants: [wall - before, wall - after] });
        }
      }
    }
    if (folds.length > 0) {
      const lines = folds.map(({ wall }) => `TZ="${zone}" ${isoMinute(wall).join(" ")}`);
      const gnu = gnuDate(lines, "%s", "UTC");
      folds.forEach(({ instants }, i) => {
        expect(instants, lines[i]).toContain(Number(gnu[i]) * 1000);
      });
    }
    for (let year = FIRST_YEAR; year <= LAST_YEAR; year++) {
      for (let month = 0; month < 12; month++) {
        for (const [day, h, m] of [
          [1, 11, 0],
          [15, 9, 30],
          [20, 0, 0],
          [28, 23, 45],
        ] as const) {
          const wall = Date.UTC(year, month, day, h, m);
          const inGapOrFold = zoneTransitions.some(
            ({ at, before, after }) => wall >= at + Math.min(before, after) && wall < at + Math.max(before, after),
          );
          if (!inGapOrFold) plain.push(wall);
        }
      }
    }
    const walls = plain.map(isoMinute);
    const gnu = gnuDate(
      walls.map(([date, time]) => `TZ="${zone}" ${date} ${time}`),
      "%s",
      "UTC",
    );
    walls.forEach(([date, time], i) => {
      const ours = zonedWallTimeToInstant(date, time, zone);
      const context = `${zone} ${date} ${time}`;
      expect(ours.getTime(), context).toBe(Number(gnu[i]) * 1000);
      expect(instantToLocal(ours, zone), context).toMatchObject({ date, time });
    });
  });
});
