// Start-up against Slack's Web API (the local stand-in): a failure says what to do, and every log line is JSON.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotProcess, freePort, slackHttpEnv, tempDir, writeConfig } from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";

const CONFIG = `
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=1TU"
    reminders: []
`;

/** Lines that are not JSON log records: what a person reads. */
const plainLines = (output: string) =>
  output
    .trimEnd()
    .split("\n")
    .filter((line) => {
      try {
        JSON.parse(line);
        return false;
      } catch {
        return true;
      }
    });

describe("Slack start-up failures", () => {
  const api = new SlackApiStandIn();
  let apiUrl: string;
  let dir: string;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    apiUrl = await api.start();
    dir = tempDir();
    writeConfig(dir, CONFIG);
  });
  afterEach(async () => {
    await bot?.kill("SIGKILL");
    bot = undefined;
  });
  afterAll(async () => {
    await api.stop();
  });

  it.each(["invalid_auth", "not_authed"])(
    "a token refused with %s is named, with where to find the right one",
    async (error) => {
      api.respondOnce("auth.test", { body: { ok: false, error } });
      bot = new BotProcess({ ...slackHttpEnv(apiUrl, dir), PORT: String(await freePort()) });
      expect(await bot.exited).toBe(2);
      expect(plainLines(bot.output)).toEqual([
        `cabalbot: Slack refused SLACK_BOT_TOKEN (${error}): use the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page, and reinstall the app if the token was revoked`,
      ]);
    },
  );

  it("an unreachable Web API is named by the URL tried, and Bolt's own warnings are JSON log lines", async () => {
    const closedPort = await freePort();
    const unreachable = `http://127.0.0.1:${closedPort}/api/`;
    bot = new BotProcess({ ...slackHttpEnv(unreachable, dir), PORT: String(await freePort()), LOG_LEVEL: "warn" });
    expect(await bot.exited).toBe(2);
    expect(plainLines(bot.output)).toEqual([
      `cabalbot: cannot reach Slack's Web API at ${unreachable}auth.test (ECONNREFUSED): check the network and SLACK_API_URL`,
    ]);
    // The Web API client's "http request failed" warning, which Bolt prints as `[WARN] …` by default.
    const boltRecords = bot.output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as { level: number; component?: string; msg: string })
      .filter((record) => record.component !== undefined);
    expect(boltRecords.some((record) => record.level === 40 && /request failed/.test(record.msg))).toBe(true);
  });
});
