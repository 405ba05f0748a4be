// Socket Mode, the default for communities: the real bot connects to a local stand-in and handles envelopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BotProcess, freePort, startSlackBot, tempDir, writeConfig } from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { directMessageEvent } from "../support/slack-requests.js";
import { SocketModeStandIn } from "../support/socket-mode-stand-in.js";

const CONFIG = `
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU"
    reminders: []
`;

describe("Socket Mode", () => {
  const api = new SlackApiStandIn();
  const socket = new SocketModeStandIn();
  let bot: BotProcess;

  beforeAll(async () => {
    const dir = tempDir();
    api.socketModeUrl = await socket.url();
    bot = await startSlackBot(
      {
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_APP_TOKEN: "xapp-test-token",
        SLACK_API_URL: await api.start(),
        CABALBOT_CONFIG: writeConfig(dir, CONFIG),
        CABALBOT_DB: `${dir}/bot.sqlite`,
        CABALBOT_CLOCK_START: "2026-11-26T12:00:00Z",
      },
      await freePort(),
    );
    await socket.connected;
  });

  afterAll(async () => {
    await bot?.kill("SIGTERM");
    await socket.stop();
    await api.stop();
  });

  it("opened its connection with the app token through apps.connections.open", () => {
    expect(api.callsTo("apps.connections.open")).toHaveLength(1);
  });

  it("answers a slash command in the envelope's ack", async () => {
    const ack = await socket.send("slash_commands", {
      team_id: "T0TEST",
      channel_id: "C0COMMUNITY",
      user_id: "U0ALICE",
      user_name: "alice",
      command: "/cabal",
      text: "topic add Quadlet &amp; friends",
      response_url: "https://hooks.slack.invalid/1",
      trigger_id: "1.2.3",
    });
    expect(ack.payload).toMatchObject({ response_type: "ephemeral" });
    expect(String(ack.payload?.text)).toBe(
      "Added topic 1 to Podman Community Meeting on Tue, Dec 1, 2026: Quadlet &amp; friends",
    );
  });

  it("answers a direct message through the Web API", async () => {
    await socket.send("events_api", {
      type: "event_callback",
      team_id: "T0TEST",
      api_app_id: "A0TEST",
      event_id: "EvSOCKET1",
      event_time: 1,
      event: directMessageEvent("when is the next meeting?"),
    });
    const [reply] = await api.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === "D0ALICE");
    expect(String(reply?.args.text)).toContain(
      "The next Podman Community Meeting is Tuesday, December 1, 2026, 11:00 EST (UTC-5).",
    );
  });
});
