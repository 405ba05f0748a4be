// `cabalbot` command line: start the bot, list next occurrences, check a config file.
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { clockStartingAt, systemClock } from "./adapters/clock.js";
import { renderPreviewText } from "./adapters/console/render-preview.js";
import { MAX_FEED_DAYS } from "./app/calendar-feed.js";
import type { Store } from "./app/ports.js";
import { PREVIEW_MAX_DAYS, previewSchedule } from "./app/preview-schedule.js";
import { type Config, ConfigError, configWarnings, loadConfigFile, resolveConfigPath } from "./config.js";
import { nextOccurrences, zonedWallTimeToInstant } from "./domain/calendar.js";
import { parseLocalDateDays } from "./domain/local-date.js";
import type { Meeting, Occurrence } from "./domain/meeting.js";
import { renderMeetingHeadline, renderZoneTime, zoneTimes } from "./domain/time-render.js";
import { readTimeZone } from "./domain/time-zones.js";
import { readClockStart } from "./env.js";

const USAGE = `Usage: cabalbot <command> [options]

Commands:
  start                 run the bot (Slack when credentials are set, else the console)
  next                  list the next meeting occurrences
  ics                   print the calendar feed (iCalendar) of every meeting or one
  preview               list the reminders and notes announcements of the coming days
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

const PREVIEW_USAGE = `Usage: cabalbot preview [--days N] [--config FILE]

Prints every reminder the bot will post and every notes announcement it will look for
in the next N days, in time order: the time in the meeting's zone, then in UTC.

  --days N        how many days ahead (default 7, at most ${PREVIEW_MAX_DAYS})
  --config FILE   configuration file (default: CABALBOT_CONFIG, ./cabalbot.yml, built-in)

Read from the configuration only, not the database: a notes announcement already made
still shows its polling window. "Now" is the real time, or CABALBOT_CLOCK_START.
`;

const COMMAND_USAGES: Record<string, string> = {
  next: NEXT_USAGE,
  preview: PREVIEW_USAGE,
  "check-config": CHECK_USAGE,
  start: START_USAGE,
};

function fail(message: string, code = 2): never {
  process.stderr.write(`cabalbot: ${message}\n`);
  process.exit(code);
}

/** A command's options as parseArgs wants them, plus what each string option expects (shown in errors). */
type OptionSpecs = Record<string, { type: "string"; expects: string } | { type: "boolean"; short?: string }>;

/**
 * parseArgs in strict mode throws TypeErrors whose wording is written for programmers, and it refuses
 * `--count -1` before we can say what --count expects. So it runs leniently here and every token is
 * checked against the command's options, each mistake becoming one line that names the option.
 */
function readOptions(command: string, args: string[], specs: OptionSpecs, maxPositionals: number) {
  const options = Object.fromEntries(
    Object.entries(specs).map(([name, spec]) => [
      name,
      spec.type === "string" ? { type: "string" as const } : { type: "boolean" as const, short: spec.short },
    ]),
  );
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const known = Object.entries(specs)
    .map(([name, spec]) => (spec.type === "string" ? `--${name} ${spec.expects}` : `--${name}`))
    .join(", ");
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const spec = specs[token.name];
    const option = JSON.stringify(token.rawName);
    if (!spec) fail(`${command}: unknown option ${option} (options: ${known})`);
    // A following option is not a value (`--meeting --count 3`); a negative number is (`--count -1`).
    if (spec.type === "string" && (token.value === undefined || /^-(?!\d)/.test(token.value)))
      fail(`${token.rawName} needs a value: ${token.rawName} ${spec.expects}`);
    if (spec.type === "boolean" && token.value !== undefined) fail(`${token.rawName} takes no value`);
  }
  if (positionals.length > maxPositionals) {
    const extra = JSON.stringify(positionals[maxPositionals]);
    fail(
      maxPositionals === 0
        ? `${command} takes no arguments, only options (got ${extra})`
        : `${command} takes at most ${maxPositionals} argument (got also ${extra})`,
    );
  }
  return { values: values as Record<string, string | boolean | undefined>, positionals };
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
  const { values: options } = readOptions(
    "next",
    args,
    {
      meeting: { type: "string", expects: "ID" },
      from: { type: "string", expects: "YYYY-MM-DD" },
      count: { type: "string", expects: "N" },
      tz: { type: "string", expects: "ZONE" },
      config: { type: "string", expects: "FILE" },
      help: { type: "boolean", short: "h" },
    },
    0,
  );
  if (options.help) {
    process.stdout.write(NEXT_USAGE);
    return;
  }
  const values = options as { meeting?: string; from?: string; count?: string; tz?: string; config?: string };
  const countText = values.count ?? "1";
  const count = Number(countText);
  if (!/^\d+$/.test(countText) || count < 1 || count > 1000)
    fail(`--count: ${JSON.stringify(countText)} is not a whole number from 1 to 1000`);
  if (values.from !== undefined && parseLocalDateDays(values.from) === undefined)
    fail(`--from: ${JSON.stringify(values.from)} is not a date on the calendar (YYYY-MM-DD, e.g. 2026-12-01)`);
  const tz = values.tz === undefined ? undefined : readTimeZone(values.tz);
  if (tz && !tz.ok) fail(`--tz: ${tz.problem}`);
  const clockStart = readClockStart(process.env);
  if (!clockStart.ok) fail(clockStart.error);
  const now = clockStart.start ?? systemClock.now();
  const config = loadOrExit(values.config ?? resolveConfigPath(process.env, process.cwd()), 2);
  const meetings =
    values.meeting !== undefined ? config.meetings.filter((m) => m.id === values.meeting) : config.meetings;
  if (meetings.length === 0) {
    fail(
      `--meeting: no meeting ${JSON.stringify(values.meeting)} (meetings: ${config.meetings.map((m) => m.id).join(", ")})`,
    );
  }
  const zones = tz?.ok ? [tz.zone] : config.displayZones;
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

const ICS_USAGE = `Usage: cabalbot ics [--meeting ID] [--days N]

