// `cabalbot preview`, run as a person runs it (the real bin), on a small config with a skipped date and a DST change.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir, writeConfig } from "../support/bot-process.js";

const BIN = fileURLToPath(new URL("../../bin/cabalbot.js", import.meta.url));

// Tuesdays 11:00 New York; 2026-11-10 cancelled. US clocks go back on 2026-11-01 (EDT → EST).
const CONFIG = `
meetings:
  - id: community
    title: Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: FREQ=WEEKLY;BYDAY=TU
    skip: ["2026-11-10"]
    reminders: [1d, 1h]
    notes:
      source: https://notes.example/{date}.md
      pollEvery: 10m
      lookback: 2d
  - id: standup
    title: Stand-up
    channel: C0STANDUP
    timezone: Asia/Kolkata
    time: "09:30"
    dates: ["2026-11-04T09:30"]
    reminders: [15m]
`;

async function preview(args: string[], clockStart = "2026-10-28T12:00:00Z") {
  const dir = tempDir();
  const { CABALBOT_CONFIG: _config, ...inherited } = process.env;
  const env = { ...inherited, CABALBOT_CONFIG: writeConfig(dir, CONFIG), CABALBOT_CLOCK_START: clockStart };
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, "preview", ...args], {
      env,
      cwd: dir,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("cabalbot preview", () => {
  it("lists each reminder and notes window of the next 14 days in time order, in the meeting's zone and UTC", async () => {
    const { code, stdout, stderr } = await preview(["--days", "14"]);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    expect(stdout.split("\n").filter(Boolean)).toEqual([
      "Reminders and notes announcements of the next 14 days (2026-10-28 12:00 UTC to 2026-11-11 12:00 UTC):",
      // The notes of the day before are still looked for when the preview starts.
      "2026-10-27 11:00 EDT (UTC-4) = 2026-10-27 15:00 UTC  community  notes of the meeting of 2026-10-27 11:00: " +
        "looked for every 10 minutes (started already) until 2026-10-29 11:00 EDT (UTC-4) = 2026-10-29 15:00 UTC, announced once found",
      "2026-11-02 11:00 EST (UTC-5) = 2026-11-02 16:00 UTC  community  reminder 1 day before the meeting of 2026-11-03 11:00",
      "2026-11-03 10:00 EST (UTC-5) = 2026-11-03 15:00 UTC  community  reminder 1 hour before the meeting of 2026-11-03 11:00",
      "2026-11-03 11:00 EST (UTC-5) = 2026-11-03 16:00 UTC  community  notes of the meeting of 2026-11-03 11:00: " +
        "looked for every 10 minutes until 2026-11-05 11:00 EST (UTC-5) = 2026-11-05 16:00 UTC, announced once found",
      "2026-11-04 09:15 UTC+5:30 = 2026-11-04 03:45 UTC  standup    reminder 15 minutes before the meeting of 2026-11-04 09:30",
    ]);
    // The cancelled meeting of 2026-11-10 has no reminders (due 11-09 and 11-10) and no notes window.
    expect(stdout).not.toContain("2026-11-10 11:00");
    expect(stdout).not.toMatch(/^2026-11-09/m);
  });

  it("looks 7 days ahead by default and says when nothing is planned", async () => {
    const week = await preview([], "2026-11-04T12:00:00Z");
    expect(week.stdout).toContain("the next 7 days (2026-11-04 12:00 UTC to 2026-11-11 12:00 UTC):");
    expect(week.stdout).toContain("notes of the meeting of 2026-11-03 11:00");
    expect(week.stdout).not.toContain("2026-11-09");

    const quiet = await preview(["--days", "1"], "2026-11-09T17:00:00Z");
    expect(quiet.stdout).toBe("Nothing to send in the next 1 day (2026-11-09 17:00 UTC to 2026-11-10 17:00 UTC).\n");
  });

  it("refuses a bad --days or an unknown option with one line naming it, exit 2", async () => {
    for (const [args, message] of [
      [["--days", "0"], 'cabalbot: --days: "0" is not a whole number from 1 to 366'],
      [["--days", "367"], 'cabalbot: --days: "367" is not a whole number from 1 to 366'],
      [["--dayz", "3"], 'cabalbot: preview: unknown option "--dayz" (options: --days N, --config FILE, --help)'],
      [["--days"], "cabalbot: --days needs a value: --days N"],
    ] as const) {
      const { code, stdout, stderr } = await preview([...args]);
      expect(code, args.join(" ")).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.startsWith(message), stderr).toBe(true);
      expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    }
    const help = await preview(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cabalbot preview/);
    expect(help.stdout).toContain("configuration only");
  });
});
