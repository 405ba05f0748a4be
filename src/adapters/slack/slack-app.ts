// The Bolt app: transport (HTTP or Socket Mode), request verification, retry dedup, listeners, and the bot's
// own HTTP routes (/healthz, /metrics, the calendar feed) on the receiver's server.
import type { AnyMiddlewareArgs, App as BoltApp, Middleware } from "@slack/bolt";
import type { BotDeps } from "../../app/deps.js";
import { StoreUnavailableError } from "../../app/ports.js";
import type { CommandHandlers } from "../../app/run-command.js";
import type { BotRoute } from "../http/bot-routes.js";
import { App, LogLevel } from "./bolt-app.js";
import { boltLogger } from "./bolt-logger.js";
import { registerListeners } from "./listeners/index.js";
import { webApiFetch } from "./web-api-fetch.js";

export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  port: number;
  /** Served on the same port (in Socket Mode by the receiver's own HTTP server). */
  routes: BotRoute[];
}

export interface SlackBot {
  app: BoltApp;
  /** Registers the listeners with the use cases (once the chat port built from `app.client` is in `deps`). */
  listen(deps: BotDeps, handlers: CommandHandlers): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Connected (auth.test done) and not stopping. */
  isReady(): boolean;
}

const SLACK_API_URL = "https://slack.com/api/";
/** Web API error codes that mean the token itself was refused. */
const TOKEN_REFUSED = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"]);

/** Why the bot could not connect to Slack, as one line saying what to do; main prints it and exits. */
export class SlackStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SlackStartError";
  }
}

type WebApiFailure = {
  code?: string;
  data?: { error?: string };
  statusCode?: number;
  original?: { code?: string; message?: string; cause?: { code?: string; message?: string } };
};

function describeStartFailure(error: unknown, stage: "auth" | "connect", settings: SlackSettings): string {
  const failure = error as WebApiFailure;
  const method = stage === "auth" ? "auth.test" : "apps.connections.open";
  const url = `${apiBase(settings.apiUrl) ?? SLACK_API_URL}${method}`;
  const refused = failure.data?.error;
  if (failure.code === "slack_webapi_platform_error" && refused && TOKEN_REFUSED.has(refused)) {
    return stage === "connect" && settings.appToken
      ? `Slack refused SLACK_APP_TOKEN (${refused}): use an app-level token (xapp-…) with the connections:write scope, from the app's Basic Information → App-Level Tokens`
      : `Slack refused SLACK_BOT_TOKEN (${refused}): use the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, and reinstall the app if the token was revoked`;
  }
  if (failure.code === "slack_webapi_request_error") {
    const original = failure.original;
    const cause =
      original?.cause?.code ?? original?.cause?.message ?? original?.code ?? original?.message ?? "no answer";
    return `cannot reach Slack's Web API at ${url} (${cause}): check the network${settings.apiUrl ? " and SLACK_API_URL" : ""}`;
  }
  if (failure.code === "slack_webapi_http_error")
    return `Slack's Web API at ${url} answered HTTP ${failure.statusCode}: try again later`;
  if (failure.original === undefined && (error as { code?: string }).code === "EADDRINUSE")
    return `PORT ${settings.port} is already in use by another program: stop it, or set PORT to a free port`;
  return `could not start the Slack connection: ${error instanceof Error ? error.message : String(error)}`;
}

/** Bolt wants the Web API base URL with a trailing slash. */
function apiBase(url: string | undefined): string | undefined {
  return url && (url.endsWith("/") ? url : `${url}/`);
}

/** The Bolt app without listeners: main makes the Slack chat port from `app.client`, then calls `listen`. */
export function createSlackBot(
  deps: Pick<BotDeps, "store" | "clock" | "log" | "metrics">,
  settings: SlackSettings,
): SlackBot {
  let ready = false;
  const socketMode = Boolean(settings.appToken);
  const app = new App({
    token: settings.botToken,
    ...(socketMode
      ? {
          appToken: settings.appToken,
          socketMode: true,
          // The socket client opens its connection through the Web API too (apps.connections.open).
          installerOptions: { port: settings.port, clientOptions: { slackApiUrl: apiBase(settings.apiUrl) } },
        }
      : { signingSecret: settings.signingSecret }),
    port: settings.port,
    customRoutes: settings.routes,
    // No automatic retries: the WebClient would otherwise retry 5xx and rate limits for minutes inside one
    // call, hiding failures from the store and holding the tick. The store-paced retries are the only ones.
    clientOptions: {
      slackApiUrl: apiBase(settings.apiUrl),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      // No per-call timeout here: webApiFetch's agent has one (see there why).
      fetch: webApiFetch,
    },
    // Bolt's conversation store keeps state per conversation for listeners that ask for it; none here does, and
    // its middleware ran on every request (a few percent of a command's CPU).
    convoStore: false,
    logger: boltLogger(deps.log),
    logLevel: LogLevel.WARN,
    // auth.test runs in start(), where a failure stops the bot with a clear message.
    deferInitialization: true,
  });

  // Slack retries an event it thinks was not received; each event_id is handled once. When the store cannot
  // record it (disk full), answering a retry twice is better than not answering at all.
  const isFirstDelivery = async (eventId: string): Promise<boolean> => {
    try {
      return await deps.store.recordInboundEvent(eventId, deps.clock.now());
    } catch (error) {
      if (!(error instanceof StoreUnavailableError)) throw error;
      deps.log.error({ err: error, eventId }, "could not record an event; handling it anyway");
      return true;
    }
  };
  app.error(async (error) => {
    // A reply the listener could not send (the Web API said no, or could not be reached).
    const code = (error as { code?: unknown; original?: { code?: unknown } }).original?.code ?? error.code;
    if (typeof code === "string" && code.startsWith("slack_webapi_")) deps.metrics?.chatError("reply");
    deps.log.error({ err: error }, "a Slack listener failed");
  });
  return {
    app,
    listen(bot, handlers) {
      // Only events carry an event_id (and are retried by Slack): the check runs in their listeners alone, not
      // as global middleware that every command and click would pass through.
      const firstDeliveryOnly: Middleware<AnyMiddlewareArgs> = async ({ body, next }) => {
        const eventId = (body as { event_id?: unknown }).event_id;
        if (typeof eventId === "string" && !(await isFirstDelivery(eventId))) {
          deps.log.info({ eventId }, "ignored a repeated event");
          return;
        }
        await next();
      };
      registerListeners(app, bot, handlers, firstDeliveryOnly);
    },
    async start() {
      try {
        await app.init();
        const auth = await app.client.auth.test();
        deps.log.info({ botUserId: auth.user_id, team: auth.team }, "connected to Slack");
      } catch (error) {
        throw new SlackStartError(describeStartFailure(error, "auth", settings), { cause: error });
      }
      try {
        await app.start(settings.port);
      } catch (error) {
        throw new SlackStartError(describeStartFailure(error, "connect", settings), { cause: error });
      }
      ready = true;
    },
    async stop() {
      ready = false;
      await app.stop();
    },
    isReady: () => ready,
  };
}
