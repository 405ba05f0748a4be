// The one ChatPort the use cases see: each room or user goes to the adapter of its chat (Slack, Matrix), so one
// process serves several chats with one agenda. The console, when given as fallback, takes every chat.
import type { ChatPort, ChatRoom, ChatUser, PostedMessage } from "../app/ports.js";
import { ChatError } from "../app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../app/views.js";

export class ChatRouter implements ChatPort {
  constructor(
    private readonly chats: ReadonlyMap<string, ChatPort>,
    /** Takes rooms and users of chats not in `chats` (the console stands in for every chat). */
    private readonly fallback?: ChatPort,
  ) {}

  private adapter(chat: string): ChatPort {
    const adapter = this.chats.get(chat) ?? this.fallback;
    // Not retryable: the configuration names a chat this process does not connect to.
    if (!adapter)
      throw new ChatError(`no connection to the chat "${chat}" in this process`, { retryable: false, notPosted: true });
    return adapter;
  }

  servesChat(chat: string): boolean {
    return this.chats.has(chat) || this.fallback !== undefined;
  }

  async postReminder(room: ChatRoom, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.adapter(room.chat).postReminder(room, view, marker);
  }

  async postNotesAnnouncement(
    room: ChatRoom,
    view: NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
  ): Promise<PostedMessage> {
    return this.adapter(room.chat).postNotesAnnouncement(room, view, marker, inThreadOf);
  }

  async findPostedMessage(room: ChatRoom, marker: string, since: Date): Promise<PostedMessage | undefined> {
    return this.adapter(room.chat).findPostedMessage(room, marker, since);
  }

  async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    return this.adapter(user.chat).notifyRollover(user, notice);
  }

  async postDirectReminder(user: ChatUser, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.adapter(user.chat).postDirectReminder(user, view, marker);
  }

  async findDirectMessage(user: ChatUser, marker: string, since: Date): Promise<PostedMessage | undefined> {
    return this.adapter(user.chat).findDirectMessage(user, marker, since);
  }

  async notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice, marker: string): Promise<PostedMessage> {
    return this.adapter(user.chat).notifyScheduleChange(user, notice, marker);
  }

  async userTimeZone(user: ChatUser): Promise<string | undefined> {
    // A user of a chat not served here has no profile to read.
    if (!this.servesChat(user.chat)) return undefined;
    return this.adapter(user.chat).userTimeZone(user);
  }
}
