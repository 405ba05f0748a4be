// The tick. Each job says when it next has work (its index of due instants knows), and one timer wakes the bot
// then; node-cron keeps a slow heartbeat (CABALBOT_TICK, every minute by default) that runs every job whatever
// they said, for what no index can see coming (another replica's lapsed claim, a clock set by hand). A timer to
// the next instant is used rather than node-cron's per-second schedule because waking every second to find
// nothing due cost most of the bot's idle CPU, and the timer is also more punctual (milliseconds, not up to a
// second late). Nothing the store must remember lives in the timers: a restart loses nothing.
import cron from "node-cron";
import { type Logger, type Metrics, noMetrics } from "../app/ports.js";

export interface ScheduledJob {
  name: string;
  /**
   * Does the job's due work. May resolve to how many milliseconds from now it next has work (0: more is waiting
   * now, after the event loop has had a turn); anything else leaves it to the heartbeat.
   */
  run(): Promise<unknown>;
  /** Work the job started and left running in the background; awaited on stop. */
  settle?(): Promise<void>;
}

export interface Scheduler {
  /**
   * Runs every job once now (at start, so missed work is caught up at once, and after a config reload); a job
   * already running is run once more as soon as it finishes, since that run may have read the old config.
   */
  runNow(): Promise<void>;
  /** Runs one job now (new work for it arrived); when it is running, again right after. */
  runJob(name: string): void;
  stop(): Promise<void>;
}

/** A failed job is tried again this soon, heartbeat or not. */
const RETRY_FAILED_MS = 1_000;
/** The longest the timer sleeps: a job's plans are looked at again at least this often. */
const MAX_SLEEP_MS = 60_000;

export function startScheduler(
  expression: string,
  jobs: ScheduledJob[],
  log: Logger,
  metrics: Metrics = noMetrics,
): Scheduler {
  if (!cron.validate(expression))
    throw new Error(`CABALBOT_TICK: ${JSON.stringify(expression)} is not a cron expression`);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  // Each job runs on its own: a slow one (a notes server taking its time) never delays another (reminders),
  // and a job still working when it is woken again is not started twice (the store also guards).
  const running = new Map<string, Promise<void>>();
  /** When each job next has work, on performance.now()'s scale. */
  const wakeAt = new Map<string, number>();
  /** Jobs asked to run (runNow) while running: they run again right after, with what changed meanwhile. */
  const runAgain = new Set<string>();

  const start = (job: ScheduledJob, again = false): Promise<void> => {
    const current = running.get(job.name);
    if (current) {
      if (again) runAgain.add(job.name);
      return current;
    }
    wakeAt.delete(job.name);
    const run = job
      .run()
      .then(
        (inMs) => {
          if (typeof inMs === "number") wakeAt.set(job.name, performance.now() + Math.max(0, inMs));
        },
        (error: unknown) => {
          log.error({ err: error, job: job.name }, "scheduled job failed; it will run again on the next tick");
          wakeAt.set(job.name, performance.now() + RETRY_FAILED_MS);
        },
      )
      .finally(() => {
        running.delete(job.name);
        if (runAgain.delete(job.name)) wakeAt.set(job.name, performance.now());
        arm();
      });
    running.set(job.name, run);
    return run;
  };

  const runJobs = async (which: ScheduledJob[], again = false): Promise<void> => {
    const startedAt = performance.now();
    await Promise.all(which.map((job) => start(job, again)));
    metrics.tickDuration((performance.now() - startedAt) / 1000);
  };

  /** One timer, to the earliest instant any idle job asked for. */
  const arm = (): void => {
    if (stopped) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const job of jobs) {
      const at = wakeAt.get(job.name);
      if (at !== undefined && !running.has(job.name) && at < earliest) earliest = at;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!Number.isFinite(earliest)) return;
    const delay = Math.min(MAX_SLEEP_MS, Math.max(0, earliest - performance.now()));
    timer = setTimeout(() => {
      timer = undefined;
      const now = performance.now();
      const due = jobs.filter((job) => (wakeAt.get(job.name) ?? Number.POSITIVE_INFINITY) <= now);
      // Woken by the cap: nothing due yet, so only the timer is set again.
      if (due.length === 0) arm();
      else void runJobs(due);
    }, delay);
    // The timer alone never keeps the process alive (the chat connection or the console does).
    timer.unref();
  };

  const task = cron.schedule(
    expression,
    () => {
      void runJobs(jobs);
    },
    { name: "cabalbot-tick" },
  );
  return {
    runNow: () => runJobs(jobs, true),
    runJob(name) {
      const job = jobs.find((j) => j.name === name);
      if (job && !stopped) void runJobs([job], true);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await task.stop();
      await Promise.all(running.values());
      await Promise.all(jobs.map((job) => job.settle?.()));
    },
  };
}
