// What the bot says on Matrix: the same words in the plain body and the HTML, `!cabal` in every hint, times in
// every display zone and the asker's own, and nothing a person wrote ever becoming markup, a link or a ping.

import { describe, expect, it } from "vitest";
import {
  defuseRoomPing,
  type MatrixMessage,
  matrixMessage,
  renderMatrixAnswer,
  renderMatrixNotes,
  renderMatrixOutcome,
  renderMatrixReminder,
  renderMatrixRollover,
} from "../../../src/adapters/matrix/render.js";
import type { Topic } from "../../../src/app/ports.js";
import type { CommandOutcome } from "../../../src/app/run-command.js";
import { nextOccurrence } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { AGENDA_PAGE_SIZE, pageOf, UPCOMING_PAGE_SIZE } from "../../../src/domain/paging.js";
import type { Refusal } from "../../../src/domain/refusal.js";
import { testMeeting } from "../../support/meetings.js";

/** What people might type, or a notes page might hold, to inject markup, links or pings. */
const HOSTILE =
  '<b>x</b><a href="javascript:alert(1)">click</a><img src=x onerror=alert(1)> @room @ROOM @alice:example.org &amp; <script>';

const meeting = testMeeting({
  title: `Cabal ${HOSTILE}`,
  joinUrl: `https://meet.example/${HOSTILE}`,
  rooms: [{ chat: "matrix", room: "#podman:example.org" }],
});
const occurrence = nextOccurrence(meeting, new Date("2026-01-01T00:00:00Z")) as Occurrence;
const topic: Topic = {
  id: 1,
  meetingId: "cabal",
  occurrenceDate: occurrence.date,
  title: `topic ${HOSTILE}`,
  proposerId: "@mallory:example.org",
  proposerChat: "matrix",
  proposerName: `mallory ${HOSTILE}`,
  source: "chat",
  createdAt: new Date(0),
};

const refusals: Refusal[] = [
  { code: "no-such-meeting", meetingId: HOSTILE, known: ["cabal"] },
  { code: "unknown-zone", typed: HOSTILE, suggestion: "Asia/Tokyo" },
  { code: "bad-notes-url", text: HOSTILE },
  { code: "no-such-topic", position: 4, count: 2, meetingTitle: meeting.title },
  { code: "notes-already-announced", meetingTitle: meeting.title, date: "2026-01-15", url: HOSTILE },
];

const outcomes: [string, CommandOutcome][] = [
  ["added", { kind: "added", meeting, occurrence, topic, position: 1 }],
  ["removed", { kind: "removed", meeting, occurrence, topic, position: 1 }],
  ["agenda", { kind: "agenda", meeting, occurrence, topics: [topic], page: pageOf(1, AGENDA_PAGE_SIZE) }],
  ...refusals.map((reason): [string, CommandOutcome] => [`rejected ${reason.code}`, { kind: "rejected", reason }]),
  [
    "help with an unknown command",
    { kind: "help", meetings: [meeting], running: [meeting], problem: { code: "unknown-command", typed: HOSTILE } },
  ],
  [
    "upcoming",
    {
      kind: "upcoming",
      upcoming: [{ meeting, occurrence, calendarUrl: `https://cal/${HOSTILE}` }],
      page: pageOf(1, UPCOMING_PAGE_SIZE),
    },
  ],
  [
    "notes announced",
    {
      kind: "notes-announced",
      meeting,
      occurrence,
      url: `https://notes/${HOSTILE}`,
      summarized: true,
      importedTopics: 0,
    },
  ],
  ["ended", { kind: "ended", meeting, lastOccurrence: occurrence, note: HOSTILE }],
];

const messages: [string, MatrixMessage][] = [
  ...outcomes.map(([kind, outcome]): [string, MatrixMessage] => [kind, renderMatrixOutcome(outcome, ["Asia/Tokyo"])]),
  ["answer", renderMatrixAnswer({ kind: "next-meeting", upcoming: { meeting, occurrence }, askerZone: "Asia/Tokyo" })],
  [
    "reminder",
    renderMatrixReminder({ meeting, occurrence, leadMs: 60_000, late: false, topics: [topic], displayZones: [] }),
  ],
  [
    "notes",
    renderMatrixNotes({
      meeting,
      occurrence,
      url: `https://notes.example/${HOSTILE}`,
      byHand: false,
      summary: {
        topics: [{ title: `notes ${HOSTILE}`, owners: [HOSTILE], recordingAt: `https://rec/${HOSTILE}` }],
        recordingUrl: `https://rec/${HOSTILE}`,
        corrections: [HOSTILE],
        importedTopics: 0,
      },
    }),
  ],
  [
    "roll-over",
    renderMatrixRollover({ meeting, fromDate: "2026-01-15", reason: "past", to: occurrence, titles: [topic.title] }),
  ],
];

/** The renderer's own tags: no attributes, so no link, image, handler or style can come from it. */
const OWN_TAG = /^<\/?(b|br|code|em|ul|li)>$/;

