// The Store port on one SQLite file: durable, and safe to share between processes (bot + CLI).
import type {
  ChatUser,
  DeliveryRecord,
  NewTopic,
  NotesWatch,
  QueuedNotice,
  ReminderKey,
  ReminderRecord,
  ReminderRetry,
  ScheduleChangeKind,
  Store,
  StoreHealth,
  Subscription,
  Topic,
  UserZone,
  UserZoneSource,
} from "../../app/ports.js";
import { reminderNotClaimed, StoreUnavailableError } from "../../app/ports.js";
import type { LocalDate } from "../../domain/meeting.js";
import {
  type NotesWatchRow,
  type NoticeRow,
  notesWatchFromRow,
  noticeFromRow,
  type ReminderRow,
  reminderFromRow,
  type SubscriptionRow,
  subscriptionFromRow,
  type TopicRow,
  topicFromRow,
} from "../store-rows.js";
import { DatabaseOpenError, openDatabase, type SqliteDatabase } from "./database.js";
import { migrate } from "./migrations.js";
import { atTurnEnd, type Stamp, UnchangedReads } from "./unchanged-reads.js";

/**
 * SQLite copies the WAL into the database file (a checkpoint, with its fsyncs: ~4 ms per 1,000 pages here) inside
 * whichever commit crosses 1,000 pages, stalling every request in flight behind that commit. The store runs it
 * itself instead: once writes have been quiet this long, or after this many commits under continuous load.
 */
const CHECKPOINT_WHEN_QUIET_MS = 50;
const CHECKPOINT_EVERY_COMMITS = 2_000;

/** When the store copies its WAL into the database file (tests shorten these). */
export interface CheckpointPolicy {
  whenQuietMs: number;
  everyCommits: number;
}

/** Slack retries an event for minutes, not days: ids older than this are forgotten. */
const INBOUND_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Pruning is a range delete; doing it at most this often keeps inserts cheap. */
const INBOUND_EVENT_PRUNE_EVERY_MS = 60 * 60 * 1000;

interface UserZoneRow {
  timezone: string;
  fetched_at: number;
  source: UserZoneSource;
}

interface ReminderParams {
  meetingId: string;
  occurrenceDate: string;
  offsetMs: number;
  room: string;
}

interface OccurrenceParams {
  meetingId: string;
  occurrenceDate: string;
}

interface NewTopicParams {
  meetingId: string;
  occurrenceDate: string;
  title: string;
  proposerId: string;
  proposerChat: string;
  proposerName: string;
  source: Topic["source"];
  createdAt: number;
}

interface NotesWatchParams {
  meetingId: string;
  occurrenceDate: string;
  etag: string | null;
  lastModified: string | null;
  nextPollAt: number;
  failures: number;
  announcedAt: number | null;
  announcedUrl: string | null;
  messageId: string | null;
  claimedAt: number | null;
}

function newTopicParams(topic: NewTopic): NewTopicParams {
  return {
    meetingId: topic.meetingId,
    occurrenceDate: topic.occurrenceDate,
    title: topic.title,
    proposerId: topic.proposerId,
    proposerChat: topic.proposerChat,
    proposerName: topic.proposerName,
    source: topic.source,
    createdAt: topic.createdAt.getTime(),
  };
}

function reminderParams(key: ReminderKey): ReminderParams {
  return { meetingId: key.meetingId, occurrenceDate: key.occurrenceDate, offsetMs: key.offsetMs, room: key.room };
}

