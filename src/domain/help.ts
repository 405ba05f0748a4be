// The short usage shown by `/cabal help`, for unknown commands, and for direct messages the bot does not understand.
import type { Meeting } from "./meeting.js";

/**
 * Usage lines in Slack-style markdown (backticks for commands). No user text inside. The example names a meeting
 * that still runs (`running`, the caller's view of the schedule), other than the default one when it can.
 */
export function usageLines(
  meetings: readonly Pick<Meeting, "id" | "title">[],
  running: readonly Pick<Meeting, "id">[] = meetings,
): string[] {
  const ids = meetings.map((m) => `\`${m.id}\``).join(", ");
  const example = (running.find((m) => m.id !== meetings[0]?.id) ?? running[0] ?? meetings[0])?.id ?? "community";
  return [
    "`/cabal topic add <title>` — propose a topic for the next meeting of this channel",
    "`/cabal topic list` — the agenda proposed so far, numbered",
    "`/cabal topic remove <n>` — remove topic n (your own; admins may remove any)",
    "`/cabal next` — when each meeting happens next, in your time and others",
    "`/cabal notes <url>` — (admins) announce the notes of the latest meeting",
    `Another meeting: put its id first, e.g. \`/cabal ${example} topic add <title>\`. Meetings: ${ids}.`,
    "Or send me a direct message: _when is the next meeting?_",
  ];
}

export const QUESTION_HELP =
  "I answer questions like _when is the next meeting?_, _when's cabal_, _is there a meeting today?_, _what's the schedule_ or _next meeting in Tokyo time_. For the agenda, use `/cabal help`.";
