// Reminders from the real bot process against the Web API stand-in: on time, once, across a kill -9, and
// through a failed first attempt. The bot's clock (CABALBOT_CLOCK_START) stands seconds before the due instants.
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

// The meeting is at 22:16 London time (= UTC in November) on 2023-11-14, reminders 170 s and 160 s before:
// due at 22:13:10Z and 22:13:20Z. The bot's clock stands there, and the stand-in stamps messages by the same
// clock, so a look-up of earlier posts by time (conversations.history `oldest`) compares on the bot's time line.
const CONFIG = `
displayZones: [America/New_York, Asia/Tokyo]
meetings:
  - id: e2e
    title: Reminder Test Meeting
    channel: C0REMIND
    timezone: Europe/London
    time: "22:16"
    dates: ["2023-11-14T22:16"]
    reminders: ["170s", "160s"]
    joinUrl: https://meet.example.org/e2e
`;
const START = Date.parse("2023-11-14T22:16:00Z");
const FIRST_DUE = START - 170_000;
const SECOND_DUE = START - 160_000;
/** What the bot tags each post with (in the message metadata): the reminder and its destination room. */
const marker = (offsetMs: number) => `reminder:e2e:2023-11-14:${offsetMs}:slack:C0REMIND`;

interface PostedLog {
  offsetMs: number;
  dueAt: string;
  latenessMs: number;
  /** Real time of the log line (pino). */
  time: number;
}

/** The bot's "reminder posted" log lines. */
function postedLogs(bot: BotProcess): PostedLog[] {
  return bot.output
    .split("\n")
    .filter((line) => line.includes('"reminder posted"'))
    .map((line) => JSON.parse(line) as PostedLog);
}

/** Bot clock − real clock, from a log line written right as the bot recorded a post (its sent time = due + lateness). */
function clockOffset(log: PostedLog): number {
  return Date.parse(log.dueAt) + log.latenessMs - log.time;
}

const isPost = (offsetMs: number) => (call: ApiCall) =>
  call.method === "chat.postMessage" &&
  (call.args.metadata as { event_payload?: { marker?: string } } | undefined)?.event_payload?.marker ===
    marker(offsetMs);

