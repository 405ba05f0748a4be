// The ChatPort on Slack's Web API.
import type { App } from "@slack/bolt";
import { type ChatPort, type Metrics, noMetrics, type PostedMessage } from "../../app/ports.js";
import type { ChatFailureHints } from "../../app/send-due-reminders.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice } from "../../app/views.js";
import { renderNotesAnnouncement, renderReminder, renderRolloverNotice } from "./render.js";

type WebClient = App["client"];

/** Message metadata type that tags what the bot posted, so a post can be found again after a crash. */
const MARKER_EVENT = "cabalbot_post";

function markerMetadata(marker: string) {
  return { event_type: MARKER_EVENT, event_payload: { marker } };
}

/**
 * Tells the retry logic what Slack said: a rate limit (`Retry-After`) or an `ok: false` answer means nothing was
 * posted; an HTTP 5xx or a network error leaves it unknown, so the retry looks in the channel first.
 */
function withFailureHints(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const e = error as Error & { code?: unknown; retryAfter?: unknown; data?: { error?: unknown } };
  const hints: ChatFailureHints = {};
  if (e.code === "slack_webapi_rate_limited_error") {
    hints.notPosted = true;
    if (typeof e.retryAfter === "number") hints.retryAfterMs = e.retryAfter * 1000;
  } else if (e.code === "slack_webapi_platform_error") {
    hints.notPosted = true;
    if (e.data?.error === "ratelimited") hints.retryAfterMs = 60_000;
  }
  return Object.assign(error, hints);
}

export class SlackChat implements ChatPort {
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
      throw error;
    }
  }

  async postReminder(view: ReminderView, marker: string): Promise<PostedMessage> {
    try {
      const result = await this.call("chat.postMessage", () =>
        this.client.chat.postMessage({
          channel: view.meeting.channel,
          ...renderReminder(view),
          metadata: markerMetadata(marker),
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return { messageId: String(result.ts) };
    } catch (error) {
      throw withFailureHints(error);
    }
  }

  async postNotesAnnouncement(view: NotesAnnouncementView, marker: string): Promise<PostedMessage> {
    const result = await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({
        channel: view.meeting.channel,
        ...renderNotesAnnouncement(view),
        metadata: markerMetadata(marker),
        unfurl_links: false,
      }),
    );
    return { messageId: String(result.ts) };
  }

  async findPostedMessage(channel: string, marker: string, since: Date): Promise<PostedMessage | undefined> {
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

  async notifyRollover(userId: string, notice: RolloverNotice): Promise<void> {
    // Posting to a user id lands in the app's Messages tab with them (chat:write is enough).
    await this.call("chat.postMessage", () =>
      this.client.chat.postMessage({ channel: userId, ...renderRolloverNotice(notice) }),
    );
  }

  async userTimeZone(userId: string): Promise<string | undefined> {
    const result = await this.call("users.info", () => this.client.users.info({ user: userId }));
    return result.user?.tz ?? undefined;
  }
}
