// The notes announcement in Block Kit: within Slack's limits, escaped, and unable to ping anyone.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderNotesAnnouncement } from "../../../src/adapters/slack/render.js";
import { slackLink } from "../../../src/adapters/slack/text.js";
import type { NotesAnnouncementView } from "../../../src/app/views.js";
import { occurrenceOn } from "../../../src/domain/calendar.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { parseNotes } from "../../../src/domain/notes/parse-notes.js";
import { summarizeNotes } from "../../../src/domain/notes-summary.js";
import { slackRooms } from "../../support/meetings.js";

const CORPUS = new URL("../../fixtures/podman-notes/", import.meta.url);
const files = readdirSync(CORPUS).filter((name) => /^\d{4}-\d{2}-\d{2}-\w+\.md$/.test(name));

const meeting: Meeting = {
  id: "any",
  title: "Podman <Community> & Friends",
  rooms: slackRooms("C0PODMAN"),
  timezone: "America/New_York",
  time: "11:00",
  durationMinutes: 60,
  schedule: [{ rrule: "FREQ=DAILY", from: "2020-01-01" }],
  dates: [],
  skip: [],
  remindersMs: [],
};

function checkLimits(message: ReturnType<typeof renderNotesAnnouncement>): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  expect([...message.text].length).toBeLessThanOrEqual(4000);
  for (const block of message.blocks) {
    const texts =
      block.type === "section"
        ? [block.text?.text ?? ""]
        : block.type === "context"
          ? block.elements.map((e) => ("text" in e ? e.text : ""))
          : [];
    for (const text of texts) expect([...text].length).toBeLessThanOrEqual(3000);
  }
  const all = JSON.stringify(message);
  expect(all).not.toContain("<!");
  expect(all).not.toContain("<@");
  expect(all).not.toContain("<#");
}

function viewOf(file: string): NotesAnnouncementView {
  const date = file.slice(0, 10);
  const occurrence = occurrenceOn(meeting, date);
  if (!occurrence) throw new Error(date);
  const summary = summarizeNotes(parseNotes(readFileSync(new URL(file, CORPUS), "utf8")), {
    meeting,
    occurrence,
    meetings: [meeting],
  });
  return {
    meeting,
    occurrence,
    url: `https://github.com/containers/podman.io/blob/main/static/data/meetings/notes/${date}/index.md`,
    byHand: false,
    ...(summary ? { summary: { ...summary, importedTopics: summary.toImport.length } } : {}),
  };
}

describe("renderNotesAnnouncement", () => {
  it.each(files)("%s stays within Slack's limits and escapes", (file) => {
    const view = viewOf(file);
    const message = renderNotesAnnouncement(view);
    checkLimits(message);
    const all = JSON.stringify(message);
    expect(all).toContain("Podman &lt;Community&gt; &amp; Friends");
    expect(all).toContain(`<${view.url}|read them>`);
    for (const topic of view.summary?.topics.slice(0, 3) ?? []) {
      if (topic.recordingAt) expect(all).toContain(`<${topic.recordingAt}|video>`);
    }
  });

  it("shows the topics, owners, recording and corrections", () => {
    const message = renderNotesAnnouncement(viewOf("2022-02-01-community.md"));
    const all = JSON.stringify(message.blocks);
    expect(all).toContain("Podman on Windows Demo - Jason Greene");
    expect(all).toContain("|Recording>");
    expect(all).toContain("the notes say");
  });

  it("says 'summary unavailable' for notes it could not read", () => {
    const occurrence = occurrenceOn(meeting, "2023-04-20");
    if (!occurrence) throw new Error("no occurrence");
    const message = renderNotesAnnouncement({ meeting, occurrence, url: "https://x.example/n", byHand: true });
    expect(JSON.stringify(message)).toMatch(/[Ss]ummary unavailable/);
    expect(message.text).toContain("https://x.example/n");
  });

  it("cannot be made to ping or break links by hostile notes, and cuts huge summaries to fit", () => {
    const occurrence = occurrenceOn(meeting, "2023-04-20");
    if (!occurrence) throw new Error("no occurrence");
    const hostile = "<!here> <!channel> <@U123> & <https://evil.example|click> ".repeat(40);
    const message = renderNotesAnnouncement({
      meeting,
      occurrence,
      url: "https://x.example/notes?a=1&b=<2>|x",
      byHand: false,
      summary: {
        topics: Array.from({ length: 500 }, (_, i) => ({
          title: `${hostile}${i}`,
          owners: ["<!everyone>", "Dan & Co"],
          recordingAt: "https://youtu.be/abc?t=1|<!here>",
        })),
        recordingUrl: "https://rec.example/x>|<!here>",
        corrections: Array.from({ length: 100 }, () => hostile),
        importedTopics: 3,
        next: occurrence,
      },
    });
    checkLimits(message);
    const all = JSON.stringify(message);
    expect(all).toContain("&lt;!here&gt;");
    expect(all).toContain("<https://x.example/notes?a=1&amp;b=%3C2%3E%7Cx|read them>");
    expect(all).toContain("more");
  });
});

describe("slackLink", () => {
  it.each([
    ["https://a.example/x", "label", "<https://a.example/x|label>"],
    ["https://a.example/x?a=1&b=2", "l", "<https://a.example/x?a=1&amp;b=2|l>"],
    ["https://a.example/<x>|y z", "a|b <c>", "<https://a.example/%3Cx%3E%7Cy%20z|a¦b &lt;c&gt;>"],
  ])("%s", (url, label, expected) => {
    expect(slackLink(url, label)).toBe(expected);
  });
});
