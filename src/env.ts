// Environment variables, validated once at start (the README lists each).
import cron from "node-cron";
import { z } from "zod";

/** The form CABALBOT_CLOCK_START takes, shown in every error about it. */
export const CLOCK_START_EXAMPLE = "2026-11-30T13:58:00Z";

// One parser for the bot and `cabalbot next`, so that both accept the same instants.
const clockStartSchema = z.iso
  .datetime({
    offset: true,
    error: (issue) =>
      `must be an ISO 8601 instant with its zone offset, e.g. ${CLOCK_START_EXAMPLE} or 2026-11-30T08:58:00-05:00 (got ${JSON.stringify(issue.input)})`,
  })
  .transform((text) => new Date(text));

// Read only in the modes that listen on it (Slack over HTTP or Socket Mode), so a stray PORT never stops the console.
const portSchema = z
  .string()
  .regex(/^\d{1,5}$/, {
    error: (issue) => `must be a port number from 0 to 65535 (got ${JSON.stringify(issue.input)})`,
  })
  .transform(Number)
  .refine((port) => port <= 65535, { error: (issue) => `must be a port number from 0 to 65535 (got ${issue.input})` });
const DEFAULT_PORT = "3000";

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, "is too short to be a signing secret").optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  // The calendar feed, /healthz and /metrics: in Socket Mode instead of PORT; in console mode only when set.
  CALENDAR_PORT: portSchema.optional(),
  // Where people reach the bot's HTTP server; "Add to calendar" links appear only when it is set.
  CABALBOT_PUBLIC_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  MATRIX_HOMESERVER_URL: z.url({ protocol: /^https?$/, error: "must be the homeserver's http(s) URL" }).optional(),
  MATRIX_ACCESS_TOKEN: z.string().min(8, "is too short to be an access token").optional(),
  MATRIX_USER: z.string().min(1).optional(),
  MATRIX_PASSWORD: z.string().min(1).optional(),
  CABALBOT_DB: z.string().min(1).default("./data/cabalbot.sqlite"),
  CABALBOT_CONFIG: z.string().min(1).optional(),
  CABALBOT_CLOCK_START: clockStartSchema.optional(),
  CABALBOT_TICK: z
    .string()
    .refine((expression) => cron.validate(expression), 'is not a cron expression (e.g. "0 * * * * *": every minute)')
    // The heartbeat: between beats the scheduler sleeps until the next due instant (see scheduler.ts).
    .default("0 * * * * *"),
  // Unset: `info` with Slack, `warn` in console mode (the chat and the logs share the terminal).
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).optional(),
  CABALBOT_CONSOLE_CHANNEL: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,80}$/, "must be a channel id (e.g. C0123ABCD)")
    .optional(),
});

export type Env = z.infer<typeof envSchema>;

export type Mode =
  | { kind: "console" }
  | { kind: "slack-http"; botToken: string; signingSecret: string; port: number }
  | { kind: "slack-socket"; botToken: string; appToken: string; port: number };

/** How the bot reaches Matrix: a token, or a user and password for a first login (the token is then kept). */
export interface MatrixSettings {
  homeserverUrl: string;
  login: { accessToken: string } | { user: string; password: string };
}

/**
 * `mode` says how Slack runs (`console` when Slack is not configured); `matrix` is set when Matrix is. The console
 * chat runs only when neither is.
 */
export type EnvResult = { ok: true; env: Env; mode: Mode; matrix?: MatrixSettings } | { ok: false; errors: string[] };

/** The Matrix settings, or the one line saying what is missing; undefined when no MATRIX_ variable is set. */
function readMatrix(env: Env): { settings?: MatrixSettings; error?: string } {
  const { MATRIX_HOMESERVER_URL: url, MATRIX_ACCESS_TOKEN: token, MATRIX_USER: user, MATRIX_PASSWORD: password } = env;
  if (!url && !token && !user && !password) return {};
  const problem =
    "Matrix needs MATRIX_HOMESERVER_URL and either MATRIX_ACCESS_TOKEN or MATRIX_USER with MATRIX_PASSWORD; unset them all to run without Matrix";
  if (!url) return { error: problem };
  if (token) return { settings: { homeserverUrl: url, login: { accessToken: token } } };
  if (user && password) return { settings: { homeserverUrl: url, login: { user, password } } };
  return { error: problem };
}

/** Reads the environment: which chat to run (Slack over HTTP, Socket Mode, or the console) and the settings. */
export function parseEnv(raw: NodeJS.ProcessEnv): EnvResult {
  // Empty variables count as unset (`SLACK_APP_TOKEN= npm start`).
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) };
  }
  const env = parsed.data;
  const matrix = readMatrix(env);
  if (matrix.error) return { ok: false, errors: [matrix.error] };
  const slack = readSlack(env, present);
  if (!slack.ok) return slack;
  return { ok: true, env, mode: slack.mode, ...(matrix.settings ? { matrix: matrix.settings } : {}) };
}

function readSlack(
  env: Env,
  present: Record<string, string | undefined>,
): { ok: true; mode: Mode } | { ok: false; errors: string[] } {
  if (env.SLACK_BOT_TOKEN && (env.SLACK_APP_TOKEN || env.SLACK_SIGNING_SECRET)) {
    const port = portSchema.safeParse(present.PORT ?? DEFAULT_PORT);
    if (!port.success) return { ok: false, errors: port.error.issues.map((issue) => `PORT ${issue.message}`) };
    if (env.SLACK_APP_TOKEN) {
      return {
        ok: true,
        mode: { kind: "slack-socket", botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN, port: port.data },
      };
    }
    if (env.SLACK_SIGNING_SECRET) {
      return {
        ok: true,
        mode: {
          kind: "slack-http",
          botToken: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          port: port.data,
        },
      };
    }
  }
  if (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) {
    return {
      ok: false,
      errors: [
        "Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP); unset all three to run without Slack",
      ],
    };
  }
  return { ok: true, mode: { kind: "console" } };
}

export type ClockStartResult = { ok: true; start: Date | undefined } | { ok: false; error: string };

/** CABALBOT_CLOCK_START alone, for commands that need no other setting (`cabalbot next`). */
export function readClockStart(raw: NodeJS.ProcessEnv): ClockStartResult {
  const text = raw.CABALBOT_CLOCK_START;
  if (text === undefined || text === "") return { ok: true, start: undefined };
  const parsed = clockStartSchema.safeParse(text);
  return parsed.success
    ? { ok: true, start: parsed.data }
    : { ok: false, error: `CABALBOT_CLOCK_START ${parsed.error.issues[0]?.message}` };
}
