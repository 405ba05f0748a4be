// Answers of reads remembered for as long as the database has not changed at all. Each use asks SQLite whether
// anything was written since: by this connection (`total_changes()`, rows it changed, asked every time) or by
// any other process on the file (`PRAGMA data_version`, asked at most once per turn of the event loop: it costs
// a read transaction, ~3 µs, and a commit by another process during one turn is concurrent with every read in it).
// An agenda page read again with nothing written in between is answered from memory instead of building its rows
// again (rows cost ~2 µs each to turn into objects: the bulk of a `topic list` beside Bolt's own work).
// Hand-written: caching libraries expire by time or size, not by "has this SQLite file changed".
import type { SqliteDatabase } from "./database.js";

/**
 * `setImmediate` as the process started with it: a test's fake timers must not stop the store's own turns (a
 * write queued for the end of this turn, a version asked once per turn).
 */
export const atTurnEnd: (callback: () => void) => void = globalThis.setImmediate.bind(globalThis);

/** What identifies the database's state: [data_version, total_changes()]. */
export type Stamp = readonly [number, number];

/** More distinct reads than this between two writes starts the memory over (a bound, not an eviction policy). */
const MAX_ENTRIES = 512;

export class UnchangedReads {
  private readonly readStamp: (fresh?: boolean) => Stamp;
  private version = -1;
  private changes = -1;
  private readonly entries = new Map<string, unknown>();

  constructor(db: SqliteDatabase) {
    const dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    const totalChanges = db.prepare<[], number>("SELECT total_changes()").pluck();
    let versionThisTurn: number | undefined;
    const forgetVersion = () => {
      versionThisTurn = undefined;
    };
    this.readStamp = (fresh = false) => {
      if (versionThisTurn === undefined) atTurnEnd(forgetVersion);
      if (versionThisTurn === undefined || fresh) versionThisTurn = dataVersion.get() as number;
      return [versionThisTurn, totalChanges.get() as number];
    };
  }

  /**
   * The answer of `read` under `key`, from memory when nothing was written since it was read. Not for reads
   * inside a write transaction, whose answer may still be rolled back. Callers must not change what it returns.
   */
  get<T>(key: string, read: () => T): T {
    this.sync();
    if (this.entries.has(key)) return this.entries.get(key) as T;
    const value = read();
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, value);
    return value;
  }

  /**
   * The database's state now, asking SQLite afresh. Inside a write transaction (which holds the file's write
   * lock): as it stands with that transaction's writes and every other process's commits.
   */
  stamp(): Stamp {
    const [version, changes] = this.readStamp(true);
    return [version, changes];
  }

  /** Whether the remembered answers were read in the state `stamp`. */
  isCurrent(stamp: Stamp): boolean {
    return stamp[0] === this.version && stamp[1] === this.changes;
  }

  /** The answer remembered under `key`, without asking whether it still holds (see isCurrent). */
  remembered<T>(key: string): T | undefined {
    return this.entries.get(key) as T | undefined;
  }

  /**
   * After writes whose effect the caller knows exactly, made on top of `before` and ending in `after`: the
   * answers `keep` accepts stay (when they held in `before`), `updates` are added (true in `after`), and the
   * rest is forgotten.
   */
  carry(
    before: Stamp,
    after: Stamp,
    keep: (key: string) => boolean,
    updates: Iterable<readonly [string, unknown]>,
  ): void {
    const held = this.isCurrent(before);
    for (const key of [...this.entries.keys()]) if (!held || !keep(key)) this.entries.delete(key);
    this.version = after[0];
    this.changes = after[1];
    for (const [key, value] of updates) this.entries.set(key, value);
  }

  private sync(): void {
    const [version, changes] = this.readStamp();
    if (version === this.version && changes === this.changes) return;
    this.entries.clear();
    this.version = version;
    this.changes = changes;
  }
}
