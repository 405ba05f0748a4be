// The ChatPort on Slack's Web API.
import type { App } from "@slack/bolt";
import {
  ChatError,
  type ChatPort,
  type ChatRoom,
  type ChatUser,
  type Metrics,
  noMetrics,
  type PostedMessage,
} from "../../app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../app/views.js";
import { renderNotesAnnouncement, renderReminder, renderRolloverNotice, renderScheduleChange } from "./render.js";

type WebClient = App["client"];

/** Message metadata type that tags what the bot posted, so a post can be found again after a crash. */
const MARKER_EVENT = "cabalbot_post";

function markerMetadata(marker: string) {
  return { event_type: MARKER_EVENT, event_payload: { marker } };
}

/**
 * What Slack said, as the port's ChatError: a rate limit (`Retry-After`) or an `ok: false` answer means nothing
 * was posted; an HTTP 5xx or a network error leaves it unknown, so a retry looks in the channel first.
 */
export function toChatError(error: unknown, method: string): ChatError {
  if (error instanceof ChatError) return error;
  const e = (error ?? {}) as { code?: unknown; retryAfter?: unknown; statusCode?: unknown; data?: { error?: unknown } };
  const message = `Slack ${method} failed: ${error instanceof Error ? error.message : String(error)}`;
  if (e.code === "slack_webapi_rate_limited_error") {
    const retryAfterMs = typeof e.retryAfter === "number" ? e.retryAfter * 1000 : undefined;
    return new ChatError(message, { retryable: true, retryAfterMs, notPosted: true, cause: error });
  }
  if (e.code === "slack_webapi_platform_error") {
    const limited = e.data?.error === "ratelimited";
    // An `ok: false` answer is a refusal: the same call fails the same way, except a rate limit.
    return new ChatError(message, {
      retryable: limited,
      retryAfterMs: limited ? 60_000 : undefined,
      notPosted: true,
      cause: error,
    });
  }
  // HTTP errors (5xx), request errors (network) and anything unknown: try again, and look before posting.
  return new ChatError(message, { retryable: true, cause: error });
}

/** The chat name of Slack rooms and users in the configuration and the core. */
export const SLACK_CHAT = "slack";

export class SlackChat implements ChatPort {
  /** Each person's direct-message channel with the bot (`D…`), opened once per process. */
  private readonly directChannels = new Map<string, string>();

  constructor(
    private readonly client: WebClient,
    private readonly metrics: Metrics = noMetrics,
  ) {}

  /** Runs one Web API call, counting its failure by method for `/metrics`. */
  private async call<T>(method: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      this.metrics.chatError(method);
      throw toChatError(error, method);
    }
  }

  servesChat(chat: string): boolean {
    return chat === SLACK_CHAT;
  }

  async postReminder(room: ChatRoom, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.postReminderIn(room.room, view, marker);
  }

  private async postReminderIn(channel: string, view: ReminderView, marker: string): Promise<PostedMessage> {
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel,
        ...renderReminder(view),
        metadata: markerMetadata(marker),
        unfurl_links: false,
        unfurl_media: false,
      }),
    );
    return { messageId: String(result.ts) };
  }

  async postNotesAnnouncement(
    room: ChatRoom,
    view: NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
  ): Promise<PostedMessage> {
    const post = {
      channel: room.room,
      ...renderNotesAnnouncement(view),
      metadata: markerMetadata(marker),
      unfurl_links: false,
    };
    const result = await this.call("chat.postMessage", () =>
      inThreadOf
        ? // In the reminder's thread, where people talked about the meeting, and broadcast so the channel sees it.
          this.client.chat.postMessage({ ...post, thread_ts: inThreadOf, reply_broadcast: true })
        : this.client.chat.postMessage(post),
    );
    return { messageId: String(result.ts) };
  }

  async findPostedMessage(room: ChatRoom, marker: string, since: Date): Promise<PostedMessage | undefined> {
    return this.findIn(room.room, marker, since);
  }

  /**
   * The direct-message channel with `user`. conversations.open rather than posting to the user id: the channel's
   * id is what conversations.history needs to look for a post after a crash.
   */
  private async directChannel(user: ChatUser): Promise<string> {
    const known = this.directChannels.get(user.id);
    if (known) return known;
    const opened = await this.call("conversations.open", () => this.client.conversations.open({ users: user.id }));
    const id = opened.channel?.id;
    if (!id) throw new ChatError("Slack conversations.open gave no channel", { retryable: true, notPosted: true });
    this.directChannels.set(user.id, id);
    return id;
  }

  async postDirectReminder(user: ChatUser, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.postReminderIn(await this.directChannel(user), view, marker);
  }

  async findDirectMessage(user: ChatUser, marker: string, since: Date): Promise<PostedMessage | undefined> {
    return this.findIn(await this.directChannel(user), marker, since);
  }

  async notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice, marker: string): Promise<PostedMessage> {
    const channel = await this.directChannel(user);
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel,
        ...renderScheduleChange(notice),
        metadata: markerMetadata(marker),
        unfurl_links: false,
      }),
    );
    return { messageId: String(result.ts) };
  }

  private async findIn(channel: string, marker: string, since: Date): Promise<PostedMessage | undefined> {
    const history = await this.call("conversations.history", () =>
      this.client.conversations.history({
        channel,
        oldest: String(Math.floor(since.getTime() / 1000) - 60),
        include_all_metadata: true,
        limit: 200,
      }),
    );
    const found = history.messages?.find(
      (m) =>
        m.metadata?.event_type === MARKER_EVENT &&
        (m.metadata.event_payload as Record<string, unknown> | undefined)?.marker === marker,
    );
    return found?.ts ? { messageId: found.ts } : undefined;
  }

  async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    const userId = user.id;
    // Posting to a user id lands in the app's Messages tab with them (chat:write is enough).
    await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({ channel: userId, ...renderRolloverNotice(notice) }),
    );
  }

  async userTimeZone(user: ChatUser): Promise<string | undefined> {
    const result = await this.call("users.info", () => this.client.users.info({ user: user.id }));
    return result.user?.tz ?? undefined;
  }
}
