// Filled in by the notes issue.
import type { BotDeps } from "../app/deps.js";
import type { NotesCommandHandler } from "../app/run-command.js";
import type { ScheduledJob } from "./scheduler.js";

export function notesJobs(_deps: BotDeps): ScheduledJob[] {
  return [];
}

export const notesCommand: NotesCommandHandler | undefined = undefined;
