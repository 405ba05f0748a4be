// The `/cabal` command language, parsed from the text a person typed (already decoded to plain text).

export type CabalCommand =
  | { kind: "topic-add"; meetingId?: string; title: string }
  | { kind: "topic-list"; meetingId?: string }
  | { kind: "topic-remove"; meetingId?: string; position: number }
  | { kind: "next"; meetingId?: string }
  | { kind: "notes"; meetingId?: string; url: string }
  | { kind: "help" }
  | { kind: "usage-error"; message: string };

/**
 * `[meeting] topic add <title>` | `[meeting] topic list` | `[meeting] topic remove <n>` | `[meeting] next`
 * | `[meeting] notes <url>` | `help`. A leading word that is a configured meeting id targets that meeting.
 */
export function parseCabalCommand(text: string, meetingIds: readonly string[]): CabalCommand {
  let rest = text.trim();
  let meetingId: string | undefined;
  const first = firstWord(rest);
  if (first && meetingIds.includes(first.word.toLowerCase())) {
    meetingId = first.word.toLowerCase();
    rest = first.rest;
  }
  const verb = firstWord(rest);
  if (!verb) return meetingId ? { kind: "topic-list", meetingId } : { kind: "help" };
  switch (verb.word.toLowerCase()) {
    case "help":
      return { kind: "help" };
    case "next":
      return { kind: "next", meetingId };
    case "agenda":
      return { kind: "topic-list", meetingId };
    case "notes": {
      const url = verb.rest.trim();
      if (!/^https?:\/\/\S+$/.test(url)) {
        return { kind: "usage-error", message: "Give the notes' address: `/cabal notes https://…`" };
      }
      return { kind: "notes", meetingId, url };
    }
    case "topic":
    case "topics":
      return parseTopicCommand(verb.rest, meetingId);
    default:
      return { kind: "usage-error", message: `I don't know the command \`${verb.word}\`.` };
  }
}

function parseTopicCommand(text: string, meetingId: string | undefined): CabalCommand {
  const action = firstWord(text);
  if (!action) return { kind: "topic-list", meetingId };
  switch (action.word.toLowerCase()) {
    case "add":
      return { kind: "topic-add", meetingId, title: action.rest };
    case "list":
      return { kind: "topic-list", meetingId };
    case "remove":
    case "rm":
    case "delete": {
      const position = action.rest.trim().replace(/^#/, "");
      if (!/^\d{1,4}$/.test(position) || Number(position) < 1) {
        return {
          kind: "usage-error",
          message: "Say which topic to remove by its number in `/cabal topic list`, e.g. `/cabal topic remove 2`.",
        };
      }
      return { kind: "topic-remove", meetingId, position: Number(position) };
    }
    default:
      return { kind: "usage-error", message: `I don't know \`topic ${action.word}\`.` };
  }
}

function firstWord(text: string): { word: string; rest: string } | undefined {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  return match ? { word: match[1] as string, rest: match[2] as string } : undefined;
}
