// The ports the use cases need. Adapters (SQLite, Slack, console, HTTP) implement them.
import type { ChatRoom, CommunityConfig, LocalDate } from "../domain/meeting.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "./views.js";

export type { ChatRoom };

/** A person on one chat: `chat` names the chat adapter, `id` is their id there. */
export interface ChatUser {
  chat: string;
  id: string;
}

/** Where "now" comes from; injected so tests control time. */
export interface Clock {
  now(): Date;
}

/** A proposed agenda topic of one meeting occurrence. */
export interface Topic {
  id: number;
  meetingId: string;
  /** Local date of the occurrence the topic is proposed for. */
  occurrenceDate: LocalDate;
  /** What the person meant: plain text, already decoded from Slack's escaping. */
  title: string;
  /** Chat user id of the proposer (`U…`, `@ada:example.org`), or empty when the proposer is only known by name. */
  proposerId: string;
  /** The chat the proposer used (`proposerId` is an id there); empty when only known by name. */
  proposerChat: string;
  /** Display name of the proposer (from the notes, or the chat profile). */
  proposerName: string;
  /** Where it came from. */
  source: "chat" | "notes";
  createdAt: Date;
}

export type NewTopic = Omit<Topic, "id">;

/** Identity of one reminder: a meeting occurrence, an offset before its start, and the destination. */
export interface ReminderKey {
  meetingId: string;
  occurrenceDate: LocalDate;
  offsetMs: number;
  /** The destination room's key (`roomKey`, e.g. `slack:C0123ABCD`); each destination is reminded once. */
  room: string;
}

export type ReminderState = "claimed" | "sent" | "dropped";

export interface ReminderRecord extends ReminderKey {
  state: ReminderState;
  /** When the current claim was taken (a claim older than its lease may be retaken). */
  claimedAt: Date;
  attempts: number;
  sentAt?: Date;
  /** Chat message id (Slack `ts`) once posted. */
  messageId?: string;
  lastError?: string;
  /** Set by a failure of the current claim: when the claim may be retaken to try again. */
  retryAt?: Date;
  /** With `retryAt`: whether the failed attempt may still have posted (so a retry looks for it first). */
  mayHavePosted?: boolean;
  /**
   * Set (by a store shared by replicas) when the current claim's owner is known to be gone: its process ended or
   * lost its database session. Such a claim may be retaken after a short grace instead of the whole lease.
   */
  ownerGone?: boolean;
}

/** How a failed attempt should be retried. */
export interface ReminderRetry {
  /** No retry before this instant. */
  retryAt: Date;
  /** The attempt may have posted anyway (e.g. a network error after sending the request). */
  mayHavePosted: boolean;
}

/** Polling state of one occurrence's notes. */
export interface NotesWatch {
  meetingId: string;
  occurrenceDate: LocalDate;
  etag?: string;
  lastModified?: string;
  /** Next time the source may be fetched. */
  nextPollAt: Date;
  failures: number;
  /** Set once the announcement has been posted (or the watch was closed by hand). */
  announcedAt?: Date;
  announcedUrl?: string;
  messageId?: string;
  /** Set when a claim to announce was taken and not yet recorded as sent. */
  claimedAt?: Date;
}

export interface TopicStore {
  addTopic(topic: NewTopic): Promise<Topic>;
  /**
   * Adds the topic at the end of its occurrence's agenda and gives its place there (1-based: the topics of that
   * occurrence proposed before it, plus one), counted by the store with the insert, so adding never lists the
   * agenda however long it is.
   */
  appendTopic(topic: NewTopic): Promise<{ topic: Topic; position: number }>;
  /**
   * Adds the topic unless its occurrence already holds one with the same title (ignoring case), deciding
   * atomically, so two callers importing the same list never add a title twice; undefined when it was there.
   */
  addTopicIfTitleNew(topic: NewTopic): Promise<Topic | undefined>;
  /** Topics of one occurrence, in the order they were proposed. */
  listTopics(meetingId: string, occurrenceDate: LocalDate): Promise<Topic[]>;
  /**
   * Part of one occurrence's agenda: up to `limit` topics after the first `offset`, in the order proposed, and how
   * many it holds in all; a reply shows a page of a long agenda without reading the rest.
   */
  listTopicPage(
    meetingId: string,
    occurrenceDate: LocalDate,
    offset: number,
    limit: number,
  ): Promise<{ topics: Topic[]; total: number }>;
  getTopic(id: number): Promise<Topic | undefined>;
  /** Removes a topic; false when it did not exist. */
  removeTopic(id: number): Promise<boolean>;
  /** Occurrence dates of a meeting that still hold topics, strictly before `date`. */
  datesWithTopicsBefore(meetingId: string, date: LocalDate): Promise<LocalDate[]>;
  /** Moves every topic of one occurrence to another, in one transaction; returns the moved topics. */
  moveTopics(meetingId: string, fromDate: LocalDate, toDate: LocalDate): Promise<Topic[]>;
  /**
   * Carry-over after the notes: moves the listed topics that are still on `fromDate` to `toDate` in one
   * transaction, remembering where they came from; returns the ones this call moved (each by one caller).
   */
  carryOverTopics(meetingId: string, fromDate: LocalDate, ids: number[], toDate: LocalDate): Promise<Topic[]>;
  /** Topics ever carried over from `fromDate`, wherever they are now, in the order they were proposed. */
  topicsCarriedFrom(meetingId: string, fromDate: LocalDate): Promise<Topic[]>;
}

