// The configuration file: YAML validated with zod, turned into the domain's Meeting model.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { z } from "zod";
import { parseDuration } from "./domain/duration.js";
import { parseLocalDateDays } from "./domain/local-date.js";
import type { CommunityConfig, Meeting, ScheduleRule } from "./domain/meeting.js";
import { nearestName } from "./domain/nearest-name.js";
import { parseRRule, RRuleError } from "./domain/recurrence.js";
import { readTimeZone } from "./domain/time-zones.js";

export type Config = CommunityConfig;

export const BUILT_IN_CONFIG_PATH = fileURLToPath(new URL("../config/podman.yml", import.meta.url));

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

function isRealDate(text: string): boolean {
  return DATE.test(text) && parseLocalDateDays(text) !== undefined;
}

/** A string check whose message quotes the value: `"EDT" is not an IANA time zone`. */
function checkedString(check: (value: string) => boolean, problem: (quoted: string, value: string) => string) {
  return z.string().refine(check, { error: (issue) => problem(JSON.stringify(issue.input), String(issue.input)) });
}

const localDate = checkedString(isRealDate, (q) => `${q} is not a date (expected YYYY-MM-DD)`);
const localTime = z
  .string()
  .regex(TIME, { error: (issue) => `${JSON.stringify(issue.input)} is not a time (expected HH:MM, 24-hour)` });
const localDateTime = checkedString(
  (value) => {
    const [date, time] = value.split("T");
    return value.split("T").length === 2 && isRealDate(date ?? "") && TIME.test(time ?? "");
  },
  (q) => `${q} is not a local date and time (expected YYYY-MM-DDTHH:MM)`,
);
const timeZone = z.string().superRefine((value, ctx) => {
  const reading = readTimeZone(value);
  if (!reading.ok) ctx.addIssue({ code: "custom", message: reading.problem });
});
const rrule = z.string().superRefine((value, ctx) => {
  try {
    parseRRule(value);
  } catch (error) {
    if (!(error instanceof RRuleError)) throw error;
    ctx.addIssue({
      code: "custom",
      message: `${JSON.stringify(value)} is not a valid recurrence rule: ${error.message}`,
    });
  }
});
const duration = (what: string, minMs = 1_000) =>
  checkedString(
    (value) => (parseDuration(value) ?? 0) >= minMs,
    (q) => `${q} is not a ${what} (expected a number and a unit s, m, h or d, at least ${minMs / 1000}s)`,
  );
const httpUrl = z.url({
  protocol: /^https?$/,
  error: (issue) => `${JSON.stringify(issue.input)} is not an http(s) URL`,
});
const urlTemplate = checkedString(
  (value) => /^https?:\/\/\S+$/.test(value),
  (q) => `${q} is not an http(s) URL template`,
);

/** Where people find a channel's id; said whenever a channel is refused or still the placeholder. */
export const FIND_SLACK_CHANNEL_ID =
  "in Slack, click the channel's name, then View channel details: the Channel ID (C…) is at the bottom of the About tab";

