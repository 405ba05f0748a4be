// Two PostgresStore instances (two replicas: separate connection pools) on one database, racing for real: every
// claim is offered to both at once, many rounds, interleaved, and each key must be won exactly once. A store that
// read first and wrote after (check-then-act) would let both win some of these rounds.
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { PostgresStore } from "../../src/adapters/postgres/postgres-store.js";
import type { NewTopic, ReminderKey } from "../../src/app/ports.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { describeWithPostgres } from "../support/postgres-suite.js";

const ROUNDS = 120;
/** Callers per replica for each key: more than one connection per replica races too. */
const CALLERS_PER_REPLICA = 3;
const LEASE_MS = 30_000;
const T0 = new Date("2025-03-20T16:00:00.000Z");

describeWithPostgres("PostgresStore: two replicas racing on one database", () => {
  let server: PostgresServer;
  let url: string;
  let replicas: [PostgresStore, PostgresStore];

  beforeAll(async () => {
    server = await startPostgresServer();
  });

  afterAll(async () => {
    await server?.remove();
  });

  beforeEach(async () => {
    url = await server.createDatabase();
    replicas = [await PostgresStore.open(url, { poolSize: 4 }), await PostgresStore.open(url, { poolSize: 4 })];
    return () => {
      for (const store of replicas) store.close();
    };
  });

  /** Offers every key to both replicas at once (callers interleaved) and returns how many calls won each key. */
  async function race<K>(keys: K[], attempt: (store: PostgresStore, key: K) => Promise<boolean>): Promise<number[]> {
    const calls: Promise<{ index: number; won: boolean }>[] = [];
    for (const [index, key] of keys.entries()) {
      for (let caller = 0; caller < CALLERS_PER_REPLICA; caller++) {
        for (const store of caller % 2 ? [...replicas].reverse() : replicas) {
          calls.push(attempt(store, key).then((won) => ({ index, won })));
        }
      }
    }
    const wins = keys.map(() => 0);
    for (const { index, won } of await Promise.all(calls)) if (won) wins[index] = (wins[index] ?? 0) + 1;
    return wins;
  }

  const reminderKeys: ReminderKey[] = Array.from({ length: ROUNDS }, (_, i) => ({
    meetingId: `m${i % 7}`,
    occurrenceDate: `2025-03-${String(1 + (i % 28)).padStart(2, "0")}`,
    offsetMs: i * 60_000,
    room: "slack:C0RACE",
  }));
  const occurrences = Array.from({ length: ROUNDS }, (_, i) => ({
    meetingId: `m${i % 5}`,
    date: `2026-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + Math.floor(i / 12)).padStart(2, "0")}`,
  }));

  it("gives each reminder's claim to exactly one caller, and each expired claim's retake to exactly one", async () => {
    expect(await race(reminderKeys, (store, key) => store.claimReminder(key, T0, LEASE_MS))).toEqual(
      reminderKeys.map(() => 1),
    );
    const later = new Date(T0.getTime() + LEASE_MS + 1);
    expect(await race(reminderKeys, (store, key) => store.claimReminder(key, later, LEASE_MS))).toEqual(
      reminderKeys.map(() => 1),
    );
    const [first] = replicas;
    for (const key of reminderKeys) expect(await first.getReminder(key)).toMatchObject({ claimedAt: later });
  });

  it("keeps a reminder sent when one replica records it sent while the other drops it", async () => {
    const [first, second] = replicas;
    await Promise.all(reminderKeys.map((key) => first.claimReminder(key, T0, LEASE_MS)));
    await Promise.all(
      reminderKeys.flatMap((key, i) =>
        i % 2
          ? [first.markReminderSent(key, T0, `ts-${i}`), second.markReminderDropped(key, "meeting started")]
          : [second.markReminderDropped(key, "meeting started"), first.markReminderSent(key, T0, `ts-${i}`)],
      ),
    );
    for (const [i, key] of reminderKeys.entries()) {
      expect(await second.getReminder(key)).toMatchObject({ state: "sent", messageId: `ts-${i}` });
    }
  });

  it("gives each notes announcement to exactly one caller", async () => {
    const wins = await race(occurrences, (store, o) => store.claimNotesAnnouncement(o.meetingId, o.date, T0, LEASE_MS));
    expect(wins).toEqual(occurrences.map(() => 1));
  });

  it("gives each due notes poll to exactly one caller", async () => {
    const wins = await race(occurrences, (store, o) => store.claimNotesPoll(o.meetingId, o.date, T0, LEASE_MS));
    expect(wins).toEqual(occurrences.map(() => 1));
    const due = new Date(T0.getTime() + LEASE_MS);
    expect(await race(occurrences, (store, o) => store.claimNotesPoll(o.meetingId, o.date, due, LEASE_MS))).toEqual(
      occurrences.map(() => 1),
    );
  });

  it("reports each inbound event as new to exactly one caller", async () => {
    const events = Array.from({ length: ROUNDS }, (_, i) => `Ev${i}`);
    expect(await race(events, (store, id) => store.recordInboundEvent(id, T0))).toEqual(events.map(() => 1));
  });

  it("imports each possible topic once, whatever its case, when both replicas import the same notes", async () => {
    const topic = (o: (typeof occurrences)[number], title: string): NewTopic => ({
      meetingId: o.meetingId,
      occurrenceDate: o.date,
      title,
      proposerId: "",
      proposerChat: "",
      proposerName: "Ada",
      source: "notes",
      createdAt: T0,
    });
    let call = 0;
    const wins = await race(occurrences, async (store, o) =>
      Boolean(await store.addTopicIfTitleNew(topic(o, ++call % 2 ? "Podman 6 plan" : "podman 6 PLAN"))),
    );
    expect(wins).toEqual(occurrences.map(() => 1));
    const [first] = replicas;
    for (const o of occurrences) expect(await first.listTopics(o.meetingId, o.date)).toHaveLength(1);
  });

  it("moves each topic (and so tells its proposer) through exactly one replica when both roll over", async () => {
    const [first] = replicas;
    const moving = new Map<number, string>();
    for (const [i, o] of occurrences.entries()) {
      for (const title of ["a", "b", "c"]) {
        const added = await first.addTopic({
          meetingId: o.meetingId,
          occurrenceDate: o.date,
          title: `${title}${i}`,
          proposerId: `U${i}`,
          proposerChat: "slack",
          proposerName: "Ada",
          source: "chat",
          createdAt: T0,
        });
        moving.set(added.id, o.date);
      }
    }
    const returned: number[] = [];
    await race(occurrences, async (store, o) => {
      const moved = await store.moveTopics(o.meetingId, o.date, "2027-01-01");
      returned.push(...moved.map((topic) => topic.id));
      return moved.length > 0;
    });
    expect(returned.sort((a, b) => a - b)).toEqual([...moving.keys()].sort((a, b) => a - b));
  });

  it("shows a claim as its owner's while that replica runs, and as ownerless once it is gone", async () => {
    const [first, second] = replicas;
    const [key] = reminderKeys as [ReminderKey];
    expect(first.replicaKey).not.toBe(second.replicaKey);
    expect(await first.claimReminder(key, T0, LEASE_MS)).toBe(true);
    expect((await second.getReminder(key))?.ownerGone).toBeUndefined();
    first.close();
    // The server sees the closed session within moments; ask until it does (bounded).
    const deadline = Date.now() + 5_000;
    let record = await second.getReminder(key);
    while (!record?.ownerGone && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // poll interval of the check
      record = await second.getReminder(key);
    }
    expect(record).toMatchObject({ state: "claimed", ownerGone: true });
    // Retaking it (compare-and-swap on the claim time seen) makes it the second replica's, owner alive again.
    const seen = (record as NonNullable<typeof record>).claimedAt.getTime();
    const retakeAt = new Date(seen + 3_000);
    expect(await second.claimReminder(key, retakeAt, retakeAt.getTime() - seen - 1)).toBe(true);
    expect((await second.getReminder(key))?.ownerGone).toBeUndefined();
  });
});
