// The composition root: env and config → store → every chat adapter (Slack, Matrix, or the console) → use cases →
// scheduler; graceful stop. Every adapter is built here and handed to the use cases as ports, once, in order.
import { pino } from "pino";
import { ChatRouter } from "./adapters/chat-router.js";
import { clockStartingAt, systemClock } from "./adapters/clock.js";
import { HttpNotesFetcher } from "./adapters/http/notes-fetcher.js";
import type { IncomingMatrixMessage, MatrixConnection } from "./adapters/matrix/matrix-connection.js";
import { watchNpmParent } from "./adapters/npm-parent.js";
import { openStore, storeKind } from "./adapters/open-store.js";
import type { SlackBot } from "./adapters/slack/slack-app.js";
import { DatabaseOpenError } from "./adapters/sqlite/database.js";
import { AgendaChanges } from "./app/agenda-changes.js";
import { announceScheduleChanges } from "./app/announce-schedule-changes.js";
import type { BotDeps } from "./app/deps.js";
import type { ChatPort, ChatRoom, ChatStateStore, ConfigSource, Logger, Store } from "./app/ports.js";
import type { CommandHandlers } from "./app/run-command.js";
import { type Config, ConfigError, loadConfigFile, MATRIX, resolveConfigPath, SLACK } from "./config.js";
import { isIanaTimeZone } from "./domain/time-zones.js";
import { type MatrixSettings, parseEnv } from "./env.js";
import { NOTICES_JOB } from "./scheduler/notice-job.js";
import type { Scheduler } from "./scheduler/scheduler.js";

