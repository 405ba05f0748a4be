// The bot's own HTTP routes (/healthz, /metrics, /calendar.ics, /calendar/<meeting>.ics), in one place: Bolt's
// receivers serve them in both Slack modes, and `startRoutesServer` serves them in console mode.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { calendarFeed } from "../../app/calendar-feed.js";
import type { BotDeps } from "../../app/deps.js";

export interface MetricsExposition {
  text(): Promise<string>;
  contentType: string;
}

export interface BotRoutesOptions {
  /** Whether the chat side is up (for a load balancer's health check). */
  ready: () => boolean;
  metrics?: MetricsExposition;
}

/** Bolt's type of params (express's) allows arrays; ours are single segments. */
type RouteRequest = IncomingMessage & { params?: Record<string, string | string[] | undefined> };

/** A GET route in Bolt's customRoutes shape: `:name` in the path is one path segment, given in `params`. */
export interface BotRoute {
  path: string;
  method: string[];
  handler: (req: RouteRequest, res: ServerResponse) => Promise<void>;
}

const MEETING_FILE = /^([a-z0-9_-]{1,64})\.ics$/;

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-cache" });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, "text/plain; charset=utf-8", `${text}\n`);
}

export function botRoutes(
  deps: Pick<BotDeps, "config" | "clock" | "store" | "log" | "publicUrl">,
  options: BotRoutesOptions,
): BotRoute[] {
  const calendar = async (res: ServerResponse, meetingId?: string) => {
    const feed = await calendarFeed(deps, { meetingId });
    if (feed.kind === "unknown-meeting") {
      // The id was checked against MEETING_FILE: safe to echo in plain text.
      sendText(res, 404, `No meeting "${feed.meetingId}". Meetings: ${feed.known.join(", ")}.`);
      return;
    }
    // ical-generator and its zone data load with the first feed asked for, not with every start.
    const { renderICalendar } = await import("../ical/render-ical.js");
    send(res, 200, "text/calendar; charset=utf-8", renderICalendar(feed, deps.publicUrl));
  };
  const routes: BotRoute[] = [
    {
      path: "/healthz",
      method: ["GET"],
      // Ready, and the database answers: a load balancer sends nothing to a replica that lost its database.
      handler: async (_req, res) => {
        const database = await deps.store.health();
        const ready = options.ready();
        const ok = ready && database.ok;
        send(
          res,
          ok ? 200 : 503,
          "application/json",
          JSON.stringify({ ok, slack: ready, database: database.ok ? "ok" : database.problem }),
        );
      },
    },
    { path: "/calendar.ics", method: ["GET"], handler: (_req, res) => calendar(res) },
    {
      path: "/calendar/:file",
      method: ["GET"],
      handler: async (req, res) => {
        const file = req.params?.file;
        const match = typeof file === "string" ? MEETING_FILE.exec(file) : null;
        if (!match) {
          sendText(res, 404, "Not found: the feed of one meeting is /calendar/<meeting id>.ics.");
          return;
        }
        await calendar(res, match[1]);
      },
    },
  ];
  const metrics = options.metrics;
  if (metrics) {
    routes.push({
      path: "/metrics",
      method: ["GET"],
      handler: async (_req, res) => {
        const text = await metrics.text();
        send(res, 200, metrics.contentType, text);
      },
    });
  }
  // Bolt's Socket Mode receiver does not await a route, so each answers its own failure (never a stack trace).
  return routes.map((route) => ({
    ...route,
    handler: async (req, res) => {
      try {
        await route.handler(req, res);
      } catch (error) {
        deps.log.error({ err: error, path: req.url }, "HTTP route failed");
        if (!res.headersSent) sendText(res, 500, "Internal error; see the bot's log.");
        else res.end();
      }
    },
  }));
}

/** Matches a path against a route's (`/calendar/:file`): the params, or undefined. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split("/");
  const got = path.split("/");
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const actual = got[i] ?? "";
    if (part.startsWith(":")) {
      if (!actual) return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(actual);
      } catch {
        return undefined;
      }
    } else if (part !== actual) return undefined;
  }
  return params;
}

/**
 * A plain HTTP server for the routes, where no Bolt receiver runs (console mode). Bolt matches routes with
 * path-to-regexp; ours only have literal segments and `:name`, so a split is enough here.
 */
export async function startRoutesServer(
  routes: BotRoute[],
  port: number,
): Promise<{ server: Server; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    for (const route of routes) {
      const params = matchPath(route.path, path);
      if (params && route.method.includes(req.method ?? "")) {
        void route.handler(Object.assign(req, { params }), res);
        return;
      }
    }
    sendText(res, 404, "Not found.");
  });
  server.listen(port);
  await Promise.race([
    once(server, "listening"),
    once(server, "error").then(([error]) => {
      throw error;
    }),
  ]);
  return {
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
