// The notes poller on the tick, and the `/cabal notes <url>` handler; both read pages through the fetcher main
// builds (so its clock is the bot's injected one).
import { announceNotesByHand, newNotesPollState, nextNotesPollAt, pollNotes } from "../app/announce-notes.js";
import type { BotDeps } from "../app/deps.js";
import type { NotesFetcher } from "../app/notes-source.js";
import type { NotesCommandHandler } from "../app/run-command.js";
import type { ScheduledJob } from "./scheduler.js";

/** While a poll is in flight the job comes back this often, to start the polls of other meetings falling due. */
const IN_FLIGHT_RECHECK_MS = 1_000;

/**
 * Each run starts the polls that are due and returns without waiting for them, so a slow notes host never keeps
 * the job from starting other meetings' polls; `settle` waits for them (on stop).
 */
export function notesJobs(deps: BotDeps, fetcher: NotesFetcher): ScheduledJob[] {
  const state = newNotesPollState();
  return [
    {
      name: "notes",
      async run() {
        pollNotes(deps, fetcher, state).catch((error: unknown) => {
          deps.log.error({ err: error }, "notes poll failed; it will be retried");
        });
        const now = deps.clock.now();
        const next = nextNotesPollAt(state, now);
        const nextIn = next === undefined ? undefined : Math.max(0, next.getTime() - now.getTime());
        if (state.workers === 0) return nextIn;
        return Math.min(nextIn ?? IN_FLIGHT_RECHECK_MS, IN_FLIGHT_RECHECK_MS);
      },
      settle: () => state.idle,
    },
  ];
}

/** `/cabal notes <url>` (and `!cabal notes <url>`) with this fetcher. */
export function notesCommand(fetcher: NotesFetcher): NotesCommandHandler {
  return (deps, request) => announceNotesByHand(deps, fetcher, request);
}
