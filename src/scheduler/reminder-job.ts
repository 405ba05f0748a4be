// The reminders job: each run posts what the index and the store say is due (see send-due-reminders).
import type { BotDeps } from "../app/deps.js";
import {
  newReminderRunState,
  nextReminderRunAt,
  prepareReminderIndex,
  sendDueReminders,
} from "../app/send-due-reminders.js";
import type { ScheduledJob } from "./scheduler.js";

export function reminderJobs(deps: BotDeps): ScheduledJob[] {
  // Only a cache of reminders already finished; the store stays the record of what was sent.
  const state = newReminderRunState();
  // Indexing every meeting's next due instant is the one pass over all meetings; done here, at start, so the
  // first tick (and every later one) does only the work of what is due.
  prepareReminderIndex(deps, state);
  return [
    {
      name: "reminders",
      // Says when the next reminder falls due, so the scheduler sleeps until then rather than ticking.
      async run() {
        await sendDueReminders(deps, state);
        const now = deps.clock.now();
        const next = nextReminderRunAt(state, now);
        return next === undefined ? undefined : next.getTime() - now.getTime();
      },
    },
  ];
}
