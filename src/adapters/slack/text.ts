// Slack's text conventions: decode once on the way in, escape once on the way out.
import { clipText } from "../../domain/text.js";
import type { Wording } from "../../domain/wording.js";

/** Escapes user text for any Slack text field: no markup, no mention, no link can come from it. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const NEEDS_DECODING = /[<&\uD800-\uDFFF]/;

/**
 * What a person meant, from text Slack delivers: `&amp;` `&lt;` `&gt;` decoded, and Slack markup
 * (`<@U1|dan>`, `<!here>`, `<#C1|general>`, `<https://x|label>`) turned into the plain text it shows.
 * Hand-written: Slack's markup is its own small format, no library covers it.
 */
export function decodeSlackText(text: string): string {
  // Most commands (`next`, `topic list`) hold no markup, no entity and no surrogate: nothing to decode.
  if (!NEEDS_DECODING.test(text)) return text;
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = "", label] = splitOnce(inner, "|");
    if (target.startsWith("@")) return `@${label ?? target.slice(1)}`;
    if (target.startsWith("#")) return `#${label ?? target.slice(1)}`;
    if (target.startsWith("!")) {
      if (target.startsWith("!subteam^")) return label ?? "@group";
      if (target.startsWith("!date^")) return label ?? "";
      return `@${target.slice(1)}`;
    }
    return label && label !== target ? `${label} (${target})` : target.replace(/^mailto:/, "");
  });
  return typedText(plain.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
}

/**
 * What a person typed into a modal's text input. Slack delivers input values as typed (no entities, no markup,
 * unlike message and command text), so nothing is decoded; a lone surrogate (JSON allows `\ud800`) is no
 * character, and stored or echoed it breaks encoders downstream, so it becomes U+FFFD.
 */
export function typedText(text: string): string {
  return text.replace(/\p{Cs}/gu, "\uFFFD");
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Slack limits text in a section block to 3000 characters and a message's `text` to 40000. */
export const truncate = clipText;

/**
 * A Slack link `<url|label>`. The URL cannot close the link or start a mention: `|`, `<`, `>`, spaces and
 * control characters are percent-encoded and `&` escaped; the label is escaped text.
 */
export function slackLink(url: string, label: string): string {
  const safeUrl = url
    .trim()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
    .replace(/[|<>\s\u0000-\u001f\u007f]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`)
    .replace(/&/g, "&amp;");
  return `<${safeUrl}|${escapeSlackText(label).replace(/\|/g, "¦")}>`;
}

/**
 * Slack's date token: each reader sees the instant in their own zone; the fallback shows where Slack cannot.
 * The fallback is escaped for Slack (`&`, `<`, `>`), `|` (the token's separator) becomes `¦`, and line breaks
 * become spaces, since a token is inline.
 */
export function slackDateToken(instant: Date, fallback: string): string {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError("invalid instant");
  const seconds = Math.floor(ms / 1000);
  const text = escapeSlackText(fallback)
    .replace(/\|/g, "¦")
    .replace(/\s*[\r\n]+\s*/g, " ");
  return `<!date^${seconds}^{date_long_pretty} {time}|${text}>`;
}

/** Text shown as a code span: escaped, and unable to close the span it sits in. */
function codeSpan(text: string): string {
  return `\`${escapeSlackText(text.replace(/`/g, "\u02CB"))}\``;
}

/** How the bot's sentences read on Slack: `/cabal` commands and ids as code spans, examples in italics. */
export const slackWording: Wording = {
  text: escapeSlackText,
  command: (syntax) => codeSpan(`/cabal ${syntax}`),
  quote: codeSpan,
  code: codeSpan,
  example: (sentence) => `_${escapeSlackText(sentence)}_`,
};