// Slack's own ids, not names (`#cabal`, `general`): a name can be renamed, and the Web API wants the id.
const slackChannelId = z.string().regex(/^[CG][A-Z0-9]{6,}$/, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a Slack channel id (like C0123ABCD); to find it, ${FIND_SLACK_CHANNEL_ID}`,
});

/** A Matrix room: its alias (`#podman:fedoraproject.org`) or its id (`!abc123:example.org`). */
const matrixRoom = z.string().regex(/^[#!][^\s:]+:[A-Za-z0-9.-]+(:\d{1,5})?$/, {
  error: (issue) =>
    `${JSON.stringify(issue.input)} is not a Matrix room (an alias like "#podman:fedoraproject.org" or an id like "!abc123:example.org"; quote it: YAML reads # as a comment)`,
});

/** The chat names the core carries opaquely in `ChatRoom.chat`; only the config and the adapters spell them. */
export const SLACK = "slack";
export const MATRIX = "matrix";

/**
 * The channel of the built-in defaults (config/podman.yml): a valid id, so that the defaults run in console
 * mode, that no workspace has; `check-config` warns that it must be replaced before connecting to Slack.
 */
export const PLACEHOLDER_CHANNEL = "CPLACEHOLDER";

const scheduleRule = z
  .object({ rrule, from: localDate.optional(), until: localDate.optional(), time: localTime.optional() })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.from && rule.until && rule.until < rule.from) {
      ctx.addIssue({ code: "custom", path: ["until"], message: `${rule.until} is before from (${rule.from})` });
    }
    const upper = rule.rrule.toUpperCase();
    if (!rule.from && (/INTERVAL=(?!1(;|$))/.test(upper) || upper.includes("COUNT="))) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: "required when the rule has INTERVAL or COUNT (it is the rule's anchor)",
      });
    }
    // Without BYDAY/BYMONTHDAY the day comes from the anchor (RFC 5545), which must then be said.
    if (!rule.from && /FREQ=(WEEKLY|MONTHLY|YEARLY)/.test(upper) && !/BYDAY=|BYMONTHDAY=/.test(upper)) {
      ctx.addIssue({
        code: "custom",
        path: ["from"],
        message: "required when the rule has no BYDAY or BYMONTHDAY (its date gives the day)",
      });
    }
  });

const meetingSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, {
      error: (issue) =>
        `${JSON.stringify(issue.input)} is not a meeting id (lowercase letters, digits, - and _, up to 32)`,
    }),
    title: z.string().trim().min(1, "must not be empty").max(150, "must be at most 150 characters"),
    /** The Slack channel; the older name of `slack`. */
    channel: slackChannelId.optional(),
    slack: slackChannelId.optional(),
    matrix: matrixRoom.optional(),
    timezone: timeZone,
    time: localTime,
    durationMinutes: z
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    rrule: rrule.optional(),
    schedule: z.array(scheduleRule).optional(),
    dates: z.array(localDateTime).default([]),
    skip: z.array(localDate).default([]),
    reminders: z.array(duration("reminder offset")).default(["1d", "1h"]),
    joinUrl: httpUrl.optional(),
    agendaUrl: httpUrl.optional(),
    notes: z
      .object({
        source: urlTemplate,
        link: urlTemplate.optional(),
        pollEvery: duration("poll interval", 5_000).default("10m"),
        lookback: duration("lookback", 60_000).default("14d"),
      })
      .strict()
      .optional(),
    replacedBy: z.string().optional(),
    endedNote: z.string().trim().min(1, "must not be empty").max(300, "must be at most 300 characters").optional(),
  })
  .strict()
  .superRefine((meeting, ctx) => {
    const shorthand = meeting.rrule?.toUpperCase();
    if (
      shorthand &&
      (/INTERVAL=(?!1(;|$))|COUNT=/.test(shorthand) || !/BYDAY=|BYMONTHDAY=|FREQ=DAILY/.test(shorthand))
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["rrule"],
        message: "this rule needs an anchor date: write it under schedule with a from date",
      });
    }
    if (meeting.rrule && meeting.schedule) {
      ctx.addIssue({ code: "custom", path: ["rrule"], message: "give either rrule or schedule, not both" });
    }
    if (meeting.channel && meeting.slack) {
      ctx.addIssue({ code: "custom", path: ["channel"], message: "give either channel or slack (the same), not both" });
    }
    if (!meeting.channel && !meeting.slack && !meeting.matrix) {
      ctx.addIssue({
        code: "custom",
        path: ["slack"],
        message: `a meeting needs a place: slack (a channel id like C0123ABCD) and/or matrix (a room like "#podman:fedoraproject.org"); to find a Slack channel's id, ${FIND_SLACK_CHANNEL_ID}`,
      });
    }
    if (!meeting.rrule && !meeting.schedule?.length && meeting.dates.length === 0) {
      ctx.addIssue({ code: "custom", path: ["schedule"], message: "a meeting needs rrule, schedule or dates" });
    }
  });

