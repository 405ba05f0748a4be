// A topic the bot acknowledged survives `kill -9` right after the reply.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { BotProcess, freePort, slackHttpEnv, startSlackBot, tempDir, writeConfig } from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";

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

// Each test has its own database, port and bots; only the stand-in (which keeps no state the tests read) is shared.
describe("durability of acknowledged topics", () => {
  const api = new SlackApiStandIn();
  let apiUrl: string;
  const running: BotProcess[] = [];

  beforeAll(async () => {
    apiUrl = await api.start();
  });

  afterEach(async () => {
    for (const bot of running.splice(0)) await bot.kill("SIGKILL");
  });

  afterAll(async () => {
    await api.stop();
  });

  /** A fresh configuration and database (in directories that do not exist yet: the bot creates them). */
  async function freshBotSetUp(): Promise<{ env: Record<string, string>; port: number }> {
    const dir = tempDir();
    writeConfig(dir, CONFIG);
    return {
      env: { ...slackHttpEnv(apiUrl, dir), CABALBOT_DB: `${dir}/nested/dir/bot.sqlite` },
      port: await freePort(),
    };
  }

  async function start(env: Record<string, string>, port: number): Promise<BotProcess> {
    const bot = await startSlackBot(env, port);
    running.push(bot);
    return bot;
  }

  it("finds the topic after SIGKILL and a restart on the same database", async () => {
    const { env, port } = await freshBotSetUp();
    const bot = await start(env, port);
    const reply = await slashCommand(`http://127.0.0.1:${port}`, { text: "topic add Survives kill -9 &amp; restarts" });
    expect(((await reply.json()) as { text: string }).text).toContain("Added topic 1 to Podman Community Meeting");
    await bot.kill("SIGKILL");

    await start(env, port);
    const list = await slashCommand(`http://127.0.0.1:${port}`, { text: "topic list" });
    expect(((await list.json()) as { text: string }).text).toContain("1. Survives kill -9 &amp; restarts - alice");
  });

  it("refuses to run when Slack rejects the token, saying why", async () => {
    const { env, port } = await freshBotSetUp();
    api.respondOnce("auth.test", { body: { ok: false, error: "invalid_auth" } });
    const refused = new BotProcess({ ...env, PORT: String(port) });
    running.push(refused);
    expect(await refused.exited).toBe(2);
    expect(refused.output).toContain(
      "cabalbot: Slack refused SLACK_BOT_TOKEN (invalid_auth): use the Bot User OAuth Token (xoxb-…)",
    );
  });

  it("exits with status 0 on SIGTERM", async () => {
    const { env, port } = await freshBotSetUp();
    const bot = await start(env, port);
    expect(await bot.kill("SIGTERM")).toBe(0);
  });
});
