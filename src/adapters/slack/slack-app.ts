// The Bolt app: transport (HTTP or Socket Mode), request verification, retry dedup, listeners, /healthz.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, LogLevel } from "@slack/bolt";
import type { BotDeps } from "../../app/deps.js";
import { StoreUnavailableError } from "../../app/ports.js";
import type { NotesCommandHandler } from "../../app/run-command.js";
import { registerListeners } from "./listeners/index.js";

export interface SlackSettings {
  botToken: string;
  signingSecret?: string;
  appToken?: string;
  apiUrl?: string;
  port: number;
}

export interface SlackBot {
  app: App;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Bolt wants the Web API base URL with a trailing slash. */
function apiBase(url: string | undefined): string | undefined {
  return url && (url.endsWith("/") ? url : `${url}/`);
}

export function createSlackBot(
  deps: BotDeps,
  settings: SlackSettings,
  handlers: { notes?: NotesCommandHandler },
): SlackBot {
  let ready = false;
  const healthz = {
    path: "/healthz",
    method: ["GET"],
    // Ready, and the database answers: a load balancer sends nothing to a replica that lost its database.
    handler: async (_req: IncomingMessage, res: ServerResponse) => {
      const database = await deps.store.health();
      const ok = ready && database.ok;
      res.writeHead(ok ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok, slack: ready, database: database.ok ? "ok" : database.problem }));
    },
  };
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
    customRoutes: [healthz],
    // No automatic retries: the WebClient would otherwise retry 5xx and rate limits for minutes inside one
    // call, hiding failures from the store and holding the tick. The store-paced retries are the only ones.
    clientOptions: {
      slackApiUrl: apiBase(settings.apiUrl),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 10_000,
    },
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
  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === "string" && !(await isFirstDelivery(eventId))) {
      deps.log.info({ eventId }, "ignored a repeated event");
      return;
    }
    await next();
  });
  app.error(async (error) => {
    deps.log.error({ err: error }, "a Slack listener failed");
  });
  registerListeners(app, deps, handlers);

  return {
    app,
    async start() {
      await app.init();
      const auth = await app.client.auth.test();
      deps.log.info({ botUserId: auth.user_id, team: auth.team }, "connected to Slack");
      await app.start(settings.port);
      ready = true;
    },
    async stop() {
      ready = false;
      await app.stop();
    },
  };
}
