// Reminders to subscribers as direct messages, the proposers' mentions in the last reminder, and the notices a
// reloaded schedule sends: on the memory store, with a fixed clock and the fake chat.
import { describe, expect, it } from "vitest";
import { announceScheduleChanges } from "../../../src/app/announce-schedule-changes.js";
import { ChatError, type ReminderKey } from "../../../src/app/ports.js";
import { rollOverTopics } from "../../../src/app/roll-over-topics.js";
import { reminderMarker } from "../../../src/app/send-due-reminders.js";
import { sendDueNotices } from "../../../src/app/send-notices.js";
import type { Meeting, Occurrence } from "../../../src/domain/meeting.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { reminderHarness } from "../../support/reminder-harness.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A weekly Sunday meeting, 11:00 New York, reminders a day and an hour before. */
const sunday = (overrides: Partial<Meeting> = {}): Meeting =>
  testMeeting({
    schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU", from: "2025-01-05" }],
    remindersMs: [DAY, HOUR],
    ...overrides,
  });

function setup(start: string, meetings: Meeting[] = [sunday()]) {
  return reminderHarness(start, meetings);
}

// Sunday 2025-03-02 11:00 EST = 16:00Z.
const DAY_DUE = "2025-03-01T16:00:00Z";
const HOUR_DUE = "2025-03-02T15:00:00Z";
const ada = slackUser("U0ADA");
const bob = slackUser("U0BOB");
const cy = { chat: "matrix", id: "@cy:example.org" };

describe("reminders to subscribers", () => {
  it("sends each subscriber one direct message per reminder, besides the channel's, and nobody else", async () => {
    const t = setup(DAY_DUE);
    await t.store.addSubscription("cabal", ada, new Date("2025-02-01T00:00:00Z"));
    await t.store.addSubscription("cabal", cy, new Date("2025-02-02T00:00:00Z"));
    await t.run();
    await t.run();
    t.clock.advance(5 * MINUTE);
    await t.run();
    expect(t.chat.reminders().map((p) => p.channel)).toEqual(["C0CABAL"]);
    expect(t.chat.directReminders().map((p) => p.user)).toEqual([ada, cy]);
    expect(t.chat.directReminders()[0]?.view).toMatchObject({ leadMs: DAY, occurrence: { date: "2025-03-02" } });
    const key: ReminderKey = {
      meetingId: "cabal",
      occurrenceDate: "2025-03-02",
      offsetMs: DAY,
      room: "dm:slack:U0ADA",
    };
    expect(t.chat.directReminders()[0]?.marker).toBe(reminderMarker(key));
    expect(await t.store.getReminder(key)).toMatchObject({ state: "sent" });
  });

  it("stops after unsubscribing, and starts with a subscription made before the reminder is due", async () => {
    const t = setup("2025-02-28T12:00:00Z");
    await t.store.addSubscription("cabal", ada, t.clock.now());
    await t.store.removeSubscription("cabal", ada);
    await t.store.addSubscription("cabal", bob, t.clock.now());
    t.clock.set(DAY_DUE);
    await t.run();
    expect(t.chat.directReminders().map((p) => p.user)).toEqual([bob]);
  });

  it("retries a failed direct message without holding up the channel, and sends it once", async () => {
    const t = setup(DAY_DUE);
    await t.store.addSubscription("cabal", ada, t.clock.now());
    // The channel's post goes first and succeeds; the DM fails with a refusal that certainly posted nothing.
    let attempt = 0;
    t.chat.everyPost = () => {
      attempt += 1;
      if (attempt === 2) throw new ChatError("ratelimited", { retryable: true, retryAfterMs: 2_000, notPosted: true });
    };
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(t.chat.directReminders()).toHaveLength(0);
    t.clock.advance(10_000);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(t.chat.directReminders()).toHaveLength(1);
    expect(attempt).toBe(3);
  });

  it("after a crash between sending and recording, finds the direct message and does not send it again", async () => {
    const t = setup(DAY_DUE);
    await t.store.addSubscription("cabal", ada, t.clock.now());
    const key: ReminderKey = {
      meetingId: "cabal",
      occurrenceDate: "2025-03-02",
      offsetMs: DAY,
      room: "dm:slack:U0ADA",
    };
    // Another process claimed it, sent it, and died before recording.
    await t.store.claimReminder(key, t.clock.now(), 30_000);
    await t.chat.postDirectReminder(ada, (await firstView(t)) as never, reminderMarker(key));
    t.clock.advance(31_000);
    await t.run();
    t.clock.advance(2_000);
    await t.run();
    expect(t.chat.directReminders()).toHaveLength(1);
    expect(await t.store.getReminder(key)).toMatchObject({ state: "sent" });
  });
});

/** A reminder view to stand in for what a dead process sent. */
async function firstView(t: ReturnType<typeof setup>) {
  const probe = setup(DAY_DUE, t.config().meetings);
  await probe.run();
  return probe.chat.reminders()[0]?.view;
}

