// The `cabalbot` command line, run as a person runs it (through the bin and tsx).
import { execFile } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { tempDir } from "../support/bot-process.js";

const BIN = fileURLToPath(new URL("../../bin/cabalbot.js", import.meta.url));

async function cabalbot(args: string[], env: Record<string, string> = {}) {
  const { CABALBOT_CONFIG: _config, CABALBOT_CLOCK_START: _clock, ...inherited } = process.env;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...inherited, ...env },
      cwd: tempDir(),
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const dates = (stdout: string) =>
  stdout
    .trim()
    .split("\n")
    .map((line) => line.slice(0, 10));

describe("cabalbot next (built-in Podman defaults)", () => {
  it("lists the Cabal of spring 2023 on their third Thursdays", async () => {
    const { code, stdout } = await cabalbot(["next", "--meeting", "cabal", "--from", "2023-04-01", "--count", "3"]);
    expect(code).toBe(0);
    expect(dates(stdout)).toEqual(["2023-04-20", "2023-05-18", "2023-06-15"]);
    expect(stdout).toContain("2023-04-20 cabal      Thursday, April 20, 2023, 11:00 EDT (UTC-4) |");
    expect(stdout).toContain("Fri 00:00 Tokyo (+1 day)");
  });

  it("finds the Community Meeting of June 2023, and no Cabal after 2026-05-05", async () => {
    expect(dates((await cabalbot(["next", "--meeting", "community", "--from", "2023-05-01"])).stdout)).toEqual([
      "2023-06-06",
    ]);
    expect(
      dates((await cabalbot(["next", "--meeting", "cabal", "--from", "2026-05-01", "--count", "5"])).stdout),
    ).toEqual(["2026-05-05"]);
    expect((await cabalbot(["next", "--meeting", "cabal", "--from", "2026-05-06"])).stdout).toBe(
      "No occurrence on the schedule.\n",
    );
  });

  it("lists today's next Community Meeting and stand-up, soonest first", async () => {
    const { stdout } = await cabalbot(["next"], { CABALBOT_CLOCK_START: "2026-11-26T12:00:00Z" });
    expect(
      stdout
        .trim()
        .split("\n")
        .map((line) => line.slice(0, 20).trim()),
    ).toEqual(["2026-11-26 standup", "2026-12-01 community"]);
  });

  it("shows another zone with --tz, and explains bad options", async () => {
    const tz = await cabalbot(["next", "--meeting", "community", "--from", "2026-12-01", "--tz", "Asia/Kolkata"]);
    expect(tz.stdout).toContain("| Tue 21:30 Kolkata");
    expect(tz.stdout).not.toContain("Tokyo");
    const bad = await cabalbot(["next", "--tz", "IST"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--tz: "IST" is not an IANA time zone (did you mean Asia/Kolkata?)');
    expect((await cabalbot(["next", "--meeting", "nope"])).stderr).toContain("meetings: community, cabal, standup");
  });

  it("has --help on every subcommand", async () => {
    for (const args of [["--help"], ["next", "--help"], ["check-config", "--help"], ["start", "--help"]]) {
      const { code, stdout } = await cabalbot(args);
      expect(code, args.join(" ")).toBe(0);
      expect(stdout).toMatch(/^Usage: cabalbot/);
    }
  });
});

describe("cabalbot check-config", () => {
  it("accepts the built-in defaults", async () => {
    const { code, stdout } = await cabalbot(["check-config"]);
    expect(code).toBe(0);
    expect(stdout).toContain("OK (3 meetings: community, cabal, standup)");
  });

  it("refuses a bad file with a non-zero exit naming each field", async () => {
    const file = join(tempDir(), "bad.yml");
    writeFileSync(
      file,
      'meetings:\n  - { id: cabal, title: Cabal, channel: C1, timezone: EDT, time: "11:00", rrule: "FREQ=MONTHLY;BYDAY=3TH", reminders: ["soon"] }\n',
    );
    const { code, stderr } = await cabalbot(["check-config", file]);
    expect(code).toBe(1);
    expect(stderr).toContain('meetings[0].timezone: "EDT" is not an IANA time zone (did you mean America/New_York?)');
    expect(stderr).toContain('meetings[0].reminders[0]: "soon" is not a reminder offset');
  });
});

describe("cabalbot check-config and --tz explain mistakes", () => {
  it("warns that the built-in defaults' channel is a placeholder, and still exits 0", async () => {
    const { code, stdout, stderr } = await cabalbot(["check-config"]);
    expect(code).toBe(0);
    expect(stdout).toContain("OK (3 meetings: community, cabal, standup)");
    expect(stderr).toMatch(
      /^cabalbot: warning: channel CPLACEHOLDER of community, cabal, standup is a placeholder: replace it with your Slack channel id .*View channel details.*About tab\n$/,
    );
  });

  it("shows a YAML syntax error with its line, and a channel name with how to find the id", async () => {
    const broken = join(tempDir(), "broken.yml");
    writeFileSync(broken, "meetings:\n  - id: cabal\n    title: Cabal\n   channel: C0123ABCD\n");
    const syntax = await cabalbot(["check-config", broken]);
    expect(syntax.code).toBe(1);
    expect(syntax.stderr).toContain("  line 4, column 1: not valid YAML: ");
    expect(syntax.stderr).toContain("  4 |    channel: C0123ABCD\n    | ^\n");
    const named = join(tempDir(), "named.yml");
    writeFileSync(
      named,
      'meetings:\n  - { id: cabal, title: Cabal, channel: "#cabal", timezone: Asia/Tokio, time: "11:00", rrule: "FREQ=MONTHLY;BYDAY=3TH", reminder: ["1h"] }\n',
    );
    const refused = await cabalbot(["check-config", named]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('meetings[0].channel: "#cabal" is not a Slack channel id');
    expect(refused.stderr).toContain(
      'meetings[0].timezone: "Asia/Tokio" is not an IANA time zone (did you mean Asia/Tokyo?)',
    );
    expect(refused.stderr).toContain('meetings[0]: unknown key "reminder" (did you mean reminders?)');
    expect(`${syntax.stderr}${refused.stderr}`).not.toMatch(/^\s+at /m);
  });

  it("suggests the nearest zone for a --tz typo", async () => {
    const { code, stderr } = await cabalbot(["next", "--tz", "America/New_Yrok"]);
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cabalbot: --tz: "America/New_Yrok" is not an IANA time zone (did you mean America/New_York?)\n',
    );
  });
});

describe("cabalbot mistakes: one line naming the option, exit 2, no stack trace", () => {
  it.each([
    [["next", "--count", "-1"], '--count: "-1" is not a whole number from 1 to 1000'],
    [["next", "--count", "many"], '--count: "many" is not a whole number from 1 to 1000'],
    [["next", "--from", "2026-02-30"], '--from: "2026-02-30" is not a date on the calendar (YYYY-MM-DD'],
    [["next", "--from", "2026-13-01"], '--from: "2026-13-01" is not a date on the calendar (YYYY-MM-DD'],
    [["next", "--form", "2026-12-01"], 'next: unknown option "--form" (options: --meeting ID, --from YYYY-MM-DD'],
    [["next", "-x"], 'next: unknown option "-x"'],
    [["next", "--count"], "--count needs a value: --count N"],
    [["next", "--meeting", "--count", "3"], "--meeting needs a value: --meeting ID"],
    [["next", "--help=yes"], "--help takes no value"],
    [["next", "cabal"], 'next takes no arguments, only options (got "cabal")'],
    [["check-config", "a.yml", "b.yml"], 'check-config takes at most 1 argument (got also "b.yml")'],
    [["check-config", "--strict"], 'check-config: unknown option "--strict" (options: --help)'],
    [["start", "--port", "8080"], 'start: unknown option "--port" (options: --help)'],
    [["start", "now"], 'start takes no arguments, only options (got "now")'],
    [["help", "nxet"], 'help: unknown command "nxet" (commands: start, next, preview, check-config)'],
  ])("cabalbot %j", async (args, line) => {
    const { code, stdout, stderr } = await cabalbot(args);
    expect(code).toBe(2);
    expect(stderr.startsWith(`cabalbot: ${line}`), stderr).toBe(true);
    expect(stderr.trimEnd().split("\n"), stderr).toHaveLength(1);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe("");
  });

  it("refuses a CABALBOT_CLOCK_START it cannot read, with an example", async () => {
    const { code, stderr } = await cabalbot(["next"], { CABALBOT_CLOCK_START: "2026-11-30 13:58" });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'cabalbot: CABALBOT_CLOCK_START must be an ISO 8601 instant with its zone offset, e.g. 2026-11-30T13:58:00Z or 2026-11-30T08:58:00-05:00 (got "2026-11-30 13:58")\n',
    );
  });

  it("reads CABALBOT_CLOCK_START with an offset as the bot does", async () => {
    const { stdout } = await cabalbot(["next", "--meeting", "community"], {
      CABALBOT_CLOCK_START: "2026-11-26T07:00:00-05:00",
    });
    expect(stdout.slice(0, 10)).toBe("2026-12-01");
  });

  it("`help next` shows the options of next", async () => {
    const { code, stdout } = await cabalbot(["help", "next"]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Usage: cabalbot next /);
  });
});
