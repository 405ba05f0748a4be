// Ended meetings and direct questions, through the use cases, on the Podman schedule with a clock set by hand.

import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { addTopic, listAgenda, removeTopic } from "../../../src/app/agenda.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { runCabalCommand } from "../../../src/app/run-command.js";
import { answerQuestion } from "../../../src/app/upcoming-meetings.js";
import { parseConfig } from "../../../src/config.js";
import type { CommunityConfig } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackUser } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

// The shape of config/podman.yml, written out so that the test does not change when the defaults do.
const PODMAN = `
displayZones: [Asia/Tokyo]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    schedule:
      - { rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU", from: "2022-01-01" }
  - id: cabal
    title: Podman Community Cabal
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    schedule:
      - { rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" }
    replacedBy: standup
    endedNote: "The open stand-ups take its place."
  - id: standup
    title: Podman Stand-up
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    durationMinutes: 30
    schedule:
      - { rrule: "FREQ=WEEKLY;BYDAY=MO", from: "2026-05-06", time: "10:00" }
      - { rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-05-06", time: "11:00" }
`;

function setup(now: string, profileZone?: string) {
  const parsed = parseConfig(PODMAN);
  if (!parsed.ok) throw new Error(parsed.errors.join("\n"));
  const config: CommunityConfig = parsed.config;
  const clock = new FixedClock(now);
  const chat = new FakeChat(clock);
  chat.userTimeZone = async () => profileZone;
  const store = new MemoryStore();
  const deps: BotDeps = { config: { current: () => config }, store, clock, chat, log: new MemoryLog() };
  return { deps, store };
}

const alice = { user: slackUser("U0ALICE"), name: "Alice" };
const ask = (deps: BotDeps, text: string) => answerQuestion(deps, { user: slackUser("U0ALICE"), text });
const command = (deps: BotDeps, text: string) =>
  runCabalCommand(deps, { text, user: slackUser("U0ALICE"), userName: "alice", room: slackRoom("C0PODMAN") });

// Thursday 2026-11-26, 09:00 in New York: a stand-up at 11:00 today; the Cabal ended on 2026-05-05.
const THURSDAY_MORNING = "2026-11-26T14:00:00Z";

const CABAL_ENDED = {
  kind: "ended",
  meeting: { id: "cabal" },
  lastOccurrence: { date: "2026-05-05" },
  // The stand-up on Thursday 2026-11-26 at 11:00 EST.
  replacedBy: { meeting: { id: "standup" }, next: { date: "2026-11-26", time: "11:00" } },
  note: "The open stand-ups take its place.",
};

describe("a meeting whose schedule has ended", () => {
  it.each([["cabal next"], ["cabal topic add Podman 6 plans"], ["cabal topic list"], ["cabal topic remove 1"]])(
    "`/cabal %s` answers that the Cabal ended on its last date, replaced by the stand-ups",
    async (text) => {
      const t = setup(THURSDAY_MORNING);
      expect(await command(t.deps, text)).toMatchObject(CABAL_ENDED);
      expect(await t.store.listTopics("cabal", "2026-05-05")).toEqual([]);
    },
  );

  it("is answered as ended by the agenda use cases called directly", async () => {
    const t = setup(THURSDAY_MORNING);
    const request = { meetingId: "cabal" };
    expect(await addTopic(t.deps, { ...request, title: "x", proposer: alice })).toMatchObject(CABAL_ENDED);
    expect(await listAgenda(t.deps, request)).toMatchObject(CABAL_ENDED);
    expect(await removeTopic(t.deps, { ...request, user: alice.user, position: 1 })).toMatchObject(CABAL_ENDED);
  });

  it.each(["when is the next cabal?", "when's cabal", "is there a cabal today?"])(
    "the question %j is answered as ended",
    async (text) => {
      const t = setup(THURSDAY_MORNING);
      expect(await ask(t.deps, text)).toMatchObject(CABAL_ENDED);
    },
  );

  it("is not ended while its last occurrence is still to come", async () => {
    const t = setup("2026-05-04T12:00:00Z");
    expect(await command(t.deps, "cabal next")).toMatchObject({
      kind: "upcoming",
      upcoming: [{ meeting: { id: "cabal" }, occurrence: { date: "2026-05-05" } }],
    });
  });

  it("leaves the help's example to a meeting that still runs", async () => {
    const t = setup(THURSDAY_MORNING);
    const help = await command(t.deps, "help");
    expect(help).toMatchObject({ kind: "help" });
    if (help.kind !== "help") return;
    expect(help.running.map((m) => m.id)).toEqual(["community", "standup"]);
  });

  it("an unprefixed command in the shared channel goes to the soonest running meeting, not the ended one", async () => {
    const t = setup(THURSDAY_MORNING);
    expect(await command(t.deps, "topic add Podman 6 plans")).toMatchObject({
      kind: "added",
      meeting: { id: "standup" },
      occurrence: { date: "2026-11-26" },
    });
  });
});

