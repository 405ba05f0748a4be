// Two real bot processes on one PostgreSQL server, both serving Slack over HTTP and both ticking, against the Web
// API stand-in: a burst of /cabal topic add spread over both while one is killed (SIGKILL) and restarted twice,
// reminders of 20 meetings falling due while a replica is killed, a replica killed halfway through posting a
// reminder, and one notes announcement.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { OWNER_GONE_GRACE_MS } from "../../src/app/send-due-reminders.js";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { describeWithPostgres } from "../support/postgres-suite.js";
import { type ApiCall, SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";

const TOPICS = 200;
const REMINDER_MEETINGS = 20;
const AGENDA_CHANNEL = "C0AGENDA";
const MINUTE = 60_000;

/** Notes that 404 until the test publishes them. */
class NotesServer {
  readonly requests: number[] = [];
  published = false;
  private readonly server: Server = createServer((_req, res) => {
    this.requests.push(Date.now());
    for (const wake of this.waiters) wake();
    if (!this.published) {
      res.writeHead(404).end("not yet");
      return;
    }
    res
      .writeHead(200, { "content-type": "text/markdown; charset=utf-8" })
      .end("# Replica test meeting\n\n## Topics\n\n- Failover drill - Ada\n");
  });

  private readonly waiters = new Set<() => void>();

  /** Resolves once `count` requests have arrived. */
  waitForRequests(count: number, timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.requests.length < count) return;
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        reject(new Error(`only ${this.requests.length} of ${count} notes requests within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** "YYYY-MM-DDTHH:MM" in UTC, the config's date format. */
function minuteUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 16);
}

interface Replica {
  name: string;
  port: number;
  bot?: BotProcess;
  /** Output of earlier runs of this replica (killed ones included). */
  pastOutput: string;
}

describeWithPostgres("two replicas on one PostgreSQL", () => {
  let server: PostgresServer;
  let databaseUrl: string;
  let db: pg.Client;
  const api = new SlackApiStandIn();
  const notes = new NotesServer();
  let env: Record<string, string>;
  let dir: string;
  let notesBase: string;
  const replicas: Replica[] = [];
  /** The notes meeting started two minutes before the run: its notes are polled from the start. */
  const notesMeetingStart = Math.floor((Date.now() - 2 * MINUTE) / MINUTE) * MINUTE;

  /** A one-off meeting with one reminder, as a config entry. */
  const oneOffMeeting = (id: string, title: string, channel: string, due: { startMs: number; offsetS: number }) => `
  - id: ${id}
    title: ${title}
    channel: ${channel}
    timezone: UTC
    time: "${minuteUtc(due.startMs).slice(11)}"
    dates: ["${minuteUtc(due.startMs)}"]
    reminders: ["${due.offsetS}s"]`;

  function config(
    reminders: { startMs: number; offsetS: number } | undefined,
    failover?: { id: string; channel: string; startMs: number; offsetS: number },
  ): string {
    const reminderMeetings = [
      ...(reminders
        ? Array.from({ length: REMINDER_MEETINGS }, (_, i) =>
            oneOffMeeting(
              `r${String(i + 1).padStart(2, "0")}`,
              `Replica Reminder ${i + 1}`,
              `C0REM${String(i + 1).padStart(2, "0")}`,
              reminders,
            ),
          )
        : []),
      ...(failover ? [oneOffMeeting(failover.id, "Failover Drill", failover.channel, failover)] : []),
    ].join("");
    return `
displayZones: [Europe/Berlin]
meetings:
  - id: agenda
    title: Replica Agenda Meeting
    channel: ${AGENDA_CHANNEL}
    timezone: UTC
    time: "11:00"
    rrule: "FREQ=WEEKLY;BYDAY=MO"
    reminders: []
  - id: notesmeet
    title: Replica Notes Meeting
    channel: C0NOTES
    timezone: UTC
    time: "${minuteUtc(notesMeetingStart).slice(11)}"
    dates: ["${minuteUtc(notesMeetingStart)}"]
    reminders: []
    notes:
      source: "${notesBase}/notes/{date}.md"
      link: "https://example.org/notes/{date}"
      pollEvery: "5s"
${reminderMeetings}
`;
  }

  async function startReplica(replica: Replica): Promise<void> {
    replica.bot = await startSlackBot(env, replica.port);
  }

  /** Writes the config and waits until both replicas have reloaded it (both are started first if one is down). */
  async function reloadBoth(text: string): Promise<void> {
    for (const replica of replicas) if (!replica.bot) await startReplica(replica);
    writeConfig(dir, text);
    for (const replica of replicas) {
      const bot = replica.bot as BotProcess;
      const reloads = (bot.output.match(/configuration reloaded/g) ?? []).length;
      process.kill(bot.pid as number, "SIGHUP");
      await bot.waitForOutput(new RegExp(`(?:configuration reloaded[\\s\\S]*){${reloads + 1}}`));
    }
  }

  /** A reminder due `inMs` from now, for meetings starting at the next whole minute at least a minute after. */
  function dueIn(inMs: number): { dueAt: number; startMs: number; offsetS: number } {
    const dueAt = Date.now() + inMs;
    const startMs = Math.ceil((dueAt + MINUTE) / MINUTE) * MINUTE;
    return { dueAt, startMs, offsetS: Math.round((startMs - dueAt) / 1000) };
  }

  async function killReplica(replica: Replica): Promise<void> {
    const bot = replica.bot;
    replica.bot = undefined;
    if (!bot) return;
    await bot.kill("SIGKILL");
    replica.pastOutput += bot.output;
  }

  beforeAll(async () => {
    server = await startPostgresServer();
    databaseUrl = await server.createDatabase();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    notesBase = await notes.start();
    dir = tempDir();
    writeConfig(dir, config(undefined));
    const apiUrl = await api.start();
    env = { ...slackHttpEnv(apiUrl, dir), CABALBOT_DB: databaseUrl };
    for (const name of ["A", "B"]) replicas.push({ name, port: await freePort(), pastOutput: "" });
    // Both start together: both migrate the empty database at once.
    await Promise.all(replicas.map(startReplica));
  }, 60_000);

  afterAll(async () => {
    for (const replica of replicas) await killReplica(replica);
    await db?.end();
    await api.stop();
    notes.stop();
    await server?.remove();
  });

  it("stores every acknowledged topic once while a replica is killed and restarted twice mid-burst", async () => {
    const [a, b] = replicas as [Replica, Replica];
    const acknowledged: string[] = [];
    const unanswered: string[] = [];

    // Like a load balancer: a replica that refuses the connection gets nothing, and the other one is tried;
    // a request that reached a replica that then died stays unanswered (Slack does not retry slash commands).
    async function addTopic(n: number): Promise<void> {
      const title = `burst topic ${n}`;
      const order = n % 2 ? [a, b] : [b, a];
      for (const replica of order) {
        try {
          const reply = await slashCommand(`http://127.0.0.1:${replica.port}`, {
            text: `topic add ${title}`,
            user_id: `U0USER${n % 7}`,
            channel_id: AGENDA_CHANNEL,
          });
          const body = (await reply.json()) as { text?: string };
          if (reply.status === 200 && body.text?.includes(`Added topic`)) acknowledged.push(title);
          else unanswered.push(title);
          return;
        } catch (error) {
          if ((error as { cause?: { code?: string } }).cause?.code === "ECONNREFUSED") continue;
          unanswered.push(title);
          return;
        }
      }
      unanswered.push(title);
    }
    const burst = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => addTopic(from + i));

    await Promise.all(burst(0, 40));
    // Killed while the next 20 commands are in flight; the load balancer then sends everything to A.
    const inFlight = burst(40, 60);
    await killReplica(b);
    await Promise.all([...inFlight, ...burst(60, 90)]);
    const restarting = startReplica(b);
    await Promise.all(burst(90, 110));
    await restarting;
    await Promise.all(burst(110, 140));
    const inFlightAgain = burst(140, 160);
    await killReplica(b);
    await Promise.all([...inFlightAgain, ...burst(160, 175)]);
    await startReplica(b);
    await Promise.all(burst(175, TOPICS));

    process.stderr.write(
      `two replicas: ${acknowledged.length} of ${TOPICS} topic adds acknowledged, ${unanswered.length} cut off by a kill\n`,
    );
    const stored = await db.query<{ title: string; copies: number }>(
      "SELECT title, count(*)::int AS copies FROM topics WHERE meeting_id = 'agenda' GROUP BY title",
    );
    const copies = new Map(stored.rows.map((row) => [row.title, row.copies]));
    expect(acknowledged.length + unanswered.length).toBe(TOPICS);
    expect(acknowledged.length).toBeGreaterThanOrEqual(TOPICS - 40); // at most the in-flight ones go unanswered
    for (const title of acknowledged) expect(copies.get(title), title).toBe(1);
    expect([...copies.values()].filter((n) => n > 1)).toEqual([]);
    // Both replicas served commands.
    expect(a.bot?.output).toMatch(/topic added/);
    expect(b.pastOutput + (b.bot?.output ?? "")).toMatch(/topic added/);
  }, 90_000);

  it("posts each of 20 reminders falling due while a replica is killed exactly once", async () => {
    // Due ten seconds from now; the meetings start at the next whole minute at least a minute after that.
    const { startMs, offsetS } = dueIn(10_000);
    await reloadBoth(config({ startMs, offsetS }));
    const isReminder = (call: ApiCall) =>
      call.method === "chat.postMessage" && String(call.args.channel).startsWith("C0REM");

    // The moment the first reminder goes out, A (which may be halfway through the others) is killed.
    await api.waitFor(isReminder, 1, 30_000);
    const [a] = replicas as [Replica, Replica];
    await killReplica(a);

    const deadline = Date.now() + 60_000;
    let sent = 0;
    while (sent < REMINDER_MEETINGS) {
      if (Date.now() > deadline) throw new Error(`only ${sent} of ${REMINDER_MEETINGS} reminders recorded sent`);
      const result = await db.query<{ sent: number }>(
        "SELECT count(*)::int AS sent FROM reminders WHERE meeting_id LIKE 'r%' AND state = 'sent'",
      );
      sent = result.rows[0]?.sent ?? 0;
      await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval of the check, not a guess
    }
    await startReplica(a);

    const posts = api.calls.filter(isReminder);
    const byChannel = new Map<string, number>();
    for (const post of posts)
      byChannel.set(String(post.args.channel), (byChannel.get(String(post.args.channel)) ?? 0) + 1);
    expect(byChannel.size).toBe(REMINDER_MEETINGS);
    expect([...byChannel.values()].every((n) => n === 1)).toBe(true);

    const lateness = await db.query<{ late_ms: number }>(
      "SELECT (sent_at - $1::bigint)::float8 AS late_ms FROM reminders WHERE meeting_id LIKE 'r%'",
      [startMs - offsetS * 1000],
    );
    const worst = Math.max(...lateness.rows.map((row) => row.late_ms));
    process.stderr.write(`two replicas: 20 reminders due during a kill, worst lateness ${worst} ms\n`);
    // Never early; a claim the killed replica held is retaken once the server shows it gone (a short grace), so
    // late by seconds, not by the 30-second lease of a claim whose owner may still be at work.
    expect(worst).toBeGreaterThanOrEqual(0);
    expect(worst).toBeLessThan(OWNER_GONE_GRACE_MS + 7_000);
  }, 90_000);

  it.each([
    { posted: true, what: "had reached the channel" },
    { posted: false, what: "never reached the channel" },
  ])(
    "finishes a reminder whose replica was killed halfway through posting it (the post $what), once, within seconds",
    async ({ posted }) => {
      const id = posted ? "failposted" : "faillost";
      const channel = posted ? "C0FAILPOSTED" : "C0FAILLOST";
      const due = dueIn(8_000);
      // The first post to the channel is held by "Slack" and never answered: whoever sends it is stuck in it.
      api.postWithoutAnswerOnce({ channel, posted });
      await reloadBoth(config(undefined, { id, channel, ...due }));
      const isPost = (call: ApiCall) => call.method === "chat.postMessage" && call.args.channel === channel;
      await api.waitFor(isPost, 1, 30_000);

      // The replica stuck in the post is the one whose key the claim names ("database open" logs each one's key).
      const claim = await db.query<{ owner_key: number }>("SELECT owner_key FROM reminders WHERE meeting_id = $1", [
        id,
      ]);
      const owner = claim.rows[0]?.owner_key;
      const stuck = replicas.find((replica) => replica.bot?.output.includes(`"replicaKey":${owner},`));
      expect(stuck, `no running replica logged key ${owner}`).toBeDefined();
      const killedAt = Date.now();
      await killReplica(stuck as Replica);

      const deadline = Date.now() + 20_000;
      let sentAt: number | undefined;
      while (sentAt === undefined) {
        if (Date.now() > deadline) {
          const survivor = replicas.find((replica) => replica !== stuck)?.bot?.output ?? "";
          const row = await db.query("SELECT * FROM reminders WHERE meeting_id = $1", [id]);
          throw new Error(
            `the reminder of ${id} was not recorded sent within 20 s of the kill (${JSON.stringify(row.rows)}); ` +
              `the other replica's log:\n${survivor.slice(-4_000)}`,
          );
        }
        const row = await db.query<{ sent_at: number }>(
          "SELECT sent_at FROM reminders WHERE meeting_id = $1 AND state = 'sent'",
          [id],
        );
        sentAt = row.rows[0]?.sent_at;
        if (sentAt === undefined) await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval of the check
      }
      const takeover = sentAt - killedAt;
      process.stderr.write(
        `two replicas: killed mid-post (${posted ? "posted" : "lost"}), the other finished it ${takeover} ms after the kill\n`,
      );
      // Exactly one message in the channel: found there by the survivor, or posted by it when it was not.
      expect(api.posted.filter((m) => m.channel === channel)).toHaveLength(1);
      expect(api.calls.filter(isPost)).toHaveLength(posted ? 1 : 2);
      expect(takeover).toBeLessThan(OWNER_GONE_GRACE_MS + 5_000);
      expect(sentAt - due.dueAt).toBeGreaterThanOrEqual(0);
      await startReplica(stuck as Replica);
    },
    60_000,
  );

  it("fetches the notes on one replica per poll and announces them once", async () => {
    const isAnnouncement = (call: ApiCall) => call.method === "chat.postMessage" && call.args.channel === "C0NOTES";
    // Both replicas poll while the notes are missing; then they appear.
    await notes.waitForRequests(3, 30_000);
    notes.published = true;
    await api.waitFor(isAnnouncement, 1, 30_000);
    const date = minuteUtc(notesMeetingStart).slice(0, 10);
    const deadline = Date.now() + 10_000;
    for (;;) {
      const watch = await db.query(
        "SELECT 1 FROM notes_watch WHERE meeting_id = 'notesmeet' AND announced_at IS NOT NULL",
      );
      if (watch.rowCount === 1) break;
      if (Date.now() > deadline) throw new Error(`the announcement of ${date} was never recorded`);
      await new Promise((resolve) => setTimeout(resolve, 200)); // poll interval of the check
    }
    expect(api.calls.filter(isAnnouncement)).toHaveLength(1);
    // Each poll was made by one replica: polls are pollEvery (5 s) apart, never two at once.
    const gaps = notes.requests.slice(1).map((at, i) => at - (notes.requests[i] as number));
    expect(Math.min(...gaps)).toBeGreaterThan(4_000);
  }, 60_000);
});
