// The notes poller on the tick, and the `/cabal notes <url>` handler; both read pages through the HTTP fetcher.
import { HttpNotesFetcher } from "../adapters/http/notes-fetcher.js";
import { announceNotesByHand, pollNotes } from "../app/announce-notes.js";
import type { BotDeps } from "../app/deps.js";
import type { NotesFetcher } from "../app/notes-source.js";
import type { NotesCommandHandler } from "../app/run-command.js";
import type { ScheduledJob } from "./scheduler.js";

const fetcher: NotesFetcher = new HttpNotesFetcher();

/** Runs every tick; the use case reads from the store which watches are due. */
export function notesJobs(deps: BotDeps, notes: NotesFetcher = fetcher): ScheduledJob[] {
  return [{ name: "notes", run: () => pollNotes(deps, notes) }];
}

export const notesCommand: NotesCommandHandler = (deps, request) => announceNotesByHand(deps, fetcher, request);
