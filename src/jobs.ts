// What the scheduler runs and which extra commands exist.
import type { BotDeps } from "./app/deps.js";
import type { NotesCommandHandler } from "./app/run-command.js";
import { notesCommand, notesJobs } from "./scheduler/notes-job.js";
import { reminderJobs } from "./scheduler/reminder-job.js";
import type { ScheduledJob } from "./scheduler/scheduler.js";

export function backgroundJobs(deps: BotDeps): ScheduledJob[] {
  return [...reminderJobs(deps), ...notesJobs(deps)];
}

export const commandHandlers: { notes?: NotesCommandHandler } = { notes: notesCommand };
