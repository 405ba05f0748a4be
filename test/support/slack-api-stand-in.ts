// A local stand-in for Slack's Web API on loopback: records every call, answers like Slack,
// and can be told to fail. The bot reaches it through SLACK_API_URL.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  at: number;
}

type Responder = (call: ApiCall) => { status?: number; headers?: Record<string, string>; body: unknown } | undefined;

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if ((req.headers["content-type"] ?? "").includes("application/json")) return text ? JSON.parse(text) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    // The WebClient sends objects (blocks, metadata) as JSON strings inside the form.
    args[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return args;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export class SlackApiStandIn {
  readonly calls: ApiCall[] = [];
  private readonly server: Server;
  private readonly overrides: Responder[] = [];
  private readonly waiters = new Set<() => void>();
  /** Views published or opened so far: each answer's view id. */
  private viewCount = 0;
  /** Messages posted so far: the sequence part of each message's `ts`, which keeps them unique. */
  private postedCount = 0;
  /** Messages accepted by chat.postMessage, oldest first (conversations.history reads them). */
  readonly posted: { channel: string; ts: string; text: unknown; metadata: unknown }[] = [];
  /** apps.connections.open answers with this Socket Mode URL. */
  socketModeUrl = "";
  /** users.info answers: user id → IANA zone. */
  readonly userZones = new Map<string, string>();
  /** Stand-in time − real time: messages are stamped by the bot's clock when it runs on CABALBOT_CLOCK_START. */
  private clockOffsetMs = 0;
  /** The next chat.postMessage (to `channel`, if set) is held and never answered (see `postWithoutAnswerOnce`). */
  private heldPost: { channel?: string; posted: boolean } | undefined;

  constructor() {
    this.server = createServer(async (req, res) => {
      // Web API calls arrive on /api/<method>; anything else is a command's response_url being used.
      const path = (req.url ?? "").split("?")[0] ?? "";
      const method = path.startsWith("/api/") ? path.slice(5) : `response_url:${path}`;
      const call: ApiCall = { method, args: await readBody(req), at: Date.now() };
      const scripted = this.overrides.map((responder) => responder(call)).find(Boolean);
      this.calls.push(call);
      for (const wake of this.waiters) wake();
      const held = this.heldPost;
      if (!scripted && held && method === "chat.postMessage" && (!held.channel || held.channel === call.args.channel)) {
        this.heldPost = undefined;
        if (held.posted) this.answer(call);
        return; // the reply never comes (stop() or the caller's death drops the connection)
      }
      const answer = scripted ?? { body: this.answer(call) };
      res.writeHead(answer.status ?? 200, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    });
  }

  private answer(call: ApiCall): unknown {
    switch (call.method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://podman.slack.com/",
          team: "Podman",
          user: "cabalbot",
          team_id: "T0TEST",
          user_id: "UBOT",
          bot_id: "BBOT",
        };
      case "chat.postMessage": {
        // Like Slack's: the time of posting in seconds, and a sequence that makes each one unique.
        this.postedCount += 1;
        const seconds = Math.floor((Date.now() + this.clockOffsetMs) / 1000);
        const ts = `${seconds}.${String(this.postedCount).padStart(6, "0")}`;
        this.posted.push({
          channel: String(call.args.channel),
          ts,
          text: call.args.text,
          metadata: call.args.metadata,
        });
        return { ok: true, channel: call.args.channel, ts, message: { text: call.args.text } };
      }
      case "conversations.open": {
        // The direct-message channel with one person, the same each time, as Slack's.
        const user = String(call.args.users ?? "");
        if (!/^[UW][A-Z0-9]+$/.test(user)) return { ok: false, error: "user_not_found" };
        return { ok: true, channel: { id: this.directChannelOf(user) } };
      }
      case "views.publish":
      case "views.open":
        return this.answerView(call);
      case "apps.connections.open":
        return this.socketModeUrl ? { ok: true, url: this.socketModeUrl } : { ok: false, error: "invalid_auth" };
      case "users.info": {
        const user = String(call.args.user);
        return {
          ok: true,
          user: { id: user, name: user.toLowerCase(), tz: this.userZones.get(user) ?? "America/New_York" },
        };
      }
      case "conversations.history": {
        // Messages posted to the channel through this stand-in, newest first, as Slack lists them.
        // Like Slack's, `oldest` excludes a message stamped exactly then unless `inclusive` is set.
        const oldest = Number(call.args.oldest ?? 0);
        const inclusive = call.args.inclusive === true || call.args.inclusive === "true";
        const messages = this.posted
          .filter(
            (m) => m.channel === call.args.channel && (inclusive ? Number(m.ts) >= oldest : Number(m.ts) > oldest),
          )
          .reverse()
          .map((m) => ({
            type: "message",
            ts: m.ts,
            text: m.text,
            ...(call.args.include_all_metadata ? { metadata: m.metadata } : {}),
          }));
        return { ok: true, messages, has_more: false };
      }
      default:
        return call.method.startsWith("response_url:") ? { ok: true } : { ok: false, error: "unknown_method" };
    }
  }

  /**
   * views.publish (a Home tab, for `user_id`) and views.open (a modal, for a `trigger_id`), refused as Slack
   * refuses them: a view of the wrong type, or over Slack's 100 blocks.
   */
  private answerView(call: ApiCall): unknown {
    const view = call.args.view as { type?: unknown; blocks?: unknown[] } | undefined;
    const wanted = call.method === "views.publish" ? "home" : "modal";
    const target = call.method === "views.publish" ? call.args.user_id : call.args.trigger_id;
    if (typeof target !== "string" || target === "") return { ok: false, error: "invalid_arguments" };
    if (!view || view.type !== wanted || !Array.isArray(view.blocks) || view.blocks.length > 100)
      return { ok: false, error: "invalid_arguments" };
    this.viewCount += 1;
    return { ok: true, view: { id: `V${String(this.viewCount).padStart(8, "0")}`, ...view } };
  }

  /** The Home views published for `user`, oldest first. */
  homesPublishedFor(user: string): { type: string; blocks: unknown[] }[] {
    return this.callsTo("views.publish")
      .filter((call) => call.args.user_id === user)
      .map((call) => call.args.view as { type: string; blocks: unknown[] });
  }

  /** The id of the direct-message channel conversations.open gives for `user` (`U0ADA` → `D0ADA`). */
  directChannelOf(user: string): string {
    return `D${user.slice(1)}`;
  }

  /**
   * From now on, stamps messages as a clock that reads `start` now and runs at real speed: call it as a bot is
   * started with CABALBOT_CLOCK_START=start, so that `ts` and `oldest` (conversations.history) compare on the
   * bot's time line, as they do with Slack's real clock. The bot starts its clock a moment later, so the
   * stand-in is ahead by the bot's start-up time, like a Slack clock a second or two ahead of ours.
   */
  runClockFrom(start: Date): void {
    this.clockOffsetMs = start.getTime() - Date.now();
  }

  /**
   * The next chat.postMessage (to `channel`, when given) is never answered: the bot dies (or times out) before
   * Slack's reply. By default the message is in the channel all the same; with `posted: false` it never gets
   * there (the request died on the way).
   */
  postWithoutAnswerOnce(options: { channel?: string; posted?: boolean } = {}): void {
    this.heldPost = { channel: options.channel, posted: options.posted ?? true };
  }

  /** The first matching call is answered by `responder` instead (e.g. a 500, `ratelimited`). */
  respondOnce(method: string, respond: Omit<ReturnType<Responder> & object, never>): void {
    let used = false;
    this.overrides.push((call) => {
      if (used || call.method !== method) return undefined;
      used = true;
      return respond;
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `${this.origin()}/api/`;
  }

  /** A response_url served by this stand-in: what the bot posts there is recorded as `response_url:<path>`. */
  responseUrl(path = "/commands/1"): string {
    return `${this.origin()}${path}`;
  }

  private origin(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    this.server.close();
  }

  callsTo(method: string): ApiCall[] {
    return this.calls.filter((call) => call.method === method);
  }

  /** Resolves once `count` calls match; rejects after `timeoutMs` with what was seen. */
  async waitFor(predicate: (call: ApiCall) => boolean, count = 1, timeoutMs = 10_000): Promise<ApiCall[]> {
    const matching = () => this.calls.filter(predicate);
    if (matching().length >= count) return matching();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${count} call(s); saw: ${this.calls.map((c) => c.method).join(", ")}`,
          ),
        );
      }, timeoutMs);
      const check = () => {
        if (matching().length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(matching());
      };
      this.waiters.add(check);
    });
  }
}
