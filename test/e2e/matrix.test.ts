// One bot process on Slack and Matrix at once, against a real Synapse on loopback and the Slack Web API stand-in:
// one agenda fed from both chats, a reminder once in each place across a kill -9, questions in a DM, and hostile
// text that never becomes a ping or live HTML.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { type ApiCall, SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";
import { type MatrixWorld, type RoomEvent, startMatrixWorld, synapseAvailable, waitFor } from "../support/synapse.js";

const available = synapseAvailable("Matrix end-to-end tests");

// A one-off meeting 10:00 UTC; reminders 170 s and 160 s before. The bot's clock starts 15 s before the first.
const START = Date.parse("2026-12-03T10:00:00Z");
const FIRST_DUE = START - 170_000;
const config = (alias: string) => `
displayZones: [America/New_York, Asia/Tokyo]
meetings:
  - id: shared
    title: Podman Shared Meeting
    slack: C0SHARED00
    matrix: "${alias}"
    timezone: Etc/UTC
    time: "10:00"
    dates: ["2026-12-03T10:00"]
    reminders: ["170s", "160s"]
`;

const isReminderPost = (offsetMs: number) => (call: ApiCall) =>
  call.method === "chat.postMessage" &&
  JSON.stringify(call.args.metadata ?? {}).includes(`reminder:shared:2026-12-03:${offsetMs}:`);

