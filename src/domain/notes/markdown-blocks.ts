// Splits meeting-notes markdown into the few block kinds the parser cares about: headings, list items and
// paragraph lines, with fenced code dropped. Regular expressions on single lines are enough here: the notes
// are hand-written markdown with no nesting the parser needs, and no markdown library extracts meeting facts.

export type Block =
  | { type: "heading"; level: number; text: string; line: number }
  | { type: "item"; indent: number; text: string; line: number }
  | { type: "text"; text: string; line: number }
  | { type: "blank"; line: number };

/** Longest line the parser looks at; the rest of an absurdly long line is not meeting notes. */
export const MAX_LINE_LENGTH = 2_000;

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const LIST_ITEM = /^([ \t]*)(?:[-*+]|\d{1,3}(?:\.\d{1,3})?[.)]|[A-Za-z][.)])[ \t]+(\S.*)$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

function indentWidth(whitespace: string): number {
  let width = 0;
  for (const char of whitespace) width += char === "\t" ? 4 - (width % 4) : 1;
  return width;
}

/** Front matter ("---" ... "---" at the very top, as Jekyll wrote it): its `title:` value, and where the body starts. */
function readFrontMatter(lines: string[]): { title?: string; bodyStart: number } {
  if (lines[0]?.trim() !== "---") return { bodyStart: 0 };
  for (let i = 1; i < Math.min(lines.length, 60); i++) {
    if (lines[i]?.trim() === "---") {
      let title: string | undefined;
      for (const line of lines.slice(1, i)) {
        const match = /^title:\s*["']?(.*?)["']?\s*$/.exec(line);
        if (match?.[1]) title = match[1];
      }
      return title ? { title, bodyStart: i + 1 } : { bodyStart: i + 1 };
    }
  }
  return { bodyStart: 0 };
}

export interface MarkdownDocument {
  frontMatterTitle?: string;
  blocks: Block[];
}

export function readBlocks(markdown: string): MarkdownDocument {
  const lines = markdown.split(/\r\n|\r|\n/);
  const { title, bodyStart } = readFrontMatter(lines);
  const blocks: Block[] = [];
  let openFence: string | undefined;
  for (let index = bodyStart; index < lines.length; index++) {
    const line = (lines[index] ?? "").slice(0, MAX_LINE_LENGTH);
    const fence = FENCE.exec(line)?.[1];
    if (openFence !== undefined) {
      const trimmed = line.trim();
      if (
        fence &&
        fence[0] === openFence[0] &&
        fence.length >= openFence.length &&
        trimmed === fence[0]?.repeat(trimmed.length)
      ) {
        openFence = undefined;
      }
      continue;
    }
    if (fence) {
      openFence = fence;
      continue;
    }
    if (line.trim() === "") {
      blocks.push({ type: "blank", line: index });
      continue;
    }
    const heading = HEADING.exec(line);
    if (heading) {
      // Trim first so stripping the optional closing "##" stays linear on lines full of spaces.
      const text = (heading[2] ?? "").trim().replace(/\s#+$/, "").trim();
      blocks.push({ type: "heading", level: heading[1]?.length ?? 1, text, line: index });
      continue;
    }
    const item = LIST_ITEM.exec(line);
    if (item) {
      blocks.push({ type: "item", indent: indentWidth(item[1] ?? ""), text: (item[2] ?? "").trim(), line: index });
      continue;
    }
    blocks.push({ type: "text", text: line.trim(), line: index });
  }
  return title === undefined ? { blocks } : { frontMatterTitle: title, blocks };
}
