// The notes poller on the tick, and the `/cabal notes <url>` handler; both read pages through the fetcher main
// builds (so its clock is the bot's injected one).
import { announceNotesByHand, pollNotes } from "../app/announce-notes.js";
import type { BotDeps } from "../app/deps.js";
import type { NotesFetcher } from "../app/notes-source.js";
import type { NotesCommandHandler } from "../app/run-command.js";
import type { ScheduledJob } from "./scheduler.js";

/** Runs every tick; the use case reads from the store which watches are due. */
export function notesJobs(deps: BotDeps, fetcher: NotesFetcher): ScheduledJob[] {
  return [{ name: "notes", run: () => pollNotes(deps, fetcher) }];
}

/** `/cabal notes <url>` (and `!cabal notes <url>`) with this fetcher. */
export function notesCommand(fetcher: NotesFetcher): NotesCommandHandler {
  return (deps, request) => announceNotesByHand(deps, fetcher, request);
}
