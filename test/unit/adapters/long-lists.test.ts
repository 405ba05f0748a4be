// Long agendas and schedules, rendered for Slack and Matrix: every reply stays within what the chat accepts
// (Slack: 50 blocks, 3,000 characters a section, 4,000 of fallback text; Matrix: an event under 64 KiB), says how
// many more there are and the command for the next page, and `topic list 2` / `next 2` give that page.
import { describe, expect, it } from "vitest";
import {
  renderMatrixOutcome,
  renderMatrixReminder,
  renderMatrixRollover,
} from "../../../src/adapters/matrix/render.js";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { renderReminder, type SlackMessage } from "../../../src/adapters/slack/render.js";
import { renderCommandOutcome } from "../../../src/adapters/slack/render-outcome.js";
import type { BotDeps } from "../../../src/app/deps.js";
import type { NewTopic, Topic } from "../../../src/app/ports.js";
import { type CommandOutcome, runCabalCommand } from "../../../src/app/run-command.js";
import { nextOccurrence } from "../../../src/domain/calendar.js";
import type { CommunityConfig, Meeting, Occurrence } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const NOW = "2026-11-26T12:00:00Z";
const ZONES = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo"];
/** The longest title a person may propose, every character one Slack escapes into five. */
const WORST_TITLE = "&".repeat(300);
const WORST_NAME = `<@U0BOSS> ${"&".repeat(70)}`;

function setup(meetings: Meeting[]) {
  const config: CommunityConfig = { displayZones: ZONES, admins: [], meetings };
  const clock = new FixedClock(NOW);
  const store = new MemoryStore();
  const deps: BotDeps = {
    config: { current: () => config },
    store,
    clock,
    chat: new FakeChat(clock),
    log: new MemoryLog(),
    publicUrl: "https://cabal.example.org",
  };
  return { deps, store, config };
}

async function fillAgenda(store: MemoryStore, meeting: Meeting, count: number, title = (i: number) => `Topic ${i}`) {
  const occurrence = nextOccurrence(meeting, new Date(NOW)) as Occurrence;
  for (let i = 1; i <= count; i++) {
    const topic: NewTopic = {
      meetingId: meeting.id,
      occurrenceDate: occurrence.date,
      title: title(i),
      proposerId: "U0ALICE",
      proposerChat: "slack",
      proposerName: WORST_NAME,
      source: "chat",
      createdAt: new Date(NOW),
    };
    await store.addTopic(topic);
  }
  return occurrence;
}

const command = (deps: BotDeps, text: string) =>
  runCabalCommand(deps, { text, user: slackUser("U0ALICE"), userName: "alice", room: slackRoom("C0CABAL") });

function expectWithinSlackLimits(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(50);
  for (const block of message.blocks) {
    const texts =
      block.type === "section"
        ? [block.text?.text ?? ""]
        : block.type === "context"
          ? block.elements.map((e) => ("text" in e ? e.text : ""))
          : [];
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(3000);
  }
  expect(message.text.length).toBeLessThanOrEqual(4000);
}

function expectWithinMatrixLimits(message: { text: string; html: unknown }): void {
  const event = JSON.stringify({
    msgtype: "m.notice",
    body: message.text,
    format: "org.matrix.custom.html",
    formatted_body: String(message.html),
  });
  expect(Buffer.byteLength(event)).toBeLessThan(60_000);
}

const lastBlockText = (message: SlackMessage): string => {
  const last = message.blocks.at(-1);
  return last?.type === "context" ? last.elements.map((e) => ("text" in e ? e.text : "")).join("") : "";
};

