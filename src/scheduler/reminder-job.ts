// Filled in by the reminders issue.
import type { BotDeps } from "../app/deps.js";
import type { ScheduledJob } from "./scheduler.js";

export function reminderJobs(_deps: BotDeps): ScheduledJob[] {
  return [];
}