describe("direct questions", () => {
  it("'when do we meet next?' names the soonest meeting, in the asker's zone", async () => {
    const t = setup(THURSDAY_MORNING, "Europe/Berlin");
    expect(await ask(t.deps, "when do we meet next?")).toMatchObject({
      kind: "next-meeting",
      upcoming: { meeting: { id: "standup" }, occurrence: { date: "2026-11-26", time: "11:00" } },
      askerZone: "Europe/Berlin",
    });
  });

  it.each([
    ["next meeting in Tokyo time", "Asia/Tokyo"],
    ["when is the next meeting in Europe/Berlin?", "Europe/Berlin"],
    ["when's the community meeting in new york time", "America/New_York"],
  ])("%j is answered in the zone asked for (%s)", async (text, zone) => {
    const t = setup(THURSDAY_MORNING, "Europe/Berlin");
    expect(await ask(t.deps, text)).toMatchObject({ kind: "next-meeting", askedZone: zone });
  });

  it("says a meeting is on right now, since when and until when", async () => {
    // 11:10 in New York: the stand-up (11:00, 30 minutes) is on.
    const t = setup("2026-11-26T16:10:00Z");
    const answer = await ask(t.deps, "when is the next meeting?");
    expect(answer).toMatchObject({
      kind: "on-now",
      upcoming: { meeting: { id: "standup" }, occurrence: { date: "2026-11-26" } },
      end: new Date("2026-11-26T16:30:00Z"),
    });
  });

  it("after the meeting is over, names the next one instead", async () => {
    const t = setup("2026-11-26T16:31:00Z");
    expect(await ask(t.deps, "when is the next meeting?")).toMatchObject({
      kind: "next-meeting",
      upcoming: { meeting: { id: "standup" }, occurrence: { date: "2026-11-30", time: "10:00" } },
    });
  });

  it("'is there a meeting today?' says yes with the time, and whether it is over", async () => {
    const morning = setup(THURSDAY_MORNING);
    expect(await ask(morning.deps, "is there a meeting today?")).toMatchObject({
      kind: "today",
      date: "2026-11-26",
      items: [{ meeting: { id: "standup" }, occurrence: { time: "11:00" }, state: "later" }],
    });
    const evening = setup("2026-11-26T22:00:00Z");
    expect(await ask(evening.deps, "is there a meeting today?")).toMatchObject({
      kind: "today",
      items: [{ meeting: { id: "standup" }, state: "over" }],
    });
  });

  it("'is there a meeting today?' says no on a day without one, with the next", async () => {
    // Friday 2026-11-27 in New York.
    const t = setup("2026-11-27T15:00:00Z");
    expect(await ask(t.deps, "is there a meeting today?")).toMatchObject({
      kind: "today",
      date: "2026-11-27",
      items: [],
      next: { meeting: { id: "standup" }, occurrence: { date: "2026-11-30" } },
    });
  });

  it("'today' is the asker's day: Thursday's stand-up fell on Friday 01:00 in Tokyo", async () => {
    // Friday 09:30 in Tokyo, Thursday 19:30 in New York.
    const t = setup("2026-11-27T00:30:00Z", "Asia/Tokyo");
    expect(await ask(t.deps, "is there a meeting today?")).toMatchObject({
      kind: "today",
      date: "2026-11-27",
      zone: "Asia/Tokyo",
      items: [{ meeting: { id: "standup" }, occurrence: { date: "2026-11-26" }, state: "over" }],
    });
  });

  it("'what's the schedule' lists every running meeting's next date and the ended ones", async () => {
    const t = setup(THURSDAY_MORNING);
    expect(await ask(t.deps, "what's the schedule")).toMatchObject({
      kind: "schedule",
      upcoming: [
        { meeting: { id: "standup" }, occurrence: { date: "2026-11-26" } },
        { meeting: { id: "community" }, occurrence: { date: "2026-12-01" } },
      ],
      ended: [{ meeting: { id: "cabal" }, lastOccurrence: { date: "2026-05-05" } }],
    });
  });
});

describe("the asker's profile zone", () => {
  it("is asked of the chat once for a burst of questions, and again only after an hour", async () => {
    const { deps } = setup("2026-05-07T12:00:00Z");
    const clock = deps.clock as FixedClock;
    let lookups = 0;
    let answer: (zone: string) => void = () => {};
    (deps.chat as FakeChat).userTimeZone = () => {
      lookups += 1;
      return new Promise((resolve) => {
        answer = resolve;
      });
    };
    const burst = Array.from({ length: 50 }, () => ask(deps, "when is the next meeting?"));
    await new Promise((resolve) => setImmediate(resolve));
    answer("Asia/Tokyo");
    const answers = await Promise.all(burst);
    expect(lookups).toBe(1);
    expect(answers.every((a) => "askerZone" in a && a.askerZone === "Asia/Tokyo")).toBe(true);
    clock.advance(59 * 60_000);
    await ask(deps, "when is the next meeting?");
    expect(lookups).toBe(1);
    clock.advance(60_000);
    const later = ask(deps, "when is the next meeting?");
    await new Promise((resolve) => setImmediate(resolve));
    answer("Asia/Tokyo");
    await later;
    expect(lookups).toBe(2);
  });
});
