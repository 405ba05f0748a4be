// The bot's connection to a Matrix homeserver: login, a sync loop that resumes from a stored token, invites,
// incoming text messages, and notices sent with a transaction id.
//
// It uses matrix-js-sdk's HTTP layer (authentication, timeouts, abort, `MatrixError` with `retry_after_ms`)
// rather than its `MatrixClient`: the client keeps rooms and timelines in its own store and resumes only from a
// whole saved sync, while the bot needs a handful of endpoints and one sync token kept in the bot's own store,
// saved only after a batch was handled. Importing the HTTP layer alone also costs a fifth of the whole SDK's start.
import {
  type HttpApiEvent,
  type HttpApiEventHandlerMap,
  MatrixHttpApi,
  Method,
} from "matrix-js-sdk/lib/http-api/index.js";
import { TypedEventEmitter } from "matrix-js-sdk/lib/models/typed-event-emitter.js";
import { z } from "zod";
import type { Logger } from "../../app/ports.js";
import type { Html } from "./html.js";
import { MatrixRequestError, toMatrixRequestError } from "./matrix-error.js";

/** Where the sync token lives between runs (the bot's store). */
export interface SyncTokenStore {
  loadSyncToken(): Promise<string | undefined>;
  saveSyncToken(token: string): Promise<void>;
}

/** A text message a person sent in a room the bot is in. */
export interface IncomingMatrixMessage {
  eventId: string;
  roomId: string;
  /** Matrix user id of the sender (`@alice:example.org`). */
  sender: string;
  /** Whether the room is a direct chat with the bot. */
  isDirect: boolean;
  /** The plain-text body as typed; never the sender's HTML. */
  body: string;
  /** User ids the sender mentioned on purpose (`m.mentions`), e.g. the bot when addressed with a pill. */
  mentionedUserIds: string[];
  sentAt: Date;
}

export interface MatrixLogin {
  userId: string;
  accessToken: string;
  deviceId: string;
}

export interface MatrixConnectionOptions {
  homeserverUrl: string;
  accessToken: string;
  syncTokens: SyncTokenStore;
  /** Rooms the bot serves besides DMs: room ids (`!abc:server`) or aliases (`#room:server`). */
  configuredRooms: string[];
  /** Called for each incoming text message, one at a time, in order; the sync token is saved after the batch. */
  onMessage(message: IncomingMatrixMessage): Promise<void>;
  log: Logger;
  /** How long one sync request waits on the homeserver for news. */
  syncTimeoutMs?: number;
  /** Events per room in one sync answer; a longer gap is read back page by page so nothing is missed. */
  timelineLimit?: number;
}

/** The event content field that tags what the bot posted, so a post can be found again after a crash. */
export const MARKER_FIELD = "cabalbot.marker";

/** How far back `findNoticeWithMarker` reads at most, in pages of 100 events. */
const MAX_SEARCH_PAGES = 10;
/** After a long outage, at most this many missed events per room are read back. */
const MAX_BACKFILL_EVENTS = 1_000;

// What the bot reads from a sync answer. The homeserver leaves empty sections out, so everything is optional.
interface StrippedStateEvent {
  type: string;
  state_key?: string;
  sender?: string;
  content?: Record<string, unknown>;
}
interface TimelineEvent extends StrippedStateEvent {
  event_id?: string;
  origin_server_ts?: number;
  unsigned?: { prev_content?: Record<string, unknown> };
}
interface JoinedRoomSync {
  timeline?: { events?: TimelineEvent[]; limited?: boolean; prev_batch?: string };
}
interface SyncAnswer {
  next_batch: string;
  account_data?: { events?: StrippedStateEvent[] };
  rooms?: {
    join?: Record<string, JoinedRoomSync>;
    invite?: Record<string, { invite_state?: { events?: StrippedStateEvent[] } }>;
    leave?: Record<string, unknown>;
  };
}

/** A person's text message, as far as the bot reads it; anything else in the content is ignored. */
const textMessage = z.object({
  type: z.literal("m.room.message"),
  event_id: z.string(),
  sender: z.string(),
  origin_server_ts: z.number(),
  content: z.object({
    msgtype: z.literal("m.text"),
    body: z.string(),
    "m.relates_to": z.object({ rel_type: z.string().optional() }).optional(),
    // A malformed `m.mentions` is read as none rather than dropping the message.
    "m.mentions": z
      .object({ user_ids: z.array(z.string()).max(100).optional() })
      .optional()
      .catch(undefined),
  }),
});

