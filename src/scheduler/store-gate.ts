// A replica that cannot reach its database claims no work: each tick first asks the store whether it answers,
// and the jobs wait (logged once when it goes and once when it is back) instead of failing every second.
import type { Logger, Store } from "../app/ports.js";
import type { ScheduledJob } from "./scheduler.js";

const STORE_RECHECK_MS = 1_000;

export function pausedWhileStoreDown(jobs: ScheduledJob[], store: Pick<Store, "health">, log: Logger): ScheduledJob[] {
  let reachable = true;
  // Jobs of one tick start together: they share one health check.
  let check: Promise<boolean> | undefined;
  const storeAnswers = (): Promise<boolean> => {
    check ??= store
      .health()
      .then((health) => {
        if (!health.ok && reachable) {
          log.error(
            { problem: health.problem },
            "database unreachable: claiming no reminders or notes until it is back",
          );
        } else if (health.ok && !reachable) {
          log.info({}, "database reachable again: resuming reminders and notes");
        }
        reachable = health.ok;
        return health.ok;
      })
      .finally(() => {
        check = undefined;
      });
    return check;
  };
  return jobs.map((job) => ({
    name: job.name,
    ...(job.settle ? { settle: () => job.settle?.() ?? Promise.resolve() } : {}),
    async run() {
      // While the database is away, look again every second, as the tick used to.
      return (await storeAnswers()) ? job.run() : STORE_RECHECK_MS;
    },
  }));
}
