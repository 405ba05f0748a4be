// "Did you mean …?": the known name closest to what a person typed, by edit distance.
import { distance } from "fastest-levenshtein";

/**
 * The candidate nearest to `typed` (ignoring case), when it is near enough to be a slip of the keyboard:
 * at most `maxEdits` edits (default: 1 for up to three letters, else 2 or a quarter of the length, so that
 * a swap like `form` → `from` is caught), or a prefix of at least four letters (`duration` →
 * `durationMinutes`). Ties go to the earlier candidate.
 */
export function nearestName(
  typed: string,
  candidates: readonly string[],
  maxEdits = typed.length <= 3 ? 1 : Math.max(2, Math.floor(typed.length / 4)),
): string | undefined {
  const wanted = typed.toLowerCase();
  let best: string | undefined;
  let bestEdits = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const known = candidate.toLowerCase();
    const edits = distance(wanted, known);
    if (edits < bestEdits) {
      best = candidate;
      bestEdits = edits;
    }
  }
  if (best !== undefined && bestEdits <= maxEdits) return best;
  if (wanted.length >= 4) {
    for (const candidate of candidates) if (candidate.toLowerCase().startsWith(wanted)) return candidate;
  }
  return undefined;
}
