import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { ChatError, type ReminderKey, type Store } from "../../../src/app/ports.js";
import {
  IN_FLIGHT_LEASE_MS,
  newReminderRunState,
  OWNER_GONE_GRACE_MS,
  prepareReminderIndex,
  reminderMarker,
  retryDelayMs,
  sendDueReminders,
} from "../../../src/app/send-due-reminders.js";
import { sendDueNotices } from "../../../src/app/send-notices.js";
import type { Meeting } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";
import { reminderHarness } from "../../support/reminder-harness.js";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A weekly Sunday meeting with reminders a day and an hour before. */
const meeting = (overrides: Partial<Meeting> & { channel?: string } = {}): Meeting =>
  testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU" }], remindersMs: [DAY, HOUR], ...overrides });

function setup(start: string, meetings: Meeting[] = [meeting()], store?: Store) {
  return reminderHarness(start, meetings, store);
}

// Sunday 2025-03-02 11:00 EST = 16:00Z: the 1-day reminder is due 2025-03-01T16:00Z, the 1-hour one at 15:00Z.
const DAY_DUE = "2025-03-01T16:00:00Z";
const HOUR_DUE = "2025-03-02T15:00:00Z";
const dayKey: ReminderKey = { meetingId: "cabal", occurrenceDate: "2025-03-02", offsetMs: DAY, room: "slack:C0CABAL" };
const hourKey: ReminderKey = { ...dayKey, offsetMs: HOUR };

function httpError(status: number) {
  return Object.assign(new Error(`An HTTP protocol error occurred: statusCode = ${status}`), {
    code: "slack_webapi_http_error",
    statusCode: status,
  });
}

