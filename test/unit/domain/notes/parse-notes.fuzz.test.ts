// parseNotes must answer for any text: random strings, soups of lines taken from real notes, truncated notes,
// and very large inputs. The checks run on readNotes (no safety net) so a swallowed crash cannot hide a bug.
import { readdirSync, readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ParsedNotes, parseNotes } from "../../../../src/domain/notes/parse-notes.js";
import { readNotes } from "../../../../src/domain/notes/read-notes.js";

const corpusDir = new URL("../../../fixtures/podman-notes/", import.meta.url);
const corpus = readdirSync(corpusDir)
  .filter((name) => name.endsWith(".md") && name !== "README.md")
  .map((name) => readFileSync(new URL(name, corpusDir), "utf8"));
const corpusLines = [...new Set(corpus.flatMap((text) => text.split("\n")))];

// Line starts and pieces that steer the parser into its different paths.
const fragments = [
  "# Podman Community Cabal Meeting Notes",
  "## October 6, 2020 11:00 a.m. Eastern",
  "### September 15, 2022 Topics",
  "### Topics",
  "#### Possible Topics",
  "## Topics for Next Meeting",
  "### Next Meeting: Thursday, February 16, 2023, 11:00 a.m. EDT (UTC-5)",
  "### Next Community Meeting: Tuesday, June 6, 2023",
  "Next Cabal Meeting:",
  "#### (1:14 in the video)",
  "([01:29](https://www.youtube.com/watch?v=W3cWHSrQnEQ&t=89s) in the video",
  "### Matt Heon",
  " - Dan Walsh - ",
  "1. ",
  "   - ",
  "\t* ",
  "```",
  "~~~",
  "---",
  "title: x",
  "Raw Meeting Chat:",
  "### Raw Google Meet Transcript",
  "#### Quick Recap",
  "### Details",
  "  * Commit Message Style Enforcement Paul Holzinger raised",
  "Video [Recording](https://youtu.be/-dVK9CfqeNM)",
  "[Recording](",
  "Jauary 19, 2023",
  "Tuesday February 30, 2020",
  "2021-02-02",
  "(",
  ")",
  "[",
  "]",
  "#",
  " - ",
  "w/ ",
  "",
];

/** Checks every invariant and reports all broken ones at once (one expect per item is slow on big inputs). */
function expectWellFormed(notes: ParsedNotes) {
  const problems: string[] = [];
  const check = (ok: boolean, what: unknown) => {
    if (!ok) problems.push(JSON.stringify(what));
  };
  const isCleanText = (text: unknown) => typeof text === "string" && text !== "" && text === text.trim();
  check(typeof notes.understood === "boolean", notes.understood);
  check(Array.isArray(notes.topics) && Array.isArray(notes.nextMeetings) && Array.isArray(notes.possibleTopics), notes);
  for (const topic of notes.topics) {
    check(isCleanText(topic.title), topic);
    check(Array.isArray(topic.owners) && topic.owners.every(isCleanText), topic);
    const seconds = topic.videoOffsetSeconds;
    check(seconds === undefined || (Number.isInteger(seconds) && seconds >= 0), topic);
  }
  const possible = [...notes.possibleTopics, ...notes.nextMeetings.flatMap((mention) => mention.possibleTopics ?? [])];
  for (const topic of possible) {
    check(isCleanText(topic.title) && (topic.owner === undefined || isCleanText(topic.owner)), topic);
  }
  for (const date of [notes.meetingDate, ...notes.nextMeetings.map((mention) => mention.written)]) {
    if (date) check(date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= 31, date);
  }
  check(notes.title === undefined || isCleanText(notes.title), notes.title);
  expect(problems).toEqual([]);
}

function checkBoth(markdown: string) {
  expectWellFormed(readNotes(markdown));
  expectWellFormed(parseNotes(markdown));
}

const lineSoup = fc
  .array(
    fc.oneof(
      fc.constantFrom(...corpusLines),
      fc.constantFrom(...fragments),
      fc.tuple(fc.constantFrom(...fragments), fc.constantFrom(...corpusLines)).map(([a, b]) => a + b),
      fc.string({ maxLength: 40 }),
    ),
    { maxLength: 80 },
  )
  .chain((lines) => fc.constantFrom("\n", "\r\n", "\n\n").map((separator) => lines.join(separator)));

describe("parseNotes never fails", () => {
  it("on random strings", () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), checkBoth), { numRuns: 200 });
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 400 }), checkBoth), { numRuns: 200 });
  });

  it("on soups of markdown-ish lines taken from real notes", () => {
    fc.assert(fc.property(lineSoup, checkBoth), { numRuns: 500 });
  });

  it("on every corpus file truncated anywhere", () => {
    fc.assert(
      fc.property(fc.constantFrom(...corpus), fc.double({ min: 0, max: 1, noNaN: true }), (text, cut) => {
        checkBoth(text.slice(0, Math.floor(text.length * cut)));
      }),
      { numRuns: 300 },
    );
  });

  it("on non-string input smuggled past the types", () => {
    for (const value of [undefined, null, 42, {}]) {
      // Called the way untyped JavaScript would call it.
      expectWellFormed(Reflect.apply(parseNotes, undefined, [value]));
    }
  });

  it("says it understood nothing in text that is not meeting notes", () => {
    expect(parseNotes("").understood).toBe(false);
    expect(parseNotes("# Hello\n\nJust some words.\n").understood).toBe(false);
  });
});

describe("parseNotes stays fast on 200 KB inputs", () => {
  const size = 200_000;
  const repeatTo = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const inputs: [string, string][] = [
    ["corpus files back to back", repeatTo(corpus.join("\n"))],
    ["one long line of open parentheses", repeatTo("(")],
    ["unclosed timestamp links", repeatTo("([1:1](x")],
    ["a heading made of separators", `### ${repeatTo("a - ")}`],
    ["dates without end", repeatTo("Tuesday, February 2, 2020 ")],
    ["near-miss month names", repeatTo("Jauary Febuary Octobre ")],
    ["only headings", repeatTo("#\n## x\n")],
    ["only list items", repeatTo("1. x - Dan Walsh\n   - y\n")],
    ["unclosed fence", `\`\`\`\n${repeatTo("### Topic (1:00 in the video)\n")}`],
    ["possible topics without end", `## Possible Topics\n${repeatTo("What? Vivek. ")}`],
    ["brackets", repeatTo("[[[[]]]](")],
    ["spaces", `#${repeatTo(" ")}x`],
    [
      "a long agenda and many sections",
      `## Topics\n${repeatTo("1. Topic - Dan Walsh\n").slice(0, size / 2)}${repeatTo("### Topic (1:00 in the video)\n").slice(0, size / 2)}`,
    ],
    [
      "a long list of possible topics",
      `### Next Meeting: Tuesday, June 2, 2026\n#### Possible Topics\n${repeatTo("1. x - Dan Walsh\n")}`,
    ],
  ];

  it.each(inputs)("%s", (_name, input) => {
    const started = performance.now();
    const notes = readNotes(input);
    const elapsed = performance.now() - started;
    expectWellFormed(notes);
    expectWellFormed(parseNotes(input));
    // Linear parsing takes well under a second here; quadratic behaviour takes minutes.
    expect(elapsed).toBeLessThan(2_000);
  });
});
