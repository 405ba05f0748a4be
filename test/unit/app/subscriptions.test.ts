// Subscription use cases on the memory store, with a fixed clock, through the use cases and `/cabal` commands.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { runCabalCommand } from "../../../src/app/run-command.js";
import { subscribe, subscriptionsOf, unsubscribe } from "../../../src/app/subscriptions.js";
import type { CommunityConfig, Meeting } from "../../../src/domain/meeting.js";
import { describeSubscriptions } from "../../../src/domain/subscription-text.js";
import { plainWording } from "../../../src/domain/wording.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const community = testMeeting({
  id: "community",
  title: "Podman Community Meeting",
  channel: "C0COMMUNITY",
  schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU", from: "2020-01-01" }],
});
const cabal = testMeeting({ id: "cabal", channel: "C0CABAL" });
const standup = testMeeting({
  id: "standup",
  title: "Stand-up",
  channel: "C0CABAL",
  schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=MO", from: "2020-01-01" }],
});
const ended = testMeeting({
  id: "oldcabal",
  title: "Old Cabal",
  channel: "C0OLD",
  schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=3TH", from: "2020-01-01", until: "2021-01-01" }],
  replacedBy: "cabal",
});

function setup(meetings: Meeting[] = [community, cabal, standup, ended]) {
  const config: CommunityConfig = { displayZones: ["Europe/Berlin"], admins: [], meetings };
  const clock = new FixedClock("2026-11-26T12:00:00Z");
  const store = new MemoryStore();
  const deps: BotDeps = {
    config: { current: () => config },
    store,
    clock,
    chat: new FakeChat(clock),
    log: new MemoryLog(),
  };
  return { deps, store, clock };
}

const ada = slackUser("U0ADA");
const text = (outcome: Parameters<typeof describeSubscriptions>[0]) =>
  describeSubscriptions(outcome, plainWording("/cabal"));

describe("subscribe", () => {
  it("subscribes to a meeting named by id, with its next date, and remembers it", async () => {
    const t = setup();
    const outcome = await subscribe(t.deps, ada, "cabal");
    expect(outcome).toMatchObject({
      kind: "subscribed",
      changed: [{ meeting: { id: "cabal" }, next: { date: "2026-12-17" } }],
      unchanged: [],
    });
    expect(await t.store.subscribersOf("cabal")).toEqual([
      { meetingId: "cabal", user: ada, subscribedAt: t.clock.now() },
    ]);
  });

  it("says 'already' the second time, and stores nothing twice", async () => {
    const t = setup();
    await subscribe(t.deps, ada, "cabal");
    const again = await subscribe(t.deps, ada, "cabal");
    expect(again).toMatchObject({ kind: "subscribed", changed: [], unchanged: [{ meeting: { id: "cabal" } }] });
    if (again.kind !== "subscribed") throw new Error("expected subscribed");
    expect(text(again)).toBe(
      "You were already subscribed to Podman Community Cabal (cabal, next on 2026-12-17). See /cabal subscriptions.",
    );
    expect(await t.store.subscribersOf("cabal")).toHaveLength(1);
  });

  it("without a meeting, takes the running meetings held in the room the command came from", async () => {
    const t = setup();
    const outcome = await subscribe(t.deps, ada, undefined, slackRoom("C0CABAL"));
    expect(outcome).toMatchObject({ kind: "subscribed" });
    if (outcome.kind !== "subscribed") throw new Error("expected subscribed");
    expect(outcome.changed.map((v) => v.meeting.id)).toEqual(["cabal", "standup"]);
    expect((await t.store.subscriptionsOf(ada)).map((s) => s.meetingId)).toEqual(["cabal", "standup"]);
  });

  it("without a meeting, from a place no meeting is held (a DM), takes every running meeting, not the ended one", async () => {
    const t = setup();
    const outcome = await subscribe(t.deps, ada);
    if (outcome.kind !== "subscribed") throw new Error(`expected subscribed, got ${outcome.kind}`);
    expect(outcome.changed.map((v) => v.meeting.id)).toEqual(["community", "cabal", "standup"]);
    expect((await t.store.subscriptionsOf(ada)).map((s) => s.meetingId)).not.toContain("oldcabal");
  });

  it("refuses an ended meeting as ended, naming what replaced it, and stores nothing", async () => {
    const t = setup();
    const outcome = await subscribe(t.deps, ada, "oldcabal");
    expect(outcome).toMatchObject({
      kind: "ended",
      meeting: { id: "oldcabal" },
      replacedBy: { meeting: { id: "cabal" } },
    });
    expect(await t.store.subscriptionsOf(ada)).toEqual([]);
  });

  it("refuses an unknown meeting, naming the meetings there are, and stores nothing", async () => {
    const t = setup();
    const outcome = await subscribe(t.deps, ada, "nope");
    expect(outcome).toEqual({
      kind: "rejected",
      reason: { code: "no-such-meeting", meetingId: "nope", known: ["community", "cabal", "standup", "oldcabal"] },
    });
    expect(await t.store.subscriptionsOf(ada)).toEqual([]);
  });
});