describe("sendDueReminders", () => {
  it("posts a reminder at its due instant, never before, and only once", async () => {
    const t = setup("2025-03-01T15:59:59.999Z");
    await t.run();
    expect(t.chat.posts).toHaveLength(0);
    t.clock.set(DAY_DUE);
    await t.run();
    await t.run();
    t.clock.advance(10 * MINUTE);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    const [post] = t.chat.reminders();
    expect(post?.marker).toBe(reminderMarker(dayKey));
    expect(post?.channel).toBe("C0CABAL");
    expect(post?.view).toMatchObject({ leadMs: DAY, late: false, topics: [], displayZones: ["Europe/Berlin"] });
    expect(post?.view.occurrence.date).toBe("2025-03-02");
    expect(await t.store.getReminder(dayKey)).toMatchObject({ state: "sent", messageId: post?.messageId });
  });

  it("posts each offset once across the week of the spring-forward change", async () => {
    // Sunday 2025-03-09 11:00 EDT = 15:00Z.
    const t = setup("2025-03-08T14:59:59Z");
    for (let i = 0; i < 3; i++) {
      await t.run();
      t.clock.advance(SECOND);
    }
    t.clock.set("2025-03-09T13:59:58Z");
    for (let i = 0; i < 4; i++) {
      await t.run();
      t.clock.advance(SECOND);
    }
    expect(t.chat.reminders().map((p) => [p.view.occurrence.date, p.view.leadMs])).toEqual([
      ["2025-03-09", DAY],
      ["2025-03-09", HOUR],
    ]);
    expect(
      (
        await t.store.getReminder({
          meetingId: "cabal",
          occurrenceDate: "2025-03-09",
          offsetMs: HOUR,
          room: "slack:C0CABAL",
        })
      )?.sentAt,
    ).toEqual(new Date("2025-03-09T14:00:00Z"));
  });

  it("posts nothing for a skipped date, and reminds of a one-off date", async () => {
    const m = meeting({ skip: ["2025-03-02"], dates: ["2025-03-04T09:30"] });
    const t = setup("2025-03-01T16:00:00Z", [m]);
    await t.run();
    t.clock.set(HOUR_DUE);
    await t.run();
    expect(t.chat.posts).toHaveLength(0);
    t.clock.set("2025-03-04T13:30:00Z"); // 09:30 EST = 14:30Z, 1 h before
    await t.run();
    expect(t.chat.reminders().map((p) => [p.view.occurrence.date, p.view.occurrence.time, p.view.leadMs])).toEqual([
      ["2025-03-04", "09:30", HOUR],
    ]);
  });

  it("lists the agenda proposed so far, after rolling over topics of earlier occurrences", async () => {
    const t = setup(HOUR_DUE);
    await t.store.addTopic({
      meetingId: "cabal",
      occurrenceDate: "2025-02-23",
      title: "Left over",
      proposerId: "U1",
      proposerChat: "slack",
      proposerName: "Ada",
      source: "chat",
      createdAt: new Date("2025-02-20T00:00:00Z"),
    });
    await t.run();
    const [post] = t.chat.reminders();
    expect(post?.view.topics.map((topic) => topic.title)).toEqual(["Left over"]);
    // Its proposer's notice went to the outbox; the notices job sends it.
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers.map((r) => r.userId)).toEqual(["U1"]);
  });

  it("posts a missed reminder late on start when the meeting has not started, dropping the ones it supersedes", async () => {
    // The bot was down across both due instants; it comes back 30 minutes before the meeting.
    const t = setup("2025-03-02T15:30:00Z");
    await t.run();
    expect(t.chat.reminders().map((p) => [p.view.leadMs, p.view.late])).toEqual([[HOUR, true]]);
    expect(await t.store.getReminder(dayKey)).toMatchObject({ state: "dropped" });
    expect(t.log.messages("warn").some((m) => m.includes("superseded"))).toBe(true);
  });

  it("indexed at start, catches up on its first tick what was missed before and what fell due since", async () => {
    // Down across the 1-day reminder; indexed (as the job does at start) a minute before the 1-hour one.
    const t = setup("2025-03-02T14:59:00Z");
    prepareReminderIndex(t.deps, t.state);
    t.clock.set("2025-03-02T15:00:02Z");
    await t.run();
    expect(t.chat.reminders().map((p) => [p.view.leadMs, p.view.late])).toEqual([[HOUR, false]]);
    expect(await t.store.getReminder(dayKey)).toMatchObject({ state: "dropped" });
    // A restart (a fresh index and cache) on the same store repeats nothing.
    const again = newReminderRunState();
    await sendDueReminders(t.deps, again);
    t.clock.advance(MINUTE);
    await sendDueReminders(t.deps, again);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
  });

  it("posts a reminder missed by less than the grace as on time", async () => {
    const t = setup("2025-03-02T15:00:30Z");
    await t.run();
    expect(t.chat.reminders().map((p) => p.view.late)).toEqual([false]);
  });

  it("drops and logs a missed reminder once its meeting has started, and never reconsiders it", async () => {
    const t = setup("2025-03-02T16:00:00Z");
    await t.run();
    expect(t.chat.posts).toHaveLength(0);
    // Both offsets fall in the look-back (the largest offset): each is recorded as dropped, and logged once.
    expect(await t.store.getReminder(hourKey)).toMatchObject({ state: "dropped" });
    expect(await t.store.getReminder(dayKey)).toMatchObject({ state: "dropped" });
    expect(t.log.messages("warn").filter((m) => m.includes("meeting started"))).toHaveLength(2);
    t.clock.advance(SECOND);
    await t.run();
    await sendDueReminders(t.deps); // a fresh process, same store
    expect(t.log.messages("warn").filter((m) => m.includes("meeting started"))).toHaveLength(2);
    expect(t.chat.posts).toHaveLength(0);
  });

  it("retries a failed post with backoff, never sooner, and delivers it once", async () => {
    const t = setup(HOUR_DUE);
    t.chat.failNextPost(httpError(500));
    t.chat.failNextPost(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }));
    await t.run();
    expect(t.chat.attempts).toBe(1);
    expect(await t.store.getReminder(hourKey)).toMatchObject({ state: "claimed", attempts: 1 });
    expect(t.log.messages("warn").some((m) => m.startsWith("reminder not posted; retrying in 2 s"))).toBe(true);
    t.clock.advance(retryDelayMs(1) - 1);
    await t.run();
    expect(t.chat.attempts).toBe(1);
    t.clock.advance(1);
    await t.run();
    expect(t.chat.attempts).toBe(2);
    // The failed attempt might have gone out: the retry looked in the channel before posting.
    expect(t.chat.lookups).toHaveLength(1);
    t.clock.advance(retryDelayMs(2) - 1);
    await t.run();
    expect(t.chat.attempts).toBe(2);
    t.clock.advance(1);
    await t.run();
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(await t.store.getReminder(hourKey)).toMatchObject({ state: "sent", attempts: 2 });
  });

  it("honours Retry-After of a rate limit, and does not look in the channel after a certain non-post", async () => {
    const t = setup(HOUR_DUE);
    t.chat.failNextPost(new ChatError("rate limited", { retryable: true, retryAfterMs: 30 * SECOND, notPosted: true }));
    await t.run();
    t.clock.advance(29 * SECOND);
    await t.run();
    expect(t.chat.attempts).toBe(1);
    t.clock.advance(SECOND);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(t.chat.lookups).toHaveLength(0);
  });

  it("keeps retrying until the meeting starts, then drops the reminder and logs it", async () => {
    const t = setup("2025-03-02T15:59:00Z", [meeting({ remindersMs: [MINUTE] })]);
    const key = { ...hourKey, offsetMs: MINUTE };
    for (let i = 0; i < 10; i++)
      t.chat.failNextPost(new ChatError("ratelimited", { retryable: true, notPosted: true }));
    while (t.clock.now() < new Date("2025-03-02T16:00:05Z")) {
      await t.run();
      t.clock.advance(SECOND);
    }
    expect(t.chat.posts).toHaveLength(0);
    expect(t.chat.attempts).toBeGreaterThanOrEqual(4); // 2 s, 4 s, 8 s, 16 s, then ≤ 10 s before the start
    expect(await t.store.getReminder(key)).toMatchObject({ state: "dropped" });
    expect(t.log.messages("warn").filter((m) => m.startsWith("reminder dropped"))).toHaveLength(1);
  });

  it("posts once when two runs overlap with a slow chat", async () => {
    const t = setup(HOUR_DUE);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.chat.everyPost = () => gate;
    // Two independent runners (as two processes on one store would be), plus a second pass of the same one.
    const first = sendDueReminders(t.deps, newReminderRunState());
    const second = sendDueReminders(t.deps, newReminderRunState());
    const third = t.run();
    await new Promise((resolve) => setImmediate(resolve));
    release();
    await Promise.all([first, second, third]);
    expect(t.chat.attempts).toBe(1);
    expect(t.chat.reminders()).toHaveLength(1);
  });

  it("does not post twice after a crash between posting and recording", async () => {
    const store = new MemoryStore();
    const crashing = Object.create(store) as MemoryStore;
    crashing.markReminderSent = async () => {
      throw new Error("process died before recording");
    };
    const t = setup(HOUR_DUE, [meeting()], crashing);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(await store.getReminder(hourKey)).toMatchObject({ state: "claimed", attempts: 0 });

    // "Restart" on the same store: the claim is taken to be in flight until its lease runs out.
    const restarted = setup(HOUR_DUE, [meeting()], store);
    Object.assign(restarted.chat.posts, t.chat.posts);
    restarted.clock.set(new Date(new Date(HOUR_DUE).getTime() + IN_FLIGHT_LEASE_MS - 1));
    await restarted.run();
    expect(restarted.chat.attempts).toBe(0);
    restarted.clock.advance(1);
    await restarted.run();
    expect(restarted.chat.attempts).toBe(0);
    expect(restarted.chat.lookups.map((l) => l.marker)).toEqual([reminderMarker(hourKey)]);
    expect(await store.getReminder(hourKey)).toMatchObject({ state: "sent", messageId: t.chat.posts[0]?.messageId });
  });

  it("finds the message a dead attempt posted at the due instant even when the retry comes much later", async () => {
    // The dead attempt posted at the due instant; the restart comes 50 minutes later, 10 before the start.
    // The chat lists only messages posted since the instant asked for: asking from any later instant (the
    // restart, the lease's end) would miss the message and post the reminder a second time.
    const store = new MemoryStore();
    const crashing = Object.create(store) as MemoryStore;
    crashing.markReminderSent = async () => {
      throw new Error("process died before recording");
    };
    const t = setup(HOUR_DUE, [meeting()], crashing);
    await t.run();
    const restarted = setup(HOUR_DUE, [meeting()], store);
    restarted.chat.posts.push(...t.chat.posts);
    restarted.clock.advance(50 * MINUTE);
    await restarted.run();
    expect(restarted.chat.attempts).toBe(0);
    expect(await store.getReminder(hourKey)).toMatchObject({ state: "sent", messageId: t.chat.posts[0]?.messageId });
    expect(restarted.log.messages("info")).toContain("reminder had been posted by an earlier attempt; recorded it");
  });

  it("posts after a crash between claiming and posting, once the lease runs out", async () => {
    const store = new MemoryStore();
    await store.claimReminder(hourKey, new Date(HOUR_DUE), IN_FLIGHT_LEASE_MS);
    const t = setup(HOUR_DUE, [meeting()], store);
    await t.run();
    expect(t.chat.attempts).toBe(0);
    t.clock.advance(IN_FLIGHT_LEASE_MS);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    expect(t.chat.lookups).toHaveLength(1);
  });

  it("retakes a claim whose owner the store knows is gone after the short grace, not the whole lease", async () => {
    // A replica claimed and died (a store shared by replicas reports its owner gone); the record says so.
    class OwnerGoneStore extends MemoryStore {
      override async getReminder(key: ReminderKey) {
        const record = await super.getReminder(key);
        return record?.state === "claimed" && record.claimedAt.getTime() === new Date(HOUR_DUE).getTime()
          ? { ...record, ownerGone: true }
          : record;
      }
    }
    const store = new OwnerGoneStore();
    await store.claimReminder(hourKey, new Date(HOUR_DUE), IN_FLIGHT_LEASE_MS);
    const t = setup(HOUR_DUE, [meeting()], store);
    t.clock.advance(OWNER_GONE_GRACE_MS - 1);
    await t.run();
    expect(t.chat.attempts).toBe(0);
    t.clock.advance(1);
    await t.run();
    // It may have posted before dying: the room is looked at first, then the reminder posted once.
    expect(t.chat.lookups).toHaveLength(1);
    expect(t.chat.reminders()).toHaveLength(1);
    expect(await store.getReminder(hourKey)).toMatchObject({ state: "sent" });
    expect(OWNER_GONE_GRACE_MS).toBeLessThan(IN_FLIGHT_LEASE_MS);
  });

  it("takes config changes into account without repeating what was sent", async () => {
    const t = setup(DAY_DUE);
    await t.run();
    expect(t.chat.reminders()).toHaveLength(1);
    // A new meeting 30 minutes ahead (its 1-day reminder long past), and the cabal's time moved.
    t.clock.set("2025-03-02T15:30:00Z");
    const added = meeting({
      id: "triage",
      title: "Triage",
      channel: "C0TRIAGE",
      schedule: [],
      dates: ["2025-03-02T11:00"],
    });
    t.setMeetings([meeting({ time: "10:45" }), added]);
    await t.run();
    // The cabal's 1-day reminder of that date was sent and stays sent; its 1-hour one moved to 14:45Z with the
    // new time and was missed by 45 minutes, so it goes out late. The new meeting's 1-day one is superseded.
    expect(t.chat.reminders().map((p) => [p.view.meeting.id, p.view.leadMs, p.view.late])).toEqual([
      ["cabal", DAY, false],
      ["cabal", HOUR, true],
      ["triage", HOUR, true],
    ]);
    expect(await t.store.getReminder({ ...dayKey, meetingId: "triage", room: "slack:C0TRIAGE" })).toMatchObject({
      state: "dropped",
    });
    // A skip added later: nothing more for the cancelled date.
    t.setMeetings([meeting({ time: "10:45", skip: ["2025-03-09"] }), added]);
    t.clock.set("2025-03-09T14:45:00Z");
    await t.run();
    expect(t.chat.reminders()).toHaveLength(3);
  });
});