/** `m.direct` account data: user id → ids of the direct rooms with them. */
const directRoomsContent = z.record(z.string(), z.array(z.string()));

function newHttpApi(homeserverUrl: string, accessToken?: string) {
  return new MatrixHttpApi(new TypedEventEmitter<HttpApiEvent, HttpApiEventHandlerMap>(), {
    baseUrl: homeserverUrl,
    prefix: "/_matrix/client/v3",
    accessToken,
    useAuthorizationHeader: true,
    onlyData: true,
  });
}

/** How long an ordinary request may take. */
const REQUEST_TIMEOUT_MS = 30_000;

/**
 * Request options with a timeout that, unlike the SDK's own `localTimeoutMs` (a plain timer left running), does not
 * keep the process alive after the request, combined with the connection's stop signal when given.
 */
function withTimeout(timeoutMs: number, stop?: AbortSignal) {
  const timeout = AbortSignal.timeout(timeoutMs);
  return { abortSignal: stop ? AbortSignal.any([stop, timeout]) : timeout };
}

const encode = encodeURIComponent;

export class MatrixConnection {
  private readonly http: ReturnType<typeof newHttpApi>;
  private readonly directRooms = new Set<string>();
  private directRoomsByUser: Record<string, string[]> = {};
  private configuredRoomIds = new Set<string>();
  private running = false;
  private loop: Promise<void> | undefined;
  private abort = new AbortController();

  private constructor(
    private readonly options: MatrixConnectionOptions,
    /** The bot's own Matrix user id. */
    readonly userId: string,
  ) {
    this.http = newHttpApi(options.homeserverUrl, options.accessToken);
  }

  /** Logs in with a user name (or id) and password; keep the returned token so later starts need no password. */
  static async login(homeserverUrl: string, user: string, password: string): Promise<MatrixLogin> {
    const http = newHttpApi(homeserverUrl);
    try {
      const answer = await http.request<{ user_id: string; access_token: string; device_id: string }>(
        Method.Post,
        "/login",
        undefined,
        {
          type: "m.login.password",
          identifier: { type: "m.id.user", user },
          password,
          initial_device_display_name: "cabalbot",
        },
        withTimeout(REQUEST_TIMEOUT_MS),
      );
      return { userId: answer.user_id, accessToken: answer.access_token, deviceId: answer.device_id };
    } catch (error) {
      throw toMatrixRequestError(error, "login");
    }
  }

  /** Checks the access token (whoami) and returns a connection that is not yet syncing. */
  static async connect(options: MatrixConnectionOptions): Promise<MatrixConnection> {
    const http = newHttpApi(options.homeserverUrl, options.accessToken);
    try {
      const { user_id } = await http.authedRequest<{ user_id: string }>(
        Method.Get,
        "/account/whoami",
        undefined,
        undefined,
        withTimeout(REQUEST_TIMEOUT_MS),
      );
      return new MatrixConnection(options, user_id);
    } catch (error) {
      throw toMatrixRequestError(error, "whoami (checking MATRIX_ACCESS_TOKEN)");
    }
  }

  /** Resolves `#alias:server` to its room id; a room id is returned as it is. */
  async resolveRoom(roomIdOrAlias: string): Promise<string> {
    if (!roomIdOrAlias.startsWith("#")) return roomIdOrAlias;
    const answer = await this.request<{ room_id: string }>(
      `resolve ${roomIdOrAlias}`,
      Method.Get,
      `/directory/room/${encode(roomIdOrAlias)}`,
    );
    return answer.room_id;
  }

  /**
   * Resolves the configured rooms, joins those it can, and runs the first sync; resolves once the bot is up to
   * date, then keeps syncing in the background. The very first start (no stored token) skips history.
   */
  async start(): Promise<void> {
    if (this.running) return;
    this.abort = new AbortController();
    await this.loadDirectRooms();
    await this.resolveConfiguredRooms();
    let token = await this.options.syncTokens.loadSyncToken();
    const first = await this.sync(token, 0);
    await this.handle(first, token === undefined ? "skip-history" : "deliver", token);
    await this.options.syncTokens.saveSyncToken(first.next_batch);
    token = first.next_batch;
    await this.joinConfiguredRooms();
    this.running = true;
    this.loop = this.syncForever(token);
  }