/**
 * What a store throws when sent/dropped/failure is reported for a reminder never claimed: those finish a
 * claim, so reporting one without it is a bug in the caller.
 */
export function reminderNotClaimed(key: ReminderKey): Error {
  return new Error(
    `no claim for the reminder of ${key.meetingId} on ${key.occurrenceDate} at offset ${key.offsetMs} ms in ${key.room}; ` +
      "claimReminder must come first",
  );
}

export interface ReminderStore {
  /**
   * Takes the claim to send one reminder: true when this caller now owns it (no record yet,
   * or a `claimed` record older than `leaseMs`); false when it is sent, dropped or claimed by someone else.
   */
  claimReminder(key: ReminderKey, now: Date, leaseMs: number): Promise<boolean>;
  markReminderSent(key: ReminderKey, sentAt: Date, messageId: string): Promise<void>;
  markReminderDropped(key: ReminderKey, reason: string): Promise<void>;
  /**
   * Records a failed attempt and keeps the claim's owner able to retry. With `retry`, also records when the
   * next attempt may start and whether this one may have posted (both replace what an earlier failure recorded).
   */
  recordReminderFailure(key: ReminderKey, error: string, retry?: ReminderRetry): Promise<void>;
  getReminder(key: ReminderKey): Promise<ReminderRecord | undefined>;
}

export interface NotesStore {
  getNotesWatch(meetingId: string, occurrenceDate: LocalDate): Promise<NotesWatch | undefined>;
  saveNotesWatch(watch: NotesWatch): Promise<void>;
  /**
   * Atomically takes the next poll of one occurrence's notes: true when the watch is missing, or unannounced
   * with `nextPollAt` due, and then pushes `nextPollAt` to `now + leaseMs` (creating the watch), so one caller
   * fetches per poll; the poller saves the real next poll time after fetching.
   */
  claimNotesPoll(meetingId: string, occurrenceDate: LocalDate, now: Date, leaseMs: number): Promise<boolean>;
  /** Atomically claims the right to announce; false when already announced or claimed within `leaseMs`. */
  claimNotesAnnouncement(meetingId: string, occurrenceDate: LocalDate, now: Date, leaseMs: number): Promise<boolean>;
  markNotesAnnounced(
    meetingId: string,
    occurrenceDate: LocalDate,
    at: Date,
    url: string,
    messageId: string,
  ): Promise<void>;
}

/** One post to one destination (a notes announcement to one room), claimed before and recorded after. */
export interface DeliveryRecord {
  /** The claim key; also the post's marker and, on Matrix, its transaction id. */
  key: string;
  claimedAt: Date;
  postedAt?: Date;
  messageId?: string;
}

/** Exactly-once posting of announcements, one record per destination. */
export interface DeliveryStore {
  /**
   * Takes the claim to post `key`: true when no record exists, or when it is unposted and was claimed more than
   * `leaseMs` ago (its owner presumed dead); false when posted or claimed by someone else within the lease.
   */
  claimDelivery(key: string, now: Date, leaseMs: number): Promise<boolean>;
  markDelivered(key: string, at: Date, messageId: string): Promise<void>;
  getDelivery(key: string): Promise<DeliveryRecord | undefined>;
}

/** A direct message waiting in the outbox: to whom, what (the use case's own JSON), and how it has fared. */
export interface QueuedNotice {
  id: number;
  user: ChatUser;
  /** What to say, as the use case that queued it wrote it (JSON); the store does not read it. */
  payload: string;
  /** Attempts so far, this one included once claimed. */
  attempts: number;
  queuedAt: Date;
}

/**
 * Direct messages sent later, paced and retried (roll-over notices): queued with the change they tell about, then
 * claimed a few at a time by whichever process sends them. A claimed notice is not due again until its lease
 * passes, so each is sent by one sender; a sender that dies mid-send leaves it to be retried after the lease.
 */
