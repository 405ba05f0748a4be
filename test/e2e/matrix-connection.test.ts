// The Matrix connection against a real Synapse on loopback: what it receives across restarts, what it sends,
// which invites it takes. One homeserver for the file; each test registers its own bot account and rooms.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { html, htmlFromText } from "../../src/adapters/matrix/html.js";
import {
  type IncomingMatrixMessage,
  MatrixConnection,
  type SyncTokenStore,
} from "../../src/adapters/matrix/matrix-connection.js";
import { MatrixRequestError } from "../../src/adapters/matrix/matrix-error.js";
import { MemoryLog } from "../support/memory-log.js";
import {
  type MatrixAccount,
  type MatrixWorld,
  SERVER_NAME,
  startMatrixWorld,
  synapseAvailable,
  waitFor,
} from "../support/synapse.js";

const available = synapseAvailable("Matrix connection tests");

/** The bot's store, as far as the sync token goes: what a restart reads back. */
class MemorySyncTokens implements SyncTokenStore {
  token: string | undefined;
  async loadSyncToken() {
    return this.token;
  }
  async saveSyncToken(token: string) {
    this.token = token;
  }
}

describe.skipIf(!available)("Matrix connection against Synapse", () => {
  let world: MatrixWorld;
  let bots = 0;
  const running = new Set<MatrixConnection>();

  beforeAll(async () => {
    world = await startMatrixWorld();
  });

  afterAll(async () => {
    for (const connection of running) await connection.stop();
    await world?.homeserver.stop();
  });

  /** A fresh bot account, so no test sees another's rooms or invites. */
  async function newBot(): Promise<MatrixAccount> {
    bots += 1;
    return world.homeserver.register(`bot${bots}`);
  }

  interface Started {
    connection: MatrixConnection;
    received: IncomingMatrixMessage[];
    log: MemoryLog;
    /** Waits until a message with this body arrived, and returns everything received by then. */
    waitForBody(body: string): Promise<IncomingMatrixMessage[]>;
  }

  async function start(
    bot: MatrixAccount,
    options: { tokens?: SyncTokenStore; configuredRooms?: string[]; timelineLimit?: number } = {},
  ): Promise<Started> {
    const received: IncomingMatrixMessage[] = [];
    const log = new MemoryLog();
    const connection = await MatrixConnection.connect({
      homeserverUrl: world.homeserver.url,
      accessToken: bot.accessToken,
      syncTokens: options.tokens ?? new MemorySyncTokens(),
      configuredRooms: options.configuredRooms ?? [],
      onMessage: async (message) => {
        received.push(message);
      },
      log,
      syncTimeoutMs: 5_000,
      timelineLimit: options.timelineLimit,
    });
    await connection.start();
    running.add(connection);
    return {
      connection,
      received,
      log,
      waitForBody: (body) =>
        waitFor(`the bot to receive "${body}"`, async () =>
          received.some((m) => m.body === body) ? [...received] : undefined,
        ),
    };
  }

  async function stop(started: Started): Promise<void> {
    await started.connection.stop();
    running.delete(started.connection);
  }

  /** A public room made by Alice that the bot has joined; returns its id. */
  async function roomWithBot(bot: MatrixAccount, alias?: string): Promise<string> {
    const roomId = await world.alice.createRoom({ alias });
    await world.homeserver.person(bot).join(roomId);
    return roomId;
  }

  const bodies = (messages: IncomingMatrixMessage[]) => messages.map((m) => m.body);

  it("logs in with a password, and refuses a wrong one as not worth retrying", async () => {
    const bot = await newBot();
    const login = await MatrixConnection.login(world.homeserver.url, bot.localpart, bot.password);
    expect(login.userId).toBe(bot.userId);
    const connection = await MatrixConnection.connect({
      homeserverUrl: world.homeserver.url,
      accessToken: login.accessToken,
      syncTokens: new MemorySyncTokens(),
      configuredRooms: [],
      onMessage: async () => {},
      log: new MemoryLog(),
    });
    expect(connection.userId).toBe(bot.userId);

    const refused = await MatrixConnection.login(world.homeserver.url, bot.localpart, "wrong").catch((e) => e);
    expect(refused).toBeInstanceOf(MatrixRequestError);
    expect(refused).toMatchObject({ retryable: false, errcode: "M_FORBIDDEN" });
  });

  it("on the first start ignores what was said before, and delivers what is said after", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    await world.alice.send(roomId, "!cabal topic add said before the bot ever started");

    const started = await start(bot);
    await world.alice.send(roomId, "!cabal topic list");

    const received = await started.waitForBody("!cabal topic list");
    expect(bodies(received)).toEqual(["!cabal topic list"]);
    expect(received[0]).toMatchObject({ roomId, sender: world.alice.userId, isDirect: false });
  });

  it("after a restart with the stored token replays nothing and misses nothing said while it was down", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const tokens = new MemorySyncTokens();
    // A timeline of two events per sync, so the five messages sent while down must be read back page by page.
    const first = await start(bot, { tokens, timelineLimit: 2 });
    await world.alice.send(roomId, "before the restart");
    await first.waitForBody("before the restart");
    await stop(first);

    const whileDown = ["down 1", "down 2", "down 3", "down 4", "down 5"];
    for (const body of whileDown) await world.alice.send(roomId, body);

    const second = await start(bot, { tokens, timelineLimit: 2 });
    await world.bob.join(roomId);
    await world.bob.send(roomId, "after the restart");
    const received = await second.waitForBody("after the restart");
    expect(bodies(received)).toEqual([...whileDown, "after the restart"]);
  });

  it("a room it joins later brings no old messages with it", async () => {
    const bot = await newBot();
    const started = await start(bot);
    const roomId = await world.alice.createRoom({ alias: "joined-later" });
    await world.alice.send(roomId, "!cabal next (before the bot joined)");
    await world.alice.invite(roomId, bot.userId);
    // Not configured and not a DM: declined. Configured on the next start, it is joined without its history.
    await world.alice.waitForMembership(roomId, bot.userId, "leave");
    await stop(started);

    const restarted = await start(bot, { configuredRooms: [`#joined-later:${SERVER_NAME}`] });
    await world.alice.waitForMembership(roomId, bot.userId, "join");
    await world.alice.send(roomId, "!cabal next (after the bot joined)");
    const received = await restarted.waitForBody("!cabal next (after the bot joined)");
    expect(bodies(received)).toEqual(["!cabal next (after the bot joined)"]);
  });

  it("joins a DM it is invited to and marks its messages as direct", async () => {
    const bot = await newBot();
    const started = await start(bot);
    const dm = await world.alice.createDm(bot.userId);
    await world.alice.waitForMembership(dm, bot.userId, "join");
    await world.alice.send(dm, "when is the next meeting?");

    const received = await started.waitForBody("when is the next meeting?");
    expect(received.at(-1)).toMatchObject({ roomId: dm, isDirect: true, sender: world.alice.userId });
  });

  it("joins a configured room on invite, and declines a room that is neither configured nor a DM", async () => {
    const bot = await newBot();
    const configured = await world.alice.createRoom({ alias: "cabal", preset: "private_chat" });
    const started = await start(bot, { configuredRooms: [`#cabal:${SERVER_NAME}`] });

    const other = await world.bob.createRoom({ preset: "private_chat", invite: [bot.userId] });
    await world.alice.invite(configured, bot.userId);

    await world.alice.waitForMembership(configured, bot.userId, "join");
    await world.bob.waitForMembership(other, bot.userId, "leave");
    expect(started.log.messages("info")).toContain(
      "Declining an invite to a Matrix room that is neither a DM nor configured",
    );
    await world.alice.send(configured, "!cabal help");
    const received = await started.waitForBody("!cabal help");
    expect(received.at(-1)).toMatchObject({ roomId: configured, isDirect: false });
  });

  it("says in its log that it cannot read an encrypted room it is invited to", async () => {
    const bot = await newBot();
    const started = await start(bot);
    const dm = await world.alice.createDm(bot.userId, { encrypted: true });

    await world.alice.waitForMembership(dm, bot.userId, "leave");
    const warning = started.log.entries.find((e) => e.level === "warn" && /encrypted/.test(e.message));
    expect(warning?.message).toMatch(/cannot read encrypted rooms/);
    expect(warning?.fields).toMatchObject({ roomId: dm, inviter: world.alice.userId });
  });

  it("posts once when the same notice is sent twice with one transaction id", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const started = await start(bot);
    const text = "Reminder: Podman Community Cabal in 1 hour";

    const sent = await started.connection.sendNotice(roomId, { text, html: htmlFromText(text) }, "reminder:cabal:1");
    const resent = await started.connection.sendNotice(roomId, { text, html: htmlFromText(text) }, "reminder:cabal:1");

    expect(resent.eventId).toBe(sent.eventId);
    await world.bob.join(roomId);
    const seen = (await world.bob.messages(roomId)).filter((e) => e.content.body === text);
    expect(seen.map((e) => e.event_id)).toEqual([sent.eventId]);
  });

  it("sends hostile text as a notice that pings nobody and carries no live HTML", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const started = await start(bot);
    const hostile = `@room <a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)> <script>alert(1)</script> ${world.bob.userId} & "q" 'q'\nsecond line`;

    const { eventId } = await started.connection.sendNotice(
      roomId,
      { text: `Topic: ${hostile}`, html: html`<b>Topic:</b> ${htmlFromText(hostile)}` },
      "hostile-1",
    );

    const event = await world.alice.waitForMessage(roomId, "the hostile notice", (e) => e.event_id === eventId);
    expect(event.content.msgtype).toBe("m.notice");
    expect(event.content["m.mentions"]).toEqual({});
    expect(event.content.body).toBe(`Topic: ${hostile}`);
    const formatted = String(event.content.formatted_body);
    const tags = [...formatted.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(["b", "br"]));
    expect(formatted).toContain("&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;");
    expect(formatted).toContain("&#39;q&#39;");
  });

  it("answers an earlier notice as a reply that stays in the room's timeline", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const started = await start(bot);
    const reminder = await started.connection.sendNotice(
      roomId,
      { text: "Cabal soon", html: htmlFromText("Cabal soon") },
      "r-1",
    );
    const notes = await started.connection.sendNotice(
      roomId,
      { text: "Notes are up", html: htmlFromText("Notes are up") },
      "n-1",
      "n-1",
      reminder.eventId,
    );
    const event = await world.alice.waitForMessage(roomId, "the reply", (e) => e.event_id === notes.eventId);
    expect(event.content["m.relates_to"]).toEqual({ "m.in_reply_to": { event_id: reminder.eventId } });
  });

  it("finds a notice it sent by its marker, only within the time asked for", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const started = await start(bot);
    const before = new Date();
    const { eventId } = await started.connection.sendNotice(
      roomId,
      { text: "Notes are up", html: htmlFromText("Notes are up") },
      "txn-notes-1",
      "notes:cabal:2026-04-20",
    );
    await world.alice.send(roomId, "a person's message after it");

    expect(await started.connection.findNoticeWithMarker(roomId, "notes:cabal:2026-04-20", before)).toEqual({
      eventId,
    });
    expect(await started.connection.findNoticeWithMarker(roomId, "notes:cabal:2026-05-04", before)).toBeUndefined();
    const muchLater = new Date(Date.now() + 10 * 60_000);
    expect(await started.connection.findNoticeWithMarker(roomId, "notes:cabal:2026-04-20", muchLater)).toBeUndefined();
  });

  it("reports a rate limit as retryable with the homeserver's delay", async () => {
    const bot = await newBot();
    const roomId = await roomWithBot(bot);
    const admin = world.homeserver.person(await world.homeserver.register(`admin${bots}`, { admin: true }));
    // One message a second with no burst: a second message right after the first is over the limit.
    await admin.adminRequest("POST", `/users/${encodeURIComponent(bot.userId)}/override_ratelimit`, {
      messages_per_second: 1,
      burst_count: 1,
    });
    const started = await start(bot);
    const notice = { text: "hello", html: htmlFromText("hello") };

    await started.connection.sendNotice(roomId, notice, "limit-1");
    const limited = await started.connection.sendNotice(roomId, notice, "limit-2").catch((e) => e);
    expect(limited).toBeInstanceOf(MatrixRequestError);
    expect(limited).toMatchObject({ retryable: true, errcode: "M_LIMIT_EXCEEDED" });
    expect(limited.retryAfterMs).toBeGreaterThan(0);
  });

  it("reports sending to a room it is not in as not worth retrying", async () => {
    const started = await start(await newBot());
    const elsewhere = await world.bob.createRoom({ preset: "private_chat" });
    const notice = { text: "hello", html: htmlFromText("hello") };
    const forbidden = await started.connection.sendNotice(elsewhere, notice, "forbidden-1").catch((e) => e);
    expect(forbidden).toBeInstanceOf(MatrixRequestError);
    expect(forbidden).toMatchObject({ retryable: false, errcode: "M_FORBIDDEN" });
  });
});
