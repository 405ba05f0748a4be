// Agenda rules: what a proposed topic may be, and how an agenda line reads.

export const MAX_TOPIC_TITLE_LENGTH = 300;

export type TitleCheck =
  | { ok: true; title: string }
  | { ok: false; refusal: { code: "title-empty" } | { code: "title-too-long"; length: number; max: number } };

/**
 * Normalises a proposed title (trim, collapse whitespace) and checks its length. Control characters count as
 * spaces, and bidi embeddings, overrides and isolates are dropped: unclosed, they would reverse or hide the
 * proposer's name that follows the title on every agenda line.
 */
export function checkTopicTitle(raw: string): TitleCheck {
  const title = raw
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, "")
    .replace(/[\s\p{Cc}]+/gu, " ")
    .trim();
  if (title.length === 0) return { ok: false, refusal: { code: "title-empty" } };
  const length = [...title].length;
  if (length > MAX_TOPIC_TITLE_LENGTH) {
    return { ok: false, refusal: { code: "title-too-long", length, max: MAX_TOPIC_TITLE_LENGTH } };
  }
  return { ok: true, title };
}

/** "containersh - Dan Walsh": the shape the community's notes use for an agenda item. */
export function agendaLine(title: string, proposerName: string): string {
  return proposerName ? `${title} - ${proposerName}` : title;
}

/** Why a proposer's topics moved to a later occurrence: cancelled, over, or not covered by its notes. */
export type RolloverReason = "cancelled" | "past" | "not-covered";

/** The words every chat uses for it, after "<meeting> of <date> ": "was cancelled", "is over", … */
export function whyTopicsMoved(reason: RolloverReason): string {
  if (reason === "cancelled") return "was cancelled";
  if (reason === "not-covered") return "did not get to them (its notes do not cover them)";
  return "is over";
}
