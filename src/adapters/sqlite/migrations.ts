// Schema history of the store. Append new migrations; never edit one that has shipped.
import type { SqliteDatabase } from "./database.js";

export interface Migration {
  /** Consecutive from 1; stored in `PRAGMA user_version` once applied. */
  version: number;
  up: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    up: `
      -- AUTOINCREMENT: ids are shown to people ("remove topic 12"), so a deleted id is never reused.
      CREATE TABLE topics (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        meeting_id TEXT NOT NULL,
        occurrence_date TEXT NOT NULL,
        title TEXT NOT NULL,
        proposer_id TEXT NOT NULL,
        proposer_name TEXT NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('chat', 'notes')),
        created_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX topics_by_occurrence ON topics (meeting_id, occurrence_date, id);

      CREATE TABLE reminders (
        meeting_id TEXT NOT NULL,
        occurrence_date TEXT NOT NULL,
        offset_ms INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'dropped')),
        claimed_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER,
        message_id TEXT,
        last_error TEXT,
        PRIMARY KEY (meeting_id, occurrence_date, offset_ms)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE notes_watch (
        meeting_id TEXT NOT NULL,
        occurrence_date TEXT NOT NULL,
        etag TEXT,
        last_modified TEXT,
        next_poll_at INTEGER NOT NULL,
        failures INTEGER NOT NULL DEFAULT 0,
        announced_at INTEGER,
        announced_url TEXT,
        message_id TEXT,
        claimed_at INTEGER,
        PRIMARY KEY (meeting_id, occurrence_date)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE inbound_events (
        event_id TEXT PRIMARY KEY,
        received_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX inbound_events_by_age ON inbound_events (received_at);

      CREATE TABLE user_zones (
        user_id TEXT PRIMARY KEY,
        timezone TEXT NOT NULL,
        fetched_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    up: `
      -- Retry pacing of a failed reminder attempt, and whether that attempt may have posted anyway.
      ALTER TABLE reminders ADD COLUMN retry_at INTEGER;
      ALTER TABLE reminders ADD COLUMN may_have_posted INTEGER;
    `,
  },
  {
    version: 3,
    up: `
      -- Several chats: each reminder is claimed per destination room ('slack:C0123', 'matrix:#room:server').
      -- Rows written before have room '' (they were for the one channel of their time); see the README's upgrade note.
      CREATE TABLE reminders_by_room (
        meeting_id TEXT NOT NULL,
        occurrence_date TEXT NOT NULL,
        offset_ms INTEGER NOT NULL,
        room TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'dropped')),
        claimed_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        sent_at INTEGER,
        message_id TEXT,
        last_error TEXT,
        retry_at INTEGER,
        may_have_posted INTEGER,
        PRIMARY KEY (meeting_id, occurrence_date, offset_ms, room)
      ) STRICT, WITHOUT ROWID;
      INSERT INTO reminders_by_room
        SELECT meeting_id, occurrence_date, offset_ms, '', state, claimed_at, attempts, sent_at, message_id,
               last_error, retry_at, may_have_posted
        FROM reminders;
      DROP TABLE reminders;
      ALTER TABLE reminders_by_room RENAME TO reminders;

      -- The chat a proposer used; earlier topics came from Slack (or the console, which notifies nobody else).
      ALTER TABLE topics ADD COLUMN proposer_chat TEXT NOT NULL DEFAULT '';
      UPDATE topics SET proposer_chat = 'slack' WHERE proposer_id <> '';

      -- One claim per announcement and destination; the key is also the post's marker (and Matrix transaction id).
      CREATE TABLE deliveries (
        key TEXT PRIMARY KEY,
        claimed_at INTEGER NOT NULL,
        posted_at INTEGER,
        message_id TEXT
      ) STRICT, WITHOUT ROWID;

      -- The zone a person chose with \`tz\`; it wins over the profile's (user_zones, a cache).
      CREATE TABLE chosen_user_zones (
        user_id TEXT PRIMARY KEY,
        timezone TEXT NOT NULL,
        chosen_at INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;

      -- Small state of the chat adapters (the Matrix sync token).
      CREATE TABLE chat_state (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    up: `
      -- Carry-over: a topic the notes of its occurrence did not cover moves on and remembers where it came from,
      -- so its proposer is told exactly once even if the bot stops between the move and the message.
      -- Read once per announcement, by meeting (topics_by_occurrence's prefix): no index of its own.
      ALTER TABLE topics ADD COLUMN carried_from TEXT;
    `,
  },
  {
    version: 5,
    up: `
      -- Subscriptions: who gets a meeting's reminders as direct messages. The person is named as topics name their
      -- proposer: the chat and the id there. Reminders read it by meeting (the key's prefix), a person's own list
      -- by user (the index).
      CREATE TABLE subscriptions (
        meeting_id TEXT NOT NULL,
        user_chat TEXT NOT NULL,
        user_id TEXT NOT NULL,
        subscribed_at INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, user_chat, user_id)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX subscriptions_by_user ON subscriptions (user_chat, user_id);

      -- A change to an occurrence found in a configuration reload (a new skip, a new or moved date), recorded once
      -- so its notice goes out once, whatever the number of reloads, restarts and replicas.
      CREATE TABLE schedule_notices (
        meeting_id TEXT NOT NULL,
        occurrence_date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'moved', 'added')),
        noticed_at INTEGER NOT NULL,
        PRIMARY KEY (meeting_id, occurrence_date, kind)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 6,
    up: `
      -- The notice outbox: direct messages (roll-over notices) sent later by the scheduler, paced and retried.
      -- A row leaves when its message went out or was given up; due ones are read by next_attempt_at.
      CREATE TABLE notice_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        chat TEXT NOT NULL,
        user_id TEXT NOT NULL,
        payload TEXT NOT NULL,
        queued_at INTEGER NOT NULL,
        next_attempt_at INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
      ) STRICT;
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

export function schemaVersion(db: SqliteDatabase): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Brings the database up to `latestSchemaVersion`; refuses one written by a newer cabalbot. */
export function migrate(db: SqliteDatabase, known: readonly Migration[] = migrations): MigrationResult {
  known.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration #${index + 1} has version ${migration.version}; versions must be 1, 2, 3, …`);
    }
  });
  const latest = known.length;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new Error(
      `database ${db.name} has schema version ${from}, but this cabalbot only knows up to version ${latest}; ` +
        "it was written by a newer cabalbot: upgrade cabalbot, or point it at another database file",
    );
  }
  const applied: number[] = [];
  for (const migration of known.slice(from)) {
    // user_version lives in the file header and is written inside the transaction,
    // so a crash leaves either the old schema and version or the new ones, never a mix.
    db.transaction(() => {
      db.exec(migration.up);
      db.pragma(`user_version = ${migration.version}`);
    }).immediate();
    applied.push(migration.version);
  }
  return { from, to: schemaVersion(db), applied };
}
