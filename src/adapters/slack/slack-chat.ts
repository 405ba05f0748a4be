// The ChatPort on Slack's Web API.
import type { App } from "@slack/bolt";
import type { ChatPort, PostedMessage } from "../../app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice } from "../../app/views.js";
import { renderNotesAnnouncement, renderReminder, renderRolloverNotice } from "./render.js";

type WebClient = App["client"];

export class SlackChat implements ChatPort {
  constructor(private readonly client: WebClient) {}

  async postReminder(view: ReminderView): Promise<PostedMessage> {
    const result = await this.client.chat.postMessage({
      channel: view.meeting.channel,
      ...renderReminder(view),
      unfurl_links: false,
      unfurl_media: false,
    });
    return { messageId: String(result.ts) };
  }

  async postNotesAnnouncement(view: NotesAnnouncementView): Promise<PostedMessage> {
    const result = await this.client.chat.postMessage({
      channel: view.meeting.channel,
      ...renderNotesAnnouncement(view),
      unfurl_links: false,
    });
    return { messageId: String(result.ts) };
  }

  async notifyRollover(userId: string, notice: RolloverNotice): Promise<void> {
    // Posting to a user id lands in the app's Messages tab with them (chat:write is enough).
    await this.client.chat.postMessage({ channel: userId, ...renderRolloverNotice(notice) });
  }

  async userTimeZone(userId: string): Promise<string | undefined> {
    const result = await this.client.users.info({ user: userId });
    return result.user?.tz ?? undefined;
  }
}
