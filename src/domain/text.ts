// Plain-text helpers shared by the domain and the chat adapters.

/** `text` cut to at most `max` characters (code points), ending in "…" when cut. */
export function clipText(text: string, max: number): string {
  // A string has at least as many UTF-16 units as code points: most texts are short enough not to be counted.
  if (text.length <= max) return text;
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
