// Rows as both SQL stores read them (snake_case columns, epoch milliseconds) and the port's records made from them:
// one mapping for SQLite and PostgreSQL, which store the same columns.
import type { NotesWatch, QueuedNotice, ReminderRecord, ReminderState, Subscription, Topic } from "../app/ports.js";

export interface NoticeRow {
  id: number;
  chat: string;
  user_id: string;
  payload: string;
  queued_at: number;
  attempts: number;
}

export function noticeFromRow(row: NoticeRow): QueuedNotice {
  return {
    id: row.id,
    user: { chat: row.chat, id: row.user_id },
    payload: row.payload,
    attempts: row.attempts,
    queuedAt: new Date(row.queued_at),
  };
}

export interface TopicRow {
  id: number;
  meeting_id: string;
  occurrence_date: string;
  title: string;
  proposer_id: string;
  proposer_chat: string;
  proposer_name: string;
  source: Topic["source"];
  created_at: number;
}

export interface ReminderRow {
  meeting_id: string;
  occurrence_date: string;
  offset_ms: number;
  room: string;
  state: ReminderState;
  claimed_at: number;
  attempts: number;
  sent_at: number | null;
  message_id: string | null;
  last_error: string | null;
  retry_at: number | null;
  /** SQLite stores the flag as 0/1, PostgreSQL as a boolean. */
  may_have_posted: number | boolean | null;
  /** PostgreSQL only: the claim's owner holds no lock any more (its process or connection is gone). */
  owner_gone?: boolean | null;
}

export interface NotesWatchRow {
  meeting_id: string;
  occurrence_date: string;
  etag: string | null;
  last_modified: string | null;
  next_poll_at: number;
  failures: number;
  announced_at: number | null;
  announced_url: string | null;
  message_id: string | null;
  claimed_at: number | null;
}

export function topicFromRow(row: TopicRow): Topic {
  return {
    id: row.id,
    meetingId: row.meeting_id,
    occurrenceDate: row.occurrence_date,
    title: row.title,
    proposerId: row.proposer_id,
    proposerChat: row.proposer_chat,
    proposerName: row.proposer_name,
    source: row.source,
    createdAt: new Date(row.created_at),
  };
}

export function reminderFromRow(row: ReminderRow): ReminderRecord {
  const record: ReminderRecord = {
    meetingId: row.meeting_id,
    occurrenceDate: row.occurrence_date,
    offsetMs: row.offset_ms,
    room: row.room,
    state: row.state,
    claimedAt: new Date(row.claimed_at),
    attempts: row.attempts,
  };
  if (row.sent_at !== null) record.sentAt = new Date(row.sent_at);
  if (row.message_id !== null) record.messageId = row.message_id;
  if (row.last_error !== null) record.lastError = row.last_error;
  if (row.retry_at !== null) {
    record.retryAt = new Date(row.retry_at);
    record.mayHavePosted = row.may_have_posted === 1 || row.may_have_posted === true;
  }
  if (row.owner_gone === true) record.ownerGone = true;
  return record;
}

export function notesWatchFromRow(row: NotesWatchRow): NotesWatch {
  const watch: NotesWatch = {
    meetingId: row.meeting_id,
    occurrenceDate: row.occurrence_date,
    nextPollAt: new Date(row.next_poll_at),
    failures: row.failures,
  };
  if (row.etag !== null) watch.etag = row.etag;
  if (row.last_modified !== null) watch.lastModified = row.last_modified;
  if (row.announced_at !== null) watch.announcedAt = new Date(row.announced_at);
  if (row.announced_url !== null) watch.announcedUrl = row.announced_url;
  if (row.message_id !== null) watch.messageId = row.message_id;
  if (row.claimed_at !== null) watch.claimedAt = new Date(row.claimed_at);
  return watch;
}

export interface SubscriptionRow {
  meeting_id: string;
  user_chat: string;
  user_id: string;
  subscribed_at: number;
}

export function subscriptionFromRow(row: SubscriptionRow): Subscription {
  return {
    meetingId: row.meeting_id,
    user: { chat: row.user_chat, id: row.user_id },
    subscribedAt: new Date(row.subscribed_at),
  };
}
