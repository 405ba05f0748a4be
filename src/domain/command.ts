// The command language (what follows the chat's prefix, `/cabal` or `!cabal`), parsed from the decoded text a person typed.
import { clipText } from "./text.js";
import type { Wording } from "./wording.js";

export type CabalCommand =
  | { kind: "topic-add"; meetingId?: string; title: string }
  /** `page`: which page of a long agenda, from 1; absent means the first. */
  | { kind: "topic-list"; meetingId?: string; page?: number }
  | { kind: "topic-remove"; meetingId?: string; position: number }
  | { kind: "next"; meetingId?: string; page?: number }
  | { kind: "notes"; meetingId?: string; url: string }
  /** Without a meeting: the meetings of the room the command came from (all of them elsewhere). */
  | { kind: "subscribe"; meetingId?: string }
  | { kind: "unsubscribe"; meetingId?: string }
  | { kind: "subscriptions" }
  /** `tz` shows the person's zone, `tz clear` forgets the one they chose, `tz <zone>` chooses one. */
  | { kind: "tz"; action: "show" }
  | { kind: "tz"; action: "clear" }
  | { kind: "tz"; action: "set"; zone: string }
  | { kind: "help" }
  | { kind: "usage-error"; problem: UsageProblem };

/**
 * Why a command could not be understood: a code, and the word the person typed as plain data (never glued
 * into a sentence here), so every adapter escapes it for its own medium while rendering.
 */
export type UsageProblem =
  | { code: "unknown-command"; typed: string }
  | { code: "unknown-topic-action"; typed: string }
  | { code: "notes-needs-url" }
  | { code: "remove-needs-number" }
  | { code: "subscribe-one-meeting"; verb: "subscribe" | "unsubscribe" };

/** How much of a typed word an error message repeats: enough to recognise it, never a wall of text. */
export const MAX_ECHOED_WORD = 40;

/**
 * `[meeting] topic add <title>` | `[meeting] topic list` | `[meeting] topic remove <n>` | `[meeting] next`
 * | `[meeting] notes <url>` | `[meeting] subscribe|unsubscribe [meeting]` | `subscriptions` | `help`. A leading word that is a configured meeting id targets that meeting.
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
    case "next": {
      const page = pageNumber(verb.rest);
      return { kind: "next", meetingId, ...(page ? { page } : {}) };
    }
    case "tz":
    case "timezone": {
      const zone = verb.rest.trim();
      if (!zone) return { kind: "tz", action: "show" };
      if (zone.toLowerCase() === "clear") return { kind: "tz", action: "clear" };
      return { kind: "tz", action: "set", zone };
    }
    case "agenda":
      return topicList(verb.rest, meetingId);
    case "notes": {
      const url = verb.rest.trim();
      if (!/^https?:\/\/\S+$/.test(url)) {
        return { kind: "usage-error", problem: { code: "notes-needs-url" } };
      }
      return { kind: "notes", meetingId, url };
    }
    case "topic":
    case "topics":
      return parseTopicCommand(verb.rest, meetingId);
    case "subscribe":
    case "unsubscribe": {
      const kind = verb.word.toLowerCase() as "subscribe" | "unsubscribe";
      const named = firstWord(verb.rest);
      if (!named) return { kind, meetingId };
      // One meeting per command; the id after the verb wins over one before it. An unknown id is the use
      // case's to refuse, naming the meetings there are.
      if (named.rest.trim()) return { kind: "usage-error", problem: { code: "subscribe-one-meeting", verb: kind } };
      return { kind, meetingId: named.word.toLowerCase() };
    }
    case "subscriptions":
      return { kind: "subscriptions" };
    default:
      return { kind: "usage-error", problem: { code: "unknown-command", typed: verb.word } };
  }
}

function parseTopicCommand(text: string, meetingId: string | undefined): CabalCommand {
  const action = firstWord(text);
  if (!action) return { kind: "topic-list", meetingId };
  switch (action.word.toLowerCase()) {
    case "add":
      return { kind: "topic-add", meetingId, title: action.rest };
    case "list":
      return topicList(action.rest, meetingId);
    case "remove":
    case "rm":
    case "delete": {
      const position = action.rest.trim().replace(/^#/, "");
      if (!/^\d{1,4}$/.test(position) || Number(position) < 1) {
        return { kind: "usage-error", problem: { code: "remove-needs-number" } };
      }
      return { kind: "topic-remove", meetingId, position: Number(position) };
    }
    default:
      return { kind: "usage-error", problem: { code: "unknown-topic-action", typed: action.word } };
  }
}

function topicList(rest: string, meetingId: string | undefined): CabalCommand {
  const page = pageNumber(rest);
  return { kind: "topic-list", meetingId, ...(page ? { page } : {}) };
}

/**
 * `2` or `page 2` after a listing command: the page asked for. Other words are ignored, as they always were
 * (`next meeting` lists the next meetings).
 */
function pageNumber(rest: string): number | undefined {
  const match = /^(?:page\s+)?#?(\d{1,6})$/.exec(rest.trim().toLowerCase());
  const page = Number(match?.[1]);
  return match && page >= 1 ? page : undefined;
}

function firstWord(text: string): { word: string; rest: string } | undefined {
  const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  return match ? { word: match[1] as string, rest: match[2] as string } : undefined;
}

/** The sentence for a usage problem, written with the medium's wording (the typed word only through `quote`). */
export function describeUsageProblem(problem: UsageProblem, w: Wording): string {
  switch (problem.code) {
    case "unknown-command":
      return `${w.text("I don't know the command ")}${w.quote(echoedWord(problem.typed))}${w.text(".")}`;
    case "unknown-topic-action":
      return `${w.text("I don't know ")}${w.quote(`topic ${echoedWord(problem.typed)}`)}${w.text(".")}`;
    case "notes-needs-url":
      return `${w.text("Give the notes' address: ")}${w.command("notes https://…")}`;
    case "subscribe-one-meeting":
      return `${w.text("Name one meeting at a time, e.g. ")}${w.command(`${problem.verb} cabal`)}${w.text(", or none for the meetings of this channel.")}`;
    case "remove-needs-number":
      return `${w.text("Say which topic to remove by its number in ")}${w.command("topic list")}${w.text(", e.g. ")}${w.command("topic remove 2")}${w.text(".")}`;
  }
}

/**
 * A typed word made safe to show inside a sentence: clipped, and with control, bidi-override and
 * invisible format characters replaced by U+FFFD so they cannot reorder or hide the rest of the reply.
 */
export function echoedWord(typed: string): string {
  const visible = typed.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, "\uFFFD");
  return clipText(visible, MAX_ECHOED_WORD);
}
