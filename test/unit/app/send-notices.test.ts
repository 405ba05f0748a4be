// Roll-over notices leave through the store's outbox: paced (a few a second), each sent once, retried with
// backoff when the chat fails, and given up when the chat refuses one for good. A fixed clock drives it.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { addTopic, listAgenda } from "../../../src/app/agenda.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { ChatError, type ChatUser } from "../../../src/app/ports.js";
import { NOTICE_PACE_MS, NOTICES_PER_RUN, sendDueNotices } from "../../../src/app/send-notices.js";
import type { RolloverNotice } from "../../../src/app/views.js";
import type { CommunityConfig } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

/** A chat whose direct messages fail as scripted, in order; then succeed. */
class FlakyChat extends FakeChat {
  readonly failures: unknown[] = [];
  sendAttempts = 0;

  override async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    this.sendAttempts++;
    const failure = this.failures.shift();
    if (failure) throw failure;
    await super.notifyRollover(user, notice);
  }
}

// The first Tuesday of each month, 11:00 New York: 2026-12-01 16:00–17:00 UTC.
const community = testMeeting({
  id: "community",
  channel: "C0COMMUNITY",
  schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU", from: "2020-01-01" }],
});

async function setup(proposers: number) {
  const config: CommunityConfig = { displayZones: [], admins: [], meetings: [community] };
  const clock = new FixedClock("2026-11-26T12:00:00Z");
  const chat = new FlakyChat(clock);
  const log = new MemoryLog();
  let woken = 0;
  const deps: BotDeps = {
    config: { current: () => config },
    store: new MemoryStore(),
    clock,
    chat,
    log,
    noticesQueued: () => {
      woken++;
    },
  };
  for (let i = 0; i < proposers; i++) {
    await addTopic(deps, { title: `topic ${i}`, proposer: { user: slackUser(`U${1000 + i}`), name: `P${i}` } });
  }
  // The meeting is over: the next agenda read moves every topic and queues one notice per proposer.
  clock.set("2026-12-01T17:00:00Z");
  await listAgenda(deps, {});
  return { deps, clock, chat, log, woken: () => woken };
}

describe("sending roll-over notices from the outbox", () => {
  it("sends a few a run, says when to run next, and sends each proposer's notice once", async () => {
    const t = await setup(12);
    expect(t.woken()).toBe(1);
    expect(t.chat.rollovers).toEqual([]);
    expect(await sendDueNotices(t.deps)).toBe(NOTICE_PACE_MS);
    expect(t.chat.rollovers).toHaveLength(NOTICES_PER_RUN);
    t.clock.advance(NOTICE_PACE_MS);
    expect(await sendDueNotices(t.deps)).toBe(NOTICE_PACE_MS);
    t.clock.advance(NOTICE_PACE_MS);
    expect(await sendDueNotices(t.deps)).toBeUndefined();
    expect(t.chat.rollovers.map((r) => r.userId)).toEqual(Array.from({ length: 12 }, (_, i) => `U${1000 + i}`));
    expect(t.chat.rollovers[0]?.notice).toMatchObject({
      meeting: { id: "community" },
      fromDate: "2026-12-01",
      reason: "past",
      to: { date: "2027-01-05" },
      titles: ["topic 0"],
    });
    t.clock.advance(3_600_000);
    expect(await sendDueNotices(t.deps)).toBeUndefined();
    expect(t.chat.rollovers).toHaveLength(12);
  });

  it("retries a notice the chat failed, after 2 s, then 4 s, and sends it once when the chat is back", async () => {
    const t = await setup(1);
    t.chat.failures.push(
      new ChatError("Slack chat.postMessage failed: HTTP 503", { retryable: true }),
      new ChatError("Slack chat.postMessage failed: network", { retryable: true }),
    );
    expect(await sendDueNotices(t.deps)).toBe(2_000);
    t.clock.advance(1_999);
    await sendDueNotices(t.deps);
    expect(t.chat.sendAttempts).toBe(1);
    t.clock.advance(1);
    expect(await sendDueNotices(t.deps)).toBe(4_000);
    expect(t.chat.sendAttempts).toBe(2);
    t.clock.advance(4_000);
    expect(await sendDueNotices(t.deps)).toBeUndefined();
    expect(t.chat.sendAttempts).toBe(3);
    expect(t.chat.rollovers).toHaveLength(1);
  });

  it("waits as long as a rate limit asks", async () => {
    const t = await setup(1);
    t.chat.failures.push(new ChatError("ratelimited", { retryable: true, retryAfterMs: 30_000, notPosted: true }));
    expect(await sendDueNotices(t.deps)).toBe(30_000);
    t.clock.advance(29_999);
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers).toHaveLength(0);
    t.clock.advance(1);
    await sendDueNotices(t.deps);
    expect(t.chat.rollovers).toHaveLength(1);
  });

  it("gives up a notice the chat refuses for good, and says so in the log", async () => {
    const t = await setup(2);
    t.chat.failures.push(new ChatError("user_not_found", { retryable: false, notPosted: true }));
    expect(await sendDueNotices(t.deps)).toBeUndefined();
    expect(t.chat.rollovers.map((r) => r.userId)).toEqual(["U1001"]);
    expect(JSON.stringify(t.log)).toContain("giving up");
    t.clock.advance(3_600_000);
    await sendDueNotices(t.deps);
    expect(t.chat.sendAttempts).toBe(2);
  });
});