describe("the proposers' mentions", () => {
  it("are in the last reminder before the meeting only, in the channel only, once per proposer", async () => {
    const t = setup("2025-02-28T12:00:00Z");
    await t.store.addSubscription("cabal", bob, t.clock.now());
    const topic = {
      meetingId: "cabal",
      occurrenceDate: "2025-03-02",
      proposerName: "Ada",
      source: "chat" as const,
      createdAt: t.clock.now(),
    };
    await t.store.addTopic({ ...topic, title: "one", proposerId: "U0ADA", proposerChat: "slack" });
    await t.store.addTopic({ ...topic, title: "two", proposerId: "@cy:example.org", proposerChat: "matrix" });
    await t.store.addTopic({ ...topic, title: "three", proposerId: "U0ADA", proposerChat: "slack" });
    // Known only by name (imported from notes): nobody to mention.
    await t.store.addTopic({ ...topic, title: "four", proposerId: "", proposerChat: "", proposerName: "Dan" });
    t.clock.set(DAY_DUE);
    await t.run();
    t.clock.set(HOUR_DUE);
    await t.run();
    const [dayBefore, hourBefore] = t.chat.reminders();
    expect(dayBefore?.view.mentions).toBeUndefined();
    expect(hourBefore?.view.mentions).toEqual([ada, cy]);
    expect(t.chat.directReminders().map((p) => p.view.mentions)).toEqual([undefined, undefined]);
  });
});

describe("schedule changes after a reload", () => {
  const before = sunday({ dates: [], skip: [] });

  async function withPeople(t: ReturnType<typeof setup>) {
    await t.store.addSubscription("cabal", ada, t.clock.now());
    await t.store.addTopic({
      meetingId: "cabal",
      occurrenceDate: "2025-03-09",
      title: "Podman 6",
      proposerId: "U0BOB",
      proposerChat: "slack",
      proposerName: "Bob",
      source: "chat",
      createdAt: t.clock.now(),
    });
  }

  it("tells subscribers and that occurrence's proposers once that it is cancelled, with their topics and the next date", async () => {
    const t = setup("2025-03-01T12:00:00Z", [before]);
    await withPeople(t);
    const old = t.config();
    t.setMeetings([sunday({ skip: ["2025-03-09"] })]);
    const summary = await announceScheduleChanges(t.deps, old, t.config());
    expect(summary).toMatchObject({ changes: 1, claimed: 1, queued: 2 });
    // Queued in the outbox, sent by its job (paced and retried).
    expect(t.chat.scheduleNotices).toEqual([]);
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices.map((n) => [n.user, n.notice.kind, n.notice.yourTopics])).toEqual([
      [ada, "cancelled", []],
      [bob, "cancelled", ["Podman 6"]],
    ]);
    expect(t.chat.scheduleNotices[0]?.notice).toMatchObject({
      was: { date: "2025-03-09" },
      next: { date: "2025-03-16" },
    });
    // The same change again (a second reload, another replica): nobody is told twice.
    expect(await announceScheduleChanges(t.deps, old, t.config())).toMatchObject({ changes: 1, claimed: 0, queued: 0 });
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices).toHaveLength(2);
    // Bob's topic is already on the next meeting's agenda; reading it later moves nothing and tells him nothing more.
    expect((await t.store.listTopics("cabal", "2025-03-16")).map((topic) => topic.title)).toEqual(["Podman 6"]);
    expect(
      await rollOverTopics(
        t.deps,
        t.config().meetings[0] as Meeting,
        t.chat.scheduleNotices[0]?.notice.next as Occurrence,
      ),
    ).toEqual([]);
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers).toEqual([]);
  });

  it("tells a subscriber who also proposed once, and says where a moved meeting went", async () => {
    const t = setup("2025-03-01T12:00:00Z", [before]);
    await withPeople(t);
    await t.store.addSubscription("cabal", bob, t.clock.now());
    const old = t.config();
    t.setMeetings([sunday({ skip: ["2025-03-09"], dates: ["2025-03-10T11:00"] })]);
    await announceScheduleChanges(t.deps, old, t.config());
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices.map((n) => [n.user.id, n.notice.kind, n.notice.yourTopics])).toEqual([
      ["U0ADA", "moved", []],
      ["U0BOB", "moved", ["Podman 6"]],
    ]);
    expect(t.chat.scheduleNotices[0]?.notice).toMatchObject({
      was: { date: "2025-03-09" },
      now: { date: "2025-03-10" },
    });
  });

  it("retries a notice the chat could not take, and loses none when the sender stops halfway", async () => {
    const t = setup("2025-03-01T12:00:00Z", [before]);
    await withPeople(t);
    const old = t.config();
    t.setMeetings([sunday({ skip: ["2025-03-09"] })]);
    let attempts = 0;
    t.chat.everyPost = () => {
      attempts += 1;
      if (attempts === 1) throw new ChatError("ratelimited", { retryable: true, retryAfterMs: 5_000, notPosted: true });
    };
    await announceScheduleChanges(t.deps, old, t.config());
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices.map((n) => n.user)).toEqual([bob]);
    t.clock.advance(5_000);
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices.map((n) => n.user)).toEqual([bob, ada]);
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices).toHaveLength(2);
  });

  it("says nothing for a past date, an unchanged config, or a meeting nobody follows", async () => {
    const t = setup("2025-03-01T12:00:00Z", [before]);
    const old = t.config();
    expect(await announceScheduleChanges(t.deps, old, old)).toMatchObject({ changes: 0 });
    t.setMeetings([sunday({ skip: ["2025-02-23"] })]);
    expect(await announceScheduleChanges(t.deps, old, t.config())).toMatchObject({ changes: 0 });
    t.setMeetings([sunday({ skip: ["2025-03-09"] })]);
    expect(await announceScheduleChanges(t.deps, old, t.config())).toMatchObject({ changes: 1, queued: 0 });
    await sendDueNotices(t.deps);
    expect(t.chat.scheduleNotices).toEqual([]);
  });
});
