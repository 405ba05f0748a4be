// The Store port on PostgreSQL, for several replicas sharing one database. Every decision about who acts is one
// atomic statement (INSERT … ON CONFLICT … DO UPDATE … WHERE … RETURNING, or an UPDATE … RETURNING), or a short
// transaction under an advisory lock, so two bot processes never both act. A call that fails because the
// connection broke (server restart, failover, network) is retried within a bounded window; writes carry a
// token so a retry after a lost reply finds its own earlier write instead of acting twice.
import { randomUUID } from "node:crypto";
import pg from "pg";
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
import { type MigrationResult, migrate } from "./migrations.js";

/** Slack retries an event for minutes, not days: ids older than this are forgotten. */
const INBOUND_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
/** Pruning is a range delete; doing it at most this often keeps inserts cheap. */
const INBOUND_EVENT_PRUNE_EVERY_MS = 60 * 60 * 1000;
/** A call whose connection broke is retried for this long (a server restart takes a few seconds). */
export const DEFAULT_RETRY_WINDOW_MS = 10_000;
const FIRST_RETRY_DELAY_MS = 50;
const MAX_RETRY_DELAY_MS = 1_000;
const HEALTH_TIMEOUT_MS = 2_000;
/**
 * First key of the two-key advisory locks that say "replica N is alive" (the second key is N, from the sequence
 * cabalbot_replica_keys); any other user of advisory locks on the database picks another first key.
 */
const REPLICA_LOCK_CLASS = 1_667_326_561;

/** Errors that mean "the connection, not the statement, failed": retrying may succeed. */
const TRANSIENT_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01", // admin_shutdown: the server is stopping
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now: the server is starting
  "53300", // too_many_connections
  "40001", // serialization_failure
  "40P01", // deadlock_detected
]);
const TRANSIENT_MESSAGES =
  /Connection terminated|connection error|timeout exceeded when trying to connect|Query read timeout|terminating connection/i;

export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (TRANSIENT_CODES.has(code) || code.startsWith("08"))) return true;
  return TRANSIENT_MESSAGES.test(error.message);
}

// bigint columns (epoch milliseconds, ids) come back as numbers: every value we store fits in 2^53.
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === pg.types.builtins.INT8
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as "text")) as typeof pg.types.getTypeParser,
};

const TOPIC_COLUMNS =
  "id, meeting_id, occurrence_date, title, proposer_id, proposer_chat, proposer_name, source, created_at";
const REMINDER_KEY = "meeting_id = $1 AND occurrence_date = $2 AND offset_ms = $3 AND room = $4";
/**
 * A reminder row, with whether its claim's owner is gone: it holds no replica lock on this database any more.
 * pg_locks is the server's own view of live sessions, so a SIGKILLed replica shows as gone as soon as the server
 * has seen its connection close.
 */
const REMINDER_WITH_OWNER = `
  SELECT reminders.*,
         (reminders.state = 'claimed' AND reminders.owner_key IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM pg_locks
            WHERE pg_locks.locktype = 'advisory' AND pg_locks.granted AND pg_locks.objsubid = 2
              AND pg_locks.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND pg_locks.classid = ${REPLICA_LOCK_CLASS}::oid AND pg_locks.objid = reminders.owner_key::oid
         )) AS owner_gone
  FROM reminders
  WHERE meeting_id = $1 AND occurrence_date = $2 AND offset_ms = $3 AND room = $4`;

function reminderValues(key: ReminderKey): [string, string, number, string] {
  return [key.meetingId, key.occurrenceDate, key.offsetMs, key.room];
}

function topicValues(topic: NewTopic, token: string): unknown[] {
  return [
    topic.meetingId,
    topic.occurrenceDate,
    topic.title,
    topic.proposerId,
    topic.proposerName,
    topic.source,
    topic.createdAt.getTime(),
    token,
    topic.proposerChat,
  ];
}

// Inserts a topic once per token: a retry after a lost reply finds the row the first attempt wrote (`found`).
const FOUND_TOPIC = `
  inserted AS (
    INSERT INTO topics (meeting_id, occurrence_date, title, proposer_id, proposer_name, source, created_at, write_token,
                        proposer_chat)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (write_token) DO NOTHING
    RETURNING ${TOPIC_COLUMNS}
  ),
  found AS (
    SELECT * FROM inserted
    UNION ALL SELECT ${TOPIC_COLUMNS} FROM topics WHERE write_token = $8
    LIMIT 1
  )`;

