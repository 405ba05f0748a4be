// Environment variables, validated once at start (the README lists each).
import cron from "node-cron";
import { z } from "zod";

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "must be a bot token (xoxb-…)").optional(),
  SLACK_SIGNING_SECRET: z.string().min(8, "is too short to be a signing secret").optional(),
  SLACK_APP_TOKEN: z.string().startsWith("xapp-", "must be an app-level token (xapp-…)").optional(),
  SLACK_API_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  CABALBOT_DB: z.string().min(1).default("./data/cabalbot.sqlite"),
  CABALBOT_CONFIG: z.string().min(1).optional(),
  CABALBOT_CLOCK_START: z.iso.datetime({ offset: true, error: "must be an ISO 8601 instant" }).optional(),
  CABALBOT_TICK: z
    .string()
    .refine((expression) => cron.validate(expression), 'is not a cron expression (e.g. "* * * * * *": every second)')
    .default("* * * * * *"),
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
  | { kind: "slack-http"; botToken: string; signingSecret: string }
  | { kind: "slack-socket"; botToken: string; appToken: string };

export type EnvResult = { ok: true; env: Env; mode: Mode } | { ok: false; errors: string[] };

/** Reads the environment: which chat to run (Slack over HTTP, Socket Mode, or the console) and the settings. */
export function parseEnv(raw: NodeJS.ProcessEnv): EnvResult {
  // Empty variables count as unset (`SLACK_APP_TOKEN= npm start`).
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ""));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`) };
  }
  const env = parsed.data;
  if (env.SLACK_BOT_TOKEN && env.SLACK_APP_TOKEN) {
    return {
      ok: true,
      env,
      mode: { kind: "slack-socket", botToken: env.SLACK_BOT_TOKEN, appToken: env.SLACK_APP_TOKEN },
    };
  }
  if (env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET) {
    return {
      ok: true,
      env,
      mode: { kind: "slack-http", botToken: env.SLACK_BOT_TOKEN, signingSecret: env.SLACK_SIGNING_SECRET },
    };
  }
  if (env.SLACK_BOT_TOKEN || env.SLACK_SIGNING_SECRET || env.SLACK_APP_TOKEN) {
    return {
      ok: false,
      errors: [
        "Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP); unset all three for console mode",
      ],
    };
  }
  return { ok: true, env, mode: { kind: "console" } };
}
