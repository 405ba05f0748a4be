// The ChatPort for Matrix rooms and users: notices over the bot's own connection, marked so a post can be found
// again after a crash, with the claim key as the transaction id so the homeserver drops a resend too.
import {
  ChatError,
  type ChatPort,
  type ChatRoom,
  type ChatUser,
  type Metrics,
  type PostedMessage,
} from "../../app/ports.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../app/views.js";
import type { MatrixConnection } from "./matrix-connection.js";
import { MatrixRequestError } from "./matrix-error.js";
import {
  type MatrixMessage,
  renderMatrixNotes,
  renderMatrixReminder,
  renderMatrixRollover,
  renderMatrixScheduleChange,
} from "./render.js";

/** The chat name of Matrix rooms and users in the configuration and the store. */
export const MATRIX_CHAT = "matrix";

/** Any failure of a Matrix call as the port's one error: what the homeserver said decides whether to retry. */
function asChatError(error: unknown, action: string): ChatError {
  if (error instanceof ChatError) return error;
  if (error instanceof MatrixRequestError) {
    return new ChatError(`${action}: ${error.message}`, {
      retryable: error.retryable,
      retryAfterMs: error.retryAfterMs,
      // An answer with an error code (rate limit, forbidden) means the event was not sent; a 5xx or a network
      // failure leaves it unknown, so a retry looks for the marker first.
      notPosted: error.errcode !== undefined && (error.httpStatus ?? 500) < 500,
      cause: error,
    });
  }
  return new ChatError(`${action}: ${(error as Error)?.message ?? String(error)}`, { retryable: true, cause: error });
}

export class MatrixChat implements ChatPort {
  private readonly roomIds = new Map<string, string>();

  constructor(
    private readonly connection: MatrixConnection,
    private readonly metrics?: Metrics,
  ) {}

  servesChat(chat: string): boolean {
    return chat === MATRIX_CHAT;
  }

  /** The configuration may name a room by alias; the homeserver wants its id (resolved once). */
  private async roomId(room: ChatRoom): Promise<string> {
    const known = this.roomIds.get(room.room);
    if (known) return known;
    const id = await this.connection.resolveRoom(room.room);
    this.roomIds.set(room.room, id);
    return id;
  }

  private async send(
    room: ChatRoom,
    message: MatrixMessage,
    marker: string,
    action: string,
    inReplyTo?: string,
  ): Promise<PostedMessage> {
    try {
      const sent = await this.connection.sendNotice(await this.roomId(room), message, marker, marker, inReplyTo);
      return { messageId: sent.eventId };
    } catch (error) {
      this.metrics?.chatError(action);
      throw asChatError(error, action);
    }
  }

  postReminder(room: ChatRoom, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.send(room, renderMatrixReminder(view), marker, "m.room.message (reminder)");
  }

  postNotesAnnouncement(
    room: ChatRoom,
    view: NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
  ): Promise<PostedMessage> {
    // Matrix threads hide their messages from the room; a reply to the last reminder is seen by everyone.
    return this.send(room, renderMatrixNotes(view), marker, "m.room.message (notes)", inThreadOf);
  }

  async findPostedMessage(room: ChatRoom, marker: string, since: Date): Promise<PostedMessage | undefined> {
    try {
      const found = await this.connection.findNoticeWithMarker(await this.roomId(room), marker, since);
      return found && { messageId: found.eventId };
    } catch (error) {
      this.metrics?.chatError("messages");
      throw asChatError(error, "looking for an earlier post");
    }
  }

  async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    try {
      const dm = await this.connection.directRoomWith(user.id);
      const key = `rollover:${notice.meeting.id}:${notice.fromDate}:${notice.to.date}:${user.id}`;
      await this.connection.sendNotice(dm, renderMatrixRollover(notice), key);
    } catch (error) {
      this.metrics?.chatError("m.room.message (rollover)");
      throw asChatError(error, "telling a proposer their topics moved");
    }
  }

  /** Sends to the direct room with `user` (made on first use), the marker as transaction id as in rooms. */
  private async sendDirect(user: ChatUser, message: MatrixMessage, marker: string, action: string) {
    try {
      const dm = await this.connection.directRoomWith(user.id);
      const sent = await this.connection.sendNotice(dm, message, marker, marker);
      return { messageId: sent.eventId };
    } catch (error) {
      this.metrics?.chatError(action);
      throw asChatError(error, action);
    }
  }

  postDirectReminder(user: ChatUser, view: ReminderView, marker: string): Promise<PostedMessage> {
    return this.sendDirect(user, renderMatrixReminder(view), marker, "m.room.message (direct reminder)");
  }

  async findDirectMessage(user: ChatUser, marker: string, since: Date): Promise<PostedMessage | undefined> {
    try {
      const found = await this.connection.findNoticeWithMarker(
        await this.connection.directRoomWith(user.id),
        marker,
        since,
      );
      return found && { messageId: found.eventId };
    } catch (error) {
      this.metrics?.chatError("messages");
      throw asChatError(error, "looking for an earlier direct message");
    }
  }

  notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice, marker: string): Promise<PostedMessage> {
    return this.sendDirect(user, renderMatrixScheduleChange(notice), marker, "m.room.message (schedule change)");
  }

  async userTimeZone(): Promise<string | undefined> {
    // Matrix profiles carry no zone; people set theirs with `!cabal tz Area/City`.
    return undefined;
  }
}