const INSERT_TOPIC = `WITH ${FOUND_TOPIC} SELECT * FROM found`;

/**
 * INSERT_TOPIC with the topic's place on its agenda, in the same statement: the rows before it by id, through the
 * index topics_by_occurrence (the new row is not in the statement's snapshot, hence "+ 1"; on a retry that finds
 * the row already written, the count still excludes it).
 */
const APPEND_TOPIC = `
  WITH ${FOUND_TOPIC}
  SELECT found.*,
         (SELECT count(*) FROM topics earlier
          WHERE earlier.meeting_id = found.meeting_id AND earlier.occurrence_date = found.occurrence_date
            AND earlier.id < found.id)::int + 1 AS position
  FROM found`;

export interface PostgresStoreOptions {
  /** How long a call whose connection broke keeps being retried before StoreUnavailableError. */
  retryWindowMs?: number;
  /** Connections this process keeps open at most. */
  poolSize?: number;
}

type Queryable = Pick<pg.ClientBase, "query">;

export class PostgresStore implements Store {
  private lastInboundPruneAt = Number.NEGATIVE_INFINITY;
  private closed = false;
  private readonly retryWindowMs: number;
  /** What `open` found and applied. */
  migration: MigrationResult = { from: 0, to: 0, applied: [] };

  /** This replica's key (from cabalbot_replica_keys): its claims name it, and its session lock says it is alive. */
  replicaKey = 0;
  /** The dedicated session that holds this replica's lock (not a pool connection: those come and go). */
  private ownerLock: pg.Client | undefined;
  /** Resolved while the lock is held; replaced by a pending promise while it is being taken again. */
  private ownerLockHeld: Promise<void> = Promise.resolve();
  private readonly url: string;

