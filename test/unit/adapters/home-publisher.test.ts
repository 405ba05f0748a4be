// Refreshing App Homes when an agenda changes: only people who looked recently, at most a bounded number of them,
// and a burst of changes costs one extra round, not one per change.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { HomePublisher, type ViewsPublisher } from "../../../src/adapters/slack/home-publisher.js";
import { addTopic } from "../../../src/app/agenda.js";
import { AgendaChanges } from "../../../src/app/agenda-changes.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { noMetrics } from "../../../src/app/ports.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

type PublishArgs = Parameters<ViewsPublisher["views"]["publish"]>[0];

/** Records each views.publish; while `gate` is set, each publish waits for it. */
class RecordingViews implements ViewsPublisher {
  readonly published: PublishArgs[] = [];
  gate: Promise<void> | undefined;
  views = {
    publish: async (args: PublishArgs) => {
      await this.gate;
      this.published.push(args);
      return { ok: true };
    },
  };
  users(): string[] {
    return this.published.map((p) => p.user_id);
  }
}

function setup(limits = { maxViewers: 3, recentMs: 60_000 }) {
  const clock = new FixedClock("2026-11-26T12:00:00Z");
  const agendaChanges = new AgendaChanges();
  const deps: BotDeps = {
    config: { current: () => ({ displayZones: [], admins: [], meetings: [testMeeting()] }) },
    store: new MemoryStore(),
    clock,
    chat: new FakeChat(clock),
    log: new MemoryLog(),
    agendaChanges,
  };
  const client = new RecordingViews();
  const publisher = new HomePublisher(client, deps, limits);
  agendaChanges.listen(() => publisher.agendaChanged());
  const add = (title: string) =>
    addTopic(deps, { meetingId: "cabal", title, proposer: { user: slackUser("U0ALICE"), name: "alice" } });
  return { clock, client, publisher, add, deps };
}

describe("HomePublisher", () => {
  it("republishes, after a topic is added, the Home of everyone who looked recently, and no one else", async () => {
    const t = setup();
    t.publisher.noteViewer("U0OLD");
    t.clock.advance(61_000);
    t.publisher.noteViewer("U0ALICE");
    t.publisher.noteViewer("U0BOB");
    await t.add("rootless networking");
    await t.publisher.settled();
    expect(t.client.users().sort()).toEqual(["U0ALICE", "U0BOB"]);
    const published = JSON.stringify(t.client.published[0]?.view);
    expect(published).toContain("rootless networking");
  });

  it("remembers at most maxViewers people, the most recent", async () => {
    const t = setup();
    for (const id of ["U01", "U02", "U03", "U04", "U05"]) t.publisher.noteViewer(id);
    t.publisher.noteViewer("U02"); // looked again: now the most recent
    expect(t.publisher.recentViewers()).toEqual(["U04", "U05", "U02"]);
  });

  it("covers a burst of changes during a round with one more round, not one per change", async () => {
    const t = setup();
    t.publisher.noteViewer("U0ALICE");
    t.publisher.noteViewer("U0BOB");
    let release: () => void = () => {};
    t.client.gate = new Promise((resolve) => {
      release = resolve;
    });
    await t.add("one");
    await t.add("two");
    await t.add("three");
    release();
    await t.publisher.settled();
    expect(t.client.users()).toEqual(["U0ALICE", "U0BOB", "U0ALICE", "U0BOB"]);
    // The last round shows every topic.
    for (const title of ["one", "two", "three"]) expect(JSON.stringify(t.client.published.at(-1))).toContain(title);
  });

  it("counts and logs a refused publish instead of throwing, and publishes again on the next open", async () => {
    const t = setup();
    const failed: string[] = [];
    const log = new MemoryLog();
    const deps: BotDeps = {
      ...t.deps,
      log,
      metrics: { ...noMetrics, chatError: (method) => failed.push(method) },
    };
    let refuse = true;
    const client: ViewsPublisher = {
      views: {
        publish: async (args: PublishArgs) => {
          if (refuse) throw new Error("An API error occurred: invalid_arguments");
          t.client.published.push(args);
          return { ok: true };
        },
      },
    };
    const publisher = new HomePublisher(client, deps);
    await publisher.publishFor("U0ALICE");
    expect(failed).toEqual(["views.publish"]);
    expect(log.messages("warn")).toEqual(["could not publish the App Home"]);
    refuse = false;
    await publisher.publishFor("U0ALICE");
    expect(t.client.users()).toEqual(["U0ALICE"]);
  });

  it("publishes nothing when no one looked recently", async () => {
    const t = setup();
    await t.add("unseen");
    await t.publisher.settled();
    expect(t.client.published).toEqual([]);
  });
});
