import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { occurrenceOn } from "../../../src/domain/calendar.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { parseNotes } from "../../../src/domain/notes/parse-notes.js";
import { expandNotesUrl, notesMarker, summarizeNotes, topicCovered } from "../../../src/domain/notes-summary.js";

const CORPUS = new URL("../../fixtures/podman-notes/", import.meta.url);
const corpus = (name: string) => readFileSync(new URL(name, CORPUS), "utf8");

const base = {
  timezone: "America/New_York",
  time: "11:00",
  durationMinutes: 60,
  dates: [],
  skip: [],
  remindersMs: [],
  rooms: [{ chat: "slack", room: "C0PODMAN" }],
};
const community: Meeting = {
  ...base,
  id: "community",
  title: "Podman Community Meeting",
  schedule: [
    { rrule: "FREQ=MONTHLY;BYDAY=1TU", from: "2020-10-01", until: "2021-12-31" },
    { rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU", from: "2022-01-01" },
  ],
};
const cabal: Meeting = {
  ...base,
  id: "cabal",
  title: "Podman Community Cabal",
  schedule: [
    { rrule: "FREQ=MONTHLY;BYDAY=3TH", from: "2020-01-01", until: "2023-10-31" },
    { rrule: "FREQ=MONTHLY;BYDAY=3TU", from: "2023-11-01", until: "2024-06-30" },
    { rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" },
  ],
  dates: ["2023-12-12T11:00"],
  skip: ["2023-12-19"],
};
const meetings = [community, cabal];

function summaryOf(file: string, meeting: Meeting, date: string) {
  const occurrence = occurrenceOn(meeting, date);
  if (!occurrence) throw new Error(`no occurrence on ${date}`);
  return summarizeNotes(parseNotes(corpus(file)), { meeting, occurrence, meetings });
}

describe("expandNotesUrl", () => {
  it.each([
    ["https://x/{date}/index.md", "https://x/2023-04-20/index.md"],
    ["https://x/{yyyy}/{mm}/{dd}.md", "https://x/2023/04/20.md"],
    ["https://x/{yyyy}-{mm}-{dd}/{date}", "https://x/2023-04-20/2023-04-20"],
    ["https://x/static", "https://x/static"],
  ])("%s", (template, expected) => {
    expect(expandNotesUrl(template, "2023-04-20")).toBe(expected);
  });
  it("marks announcements per occurrence", () => {
    expect(notesMarker("cabal", "2023-04-20")).toBe("notes:cabal:2023-04-20");
  });
});

describe("summarizeNotes", () => {
  it("lists topics with owners and deep links into a YouTube recording", () => {
    const summary = summaryOf("2023-04-20-cabal.md", cabal, "2023-04-20");
    expect(summary?.topics).toEqual([
      { title: "Possible Podman 5 features", owners: ["Dan Walsh"], recordingAt: "https://youtu.be/_NnWUqyaBmw?t=74" },
      { title: "Bug Week", owners: ["Matt Heon"], recordingAt: "https://youtu.be/_NnWUqyaBmw?t=3291" },
    ]);
    expect(summary?.corrections).toEqual([]);
    expect(summary?.next?.date).toBe("2023-05-18");
    expect(summary?.toImport).toEqual([
      { meetingId: "cabal", occurrenceDate: "2023-05-18", title: "containersh", owner: "Dan Walsh" },
      {
        meetingId: "cabal",
        occurrenceDate: "2023-05-18",
        title: "Storage - allow layers to be split across multiple files",
        owner: "Anders Bjorklund",
      },
    ]);
  });

  it("does not deep-link recordings that take no start time", () => {
    const summary = summaryOf("2021-07-15-cabal.md", cabal, "2021-07-15");
    expect(summary?.recordingUrl).toContain("drive.google.com");
    expect(summary?.topics.every((t) => t.recordingAt === undefined)).toBe(true);
  });

  it("corrects dates the notes got wrong, using the schedule", () => {
    const summary = summaryOf("2022-02-01-community.md", community, "2022-02-01");
    expect(summary?.corrections).toHaveLength(3);
    expect(summary?.corrections[0]).toMatch(/^Meeting date: the notes say "February 1, 2021".*February 1, 2022/);
    expect(summary?.corrections[1]).toMatch(
      /^Next Podman Community Meeting: .*"Tuesday April 5, 2021".*Tuesday, April 5, 2022/,
    );
    expect(summary?.corrections[2]).toMatch(
      /^Next Podman Community Cabal: .*"Thursday February 17, 2021".*February 17, 2022/,
    );
    expect(summary?.next?.date).toBe("2022-04-05");
    expect(summary?.toImport).toEqual([
      {
        meetingId: "community",
        occurrenceDate: "2022-04-05",
        title: "Sparsefile handling with Podman",
        owner: "Giuseppe Scrivano",
      },
    ]);
  });

  it("uses the schedule's date when the next meeting's year is a typo", () => {
    const summary = summaryOf("2020-12-01-community.md", community, "2020-12-01");
    expect(summary?.next?.date).toBe("2021-02-02");
    expect(summary?.corrections.join("\n")).toContain("Tuesday February 2, 2020");
    expect(summary?.toImport.map((t) => t.occurrenceDate)).toEqual(["2021-02-02", "2021-02-02"]);
  });

  it("imports possible topics listed for another configured meeting into that meeting", () => {
    const summary = summaryOf("2023-12-12-cabal.md", cabal, "2023-12-12");
    expect(summary?.toImport.map((t) => `${t.meetingId} ${t.occurrenceDate} ${t.title}`)).toEqual([
      "cabal 2024-01-16 Krun and Podman",
      "cabal 2024-01-16 crun qemu",
      "community 2024-02-06 Home Automaition",
    ]);
  });

  it("skips another meeting's mentions when that meeting is not configured", () => {
    const occurrence = occurrenceOn(cabal, "2023-12-12");
    if (!occurrence) throw new Error("no occurrence");
    const summary = summarizeNotes(parseNotes(corpus("2023-12-12-cabal.md")), {
      meeting: cabal,
      occurrence,
      meetings: [cabal],
    });
    expect(summary?.toImport.map((t) => t.meetingId)).toEqual(["cabal", "cabal"]);
  });

  it("gives no summary for notes it cannot understand", () => {
    const occurrence = occurrenceOn(cabal, "2023-04-20");
    if (!occurrence) throw new Error("no occurrence");
    expect(
      summarizeNotes(parseNotes("<html><body>404</body></html>"), { meeting: cabal, occurrence, meetings }),
    ).toBeUndefined();
  });
});

describe("topicCovered", () => {
  it("finds an agenda topic among the notes' topics by its words, ignoring case and punctuation", () => {
    const notes = ["Release plan for Podman 5.0", "CI: flaky tests!", "Q&A"];
    expect(topicCovered("release plan", notes)).toBe(true);
    expect(topicCovered("CI flaky tests", notes)).toBe(true);
    expect(topicCovered("Podman 5.0 release plan discussion", ["release plan"])).toBe(true);
  });

  it("does not match parts of words or topics the notes never mention", () => {
    expect(topicCovered("plan", ["Planning the summit"])).toBe(false);
    expect(topicCovered("Quadlet docs", ["Release plan", "CI"])).toBe(false);
    expect(topicCovered("!!!", ["!!!"])).toBe(false);
    expect(topicCovered("Release plan", [])).toBe(false);
  });
});