describe("several destinations", () => {
  const both = () =>
    meeting({
      rooms: [
        { chat: "slack", room: "C0CABAL" },
        { chat: "matrix", room: "#podman:example.org" },
      ],
    });

  it("posts each reminder once to every room, and a failure in one room is retried there only", async () => {
    const t = setup(HOUR_DUE, [both()]);
    t.chat.failNextPost(new ChatError("slack down", { retryable: true, notPosted: true }));
    await t.run();
    await t.run();
    t.clock.advance(10 * SECOND);
    await t.run();
    await t.run();
    const posts = t.chat.reminders().filter((p) => p.view.leadMs === HOUR);
    expect(posts.map((p) => `${p.room.chat}:${p.room.room}`).sort()).toEqual([
      "matrix:#podman:example.org",
      "slack:C0CABAL",
    ]);
    expect(new Set(posts.map((p) => p.marker)).size).toBe(2);
    expect(await t.store.getReminder({ ...hourKey, room: "matrix:#podman:example.org" })).toMatchObject({
      state: "sent",
    });
  });

  it("leaves a room of a chat this process does not serve to another one", async () => {
    const t = setup(HOUR_DUE, [both()]);
    t.chat.servesChat = (chat) => chat === "slack";
    await t.run();
    expect(t.chat.reminders().map((p) => p.room.chat)).toEqual(["slack"]);
    expect(await t.store.getReminder({ ...hourKey, room: "matrix:#podman:example.org" })).toBeUndefined();
  });
});