export interface NoticeOutboxStore {
  queueNotices(notices: { user: ChatUser; payload: string }[], now: Date): Promise<void>;
  /** Claims, atomically, up to `limit` notices due at `now`, oldest due first; each is due again `leaseMs` later. */
  claimDueNotices(now: Date, limit: number, leaseMs: number): Promise<QueuedNotice[]>;
  /** The notice went out: it leaves the outbox. */
  markNoticeSent(id: number): Promise<void>;
  /** The attempt failed: due again at `retryAt`; without one the notice is given up and leaves the outbox. */
  recordNoticeFailure(id: number, error: string, retryAt?: Date): Promise<void>;
  /** When the next notice falls due (claimed ones: when their lease ends); undefined when the outbox is empty. */
  nextNoticeDueAt(): Promise<Date | undefined>;
}

/** Deduplicates inbound chat events (Slack retries the same `event_id`). */
export interface InboundEventStore {
  /** Records the event id; false when it was seen before. */
  recordInboundEvent(eventId: string, receivedAt: Date): Promise<boolean>;
}

/** Where a user's zone came from: their chat profile (a cache), or chosen with `tz` (wins over the profile). */
export type UserZoneSource = "profile" | "chosen";

export interface UserZone {
  timezone: string;
  fetchedAt: Date;
  source: UserZoneSource;
}

/** Each chat user's IANA zone: the profile's (cached) and the one they chose. */
export interface UserZoneStore {
  /** The chosen zone when there is one, else the cached profile zone. */
  getUserZone(userId: string): Promise<UserZone | undefined>;
  /** Saves the zone from `source`; a profile zone never replaces a chosen one. */
  saveUserZone(userId: string, timezone: string, fetchedAt: Date, source?: UserZoneSource): Promise<void>;
  /** Forgets the chosen zone (the profile's applies again); false when none was chosen. */
  clearChosenUserZone(userId: string): Promise<boolean>;
}

/** Small state a chat adapter keeps across restarts (the Matrix sync token), by key. */
export interface ChatStateStore {
  getChatState(key: string): Promise<string | undefined>;
  setChatState(key: string, value: string): Promise<void>;
}

/** A person's wish to get a meeting's reminders as direct messages. */
export interface Subscription {
  meetingId: string;
  /** Who: the chat and the id there, as topics store their proposer (`proposerChat`, `proposerId`). */
  user: ChatUser;
  subscribedAt: Date;
}

/** What happened to an occurrence in a configuration reload: told once to subscribers and proposers. */
export type ScheduleChangeKind = "cancelled" | "moved" | "added";

/** Who wants which meeting's reminders in a direct message, and which schedule changes were told. */
export interface SubscriptionStore {
  /** Subscribes `user` to the meeting's reminders; false when they already were (nothing changes). */
  addSubscription(meetingId: string, user: ChatUser, at: Date): Promise<boolean>;
  /** False when they were not subscribed. */
  removeSubscription(meetingId: string, user: ChatUser): Promise<boolean>;
  /** The user's subscriptions, by meeting id. */
  subscriptionsOf(user: ChatUser): Promise<Subscription[]>;
  /** The meeting's subscribers, in the order they subscribed. */
  subscribersOf(meetingId: string): Promise<Subscription[]>;
  /**
   * Records that people are told about one change to one occurrence (`kind` on `occurrenceDate`): true for the
   * one caller that recorded it, false when it was recorded before (by this or another replica), atomically.
   */
  claimScheduleNotice(
    meetingId: string,
    occurrenceDate: LocalDate,
    kind: ScheduleChangeKind,
    at: Date,
  ): Promise<boolean>;
}

export type StoreHealth = { ok: true } | { ok: false; problem: string };

export interface Store
  extends TopicStore,
    ReminderStore,
    NotesStore,
    DeliveryStore,
    InboundEventStore,
    UserZoneStore,
    ChatStateStore,
    SubscriptionStore,
    NoticeOutboxStore {
  /** Whether the database answers now (one cheap round trip, no retries). */
  health(): Promise<StoreHealth>;
  close(): void;
  /** Set by a store shared by replicas: this process's key there (written on its claims; logged at start). */
  readonly replicaKey?: number;
}

/**
 * What a store throws when its database could not be reached within its retry window (a server restarting, a
 * network outage): nothing was decided, and the caller may say so and try later.
 */
export class StoreUnavailableError extends Error {
  /** `not-writable`: the database answers but refuses writes (disk full, read-only file, I/O error). */
  readonly kind: "unreachable" | "not-writable";

  constructor(message: string, options?: { cause?: unknown; kind?: "unreachable" | "not-writable" }) {
    super(message, options);
    this.name = "StoreUnavailableError";
    this.kind = options?.kind ?? "unreachable";
  }
}

