// The tick runs every job on its own: a slow job neither blocks the others nor runs twice at once,
// and a failing job is logged and runs again on the next tick.
import { describe, expect, it } from "vitest";
import { startScheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryLog } from "../../support/memory-log.js";

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("startScheduler", () => {
  it("ticks the other jobs while one is slow, never starts the slow one twice, and survives a failure", async () => {
    const slowGate = deferred();
    const quickRanTwice = deferred();
    let slowStarts = 0;
    let quickRuns = 0;
    const log = new MemoryLog();
    const scheduler = startScheduler(
      "* * * * * *",
      [
        {
          name: "slow",
          run: async () => {
            slowStarts += 1;
            await slowGate.promise;
          },
        },
        {
          name: "quick",
          run: async () => {
            quickRuns += 1;
            if (quickRuns === 1) throw new Error("first run fails");
            quickRanTwice.resolve();
          },
        },
      ],
      log,
    );
    await quickRanTwice.promise;
    expect(slowStarts).toBe(1);
    expect(log.entries).toContainEqual(
      expect.objectContaining({ level: "error", message: "scheduled job failed; it will run again on the next tick" }),
    );
    slowGate.resolve();
    await scheduler.stop();
  }, 10_000);

  it("runs a job once more right after its current run when asked to run now meanwhile (a reload mid-run)", async () => {
    const firstGate = deferred();
    const secondRun = deferred();
    let runs = 0;
    // The heartbeat (once a year) never fires during the test, and the job names no next instant: only runNow runs it.
    const scheduler = startScheduler(
      "0 0 0 1 1 *",
      [
        {
          name: "reminders",
          run: async () => {
            runs += 1;
            if (runs === 1) await firstGate.promise;
            else secondRun.resolve();
          },
        },
      ],
      new MemoryLog(),
    );
    const first = scheduler.runNow();
    const reload = scheduler.runNow(); // the config changed while the first run was at work
    expect(runs).toBe(1);
    firstGate.resolve();
    await Promise.all([first, reload]);
    await secondRun.promise;
    expect(runs).toBe(2);
    await scheduler.stop();
  }, 10_000);

  it("sleeps until the instant a job names, runs it again at once when it says more is waiting, else not", async () => {
    const calls: number[] = [];
    const thirdRun = deferred();
    // The heartbeat (once a year) never fires during the test: every run below comes from the jobs' own plans.
    const scheduler = startScheduler(
      "0 0 0 1 1 *",
      [
        {
          name: "planned",
          run: async () => {
            calls.push(performance.now());
            if (calls.length === 1) return 80; // next work in 80 ms
            if (calls.length === 2) return 0; // more waiting now
            thirdRun.resolve();
            return undefined; // nothing planned: only the heartbeat
          },
        },
      ],
      new MemoryLog(),
    );
    await scheduler.runNow();
    await thirdRun.promise;
    expect(calls).toHaveLength(3);
    expect((calls[1] as number) - (calls[0] as number)).toBeGreaterThanOrEqual(75);
    await scheduler.stop();
    expect(calls).toHaveLength(3);
  }, 10_000);

  it("refuses a bad tick expression", () => {
    expect(() => startScheduler("every second", [], new MemoryLog())).toThrow(
      'CABALBOT_TICK: "every second" is not a cron expression',
    );
  });
});