  /** Stops syncing (the request in flight is aborted); the last handled batch's token is already saved. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  /**
   * Sends an `m.notice`: plain `text` for clients without HTML, `html` (built by `html`/`htmlFromText`) as the
   * formatted body, and empty intentional mentions so it pings nobody. A resend with the same `transactionId`
   * (e.g. a claim key, after a crash) is deduplicated by the homeserver and returns the first event's id.
   */
  async sendNotice(
    roomId: string,
    message: { text: string; html: Html; mentions?: string[] },
    transactionId: string,
    marker?: string,
    /** The event this answers: clients show the notice as a reply to it (without pinging its sender). */
    inReplyTo?: string,
  ): Promise<{ eventId: string }> {
    const content = {
      msgtype: "m.notice",
      body: message.text,
      format: "org.matrix.custom.html",
      formatted_body: message.html.html,
      // Intentional mentions: nobody unless the message names them (a proposer in the last reminder), never the room.
      "m.mentions": message.mentions?.length ? { user_ids: message.mentions } : {},
      ...(marker === undefined ? {} : { [MARKER_FIELD]: marker }),
      ...(inReplyTo === undefined ? {} : { "m.relates_to": { "m.in_reply_to": { event_id: inReplyTo } } }),
    };
    const answer = await this.request<{ event_id: string }>(
      `send to ${roomId}`,
      Method.Put,
      `/rooms/${encode(roomId)}/send/m.room.message/${encode(transactionId)}`,
      content,
    );
    return { eventId: answer.event_id };
  }

  /** The bot's own message in the room carrying `marker`, sent at or after `since` (a minute of clock skew allowed). */
  async findNoticeWithMarker(roomId: string, marker: string, since: Date): Promise<{ eventId: string } | undefined> {
    const oldest = since.getTime() - 60_000;
    const filter = JSON.stringify({ types: ["m.room.message"], senders: [this.userId] });
    let from: string | undefined;
    for (let page = 0; page < MAX_SEARCH_PAGES; page += 1) {
      const answer = await this.request<{ chunk: TimelineEvent[]; end?: string }>(
        `read ${roomId}`,
        Method.Get,
        `/rooms/${encode(roomId)}/messages`,
        undefined,
        { dir: "b", limit: "100", filter, ...(from ? { from } : {}) },
      );
      for (const event of answer.chunk) {
        if ((event.origin_server_ts ?? 0) < oldest) return undefined;
        if (event.sender === this.userId && event.content?.[MARKER_FIELD] === marker && event.event_id) {
          return { eventId: event.event_id };
        }
      }
      if (!answer.end || answer.chunk.length === 0) return undefined;
      from = answer.end;
    }
    return undefined;
  }

  /** The bot's display name, as people's clients write it when they address the bot; undefined when unset. */
  async displayName(): Promise<string | undefined> {
    try {
      const answer = await this.request<{ displayname?: unknown }>(
        "read the bot's display name",
        Method.Get,
        `/profile/${encode(this.userId)}/displayname`,
      );
      return typeof answer.displayname === "string" && answer.displayname ? answer.displayname : undefined;
    } catch (error) {
      if (error instanceof MatrixRequestError && error.errcode === "M_NOT_FOUND") return undefined;
      throw error;
    }
  }

  /** The direct room with `userId`, creating one (an `is_direct` invite, recorded in `m.direct`) if there is none. */
  async directRoomWith(userId: string): Promise<string> {
    const existing = this.directRoomsByUser[userId]?.find((roomId) => this.directRooms.has(roomId));
    if (existing) return existing;
    const { room_id } = await this.request<{ room_id: string }>("create a direct room", Method.Post, "/createRoom", {
      preset: "trusted_private_chat",
      invite: [userId],
      is_direct: true,
    });
    await this.rememberDirectRoom(userId, room_id);
    return room_id;
  }

  private async request<T>(
    action: string,
    method: Method,
    path: string,
    body?: Record<string, unknown>,
    query?: Record<string, string>,
  ): Promise<T> {
    try {
      return await this.http.authedRequest<T>(method, path, query, body, withTimeout(REQUEST_TIMEOUT_MS));
    } catch (error) {
      throw toMatrixRequestError(error, action);
    }
  }

  private async sync(since: string | undefined, timeoutMs: number): Promise<SyncAnswer> {
    const filter = {
      presence: { not_types: ["*"] },
      account_data: { types: ["m.direct"] },
      room: {
        // The first sync only needs to know the rooms; history is not read.
        timeline: { limit: since === undefined ? 1 : (this.options.timelineLimit ?? 50) },
        state: { lazy_load_members: true },
        ephemeral: { not_types: ["*"] },
        account_data: { not_types: ["*"] },
      },
    };
    try {
      return await this.http.authedRequest<SyncAnswer>(
        Method.Get,
        "/sync",
        { filter: JSON.stringify(filter), timeout: String(timeoutMs), ...(since ? { since } : {}) },
        undefined,
        withTimeout(timeoutMs + REQUEST_TIMEOUT_MS, this.abort.signal),
      );
    } catch (error) {
      throw toMatrixRequestError(error, "sync");
    }
  }

