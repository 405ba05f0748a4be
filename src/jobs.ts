// What the scheduler runs and which extra commands exist; each feature issue registers its part here.
import type { BotDeps } from "./app/deps.js";
import type { NotesCommandHandler } from "./app/run-command.js";
import type { ScheduledJob } from "./scheduler/scheduler.js";

export function backgroundJobs(_deps: BotDeps): ScheduledJob[] {
  return [];
}

export const commandHandlers: { notes?: NotesCommandHandler } = {};