const configSchema = z
  .object({
    displayZones: z.array(timeZone).default(["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo"]),
    admins: z
      .array(
        z.string().regex(/^([UW][A-Z0-9]{2,}|@[^\s:]+:[A-Za-z0-9.-]+(:\d{1,5})?)$/, {
          error: (issue) =>
            `${JSON.stringify(issue.input)} is not a Slack user id (U…) or a Matrix user id (@name:server)`,
        }),
      )
      .default([]),
    meetings: z.array(meetingSchema).min(1, "at least one meeting is needed"),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.meetings.forEach((meeting, index) => {
      if (seen.has(meeting.id)) {
        ctx.addIssue({
          code: "custom",
          path: ["meetings", index, "id"],
          message: `duplicate meeting id ${JSON.stringify(meeting.id)}`,
        });
      }
      seen.add(meeting.id);
    });
    config.meetings.forEach((meeting, index) => {
      const replacement = meeting.replacedBy;
      if (replacement === undefined) return;
      const known = config.meetings.some((other) => other.id === replacement && other.id !== meeting.id);
      if (!known) {
        ctx.addIssue({
          code: "custom",
          path: ["meetings", index, "replacedBy"],
          message: `${JSON.stringify(replacement)} is not the id of another meeting (meetings: ${config.meetings.map((m) => m.id).join(", ")})`,
        });
      }
    });
  });

type ConfigInput = z.infer<typeof configSchema>;

export type ParseConfigResult = { ok: true; config: Config } | { ok: false; errors: string[] };

/** `meetings[0].schedule[1].rrule` from zod's path array. */
function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === "number" ? `${text}[${key}]` : text ? `${text}.${String(key)}` : String(key)),
    "",
  );
}

function toMeeting(input: ConfigInput["meetings"][number]): Meeting {
  const schedule: ScheduleRule[] = input.schedule ?? (input.rrule ? [{ rrule: input.rrule }] : []);
  const remindersMs = [...new Set(input.reminders.map((text) => parseDuration(text) as number))].sort((a, b) => b - a);
  return {
    id: input.id,
    title: input.title,
    rooms: [
      ...((input.slack ?? input.channel) ? [{ chat: SLACK, room: (input.slack ?? input.channel) as string }] : []),
      ...(input.matrix ? [{ chat: MATRIX, room: input.matrix }] : []),
    ],
    timezone: input.timezone,
    time: input.time,
    durationMinutes: input.durationMinutes,
    schedule,
    dates: input.dates,
    skip: input.skip,
    remindersMs,
    joinUrl: input.joinUrl,
    agendaUrl: input.agendaUrl,
    notes: input.notes && {
      source: input.notes.source,
      link: input.notes.link,
      pollEveryMs: parseDuration(input.notes.pollEvery) as number,
      lookbackMs: parseDuration(input.notes.lookback) as number,
    },
    ...(input.replacedBy ? { replacedBy: input.replacedBy } : {}),
    ...(input.endedNote ? { endedNote: input.endedNote } : {}),
  };
}

/** YAML's words for what a value is, as people see it in the file. */
function describeValue(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  const text = JSON.stringify(typeof value === "string" && value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeof value === "string" ? `the text ${text}` : `the ${typeof value} ${text}`;
}

const EXPECTED_KIND: Record<string, string> = {
  object: "a mapping (key: value lines)",
  array: "a list (lines starting with -)",
  string: "text",
  number: "a number",
};

/**
 * Rewords zod's generic messages in the file's terms: unknown keys name the nearest known key
 * (`reminder` → did you mean reminders?) at every level, and wrong types say list/mapping/text.
 */
const readableIssues: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === "unrecognized_keys" && issue.inst instanceof z.ZodObject) {
    const known = Object.keys(issue.inst.shape);
    const hints = issue.keys.map((key) => {
      const near = nearestName(key, known);
      return near ? `${JSON.stringify(key)} (did you mean ${near}?)` : JSON.stringify(key);
    });
    const unhinted = hints.some((hint) => !hint.includes("did you mean"));
    return `unknown key${hints.length > 1 ? "s" : ""} ${hints.join(", ")}${unhinted ? `; known keys: ${known.join(", ")}` : ""}`;
  }
  if (issue.code === "invalid_type") {
    if (issue.input === undefined) return "missing (this key is required)";
    const expected = EXPECTED_KIND[issue.expected];
    if (expected) return `expected ${expected}, found ${describeValue(issue.input)}`;
  }
  return undefined;
};

