// The PostgreSQL store when its server goes away: calls are retried through a restart within a bounded window,
// each acknowledged write lands once, and past the window the caller gets a typed error a person is told about.
import { afterAll, afterEach, beforeAll, expect, it } from "vitest";
import { PostgresStore } from "../../src/adapters/postgres/postgres-store.js";
import type { BotDeps } from "../../src/app/deps.js";
import { type NewTopic, StoreUnavailableError } from "../../src/app/ports.js";
import { runCabalCommand } from "../../src/app/run-command.js";
import { sendDueReminders } from "../../src/app/send-due-reminders.js";
import { describeRefusal } from "../../src/domain/refusal.js";
import { plainWording } from "../../src/domain/wording.js";
import { FakeChat } from "../support/fake-chat.js";
import { FixedClock } from "../support/fixed-clock.js";
import { slackUser, testMeeting } from "../support/meetings.js";
import { MemoryLog } from "../support/memory-log.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { describeWithPostgres } from "../support/postgres-suite.js";

const HOUR = 3_600_000;

function topic(title: string): NewTopic {
  return {
    meetingId: "cabal",
    occurrenceDate: "2025-03-20",
    title,
    proposerId: "U1",
    proposerChat: "slack",
    proposerName: "Ada",
    source: "chat",
    createdAt: new Date("2025-03-01T00:00:00Z"),
  };
}

describeWithPostgres("PostgresStore when the server restarts", () => {
  let server: PostgresServer;
  let running = true;
  const stores: PostgresStore[] = [];

  async function openStore(retryWindowMs?: number): Promise<PostgresStore> {
    const store = await PostgresStore.open(await server.createDatabase(), { retryWindowMs });
    stores.push(store);
    return store;
  }

  async function stopServer() {
    await server.stopNow();
    running = false;
  }

  async function startServer() {
    await server.start();
    running = true;
  }

  beforeAll(async () => {
    server = await startPostgresServer();
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) store.close();
    if (!running) await startServer();
  });

  afterAll(async () => {
    await server?.remove();
  });

  it("carries on through a restart: every acknowledged topic is stored, none twice", async () => {
    const store = await openStore();
    const acknowledged: number[] = [];
    let writing = true;
    // Four writers keep adding while the server goes down for a second and comes back.
    const writers = Array.from({ length: 4 }, async (_, writer) => {
      for (let n = 0; writing || n < 5; n++) {
        acknowledged.push((await store.addTopic(topic(`w${writer}-${n}`))).id);
      }
    });
    await store.listTopics("cabal", "2025-03-20"); // the writers are connected before the restart
    await server.restart({ downForMs: 1_000 });
    writing = false;
    await Promise.all(writers);

    const stored = await store.listTopics("cabal", "2025-03-20");
    expect(stored.map((t) => t.id).sort((a, b) => a - b)).toEqual([...acknowledged].sort((a, b) => a - b));
    expect(new Set(stored.map((t) => t.title)).size).toBe(stored.length);
  });

  it("gives up within its window with a typed error, reports itself unhealthy, and recovers", async () => {
    const store = await openStore(1_000);
    await stopServer();
    const started = Date.now();
    await expect(store.addTopic(topic("while down"))).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await store.health()).toMatchObject({ ok: false, problem: expect.stringMatching(/unreachable/) });

    await startServer();
    expect(await store.health()).toEqual({ ok: true });
    expect((await store.addTopic(topic("after"))).title).toBe("after");
    expect((await store.listTopics("cabal", "2025-03-20")).map((t) => t.title)).toEqual(["after"]);
  });

  it("tells the person their topic was not saved, and posts no reminder, while the database is away", async () => {
    const store = await openStore(500);
    const meeting = testMeeting({ remindersMs: [HOUR] });
    // Thursday 2025-03-20 11:00 EDT = 15:00Z: the one-hour reminder is due at 14:00Z.
    const clock = new FixedClock("2025-03-20T14:00:01Z");
    const chat = new FakeChat(clock);
    const deps: BotDeps = {
      config: { current: () => ({ displayZones: ["Europe/Berlin"], admins: [], meetings: [meeting] }) },
      store,
      clock,
      chat,
      log: new MemoryLog(),
    };
    await stopServer();
    const outcome = await runCabalCommand(deps, { text: "topic add Lost?", user: slackUser("U1"), userName: "ada" });
    expect(outcome).toEqual({ kind: "rejected", reason: { code: "storage-unavailable", kind: "unreachable" } });
    expect(outcome.kind === "rejected" && describeRefusal(outcome.reason, plainWording("/cabal"))).toMatch(
      /^Nothing was saved: the bot cannot reach its database right now/,
    );
    expect((await sendDueReminders(deps)).sent).toBe(0);
    expect(chat.attempts).toBe(0);

    await startServer();
    expect(await store.listTopics("cabal", "2025-04-17")).toEqual([]);
    expect((await sendDueReminders(deps)).sent).toBe(1);
    expect((await sendDueReminders(deps)).sent).toBe(0);
    expect(chat.reminders()).toHaveLength(1);
  });
});
