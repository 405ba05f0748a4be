// The App Home's use cases on the memory store, with a fixed clock: what a person's page holds, the topic form,
// proposing through the agenda's rules, and (un)subscribing from the page.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { addTopic, listAgenda, removeTopic } from "../../../src/app/agenda.js";
import { AgendaChanges } from "../../../src/app/agenda-changes.js";
import type { BotDeps } from "../../../src/app/deps.js";
import {
  buildHome,
  type HomeView,
  proposeTopic,
  readHomeAgendas,
  setHomeSubscription,
  topicForm,
} from "../../../src/app/home.js";
import { type ChatUser, type NewTopic, StoreUnavailableError, type Topic } from "../../../src/app/ports.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

/** A chat whose profiles carry a zone for some people. */
class ZonedChat extends FakeChat {
  readonly zones = new Map<string, string>();
  override async userTimeZone(user: ChatUser): Promise<string | undefined> {
    return this.zones.get(user.id);
  }
}

/** The memory store, unreachable from a chosen moment on (a database restarting). */
class FlakyStore extends MemoryStore {
  down = false;
  override async listTopics(meetingId: string, date: string): Promise<Topic[]> {
    if (this.down) throw new StoreUnavailableError("connection refused");
    return super.listTopics(meetingId, date);
  }
  override async listTopicPage(
    meetingId: string,
    date: string,
    offset: number,
    limit: number,
  ): Promise<{ topics: Topic[]; total: number }> {
    if (this.down) throw new StoreUnavailableError("connection refused");
    return super.listTopicPage(meetingId, date, offset, limit);
  }
  override async appendTopic(topic: NewTopic): Promise<{ topic: Topic; position: number }> {
    if (this.down) throw new StoreUnavailableError("connection refused");
    return super.appendTopic(topic);
  }
}

const community = testMeeting({
  id: "community",
  title: "Podman Community Meeting",
  channel: "C0COMMUNITY",
  schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU" }],
});
const cabal = testMeeting({ id: "cabal", title: "Podman Community Cabal", channel: "C0CABAL" });
const ended = testMeeting({ id: "old", title: "Old Meeting", schedule: [], dates: ["2020-01-07T11:00"] });

const alice = slackUser("U0ALICE");
const bob = slackUser("U0BOB");

// Thursday, November 26, 2026: the next Community Meeting is Tuesday, December 1; the next Cabal Thursday, December 17.
function setup(meetings: Meeting[] = [cabal, community, ended]) {
  const clock = new FixedClock("2026-11-26T12:00:00Z");
  const chat = new ZonedChat(clock);
  const store = new FlakyStore();
  const agendaChanges = new AgendaChanges();
  const changed: string[] = [];
  agendaChanges.listen((meetingId) => changed.push(meetingId));
  const deps: BotDeps = {
    config: { current: () => ({ displayZones: ["Asia/Tokyo"], admins: [], meetings }) },
    store,
    clock,
    chat,
    log: new MemoryLog(),
    agendaChanges,
  };
  return { deps, clock, chat, store, changed };
}

function page(view: HomeView) {
  if (view.kind !== "home") throw new Error(`expected a page, got ${view.kind}`);
  return view;
}

