import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/adapters/sqlite/database.js";
import {
  latestSchemaVersion,
  type Migration,
  migrate,
  migrations,
  schemaVersion,
} from "../../src/adapters/sqlite/migrations.js";
import { type CheckpointPolicy, SqliteStore } from "../../src/adapters/sqlite/sqlite-store.js";
import type { NewTopic } from "../../src/app/ports.js";
import { storeContract } from "./store.contract.js";

const contractDir = mkdtempSync(join(tmpdir(), "cabalbot-sqlite-contract-"));
let contractFiles = 0;
afterAll(() => rmSync(contractDir, { recursive: true, force: true }));

storeContract("SqliteStore on a file", () => SqliteStore.open(join(contractDir, `store-${++contractFiles}.db`)));
storeContract("SqliteStore in memory", () => SqliteStore.open(":memory:"));

const topic: NewTopic = {
  meetingId: "cabal",
  occurrenceDate: "2025-03-20",
  title: "Release plan",
  proposerId: "U123",
  proposerChat: "slack",
  proposerName: "Ada",
  source: "chat",
  createdAt: new Date("2025-03-20T16:00:00.000Z"),
};

describe("SqliteStore on disk", () => {
  let dir: string;
  let path: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cabalbot-sqlite-"));
    path = join(dir, "cabalbot.db");
  });

  /** Stores opened on this test's file; closed after it whatever happened (closing twice is harmless). */
  let opened: SqliteStore[] = [];
  const openStore = (checkpoints?: CheckpointPolicy) => {
    const store = SqliteStore.open(path, checkpoints);
    opened.push(store);
    return store;
  };

  afterEach(() => {
    for (const store of opened) store.close();
    opened = [];
    rmSync(dir, { recursive: true, force: true });
  });

  it("opens the file in WAL mode with synchronous=NORMAL, foreign keys and a busy timeout", () => {
    const db = openDatabase(path);
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
      // 1 = NORMAL: with WAL, a commit survives a crash of the process (the durability test kills one)
      expect(db.pragma("synchronous", { simple: true })).toBe(1);
      expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
      expect(db.pragma("busy_timeout", { simple: true })).toBe(5000);
    } finally {
      db.close();
    }
  });

  it("keeps the store's data across close and reopen", async () => {
    const first = openStore();
    const added = await first.addTopic(topic);
    const key = { meetingId: "cabal", occurrenceDate: "2025-03-20", offsetMs: 3_600_000, room: "slack:C0CABAL" };
    await first.claimReminder(key, topic.createdAt, 60_000);
    await first.markReminderSent(key, topic.createdAt, "ts-1");
    await first.saveUserZone("U123", "Europe/Berlin", topic.createdAt);
    await first.recordInboundEvent("Ev01", topic.createdAt);
    first.close();

    const second = openStore();
    expect(await second.getTopic(added.id)).toEqual(added);
    expect(await second.getReminder(key)).toMatchObject({ state: "sent", messageId: "ts-1" });
    expect(await second.getUserZone("U123")).toEqual({
      timezone: "Europe/Berlin",
      fetchedAt: topic.createdAt,
      source: "profile",
    });
    expect(await second.recordInboundEvent("Ev01", topic.createdAt)).toBe(false);
    // AUTOINCREMENT survives the reopen: a new topic never takes an old id.
    expect((await second.addTopic(topic)).id).toBeGreaterThan(added.id);
  });

  it("sees a claim taken through another connection to the same file", async () => {
    const bot = openStore();
    const cli = openStore();
    const key = { meetingId: "cabal", occurrenceDate: "2025-03-20", offsetMs: 0, room: "slack:C0CABAL" };
    expect(await bot.claimReminder(key, topic.createdAt, 60_000)).toBe(true);
    expect(await cli.claimReminder(key, topic.createdAt, 60_000)).toBe(false);
    expect(await cli.claimNotesAnnouncement("cabal", "2025-03-20", topic.createdAt, 60_000)).toBe(true);
    expect(await bot.claimNotesAnnouncement("cabal", "2025-03-20", topic.createdAt, 60_000)).toBe(false);
  });

  // The WAL is copied into the database file (growing it) by the store's own checkpoints only, never inside a
  // commit: after a number of commits in a row, or once writes have been quiet.
  describe("checkpoints", () => {
    const fileSize = () => statSync(path).size;
    const add = (store: SqliteStore, i: number) => store.appendTopic({ ...topic, title: `Topic ${i}` });
    const grown = async (from: number) => {
      const deadline = Date.now() + 5_000;
      while (fileSize() === from) {
        if (Date.now() > deadline) throw new Error("the database file never grew: no checkpoint ran");
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };

    it("checkpoints after the set number of commits, and not before", async () => {
      const store = openStore({ whenQuietMs: 600_000, everyCommits: 300 });
      const before = fileSize();
      for (let i = 0; i < 299; i++) await add(store, i);
      // ~900 pages in the WAL: SQLite's own automatic checkpoint (at 1,000) has not run either
      expect(fileSize()).toBe(before);
      await add(store, 299);
      expect(fileSize()).toBeGreaterThan(before);
    });

    it("checkpoints once writes are quiet", async () => {
      const store = openStore({ whenQuietMs: 20, everyCommits: 1_000_000 });
      const before = fileSize();
      for (let i = 0; i < 100; i++) await add(store, i); // new pages for the file, once copied into it
      await grown(before);
    });

    it("never checkpoints inside a commit, even past SQLite's 1,000 pages", async () => {
      const store = openStore({ whenQuietMs: 600_000, everyCommits: 1_000_000 });
      const before = fileSize();
      for (let i = 0; i < 600; i++) await add(store, i);
      expect(fileSize()).toBe(before);
    });
  });

  // The store answers a read again from memory while nothing was written (see UnchangedReads): these fail if a
  // write through this connection or another one left an old answer in place.
  describe("reads remembered between writes", () => {
    const at = (title: string, occurrenceDate = topic.occurrenceDate): NewTopic => ({
      ...topic,
      title,
      occurrenceDate,
    });
    const titles = async (store: SqliteStore) =>
      (await store.listTopicPage("cabal", topic.occurrenceDate, 0, 25)).topics.map((t) => t.title);

    // Another process's commit reaches the bot between two turns of its event loop (the next request); within
    // one turn, SQLite is asked whether another process wrote only once.
    const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

    it("shows another process's topics, removals and moves in the next read", async () => {
      const bot = openStore();
      const cli = openStore();
      await bot.appendTopic(at("One"));
      expect(await titles(bot)).toEqual(["One"]);
      const two = await cli.addTopic(at("Two"));
      await nextTurn();
      expect(await titles(bot)).toEqual(["One", "Two"]);
      expect((await bot.listTopicPage("cabal", topic.occurrenceDate, 0, 25)).total).toBe(2);
      await cli.removeTopic(two.id);
      await nextTurn();
      expect(await titles(bot)).toEqual(["One"]);
      await cli.addTopic(at("Earlier", "2025-03-13"));
      await nextTurn();
      expect(await bot.datesWithTopicsBefore("cabal", topic.occurrenceDate)).toEqual(["2025-03-13"]);
      await cli.moveTopics("cabal", "2025-03-13", topic.occurrenceDate);
      await nextTurn();
      expect(await bot.datesWithTopicsBefore("cabal", topic.occurrenceDate)).toEqual([]);
      expect(await titles(bot)).toEqual(["One", "Earlier"]);
    });

    it("gives an appended topic its place when another process added one since the last count", async () => {
      const bot = openStore();
      const cli = openStore();
      expect((await bot.appendTopic(at("One"))).position).toBe(1);
      expect((await bot.appendTopic(at("Two"))).position).toBe(2);
      // no turn in between: the add itself asks SQLite afresh, under the write lock
      await cli.appendTopic(at("From the CLI"));
      expect((await bot.appendTopic(at("Three"))).position).toBe(4);
      expect(await titles(bot)).toEqual(["One", "Two", "From the CLI", "Three"]);
      // and the CLI, whose remembered count is now behind, counts again
      expect((await cli.appendTopic(at("Four"))).position).toBe(5);
    });

    it("commits the writes of one turn together: each add gets its own place, each event is new once", async () => {
      const store = openStore();
      await store.appendTopic(at("Before"));
      await titles(store); // the agenda's length is now remembered
      const added = await Promise.all(["A", "B", "C"].map((title) => store.appendTopic(at(title))));
      expect(added.map((a) => a.position)).toEqual([2, 3, 4]);
      expect(await titles(store)).toEqual(["Before", "A", "B", "C"]);
      const firsts = await Promise.all(
        ["Ev1", "Ev1", "Ev2"].map((id) => store.recordInboundEvent(id, topic.createdAt)),
      );
      expect(firsts).toEqual([true, false, true]);
    });

    it("writes what it promised before closing", async () => {
      const store = openStore();
      const pending = store.appendTopic(at("Last words"));
      store.close();
      expect((await pending).position).toBe(1);
      const reopened = openStore();
      expect(await titles(reopened)).toEqual(["Last words"]);
    });

    it("shows its own writes: an add after a list, a removal, a move", async () => {
      const store = openStore();
      await store.appendTopic(at("One"));
      expect(await titles(store)).toEqual(["One"]);
      const two = await store.appendTopic(at("Two"));
      expect(await titles(store)).toEqual(["One", "Two"]);
      await store.removeTopic(two.topic.id);
      expect(await titles(store)).toEqual(["One"]);
      expect((await store.appendTopic(at("Three"))).position).toBe(2);
      await store.addTopic(at("Earlier", "2025-03-13"));
      expect(await store.datesWithTopicsBefore("cabal", topic.occurrenceDate)).toEqual(["2025-03-13"]);
      await store.moveTopics("cabal", "2025-03-13", topic.occurrenceDate);
      expect(await store.datesWithTopicsBefore("cabal", topic.occurrenceDate)).toEqual([]);
      expect(await titles(store)).toEqual(["One", "Three", "Earlier"]);
    });
  });

  it("migrates a new file to the latest version, and applies nothing on reopen", () => {
    const db = openDatabase(path);
    try {
      expect(migrate(db)).toEqual({
        from: 0,
        to: latestSchemaVersion,
        applied: migrations.map((migration) => migration.version),
      });
      expect(migrate(db)).toEqual({ from: latestSchemaVersion, to: latestSchemaVersion, applied: [] });
    } finally {
      db.close();
    }
    SqliteStore.open(path).close();
    SqliteStore.open(path).close();
    const reopened = openDatabase(path);
    try {
      expect(schemaVersion(reopened)).toBe(latestSchemaVersion);
    } finally {
      reopened.close();
    }
  });

  it("applies only the migrations a database has not seen yet", () => {
    const db = openDatabase(path);
    try {
      migrate(db);
      const next: Migration = {
        version: latestSchemaVersion + 1,
        up: "CREATE TABLE migration_probe (id INTEGER PRIMARY KEY)",
      };
      expect(migrate(db, [...migrations, next]).applied).toEqual([next.version]);
      expect(schemaVersion(db)).toBe(next.version);
      expect(db.prepare("SELECT count(*) FROM migration_probe").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it("rolls back a migration that fails, leaving the version where it was", () => {
    const db = openDatabase(path);
    try {
      migrate(db);
      const broken: Migration = {
        version: latestSchemaVersion + 1,
        up: "CREATE TABLE half_done (id INTEGER); THIS IS NOT SQL;",
      };
      expect(() => migrate(db, [...migrations, broken])).toThrow();
      expect(schemaVersion(db)).toBe(latestSchemaVersion);
      expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'half_done'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  });

  it("refuses, with a clear error, a database written by a newer cabalbot", () => {
    const future = latestSchemaVersion + 1;
    const db = openDatabase(path);
    db.pragma(`user_version = ${future}`);
    db.close();

    expect(() => SqliteStore.open(path)).toThrow(
      new RegExp(`schema version ${future}.*only knows up to version ${latestSchemaVersion}.*newer cabalbot`),
    );
    // The refusal must not have touched the file.
    const check = openDatabase(path);
    try {
      expect(schemaVersion(check)).toBe(future);
      expect(check.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get()).toBe(0);
    } finally {
      check.close();
    }
  });

  it("creates missing parent directories", async () => {
    const nested = join(dir, "does", "not", "exist", "yet", "cabalbot.db");
    const store = SqliteStore.open(nested);
    try {
      await store.addTopic(topic);
      expect(existsSync(nested)).toBe(true);
    } finally {
      store.close();
    }
  });
});
