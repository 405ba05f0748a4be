// Two store instances on one SQLite file race for real: two worker threads, each with its own connection,
// claim the same keys at the same moment (a barrier starts every claim), many rounds. better-sqlite3 is
// synchronous, so within one thread nothing interleaves; only separate threads (or processes) can race.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/adapters/sqlite/sqlite-store.js";
import type { RaceOrders, RaceWins } from "../support/sqlite-race-worker.js";

const ROUNDS = 200;
const KINDS = ["reminder", "retake", "notes"] as const;

/** Runs two contenders on `path` and returns, per kind of claim, the rounds not won exactly once. */
async function race(path: string, store: RaceOrders["store"]): Promise<Record<(typeof KINDS)[number], number[]>> {
  SqliteStore.open(path).close(); // created and migrated once, before the race
  const orders: RaceOrders = { path, rounds: ROUNDS, barrier: new SharedArrayBuffer(8), store };
  const contenders = [0, 1].map(
    () =>
      new Promise<RaceWins>((resolve, reject) => {
        const worker = new Worker(new URL("../support/sqlite-race-worker.mjs", import.meta.url), {
          workerData: orders,
        });
        worker.once("message", resolve);
        worker.once("error", reject);
        worker.once("exit", (code) => reject(new Error(`contender exited (${code}) without a result`)));
      }),
  );
  const [a, b] = await Promise.all(contenders);
  const notWonOnce = (kind: (typeof KINDS)[number]) =>
    Array.from({ length: ROUNDS }, (_, round) => round).filter(
      (round) => Number(a?.[kind][round]) + Number(b?.[kind][round]) !== 1,
    );
  return { reminder: notWonOnce("reminder"), retake: notWonOnce("retake"), notes: notWonOnce("notes") };
}

describe("SQLite claims raced by two connections", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cabalbot-race-"));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it(`lets exactly one of two connections win each claim and each retake, over ${ROUNDS} rounds`, async () => {
    expect(await race(join(dir, "race.db"), "sqlite")).toEqual({ reminder: [], retake: [], notes: [] });
  }, 60_000);

  it("catches a claim that reads, then writes: both contenders win every key (negative control)", async () => {
    // The control store meets the other contender between its read and its write, so both always read before
    // either writes: a store whose claim is not one atomic statement fails the assertion above.
    const all = Array.from({ length: ROUNDS }, (_, round) => round);
    expect(await race(join(dir, "race.db"), "read-then-write")).toEqual({ reminder: all, retake: all, notes: all });
  }, 60_000);
});
