// The tick: node-cron wakes the bot (every second by default) and each job asks the store what is due.
// Nothing is kept in in-memory timers, so a restart loses nothing.
import cron from "node-cron";
import type { Logger } from "../app/ports.js";

export interface ScheduledJob {
  name: string;
  run(): Promise<void>;
}

export interface Scheduler {
  /** Runs every job once now (used at start, so missed work is caught up at once). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(expression: string, jobs: ScheduledJob[], log: Logger): Scheduler {
  if (!cron.validate(expression))
    throw new Error(`CABALBOT_TICK: ${JSON.stringify(expression)} is not a cron expression`);
  let running: Promise<void> | undefined;
  const tick = async (): Promise<void> => {
    // A tick that is still working when the next one fires is not doubled (the store also guards).
    if (running) return running;
    running = (async () => {
      for (const job of jobs) {
        try {
          await job.run();
        } catch (error) {
          log.error({ err: error, job: job.name }, "scheduled job failed; it will run again on the next tick");
        }
      }
    })();
    try {
      await running;
    } finally {
      running = undefined;
    }
  };
  const task = cron.schedule(expression, tick, { noOverlap: true, name: "cabalbot-tick" });
  return {
    runNow: tick,
    async stop() {
      await task.stop();
      await running;
    },
  };
}
