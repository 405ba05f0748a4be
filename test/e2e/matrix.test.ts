// The real bot process on Matrix (a throwaway Synapse on loopback) and Slack (the Web API stand-in) at once:
// one agenda fed from both chats, a reminder in both places exactly once across a kill -9, questions in a DM
// and in a room, and hostile text that never becomes a ping, a link or live HTML. One homeserver for the file;
// each test registers its own bot account and rooms, and runs its own bot process.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotProcess, freePort, slackHttpEnv, startSlackBot, tempDir, writeConfig } from "../support/bot-process.js";
import { type ApiCall, SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";
import {
  type MatrixAccount,
  type MatrixPerson,
  type MatrixWorld,
  type RoomEvent,
  startMatrixWorld,
  synapseAvailable,
} from "../support/synapse.js";

const available = synapseAvailable("Matrix end-to-end tests");

/** The only tags the bot writes: bare, so no attribute (href, src, on…) can exist. */
const OWN_TAG = /^<\/?(b|br|code|em|ul|li)>$/;

/** The event a notice answers (`m.in_reply_to`). */
function repliesTo(event: RoomEvent): string | undefined {
  const relation = event.content["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
  return relation?.["m.in_reply_to"]?.event_id;
}

/**
 * Everything a bot notice must be: a notice, pinging nobody (or only the given people: the last reminder names
 * the agenda's proposers, from their stored ids), with escaped HTML and no `@room`.
 */
function expectHarmless(event: RoomEvent, mentions: { user_ids?: string[] } = {}): void {
  expect(event.content.msgtype).toBe("m.notice");
  expect(event.content["m.mentions"]).toEqual(mentions);
  const formatted = String(event.content.formatted_body ?? "");
  // The only link is the mention pill of a named person; every other tag is the bot's own formatting.
  const pills = new Set((mentions.user_ids ?? []).flatMap((id) => [`<a href="https://matrix.to/#/${id}">`, "</a>"]));
  for (const tag of formatted.match(/<[^>]*>/g) ?? []) if (!pills.has(tag)) expect(tag).toMatch(OWN_TAG);
  expect(String(event.content.body)).not.toMatch(/@room/i);
  expect(formatted).not.toMatch(/@room/i);
}

describe.skipIf(!available)("the bot on Matrix and Slack", () => {
  let world: MatrixWorld;
  let accounts = 0;
  const running: BotProcess[] = [];
  const apis: SlackApiStandIn[] = [];

  beforeAll(async () => {
    world = await startMatrixWorld();
  });

  afterEach(async () => {
    for (const bot of running.splice(0)) await bot.kill("SIGKILL");
    for (const api of apis.splice(0)) await api.stop();
  });

  afterAll(async () => {
    await world?.homeserver.stop();
  });

  async function newBotAccount(): Promise<MatrixAccount> {
    accounts += 1;
    return world.homeserver.register(`cabalbot${accounts}`);
  }

  function matrixEnv(bot: MatrixAccount): Record<string, string> {
    return { MATRIX_HOMESERVER_URL: world.homeserver.url, MATRIX_ACCESS_TOKEN: bot.accessToken };
  }

  /** Sends a message and waits for the bot's reply to it. */
  async function ask(person: MatrixPerson, bot: MatrixAccount, roomId: string, body: string, extra = {}) {
    const eventId = await person.send(roomId, body, extra);
    const reply = await person.waitForMessage(
      roomId,
      `the bot's reply to ${JSON.stringify(body)}`,
      (e) => e.sender === bot.userId && repliesTo(e) === eventId,
    );
    return { eventId, reply, body: String(reply.content.body), html: String(reply.content.formatted_body) };
  }

  it("keeps one agenda from both chats and reminds both rooms exactly once across a kill -9", async () => {
    const api = new SlackApiStandIn();
    apis.push(api);
    const apiUrl = await api.start();
    const bot = await newBotAccount();
    const { alice, bob } = world;
    const alias = `#podman${accounts}:localhost`;
    const roomId = await alice.createRoom({ alias: `podman${accounts}`, name: "Podman" });
    await bob.join(roomId);
    // 22:16 London (= UTC in November) on 2023-11-14; one reminder 170 s before, due at 22:13:10Z.
    const start = Date.parse("2023-11-14T22:16:00Z");
    const due = start - 170_000;
    const dir = tempDir();
    writeConfig(
      dir,
      `
displayZones: [America/New_York, Asia/Tokyo]
admins: ["${alice.userId}"]
meetings:
  - id: community
    title: Podman Community Meeting
    slack: C0PODMAN
    matrix: "${alias}"
    timezone: Europe/London
    time: "22:16"
    dates: ["2023-11-14T22:16"]
    reminders: ["170s"]
`,
    );
    const env = { ...slackHttpEnv(apiUrl, dir), ...matrixEnv(bot) };
    const startBot = async (clockStart: number) => {
      api.runClockFrom(new Date(clockStart));
      const port = await freePort();
      const process = await startSlackBot({ ...env, CABALBOT_CLOCK_START: new Date(clockStart).toISOString() }, port);
      running.push(process);
      return { process, base: `http://127.0.0.1:${port}` };
    };

    // Ten minutes before the reminder: the agenda is made from both chats.
    const first = await startBot(due - 600_000);
    await alice.waitForMembership(roomId, bot.userId, "join");
    const slack = async (text: string, user_id: string, user_name: string) => {
      const response = await slashCommand(first.base, { text, user_id, user_name, channel_id: "C0PODMAN" });
      return ((await response.json()) as { text: string }).text;
    };
    expect((await ask(alice, bot, roomId, "!cabal topic add Rootless networking <via> Matrix <!here>")).body).toContain(
      "Added topic 1 to Podman Community Meeting on 2023-11-14: Rootless networking <via> Matrix <!here>",
    );
    expect(await slack("topic add Quadlet docs from Slack", "U0DAN", "dwalsh")).toContain("Quadlet docs from Slack");
    expect((await ask(bob, bot, roomId, "!cabal topic add A typo")).body).toContain("Added topic 3");
    // Topic 1 is Alice's: Bob may not remove it, only his own.
    expect((await ask(bob, bot, roomId, "!cabal topic remove 1")).body).toBe(
      "Only the person who proposed topic 1 or an admin can remove it.",
    );
    expect((await ask(bob, bot, roomId, "!cabal topic remove 3")).body).toContain("Removed topic 3");
    const slackList = await slack("topic list", "U0DAN", "dwalsh");
    expect(slackList).toContain(`1. Rootless networking &lt;via&gt; Matrix &lt;!here&gt; - ${alice.userId}`);
    expect(slackList).toContain("2. Quadlet docs from Slack - dwalsh");
    expect(slackList).not.toContain("A typo");
    const matrixList = await ask(alice, bot, roomId, "!cabal topic list");
    expect(matrixList.body).toContain(`1. Rootless networking <via> Matrix <!here> - ${alice.userId}`);
    expect(matrixList.body).toContain("2. Quadlet docs from Slack - dwalsh");
    // Every display zone: 22:16 in London is 17:16 in New York and 07:16 the next day in Tokyo.
    expect(matrixList.body).toMatch(/17:16/);
    expect(matrixList.body).toMatch(/07:16/);
    expect(matrixList.html).toContain("<li>1. Rootless networking &lt;via&gt; Matrix &lt;!here&gt;");
    await first.process.kill("SIGTERM");

    // Slack takes the reminder and the bot dies before Slack's answer reaches it: Matrix is next in line.
    const isReminder = (call: ApiCall) =>
      call.method === "chat.postMessage" &&
      String((call.args.metadata as { event_payload?: { marker?: string } })?.event_payload?.marker).startsWith(
        "reminder:community:",
      );
    api.postWithoutAnswerOnce();
    const second = await startBot(due - 3_000);
    await api.waitFor(isReminder, 1, 15_000);
    await second.process.kill("SIGKILL");
    expect(second.process.output).not.toMatch(/"reminder posted"/);
    expect((await alice.messages(roomId)).filter((e) => e.content["cabalbot.marker"])).toEqual([]);

    // Restarted past the claim's lease: Slack's post is found and recorded, Matrix's is posted, once each.
    const third = await startBot(due + 40_000);
    const isMatrixReminder = (e: RoomEvent) =>
      e.sender === bot.userId && String(e.content["cabalbot.marker"]).startsWith("reminder:community:");
    const reminder = await alice.waitForMessage(roomId, "the reminder in the Matrix room", isMatrixReminder, 20_000);
    await third.process.waitForOutput(/reminder had been posted by an earlier attempt/);
    await third.process.waitForOutput(/"reminder posted"/);
    expect(api.calls.filter(isReminder)).toHaveLength(1);
    const messages = await alice.messages(roomId);
    expect(messages.filter(isMatrixReminder)).toHaveLength(1);
    // The last reminder before the meeting names the proposers: Alice (a Matrix id, so a mention), nobody else.
    expectHarmless(reminder, { user_ids: [alice.userId] });
    const text = String(reminder.content.body);
    expect(text).toContain("Podman Community Meeting");
    expect(text).toContain("1. Rootless networking <via> Matrix <!here>");
    expect(text).toContain("2. Quadlet docs from Slack - dwalsh");
    expect(String(api.calls.find(isReminder)?.args.text)).toContain(
      "Rootless networking &lt;via&gt; Matrix &lt;!here&gt;",
    );

    // Two restarts replayed no command: each was answered once.
    const commands = messages.filter((e) => String(e.content.body).startsWith("!cabal"));
    expect(commands).toHaveLength(5);
    for (const command of commands) {
      expect(messages.filter((e) => repliesTo(e) === command.event_id)).toHaveLength(1);
    }
    for (const event of messages.filter((e) => e.sender === bot.userId && !isMatrixReminder(e))) expectHarmless(event);
    // Slack got the Matrix text as text too: no live broadcast; the one mention is the Slack proposer's, in the
    // reminder, built from the id Slack gave with the command.
    expect(JSON.stringify(api.calls)).not.toMatch(/<!(here|channel|everyone)/);
    const slackMentions = api.calls.flatMap((call) => JSON.stringify(call.args).match(/<@[A-Z0-9]+>/g) ?? []);
    expect(new Set(slackMentions)).toEqual(new Set(["<@U0DAN>"]));
    expect(api.calls.filter((call) => JSON.stringify(call.args).includes("<@U0DAN>")).every(isReminder)).toBe(true);
  }, 85_000);

  it("answers questions in a DM and in the room, and never turns hostile text into a ping, a link or HTML", async () => {
    const bot = await newBotAccount();
    const { alice, bob } = world;
    const alias = `#hostile${accounts}:localhost`;
    const roomId = await alice.createRoom({ alias: `hostile${accounts}`, name: "Hostile" });
    await bob.join(roomId);
    const dir = tempDir();
    writeConfig(
      dir,
      `
displayZones: [America/New_York]
meetings:
  - id: hostile
    title: Hostile Test Meeting
    matrix: "${alias}"
    timezone: Europe/London
    time: "16:00"
    dates: ["2031-06-03T16:00"]
    reminders: []
`,
    );
    // Matrix alone: no Slack in this process.
    const env = {
      ...matrixEnv(bot),
      CABALBOT_CONFIG: `${dir}/cabalbot.yml`,
      CABALBOT_DB: `${dir}/bot.sqlite`,
      CABALBOT_CLOCK_START: "2031-05-01T12:00:00Z",
    };
    const startBot = async () => {
      const process = new BotProcess(env);
      running.push(process);
      await process.waitForOutput(/cabalbot is ready/, 30_000);
      return process;
    };
    let process = await startBot();
    await alice.waitForMembership(roomId, bot.userId, "join");

    // A DM, started as Element does (is_direct, unencrypted): every message there is a question.
    const dm = await bob.createDm(bot.userId);
    await bob.waitForMembership(dm, bot.userId, "join");
    const next = await ask(bob, bot, dm, "when is the next meeting?");
    expect(next.body).toContain("The next Hostile Test Meeting is");
    expect(next.body).toContain("June 3, 2031, 16:00");
    expect((await ask(bob, bot, dm, "!cabal tz Asia/Kolkata")).body).toContain("Your time zone is now Asia/Kolkata");
    // 16:00 in London in June (UTC+1) is 20:30 in Kolkata.
    expect((await ask(bob, bot, dm, "!cabal next")).body).toMatch(/Your time: .*20:30/);
    // In a room, a question must be addressed to the bot.
    const addressed = await ask(alice, bot, roomId, `${bot.localpart}: when is the next meeting?`);
    expect(addressed.body).toContain("The next Hostile Test Meeting is");

    // A display name that reads like a command is not a command.
    await alice.request("PUT", `/profile/${encodeURIComponent(alice.userId)}/displayname`, {
      displayname: "!cabal topic add from a display name @room",
    });
    const hostile = `<img src=x onerror=alert(1)> @room <a href="javascript:alert(1)">click</a> ${bob.userId} <b>bold</b>`;
    const added = await ask(alice, bot, roomId, `!cabal topic add ${hostile}`, {
      // The sender's own HTML and mentions are never read.
      format: "org.matrix.custom.html",
      formatted_body: `<a href="javascript:alert(1)">!cabal topic remove 1</a>`,
      "m.mentions": { room: true, user_ids: [bob.userId] },
    });
    expect(added.body).toContain("Added topic 1");
    expect(added.body).toContain('<a href="javascript:alert(1)">click</a>');
    expect(added.body).toContain(bob.userId);
    expect(added.html).toContain("&lt;a href=&quot;javascript:alert(1)&quot;&gt;click&lt;/a&gt;");
    const unknown = await ask(alice, bot, roomId, "!cabal <b>@room</b>");
    expect(unknown.body).toContain("I don't know the command");
    expect(unknown.html).toContain("&lt;b&gt;");

    // A restart replays nothing: the agenda still holds the one topic, and no command was answered twice.
    await process.kill("SIGTERM");
    process = await startBot();
    const list = await ask(alice, bot, roomId, "!cabal topic list");
    expect(list.body).toContain(`1. <img src=x onerror=alert(1)> @\u2060room`);
    expect(list.body).not.toContain("2. ");
    expect(list.body).not.toContain("display name");
    expect(list.html).not.toMatch(/<(a|img)\b/);

    for (const [person, where] of [
      [alice, roomId],
      [bob, dm],
    ] as const) {
      const messages = await person.messages(where);
      const fromBot = messages.filter((e) => e.sender === bot.userId);
      for (const event of fromBot) expectHarmless(event);
      for (const asked of messages.filter((e) => e.sender !== bot.userId && e.type === "m.room.message")) {
        const answers = fromBot.filter((e) => repliesTo(e) === asked.event_id);
        expect(answers.length).toBeLessThanOrEqual(1);
      }
      // Everything asked of the bot got its one answer.
      expect(fromBot.length).toBe(where === dm ? 3 : 4);
    }
    // Bob was not pinged by anything the bot said.
    const { notifications } = (await bob.request("GET", "/notifications?only=highlight")) as {
      notifications: { event: RoomEvent }[];
    };
    expect(notifications.filter((n) => n.event.sender === bot.userId)).toEqual([]);
  }, 60_000);
});