export async function main(): Promise<void> {
  const envResult = parseEnv(process.env);
  if (!envResult.ok) {
    process.stderr.write(`cabalbot: bad environment\n${envResult.errors.map((e) => `  ${e}`).join("\n")}\n`);
    process.exit(2);
  }
  const { env, mode, matrix } = envResult;
  // The console chat runs only when no chat is configured.
  const runsConsole = mode.kind === "console" && !matrix;
  // Logs go to stderr so that the console chat owns stdout.
  const level = env.LOG_LEVEL ?? (runsConsole ? "warn" : "info");
  // Synchronous: a line is out before the next statement, and nothing is lost to a kill -9. Measured: pino's
  // asynchronous destination cost more of the event loop per line here (~40 µs per fs.write handed to libuv's
  // thread pool) than the ~5 µs of a write(2) to a pipe.
  const logDestination = pino.destination({ dest: 2, sync: true });
  const log = pino({ level, base: { mode: mode.kind, ...(matrix ? { matrix: true } : {}) } }, logDestination);

  const configPath = resolveConfigPath(process.env, process.cwd());
  let config: Config;
  try {
    config = loadConfigFile(configPath);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`cabalbot: ${error.message}\n`);
    process.exit(2);
  }
  // The console chat (and readline) loads only for the console.
  const consoleChat = runsConsole ? await import("./adapters/console/console-chat.js") : undefined;
  // The console's one user may do everything, so every command can be tried locally.
  const configSource: ConfigSource = consoleChat
    ? { current: () => ({ ...config, admins: [...config.admins, consoleChat.CONSOLE_USER_ID] }) }
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
  log.info({ database: storeKind(env.CABALBOT_DB), replicaKey: store.replicaKey }, "database open");
  const clock = env.CABALBOT_CLOCK_START ? clockStartingAt(env.CABALBOT_CLOCK_START) : systemClock;
  // The notes fetcher reads the bot's clock (for Retry-After dates), so a test clock governs it too.
  const fetcher = new HttpNotesFetcher({ now: () => clock.now() });
  // The notes job (the notes reader, the announcer) loads after the bot is ready; `/cabal notes` loads it on use.
  const notesJob = () => import("./scheduler/notes-job.js");
  const handlers: CommandHandlers = {
    notes: async (deps, request) => (await notesJob()).notesCommand(fetcher)(deps, request),
  };

  // The HTTP server's routes load only where they are served: the console serves nothing without CALENDAR_PORT,
  // and counts nothing then. prom-client loads once the bot is ready (DeferredMetrics keeps the counts till then),
  // ical-generator with the first calendar feed asked for.
  const serving = !runsConsole || env.CALENDAR_PORT !== undefined;
  const [httpRoutes, deferredMetrics] = serving
    ? await Promise.all([import("./adapters/http/bot-routes.js"), import("./adapters/metrics/deferred-metrics.js")])
    : [];
  const metrics = deferredMetrics && new deferredMetrics.DeferredMetrics();
  const base = {
    config: configSource,
    store,
    clock,
    log,
    metrics,
    publicUrl: env.CABALBOT_PUBLIC_URL,
    // Topic adds and removals, heard by the Slack App Home to refresh the pages people have open.
    agendaChanges: new AgendaChanges(),
  };
  // The terminal's zone: the console's "your time". TZ as written when it is a zone name (Intl would turn
  // Asia/Kolkata into its old name Asia/Calcutta), else the zone Intl resolves for the system.
  const tz = process.env.TZ;
  const terminalZone = tz && isIanaTimeZone(tz) ? tz : Intl.DateTimeFormat().resolvedOptions().timeZone;

  let slack: SlackBot | undefined;
  let matrixConnection: MatrixConnection | undefined;
  // /healthz, /metrics and the calendar feed, served alike in every mode.
  const routes = httpRoutes?.botRoutes(base, { ready: () => slack?.isReady() ?? true, metrics }) ?? [];
  // Socket Mode needs no port for Slack; its receiver serves the routes on CALENDAR_PORT, else PORT.
  const httpPort =
    mode.kind === "slack-socket" ? (env.CALENDAR_PORT ?? mode.port) : mode.kind === "slack-http" ? mode.port : 0;

  // Each chat's adapter, by the chat name the config gives its rooms.
  const chats = new Map<string, ChatPort>();
  let slackModule: typeof import("./adapters/slack/slack-app.js") | undefined;
  if (mode.kind !== "console") {
    // Loaded only for Slack: Bolt is a third of the bot's memory and most of the console's start time.
    const [slackApp, slackChat] = await Promise.all([
      import("./adapters/slack/slack-app.js"),
      import("./adapters/slack/slack-chat.js"),
    ]);
    slackModule = slackApp;
    // The app first, without listeners; its Web API client makes the Slack chat port.
    slack = slackApp.createSlackBot(base, {
      botToken: mode.botToken,
      signingSecret: mode.kind === "slack-http" ? mode.signingSecret : undefined,
      appToken: mode.kind === "slack-socket" ? mode.appToken : undefined,
      apiUrl: env.SLACK_API_URL,
      port: httpPort,
      routes,
    });
    chats.set(slackChat.SLACK_CHAT, new slackChat.SlackChat(slack.app.client, metrics));
  }

  // The Matrix connection checks its token now and starts syncing only below, once the listener is in place.
  let onMatrixMessage: ((message: IncomingMatrixMessage) => Promise<void>) | undefined;
  let matrixCommands: typeof import("./adapters/matrix/matrix-commands.js") | undefined;
  if (matrix) {
    try {
      const { MatrixConnection } = await import("./adapters/matrix/matrix-connection.js");
      // Loaded only for Matrix, like Bolt only for Slack.
      const [chatModule, commandsModule] = await Promise.all([
        import("./adapters/matrix/matrix-chat.js"),
        import("./adapters/matrix/matrix-commands.js"),
      ]);
      matrixCommands = commandsModule;
      matrixConnection = await MatrixConnection.connect({
        homeserverUrl: matrix.homeserverUrl,
        accessToken: await matrixAccessToken(MatrixConnection, matrix, store, log),
        syncTokens: syncTokenStore(store, matrix.homeserverUrl),
        configuredRooms: matrixRooms(config),
        // Set below, before the sync starts: no message arrives before then.
        onMessage: (message) => onMatrixMessage?.(message) ?? Promise.resolve(),
        log,
      });
      chats.set(MATRIX, new chatModule.MatrixChat(matrixConnection, metrics));
      log.info({ userId: matrixConnection.userId, homeserver: matrix.homeserverUrl }, "connected to Matrix");
    } catch (error) {
      process.stderr.write(`cabalbot: could not connect to Matrix: ${(error as Error).message}\n`);
      store.close();
      process.exit(2);
    }
  }

  const chat: ChatPort = consoleChat
    ? new ChatRouter(new Map(), new consoleChat.ConsoleChat((text) => process.stdout.write(text), terminalZone))
    : new ChatRouter(chats);
  let scheduler: Scheduler | undefined;
  // Roll-over notices queued by a command go out now, not at the heartbeat.
  const deps: BotDeps = { ...base, chat, noticesQueued: () => scheduler?.runJob(NOTICES_JOB) };
  slack?.listen(deps, handlers);
  if (matrixConnection && matrixCommands)
    onMatrixMessage = matrixCommands.matrixCommands(deps, handlers, matrixConnection);

  // SIGHUP: read the config again; a bad file is refused and the running one kept. The jobs run at once: their
  // indexes of due instants belong to the old configuration and are built anew.
  process.on("SIGHUP", () => {
    try {
      const before = config;
      config = loadConfigFile(configPath);
      log.info({ meetings: config.meetings.map((m) => m.id) }, "configuration reloaded");
      void scheduler?.runNow();
      // A new skip or one-off date: its subscribers and proposers are told once (the store decides "once").
      announceScheduleChanges(deps, before, config).catch((error) =>
        log.error({ err: error }, "could not tell people about the reloaded schedule's changes"),
      );
    } catch (error) {
      log.error({ err: error }, "configuration not reloaded: the file is invalid; keeping the running one");
    }
  });

  let routesServer: { stop(): Promise<void> } | undefined;
  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "stopping");
    await scheduler?.stop();
    await slack?.stop();
    await matrixConnection?.stop();
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

  if (matrixConnection) {
    try {
      await matrixConnection.start();
    } catch (error) {
      process.stderr.write(`cabalbot: could not start the Matrix sync: ${(error as Error).message}\n`);
      store.close();
      process.exit(2);
    }
    if (!slack) log.info({ mode: "matrix" }, "cabalbot is ready");
  }
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
    // Without Slack, HTTP is served only when asked to, so `npm start` never takes a port by surprise.
    try {
      routesServer = await httpRoutes.startRoutesServer(routes, env.CALENDAR_PORT);
    } catch (error) {
      process.stderr.write(`cabalbot: could not serve HTTP on CALENDAR_PORT: ${(error as Error).message}\n`);
      store.close();
      process.exit(2);
    }
    log.info({ port: env.CALENDAR_PORT }, "serving /calendar.ics, /healthz and /metrics");
  }
  // What the bot needs only once it answers: the metrics' library, the jobs and their scheduler, loaded now rather
  // than before /healthz could say ready.
  const [prometheus, reminderJob, notesJobModule, noticeJob, schedulerModule, storeGate] = await Promise.all([
    metrics ? import("./adapters/metrics/prometheus-metrics.js") : undefined,
    import("./scheduler/reminder-job.js"),
    notesJob(),
    import("./scheduler/notice-job.js"),
    import("./scheduler/scheduler.js"),
    import("./scheduler/store-gate.js"),
  ]);
  if (metrics && prometheus) metrics.attach(new prometheus.PrometheusMetrics());
  // Reminders and notes start once the chat is up; a first run right away catches up on what was missed
  // (not awaited: a slow notes server must not keep the console from reading commands).
  const jobs = [
    ...reminderJob.reminderJobs(deps),
    ...notesJobModule.notesJobs(deps, fetcher),
    ...noticeJob.noticeJobs(deps),
  ];
  scheduler = schedulerModule.startScheduler(
    env.CABALBOT_TICK,
    storeGate.pausedWhileStoreDown(jobs, store, log),
    log,
    metrics,
  );
  void scheduler.runNow();
  if (consoleChat) {
    await consoleChat.runConsole(
      deps,
      {
        input: process.stdin,
        write: (t) => process.stdout.write(t),
        userName: process.env.USER ?? "you",
        timeZone: terminalZone,
        // The console sits in this channel, so an unprefixed command picks the meeting Slack would pick there.
        room: () => consoleRoom(configSource.current(), env.CABALBOT_CONSOLE_CHANNEL),
      },
      handlers,
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

/** The Matrix rooms of the configuration, each once (aliases or ids, as written). */
function matrixRooms(config: Config): string[] {
  const rooms = config.meetings.flatMap((meeting) => meeting.rooms.filter((room) => room.chat === MATRIX));
  return [...new Set(rooms.map((room) => room.room))];
}

/** The sync token in the store, per homeserver: a restart neither replays old commands nor misses new ones. */
function syncTokenStore(state: ChatStateStore, homeserverUrl: string) {
  const key = `matrix:${homeserverUrl}:sync-token`;
  return {
    loadSyncToken: () => state.getChatState(key),
    saveSyncToken: (token: string) => state.setChatState(key, token),
  };
}

/**
 * MATRIX_ACCESS_TOKEN, or the token of a password login: logged in once and kept in the store, so later starts
 * reuse the same device instead of creating one per start.
 */
async function matrixAccessToken(
  connection: Pick<typeof MatrixConnection, "login">,
  settings: MatrixSettings,
  state: ChatStateStore,
  log: Logger,
): Promise<string> {
  if ("accessToken" in settings.login) return settings.login.accessToken;
  const key = `matrix:${settings.homeserverUrl}:${settings.login.user}:access-token`;
  const kept = await state.getChatState(key);
  if (kept) return kept;
  const login = await connection.login(settings.homeserverUrl, settings.login.user, settings.login.password);
  await state.setChatState(key, login.accessToken);
  log.info(
    { userId: login.userId, deviceId: login.deviceId },
    "logged in to Matrix; the access token is kept in the store",
  );
  return login.accessToken;
}

await main();