describe("unsubscribe and the list", () => {
  it("unsubscribes from one meeting and keeps the others", async () => {
    const t = setup();
    await subscribe(t.deps, ada);
    const outcome = await unsubscribe(t.deps, ada, "standup");
    expect(outcome).toMatchObject({ kind: "unsubscribed", changed: [{ meeting: { id: "standup" } }], unchanged: [] });
    const list = await subscriptionsOf(t.deps, ada);
    expect(list.subscriptions.map((v) => v.meeting.id)).toEqual(["cabal", "community"]);
    expect(text(list)).toBe(
      "You get the reminders of Podman Community Cabal (cabal, next on 2026-12-17), Podman Community Meeting (community, next on 2026-12-01) as direct messages. Stop with /cabal unsubscribe <meeting>.",
    );
  });

  it("says 'not subscribed' for a meeting the person was not subscribed to", async () => {
    const t = setup();
    const outcome = await unsubscribe(t.deps, ada, "cabal");
    expect(outcome).toMatchObject({ kind: "unsubscribed", changed: [], unchanged: [{ meeting: { id: "cabal" } }] });
    if (outcome.kind !== "unsubscribed") throw new Error("expected unsubscribed");
    expect(text(outcome)).toBe("You were not subscribed to Podman Community Cabal (cabal, next on 2026-12-17).");
  });

  it("without a meeting in a DM, removes every subscription; the list is then empty", async () => {
    const t = setup();
    await subscribe(t.deps, ada);
    const outcome = await unsubscribe(t.deps, ada);
    if (outcome.kind !== "unsubscribed") throw new Error("expected unsubscribed");
    expect(outcome.changed.map((v) => v.meeting.id)).toEqual(["community", "cabal", "standup"]);
    const list = await subscriptionsOf(t.deps, ada);
    expect(list).toEqual({ kind: "subscriptions", subscriptions: [] });
    expect(text(list)).toBe(
      "You are not subscribed to any meeting. /cabal subscribe <meeting> sends you its reminders as direct messages.",
    );
  });

  it("keeps people apart: one person's subscribe is not another's", async () => {
    const t = setup();
    await subscribe(t.deps, ada, "cabal");
    const bob = slackUser("U0BOB");
    expect((await subscriptionsOf(t.deps, bob)).subscriptions).toEqual([]);
    expect(await unsubscribe(t.deps, bob, "cabal")).toMatchObject({ changed: [] });
    expect(await t.store.subscribersOf("cabal")).toHaveLength(1);
  });
});

describe("/cabal subscribe, unsubscribe, subscriptions", () => {
  const run = (deps: BotDeps, commandText: string, room = slackRoom("C0CABAL")) =>
    runCabalCommand(deps, { text: commandText, user: ada, userName: "Ada", room });

  it("runs through the command parser, with the meeting after the verb or before it", async () => {
    const t = setup();
    expect(await run(t.deps, "subscribe community")).toMatchObject({
      kind: "subscribed",
      changed: [{ meeting: { id: "community" } }],
    });
    expect(await run(t.deps, "cabal subscribe")).toMatchObject({
      kind: "subscribed",
      changed: [{ meeting: { id: "cabal" } }],
    });
    expect(await run(t.deps, "SUBSCRIBE Standup")).toMatchObject({ changed: [{ meeting: { id: "standup" } }] });
    expect(await run(t.deps, "subscriptions")).toMatchObject({ kind: "subscriptions", subscriptions: [{}, {}, {}] });
    expect(await run(t.deps, "unsubscribe cabal")).toMatchObject({
      kind: "unsubscribed",
      changed: [{ meeting: { id: "cabal" } }],
    });
  });

  it("subscribes without a meeting to the channel's meetings", async () => {
    const t = setup();
    const outcome = await run(t.deps, "subscribe", slackRoom("C0COMMUNITY"));
    expect(outcome).toMatchObject({ kind: "subscribed", changed: [{ meeting: { id: "community" } }] });
  });

  it("answers two meetings at once with a usage line, and changes nothing", async () => {
    const t = setup();
    const outcome = await run(t.deps, "subscribe cabal community");
    expect(outcome).toMatchObject({ kind: "help", problem: { code: "subscribe-one-meeting", verb: "subscribe" } });
    expect(await t.store.subscriptionsOf(ada)).toEqual([]);
  });

  it("refuses an unknown meeting typed after the verb, as typed", async () => {
    const t = setup();
    const outcome = await run(t.deps, "subscribe <!here>");
    expect(outcome).toMatchObject({ kind: "rejected", reason: { code: "no-such-meeting", meetingId: "<!here>" } });
  });
});
