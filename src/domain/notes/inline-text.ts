// Inline markdown clean-up, video timestamps, and "Title - Owner" splitting for single lines of notes.
// All regular expressions here run on one line (already capped in length) and avoid nested quantifiers.

export interface InlineLink {
  text: string;
  url: string;
}

const LINK = /(!?)\[([^[\]]*)\]\(\s*([^()\s]*)(?:\s+"[^"]*")?\s*\)/g;

export function findLinks(text: string): InlineLink[] {
  const links: InlineLink[] = [];
  for (const match of text.matchAll(LINK)) {
    if (match[1] === "!") continue;
    links.push({ text: match[2] ?? "", url: match[3] ?? "" });
  }
  return links;
}

/** Plain text of a markdown line: links become their text, images and emphasis markers go, spaces collapse. */
export function cleanInline(text: string): string {
  return text
    .replace(LINK, (_whole, bang: string, label: string) => (bang === "!" ? "" : label))
    .replace(/\*\*|__/g, "")
    .replace(/\s+/g, " ")
    .trim();
}

/** "Title:" / "Title." → "Title" (an ellipsis stays). */
export function trimTrailingPunctuation(text: string): string {
  let result = text.trim();
  if (result.endsWith(":")) result = result.slice(0, -1).trimEnd();
  if (result.endsWith(".") && !result.endsWith("..")) result = result.slice(0, -1).trimEnd();
  return result;
}

// "(1:14 in the video)", "(22:34 in video)", "(35:00) in the video)", and, once links are cleaned,
// "([01:29](url) in the video)" → "(01:29 in the video)"; the closing parenthesis is sometimes missing.
const VIDEO_TIME = /\(\s*(\d{1,2}(?::\d{1,2}){1,2})\s*\)?\s*in\s+(?:the\s+)?(?:video|recording)\b\s*\)?/i;

export interface VideoTime {
  seconds: number;
  start: number;
  end: number;
}

export function findVideoTime(cleanText: string): VideoTime | undefined {
  const match = VIDEO_TIME.exec(cleanText);
  if (!match?.[1]) return undefined;
  const seconds = match[1].split(":").reduce((total, part) => total * 60 + Number(part), 0);
  return { seconds, start: match.index, end: match.index + match[0].length };
}

/** The text with its video timestamp replaced by a " - " separator (timestamps sit between title and owner). */
export function withoutVideoTime(cleanText: string): string {
  const time = findVideoTime(cleanText);
  if (!time) return cleanText;
  return `${cleanText.slice(0, time.start)} - ${cleanText.slice(time.end)}`;
}

// Lowercase name particles ("Vincent van Gogh").
const NAME_PARTICLES = new Set(["van", "von", "de", "der", "den", "del", "della", "da", "dos", "du", "di", "le", "la"]);

// Capitalized words that show up after " - " in titles but are not people.
const NOT_NAME_WORDS = new Set([
  "podman",
  "buildah",
  "skopeo",
  "quadlet",
  "netavark",
  "desktop",
  "demo",
  "demos",
  "update",
  "updates",
  "meeting",
  "cabal",
  "community",
  "discussion",
  "release",
  "releases",
  "support",
  "topic",
  "topics",
  "video",
  "none",
  "windows",
  "mac",
  "macos",
  "linux",
  "kubernetes",
  "open",
  "forum",
  "questions",
  "details",
  "summary",
  "recap",
  "notes",
  "agenda",
  "slides",
  "link",
  "links",
  "repo",
  "issue",
  "issues",
  "container",
  "containers",
  "image",
  "images",
  "machine",
  "network",
  "networking",
  "storage",
  "design",
  "status",
  "plans",
  "planning",
  "preview",
  "introduction",
  "the",
  "part",
  "and",
  "yes",
  "no",
  "maybe",
  "thanks",
]);

// Words that stand for "everybody" in an owner list ("Dan Walsh/All", "Dan Walsh and Friends").
const EVERYBODY_WORDS = new Set(["all", "friends", "everyone", "everybody", "others", "team", "et al", "tbd"]);

export function isPersonName(text: string): boolean {
  const words = text.trim().split(/\s+/);
  if (words.length === 0 || words.length > 5) return false;
  let nameWords = 0;
  for (const word of words) {
    if (NAME_PARTICLES.has(word)) continue;
    if (/^\(\p{Lu}[\p{L}\p{M}'’.-]*\)$/u.test(word)) continue;
    if (!/^\p{Lu}[\p{L}\p{M}'’.-]*$/u.test(word)) return false;
    if (/^\p{Lu}{2,}$/u.test(word)) return false;
    if (NOT_NAME_WORDS.has(word.toLowerCase())) return false;
    nameWords++;
  }
  return nameWords > 0;
}

/** "Brent Baude/Ashley Cui", "Dan Walsh and Friends", "Talk to Tyler Fanelli" → names; undefined when not names. */
export function readOwnerList(text: string): string[] | undefined {
  const attempt = (candidate: string): string[] | undefined => {
    const parts = candidate
      .replace(/^talk\s+to\s+/i, "")
      .split(/\s*(?:,|\/|&|\+|;)\s*|\s+and\s+/)
      .map((part) => part.trim())
      .filter((part) => part !== "" && !EVERYBODY_WORDS.has(part.toLowerCase()));
    if (parts.length === 0 || !parts.every(isPersonName)) return undefined;
    return parts;
  };
  const trimmed = trimTrailingPunctuation(text);
  // A remark in parentheses after the name: "Anders Björklund (Sold! and thanks!)".
  return attempt(trimmed) ?? attempt(trimmed.replace(/\s*\([^()]*\)$/, ""));
}

export interface TitleAndOwners {
  title: string;
  owners: string[];
}

/**
 * "Krun and Podman - Tyler Fanelli - 19" → title "Krun and Podman", owners ["Tyler Fanelli"].
 * Only a dash with spaces around it separates; "crun-vm" and "build -v" stay whole.
 */
export function splitTitleAndOwners(cleanText: string): TitleAndOwners {
  const segments = ` ${withoutVideoTime(cleanText)} `
    .split(/\s[-–—]+(?=\s)/)
    .map((segment) => segment.trim())
    .filter((segment) => segment !== "");
  // Trailing numbers and stray punctuation ("- 19", "- 1") are leftovers of the notes' own numbering.
  while (segments.length > 1 && !/\p{L}/u.test(segments[segments.length - 1] ?? "")) segments.pop();
  let owners: string[] = [];
  if (segments.length > 1) {
    const fromLast = readOwnerList(segments[segments.length - 1] ?? "");
    if (fromLast) {
      owners = fromLast;
      segments.pop();
    }
  }
  let title = segments.join(" - ");
  // "... images and CI w/ Ralph Bean, Sumantro Mukherjee"
  const withNames = /^(.*\S)\s+w\/\s*(\S.*)$/.exec(title);
  if (owners.length === 0 && withNames?.[1] && withNames[2]) {
    const named = readOwnerList(withNames[2]);
    if (named) {
      owners = named;
      title = withNames[1];
    }
  }
  title = trimTrailingPunctuation(title);
  return { title: title === "" ? trimTrailingPunctuation(cleanText) : title, owners };
}
