// The tick: node-cron wakes the bot (every second by default) and each job asks the store what is due.
// Nothing is kept in in-memory timers, so a restart loses nothing.
import cron from "node-cron";
import { type Logger, type Metrics, noMetrics } from "../app/ports.js";

export interface ScheduledJob {
  name: string;
  run(): Promise<void>;
}

export interface Scheduler {
  /** Runs every job once now (used at start, so missed work is caught up at once). */
  runNow(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(
  expression: string,
  jobs: ScheduledJob[],
  log: Logger,
  metrics: Metrics = noMetrics,
): Scheduler {
  if (!cron.validate(expression))
    throw new Error(`CABALBOT_TICK: ${JSON.stringify(expression)} is not a cron expression`);
  // Each job runs on its own: a slow one (a notes server taking its time) never delays another (reminders),
  // and a job still working when the tick fires again is not started twice (the store also guards).
  const running = new Map<string, Promise<void>>();
  const start = (job: ScheduledJob): Promise<void> => {
    const current = running.get(job.name);
    if (current) return current;
    const run = job
      .run()
      .catch((error: unknown) => {
        log.error({ err: error, job: job.name }, "scheduled job failed; it will run again on the next tick");
      })
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
    return run;
  };
  const tick = async (): Promise<void> => {
    const startedAt = performance.now();
    await Promise.all(jobs.map(start));
    metrics.tickDuration((performance.now() - startedAt) / 1000);
  };
  const task = cron.schedule(
    expression,
    () => {
      void tick();
    },
    { name: "cabalbot-tick" },
  );
  return {
    runNow: tick,
    async stop() {
      await task.stop();
      await Promise.all(running.values());
    },
  };
}