describe("topic list of a long agenda", () => {
  it("shows 25 topics within Slack's limits, however long each is, and the command for the next page", async () => {
    const cabal = testMeeting({ channel: "C0CABAL" });
    const { deps, store, config } = setup([cabal]);
    await fillAgenda(store, cabal, 10_000, () => WORST_TITLE);
    const outcome = await command(deps, "topic list");
    expect(outcome).toMatchObject({ kind: "agenda", page: { number: 1, count: 400, total: 10_000 } });
    const message = renderCommandOutcome(outcome, config.displayZones);
    expectWithinSlackLimits(message);
    expect(lastBlockText(message)).toBe("Topics 1–25 of 10000. 9975 more: `/cabal cabal topic list 2`");
    expect(message.text).toContain("/cabal cabal topic list 2");
    expectWithinMatrixLimits(renderMatrixOutcome(outcome, config.displayZones));
    expect(renderMatrixOutcome(outcome, config.displayZones).text).toContain(
      "Topics 1–25 of 10000. 9975 more: !cabal cabal topic list 2",
    );
  });

  it("gives page 2 as topics 26 to 50, numbered as in the whole agenda, by `topic list 2` or `topic list page 2`", async () => {
    const cabal = testMeeting({ channel: "C0CABAL" });
    const { deps, store, config } = setup([cabal]);
    await fillAgenda(store, cabal, 60);
    for (const text of ["topic list 2", "cabal topic list page 2", "agenda 2"]) {
      const outcome = await command(deps, text);
      if (outcome.kind !== "agenda") throw new Error(`${text}: ${outcome.kind}`);
      expect(outcome.topics.map((t) => t.title)).toEqual(Array.from({ length: 25 }, (_, i) => `Topic ${26 + i}`));
      const message = renderCommandOutcome(outcome, config.displayZones);
      const sections = message.blocks.map((b) => (b.type === "section" ? (b.text?.text ?? "") : "")).join("\n");
      expect(sections).toContain("\n26. Topic 26 - ");
      expect(sections).toContain("\n50. Topic 50 - ");
      expect(message.text).toContain("\n26. Topic 26 - ");
      expect(lastBlockText(message)).toBe("Topics 26–50 of 60. 10 more: `/cabal cabal topic list 3`");
    }
    const last = await command(deps, "topic list 3");
    expect(renderCommandOutcome(last, config.displayZones).text).toContain("Topics 51–60 of 60. The first page:");
  });

  it("answers a page past the end with the last page, and a short agenda with no page line", async () => {
    const cabal = testMeeting({ channel: "C0CABAL" });
    const { deps, store, config } = setup([cabal]);
    await fillAgenda(store, cabal, 30);
    const outcome = await command(deps, "topic list 99");
    expect(outcome).toMatchObject({ kind: "agenda", page: { number: 2, count: 2, offset: 25 } });
    if (outcome.kind === "agenda") expect(outcome.topics).toHaveLength(5);
    await store.removeTopic(30);
    const short = setup([cabal]);
    await fillAgenda(short.store, cabal, 3);
    const message = renderCommandOutcome(await command(short.deps, "topic list"), config.displayZones);
    expect(message.text).not.toMatch(/more:|page/);
  });

  it("removes topic 9,999 of 10,000 by its number, reading only that topic", async () => {
    const cabal = testMeeting({ channel: "C0CABAL" });
    const { deps, store } = setup([cabal]);
    await fillAgenda(store, cabal, 10_000);
    const removed = await command(deps, "topic remove 9999");
    expect(removed).toMatchObject({ kind: "removed", position: 9999, topic: { title: "Topic 9999" } });
  });
});

describe("next with many meetings", () => {
  const meetings = Array.from({ length: 1_000 }, (_, i) =>
    testMeeting({
      id: `m${i}`,
      title: `Meeting ${i} ${"&".repeat(200)}`,
      channel: `C${String(i).padStart(8, "0")}`,
      timezone: ["America/New_York", "Europe/Berlin", "Asia/Kolkata"][i % 3] as string,
      schedule: [{ rrule: `FREQ=WEEKLY;BYDAY=${["MO", "TU", "WE", "TH", "FR"][i % 5]}`, from: "2026-01-01" }],
    }),
  );

  it("lists 20 meetings within Slack's and Matrix's limits, with the command for the next 20", async () => {
    const { deps, config } = setup(meetings);
    const outcome = await command(deps, "next");
    expect(outcome).toMatchObject({ kind: "upcoming", page: { number: 1, count: 50, total: 1_000 } });
    const message = renderCommandOutcome(outcome, config.displayZones);
    expectWithinSlackLimits(message);
    expect(lastBlockText(message)).toBe("Meetings 1–20 of 1000. 980 more: `/cabal next 2`");
    expectWithinMatrixLimits(renderMatrixOutcome(outcome, config.displayZones));
  });

  it("gives the soonest 21st to 40th on `next 2`", async () => {
    const { deps } = setup(meetings);
    const first = (await command(deps, "next")) as Extract<CommandOutcome, { kind: "upcoming" }>;
    const second = (await command(deps, "next page 2")) as Extract<CommandOutcome, { kind: "upcoming" }>;
    expect(second.page).toMatchObject({ number: 2, offset: 20 });
    const lastOfFirst = first.upcoming.at(-1)?.occurrence.start.getTime() ?? 0;
    expect(second.upcoming).toHaveLength(20);
    expect(second.upcoming.every((u) => u.occurrence.start.getTime() >= lastOfFirst)).toBe(true);
    const firstIds = new Set(first.upcoming.map((u) => u.meeting.id));
    expect(second.upcoming.some((u) => firstIds.has(u.meeting.id))).toBe(false);
  });
});