  /**
   * Connects, brings the schema up to date (safe when replicas start together), takes this replica's key and
   * lock, and returns the store.
   */
  static async open(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, options);
    try {
      store.migration = await store.migrate();
      const key = await store.query<{ key: number }>("SELECT nextval('cabalbot_replica_keys')::int AS key");
      store.replicaKey = store.onlyRow(key).key;
      store.ownerLockHeld = store.withRetry(() => store.takeOwnerLock());
      await store.ownerLockHeld;
      return store;
    } catch (error) {
      store.close();
      throw error;
    }
  }

  private readonly pool: pg.Pool;

  private constructor(url: string, options: PostgresStoreOptions) {
    this.url = url;
    this.retryWindowMs = options.retryWindowMs ?? DEFAULT_RETRY_WINDOW_MS;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.poolSize ?? 10,
      types,
      application_name: "cabalbot",
      connectionTimeoutMillis: 3_000,
      // A connection to a host that vanished without closing it must not hang a tick forever.
      query_timeout: 15_000,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    // An idle connection killed by a server restart emits here; without a listener it would crash the process.
    // The next call notices on its own connection and retries.
    this.pool.on("error", () => {});
  }

  /** Opens the lock session and takes this replica's lock; on losing that session, takes it again at once. */
  private async takeOwnerLock(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: "cabalbot-replica-lock",
      connectionTimeoutMillis: 3_000,
      // A host that vanished without closing the connection is noticed, and the lock taken again elsewhere.
      keepAlive: true,
    });
    // Errors surface as 'end' too; the listener keeps an error on an idle connection from crashing the process.
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT pg_advisory_lock($1, $2)", [REPLICA_LOCK_CLASS, this.replicaKey]);
    } catch (error) {
      void client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      void client.end().catch(() => undefined);
      return;
    }
    this.ownerLock = client;
    client.once("end", () => {
      if (this.closed || this.ownerLock !== client) return;
      this.ownerLock = undefined;
      // Until the lock is back, this replica claims nothing (its claims would look ownerless to the others).
      this.ownerLockHeld = this.retakeOwnerLock();
      this.ownerLockHeld.catch(() => undefined);
    });
  }

  /** Keeps trying to take the lock again (a server restart takes seconds); each claim waits for it meanwhile. */
  private async retakeOwnerLock(): Promise<void> {
    let delay = FIRST_RETRY_DELAY_MS;
    for (;;) {
      if (this.closed) throw new Error("the PostgreSQL store is closed");
      try {
        return await this.takeOwnerLock();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        // A claim waiting for the lock cuts the pause short (see holdingOwnerLock), so it does not wait a backoff.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          timer.unref();
          this.wakeOwnerLockRetake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeOwnerLockRetake = undefined;
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }

  private wakeOwnerLockRetake: (() => void) | undefined;

  /** Waits for this replica's lock, at most the retry window: a claim without it could be taken from under it. */
  private async holdingOwnerLock(): Promise<void> {
    if (this.ownerLock) return; // held: the common case costs no timer
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new StoreUnavailableError(`PostgreSQL: this replica's lock was not back within ${this.retryWindowMs} ms`),
          ),
        this.retryWindowMs,
      );
    });
    this.wakeOwnerLockRetake?.();
    try {
      await Promise.race([this.ownerLockHeld, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Applies missing migrations (also used by tests to watch two replicas migrate at once). */
  migrate(): Promise<MigrationResult> {
    return this.withRetry(() => migrate(this.pool));
  }

  async health(): Promise<StoreHealth> {
    if (this.closed) return { ok: false, problem: "the store is closed" };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
    });
    try {
      await Promise.race([this.pool.query("SELECT 1"), timeout]);
      return { ok: true };
    } catch (error) {
      return { ok: false, problem: `PostgreSQL unreachable: ${error instanceof Error ? error.message : error}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async addTopic(topic: NewTopic): Promise<Topic> {
    const token = randomUUID();
    const result = await this.query<TopicRow>(INSERT_TOPIC, topicValues(topic, token));
    return topicFromRow(this.onlyRow(result));
  }

  async appendTopic(topic: NewTopic): Promise<{ topic: Topic; position: number }> {
    const token = randomUUID();
    const result = await this.query<TopicRow & { position: number }>(APPEND_TOPIC, topicValues(topic, token));
    const row = this.onlyRow(result);
    return { topic: topicFromRow(row), position: row.position };
  }

  async addTopicIfTitleNew(topic: NewTopic): Promise<Topic | undefined> {
    const token = randomUUID();
    const row = await this.transaction(async (client) => {
      // One importer at a time per occurrence: the check and the insert must see each other's writes.
      await client.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
        `topics:${topic.meetingId}:${topic.occurrenceDate}`,
      ]);
      const own = await client.query<TopicRow>(`SELECT ${TOPIC_COLUMNS} FROM topics WHERE write_token = $1`, [token]);
      if (own.rows[0]) return own.rows[0];
      const titles = await client.query<{ title: string }>(
        "SELECT title FROM topics WHERE meeting_id = $1 AND occurrence_date = $2",
        [topic.meetingId, topic.occurrenceDate],
      );
      // Case is compared in JavaScript, as the other stores do, not with the database's collation rules.
      const wanted = topic.title.toLowerCase();
      if (titles.rows.some(({ title }) => title.toLowerCase() === wanted)) return undefined;
      return this.onlyRow(await client.query<TopicRow>(INSERT_TOPIC, topicValues(topic, token)));
    });
    return row && topicFromRow(row);
  }

  async listTopics(meetingId: string, occurrenceDate: LocalDate): Promise<Topic[]> {
    const result = await this.query<TopicRow>(
      `SELECT ${TOPIC_COLUMNS} FROM topics WHERE meeting_id = $1 AND occurrence_date = $2 ORDER BY id`,
      [meetingId, occurrenceDate],
    );
    return result.rows.map(topicFromRow);
  }

  async listTopicPage(
    meetingId: string,
    occurrenceDate: LocalDate,
    offset: number,
    limit: number,
  ): Promise<{ topics: Topic[]; total: number }> {
    // One statement, so the count is the agenda the page was read from.
    const result = await this.query<TopicRow & { total: string }>(
      `SELECT ${TOPIC_COLUMNS}, COUNT(*) OVER () AS total FROM topics
       WHERE meeting_id = $1 AND occurrence_date = $2 ORDER BY id LIMIT $3 OFFSET $4`,
      [meetingId, occurrenceDate, limit, offset],
    );
    const first = result.rows[0];
    if (first) return { topics: result.rows.map(topicFromRow), total: Number(first.total) };
    // Past the end: the page is empty, and the agenda's size still wanted.
    const count = await this.query<{ total: string }>(
      "SELECT COUNT(*) AS total FROM topics WHERE meeting_id = $1 AND occurrence_date = $2",
      [meetingId, occurrenceDate],
    );
    return { topics: [], total: Number(count.rows[0]?.total ?? 0) };
  }

  async getTopic(id: number): Promise<Topic | undefined> {
    const result = await this.query<TopicRow>(`SELECT ${TOPIC_COLUMNS} FROM topics WHERE id = $1`, [id]);
    return result.rows[0] && topicFromRow(result.rows[0]);
  }

  async removeTopic(id: number): Promise<boolean> {
    const result = await this.query("DELETE FROM topics WHERE id = $1", [id]);
    return result.rowCount === 1;
  }

  async datesWithTopicsBefore(meetingId: string, date: LocalDate): Promise<LocalDate[]> {
    const result = await this.query<{ occurrence_date: string }>(
      `SELECT DISTINCT occurrence_date FROM topics WHERE meeting_id = $1 AND occurrence_date < $2
       ORDER BY occurrence_date`,
      [meetingId, date],
    );
    return result.rows.map((row) => row.occurrence_date);
  }

  async moveTopics(meetingId: string, fromDate: LocalDate, toDate: LocalDate): Promise<Topic[]> {
    // One statement: a concurrent mover waits for our row locks, then finds the rows no longer on fromDate, so
    // each topic is returned (and its proposer told) by exactly one caller.
    const result = await this.query<TopicRow>(
      `UPDATE topics SET occurrence_date = $3 WHERE meeting_id = $1 AND occurrence_date = $2
       RETURNING ${TOPIC_COLUMNS}`,
      [meetingId, fromDate, toDate],
    );
    return result.rows.map(topicFromRow).sort((a, b) => a.id - b.id);
  }

  async carryOverTopics(meetingId: string, fromDate: LocalDate, ids: number[], toDate: LocalDate): Promise<Topic[]> {
    if (ids.length === 0) return [];
    // One statement, like moveTopics: a concurrent caller finds the rows no longer on fromDate.
    const result = await this.query<TopicRow>(
      `UPDATE topics SET occurrence_date = $3, carried_from = $2
       WHERE meeting_id = $1 AND occurrence_date = $2 AND id = ANY($4::bigint[])
       RETURNING ${TOPIC_COLUMNS}`,
      [meetingId, fromDate, toDate, ids],
    );
    return result.rows.map(topicFromRow).sort((a, b) => a.id - b.id);
  }

  async topicsCarriedFrom(meetingId: string, fromDate: LocalDate): Promise<Topic[]> {
    const result = await this.query<TopicRow>(
      `SELECT ${TOPIC_COLUMNS} FROM topics WHERE meeting_id = $1 AND carried_from = $2 ORDER BY id`,
      [meetingId, fromDate],
    );
    return result.rows.map(topicFromRow);
  }

  async claimReminder(key: ReminderKey, now: Date, leaseMs: number): Promise<boolean> {
    await this.holdingOwnerLock();
    const token = randomUUID();
    // A new row, or a `claimed` row strictly older than the lease, is taken; the token also lets this call's
    // own retry (after a lost reply) see that the claim is already its own. Retaking keeps `attempts`. The claim
    // names this replica, so the others can see when it is gone.
    const result = await this.query(
      `INSERT INTO reminders (meeting_id, occurrence_date, offset_ms, room, state, claimed_at, claim_token, attempts,
                              owner_key)
       VALUES ($1, $2, $3, $4, 'claimed', $5, $7, 0, $8)
       ON CONFLICT (meeting_id, occurrence_date, offset_ms, room) DO UPDATE
         SET claimed_at = excluded.claimed_at, claim_token = excluded.claim_token, owner_key = excluded.owner_key
       WHERE reminders.state = 'claimed'
         AND (reminders.claimed_at < $5::bigint - $6::bigint OR reminders.claim_token = excluded.claim_token)
       RETURNING 1`,
      [...reminderValues(key), now.getTime(), leaseMs, token, this.replicaKey],
    );
    return result.rowCount === 1;
  }

  async markReminderSent(key: ReminderKey, sentAt: Date, messageId: string): Promise<void> {
    const result = await this.query(
      `UPDATE reminders SET state = 'sent', sent_at = $5, message_id = $6 WHERE ${REMINDER_KEY}`,
      [...reminderValues(key), sentAt.getTime(), messageId],
    );
    if (result.rowCount === 0) throw reminderNotClaimed(key);
  }

  async markReminderDropped(key: ReminderKey, reason: string): Promise<void> {
    // A reminder that went out stays sent: a late "drop" must not hide that. Rows are never deleted, so the
    // existence check in the same statement tells "already sent" from "never claimed".
    const result = await this.query<{ found: boolean }>(
      `WITH dropped AS (
         UPDATE reminders SET state = 'dropped', last_error = $5 WHERE ${REMINDER_KEY} AND state <> 'sent' RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM dropped) OR EXISTS (SELECT 1 FROM reminders WHERE ${REMINDER_KEY}) AS found`,
      [...reminderValues(key), reason],
    );
    if (!result.rows[0]?.found) throw reminderNotClaimed(key);
  }

  async recordReminderFailure(key: ReminderKey, error: string, retry?: ReminderRetry): Promise<void> {
    // Already sent or dropped (another owner finished it): a late failure report changes nothing.
    const result = await this.query<{ found: boolean }>(
      `WITH failed AS (
         UPDATE reminders SET attempts = attempts + 1, last_error = $5,
           retry_at = coalesce($6, retry_at), may_have_posted = coalesce($7, may_have_posted)
         WHERE ${REMINDER_KEY} AND state = 'claimed' RETURNING 1
       )
       SELECT EXISTS (SELECT 1 FROM failed) OR EXISTS (SELECT 1 FROM reminders WHERE ${REMINDER_KEY}) AS found`,
      [...reminderValues(key), error, retry ? retry.retryAt.getTime() : null, retry ? retry.mayHavePosted : null],
    );
    if (!result.rows[0]?.found) throw reminderNotClaimed(key);
  }

  async getReminder(key: ReminderKey): Promise<ReminderRecord | undefined> {
    const result = await this.query<ReminderRow>(REMINDER_WITH_OWNER, reminderValues(key));
    return result.rows[0] && reminderFromRow(result.rows[0]);
  }

  async getNotesWatch(meetingId: string, occurrenceDate: LocalDate): Promise<NotesWatch | undefined> {
    const result = await this.query<NotesWatchRow>(
      "SELECT * FROM notes_watch WHERE meeting_id = $1 AND occurrence_date = $2",
      [meetingId, occurrenceDate],
    );
    return result.rows[0] && notesWatchFromRow(result.rows[0]);
  }

  async saveNotesWatch(watch: NotesWatch): Promise<void> {
    // The poller saves what it read earlier; announcement fields are write-once and the claim is left
    // to claim/markAnnounced, so a stale save can neither undo an announcement nor release a claim.
    await this.query(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, etag, last_modified, next_poll_at, failures,
                                announced_at, announced_url, message_id, claimed_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET
         etag = excluded.etag,
         last_modified = excluded.last_modified,
         next_poll_at = excluded.next_poll_at,
         failures = excluded.failures,
         announced_at = coalesce(notes_watch.announced_at, excluded.announced_at),
         announced_url = coalesce(notes_watch.announced_url, excluded.announced_url),
         message_id = coalesce(notes_watch.message_id, excluded.message_id)`,
      [
        watch.meetingId,
        watch.occurrenceDate,
        watch.etag ?? null,
        watch.lastModified ?? null,
        watch.nextPollAt.getTime(),
        watch.failures,
        watch.announcedAt?.getTime() ?? null,
        watch.announcedUrl ?? null,
        watch.messageId ?? null,
        watch.claimedAt?.getTime() ?? null,
      ],
    );
  }

  async claimNotesPoll(meetingId: string, occurrenceDate: LocalDate, now: Date, leaseMs: number): Promise<boolean> {
    // A retry after a lost reply finds the poll taken (by itself) and skips it; the lease then lapses.
    const result = await this.query(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures)
       VALUES ($1, $2, $4, 0)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET next_poll_at = excluded.next_poll_at
       WHERE notes_watch.announced_at IS NULL AND notes_watch.next_poll_at <= $3
       RETURNING 1`,
      [meetingId, occurrenceDate, now.getTime(), now.getTime() + leaseMs],
    );
    return result.rowCount === 1;
  }

  async claimNotesAnnouncement(
    meetingId: string,
    occurrenceDate: LocalDate,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const token = randomUUID();
    // Same single-statement race as reminders; a missing watch is created (next poll: now).
    const result = await this.query(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures, claimed_at, claim_token)
       VALUES ($1, $2, $3, 0, $3, $5)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE
         SET claimed_at = excluded.claimed_at, claim_token = excluded.claim_token
       WHERE notes_watch.announced_at IS NULL
         AND (notes_watch.claimed_at IS NULL OR notes_watch.claimed_at < $3::bigint - $4::bigint
              OR notes_watch.claim_token = excluded.claim_token)
       RETURNING 1`,
      [meetingId, occurrenceDate, now.getTime(), leaseMs, token],
    );
    return result.rowCount === 1;
  }

  async markNotesAnnounced(
    meetingId: string,
    occurrenceDate: LocalDate,
    at: Date,
    url: string,
    messageId: string,
  ): Promise<void> {
    await this.query(
      `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures,
                                announced_at, announced_url, message_id)
       VALUES ($1, $2, $3, 0, $3, $4, $5)
       ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET
         announced_at = excluded.announced_at,
         announced_url = excluded.announced_url,
         message_id = excluded.message_id,
         claimed_at = NULL,
         claim_token = NULL`,
      [meetingId, occurrenceDate, at.getTime(), url, messageId],
    );
  }

  async recordInboundEvent(eventId: string, receivedAt: Date): Promise<boolean> {
    const at = receivedAt.getTime();
    if (at - this.lastInboundPruneAt >= INBOUND_EVENT_PRUNE_EVERY_MS) {
      await this.query("DELETE FROM inbound_events WHERE received_at < $1", [at - INBOUND_EVENT_RETENTION_MS]);
      this.lastInboundPruneAt = at;
    }
    // The event is new to this caller when it inserts the row, or when the row is its own (a retry after a lost
    // reply); a replica that sees another's row reports a repeat.
    const result = await this.query(
      `INSERT INTO inbound_events (event_id, received_at, write_token) VALUES ($1, $2, $3)
       ON CONFLICT (event_id) DO UPDATE SET received_at = inbound_events.received_at
       WHERE inbound_events.write_token = excluded.write_token
       RETURNING 1`,
      [eventId, at, randomUUID()],
    );
    return result.rowCount === 1;
  }

  async queueNotices(notices: { user: ChatUser; payload: string }[], now: Date): Promise<void> {
    if (notices.length === 0) return;
    const at = now.getTime();
    // One statement, one token per notice: a retry after a lost reply inserts none twice.
    const rows = notices.map(({ user, payload }) => [user.chat, user.id, payload, randomUUID()]);
    await this.query(
      `INSERT INTO notice_outbox (chat, user_id, payload, write_token, queued_at, next_attempt_at)
       SELECT chat, user_id, payload, token::uuid, $2, $2
       FROM jsonb_to_recordset($1::jsonb) AS n(chat text, user_id text, payload text, token text)
       ON CONFLICT (write_token) DO NOTHING`,
      [JSON.stringify(rows.map(([chat, user_id, payload, token]) => ({ chat, user_id, payload, token }))), at],
    );
  }

  async claimDueNotices(now: Date, limit: number, leaseMs: number): Promise<QueuedNotice[]> {
    const at = now.getTime();
    // SKIP LOCKED: replicas claiming at once take different notices instead of waiting on each other's rows.
    const result = await this.query<NoticeRow>(
      `UPDATE notice_outbox SET next_attempt_at = $3, attempts = attempts + 1
       WHERE id IN (SELECT id FROM notice_outbox WHERE next_attempt_at <= $1
                    ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, chat, user_id, payload, queued_at, attempts`,
      [at, Math.max(0, limit), at + leaseMs],
    );
    return result.rows.map(noticeFromRow).sort((a, b) => a.id - b.id);
  }

  async markNoticeSent(id: number): Promise<void> {
    await this.query("DELETE FROM notice_outbox WHERE id = $1", [id]);
  }

  async recordNoticeFailure(id: number, error: string, retryAt?: Date): Promise<void> {
    if (retryAt) {
      await this.query("UPDATE notice_outbox SET next_attempt_at = $1, last_error = $2 WHERE id = $3", [
        retryAt.getTime(),
        error,
        id,
      ]);
    } else {
      await this.query("DELETE FROM notice_outbox WHERE id = $1", [id]);
    }
  }

  async nextNoticeDueAt(): Promise<Date | undefined> {
    const result = await this.query<{ at: number | null }>("SELECT MIN(next_attempt_at) AS at FROM notice_outbox");
    const at = result.rows[0]?.at;
    return at === null || at === undefined ? undefined : new Date(at);
  }

  async getUserZone(userId: string): Promise<UserZone | undefined> {
    const result = await this.query<{ timezone: string; fetched_at: number; source: UserZoneSource }>(
      `SELECT timezone, chosen_at AS fetched_at, 'chosen' AS source FROM chosen_user_zones WHERE user_id = $1
       UNION ALL
       SELECT timezone, fetched_at, 'profile' AS source FROM user_zones WHERE user_id = $1
       LIMIT 1`,
      [userId],
    );
    const row = result.rows[0];
    return row && { timezone: row.timezone, fetchedAt: new Date(row.fetched_at), source: row.source };
  }

  async saveUserZone(
    userId: string,
    timezone: string,
    fetchedAt: Date,
    source: UserZoneSource = "profile",
  ): Promise<void> {
    await this.query(
      source === "chosen"
        ? `INSERT INTO chosen_user_zones (user_id, timezone, chosen_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, chosen_at = excluded.chosen_at`
        : `INSERT INTO user_zones (user_id, timezone, fetched_at) VALUES ($1, $2, $3)
           ON CONFLICT (user_id) DO UPDATE SET timezone = excluded.timezone, fetched_at = excluded.fetched_at`,
      [userId, timezone, fetchedAt.getTime()],
    );
  }

  async clearChosenUserZone(userId: string): Promise<boolean> {
    const result = await this.query("DELETE FROM chosen_user_zones WHERE user_id = $1", [userId]);
    return (result.rowCount ?? 0) > 0;
  }

  async claimDelivery(key: string, now: Date, leaseMs: number): Promise<boolean> {
    const token = randomUUID();
    // As claimReminder: one statement decides the race, and the token recognises this call's own retry.
    const result = await this.query(
      `INSERT INTO deliveries (key, claimed_at, claim_token) VALUES ($1, $2, $4)
       ON CONFLICT (key) DO UPDATE SET claimed_at = excluded.claimed_at, claim_token = excluded.claim_token
       WHERE deliveries.posted_at IS NULL
         AND (deliveries.claimed_at < $2::bigint - $3::bigint OR deliveries.claim_token = excluded.claim_token)
       RETURNING 1`,
      [key, now.getTime(), leaseMs, token],
    );
    return result.rowCount === 1;
  }

  async markDelivered(key: string, at: Date, messageId: string): Promise<void> {
    const result = await this.query(
      `UPDATE deliveries SET posted_at = coalesce(posted_at, $2), message_id = coalesce(message_id, $3)
       WHERE key = $1`,
      [key, at.getTime(), messageId],
    );
    if (result.rowCount === 0) throw new Error(`no claim for the delivery ${key}; claimDelivery must come first`);
  }

  async getDelivery(key: string): Promise<DeliveryRecord | undefined> {
    const result = await this.query<{
      key: string;
      claimed_at: number;
      posted_at: number | null;
      message_id: string | null;
    }>("SELECT key, claimed_at, posted_at, message_id FROM deliveries WHERE key = $1", [key]);
    const row = result.rows[0];
    if (!row) return undefined;
    return {
      key: row.key,
      claimedAt: new Date(row.claimed_at),
      ...(row.posted_at !== null ? { postedAt: new Date(row.posted_at) } : {}),
      ...(row.message_id !== null ? { messageId: row.message_id } : {}),
    };
  }

  async getChatState(key: string): Promise<string | undefined> {
    const result = await this.query<{ value: string }>("SELECT value FROM chat_state WHERE key = $1", [key]);
    return result.rows[0]?.value;
  }

  async setChatState(key: string, value: string): Promise<void> {
    await this.query(
      `INSERT INTO chat_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [key, value],
    );
  }

  async addSubscription(meetingId: string, user: ChatUser, at: Date): Promise<boolean> {
    // Idempotent as a whole: a retry after a lost reply finds the row and says "already", which is true.
    const result = await this.query(
      `INSERT INTO subscriptions (meeting_id, user_chat, user_id, subscribed_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (meeting_id, user_chat, user_id) DO NOTHING RETURNING 1`,
      [meetingId, user.chat, user.id, at.getTime()],
    );
    return result.rowCount === 1;
  }

  async removeSubscription(meetingId: string, user: ChatUser): Promise<boolean> {
    const result = await this.query(
      "DELETE FROM subscriptions WHERE meeting_id = $1 AND user_chat = $2 AND user_id = $3",
      [meetingId, user.chat, user.id],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async subscriptionsOf(user: ChatUser): Promise<Subscription[]> {
    // "C" collation: code-unit order, as SQLite and the memory store sort.
    const result = await this.query<SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE user_chat = $1 AND user_id = $2 ORDER BY meeting_id COLLATE "C"`,
      [user.chat, user.id],
    );
    return result.rows.map(subscriptionFromRow);
  }

  async subscribersOf(meetingId: string): Promise<Subscription[]> {
    const result = await this.query<SubscriptionRow>(
      `SELECT * FROM subscriptions WHERE meeting_id = $1
       ORDER BY subscribed_at, user_chat COLLATE "C", user_id COLLATE "C"`,
      [meetingId],
    );
    return result.rows.map(subscriptionFromRow);
  }

  async claimScheduleNotice(
    meetingId: string,
    occurrenceDate: LocalDate,
    kind: ScheduleChangeKind,
    at: Date,
  ): Promise<boolean> {
    // One statement decides between replicas; the token lets this call's own retry (after a lost reply) see
    // that the row it finds is its own.
    const result = await this.query(
      `INSERT INTO schedule_notices (meeting_id, occurrence_date, kind, noticed_at, claim_token)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (meeting_id, occurrence_date, kind) DO UPDATE SET noticed_at = schedule_notices.noticed_at
       WHERE schedule_notices.claim_token = excluded.claim_token
       RETURNING 1`,
      [meetingId, occurrenceDate, kind, at.getTime(), randomUUID()],
    );
    return result.rowCount === 1;
  }

  /** Idempotent: closing twice is harmless; any later call fails. Open connections are closed in the background. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    void this.ownerLock?.end().catch(() => undefined);
    this.ownerLock = undefined;
    void this.pool.end().catch(() => undefined);
  }

  private onlyRow<R extends pg.QueryResultRow>(result: pg.QueryResult<R>): R {
    const row = result.rows[0];
    if (!row) throw new Error("PostgreSQL returned no row where one was expected");
    return row;
  }

  private query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    values: unknown[] = [],
  ): Promise<pg.QueryResult<R>> {
    return this.withRetry(() => this.pool.query<R>(text, values));
  }

  private transaction<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    return this.withRetry(async () => {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const result = await work(client);
        await client.query("COMMIT");
        return result;
      } catch (error) {
        if (isConnectionError(error)) broken = error as Error;
        else await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        // A broken connection is discarded, not handed to the next caller.
        client.release(broken);
      }
    });
  }

  /** Runs `attempt`, retrying connection failures with backoff until the window closes. */
  private async withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryWindowMs;
    let delay = FIRST_RETRY_DELAY_MS;
    for (;;) {
      if (this.closed) throw new Error("the PostgreSQL store is closed");
      try {
        return await attempt();
      } catch (error) {
        if (!isConnectionError(error)) throw error;
        if (Date.now() + delay > deadline) {
          throw new StoreUnavailableError(
            `PostgreSQL did not answer within ${this.retryWindowMs} ms: ${(error as Error).message}`,
            { cause: error },
          );
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
      }
    }
  }
}
