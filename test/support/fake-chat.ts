// A ChatPort that records what it is asked to post and can be told to fail or to be slow.
import type { ChatPort, ChatRoom, ChatUser, Clock, PostedMessage } from "../../src/app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../src/app/views.js";

export interface FakePost {
  /** `direct`: a reminder sent as a direct message to `user`. */
  kind: "reminder" | "notes" | "direct";
  /** The room's id on its chat (a Slack channel id). */
  channel: string;
  room: ChatRoom;
  marker: string;
  messageId: string;
  /** When the chat accepted it, by the clock the use cases read (as a platform's timestamp would say). */
  postedAt: Date;
  view: ReminderView | NotesAnnouncementView;
  /** The message it answers in the thread of (a notes announcement under the last reminder). */
  inThreadOf?: string;
  /** The person a direct message went to. */
  user?: ChatUser;
}

type Step = () => Promise<void> | void;

export class FakeChat implements ChatPort {
  readonly posts: FakePost[] = [];
  readonly lookups: { channel: string; marker: string; since: Date }[] = [];
  readonly rollovers: { userId: string; user: ChatUser; notice: RolloverNotice }[] = [];
  readonly scheduleNotices: { user: ChatUser; notice: ScheduleChangeNotice; marker: string }[] = [];
  /** Attempts at posting, including the failed ones. */
  attempts = 0;
  private readonly beforePost: Step[] = [];
  /** Runs before every post (e.g. awaiting a gate to make the post slow). */
  everyPost?: Step;
  private nextTs = 1;

  /** `clock` stamps each post, so that `findPostedMessage` can honour `since` as a platform would. */
  constructor(private readonly clock: Clock) {}

  /** The next post fails with this error (once per call; queued in order). */
  failNextPost(error: unknown): void {
    this.beforePost.push(() => {
      throw error;
    });
  }

  servesChat(_chat: string): boolean {
    return true;
  }

  async postReminder(room: ChatRoom, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.post("reminder", room, view, marker);
  }

  async postNotesAnnouncement(
    room: ChatRoom,
    view: NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
  ): Promise<PostedMessage> {
    return this.post("notes", room, view, marker, inThreadOf);
  }

  async findPostedMessage(room: ChatRoom, marker: string, since: Date): Promise<PostedMessage | undefined> {
    this.lookups.push({ channel: room.room, marker, since });
    const found = this.posts.find(
      (p) =>
        p.room.chat === room.chat &&
        p.room.room === room.room &&
        p.marker === marker &&
        p.postedAt.getTime() >= since.getTime(),
    );
    return found && { messageId: found.messageId };
  }

  async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    this.rollovers.push({ userId: user.id, user, notice });
  }

  async postDirectReminder(user: ChatUser, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.post("direct", { chat: user.chat, room: `dm:${user.id}` }, view, marker, undefined, user);
  }

  async findDirectMessage(user: ChatUser, marker: string, since: Date): Promise<PostedMessage | undefined> {
    return this.findPostedMessage({ chat: user.chat, room: `dm:${user.id}` }, marker, since);
  }

  async notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice, marker: string): Promise<PostedMessage> {
    await this.everyPost?.();
    this.scheduleNotices.push({ user, notice, marker });
    return { messageId: `notice-${this.scheduleNotices.length}` };
  }

  /** Reminders sent as direct messages, in the order sent. */
  directReminders(): (FakePost & { view: ReminderView; user: ChatUser })[] {
    return this.posts.filter((p): p is FakePost & { view: ReminderView; user: ChatUser } => p.kind === "direct");
  }

  async userTimeZone(_user: ChatUser): Promise<string | undefined> {
    return undefined;
  }

  reminders(): (FakePost & { view: ReminderView })[] {
    return this.posts.filter((p): p is FakePost & { view: ReminderView } => p.kind === "reminder");
  }

  private async post(
    kind: FakePost["kind"],
    room: ChatRoom,
    view: ReminderView | NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
    user?: ChatUser,
  ) {
    this.attempts += 1;
    await this.everyPost?.();
    const step = this.beforePost.shift();
    if (step) await step();
    const messageId = `${this.nextTs++}.000100`;
    this.posts.push({
      kind,
      channel: room.room,
      room,
      marker,
      messageId,
      postedAt: this.clock.now(),
      view,
      ...(inThreadOf ? { inThreadOf } : {}),
      ...(user ? { user } : {}),
    });
    return { messageId };
  }
}
