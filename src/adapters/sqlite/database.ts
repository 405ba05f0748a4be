// Opens the bot's SQLite file with the settings every store connection relies on.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

export type SqliteDatabase = Database.Database;

/** Path that opens a private, non-persistent database instead of a file. */
const IN_MEMORY = ":memory:";

export function openDatabase(path: string): SqliteDatabase {
  if (path !== IN_MEMORY) mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    // WAL lets readers run beside the writer; with synchronous=FULL every commit is fsynced before
    // the call returns, so a topic we acknowledged survives a crash right after the reply.
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("foreign_keys = ON");
    // A second process (CLI beside the bot) waits for the write lock instead of failing at once.
    db.pragma("busy_timeout = 5000");
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}