describe("a person's home page", () => {
  it("lists the upcoming meetings soonest first, in the viewer's profile zone, with their own topics marked", async () => {
    const t = setup();
    t.chat.zones.set("U0ALICE", "Asia/Tokyo");
    await addTopic(t.deps, { meetingId: "cabal", title: "rootless networking", proposer: { user: bob, name: "Bob" } });
    await addTopic(t.deps, { meetingId: "cabal", title: "Podman 6 plan", proposer: { user: alice, name: "Alice" } });
    const home = page(await buildHome(t.deps, alice));
    expect(home.viewerZone).toBe("Asia/Tokyo");
    expect(home.meetings.map((m) => [m.meeting.id, m.occurrence.date])).toEqual([
      ["community", "2026-12-01"],
      ["cabal", "2026-12-17"],
    ]);
    expect(home.meetings[1]?.topics).toEqual([
      { position: 1, title: "rootless networking", proposerName: "Bob", mine: false },
      { position: 2, title: "Podman 6 plan", proposerName: "Alice", mine: true },
    ]);
    // Bob's page marks Bob's topic, not Alice's.
    const bobs = page(await buildHome(t.deps, bob));
    expect(bobs.meetings[1]?.topics.map((topic) => topic.mine)).toEqual([true, false]);
    expect(bobs.viewerZone).toBeUndefined();
  });

  it("prefers the zone the viewer chose over their profile's", async () => {
    const t = setup();
    t.chat.zones.set("U0ALICE", "Asia/Tokyo");
    await t.store.saveUserZone("U0ALICE", "Europe/Berlin", t.clock.now(), "chosen");
    expect(page(await buildHome(t.deps, alice)).viewerZone).toBe("Europe/Berlin");
  });

  it("marks a topic as the viewer's only on the same chat", async () => {
    const t = setup();
    const sameIdElsewhere = { chat: "matrix", id: "U0ALICE" };
    await addTopic(t.deps, {
      meetingId: "cabal",
      title: "from Matrix",
      proposer: { user: sameIdElsewhere, name: "A" },
    });
    expect(page(await buildHome(t.deps, alice)).meetings[1]?.topics[0]?.mine).toBe(false);
  });

  it("shows the agenda `topic list` shows, topics of a past date rolled onto the next one", async () => {
    const t = setup();
    t.clock.set("2026-12-10T12:00:00Z");
    await addTopic(t.deps, { meetingId: "cabal", title: "left over", proposer: { user: bob, name: "Bob" } });
    t.clock.set("2026-12-18T12:00:00Z"); // after the Cabal of December 17
    const home = page(await buildHome(t.deps, alice));
    const shown = home.meetings.find((m) => m.meeting.id === "cabal");
    const listed = await listAgenda(t.deps, { meetingId: "cabal" });
    expect(shown?.occurrence.date).toBe("2027-01-21");
    expect(listed.kind === "agenda" && listed.topics.map((topic) => topic.title)).toEqual(["left over"]);
    expect(shown?.topics.map((topic) => topic.title)).toEqual(["left over"]);
  });

  it("leaves out ended meetings and counts the upcoming ones beyond the page's limit", async () => {
    const t = setup();
    const read = await readHomeAgendas(t.deps, 1);
    expect(read.agendas.map((a) => a.meeting.id)).toEqual(["community"]);
    expect(read.moreMeetings).toBe(1);
    const all = await readHomeAgendas(t.deps);
    expect(all.agendas.map((a) => a.meeting.id)).toEqual(["community", "cabal"]);
    expect(all.moreMeetings).toBe(0);
  });

  it("says whether the viewer gets each meeting's reminders, and the buttons change it", async () => {
    const t = setup();
    const subscribedTo = async () =>
      page(await buildHome(t.deps, alice))
        .meetings.filter((m) => m.subscribed)
        .map((m) => m.meeting.id);
    expect(await subscribedTo()).toEqual([]);
    expect(await setHomeSubscription(t.deps, alice, "cabal", true)).toMatchObject({ kind: "subscribed" });
    expect(await subscribedTo()).toEqual(["cabal"]);
    expect(page(await buildHome(t.deps, bob)).meetings.some((m) => m.subscribed)).toBe(false);
    expect(await setHomeSubscription(t.deps, alice, "cabal", false)).toMatchObject({ kind: "unsubscribed" });
    expect(await subscribedTo()).toEqual([]);
  });

  it("refuses to subscribe to an ended meeting", async () => {
    const t = setup();
    expect(await setHomeSubscription(t.deps, alice, "old", true)).toMatchObject({ kind: "ended" });
    expect(await t.store.subscriptionsOf(alice)).toEqual([]);
  });

  it("says the database is unavailable instead of showing empty agendas", async () => {
    const t = setup();
    t.store.down = true;
    expect(await buildHome(t.deps, alice)).toEqual({
      kind: "home-unavailable",
      reason: { code: "storage-unavailable", kind: "unreachable" },
    });
  });
});

describe("the topic form and proposing from it", () => {
  it("offers the upcoming meetings, soonest first, preselecting the one asked for when it is upcoming", () => {
    const t = setup();
    const form = topicForm(t.deps, "cabal");
    expect(form.choices.map((c) => [c.meeting.id, c.occurrence.date])).toEqual([
      ["community", "2026-12-01"],
      ["cabal", "2026-12-17"],
    ]);
    expect(form.selected).toBe("cabal");
    expect(topicForm(t.deps, "old").selected).toBeUndefined();
    expect(topicForm(t.deps).selected).toBeUndefined();
  });

  it("adds a topic through the agenda's rules and tells who listens that the agenda changed", async () => {
    const t = setup();
    const added = await proposeTopic(t.deps, {
      meetingId: "cabal",
      title: "  Quadlet\tsupport  ",
      proposer: { user: alice, name: "alice" },
    });
    expect(added).toMatchObject({ kind: "added", position: 1, topic: { title: "Quadlet support" } });
    expect(t.changed).toEqual(["cabal"]);
    expect((await t.store.listTopics("cabal", "2026-12-17")).map((topic) => topic.proposerId)).toEqual(["U0ALICE"]);
    // Removing it (with `/cabal topic remove`) is a change too; a refused removal is not.
    await removeTopic(t.deps, { meetingId: "cabal", user: bob, position: 1 });
    expect(t.changed).toEqual(["cabal"]);
    await removeTopic(t.deps, { meetingId: "cabal", user: alice, position: 1 });
    expect(t.changed).toEqual(["cabal", "cabal"]);
  });

  it("refuses an empty or over-long title, an unknown or ended meeting, saving nothing and telling no one", async () => {
    const t = setup();
    const proposer = { user: alice, name: "alice" };
    expect(await proposeTopic(t.deps, { meetingId: "cabal", title: " \n ", proposer })).toEqual({
      kind: "rejected",
      reason: { code: "title-empty" },
    });
    expect(await proposeTopic(t.deps, { meetingId: "cabal", title: "x".repeat(301), proposer })).toEqual({
      kind: "rejected",
      reason: { code: "title-too-long", length: 301, max: 300 },
    });
    expect(await proposeTopic(t.deps, { meetingId: "nope", title: "fine", proposer })).toMatchObject({
      kind: "rejected",
      reason: { code: "no-such-meeting" },
    });
    expect(await proposeTopic(t.deps, { meetingId: "old", title: "fine", proposer })).toMatchObject({
      kind: "ended",
    });
    expect(await t.store.listTopics("cabal", "2026-12-17")).toEqual([]);
    expect(t.changed).toEqual([]);
  });

  it("refuses, rather than throws, when the database cannot be reached", async () => {
    const t = setup();
    t.store.down = true;
    const outcome = await proposeTopic(t.deps, {
      meetingId: "cabal",
      title: "fine",
      proposer: { user: alice, name: "alice" },
    });
    expect(outcome).toEqual({ kind: "rejected", reason: { code: "storage-unavailable", kind: "unreachable" } });
    expect(t.changed).toEqual([]);
  });
});