function prepareStatements(db: SqliteDatabase) {
  return {
    insertTopic: db.prepare<NewTopicParams>(
      `INSERT INTO topics (meeting_id, occurrence_date, title, proposer_id, proposer_chat, proposer_name, source, created_at)
       VALUES (@meetingId, @occurrenceDate, @title, @proposerId, @proposerChat, @proposerName, @source, @createdAt)`,
    ),
    // Served by the index topics_by_occurrence (meeting_id, occurrence_date, id): no scan of the agenda's rows.
    topicPosition: db
      .prepare<OccurrenceParams & { id: number }, number>(
        `SELECT count(*) FROM topics
         WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate AND id <= @id`,
      )
      .pluck(),
    listTopics: db.prepare<OccurrenceParams, TopicRow>(
      `SELECT * FROM topics WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate ORDER BY id`,
    ),
    listTopicPage: db.prepare<OccurrenceParams & { offset: number; limit: number }, TopicRow>(
      `SELECT * FROM topics WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate
       ORDER BY id LIMIT @limit OFFSET @offset`,
    ),
    countTopics: db
      .prepare<OccurrenceParams, number>(
        `SELECT COUNT(*) FROM topics WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate`,
      )
      .pluck(),
    getTopic: db.prepare<[number], TopicRow>(`SELECT * FROM topics WHERE id = ?`),
    deleteTopic: db.prepare<[number]>(`DELETE FROM topics WHERE id = ?`),
    datesWithTopicsBefore: db
      .prepare<{ meetingId: string; date: string }, string>(
        `SELECT DISTINCT occurrence_date FROM topics
         WHERE meeting_id = @meetingId AND occurrence_date < @date ORDER BY occurrence_date`,
      )
      .pluck(),
    carryOverTopic: db.prepare<{ id: number; meetingId: string; fromDate: string; toDate: string }>(
      `UPDATE topics SET occurrence_date = @toDate, carried_from = @fromDate
       WHERE id = @id AND meeting_id = @meetingId AND occurrence_date = @fromDate`,
    ),
    topicsCarriedFrom: db.prepare<{ meetingId: string; fromDate: string }, TopicRow>(
      `SELECT * FROM topics WHERE meeting_id = @meetingId AND carried_from = @fromDate ORDER BY id`,
    ),
    moveTopics: db.prepare<{ meetingId: string; fromDate: string; toDate: string }>(
      `UPDATE topics SET occurrence_date = @toDate WHERE meeting_id = @meetingId AND occurrence_date = @fromDate`,
    ),

    // Same rule as claimNotesAnnouncement below: a missing watch is created, a due unannounced one is taken.
    claimNotesPoll: db.prepare<OccurrenceParams & { now: number; leaseEnd: number }>(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures)
       VALUES (@meetingId, @occurrenceDate, @leaseEnd, 0)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET next_poll_at = excluded.next_poll_at
       WHERE notes_watch.announced_at IS NULL AND notes_watch.next_poll_at <= @now`,
    ),
    topicTitles: db
      .prepare<OccurrenceParams, string>(
        `SELECT title FROM topics WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate`,
      )
      .pluck(),
    ping: db.prepare(`SELECT 1`),

    // One statement decides the race: a new row, or a `claimed` row strictly older than the lease, is taken;
    // anything else leaves the row alone and reports 0 changes. Retaking keeps `attempts` (failures so far).
    claimReminder: db.prepare<ReminderParams & { now: number; leaseMs: number }>(
      `INSERT INTO reminders (meeting_id, occurrence_date, offset_ms, room, state, claimed_at, attempts)
       VALUES (@meetingId, @occurrenceDate, @offsetMs, @room, 'claimed', @now, 0)
       ON CONFLICT (meeting_id, occurrence_date, offset_ms, room) DO UPDATE SET claimed_at = excluded.claimed_at
       WHERE reminders.state = 'claimed' AND reminders.claimed_at < @now - @leaseMs`,
    ),
    markReminderSent: db.prepare<ReminderParams & { sentAt: number; messageId: string }>(
      `UPDATE reminders SET state = 'sent', sent_at = @sentAt, message_id = @messageId
       WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate AND offset_ms = @offsetMs AND room = @room`,
    ),
    // A reminder that went out stays sent: a late "drop" must not hide that.
    markReminderDropped: db.prepare<ReminderParams & { reason: string }>(
      `UPDATE reminders SET state = 'dropped', last_error = @reason
       WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate AND offset_ms = @offsetMs AND room = @room
         AND state <> 'sent'`,
    ),
    recordReminderFailure: db.prepare<
      ReminderParams & { error: string; retryAt: number | null; mayHavePosted: number | null }
    >(
      `UPDATE reminders SET attempts = attempts + 1, last_error = @error,
         retry_at = coalesce(@retryAt, retry_at), may_have_posted = coalesce(@mayHavePosted, may_have_posted)
       WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate AND offset_ms = @offsetMs AND room = @room
         AND state = 'claimed'`,
    ),
    getReminder: db.prepare<ReminderParams, ReminderRow>(
      `SELECT * FROM reminders
       WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate AND offset_ms = @offsetMs AND room = @room`,
    ),

    getNotesWatch: db.prepare<OccurrenceParams, NotesWatchRow>(
      `SELECT * FROM notes_watch WHERE meeting_id = @meetingId AND occurrence_date = @occurrenceDate`,
    ),
    // The poller saves what it read earlier; announcement fields are write-once and the claim is left
    // to claim/markAnnounced, so a stale save can neither undo an announcement nor release a claim.
    saveNotesWatch: db.prepare<NotesWatchParams>(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, etag, last_modified, next_poll_at, failures,
                                announced_at, announced_url, message_id, claimed_at)
       VALUES (@meetingId, @occurrenceDate, @etag, @lastModified, @nextPollAt, @failures,
               @announcedAt, @announcedUrl, @messageId, @claimedAt)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET
         etag = excluded.etag,
         last_modified = excluded.last_modified,
         next_poll_at = excluded.next_poll_at,
         failures = excluded.failures,
         announced_at = coalesce(notes_watch.announced_at, excluded.announced_at),
         announced_url = coalesce(notes_watch.announced_url, excluded.announced_url),
         message_id = coalesce(notes_watch.message_id, excluded.message_id)`,
    ),
    // Same single-statement race as reminders; a missing watch is created (next poll: now).
    claimNotesAnnouncement: db.prepare<OccurrenceParams & { now: number; leaseMs: number }>(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures, claimed_at)
       VALUES (@meetingId, @occurrenceDate, @now, 0, @now)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET claimed_at = excluded.claimed_at
       WHERE notes_watch.announced_at IS NULL
         AND (notes_watch.claimed_at IS NULL OR notes_watch.claimed_at < @now - @leaseMs)`,
    ),
    markNotesAnnounced: db.prepare<OccurrenceParams & { at: number; url: string; messageId: string }>(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures,
                                announced_at, announced_url, message_id)
       VALUES (@meetingId, @occurrenceDate, @at, 0, @at, @url, @messageId)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET
         announced_at = excluded.announced_at,
         announced_url = excluded.announced_url,
         message_id = excluded.message_id,
         claimed_at = NULL`,
    ),

    insertInboundEvent: db.prepare<[string, number]>(
      `INSERT INTO inbound_events (event_id, received_at) VALUES (?, ?) ON CONFLICT (event_id) DO NOTHING`,
    ),
    pruneInboundEvents: db.prepare<[number]>(`DELETE FROM inbound_events WHERE received_at < ?`),

    queueNotice: db.prepare<[string, string, string, number, number]>(
      `INSERT INTO notice_outbox (chat, user_id, payload, queued_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    // One statement: the due rows are chosen and pushed a lease ahead together, so two senders never share one.
    claimDueNotices: db.prepare<{ now: number; limit: number; leaseUntil: number }, NoticeRow>(
      `UPDATE notice_outbox SET next_attempt_at = @leaseUntil, attempts = attempts + 1
       WHERE id IN (SELECT id FROM notice_outbox WHERE next_attempt_at <= @now
                    ORDER BY next_attempt_at, id LIMIT @limit)
       RETURNING id, chat, user_id, payload, queued_at, attempts`,
    ),
    deleteNotice: db.prepare<[number]>(`DELETE FROM notice_outbox WHERE id = ?`),
    retryNotice: db.prepare<[number, string, number]>(
      `UPDATE notice_outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?`,
    ),
    nextNoticeDueAt: db.prepare<[], number | null>(`SELECT MIN(next_attempt_at) FROM notice_outbox`).pluck(),

    getUserZone: db.prepare<{ userId: string }, UserZoneRow>(
      `SELECT timezone, chosen_at AS fetched_at, 'chosen' AS source FROM chosen_user_zones WHERE user_id = @userId
       UNION ALL
       SELECT timezone, fetched_at, 'profile' AS source FROM user_zones WHERE user_id = @userId
       LIMIT 1`,
    ),
    saveChosenUserZone: db.prepare<[string, string, number]>(
      `INSERT INTO chosen_user_zones (user_id, timezone, chosen_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, chosen_at = excluded.chosen_at`,
    ),
    clearChosenUserZone: db.prepare<[string]>(`DELETE FROM chosen_user_zones WHERE user_id = ?`),
    // A new claim, or a retake of an unposted one strictly older than the lease.
    claimDelivery: db.prepare<{ key: string; now: number; leaseMs: number }>(
      `INSERT INTO deliveries (key, claimed_at) VALUES (@key, @now)
       ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at
       WHERE deliveries.posted_at IS NULL AND deliveries.claimed_at < @now - @leaseMs`,
    ),
    markDelivered: db.prepare<{ key: string; at: number; messageId: string }>(
      `UPDATE deliveries SET posted_at = coalesce(posted_at, @at), message_id = coalesce(message_id, @messageId)
       WHERE key = @key`,
    ),
    getDelivery: db.prepare<
      [string],
      { key: string; claimed_at: number; posted_at: number | null; message_id: string | null }
    >(`SELECT * FROM deliveries WHERE key = ?`),
    getChatState: db.prepare<[string], string>(`SELECT value FROM chat_state WHERE key = ?`).pluck(),
    setChatState: db.prepare<[string, string]>(
      `INSERT INTO chat_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    ),
    addSubscription: db.prepare<{ meetingId: string; chat: string; userId: string; at: number }>(
      `INSERT INTO subscriptions (meeting_id, user_chat, user_id, subscribed_at) VALUES (@meetingId, @chat, @userId, @at)
       ON CONFLICT (meeting_id, user_chat, user_id) DO NOTHING`,
    ),
    removeSubscription: db.prepare<{ meetingId: string; chat: string; userId: string }>(
      `DELETE FROM subscriptions WHERE meeting_id = @meetingId AND user_chat = @chat AND user_id = @userId`,
    ),
    subscriptionsOf: db.prepare<{ chat: string; userId: string }, SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE user_chat = @chat AND user_id = @userId ORDER BY meeting_id`,
    ),
    subscribersOf: db.prepare<[string], SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE meeting_id = ? ORDER BY subscribed_at, user_chat, user_id`,
    ),
    claimScheduleNotice: db.prepare<OccurrenceParams & { kind: string; at: number }>(
      `INSERT INTO schedule_notices (meeting_id, occurrence_date, kind, noticed_at)
       VALUES (@meetingId, @occurrenceDate, @kind, @at)
       ON CONFLICT (meeting_id, occurrence_date, kind) DO NOTHING`,
    ),
    saveUserZone: db.prepare<[string, string, number]>(
      `INSERT INTO user_zones (user_id, timezone, fetched_at) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, fetched_at = excluded.fetched_at`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/** SQLite's answers that mean the file cannot take writes now, as opposed to a mistake in the caller. */
const STORAGE_FAILURE = /^SQLITE_(FULL|READONLY|IOERR|CANTOPEN|PERM|CORRUPT|NOTADB)/;

/** A storage failure as the port's error (the callers' "database refused a write"); anything else unchanged. */
function asStoreError(error: unknown): unknown {
  return isStorageFailure(error)
    ? new StoreUnavailableError(`the database refused a write: ${error.message} (${error.code})`, {
        cause: error,
        kind: "not-writable",
      })
    : error;
}

function isStorageFailure(error: unknown): error is Error & { code: string } {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === "string" && STORAGE_FAILURE.test(code);
}

/** Keys of the remembered reads (see UnchangedReads): one agenda's count, a page of it, the dates before one. */
const agendaCountKey = (meetingId: string, date: string) => `count ${meetingId} ${date}`;
const agendaPageKey = (meetingId: string, date: string, offset: number, limit: number) =>
  `page ${meetingId} ${date} ${offset} ${limit}`;
const datesBeforeKey = (meetingId: string, date: string) => `before ${meetingId} ${date}`;
/** Remembered reads a topic written on `date` of `meetingId` leaves true: none but the dates before that date. */
const unchangedByTopicOn = (meetingId: string, date: string) => {
  const keeps = datesBeforeKey(meetingId, date);
  const prefix = datesBeforeKey(meetingId, "");
  return (key: string) =>
    key === keeps || !(key.startsWith(prefix) || key.startsWith("page ") || key.startsWith("count "));
};

/** A write waiting for the next group commit. */
interface QueuedWrite {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

export class SqliteStore implements Store {
  private lastInboundPruneAt = Number.NEGATIVE_INFINITY;

  private readonly statements: Statements;
  private readonly reads: UnchangedReads;
  /** One transaction wrapper for every transaction: better-sqlite3 builds a new one per `db.transaction` call. */
  private readonly transaction: ReturnType<SqliteDatabase["transaction"]>;
  /** Commits since the last checkpoint, and the timer that runs one once writes are quiet. */
  private commitsSinceCheckpoint = 0;
  private checkpointTimer?: NodeJS.Timeout;
  /** Writes queued for the commit at the end of this turn of the event loop (see writeAtTurnEnd). */
  private queued: QueuedWrite[] = [];
  /** During a group commit: what its writes leave true of the remembered reads (see appendTopic). */
  private committing?: { before: Stamp; keep: ((key: string) => boolean)[]; counts: Map<string, number> };

  static open(path: string, checkpoints?: CheckpointPolicy): SqliteStore {
    const db = openDatabase(path);
    try {
      const migrated = migrate(db);
      // The migrations' pages sit in the write-ahead log until a checkpoint; folding them into the database now
      // starts the log empty, so a new database needs no more room for its first writes than an old one.
      if (migrated.applied.length > 0) db.pragma("wal_checkpoint(TRUNCATE)");
      return new SqliteStore(db, checkpoints);
    } catch (error) {
      db.close();
      if (isStorageFailure(error))
        throw new DatabaseOpenError(path, `${error.message} (${error.code})`, { cause: error });
      throw error;
    }
  }

  /** Takes a connection already migrated to the latest schema; `open` is the usual way in. */
  constructor(
    private readonly db: SqliteDatabase,
    private readonly checkpoints: CheckpointPolicy = {
      whenQuietMs: CHECKPOINT_WHEN_QUIET_MS,
      everyCommits: CHECKPOINT_EVERY_COMMITS,
    },
  ) {
    this.statements = prepareStatements(db);
    this.reads = new UnchangedReads(db);
    this.transaction = db.transaction((work: () => unknown) => work());
    db.pragma("wal_autocheckpoint = 0"); // see CHECKPOINT_WHEN_QUIET_MS
  }

  /** After each commit: a checkpoint once writes are quiet, or now after many commits in a row. */
  private committed(): void {
    if (++this.commitsSinceCheckpoint >= this.checkpoints.everyCommits) {
      this.checkpoint();
      return;
    }
    if (this.checkpointTimer) this.checkpointTimer.refresh();
    else this.checkpointTimer = setTimeout(() => this.checkpoint(), this.checkpoints.whenQuietMs).unref();
  }

  /** Copies what the WAL holds into the database file, as far as no reader still needs it (PASSIVE). */
  private checkpoint(): void {
    clearTimeout(this.checkpointTimer);
    this.checkpointTimer = undefined;
    this.commitsSinceCheckpoint = 0;
    try {
      if (this.db.open) this.db.pragma("wal_checkpoint(PASSIVE)");
    } catch {
      // A checkpoint that cannot run now (a full disk, another process checkpointing) leaves the WAL as it is:
      // every commit is already in it, and the next checkpoint copies it.
    }
  }

  // Write transactions start IMMEDIATE: a deferred one that read first could not upgrade to a write
  // once another process committed, and would fail with SQLITE_BUSY without waiting.
  // Every write goes through here, so this is where a full disk or a read-only file becomes the port's error.
  private inTransaction<T>(work: () => T): T {
    try {
      const result = this.transaction.immediate(work) as T;
      this.committed();
      return result;
    } catch (error) {
      throw asStoreError(error);
    }
  }

  /**
   * Runs `work` in the group commit at the end of this turn of the event loop: every write queued during the turn
   * commits in one transaction, each in its own savepoint (one that fails leaves the others), and each promise
   * resolves once that commit is in the WAL, as a write of its own would. A commit costs ~33 µs whatever it holds
   * and an insert ~4 µs, so under load the requests read in one turn share one; alone, a write waits for nothing
   * but the end of its turn. Hand-written: better-sqlite3 runs statements synchronously and has no such queue.
   */
  private writeAtTurnEnd<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queued.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (this.queued.length === 1) atTurnEnd(this.commitQueued);
    });
  }

  private readonly commitQueued = (): void => {
    const writes = this.queued;
    this.queued = [];
    if (writes.length === 0 || !this.db.open) return;
    const outcomes: { ok: boolean; value?: unknown; error?: unknown }[] = [];
    try {
      const after = this.inTransaction(() => {
        this.committing = { before: this.reads.stamp(), keep: [], counts: new Map() };
        for (const write of writes) {
          try {
            outcomes.push({ ok: true, value: this.transaction(write.work) }); // nested: a savepoint
          } catch (error) {
            // A disk that refuses one write refuses them all: the whole commit fails below.
            if (isStorageFailure(error)) throw error;
            outcomes.push({ ok: false, error });
          }
        }
        return this.reads.stamp();
      });
      const { before, keep, counts } = this.committing as NonNullable<typeof this.committing>;
      this.reads.carry(before, after, (key) => keep.every((keeps) => keeps(key)), counts);
    } catch (error) {
      for (const write of writes) write.reject(error);
      return;
    } finally {
      this.committing = undefined;
    }
    writes.forEach((write, i) => {
      const outcome = outcomes[i] as { ok: boolean; value?: unknown; error?: unknown };
      if (outcome.ok) write.resolve(outcome.value);
      else write.reject(outcome.error);
    });
  };

  async addTopic(topic: NewTopic): Promise<Topic> {
    const params = newTopicParams(topic);
    const id = this.inTransaction(() => Number(this.statements.insertTopic.run(params).lastInsertRowid));
    return { ...topic, id, createdAt: new Date(params.createdAt) };
  }

  async appendTopic(topic: NewTopic): Promise<{ topic: Topic; position: number }> {
    const params = newTopicParams(topic);
    const { meetingId, occurrenceDate } = topic;
    const { id, position } = await this.writeAtTurnEnd(() => {
      const commit = this.committing as NonNullable<typeof this.committing>;
      const id = Number(this.statements.insertTopic.run(params).lastInsertRowid);
      // The agenda's length read before (by a list, or an earlier add) if nothing was written since: the new
      // topic's place is one more, instead of counting the agenda's rows (O(length) in SQLite). Ids only grow,
      // so the appended topic is the agenda's last: its place is the agenda's length.
      const countKey = agendaCountKey(meetingId, occurrenceDate);
      const counted =
        commit.counts.get(countKey) ??
        (this.reads.isCurrent(commit.before) ? this.reads.remembered<number>(countKey) : undefined);
      const position =
        counted !== undefined
          ? counted + 1
          : (this.statements.topicPosition.get({ meetingId, occurrenceDate, id }) ?? 1);
      commit.counts.set(countKey, position);
      commit.keep.push(unchangedByTopicOn(meetingId, occurrenceDate));
      return { id, position };
    });
    return { topic: { ...topic, id, createdAt: new Date(params.createdAt) }, position };
  }

  async addTopicIfTitleNew(topic: NewTopic): Promise<Topic | undefined> {
    const params = newTopicParams(topic);
    const title = topic.title.toLowerCase();
    // Case is compared in JavaScript, as the other stores do, not with SQLite's ASCII-only lower().
    const id = this.inTransaction(() => {
      const titles = this.statements.topicTitles.all({
        meetingId: topic.meetingId,
        occurrenceDate: topic.occurrenceDate,
      });
      if (titles.some((existing) => existing.toLowerCase() === title)) return undefined;
      return Number(this.statements.insertTopic.run(params).lastInsertRowid);
    });
    return id === undefined ? undefined : { ...topic, id, createdAt: new Date(params.createdAt) };
  }

  async listTopics(meetingId: string, occurrenceDate: LocalDate): Promise<Topic[]> {
    return this.statements.listTopics.all({ meetingId, occurrenceDate }).map(topicFromRow);
  }

  async listTopicPage(
    meetingId: string,
    occurrenceDate: LocalDate,
    offset: number,
    limit: number,
  ): Promise<{ topics: Topic[]; total: number }> {
    const page = this.reads.get(
      agendaPageKey(meetingId, occurrenceDate, offset, limit),
      () =>
        // Both reads in one (read) transaction, so the count is the agenda the page was read from.
        this.transaction.deferred(() => ({
          topics: this.statements.listTopicPage.all({ meetingId, occurrenceDate, offset, limit }).map(topicFromRow),
          total: this.statements.countTopics.get({ meetingId, occurrenceDate }) ?? 0,
        })) as { topics: Topic[]; total: number },
    );
    this.reads.get(agendaCountKey(meetingId, occurrenceDate), () => page.total);
    return page;
  }

  async getTopic(id: number): Promise<Topic | undefined> {
    const row = this.statements.getTopic.get(id);
    return row && topicFromRow(row);
  }

  async removeTopic(id: number): Promise<boolean> {
    return this.inTransaction(() => this.statements.deleteTopic.run(id).changes > 0);
  }

  async datesWithTopicsBefore(meetingId: string, date: LocalDate): Promise<LocalDate[]> {
    return this.reads.get(datesBeforeKey(meetingId, date), () =>
      this.statements.datesWithTopicsBefore.all({ meetingId, date }),
    );
  }

  async moveTopics(meetingId: string, fromDate: LocalDate, toDate: LocalDate): Promise<Topic[]> {
    return this.inTransaction(() => {
      const moving = this.statements.listTopics.all({ meetingId, occurrenceDate: fromDate });
      this.statements.moveTopics.run({ meetingId, fromDate, toDate });
      return moving.map((row) => topicFromRow({ ...row, occurrence_date: toDate }));
    });
  }

  async carryOverTopics(meetingId: string, fromDate: LocalDate, ids: number[], toDate: LocalDate): Promise<Topic[]> {
    return this.inTransaction(() => {
      const wanted = new Set(ids);
      const moving = this.statements.listTopics
        .all({ meetingId, occurrenceDate: fromDate })
        .filter((row) => wanted.has(row.id));
      for (const row of moving) this.statements.carryOverTopic.run({ id: row.id, meetingId, fromDate, toDate });
      return moving.map((row) => topicFromRow({ ...row, occurrence_date: toDate }));
    });
  }

  async topicsCarriedFrom(meetingId: string, fromDate: LocalDate): Promise<Topic[]> {
    return this.statements.topicsCarriedFrom.all({ meetingId, fromDate }).map(topicFromRow);
  }

  async claimReminder(key: ReminderKey, now: Date, leaseMs: number): Promise<boolean> {
    const params = { ...reminderParams(key), now: now.getTime(), leaseMs };
    return this.inTransaction(() => this.statements.claimReminder.run(params).changes === 1);
  }

  async markReminderSent(key: ReminderKey, sentAt: Date, messageId: string): Promise<void> {
    const params = { ...reminderParams(key), sentAt: sentAt.getTime(), messageId };
    this.inTransaction(() => {
      if (this.statements.markReminderSent.run(params).changes === 0) throw reminderNotClaimed(key);
    });
  }

  async markReminderDropped(key: ReminderKey, reason: string): Promise<void> {
    this.inTransaction(() => {
      if (this.statements.markReminderDropped.run({ ...reminderParams(key), reason }).changes > 0) return;
      if (!this.statements.getReminder.get(reminderParams(key))) throw reminderNotClaimed(key);
    });
  }

  async recordReminderFailure(key: ReminderKey, error: string, retry?: ReminderRetry): Promise<void> {
    const params = {
      ...reminderParams(key),
      error,
      retryAt: retry ? retry.retryAt.getTime() : null,
      mayHavePosted: retry ? (retry.mayHavePosted ? 1 : 0) : null,
    };
    this.inTransaction(() => {
      if (this.statements.recordReminderFailure.run(params).changes > 0) return;
      // Already sent or dropped (another owner finished it): a late failure report changes nothing.
      if (!this.statements.getReminder.get(reminderParams(key))) throw reminderNotClaimed(key);
    });
  }

  async getReminder(key: ReminderKey): Promise<ReminderRecord | undefined> {
    const row = this.statements.getReminder.get(reminderParams(key));
    return row && reminderFromRow(row);
  }

  async getNotesWatch(meetingId: string, occurrenceDate: LocalDate): Promise<NotesWatch | undefined> {
    const row = this.statements.getNotesWatch.get({ meetingId, occurrenceDate });
    return row && notesWatchFromRow(row);
  }

  async saveNotesWatch(watch: NotesWatch): Promise<void> {
    const params: NotesWatchParams = {
      meetingId: watch.meetingId,
      occurrenceDate: watch.occurrenceDate,
      etag: watch.etag ?? null,
      lastModified: watch.lastModified ?? null,
      nextPollAt: watch.nextPollAt.getTime(),
      failures: watch.failures,
      announcedAt: watch.announcedAt?.getTime() ?? null,
      announcedUrl: watch.announcedUrl ?? null,
      messageId: watch.messageId ?? null,
      claimedAt: watch.claimedAt?.getTime() ?? null,
    };
    this.inTransaction(() => this.statements.saveNotesWatch.run(params));
  }

  async claimNotesPoll(meetingId: string, occurrenceDate: LocalDate, now: Date, leaseMs: number): Promise<boolean> {
    const params = { meetingId, occurrenceDate, now: now.getTime(), leaseEnd: now.getTime() + leaseMs };
    return this.inTransaction(() => this.statements.claimNotesPoll.run(params).changes === 1);
  }

  async claimNotesAnnouncement(
    meetingId: string,
    occurrenceDate: LocalDate,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const params = { meetingId, occurrenceDate, now: now.getTime(), leaseMs };
    return this.inTransaction(() => this.statements.claimNotesAnnouncement.run(params).changes === 1);
  }

  async markNotesAnnounced(
    meetingId: string,
    occurrenceDate: LocalDate,
    at: Date,
    url: string,
    messageId: string,
  ): Promise<void> {
    const params = { meetingId, occurrenceDate, at: at.getTime(), url, messageId };
    this.inTransaction(() => this.statements.markNotesAnnounced.run(params));
  }

  async recordInboundEvent(eventId: string, receivedAt: Date): Promise<boolean> {
    const at = receivedAt.getTime();
    // Events read in one turn share a commit (see writeAtTurnEnd); no remembered read depends on these rows.
    return this.writeAtTurnEnd(() => {
      if (at - this.lastInboundPruneAt >= INBOUND_EVENT_PRUNE_EVERY_MS) {
        this.statements.pruneInboundEvents.run(at - INBOUND_EVENT_RETENTION_MS);
        this.lastInboundPruneAt = at;
      }
      return this.statements.insertInboundEvent.run(eventId, at).changes === 1;
    });
  }

  async queueNotices(notices: { user: ChatUser; payload: string }[], now: Date): Promise<void> {
    const at = now.getTime();
    this.inTransaction(() => {
      for (const { user, payload } of notices) this.statements.queueNotice.run(user.chat, user.id, payload, at, at);
    });
  }

  async claimDueNotices(now: Date, limit: number, leaseMs: number): Promise<QueuedNotice[]> {
    const at = now.getTime();
    const rows = this.inTransaction(() =>
      this.statements.claimDueNotices.all({ now: at, limit: Math.max(0, limit), leaseUntil: at + leaseMs }),
    );
    return rows.map(noticeFromRow).sort((a, b) => a.id - b.id);
  }

  async markNoticeSent(id: number): Promise<void> {
    this.inTransaction(() => this.statements.deleteNotice.run(id));
  }

  async recordNoticeFailure(id: number, error: string, retryAt?: Date): Promise<void> {
    this.inTransaction(() =>
      retryAt ? this.statements.retryNotice.run(retryAt.getTime(), error, id) : this.statements.deleteNotice.run(id),
    );
  }

  async nextNoticeDueAt(): Promise<Date | undefined> {
    const at = this.statements.nextNoticeDueAt.get();
    return at === null || at === undefined ? undefined : new Date(at);
  }

  async getUserZone(userId: string): Promise<UserZone | undefined> {
    // Every question reads its asker's zone; remembered until the next write (a DM's own event record aside).
    return this.reads.get(`zone ${userId}`, () => {
      const row = this.statements.getUserZone.get({ userId });
      return row && { timezone: row.timezone, fetchedAt: new Date(row.fetched_at), source: row.source };
    });
  }

  async saveUserZone(
    userId: string,
    timezone: string,
    fetchedAt: Date,
    source: UserZoneSource = "profile",
  ): Promise<void> {
    const statement = source === "chosen" ? this.statements.saveChosenUserZone : this.statements.saveUserZone;
    this.inTransaction(() => statement.run(userId, timezone, fetchedAt.getTime()));
  }

  async clearChosenUserZone(userId: string): Promise<boolean> {
    return this.inTransaction(() => this.statements.clearChosenUserZone.run(userId).changes > 0);
  }

  async claimDelivery(key: string, now: Date, leaseMs: number): Promise<boolean> {
    return this.inTransaction(
      () => this.statements.claimDelivery.run({ key, now: now.getTime(), leaseMs }).changes === 1,
    );
  }

  async markDelivered(key: string, at: Date, messageId: string): Promise<void> {
    this.inTransaction(() => {
      if (this.statements.markDelivered.run({ key, at: at.getTime(), messageId }).changes === 0) {
        throw new Error(`no claim for the delivery ${key}; claimDelivery must come first`);
      }
    });
  }

  async getDelivery(key: string): Promise<DeliveryRecord | undefined> {
    const row = this.statements.getDelivery.get(key);
    if (!row) return undefined;
    return {
      key: row.key,
      claimedAt: new Date(row.claimed_at),
      ...(row.posted_at !== null ? { postedAt: new Date(row.posted_at) } : {}),
      ...(row.message_id !== null ? { messageId: row.message_id } : {}),
    };
  }

  async getChatState(key: string): Promise<string | undefined> {
    return this.statements.getChatState.get(key);
  }

  async setChatState(key: string, value: string): Promise<void> {
    this.inTransaction(() => this.statements.setChatState.run(key, value));
  }

  async addSubscription(meetingId: string, user: ChatUser, at: Date): Promise<boolean> {
    const params = { meetingId, chat: user.chat, userId: user.id, at: at.getTime() };
    return this.inTransaction(() => this.statements.addSubscription.run(params).changes === 1);
  }

  async removeSubscription(meetingId: string, user: ChatUser): Promise<boolean> {
    const params = { meetingId, chat: user.chat, userId: user.id };
    return this.inTransaction(() => this.statements.removeSubscription.run(params).changes > 0);
  }

  async subscriptionsOf(user: ChatUser): Promise<Subscription[]> {
    return this.statements.subscriptionsOf.all({ chat: user.chat, userId: user.id }).map(subscriptionFromRow);
  }

  async subscribersOf(meetingId: string): Promise<Subscription[]> {
    return this.statements.subscribersOf.all(meetingId).map(subscriptionFromRow);
  }

  async claimScheduleNotice(
    meetingId: string,
    occurrenceDate: LocalDate,
    kind: ScheduleChangeKind,
    at: Date,
  ): Promise<boolean> {
    const params = { meetingId, occurrenceDate, kind, at: at.getTime() };
    return this.inTransaction(() => this.statements.claimScheduleNotice.run(params).changes === 1);
  }

  async health(): Promise<StoreHealth> {
    try {
      this.statements.ping.get();
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Idempotent: closing twice is harmless. */
  close(): void {
    this.commitQueued(); // writes already promised go in before the file closes
    clearTimeout(this.checkpointTimer);
    this.db.close(); // the last connection to close checkpoints the WAL
  }
}
