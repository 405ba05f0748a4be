// The notes announcement under the last reminder, the carry-over of what the notes did not cover, and drift in
// the views, at the use-case level (memory store, fake chat, fixed clock).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { AgendaChanges } from "../../../src/app/agenda-changes.js";
import { announceNotesByHand, pollNotes } from "../../../src/app/announce-notes.js";
import type { BotDeps } from "../../../src/app/deps.js";
import type { NewTopic } from "../../../src/app/ports.js";
import { rollOverTopics } from "../../../src/app/roll-over-topics.js";
import { upcomingMeetings } from "../../../src/app/upcoming-meetings.js";
import { occurrenceOn } from "../../../src/domain/calendar.js";
import type { CommunityConfig, Meeting, Occurrence } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FakeNotesFetcher } from "../../support/fake-notes-fetcher.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const MINUTE = 60_000;
const NOTES = readFileSync(new URL("../../fixtures/podman-notes/2023-04-20-cabal.md", import.meta.url), "utf8");
const NOTES_URL = "https://notes.example/2023-04-20/index.md";
const cabal: Meeting = testMeeting({
  remindersMs: [60 * MINUTE, 10 * MINUTE],
  notes: {
    source: "https://notes.example/{date}/index.md",
    pollEveryMs: 10 * MINUTE,
    lookbackMs: 14 * 24 * 60 * MINUTE,
  },
});

function setup(config: Partial<CommunityConfig> = {}) {
  const store = new MemoryStore();
  const clock = new FixedClock("2023-04-20T15:05:00Z"); // the Cabal of April 20 started at 15:00Z
  const chat = new FakeChat(clock);
  const fetcher = new FakeNotesFetcher();
  const full: CommunityConfig = { displayZones: [], admins: ["U0ADMIN"], meetings: [cabal], ...config };
  const deps: BotDeps = { config: { current: () => full }, store, clock, chat, log: new MemoryLog() };
  return { deps, store, clock, chat, fetcher };
}

function topic(title: string, proposerId: string): NewTopic {
  return {
    meetingId: "cabal",
    occurrenceDate: "2023-04-20",
    title,
    proposerId,
    proposerChat: "slack",
    proposerName: proposerId,
    source: "chat",
    createdAt: new Date("2023-04-01T00:00:00Z"),
  };
}

async function sentReminder(t: ReturnType<typeof setup>, offsetMs: number, messageId: string) {
  const key = { meetingId: "cabal", occurrenceDate: "2023-04-20", offsetMs, room: "slack:C0CABAL" };
  await t.store.claimReminder(key, t.clock.now(), MINUTE);
  await t.store.markReminderSent(key, t.clock.now(), messageId);
}

const titlesOn = async (t: ReturnType<typeof setup>, date: string) =>
  (await t.store.listTopics("cabal", date)).map((x) => x.title);

describe("notes in the last reminder's thread", () => {
  it("answers under the reminder with the smallest offset that went out", async () => {
    const t = setup();
    await sentReminder(t, 60 * MINUTE, "100.000001");
    await sentReminder(t, 10 * MINUTE, "200.000002");
    t.fetcher.script(NOTES_URL, { kind: "found", body: NOTES });
    await pollNotes(t.deps, t.fetcher);
    expect(t.chat.posts.filter((p) => p.kind === "notes").map((p) => p.inThreadOf)).toEqual(["200.000002"]);
  });

  it("posts plainly in the room when no reminder went out", async () => {
    const t = setup();
    t.fetcher.script(NOTES_URL, { kind: "found", body: NOTES });
    await pollNotes(t.deps, t.fetcher);
    const [post] = t.chat.posts.filter((p) => p.kind === "notes");
    expect(post).toBeDefined();
    expect(post?.inThreadOf).toBeUndefined();
  });
});