describe("reminders from the real bot", () => {
  const running: BotProcess[] = [];
  const apis: SlackApiStandIn[] = [];

  afterEach(async () => {
    for (const bot of running.splice(0)) await bot.kill("SIGKILL");
    for (const api of apis.splice(0)) await api.stop();
  });

  async function start(api: SlackApiStandIn, apiUrl: string, dir: string, clockStart: Date): Promise<BotProcess> {
    api.runClockFrom(clockStart);
    const bot = await startSlackBot(
      { ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: clockStart.toISOString() },
      await freePort(),
    );
    running.push(bot);
    return bot;
  }

  async function standIn(): Promise<[SlackApiStandIn, string]> {
    const api = new SlackApiStandIn();
    apis.push(api);
    return [api, await api.start()];
  }

  it("posts each reminder on time, and none twice across a kill -9 and restart", async () => {
    const [api, apiUrl] = await standIn();
    const dir = tempDir();
    writeConfig(dir, CONFIG);
    const first = await start(api, apiUrl, dir, new Date(FIRST_DUE - 6_000));

    const [post] = await api.waitFor(isPost(170_000), 1, 15_000);
    await first.waitForOutput(/"reminder posted"/);
    const offset = clockOffset(postedLogs(first)[0] as PostedLog);
    // Not early, and at most 5 s late, by the bot's clock at the moment the stand-in received the post.
    const botTimeAtPost = (post as ApiCall).at + offset;
    expect(botTimeAtPost).toBeGreaterThanOrEqual(FIRST_DUE);
    expect(botTimeAtPost - FIRST_DUE).toBeLessThanOrEqual(5_000);
    expect(post?.args.channel).toBe("C0REMIND");
    expect(String(post?.args.text)).toContain("Reminder: Reminder Test Meeting starts in 170 seconds");
    expect(String(post?.args.text)).toContain("Join: https://meet.example.org/e2e");
    expect(String(post?.args.text)).toContain("No topics proposed yet");
    expect(JSON.stringify(post?.args.blocks)).toContain("<!date^");

    await first.kill("SIGKILL");
    // The restarted bot's clock continues where the killed one's was.
    const second = await start(api, apiUrl, dir, new Date(Date.now() + offset));
    const [later] = await api.waitFor(isPost(160_000), 1, 20_000);
    await second.waitForOutput(/"reminder posted"/);
    const offsetAfter = clockOffset(postedLogs(second)[0] as PostedLog);
    const botTimeAtSecond = (later as ApiCall).at + offsetAfter;
    expect(botTimeAtSecond).toBeGreaterThanOrEqual(SECOND_DUE);
    expect(botTimeAtSecond - SECOND_DUE).toBeLessThanOrEqual(5_000);

    expect(api.calls.filter(isPost(170_000))).toHaveLength(1);
    expect(api.calls.filter(isPost(160_000))).toHaveLength(1);
    expect(api.posted).toHaveLength(2);
    expect(postedLogs(second).map((log) => log.offsetMs)).toEqual([160_000]);
  }, 60_000);

  it("does not post a reminder twice when the bot died after Slack took it, however late it restarts", async () => {
    const [api, apiUrl] = await standIn();
    const dir = tempDir();
    writeConfig(dir, CONFIG.replace('["170s", "160s"]', '["170s"]'));
    // Slack takes the message, and the bot is killed before the reply reaches it: nothing is recorded.
    api.postWithoutAnswerOnce();
    const first = await start(api, apiUrl, dir, new Date(FIRST_DUE - 4_000));
    await api.waitFor(isPost(170_000), 1, 15_000);
    await first.kill("SIGKILL");
    expect(first.output).not.toMatch(/"reminder posted"/);

    // 100 s after the due instant (70 s before the start) the claim's lease has long lapsed: the restarted
    // bot looks in the channel from the due instant on, finds the message, and records it instead of posting.
    // Looking from any instant more than a minute after the post (its restart, say) would miss it.
    const second = await start(api, apiUrl, dir, new Date(FIRST_DUE + 100_000));
    const [outcome] = await second.waitForOutput(/reminder posted|reminder had been posted by an earlier attempt/);
    expect(outcome).toBe("reminder had been posted by an earlier attempt");
    expect(api.calls.filter(isPost(170_000))).toHaveLength(1);
    expect(api.posted).toHaveLength(1);
  }, 60_000);

  it("reminds of a meeting added by a config reload (SIGHUP) without a restart", async () => {
    const [api, apiUrl] = await standIn();
    const dir = tempDir();
    const other = CONFIG.replace("id: e2e", "id: other").replace(
      'dates: ["2023-11-14T22:16"]',
      'dates: ["2023-12-14T22:16"]',
    );
    writeConfig(dir, other);
    const bot = await start(api, apiUrl, dir, new Date(FIRST_DUE - 5_000));
    const meetingAdded = `${other}\n${CONFIG.split("meetings:\n")[1]}`;
    writeConfig(dir, meetingAdded);
    void bot.kill("SIGHUP");
    await bot.waitForOutput(/configuration reloaded/);
    const [post] = await api.waitFor(isPost(170_000), 1, 15_000);
    await bot.waitForOutput(/"reminder posted"/);
    const botTimeAtPost = (post as ApiCall).at + clockOffset(postedLogs(bot)[0] as PostedLog);
    expect(botTimeAtPost).toBeGreaterThanOrEqual(FIRST_DUE);
    expect(botTimeAtPost - FIRST_DUE).toBeLessThanOrEqual(5_000);
  }, 30_000);

  it("delivers a reminder exactly once when the first attempt gets HTTP 500", async () => {
    const [api, apiUrl] = await standIn();
    api.respondOnce("chat.postMessage", { status: 500, body: { ok: false, error: "internal_error" } });
    const dir = tempDir();
    writeConfig(dir, CONFIG.replace('["170s", "160s"]', '["170s"]'));
    const bot = await start(api, apiUrl, dir, new Date(FIRST_DUE - 4_000));

    await api.waitFor(isPost(170_000), 2, 20_000);
    await bot.waitForOutput(/"reminder posted"/);
    expect(bot.output).toMatch(/reminder not posted; retrying in 2 s/);
    const log = postedLogs(bot)[0] as PostedLog;
    expect(log.latenessMs).toBeGreaterThanOrEqual(2_000);
    expect(log.latenessMs).toBeLessThanOrEqual(5_000);
    // The failed attempt might have posted: the retry looked in the channel first, found nothing, posted once.
    expect(api.callsTo("conversations.history")).toHaveLength(1);
    expect(api.posted).toHaveLength(1);
    expect(api.calls.filter(isPost(170_000))).toHaveLength(2);
  }, 40_000);
});
