// The help shown by `help`, for unknown commands, and for direct messages the bot does not understand: data
// (command syntax without prefix, descriptions in plain words), rendered by each adapter through its Wording.
import type { Meeting } from "./meeting.js";
import type { Wording } from "./wording.js";

export interface HelpEntry {
  /** The command after the prefix, e.g. `topic add <title>`. */
  syntax: string;
  description: string;
}

export const COMMAND_HELP: readonly HelpEntry[] = [
  { syntax: "topic add <title>", description: "propose a topic for the next meeting of this channel" },
  { syntax: "topic list", description: "the agenda proposed so far, numbered" },
  { syntax: "topic remove <n>", description: "remove topic n (your own; admins may remove any)" },
  { syntax: "next", description: "when each meeting happens next, in your time and others" },
  {
    syntax: "tz <zone>",
    description: "set your time zone, e.g. Asia/Tokyo (without a zone: show it; clear: forget it)",
  },
  {
    syntax: "subscribe [meeting]",
    description:
      "get the meeting's reminders as direct messages (without a meeting: those of this channel); unsubscribe [meeting] stops",
  },
  { syntax: "subscriptions", description: "the meetings whose reminders you get as direct messages" },
  { syntax: "notes <url>", description: "(admins) announce the notes of the latest meeting" },
];

/** Questions people may ask the bot directly, as examples. */
export const QUESTION_EXAMPLES: readonly string[] = [
  "when is the next meeting?",
  "when's cabal",
  "is there a meeting today?",
  "what's the schedule",
  "next meeting in Tokyo time",
];

/**
 * The usage lines, written with the medium's wording. The example names a meeting that still runs (`running`,
 * the caller's view of the schedule), other than the default one when it can.
 */
export function usageLines(
  meetings: readonly Pick<Meeting, "id" | "title">[],
  running: readonly Pick<Meeting, "id">[],
  w: Wording,
): string[] {
  const ids = meetings.map((m) => w.code(m.id)).join(w.text(", "));
  const example = (running.find((m) => m.id !== meetings[0]?.id) ?? running[0] ?? meetings[0])?.id ?? "community";
  return [
    ...COMMAND_HELP.map((entry) => `${w.command(entry.syntax)}${w.text(` — ${entry.description}`)}`),
    `${w.text("Another meeting: put its id first, e.g. ")}${w.command(`${example} topic add <title>`)}${w.text(". Meetings: ")}${ids}${w.text(".")}`,
    `${w.text("Or send me a direct message: ")}${w.example(QUESTION_EXAMPLES[0] as string)}`,
  ];
}

/** The answer to a direct message the bot did not understand. */
export function questionHelp(w: Wording): string {
  const examples = QUESTION_EXAMPLES.map(w.example);
  const last = examples.pop();
  return `${w.text("I answer questions like ")}${examples.join(w.text(", "))}${w.text(" or ")}${last}${w.text(". For the agenda, use ")}${w.command("help")}${w.text(".")}`;
}