Prints the calendar feed the bot serves on /calendar.ics: every occurrence from now
for the coming year, cancelled ones marked cancelled, each with its agenda so far
(read from CABALBOT_DB when that database exists).

  --meeting ID    only this meeting (the feed of /calendar/ID.ics)
  --days N        how many days ahead (default 365, at most ${MAX_FEED_DAYS})
  --config FILE   configuration file (default: CABALBOT_CONFIG, ./cabalbot.yml, built-in)

"Now" is the real time, or CABALBOT_CLOCK_START when it is set.
`;

async function runIcs(args: string[]): Promise<void> {
  const { values: options } = readOptions(
    "ics",
    args,
    {
      meeting: { type: "string", expects: "ID" },
      days: { type: "string", expects: "N" },
      config: { type: "string", expects: "FILE" },
      help: { type: "boolean", short: "h" },
    },
    0,
  );
  if (options.help) {
    process.stdout.write(ICS_USAGE);
    return;
  }
  const values = options as { meeting?: string; days?: string; config?: string };
  const config = loadOrExit(values.config ?? resolveConfigPath(process.env, process.cwd()), 2);
  const daysText = values.days ?? "365";
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > MAX_FEED_DAYS)
    fail(`--days: ${JSON.stringify(daysText)} is not a whole number from 1 to ${MAX_FEED_DAYS}`);
  const clockStart = readClockStart(process.env);
  if (!clockStart.ok) fail(clockStart.error);
  const start = clockStart.start;
  // Loaded here: `cabalbot next` and `check-config` need neither the databases nor the iCalendar library.
  const [{ renderICalendar }, { MemoryStore }, { openStore, storeKind }, { calendarFeed }] = await Promise.all([
    import("./adapters/ical/render-ical.js"),
    import("./adapters/memory/memory-store.js"),
    import("./adapters/open-store.js"),
    import("./app/calendar-feed.js"),
  ]);
  // The agendas come from the bot's database when there is one; printing a feed never creates one.
  const database = process.env.CABALBOT_DB || "./data/cabalbot.sqlite";
  let store: Store;
  try {
    store = storeKind(database) === "postgres" || existsSync(database) ? await openStore(database) : new MemoryStore();
  } catch (error) {
    fail(`could not open the ${storeKind(database)} database: ${(error as Error).message}`);
  }
  try {
    const feed = await calendarFeed(
      {
        config: { current: () => config },
        store,
        clock: start ? clockStartingAt(start) : systemClock,
        publicUrl: process.env.CABALBOT_PUBLIC_URL || undefined,
      },
      { meetingId: values.meeting, days },
    );
    if (feed.kind === "unknown-meeting")
      fail(`--meeting: no meeting ${JSON.stringify(feed.meetingId)} (meetings: ${feed.known.join(", ")})`);
    process.stdout.write(renderICalendar(feed, process.env.CABALBOT_PUBLIC_URL || undefined));
  } finally {
    store.close();
  }
}

function runPreview(args: string[]): void {
  const { values: options } = readOptions(
    "preview",
    args,
    {
      days: { type: "string", expects: "N" },
      config: { type: "string", expects: "FILE" },
      help: { type: "boolean", short: "h" },
    },
    0,
  );
  if (options.help) {
    process.stdout.write(PREVIEW_USAGE);
    return;
  }
  const values = options as { days?: string; config?: string };
  const daysText = values.days ?? "7";
  const days = Number(daysText);
  if (!/^\d+$/.test(daysText) || days < 1 || days > PREVIEW_MAX_DAYS)
    fail(`--days: ${JSON.stringify(daysText)} is not a whole number from 1 to ${PREVIEW_MAX_DAYS}`);
  const clockStart = readClockStart(process.env);
  if (!clockStart.ok) fail(clockStart.error);
  const now = clockStart.start ?? systemClock.now();
  const config = loadOrExit(values.config ?? resolveConfigPath(process.env, process.cwd()), 2);
  const preview = previewSchedule({ config: { current: () => config }, clock: { now: () => now } }, days);
  process.stdout.write(renderPreviewText(preview));
}

function runCheckConfig(args: string[]): void {
  const { values, positionals } = readOptions("check-config", args, { help: { type: "boolean", short: "h" } }, 1);
  if (values.help) {
    process.stdout.write(CHECK_USAGE);
    return;
  }
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
    case "preview":
      return runPreview(rest);
    case "check-config":
      return runCheckConfig(rest);
    case "ics":
      return runIcs(rest);
    case "start":
      if (readOptions("start", rest, { help: { type: "boolean", short: "h" } }, 0).values.help) {
        process.stdout.write(START_USAGE);
        return;
      }
      await import("./main.js");
      return;
    case "help": {
      // `cabalbot help next` is `cabalbot next --help`.
      const topic = readOptions("help", rest, {}, 1).positionals[0];
      const usage = topic === undefined ? USAGE : COMMAND_USAGES[topic];
      if (usage === undefined)
        fail(`help: unknown command ${JSON.stringify(topic)} (commands: start, next, preview, check-config)`);
      process.stdout.write(usage);
      return;
    }
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return;
    default:
      process.stderr.write(`cabalbot: unknown command ${JSON.stringify(command)}\n${USAGE}`);
      process.exit(2);
  }
}

try {
  await runCli(process.argv.slice(2));
} catch (error) {
  // A person never sees a stack trace; the message still says what went wrong.
  fail(`stopped by an unexpected error: ${error instanceof Error ? error.message : String(error)}`, 1);
}
