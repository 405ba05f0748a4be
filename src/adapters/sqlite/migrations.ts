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