const TOP_LEVEL_KEYS = '"displayZones:", "admins:" and "meetings:"';

/** The sentence for a file that is not a mapping at all: empty, only comments, a list, or one value. */
function notAMapping(data: unknown): string | undefined {
  if (data === null || data === undefined) {
    return `the file is empty (or holds only comments): a configuration needs at least a "meetings:" list; config/podman.yml is a complete example`;
  }
  if (Array.isArray(data)) {
    return `the file is a list, but a configuration is a mapping with ${TOP_LEVEL_KEYS} at the top; should the list be indented under "meetings:"?`;
  }
  if (typeof data !== "object") {
    return `the file holds only ${describeValue(data)}, but a configuration is a mapping with ${TOP_LEVEL_KEYS} at the top; is a ":" missing after a key?`;
  }
  return undefined;
}

/** `line 3, column 1: not valid YAML: …` followed by the offending line and a caret under the column. */
function yamlSyntaxError(error: YAMLParseError, text: string): string {
  const reason = error.message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? error.message;
  const position = error.linePos?.[0];
  if (!position) return `not valid YAML: ${reason}`;
  const lineText = (text.split(/\r?\n/)[position.line - 1] ?? "").replace(/\t/g, " ");
  const gutter = String(position.line);
  return [
    `line ${position.line}, column ${position.col}: not valid YAML: ${reason}`,
    `${gutter} | ${lineText}`,
    `${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, position.col - 1))}^`,
  ].join("\n");
}

/** Parses and validates a config file's text; errors name the field and the problem. */
export function parseConfig(text: string): ParseConfigResult {
  let data: unknown;
  try {
    data = parseYaml(text, { prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) return { ok: false, errors: [yamlSyntaxError(error, text)] };
    return { ok: false, errors: [`not valid YAML: ${String(error)}`] };
  }
  const shapeProblem = notAMapping(data);
  if (shapeProblem) return { ok: false, errors: [shapeProblem] };
  const parsed = configSchema.safeParse(data, { error: readableIssues });
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const path = formatPath(issue.path);
        return path ? `${path}: ${issue.message}` : issue.message;
      }),
    };
  }
  const config = parsed.data;
  return {
    ok: true,
    config: { displayZones: config.displayZones, admins: config.admins, meetings: config.meetings.map(toMeeting) },
  };
}

/**
 * What is valid but should not reach Slack: meetings still on the built-in placeholder channel.
 * Warnings, not errors, so that the built-in defaults keep running in console mode.
 */
export function configWarnings(config: Config): string[] {
  const placeholders = config.meetings.filter((meeting) =>
    meeting.rooms.some((room) => room.chat === SLACK && room.room === PLACEHOLDER_CHANNEL),
  );
  if (placeholders.length === 0) return [];
  return [
    `channel ${PLACEHOLDER_CHANNEL} of ${placeholders.map((m) => m.id).join(", ")} is a placeholder: replace it with your Slack channel id before connecting to Slack; to find it, ${FIND_SLACK_CHANNEL_ID}`,
  ];
}

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly errors: string[],
  ) {
    super(`${source}: invalid configuration\n${errors.map((e) => e.replace(/^/gm, "  ")).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Which file to read: `CABALBOT_CONFIG`, else ./cabalbot.yml when present, else the built-in defaults. */
export function resolveConfigPath(env: NodeJS.ProcessEnv, cwd: string): string {
  if (env.CABALBOT_CONFIG) return env.CABALBOT_CONFIG;
  const local = `${cwd}/cabalbot.yml`;
  return existsSync(local) ? local : BUILT_IN_CONFIG_PATH;
}

/** Reads and validates a config file; throws ConfigError listing every problem. */
export function loadConfigFile(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(path, [`cannot read the file: ${(error as Error).message}`]);
  }
  const result = parseConfig(text);
  if (!result.ok) throw new ConfigError(path, result.errors);
  return result.config;
}
