// Subscriptions with the real bot process: signed `/cabal` commands in, the Web API stand-in out. Subscribers get
// each reminder as a direct message, nobody else is messaged or pinged, the last reminder mentions the agenda's
// proposers, and a reload that cancels an occurrence tells its subscribers and proposers once.
import { afterEach, describe, expect, it } from "vitest";
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

// One occurrence at 22:16 London (= UTC) on 2023-11-14, reminders 170 s and 160 s before (22:13:10Z, 22:13:20Z).
const REMINDED = `
displayZones: [America/New_York]
meetings:
  - id: subs
    title: Subscription Test Meeting
    channel: C0SUBSCR
    timezone: Europe/London
    time: "22:16"
    dates: ["2023-11-14T22:16"]
    reminders: ["170s", "160s"]
`;
const START = Date.parse("2023-11-14T22:16:00Z");
const FIRST_DUE = START - 170_000;

// A weekly Thursday meeting; the bot's clock stands on Tuesday 2029-12-18, so the next one is 2029-12-20.
const WEEKLY = (skip: string[]) => `
displayZones: [Europe/Berlin]
meetings:
  - id: weekly
    title: Weekly Sync
    channel: C0WEEKLY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=WEEKLY;BYDAY=TH"
    skip: ${JSON.stringify(skip)}
    reminders: []
`;

type Reply = { text: string };

const postsTo = (api: SlackApiStandIn, channel: string) =>
  api.callsTo("chat.postMessage").filter((call) => call.args.channel === channel);
const markerOf = (call: ApiCall) =>
  (call.args.metadata as { event_payload?: { marker?: string } } | undefined)?.event_payload?.marker ?? "";
const everything = (api: SlackApiStandIn) => JSON.stringify(api.calls.map((call) => call.args));