/** The HTML as a reader sees it: tags gone, entities back to characters, blocks as line breaks. */
function shownText(markup: string): string {
  return markup
    .replace(/<br>|<li>|<\/ul>/g, "\n")
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe("Matrix rendering of hostile text", () => {
  it.each(messages)("%s: the HTML holds only the renderer's own bare tags", (_kind, message) => {
    for (const tag of message.html.html.match(/<[^>]*>/g) ?? []) expect(tag).toMatch(OWN_TAG);
    expect(message.html.html).not.toMatch(/<(a|img|script)\b/i);
  });

  it.each(messages)("%s: no @room in either body", (_kind, message) => {
    expect(message.text).not.toMatch(/@room/i);
    expect(message.html.html).not.toMatch(/@room/i);
  });

  // Refusals echo a typed word clipped to a few dozen characters; everything else shows the whole text.
  const whole = messages.filter(([kind]) => !kind.startsWith("rejected") && !kind.startsWith("help"));
  it.each(whole)("%s: what was written is there to read, as written", (_kind, message) => {
    expect(message.text).toMatch(/@\u2060room/);
    // What was typed shows as typed: the tags as text, the user id as written.
    expect(message.text).toContain('<a href="javascript:alert(1)">');
    expect(message.text).toContain("@alice:example.org");
  });

  it.each(messages)("%s: the plain body and the HTML say the same words", (_kind, message) => {
    expect(words(shownText(message.html.html))).toEqual(words(message.text));
  });
});

describe("Matrix wording", () => {
  it("shows commands with the !cabal prefix, as code in the HTML", () => {
    const help = renderMatrixOutcome({ kind: "help", meetings: [meeting], running: [meeting] }, []);
    expect(help.text).toContain("!cabal topic add <title> — propose a topic");
    expect(help.text).toContain("!cabal tz <zone>");
    expect(help.text).not.toContain("/cabal");
    expect(help.html.html).toContain("<code>!cabal topic add &lt;title&gt;</code>");
    expect(help.html.html).toContain("<li>");
  });

  it("answers a question it does not understand with example questions and the help command", () => {
    const answer = renderMatrixAnswer({ kind: "not-understood" });
    expect(answer.text).toContain("when is the next meeting?");
    expect(answer.html.html).toContain("<code>!cabal help</code>");
    expect(answer.html.html).toContain("<em>when is the next meeting?</em>");
  });

  it("gives the agenda's time in every display zone and in the asker's chosen zone", () => {
    const plain = testMeeting();
    const at = nextOccurrence(plain, new Date("2026-01-01T00:00:00Z")) as Occurrence;
    const agenda = renderMatrixOutcome(
      { kind: "agenda", meeting: plain, occurrence: at, topics: [], page: pageOf(0, AGENDA_PAGE_SIZE) },
      ["Europe/Berlin", "Asia/Tokyo"],
    );
    // Thursday 15 January 2026, 11:00 in New York is 17:00 in Berlin and 01:00 the next day in Tokyo.
    expect(agenda.text).toMatch(/11:00/);
    expect(agenda.text).toMatch(/Berlin[^\n]*17:00|17:00[^\n]*Berlin/);
    expect(agenda.text).toMatch(/Tokyo[^\n]*01:00|01:00[^\n]*Tokyo/);
    expect(agenda.text).not.toContain("Your time");
    expect(agenda.text).toContain("No topics proposed yet: !cabal topic add <title>");

    const forYou = renderMatrixOutcome(
      { kind: "agenda", meeting: plain, occurrence: at, topics: [], page: pageOf(0, AGENDA_PAGE_SIZE) },
      ["Europe/Berlin"],
      "Asia/Kolkata",
    );
    // 16:00 UTC is 21:30 in Kolkata.
    expect(forYou.text).toMatch(/Your time: .*21:30/);
  });

  it("lists the agenda in a reminder in order, with the proposers", () => {
    const second = { ...topic, id: 2, title: "second", proposerName: "bob" };
    const first = { ...topic, title: "first", proposerName: "alice" };
    const reminder = renderMatrixReminder({
      meeting: testMeeting(),
      occurrence,
      leadMs: 3_600_000,
      late: false,
      topics: [first, second],
      displayZones: [],
    });
    expect(reminder.text.split("\n")[0]).toBe("Reminder: Podman Community Cabal starts in 1 hour.");
    expect(reminder.text).toContain("  1. first - alice\n  2. second - bob");
    expect(reminder.html.html).toContain("<ul><li>1. first - alice</li><li>2. second - bob</li></ul>");
  });

  it("says a topic title too long in one line with the limit and the usage", () => {
    const refusal = renderMatrixOutcome(
      { kind: "rejected", reason: { code: "title-too-long", length: 400, max: 200 } },
      [],
    );
    expect(refusal.text).toBe(
      "The topic title is 400 characters long; the limit is 200. Shorten it and try again. Usage: !cabal topic add <title>",
    );
  });
});

describe("Matrix messages from plain text", () => {
  it.each([
    ['<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
    ['<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["Tom & Jerry's", "Tom &amp; Jerry&#39;s"],
  ])("shows %s as text in the HTML body", (typed, escaped) => {
    const message = matrixMessage(`Added: ${typed}`);
    expect(message.html.html).toBe(`Added: ${escaped}`);
    expect(message.text).toBe(`Added: ${typed}`);
  });

  it("breaks @room in either body so no client highlights the whole room, and keeps other text as typed", () => {
    for (const typed of ["@room", "hi @ROOM!", "@room:server"]) {
      const message = matrixMessage(typed);
      expect(message.text).not.toMatch(/@room\b/i);
      expect(message.html.html).not.toMatch(/@room\b/i);
    }
    expect(defuseRoomPing("@roomba and @alice:example.org")).toBe("@roomba and @alice:example.org");
  });

  it("puts a title in bold above the body, both from escaped text", () => {
    const titled = matrixMessage("body", "<b>x</b>");
    expect(titled.html.html).toBe("<b>&lt;b&gt;x&lt;/b&gt;</b><br>body");
    expect(titled.text).toBe("<b>x</b>\nbody");
  });
});
