// Agenda use cases on the memory store, with a clock moved by hand.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { addTopic, listAgenda, removeTopic } from "../../../src/app/agenda.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { runCabalCommand } from "../../../src/app/run-command.js";
import { sendDueNotices } from "../../../src/app/send-notices.js";
import { answerQuestion } from "../../../src/app/upcoming-meetings.js";
import type { CommunityConfig, Meeting } from "../../../src/domain/meeting.js";
import { describeRefusal } from "../../../src/domain/refusal.js";
import { plainWording } from "../../../src/domain/wording.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackRooms, slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const meeting = (overrides: Partial<Meeting> & { channel?: string }): Meeting =>
  testMeeting({
    id: "community",
    title: "Podman Community Meeting",
    channel: "C0COMMUNITY",
    schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU" }],
    ...overrides,
  });

const community = meeting({});
const cabal = meeting({
  id: "cabal",
  title: "Podman Community Cabal",
  channel: "C0CABAL",
  schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=3TH" }],
});

function setup(now: string, meetings: Meeting[] = [community, cabal], admins: string[] = ["U0ADMIN"]) {
  let config: CommunityConfig = { displayZones: ["Asia/Tokyo"], admins, meetings };
  const clock = new FixedClock(now);
  const chat = new FakeChat(clock);
  const store = new MemoryStore();
  const deps: BotDeps = { config: { current: () => config }, store, clock, chat, log: new MemoryLog() };
  return {
    deps,
    clock,
    chat,
    store,
    reconfigure(next: Partial<CommunityConfig>) {
      config = { ...config, ...next };
    },
  };
}

const alice = { user: slackUser("U0ALICE"), name: "Alice" };
const bob = { user: slackUser("U0BOB"), name: "Bob" };

describe("adding topics", () => {
  it("goes to the next occurrence of the channel's meeting and records the proposer", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    const added = await addTopic(t.deps, { room: slackRoom("C0CABAL"), title: " containersh ", proposer: alice });
    expect(added).toMatchObject({
      kind: "added",
      position: 1,
      meeting: { id: "cabal" },
      occurrence: { date: "2026-12-17" },
    });
    expect(await t.store.listTopics("cabal", "2026-12-17")).toMatchObject([
      { title: "containersh", proposerId: "U0ALICE", proposerChat: "slack", proposerName: "Alice", source: "chat" },
    ]);
  });

  it("falls back to the first configured meeting in another channel, and follows an explicit id", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    expect(await addTopic(t.deps, { room: slackRoom("C0ELSEWHERE"), title: "a", proposer: alice })).toMatchObject({
      meeting: { id: "community" },
      occurrence: { date: "2026-12-01" },
    });
    expect(
      await addTopic(t.deps, { room: slackRoom("C0COMMUNITY"), meetingId: "cabal", title: "b", proposer: alice }),
    ).toMatchObject({
      meeting: { id: "cabal" },
    });
    const unknown = await addTopic(t.deps, { meetingId: "nope", title: "c", proposer: alice });
    expect(unknown).toMatchObject({ kind: "rejected", reason: { code: "no-such-meeting", meetingId: "nope" } });
    expect(unknown.kind === "rejected" && describeRefusal(unknown.reason, plainWording("/cabal"))).toContain(
      'There is no meeting "nope"',
    );
  });

  it("picks the soonest meeting when several share the channel", async () => {
    const shared = [community, { ...cabal, rooms: slackRooms("C0COMMUNITY") }];
    const t = setup("2026-12-02T12:00:00Z", shared);
    const added = await addTopic(t.deps, { room: slackRoom("C0COMMUNITY"), title: "x", proposer: alice });
    expect(added).toMatchObject({ meeting: { id: "cabal" }, occurrence: { date: "2026-12-17" } });
  });

  it("refuses bad titles and stores nothing", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    for (const title of ["", "   ", "x".repeat(301)]) {
      expect((await addTopic(t.deps, { title, proposer: alice })).kind).toBe("rejected");
    }
    expect(await t.store.listTopics("community", "2026-12-01")).toEqual([]);
  });

  it("answers a meeting whose schedule has ended as ended, with its last date, and adds nothing", async () => {
    const ended = meeting({ schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU", until: "2026-05-05" }] });
    const t = setup("2026-11-26T12:00:00Z", [ended]);
    expect(await addTopic(t.deps, { title: "late", proposer: alice })).toMatchObject({
      kind: "ended",
      meeting: { id: "community" },
      lastOccurrence: { date: "2026-05-05" },
    });
    expect(await t.store.listTopics("community", "2026-05-05")).toEqual([]);
  });
});

