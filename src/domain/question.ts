// Understanding a direct question: "when is the next meeting?", "when's cabal", "is there a meeting today?",
// "what's the schedule", "next meeting in Tokyo time".
import { zoneNamed } from "./zone-names.js";

export type Question =
  /** When a meeting (the named one, else any) happens next; `zone` when the person asked for the time there. */
  | { kind: "next-meeting"; meetingId?: string; zone?: string }
  /** Whether a meeting (the named one, else any) happens today, in the asked zone or the asker's. */
  | { kind: "today"; meetingId?: string; zone?: string }
  /** Every meeting's next date. */
  | { kind: "schedule"; zone?: string }
  | { kind: "not-understood" };

export interface MeetingName {
  id: string;
  title: string;
}

/** Each meeting's names, worked out once per meeting object (every question reads every meeting's). */
const meetingNames = new WeakMap<MeetingName, string[]>();

/** Words that name a meeting besides its id: its title's distinctive words ("community", "cabal", "stand-up"). */
function namesOf(meeting: MeetingName): string[] {
  let names = meetingNames.get(meeting);
  if (!names) {
    names = findNames(meeting);
    meetingNames.set(meeting, names);
  }
  return names;
}

function findNames(meeting: MeetingName): string[] {
  const words = `${meeting.id} ${meeting.title}`
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((word) => word.length >= 4 && !["meeting", "podman", "community"].includes(word));
  const names = new Set([meeting.id.toLowerCase(), ...words, ...words.map((w) => w.replace(/-/g, ""))]);
  return [...names];
}

/**
 * The zone asked for with "in <place or zone> [time]" or "<place> time", and the text without that phrase.
 * Up to three words are tried, longest first ("in new york time" → America/New_York).
 */
function askedZone(text: string): { zone?: string; rest: string } {
  const phrase = /\b(in|for|at)\s+([a-z][a-z0-9_/+-]*(?:\s+[a-z][a-z0-9_/+-]*){0,3})/g;
  for (const match of text.matchAll(phrase)) {
    const words = (match[2] as string).split(/\s+/);
    for (let count = Math.min(3, words.length); count >= 1; count--) {
      const candidate = words.slice(0, count);
      if (candidate.at(-1) === "time" || candidate.at(-1) === "timezone") continue;
      const zone = zoneNamed(candidate.join(" "));
      if (!zone) continue;
      const trailing = words[count] === "time" || words[count] === "timezone" ? 1 : 0;
      const said = `${match[1]} ${words.slice(0, count + trailing).join(" ")}`;
      return { zone, rest: text.replace(said, " ") };
    }
  }
  return { rest: text };
}

/** Interprets a question; a meeting is named when exactly one meeting matches its words. */
export function interpretQuestion(text: string, meetings: readonly MeetingName[]): Question {
  const { zone, rest: normalised } = askedZone(
    text
      .toLowerCase()
      .replace(/[’‘]/g, "'")
      .replace(/[?!.,;]+(\s|$)/g, " "),
  );
  const words = new Set(normalised.split(/[^a-z0-9'-]+/).filter(Boolean));
  const asksWhen = /\b(when|what time|next|upcoming)\b/.test(normalised) || /\bwhen's\b/.test(normalised);
  const asksToday = /\b(today|tonight)\b/.test(normalised);
  const asksSchedule = /\b(schedule|calendar)\b/.test(normalised);
  const named = meetings.filter((meeting) => namesOf(meeting).some((name) => words.has(name)));
  // "community" names the community meeting only when said on its own (all Podman titles say "Community").
  const community = meetings.filter((m) => m.id === "community");
  const chosen = named.length === 1 ? named : named.length === 0 && words.has("community") ? community : [];
  const meetingId = chosen.length === 1 ? chosen[0]?.id : undefined;
  const mentionsMeeting =
    /\b(meet|meeting|meetings|call|sync|standup|stand-up)\b/.test(normalised) || meetingId !== undefined;
  const withZone = zone ? { zone } : {};
  if (asksToday && mentionsMeeting) return { kind: "today", meetingId, ...withZone };
  if (asksSchedule && meetingId === undefined) return { kind: "schedule", ...withZone };
  if ((asksWhen || asksSchedule) && mentionsMeeting) return { kind: "next-meeting", meetingId, ...withZone };
  return { kind: "not-understood" };
}
