// Understanding a direct question like "when is the next meeting?" or "when's cabal".

export type Question = { kind: "next-meeting"; meetingId?: string } | { kind: "not-understood" };

export interface MeetingName {
  id: string;
  title: string;
}

/** Words that name a meeting besides its id: its title's distinctive words ("community", "cabal", "stand-up"). */
function namesOf(meeting: MeetingName): string[] {
  const words = `${meeting.id} ${meeting.title}`
    .toLowerCase()
    .split(/[^a-z0-9-]+/)
    .filter((word) => word.length >= 4 && !["meeting", "podman", "community"].includes(word));
  const names = new Set([meeting.id.toLowerCase(), ...words, ...words.map((w) => w.replace(/-/g, ""))]);
  return [...names];
}

/** Interprets a question; a meeting is named when exactly one meeting matches its words. */
export function interpretQuestion(text: string, meetings: readonly MeetingName[]): Question {
  const normalised = text.toLowerCase().replace(/[’‘]/g, "'");
  const words = new Set(normalised.split(/[^a-z0-9'-]+/).filter(Boolean));
  const asksWhen = /\b(when|what time|next|upcoming|schedule)\b/.test(normalised) || /\bwhen's\b/.test(normalised);
  const named = meetings.filter((meeting) => namesOf(meeting).some((name) => words.has(name)));
  // "community" names the community meeting only when said on its own (all Podman titles say "Community").
  const community = meetings.filter((m) => m.id === "community");
  const chosen = named.length === 1 ? named : named.length === 0 && words.has("community") ? community : [];
  const mentionsMeeting = /\b(meeting|meetings|call|sync|standup|stand-up)\b/.test(normalised) || chosen.length === 1;
  if (!asksWhen || !mentionsMeeting) return { kind: "not-understood" };
  return { kind: "next-meeting", meetingId: chosen.length === 1 ? chosen[0]?.id : undefined };
}