describe("subscriptions with the real bot", () => {
  const running: BotProcess[] = [];
  const apis: SlackApiStandIn[] = [];

  afterEach(async () => {
    for (const bot of running.splice(0)) await bot.kill("SIGKILL");
    for (const api of apis.splice(0)) await api.stop();
  });

  async function standIn(): Promise<[SlackApiStandIn, string]> {
    const api = new SlackApiStandIn();
    apis.push(api);
    return [api, await api.start()];
  }

  async function start(api: SlackApiStandIn, apiUrl: string, dir: string, clockStart: Date) {
    api.runClockFrom(clockStart);
    const port = await freePort();
    const bot = await startSlackBot(
      { ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: clockStart.toISOString() },
      port,
    );
    running.push(bot);
    const base = `http://127.0.0.1:${port}`;
    const cabal = async (text: string, user: string, channel: string): Promise<Reply> => {
      const response = await slashCommand(base, {
        text,
        user_id: user,
        user_name: user.toLowerCase(),
        channel_id: channel,
      });
      expect(response.status).toBe(200);
      return (await response.json()) as Reply;
    };
    return { bot, cabal };
  }

  it("DMs each reminder to subscribers only, stops after unsubscribe, and mentions proposers in the last one", async () => {
    const [api, apiUrl] = await standIn();
    const dir = tempDir();
    writeConfig(dir, REMINDED);
    const { bot, cabal } = await start(api, apiUrl, dir, new Date(FIRST_DUE - 12_000));

    // Ada and Dan subscribe (in the channel, without naming the meeting; by id in a DM); Bob changes his mind.
    expect((await cabal("subscribe", "U0ADA", "C0SUBSCR")).text).toContain("Subscribed to Subscription Test Meeting");
    expect((await cabal("subscribe subs", "U0DAN", "D0DAN")).text).toContain("Subscribed to");
    await cabal("subscribe", "U0BOB", "C0SUBSCR");
    expect((await cabal("unsubscribe subs", "U0BOB", "C0SUBSCR")).text).toContain("Unsubscribed from");
    expect((await cabal("subscriptions", "U0BOB", "C0SUBSCR")).text).toContain("You are not subscribed to any meeting");
    // Carol proposes a topic (its title tries a ping) and Eve another: both are named in the last reminder only.
    await cabal("topic add &lt;!channel&gt; <!here> release plan", "U0CAROL", "C0SUBSCR");
    await cabal("topic add CI flakes", "U0EVE", "C0SUBSCR");

    // The first reminder: the channel, Ada and Dan.
    const adaDm = api.directChannelOf("U0ADA");
    const danDm = api.directChannelOf("U0DAN");
    await api.waitFor((c) => c.method === "chat.postMessage" && markerOf(c).includes(":170000:"), 3, 20_000);
    expect(postsTo(api, adaDm)).toHaveLength(1);
    expect(String(postsTo(api, adaDm)[0]?.args.text)).toContain(
      "Reminder: Subscription Test Meeting starts in 170 seconds",
    );
    const firstInChannel = postsTo(api, "C0SUBSCR")[0];
    expect(JSON.stringify(firstInChannel?.args)).not.toContain("<@U0");

    // Ada unsubscribes before the last reminder.
    expect((await cabal("unsubscribe", "U0ADA", "C0SUBSCR")).text).toContain("Unsubscribed from");
    await api.waitFor((c) => c.method === "chat.postMessage" && markerOf(c).includes(":160000:"), 2, 20_000);
    // Dan's copy is the last destination (the channel first, then subscribers in the order they subscribed, Ada
    // before Dan): once it is recorded, a copy for Ada would have gone out already.
    await bot.waitForOutput(/"offsetMs":160000,"room":"dm:slack:U0DAN"[^\n]*"reminder posted"/);

    const last = postsTo(api, "C0SUBSCR")[1];
    expect(String(last?.args.text)).toContain("Proposers: <@U0CAROL>, <@U0EVE>");
    expect(postsTo(api, "C0SUBSCR")).toHaveLength(2);
    expect(postsTo(api, danDm)).toHaveLength(2);
    expect(JSON.stringify(postsTo(api, danDm)[1]?.args)).not.toContain("<@U0");
    expect(postsTo(api, adaDm)).toHaveLength(1);
    // Nobody else was messaged: every post went to the channel or to a subscriber's DM, opened for them only.
    expect(new Set(api.callsTo("chat.postMessage").map((c) => c.args.channel))).toEqual(
      new Set(["C0SUBSCR", adaDm, danDm]),
    );
    expect(new Set(api.callsTo("conversations.open").map((c) => c.args.users))).toEqual(new Set(["U0ADA", "U0DAN"]));
    expect(everything(api)).not.toMatch(/<!channel>|<!here>|<!everyone>/);
  }, 60_000);

  it("tells subscribers and proposers once when a reload cancels an occurrence, not after another reload or a restart", async () => {
    const [api, apiUrl] = await standIn();
    const dir = tempDir();
    writeConfig(dir, WEEKLY([]));
    const clock = new Date("2029-12-18T12:00:00Z");
    const first = await start(api, apiUrl, dir, clock);
    await first.cabal("subscribe weekly", "U0ADA", "D0ADA");
    expect((await first.cabal("topic add Release &amp; plan", "U0CAROL", "C0WEEKLY")).text).toContain("Dec 20, 2029");

    writeConfig(dir, WEEKLY(["2029-12-20"]));
    first.bot.output = "";
    void first.bot.kill("SIGHUP");
    await first.bot.waitForOutput(/"reloaded schedule compared; changes told"/);
    // Queued, then sent by the outbox's job: wait for both messages.
    const isNotice = (call: ApiCall) =>
      call.method === "chat.postMessage" &&
      [api.directChannelOf("U0ADA"), api.directChannelOf("U0CAROL")].includes(String(call.args.channel));
    await api.waitFor(isNotice, 2, 15_000);
    const ada = postsTo(api, api.directChannelOf("U0ADA"));
    const carol = postsTo(api, api.directChannelOf("U0CAROL"));
    expect(ada).toHaveLength(1);
    expect(carol).toHaveLength(1);
    expect(String(ada[0]?.args.text)).toContain(
      "Weekly Sync of Thursday, December 20, 2029, 11:00 EST (UTC-5) is cancelled. The next one is Thursday, December 27, 2029",
    );
    expect(String(carol[0]?.args.text)).toContain(
      "Your topics for it will move to the next meeting:\n• Release &amp; plan",
    );

    // A second reload of the same file: nothing new to tell.
    first.bot.output = "";
    void first.bot.kill("SIGHUP");
    await first.bot.waitForOutput(/"changes":0,"claimed":0,"queued":0[^\n]*reloaded schedule compared/);

    // A restart, the skip taken out and put back: the store remembers it was told.
    await first.bot.kill("SIGTERM");
    running.splice(running.indexOf(first.bot), 1);
    writeConfig(dir, WEEKLY([]));
    const second = await start(api, apiUrl, dir, new Date(clock.getTime() + 60_000));
    void second.bot.kill("SIGHUP");
    await second.bot.waitForOutput(/"changes":0[^\n]*reloaded schedule compared/);
    writeConfig(dir, WEEKLY(["2029-12-20"]));
    second.bot.output = "";
    void second.bot.kill("SIGHUP");
    await second.bot.waitForOutput(/"changes":1,"claimed":0,"queued":0[^\n]*reloaded schedule compared/);

    expect(api.callsTo("chat.postMessage").map((c) => c.args.channel)).toEqual([
      api.directChannelOf("U0ADA"),
      api.directChannelOf("U0CAROL"),
    ]);
    expect(everything(api)).not.toMatch(/<!channel>|<!here>|<!everyone>/);
  }, 60_000);
});