/** Structured logging (pino-compatible subset). */
export interface Logger {
  debug(fields: object, message: string): void;
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The live configuration; replaced on reload (SIGHUP) without a restart. */
export interface ConfigSource {
  current(): CommunityConfig;
}

/**
 * What every ChatPort adapter throws when the platform refused or did not answer. The use cases read it with
 * `instanceof`; anything else thrown by a chat is treated as an unknown failure (retryable, may have posted).
 */
export class ChatError extends Error {
  /** Trying the same call again later may succeed (rate limit, server error, network). */
  readonly retryable: boolean;
  /** How long the platform asked to wait before trying again. */
  readonly retryAfterMs?: number;
  /** The platform said the message certainly did not go out (so a retry need not look for it first). */
  readonly notPosted: boolean;

  constructor(
    message: string,
    options: { retryable: boolean; retryAfterMs?: number; notPosted?: boolean; cause?: unknown },
  ) {
    super(message, { cause: options.cause });
    this.name = "ChatError";
    this.retryable = options.retryable;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
    this.notPosted = options.notPosted ?? false;
  }
}

export interface PostedMessage {
  /** The chat's id of the posted message (Slack `ts`). */
  messageId: string;
}

/**
 * What the use cases need from the chats. Rooms and users name their chat, so one port serves several chats at
 * once (the composition root's router dispatches on `chat`); each adapter renders the views its own way and
 * throws ChatError when the platform fails.
 */
export interface ChatPort {
  /**
   * Posts to one room. `marker` is a unique key of what is posted (a reminder's claim key), carried in the
   * message so `findPostedMessage` can tell after a crash whether it went out (on Matrix: the transaction id).
   */
  postReminder(room: ChatRoom, view: ReminderView, marker: string): Promise<PostedMessage>;
  /**
   * With `inThreadOf` (the id of the occurrence's last reminder in that room), the announcement answers in that
   * reminder's thread and is shown in the room too, where the chat has threads (Slack); others post it plainly.
   */
  postNotesAnnouncement(
    room: ChatRoom,
    view: NotesAnnouncementView,
    marker: string,
    inThreadOf?: string,
  ): Promise<PostedMessage>;
  /** A message this bot posted in `room` since `since` with this marker; undefined when there is none. */
  findPostedMessage(room: ChatRoom, marker: string, since: Date): Promise<PostedMessage | undefined>;
  /** Tells a proposer that their topics moved to another occurrence. */
  notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void>;
  /**
   * A reminder as a direct message to one subscriber; `marker` as in `postReminder`, so `findDirectMessage` can
   * tell after a crash whether it went out.
   */
  postDirectReminder(user: ChatUser, view: ReminderView, marker: string): Promise<PostedMessage>;
  /** A direct message this bot sent to `user` since `since` with this marker; undefined when there is none. */
  findDirectMessage(user: ChatUser, marker: string, since: Date): Promise<PostedMessage | undefined>;
  /** Tells a subscriber or proposer, in a direct message, that an occurrence was cancelled, moved or added. */
  notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice, marker: string): Promise<PostedMessage>;
  /** The user's IANA zone from their chat profile, when the platform knows it. */
  userTimeZone(user: ChatUser): Promise<string | undefined>;
  /** Whether rooms of this chat are served here (a Slack-only bot skips a meeting's Matrix room). */
  servesChat(chat: string): boolean;
}

/**
 * What the bot counts for operators (`GET /metrics`). Use cases and adapters report events; the adapter decides
 * how they are kept. Labels are ids from the configuration or fixed words, never user text.
 */
export interface Metrics {
  /** A reminder went out, `latenessMs` after its due time; `late` when it was posted as a late one. */
  reminderSent(meetingId: string, latenessMs: number, late: boolean): void;
  /** An attempt to post a reminder failed (it may be retried). */
  reminderFailed(meetingId: string): void;
  /** A reminder was given up (the meeting started first, or a later reminder superseded it). */
  reminderDropped(meetingId: string): void;
  /** A `/cabal` command was handled; `kind` is what it was parsed as (`topic-add`, `next`, …). */
  commandHandled(kind: string): void;
  /** A direct question was answered; `kind` is the kind of answer. */
  questionAnswered(kind: string): void;
  /** A chat platform call failed; `method` is the platform's method name (`chat.postMessage`). */
  chatError(method: string): void;
  /** The notes of an occurrence were fetched; `result` is what came back (`found`, `missing`, …). */
  notesPolled(meetingId: string, result: string): void;
  /** A notes announcement was posted. */
  notesAnnounced(meetingId: string, byHand: boolean): void;
  /** One tick took this long: from its start until every job it ran (or found still running) was done. */
  tickDuration(seconds: number): void;
}

/** Counts nothing: the default when no metrics are wired (tests, the command line). */
export const noMetrics: Metrics = {
  reminderSent() {},
  reminderFailed() {},
  reminderDropped() {},
  commandHandled() {},
  questionAnswered() {},
  chatError() {},
  notesPolled() {},
  notesAnnounced() {},
  tickDuration() {},
};
