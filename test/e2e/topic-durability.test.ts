// A topic the bot acknowledged survives `kill -9` right after the reply.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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

describe("durability of acknowledged topics", () => {
  const api = new SlackApiStandIn();
  let env: Record<string, string>;
  let port: number;
  let bot: BotProcess | undefined;

  beforeAll(async () => {
    const dir = tempDir();
    port = await freePort();
    writeConfig(dir, CONFIG);
    // A database in directories that do not exist yet: the bot creates them.
    env = { ...slackHttpEnv(await api.start(), dir), CABALBOT_DB: `${dir}/nested/dir/bot.sqlite` };
  });

  afterAll(async () => {
    await bot?.kill("SIGKILL");
    await api.stop();
  });

  it("finds the topic after SIGKILL and a restart on the same database", async () => {
    bot = await startSlackBot(env, port);
    const reply = await slashCommand(`http://127.0.0.1:${port}`, { text: "topic add Survives kill -9 &amp; restarts" });
    expect(((await reply.json()) as { text: string }).text).toContain("Added topic 1 to Podman Community Meeting");
    await bot.kill("SIGKILL");

    bot = await startSlackBot(env, port);
    const list = await slashCommand(`http://127.0.0.1:${port}`, { text: "topic list" });
    expect(((await list.json()) as { text: string }).text).toContain("1. Survives kill -9 &amp; restarts - alice");
  });

  it("refuses to run when Slack rejects the token, saying why", async () => {
    api.respondOnce("auth.test", { body: { ok: false, error: "invalid_auth" } });
    const refused = new BotProcess({ ...env, PORT: String(port) });
    expect(await refused.exited).toBe(2);
    expect(refused.output).toContain(
      "cabalbot: Slack refused SLACK_BOT_TOKEN (invalid_auth): use the Bot User OAuth Token (xoxb-…)",
    );
  });

  it("stops cleanly on SIGTERM", async () => {
    await bot?.kill("SIGKILL"); // the bot left running by the first test holds the port
    bot = await startSlackBot(env, port);
    expect(await bot.kill("SIGTERM")).toBe(0);
  });
});
