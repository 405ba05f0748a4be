// Schema history of the PostgreSQL store. Append new migrations; never edit one that has shipped.
// Two replicas starting together both call `migrate`: a session advisory lock lets one apply what is missing
// while the other waits, then finds nothing left to do.
import type pg from "pg";

export interface Migration {
  /** Consecutive from 1; a row in cabalbot_schema_migrations once applied. */
  version: number;
  up: string;
}

/** Key of the advisory lock held while migrating ("cabalbot" in ASCII, as a bigint). */
const MIGRATION_LOCK_KEY = "7161113053065539444";

export const migrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      -- Instants are epoch milliseconds (bigint), as in the SQLite store: the bot's clock is injected and may
      -- differ from the server's, so the database never compares against its own now().
      -- The identity never reuses a deleted id: ids are shown to people ("remove topic 12").
      -- write_token makes an insert safe to retry after a lost reply: the retry finds its row.
      CREATE TABLE topics (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        meeting_id text NOT NULL,
        occurrence_date text NOT NULL,
        title text NOT NULL,
        proposer_id text NOT NULL,
        proposer_name text NOT NULL,
        source text NOT NULL CHECK (source IN ('chat', 'notes')),
        created_at bigint NOT NULL,
        write_token uuid UNIQUE
      );
      CREATE INDEX topics_by_occurrence ON topics (meeting_id, occurrence_date, id);

      -- claim_token: the claim's owner, so a claim retried after a lost reply is recognised as its own.
      CREATE TABLE reminders (
        meeting_id text NOT NULL,
        occurrence_date text NOT NULL,
        offset_ms bigint NOT NULL,
        state text NOT NULL CHECK (state IN ('claimed', 'sent', 'dropped')),
        claimed_at bigint NOT NULL,
        claim_token uuid,
        attempts integer NOT NULL DEFAULT 0,
        sent_at bigint,
        message_id text,
        last_error text,
        retry_at bigint,
        may_have_posted boolean,
        PRIMARY KEY (meeting_id, occurrence_date, offset_ms)
      );

      CREATE TABLE notes_watch (
        meeting_id text NOT NULL,
        occurrence_date text NOT NULL,
        etag text,
        last_modified text,
        next_poll_at bigint NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        announced_at bigint,
        announced_url text,
        message_id text,
        claimed_at bigint,
        claim_token uuid,
        PRIMARY KEY (meeting_id, occurrence_date)
      );

      CREATE TABLE inbound_events (
        event_id text PRIMARY KEY,
        received_at bigint NOT NULL,
        write_token uuid NOT NULL
      );
      CREATE INDEX inbound_events_by_age ON inbound_events (received_at);

      CREATE TABLE user_zones (
        user_id text PRIMARY KEY,
        timezone text NOT NULL,
        fetched_at bigint NOT NULL
      );
    `,
  },
  {
    version: 2,
    up: `
      -- Several chats: each reminder is claimed per destination room ('slack:C0123', 'matrix:#room:server').
      -- Rows written before have room '' (they were for the one channel of their time); see the README's upgrade note.
      ALTER TABLE reminders ADD COLUMN room text NOT NULL DEFAULT '';
      ALTER TABLE reminders DROP CONSTRAINT reminders_pkey;
      ALTER TABLE reminders ADD PRIMARY KEY (meeting_id, occurrence_date, offset_ms, room);

      -- The chat a proposer used; earlier topics came from Slack (or the console, which notifies nobody else).
      ALTER TABLE topics ADD COLUMN proposer_chat text NOT NULL DEFAULT '';
      UPDATE topics SET proposer_chat = 'slack' WHERE proposer_id <> '';

      -- One claim per announcement and destination; the key is also the post's marker (and Matrix transaction id).
      CREATE TABLE deliveries (
        key text PRIMARY KEY,
        claimed_at bigint NOT NULL,
        claim_token uuid,
        posted_at bigint,
        message_id text
      );

      -- The zone a person chose with tz; it wins over the profile's (user_zones, a cache).
      CREATE TABLE chosen_user_zones (
        user_id text PRIMARY KEY,
        timezone text NOT NULL,
        chosen_at bigint NOT NULL
      );

      -- Small state of the chat adapters (the Matrix sync token).
      CREATE TABLE chat_state (
        key text PRIMARY KEY,
        value text NOT NULL
      );
    `,
  },
  {
    version: 3,
    up: `
      -- Carry-over: a topic the notes of its occurrence did not cover moves on and remembers where it came from,
      -- so its proposer is told exactly once even if the bot stops between the move and the message.
      -- Read once per announcement, by meeting (topics_by_occurrence's prefix): no index of its own.
      ALTER TABLE topics ADD COLUMN carried_from text;
    `,
  },
  {
    version: 4,
    up: `
      -- Fast failover: each replica takes a key from this sequence at start and holds a session advisory lock on it
      -- while it runs; a reminder claim names its owner's key, so another replica can tell a claim whose owner died
      -- (the lock is gone with its connection) from one still in flight, and retake it in seconds, not a lease.
      CREATE SEQUENCE cabalbot_replica_keys AS integer;
      ALTER TABLE reminders ADD COLUMN owner_key integer;
    `,
  },
  {
    version: 5,
    up: `
      -- Subscriptions: who gets a meeting's reminders as direct messages. The person is named as topics name their
      -- proposer: the chat and the id there. Reminders read it by meeting (the key's prefix), a person's own list
      -- by user (the index).
      CREATE TABLE subscriptions (
        meeting_id text NOT NULL,
        user_chat text NOT NULL,
        user_id text NOT NULL,
        subscribed_at bigint NOT NULL,
        PRIMARY KEY (meeting_id, user_chat, user_id)
      );
      CREATE INDEX subscriptions_by_user ON subscriptions (user_chat, user_id);

      -- A change to an occurrence found in a configuration reload (a new skip, a new or moved date), recorded once
      -- so its notice goes out once, whatever the number of reloads, restarts and replicas.
      CREATE TABLE schedule_notices (
        meeting_id text NOT NULL,
        occurrence_date text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('cancelled', 'moved', 'added')),
        noticed_at bigint NOT NULL,
        claim_token uuid NOT NULL,
        PRIMARY KEY (meeting_id, occurrence_date, kind)
      );
    `,
  },
  {
    version: 6,
    up: `
      -- The notice outbox: direct messages (roll-over notices) sent later by the scheduler, paced and retried.
      -- A row leaves when its message went out or was given up; due ones are read by next_attempt_at.
      -- write_token makes queueing safe to retry after a lost reply.
      CREATE TABLE notice_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chat text NOT NULL,
        user_id text NOT NULL,
        payload text NOT NULL,
        queued_at bigint NOT NULL,
        next_attempt_at bigint NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        write_token uuid UNIQUE
      );
      CREATE INDEX notice_outbox_due ON notice_outbox (next_attempt_at, id);
    `,
  },
];

export const latestSchemaVersion = migrations.length;

export interface MigrationResult {
  from: number;
  to: number;
  applied: number[];
}

/** Brings the database up to the latest schema, each migration once; refuses one written by a newer cabalbot. */
export async function migrate(pool: pg.Pool, known: readonly Migration[] = migrations): Promise<MigrationResult> {
  known.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration #${index + 1} has version ${migration.version}; versions must be 1, 2, 3, …`);
    }
  });
  const client = await pool.connect();
  try {
    // Session-level: held across the per-migration transactions, released below or when the connection dies.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    try {
      await client.query(
        `CREATE TABLE IF NOT EXISTS cabalbot_schema_migrations (
           version integer PRIMARY KEY,
           applied_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
      const from = await schemaVersion(client);
      if (from > known.length) {
        throw new Error(
          `the database has schema version ${from}, but this cabalbot only knows up to version ${known.length}; ` +
            "it was written by a newer cabalbot: upgrade cabalbot, or point it at another database",
        );
      }
      const applied: number[] = [];
      for (const migration of known.slice(from)) {
        await client.query("BEGIN");
        try {
          await client.query(migration.up);
          await client.query("INSERT INTO cabalbot_schema_migrations (version) VALUES ($1)", [migration.version]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
        applied.push(migration.version);
      }
      return { from, to: await schemaVersion(client), applied };
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function schemaVersion(client: pg.ClientBase): Promise<number> {
  const result = await client.query<{ version: number | null }>(
    "SELECT max(version) AS version FROM cabalbot_schema_migrations",
  );
  return result.rows[0]?.version ?? 0;
}
