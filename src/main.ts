// The composition root: env and config → store → chat (Slack or console) → use cases → scheduler; graceful stop.
import { pino } from "pino";
import { ChatRouter } from "./adapters/chat-router.js";
import { clockStartingAt, systemClock } from "./adapters/clock.js";
import { CONSOLE_USER_ID, ConsoleChat, runConsole } from "./adapters/console/console-chat.js";
import { watchNpmParent } from "./adapters/npm-parent.js";
import { openStore, storeKind } from "./adapters/open-store.js";
import type { SlackBot } from "./adapters/slack/slack-app.js";
import { DatabaseOpenError } from "./adapters/sqlite/database.js";
import type { BotDeps } from "./app/deps.js";
import type { ChatPort, ChatRoom, ConfigSource, Store } from "./app/ports.js";
import { type Config, ConfigError, loadConfigFile, resolveConfigPath, SLACK } from "./config.js";
import { isIanaTimeZone } from "./domain/time-zones.js";
import { parseEnv } from "./env.js";
import { backgroundJobs, commandHandlers } from "./jobs.js";
import { type Scheduler, startScheduler } from "./scheduler/scheduler.js";
import { pausedWhileStoreDown } from "./scheduler/store-gate.js";

export async function main(): Promise<void> {
  const envResult = parseEnv(process.env);
  if (!envResult.ok) {
    process.stderr.write(`cabalbot: bad environment\n${envResult.errors.map((e) => `  ${e}`).join("\n")}\n`);
    process.exit(2);
  }
  const { env, mode } = envResult;
  // Logs go to stderr so that the console chat owns stdout.
  const level = env.LOG_LEVEL ?? (mode.kind === "console" ? "warn" : "info");
  const logDestination = pino.destination({ dest: 2, sync: true });
  const log = pino({ level, base: { mode: mode.kind } }, logDestination);

  const configPath = resolveConfigPath(process.env, process.cwd());
  let config: Config;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cabalbot: ${error.message}\n`);
    process.exit(2);
  }
  // The console's one user may do everything, so every command can be tried locally.
  const configSource: ConfigSource =
    mode.kind === "console"
      ? { current: () => ({ ...config, admins: [...config.admins, CONSOLE_USER_ID] }) }
      : { current: () => config };
  log.info({ config: configPath, meetings: config.meetings.map((m) => m.id) }, "configuration loaded");

  let store: Store;
  try {
    store = await openStore(env.CABALBOT_DB);
  } catch (error) {
    // A SQLite path is the person's own and worth showing; a URL may hold a password: name only the kind.
    const line =
      error instanceof DatabaseOpenError
        ? `CABALBOT_DB ${error.message}`
        : `could not open the ${storeKind(env.CABALBOT_DB)} database: ${(error as Error).message}`;
    process.stderr.write(`cabalbot: ${line}\n`);
    process.exit(2);
  }
  log.info({ database: storeKind(env.CABALBOT_DB) }, "database open");
  const clock = env.CABALBOT_CLOCK_START ? clockStartingAt(env.CABALBOT_CLOCK_START) : systemClock;

  let slack: SlackBot | undefined;
  let slackModule: typeof import("./adapters/slack/slack-app.js") | undefined;
  let chat: ChatPort | undefined;
  // The HTTP server's routes and their libraries (prom-client, ical-generator) load only where they are served:
  // the console serves nothing without CALENDAR_PORT, and counts nothing then.
  const serving = mode.kind !== "console" || env.CALENDAR_PORT !== undefined;
  const [httpRoutes, prometheus] = serving
    ? await Promise.all([import("./adapters/http/bot-routes.js"), import("./adapters/metrics/prometheus-metrics.js")])
    : [];
  const metrics = prometheus && new prometheus.PrometheusMetrics();
  const deps: BotDeps = {
    config: configSource,
    store,
    clock,
    log,
    metrics,
    publicUrl: env.CABALBOT_PUBLIC_URL,
    // Slack's chat needs the Bolt app, and the app needs deps: the chat is bound just below.
    get chat(): ChatPort {
      if (!chat) throw new Error("chat used before it was set up");
      return chat;
    },
  };
  // The terminal's zone: the console's "your time". TZ as written when it is a zone name (Intl would turn
  // Asia/Kolkata into its old name Asia/Calcutta), else the zone Intl resolves for the system.
  const tz = process.env.TZ;
  const terminalZone = tz && isIanaTimeZone(tz) ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone;
  // /healthz, /metrics and the calendar feed, served alike in every mode.
  const routes = httpRoutes?.botRoutes(deps, { ready: () => slack?.isReady() ?? true, metrics }) ?? [];
  // Socket Mode needs no port for Slack; its receiver serves the routes on CALENDAR_PORT, else PORT.
  const httpPort =
    mode.kind === "slack-socket" ? (env.CALENDAR_PORT ?? mode.port) : mode.kind === "slack-http" ? mode.port : 0;
  if (mode.kind === "console") {
    chat = new ChatRouter(new Map(), new ConsoleChat((text) => process.stdout.write(text), terminalZone));
  } else {
    // Loaded only for Slack: Bolt is a third of the bot's memory and most of the console's start time.
    const [slackApp, { SlackChat }] = await Promise.all([
      import("./adapters/slack/slack-app.js"),
      import("./adapters/slack/slack-chat.js"),
    ]);
    const { SLACK_CHAT } = await import("./adapters/slack/slack-chat.js");
    slackModule = slackApp;
    slack = slackApp.createSlackBot(
      deps,
      {
        botToken: mode.botToken,
        signingSecret: mode.kind === "slack-http" ? mode.signingSecret : undefined,
        appToken: mode.kind === "slack-socket" ? mode.appToken : undefined,
        apiUrl: env.SLACK_API_URL,
        port: httpPort,
        routes,
      },
      commandHandlers,
    );
    chat = new ChatRouter(new Map([[SLACK_CHAT, new SlackChat(slack.app.client, metrics)]]));
  }

  // SIGHUP: read the config again; a bad file is refused and the running one kept.
  process.on("SIGHUP", () => {
    try {
      config = loadConfigFile(configPath);
      log.info({ meetings: config.meetings.map((m) => m.id) }, "configuration reloaded");
    } catch (error) {
      log.error({ err: error }, "configuration not reloaded: the file is invalid; keeping the running one");
    }
  });

  let scheduler: Scheduler | undefined;
  let routesServer: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await scheduler?.stop();
    await slack?.stop();
    await routesServer?.stop();
    store.close();
    process.exit(exitCode);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  watchNpmParent(process.env, () => void stop("npm exited"));
  // A closed terminal or log pipe (EPIPE, EIO) leaves the bot unable to tell anyone anything, and writing into it
  // again and again only burns CPU: stop, as a terminal's SIGHUP would.
  const outputGone = (error: NodeJS.ErrnoException) => {
    if (stopping) return;
    if (error.code !== "EPIPE" && error.code !== "EIO" && error.code !== "ENXIO") throw error;
    void stop(`${error.code} on the terminal or log output`, 1);
  };
  const streams: NodeJS.EventEmitter[] = [logDestination, process.stdout, process.stderr, process.stdin];
  for (const stream of streams) stream.on("error", outputGone);

  if (slack) {
    try {
      await slack.start();
    } catch (error) {
      // A wrong token, an unreachable API or a busy port: say which, and do not run half-connected.
      const line =
        slackModule && error instanceof slackModule.SlackStartError
          ? error.message
          : `could not start the Slack connection: ${(error as Error).message}`;
      process.stderr.write(`cabalbot: ${line}\n`);
      store.close();
      process.exit(2);
    }
    log.info({ mode: mode.kind, port: httpPort }, "cabalbot is ready");
  } else if (httpRoutes && env.CALENDAR_PORT !== undefined) {
    // Console mode serves HTTP only when asked to, so `npm start` never takes a port by surprise.
    try {
      routesServer = await httpRoutes.startRoutesServer(routes, env.CALENDAR_PORT);
    } catch (error) {
      process.stderr.write(`cabalbot: could not serve HTTP on CALENDAR_PORT: ${(error as Error).message}\n`);
      store.close();
      process.exit(2);
    }
    log.info({ port: env.CALENDAR_PORT }, "serving /calendar.ics, /healthz and /metrics");
  }
  // Reminders and notes start once the chat is up; a first run right away catches up on what was missed
  // (not awaited: a slow notes server must not keep the console from reading commands).
  scheduler = startScheduler(env.CABALBOT_TICK, pausedWhileStoreDown(backgroundJobs(deps), store, log), log, metrics);
  void scheduler.runNow();
  if (!slack) {
    await runConsole(
      deps,
      {
        input: process.stdin,
        write: (t) => process.stdout.write(t),
        userName: process.env.USER ?? "you",
        timeZone: terminalZone,
        // The console sits in this channel, so an unprefixed command picks the meeting Slack would pick there.
        room: () => consoleRoom(configSource.current(), env.CABALBOT_CONSOLE_CHANNEL),
      },
      commandHandlers,
    );
    await stop("end of input");
  }
}

/**
 * The room the console stands for: the configured room named by CABALBOT_CONSOLE_CHANNEL (a Slack channel id,
 * as before), else the first meeting's first room.
 */
function consoleRoom(config: Config, named: string | undefined): ChatRoom | undefined {
  const rooms = config.meetings.flatMap((meeting) => meeting.rooms);
  if (named) return rooms.find((room) => room.room === named) ?? { chat: SLACK, room: named };
  return rooms[0];
}

await main();