describe("the remembered list of next meetings", () => {
  it("moves on when the soonest starts, and follows a reloaded configuration", async () => {
    const weekly = (id: string, day: string) =>
      testMeeting({ id, channel: `C0${id.toUpperCase()}`, schedule: [{ rrule: `FREQ=WEEKLY;BYDAY=${day}` }] });
    let config: CommunityConfig = {
      displayZones: ZONES,
      admins: [],
      meetings: [weekly("mon", "MO"), weekly("tue", "TU")],
    };
    const clock = new FixedClock("2026-11-26T12:00:00Z"); // a Thursday
    const deps: BotDeps = {
      config: { current: () => config },
      store: new MemoryStore(),
      clock,
      chat: new FakeChat(clock),
      log: new MemoryLog(),
    };
    const order = async () => {
      const outcome = await command(deps, "next");
      return outcome.kind === "upcoming" ? outcome.upcoming.map((u) => `${u.meeting.id} ${u.occurrence.date}`) : [];
    };
    expect(await order()).toEqual(["mon 2026-11-30", "tue 2026-12-01"]);
    clock.set("2026-11-30T16:30:00Z"); // Monday's has started
    expect(await order()).toEqual(["tue 2026-12-01", "mon 2026-12-07"]);
    clock.set("2026-11-26T12:00:00Z"); // the clock set back
    expect(await order()).toEqual(["mon 2026-11-30", "tue 2026-12-01"]);
    config = { ...config, meetings: [weekly("wed", "WE")] };
    expect(await order()).toEqual(["wed 2026-12-02"]);
  });
});

describe("a reminder of a long agenda", () => {
  const cabal = testMeeting({ channel: "C0CABAL", joinUrl: "https://meet.example.org/cabal" });
  const occurrence = nextOccurrence(cabal, new Date(NOW)) as Occurrence;
  const topics: Topic[] = Array.from({ length: 10_000 }, (_, i) => ({
    id: i + 1,
    meetingId: "cabal",
    occurrenceDate: occurrence.date,
    title: i % 2 ? WORST_TITLE : `Topic ${i + 1}`,
    proposerId: "U0ALICE",
    proposerChat: "slack",
    proposerName: WORST_NAME,
    source: "chat",
    createdAt: new Date(NOW),
  }));
  const view = { meeting: cabal, occurrence, leadMs: 3_600_000, late: false, topics, displayZones: ZONES };

  it("posts to Slack what fits, and says how many more and where to see them", () => {
    const message = renderReminder(view);
    expectWithinSlackLimits(message);
    const more = message.blocks
      .flatMap((b) => (b.type === "context" ? b.elements.map((e) => ("text" in e ? e.text : "")) : []))
      .find((text) => text.includes("more:"));
    expect(more).toMatch(/^Topics 1–\d+ of 10000\. \d+ more: `\/cabal cabal topic list \d+`$/);
  });

  it("tells a proposer of 500 moved topics on Matrix in one bounded message", () => {
    const message = renderMatrixRollover({
      meeting: cabal,
      fromDate: "2026-11-19",
      reason: "past",
      to: occurrence,
      titles: Array.from({ length: 500 }, () => WORST_TITLE),
    });
    expectWithinMatrixLimits(message);
    expect(message.text).toMatch(/…and 450 more\.$/);
  });

  it("posts to Matrix the first 25 and the command for the rest", () => {
    const message = renderMatrixReminder(view);
    expectWithinMatrixLimits(message);
    expect(message.text).toContain("25. Topic 25 - ");
    expect(message.text).not.toContain("26. ");
    expect(message.text).toContain("Topics 1–25 of 10000. 9975 more: !cabal cabal topic list 2");
  });
});