  private async syncForever(token: string): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const answer = await this.sync(token, this.options.syncTimeoutMs ?? 30_000);
        await this.handle(answer, "deliver", token);
        await this.options.syncTokens.saveSyncToken(answer.next_batch);
        token = answer.next_batch;
        failures = 0;
      } catch (error) {
        if (!this.running) return;
        failures += 1;
        const e = toMatrixRequestError(error, "sync");
        // Back off 1 s, 2 s, 4 s … up to a minute, or as long as the homeserver asked.
        const waitMs = e.retryAfterMs ?? Math.min(60_000, 1_000 * 2 ** Math.min(failures - 1, 6));
        this.options.log.warn({ err: e.message, errcode: e.errcode, waitMs }, "Matrix sync failed; trying again");
        await this.pause(waitMs);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const stopped = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener("abort", stopped);
        resolve();
      }, ms);
      this.abort.signal.addEventListener("abort", stopped, { once: true });
    });
  }

  private async handle(answer: SyncAnswer, mode: "skip-history" | "deliver", since: string | undefined): Promise<void> {
    for (const event of answer.account_data?.events ?? []) {
      if (event.type === "m.direct") this.setDirectRooms(event.content ?? {});
    }
    for (const [roomId, invite] of Object.entries(answer.rooms?.invite ?? {})) {
      await this.answerInvite(roomId, invite.invite_state?.events ?? []);
    }
    if (mode === "skip-history") return;
    for (const [roomId, room] of Object.entries(answer.rooms?.join ?? {})) {
      let events = room.timeline?.events ?? [];
      if (room.timeline?.limited && room.timeline.prev_batch && since && !events.some((e) => this.isOwnJoin(e))) {
        events = [...(await this.readGap(roomId, room.timeline.prev_batch, since)), ...events];
      }
      // A room the bot has just joined comes with its history: only what was said after the join counts.
      let start = 0;
      events.forEach((event, i) => {
        if (this.isOwnJoin(event)) start = i + 1;
      });
      for (const event of events.slice(start)) await this.deliver(roomId, event);
    }
  }

  /** The bot's own membership turning to `join` (not a profile change while joined). */
  private isOwnJoin(event: TimelineEvent): boolean {
    return (
      event.type === "m.room.member" &&
      event.state_key === this.userId &&
      event.content?.membership === "join" &&
      event.unsigned?.prev_content?.membership !== "join"
    );
  }

  /** Events between the previous sync (`since`) and the start of a limited timeline, oldest first. */
  private async readGap(roomId: string, prevBatch: string, since: string): Promise<TimelineEvent[]> {
    const missed: TimelineEvent[] = [];
    let from: string | undefined = prevBatch;
    while (from && missed.length < MAX_BACKFILL_EVENTS) {
      const answer: { chunk: TimelineEvent[]; end?: string } = await this.request(
        `read ${roomId}`,
        Method.Get,
        `/rooms/${encode(roomId)}/messages`,
        undefined,
        { dir: "b", from, to: since, limit: "100" },
      );
      missed.push(...answer.chunk);
      // Reading back stops at the bot's own join: a room joined since the last sync has no gap to fill.
      if (answer.chunk.length === 0 || answer.chunk.some((e) => this.isOwnJoin(e))) break;
      from = answer.end;
    }
    if (missed.length >= MAX_BACKFILL_EVENTS) {
      this.options.log.warn({ roomId, read: missed.length }, "Matrix room had more missed messages than are read back");
    }
    return missed.reverse();
  }

  private async deliver(roomId: string, event: TimelineEvent): Promise<void> {
    if (event.type === "m.room.encryption" && event.state_key === "") {
      this.options.log.warn({ roomId }, "Matrix room turned on encryption; the bot cannot read its messages any more");
      return;
    }
    if (event.sender === this.userId) return;
    const parsed = textMessage.safeParse(event);
    // Edits repeat a message that was already handled; notices are other bots talking.
    if (!parsed.success || parsed.data.content["m.relates_to"]?.rel_type === "m.replace") return;
    const message: IncomingMatrixMessage = {
      eventId: parsed.data.event_id,
      roomId,
      sender: parsed.data.sender,
      isDirect: this.directRooms.has(roomId),
      body: parsed.data.content.body,
      mentionedUserIds: parsed.data.content["m.mentions"]?.user_ids ?? [],
      sentAt: new Date(parsed.data.origin_server_ts),
    };
    try {
      await this.options.onMessage(message);
    } catch (error) {
      this.options.log.error(
        { err: error instanceof Error ? error.message : String(error), roomId, eventId: message.eventId },
        "Matrix message handler failed",
      );
    }
  }

  /** Joins DMs and configured rooms; declines every other invite, and encrypted rooms (the bot cannot read them). */
  private async answerInvite(roomId: string, state: StrippedStateEvent[]): Promise<void> {
    const invite = state.find((e) => e.type === "m.room.member" && e.state_key === this.userId);
    const inviter = invite?.sender ?? "";
    const isDirect = invite?.content?.is_direct === true;
    const configured = this.configuredRoomIds.has(roomId);
    const fields = { roomId, inviter };
    if (state.some((e) => e.type === "m.room.encryption")) {
      this.options.log.warn(
        fields,
        "Declining an invite to an encrypted Matrix room: the bot cannot read encrypted rooms; invite it to an unencrypted room or start a DM without encryption",
      );
      await this.leave(roomId);
      return;
    }
    if (!isDirect && !configured) {
      this.options.log.info(fields, "Declining an invite to a Matrix room that is neither a DM nor configured");
      await this.leave(roomId);
      return;
    }
    try {
      await this.request(`join ${roomId}`, Method.Post, `/join/${encode(roomId)}`, {});
      if (isDirect && inviter) await this.rememberDirectRoom(inviter, roomId);
      this.options.log.info({ ...fields, isDirect }, "Joined a Matrix room on invite");
    } catch (error) {
      this.options.log.warn({ ...fields, err: (error as Error).message }, "Could not join a Matrix room on invite");
    }
  }

  private async leave(roomId: string): Promise<void> {
    try {
      await this.request(`leave ${roomId}`, Method.Post, `/rooms/${encode(roomId)}/leave`, {});
    } catch (error) {
      this.options.log.warn({ roomId, err: (error as Error).message }, "Could not decline a Matrix invite");
    }
  }

  private async loadDirectRooms(): Promise<void> {
    try {
      const content = await this.request<Record<string, unknown>>(
        "read m.direct",
        Method.Get,
        `/user/${encode(this.userId)}/account_data/m.direct`,
      );
      this.setDirectRooms(content);
    } catch (error) {
      // A new account has no m.direct yet.
      if (!(error instanceof MatrixRequestError && error.errcode === "M_NOT_FOUND")) throw error;
    }
  }

  private setDirectRooms(content: Record<string, unknown>): void {
    const parsed = directRoomsContent.safeParse(content);
    if (!parsed.success) return;
    this.directRoomsByUser = parsed.data;
    this.directRooms.clear();
    for (const rooms of Object.values(parsed.data)) for (const roomId of rooms) this.directRooms.add(roomId);
  }

  /** Records a DM in the bot's `m.direct`, as clients do, so it is known as a DM after a restart too. */
  private async rememberDirectRoom(userId: string, roomId: string): Promise<void> {
    const rooms = this.directRoomsByUser[userId] ?? [];
    if (!rooms.includes(roomId)) {
      const content = { ...this.directRoomsByUser, [userId]: [...rooms, roomId] };
      await this.request("write m.direct", Method.Put, `/user/${encode(this.userId)}/account_data/m.direct`, content);
      this.setDirectRooms(content);
    }
  }

  private async resolveConfiguredRooms(): Promise<void> {
    const ids = new Set<string>();
    for (const room of this.options.configuredRooms) {
      try {
        ids.add(await this.resolveRoom(room));
      } catch (error) {
        this.options.log.warn({ room, err: (error as Error).message }, "Could not resolve a configured Matrix room");
      }
    }
    this.configuredRoomIds = ids;
  }

  /** Joins configured rooms the bot is not in yet (public rooms need no invite); an invite will do for others. */
  private async joinConfiguredRooms(): Promise<void> {
    const { joined_rooms } = await this.request<{ joined_rooms: string[] }>("list rooms", Method.Get, "/joined_rooms");
    for (const roomId of this.configuredRoomIds) {
      if (joined_rooms.includes(roomId)) continue;
      try {
        await this.request(`join ${roomId}`, Method.Post, `/join/${encode(roomId)}`, {});
        this.options.log.info({ roomId }, "Joined a configured Matrix room");
      } catch (error) {
        this.options.log.warn(
          { roomId, err: (error as Error).message },
          "Could not join a configured Matrix room; invite the bot to it",
        );
      }
    }
  }
}