describe("roll-over", () => {
  it("moves topics of a finished occurrence to the next one and tells each proposer once", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    await addTopic(t.deps, { title: "first", proposer: alice });
    await addTopic(t.deps, { title: "second", proposer: bob });
    await addTopic(t.deps, { title: "third", proposer: alice });
    // During the meeting of 2026-12-01 (11:00–12:00 EST) its topics stay where they are.
    t.clock.set("2026-12-01T16:30:00Z");
    await listAgenda(t.deps, {});
    await sendDueNotices(t.deps);
    expect(await t.store.listTopics("community", "2026-12-01")).toHaveLength(3);
    expect(t.chat.rollovers).toEqual([]);
    // Once it is over they move to 2027-01-05, in order, and each proposer hears about their own.
    t.clock.set("2026-12-01T17:00:00Z");
    const agenda = await listAgenda(t.deps, {});
    expect(agenda).toMatchObject({ kind: "agenda", occurrence: { date: "2027-01-05" } });
    expect(agenda.kind === "agenda" && agenda.topics.map((topic) => topic.title)).toEqual(["first", "second", "third"]);
    // The notices wait in the outbox for the scheduler's notices job.
    expect(t.chat.rollovers).toEqual([]);
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers.map((r) => [r.userId, r.notice.reason, r.notice.titles])).toEqual([
      ["U0ALICE", "past", ["first", "third"]],
      ["U0BOB", "past", ["second"]],
    ]);
    await listAgenda(t.deps, {});
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers).toHaveLength(2);
  });

  it("moves topics of an occurrence that was cancelled", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    await addTopic(t.deps, { title: "for december", proposer: alice });
    t.reconfigure({ meetings: [{ ...community, skip: ["2026-12-01"] }, cabal] });
    const agenda = await listAgenda(t.deps, {});
    expect(agenda).toMatchObject({ occurrence: { date: "2027-01-05" }, topics: [{ title: "for december" }] });
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers).toMatchObject([
      { userId: "U0ALICE", notice: { reason: "cancelled", fromDate: "2026-12-01" } },
    ]);
  });
});

describe("removing topics", () => {
  it("lets the proposer and admins remove, and refuses anyone else without changing anything", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    await addTopic(t.deps, { title: "alice's", proposer: alice });
    await addTopic(t.deps, { title: "bob's", proposer: bob });
    const refused = await removeTopic(t.deps, { user: slackUser("U0BOB"), position: 1 });
    expect(refused).toEqual({ kind: "rejected", reason: { code: "not-allowed", position: 1 } });
    expect(refused.kind === "rejected" && describeRefusal(refused.reason, plainWording("/cabal"))).toBe(
      "Only the person who proposed topic 1 or an admin can remove it.",
    );
    const missing = await removeTopic(t.deps, { user: slackUser("U0ALICE"), position: 3 });
    expect(missing.kind === "rejected" && describeRefusal(missing.reason, plainWording("/cabal"))).toBe(
      "There is no topic 3; the agenda has 2 topics. See /cabal topic list.",
    );
    expect(await t.store.listTopics("community", "2026-12-01")).toHaveLength(2);
    expect(await removeTopic(t.deps, { user: slackUser("U0ALICE"), position: 1 })).toMatchObject({
      kind: "removed",
      topic: { title: "alice's" },
    });
    expect(await removeTopic(t.deps, { user: slackUser("U0ADMIN"), position: 1 })).toMatchObject({
      kind: "removed",
      topic: { title: "bob's" },
    });
    expect(await t.store.listTopics("community", "2026-12-01")).toEqual([]);
  });
});

describe("commands and questions", () => {
  it("runs a typed command end to end", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    const request = { user: slackUser("U0ALICE"), userName: "alice", room: slackRoom("C0CABAL") };
    expect(await runCabalCommand(t.deps, { ...request, text: "topic add containersh" })).toMatchObject({
      kind: "added",
    });
    expect(await runCabalCommand(t.deps, { ...request, text: "next" })).toMatchObject({
      kind: "upcoming",
      upcoming: [{ meeting: { id: "community" } }, { meeting: { id: "cabal" } }],
    });
    expect(await runCabalCommand(t.deps, { ...request, text: "bogus" })).toMatchObject({
      kind: "help",
      problem: { code: "unknown-command", typed: "bogus" },
    });
    expect(await runCabalCommand(t.deps, { ...request, text: "notes https://x.org/n" })).toMatchObject({
      kind: "rejected",
    });
  });

  it("answers in the asker's zone, caching it for a day", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    let lookups = 0;
    t.chat.userTimeZone = async () => {
      lookups += 1;
      return "Asia/Kolkata";
    };
    const answer = await answerQuestion(t.deps, { user: slackUser("U0ALICE"), text: "when's cabal?" });
    expect(answer).toMatchObject({
      kind: "next-meeting",
      askerZone: "Asia/Kolkata",
      upcoming: { occurrence: { date: "2026-12-17" } },
    });
    await answerQuestion(t.deps, { user: slackUser("U0ALICE"), text: "when is the next meeting?" });
    expect(lookups).toBe(1);
    t.clock.advance(25 * 3_600_000);
    await answerQuestion(t.deps, { user: slackUser("U0ALICE"), text: "when is the next meeting?" });
    expect(lookups).toBe(2);
    expect(await answerQuestion(t.deps, { user: slackUser("U0ALICE"), text: "hi" })).toEqual({
      kind: "not-understood",
    });
  });

  it("answers without the asker's zone when their profile's zone is unknown to the zone database", async () => {
    const t = setup("2026-11-26T12:00:00Z");
    t.chat.userTimeZone = async () => "Mars/Olympus_Mons";
    const answer = await answerQuestion(t.deps, { user: slackUser("U0ALICE"), text: "when is the next meeting?" });
    expect(answer).toMatchObject({ kind: "next-meeting", askerZone: undefined });
  });
});
