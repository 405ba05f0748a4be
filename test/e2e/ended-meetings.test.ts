// The real bot over HTTP with the Podman shape of meetings: the Cabal ended on 2026-05-05, the stand-ups replaced it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { directMessageEvent, eventCallback, slashCommand } from "../support/slack-requests.js";

const CONFIG = `
displayZones: [Asia/Tokyo]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU"
    reminders: []
  - id: cabal
    title: Podman Community Cabal
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    schedule: [{ rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" }]
    replacedBy: standup
    endedNote: "The open stand-ups take its place."
    reminders: []
  - id: standup
    title: Podman Stand-up
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    durationMinutes: 30
    schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-05-06" }]
    reminders: []
`;

type CommandReply = { text: string; blocks: unknown[] };

describe("a meeting whose schedule has ended, on Slack", () => {
  const api = new SlackApiStandIn();
  let bot: BotProcess;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeConfig(dir, CONFIG);
    const apiUrl = await api.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Thursday 2026-11-26, 09:00 in New York.
    bot = await startSlackBot({ ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: "2026-11-26T14:00:00Z" }, port);
  });

  afterAll(async () => {
    await bot?.kill("SIGTERM");
    await api.stop();
  });

  async function cabal(text: string): Promise<CommandReply> {
    const response = await slashCommand(base, { text, channel_id: "C0PODMAN" });
    expect(response.status).toBe(200);
    return (await response.json()) as CommandReply;
  }

  it.each(["cabal next", "cabal topic add Podman 6 plans"])(
    "`/cabal %s` says the Cabal ended on May 5, 2026 and the stand-ups replaced it",
    async (text) => {
      const reply = await cabal(text);
      const shown = `${reply.text}\n${JSON.stringify(reply.blocks)}`;
      expect(reply.text).toContain("Podman Community Cabal has ended: the last one was on Tuesday, May 5, 2026.");
      expect(reply.text).toContain("The open stand-ups take its place.");
      expect(reply.text).toContain("It was replaced by Podman Stand-up (`standup`)");
      expect(reply.text).toContain("The next one is on Thursday, November 26, 2026, 11:00 EST (UTC-5).");
      expect(shown).not.toMatch(/no upcoming meeting|No meeting is on the schedule/);
    },
  );

  it("nothing was added to the ended Cabal's agenda", async () => {
    await cabal("cabal topic add Podman 6 plans");
    const list = await cabal("cabal topic list");
    expect(list.text).toContain("has ended");
    expect(list.text).not.toContain("Podman 6 plans");
  });

  it("`/cabal help` gives an example with a meeting that still runs", async () => {
    const help = await cabal("help");
    expect(help.text).toContain("/cabal standup topic add");
    expect(help.text).not.toContain("/cabal cabal topic add");
  });

  it("a DM asking when the next Cabal is gets the same answer", async () => {
    const event = directMessageEvent("when is the next cabal?", "U0ENDED");
    expect((await eventCallback(base, event, { eventId: "EvENDED1" })).status).toBe(200);
    const [reply] = await api.waitFor(
      (c) => c.method === "chat.postMessage" && JSON.stringify(c.args).includes("has ended"),
    );
    expect(String(reply?.args.text)).toContain("the last one was on Tuesday, May 5, 2026.");
  });
});
