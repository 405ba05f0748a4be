// What the console prints: plain text a terminal shows as text, whatever people or the config wrote.

import { describe, expect, it } from "vitest";
import {
  renderAnswerText,
  renderNotesText,
  renderOutcomeText,
  renderReminderText,
  renderRolloverText,
  terminalText,
} from "../../../src/adapters/console/console-render.js";
import type { Topic } from "../../../src/app/ports.js";
import { nextOccurrence } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { AGENDA_PAGE_SIZE, pageOf } from "../../../src/domain/paging.js";
import { testMeeting } from "../../support/meetings.js";

// Colour, clear-screen, an OSC 8 hyperlink to javascript:, a window-title set, a carriage return and a C1 CSI.
const ESCAPES =
  "\u001b[31mred\u001b[2J\u001b]8;;javascript:alert(1)\u0007link\u001b]8;;\u0007\u001b]0;owned\u0007\rover\u009b1m";
const meeting = testMeeting({ title: `Cabal ${ESCAPES}`, joinUrl: `https://meet.example/${ESCAPES}` });
const occurrence = nextOccurrence(meeting, new Date("2026-01-01T00:00:00Z")) as Occurrence;
const topic: Topic = {
  id: 1,
  meetingId: "cabal",
  occurrenceDate: occurrence.date,
  title: `topic ${ESCAPES}\u202Egnirts`,
  proposerId: "U0X",
  proposerChat: "slack",
  proposerName: `mallory${ESCAPES}`,
  source: "chat",
  createdAt: new Date(0),
};

/** No ESC, BEL, CR, other C0 or C1 control, and no bidi override: nothing a terminal would act on. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what must not appear
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe("console rendering of hostile text", () => {
  const outputs: [string, string][] = [
    ["added", renderOutcomeText({ kind: "added", meeting, occurrence, topic, position: 1 }, [])],
    ["removed", renderOutcomeText({ kind: "removed", meeting, occurrence, topic, position: 1 }, [])],
    [
      "agenda",
      renderOutcomeText({ kind: "agenda", meeting, occurrence, topics: [topic], page: pageOf(1, AGENDA_PAGE_SIZE) }, [
        "Asia/Tokyo",
      ]),
    ],
    [
      "rejected",
      renderOutcomeText(
        { kind: "rejected", reason: { code: "no-such-meeting", meetingId: `x${ESCAPES}`, known: ["cabal"] } },
        [],
      ),
    ],
    [
      "unknown command",
      renderOutcomeText(
        {
          kind: "help",
          meetings: [meeting],
          running: [meeting],
          problem: { code: "unknown-command", typed: `x${ESCAPES}` },
        },
        [],
      ),
    ],
    ["answer", renderAnswerText({ kind: "next-meeting", upcoming: { meeting, occurrence }, askerZone: "Asia/Tokyo" })],
    [
      "reminder",
      renderReminderText({ meeting, occurrence, leadMs: 60_000, late: false, topics: [topic], displayZones: [] }),
    ],
    [
      "notes",
      renderNotesText({
        meeting,
        occurrence,
        url: `https://notes.example/${ESCAPES}`,
        byHand: false,
        summary: {
          topics: [{ title: `notes ${ESCAPES}`, owners: [ESCAPES] }],
          corrections: [ESCAPES],
          importedTopics: 0,
        },
      }),
    ],
    [
      "roll-over",
      renderRolloverText("U0X", {
        meeting,
        fromDate: "2026-01-15",
        reason: "past",
        to: occurrence,
        titles: [topic.title],
      }),
    ],
  ];

  it.each(outputs)("%s: passes no terminal control sequence through", (_kind, text) => {
    expect(text).not.toMatch(TERMINAL_CONTROL);
    // What people wrote is still there to read, with each control shown as U+FFFD.
    expect(text).toContain("\uFFFD[31mred");
  });

  it("keeps the renderer's own line breaks, indentation and every printable character", () => {
    expect(terminalText("a\n\tb – Straße 👩‍💻 שלום")).toBe("a\n\tb – Straße 👩‍💻 שלום");
    expect(terminalText("\u001b[2J\r\u0000\u009b\u202e\ud800")).toBe("\uFFFD[2J\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD");
  });

  it("shows the usage placeholders and the typed word as plain words", () => {
    const text = renderOutcomeText(
      {
        kind: "help",
        meetings: [meeting],
        running: [meeting],
        problem: { code: "unknown-topic-action", typed: "rename" },
      },
      [],
    );
    expect(text).toContain('! I don\'t know "topic rename".');
    expect(text).toContain("/cabal topic add <title>");
  });
});
