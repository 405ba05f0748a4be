// A ChatPort that records what it is asked to post and can be told to fail or to be slow.
import type { ChatPort, Clock, PostedMessage } from "../../src/app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice } from "../../src/app/views.js";

export interface FakePost {
  kind: "reminder" | "notes";
  channel: string;
  marker: string;
  messageId: string;
  /** When the chat accepted it, by the clock the use cases read (as a platform's timestamp would say). */
  postedAt: Date;
  view: ReminderView | NotesAnnouncementView;
}

type Step = () => Promise<void> | void;

export class FakeChat implements ChatPort {
  readonly posts: FakePost[] = [];
  readonly lookups: { channel: string; marker: string; since: Date }[] = [];
  readonly rollovers: { userId: string; notice: RolloverNotice }[] = [];
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

  async postReminder(view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.post("reminder", view, marker);
  }

  async postNotesAnnouncement(view: NotesAnnouncementView, marker: string): Promise<PostedMessage> {
    return this.post("notes", view, marker);
  }

  async findPostedMessage(channel: string, marker: string, since: Date): Promise<PostedMessage | undefined> {
    this.lookups.push({ channel, marker, since });
    const found = this.posts.find(
      (p) => p.channel === channel && p.marker === marker && p.postedAt.getTime() >= since.getTime(),
    );
    return found && { messageId: found.messageId };
  }

  async notifyRollover(userId: string, notice: RolloverNotice): Promise<void> {
    this.rollovers.push({ userId, notice });
  }

  async userTimeZone(): Promise<string | undefined> {
    return undefined;
  }

  reminders(): (FakePost & { view: ReminderView })[] {
    return this.posts.filter((p): p is FakePost & { view: ReminderView } => p.kind === "reminder");
  }

  private async post(kind: FakePost["kind"], view: ReminderView | NotesAnnouncementView, marker: string) {
    this.attempts += 1;
    await this.everyPost?.();
    const step = this.beforePost.shift();
    if (step) await step();
    const messageId = `${this.nextTs++}.000100`;
    this.posts.push({ kind, channel: view.meeting.channel, marker, messageId, postedAt: this.clock.now(), view });
    return { messageId };
  }
}
