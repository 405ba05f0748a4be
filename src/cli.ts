// `cabalbot` command line: start the bot, list next occurrences, check a config file.
import { parseArgs } from "node:util";
import { systemClock } from "./adapters/clock.js";
import { type Config, ConfigError, configWarnings, loadConfigFile, resolveConfigPath } from "./config.js";
import { nextOccurrences, zonedWallTimeToInstant } from "./domain/calendar.js";
import type { Meeting, Occurrence } from "./domain/meeting.js";
import { renderMeetingHeadline, renderZoneTime, zoneTimes } from "./domain/time-render.js";
import { readTimeZone } from "./domain/time-zones.js";

const USAGE = `Usage: cabalbot <command> [options]

Commands:
  start                 run the bot (Slack when credentials are set, else the console)
  next                  list the next meeting occurrences
  check-config [FILE]   validate a configuration file
  help                  this text

Run \`cabalbot <command> --help\` for a command's options.
`;

const NEXT_USAGE = `Usage: cabalbot next [--meeting ID] [--from YYYY-MM-DD] [--count N] [--tz ZONE]

Prints occurrences one a line: the meeting's local date, its id, and the time
in the meeting's zone and in every display zone.

  --meeting ID    only this meeting (default: every meeting)
  --from DATE     start from this local date (default: now)
  --count N       how many occurrences of each meeting (default 1, at most 1000)
  --tz ZONE       show the times in this IANA zone instead of the display zones
  --config FILE   configuration file (default: CABALBOT_CONFIG, ./cabalbot.yml, built-in)

"Now" is the real time, or CABALBOT_CLOCK_START when it is set.
`;

const CHECK_USAGE = `Usage: cabalbot check-config [FILE]

Validates FILE (default: CABALBOT_CONFIG, ./cabalbot.yml, else the built-in Podman defaults).
Exits 0 when valid; otherwise prints each problem with its field and exits 1.
Warnings (such as the built-in defaults' placeholder channel) go to stderr and keep exit 0:
such a file runs in console mode, but must be fixed before connecting to Slack.
`;

const START_USAGE = `Usage: cabalbot start

Runs the bot. With SLACK_BOT_TOKEN and SLACK_APP_TOKEN: Slack Socket Mode. With SLACK_BOT_TOKEN and
SLACK_SIGNING_SECRET: Slack over HTTP on PORT. With none of them: the console chat on stdin/stdout.
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`cabalbot: ${message}\n`);
  process.exit(code);
}

function loadOrExit(path: string, exitCode: number): Config {
  try {
    return loadConfigFile(path);
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message, exitCode);
    throw error;
  }
}

/** One line: `2023-05-18 cabal  Thursday, May 18, 2023, 11:00 EDT (UTC-4) | Thu 08:00 Los Angeles · …`. */
export function occurrenceLine(meeting: Meeting, occurrence: Occurrence, zones: string[]): string {
  const elsewhere = zoneTimes(occurrence.start, meeting.timezone, zones).slice(1).map(renderZoneTime).join(" · ");
  const headline = renderMeetingHeadline(occurrence.start, meeting.timezone);
  return `${occurrence.date} ${meeting.id.padEnd(10)} ${headline}${elsewhere ? ` | ${elsewhere}` : ""}`;
}

function runNext(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: {
      meeting: { type: "string" },
      from: { type: "string" },
      count: { type: "string", default: "1" },
      tz: { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    process.stdout.write(NEXT_USAGE);
    return;
  }
  const config = loadOrExit(values.config ?? resolveConfigPath(process.env, process.cwd()), 2);
  const count = Number(values.count);
  if (!Number.isInteger(count) || count < 1 || count > 1000)
    fail(`--count: ${JSON.stringify(values.count)} is not a whole number from 1 to 1000`);
  if (values.from && !/^\d{4}-\d{2}-\d{2}$/.test(values.from))
    fail(`--from: ${JSON.stringify(values.from)} is not a date (YYYY-MM-DD)`);
  const tz = values.tz === undefined ? undefined : readTimeZone(values.tz);
  if (tz && !tz.ok) fail(`--tz: ${tz.problem}`);
  const meetings = values.meeting ? config.meetings.filter((m) => m.id === values.meeting) : config.meetings;
  if (meetings.length === 0) {
    fail(
      `--meeting: no meeting ${JSON.stringify(values.meeting)} (meetings: ${config.meetings.map((m) => m.id).join(", ")})`,
    );
  }
  const zones = tz?.ok ? [tz.zone] : config.displayZones;
  const startAt = process.env.CABALBOT_CLOCK_START;
  const now = startAt ? new Date(startAt) : systemClock.now();
  if (Number.isNaN(now.getTime())) fail(`CABALBOT_CLOCK_START: ${JSON.stringify(startAt)} is not an ISO 8601 instant`);
  const lines = meetings
    .flatMap((meeting) => {
      const from = values.from ? zonedWallTimeToInstant(values.from, "00:00", meeting.timezone) : now;
      return nextOccurrences(meeting, from, count).map((occurrence) => ({ meeting, occurrence }));
    })
    .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
  if (lines.length === 0) {
    process.stdout.write("No occurrence on the schedule.\n");
    return;
  }
  for (const { meeting, occurrence } of lines) process.stdout.write(`${occurrenceLine(meeting, occurrence, zones)}\n`);
}

function runCheckConfig(args: string[]): void {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(CHECK_USAGE);
    return;
  }
  if (positionals.length > 1) fail("check-config takes one file");
  const path = positionals[0] ?? resolveConfigPath(process.env, process.cwd());
  const config = loadOrExit(path, 1);
  for (const warning of configWarnings(config)) process.stderr.write(`cabalbot: warning: ${warning}\n`);
  process.stdout.write(
    `${path}: OK (${config.meetings.length} meetings: ${config.meetings.map((m) => m.id).join(", ")})\n`,
  );
}

export async function runCli(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case "next":
      return runNext(rest);
    case "check-config":
      return runCheckConfig(rest);
    case "start":
      if (rest.includes("--help") || rest.includes("-h")) {
        process.stdout.write(START_USAGE);
        return;
      }
      await import("./main.js");
      return;
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`cabalbot: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      process.exit(2);
  }
}

await runCli(process.argv.slice(2));