describe("carry-over", () => {
  it("moves what the notes did not cover to the next occurrence and tells each proposer once", async () => {
    const t = setup();
    await t.store.addTopic(topic("Bug week", "U0ALICE"));
    await t.store.addTopic(topic("Quadlet docs", "U0BOB"));
    await t.store.addTopic(topic("Farm animals", "U0ALICE"));
    t.fetcher.script(NOTES_URL, { kind: "found", body: NOTES });
    await pollNotes(t.deps, t.fetcher);

    expect(await titlesOn(t, "2023-04-20")).toEqual(["Bug week"]);
    expect(await titlesOn(t, "2023-05-18")).toEqual(expect.arrayContaining(["Quadlet docs", "Farm animals"]));
    expect(
      [...t.chat.rollovers]
        .sort((a, b) => a.userId.localeCompare(b.userId))
        .map((r) => [r.userId, r.notice.reason, r.notice.to.date, r.notice.titles]),
    ).toEqual([
      ["U0ALICE", "not-covered", "2023-05-18", ["Farm animals"]],
      ["U0BOB", "not-covered", "2023-05-18", ["Quadlet docs"]],
    ]);

    // Announcing again (by hand) and the next reminder's roll-over neither move "Bug week" nor tell anyone again.
    await announceNotesByHand(t.deps, t.fetcher, { user: slackUser("U0ADMIN"), url: NOTES_URL });
    t.clock.set("2023-05-18T14:00:00Z");
    await rollOverTopics(t.deps, cabal, occurrenceOn(cabal, "2023-05-18") as Occurrence);
    expect(await titlesOn(t, "2023-04-20")).toEqual(["Bug week"]);
    expect(t.chat.rollovers).toHaveLength(2);
  });

  it("tells the proposers after a crash between the move and the notices", async () => {
    const t = setup();
    await t.store.addTopic(topic("Quadlet docs", "U0BOB"));
    // A run that moved the topic and died before telling anyone (nor recording the announcement).
    const [quadlet] = await t.store.listTopics("cabal", "2023-04-20");
    await t.store.carryOverTopics("cabal", "2023-04-20", [quadlet?.id ?? -1], "2023-05-18");
    t.fetcher.script(NOTES_URL, { kind: "found", body: NOTES });
    await pollNotes(t.deps, t.fetcher);
    expect(t.chat.rollovers.map((r) => [r.userId, r.notice.titles])).toEqual([["U0BOB", ["Quadlet docs"]]]);
  });

  it("tells who listens for agenda changes (the App Home) when topics are carried over or imported", async () => {
    const listening = (t: ReturnType<typeof setup>) => {
      const heard: string[] = [];
      const agendaChanges = new AgendaChanges();
      agendaChanges.listen((meetingId) => heard.push(meetingId));
      return { deps: { ...t.deps, agendaChanges }, heard };
    };
    // Unreadable notes: nothing is imported, the one topic is carried over.
    const carried = setup();
    const a = listening(carried);
    await carried.store.addTopic(topic("Quadlet docs", "U0BOB"));
    carried.fetcher.script(NOTES_URL, { kind: "found", body: "\u0000 not notes at all" });
    await pollNotes(a.deps, carried.fetcher);
    expect(a.heard).toEqual(["cabal"]);
    // Readable notes and an empty agenda: nothing is carried over, their possible topics are imported.
    const imported = setup();
    const b = listening(imported);
    imported.fetcher.script(NOTES_URL, { kind: "found", body: NOTES });
    await pollNotes(b.deps, imported.fetcher);
    expect(b.heard.length).toBeGreaterThan(0);
    expect(new Set(b.heard)).toEqual(new Set(["cabal"]));
    // Announcing again changes no agenda, and tells no one.
    const before = b.heard.length;
    await announceNotesByHand(b.deps, imported.fetcher, { user: slackUser("U0ADMIN"), url: NOTES_URL });
    expect(b.heard).toHaveLength(before);
  });

  it("moves every topic when the notes cannot be read", async () => {
    const t = setup();
    await t.store.addTopic(topic("Bug week", "U0ALICE"));
    t.fetcher.script(NOTES_URL, { kind: "found", body: "\u0000 not notes at all" });
    await pollNotes(t.deps, t.fetcher);
    expect(await titlesOn(t, "2023-04-20")).toEqual([]);
    expect(await titlesOn(t, "2023-05-18")).toEqual(["Bug week"]);
  });
});

describe("drift in /cabal next", () => {
  it("carries the zones whose local time moved since the previous occurrence", () => {
    const weekly = testMeeting({ id: "weekly", schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TU" }] });
    const t = setup({ meetings: [weekly], displayZones: ["Europe/Berlin", "America/Los_Angeles"] });
    t.clock.set("2027-03-15T12:00:00Z");
    expect(upcomingMeetings(t.deps)[0]?.drift).toEqual([{ zone: "Europe/Berlin", place: "Berlin", minutes: -60 }]);
    t.clock.set("2027-03-22T12:00:00Z");
    expect(upcomingMeetings(t.deps)[0]?.drift).toBeUndefined();
  });
});