describe.skipIf(!available)("the bot on Matrix and Slack at once, against Synapse", () => {
  let world: MatrixWorld;
  let api: SlackApiStandIn;
  let apiUrl: string;
  let roomId: string;
  let dmId: string;
  let bot: BotProcess;
  let port: number;
  const dir = tempDir();

  const botEvents = async (room: string): Promise<RoomEvent[]> =>
    (await world.alice.messages(room)).filter((event) => event.sender === world.bot.userId);
  const bodyOf = (event: RoomEvent) => String(event.content.body);

  async function startBot(clockStart: Date): Promise<BotProcess> {
    api.runClockFrom(clockStart);
    port = await freePort();
    return startSlackBot(
      {
        ...slackHttpEnv(apiUrl, dir),
        CABALBOT_CLOCK_START: clockStart.toISOString(),
        MATRIX_HOMESERVER_URL: world.homeserver.url,
        MATRIX_ACCESS_TOKEN: world.bot.accessToken,
      },
      port,
    );
  }

  /** Alice says something in a room and waits for the bot's notice that answers it (the first after it). */
  async function say(room: string, text: string): Promise<RoomEvent> {
    const before = (await botEvents(room)).length;
    await world.alice.send(room, text);
    return waitFor(`the bot's answer to ${JSON.stringify(text)}`, async () => (await botEvents(room))[before], 15_000);
  }

  async function slack(text: string): Promise<string> {
    const response = await slashCommand(`http://127.0.0.1:${port}`, { text, channel_id: "C0SHARED00" });
    return String(((await response.json()) as { text?: string }).text);
  }

  beforeAll(async () => {
    world = await startMatrixWorld();
    api = new SlackApiStandIn();
    apiUrl = await api.start();
    roomId = await world.alice.createRoom({ alias: "podman", name: "Podman" });
    writeConfig(dir, config("#podman:localhost"));
    bot = await startBot(new Date(FIRST_DUE - 15_000));
    await world.alice.waitForMembership(roomId, world.bot.userId, "join", 15_000);
    dmId = await world.alice.createDm(world.bot.userId);
    await world.alice.waitForMembership(dmId, world.bot.userId, "join", 15_000);
  }, 90_000);

  afterAll(async () => {
    if (process.env.DEBUG_MATRIX_E2E) console.log(bot?.output);
    await bot?.kill("SIGKILL");
    await api?.stop();
    await world?.homeserver.stop();
  });

  it("keeps one agenda for both chats, posts each reminder once in each place across a kill -9, and pings nobody", async () => {
    // One agenda: a topic from Matrix and one from Slack, listed the same on both.
    const added = await say(roomId, "!cabal topic add Podman 6 release plan");
    expect(bodyOf(added)).toContain("Added topic 1 to Podman Shared Meeting");
    expect(await slack("topic add Quadlet docs")).toContain("Quadlet docs");
    const listed = bodyOf(await say(roomId, "!cabal topic list"));
    expect(listed).toContain("1. Podman 6 release plan");
    expect(listed).toContain("2. Quadlet docs");
    const slackList = await slack("topic list");
    expect(slackList).toContain("Podman 6 release plan");
    expect(slackList).toContain("Quadlet docs");

    // Hostile text from Matrix: stored as typed, shown as text, never a tag, a link or a room ping.
    const hostile = '<img src=x onerror=alert(1)> @room <a href="javascript:alert(1)">x</a> @bob:localhost';
    const hostileReply = await say(roomId, `!cabal topic add ${hostile}`);
    expect(bodyOf(hostileReply)).toContain("Added topic 3");
    const removed = await say(roomId, "!cabal topic remove 3");
    expect(bodyOf(removed)).toContain("Removed topic 3");
    expect(bodyOf(await say(roomId, "!cabal <b>boom</b> @room"))).toContain("!cabal");

    // A question in a DM gets the same answer as on Slack.
    const answer = await say(dmId, "when is the next meeting?");
    expect(bodyOf(answer)).toContain("The next Podman Shared Meeting is Thursday, December 3, 2026, 10:00");

    // The first reminder: once on Slack and once on Matrix, with the one agenda.
    await waitFor(
      "the first reminder in the Matrix room",
      async () => (await botEvents(roomId)).find((e) => bodyOf(e).includes("starts in 170 seconds")),
      30_000,
    );
    await api.waitFor(isReminderPost(170_000), 1, 20_000);
    const [reminder] = (await botEvents(roomId)).filter((e) => bodyOf(e).includes("starts in 170 seconds"));
    expect(bodyOf(reminder as RoomEvent)).toContain("1. Podman 6 release plan");
    expect(bodyOf(reminder as RoomEvent)).toContain("2. Quadlet docs");

    // kill -9 between the reminders; the restarted bot's clock goes on from where it was.
    const repliesBefore = (await botEvents(roomId)).length;
    await bot.kill("SIGKILL");
    bot = await startBot(new Date(FIRST_DUE + 5_000));
    await waitFor(
      "the second reminder in the Matrix room",
      async () => (await botEvents(roomId)).find((e) => bodyOf(e).includes("starts in 160 seconds")),
      30_000,
    );
    await api.waitFor(isReminderPost(160_000), 1, 20_000);

    const events = await botEvents(roomId);
    expect(events.filter((e) => bodyOf(e).includes("starts in 170 seconds"))).toHaveLength(1);
    expect(events.filter((e) => bodyOf(e).includes("starts in 160 seconds"))).toHaveLength(1);
    expect(api.calls.filter(isReminderPost(170_000))).toHaveLength(1);
    expect(api.calls.filter(isReminderPost(160_000))).toHaveLength(1);
    // The restart replayed no command: the only new notice is the second reminder.
    expect(events.length).toBe(repliesBefore + 1);

    // Nothing the bot sent on Matrix pings anyone or carries live HTML.
    for (const event of [...events, ...(await botEvents(dmId))]) {
      expect(event.content.msgtype).toBe("m.notice");
      expect(event.content["m.mentions"]).toEqual({});
      const formatted = String(event.content.formatted_body ?? "");
      expect(formatted).not.toMatch(/<(?!\/?(b|br)\b)[a-z]/i);
      expect(bodyOf(event)).not.toMatch(/@room\b/);
      expect(formatted).not.toMatch(/@room\b/);
    }
    // And Slack got no live mention from the Matrix text either.
    expect(JSON.stringify(api.calls)).not.toMatch(/<!(here|channel|everyone)|<@U|javascript:alert/);
  }, 120_000);
});
