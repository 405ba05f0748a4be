// The real bot process over HTTP: signed requests in, the Web API stand-in out. One bot serves every test;
// each test works on its own meeting, channel or DM, so no test depends on another or on their order.
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
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

const TEST_CONFIG = `
displayZones: [America/Los_Angeles, Europe/Berlin, Asia/Kolkata, Asia/Tokyo]
admins: [U0ADMIN]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU"
    reminders: []
  - id: cabal
    title: Podman Community Cabal
    channel: C0CABAL
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
    skip: ["2030-01-17"]
    reminders: []
  # One meeting per test that changes an agenda, so that no test sees another's topics (far off, so that
  # "next meeting" answers are not about them).
  - id: refusals
    title: Refusals Meeting
    channel: C0REFUSALS
    timezone: America/New_York
    time: "11:00"
    dates: ["2031-06-03T11:00"]
    reminders: []
  - id: removal
    title: Removal Meeting
    channel: C0REMOVAL
    timezone: America/New_York
    time: "11:00"
    dates: ["2031-06-03T11:00"]
    reminders: []
`;

type CommandReply = { response_type: string; text: string; blocks: { text?: { text: string } }[] };

describe("Slack app over HTTP", () => {
  const api = new SlackApiStandIn();
  let bot: BotProcess;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = tempDir();
    writeConfig(dir, TEST_CONFIG);
    const apiUrl = await api.start();
    api.userZones.set("U0ALICE", "Asia/Tokyo");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = await startSlackBot({ ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: "2029-12-20T17:00:00Z" }, port);
  });

  afterAll(async () => {
    await bot?.kill("SIGTERM");
    await api.stop();
  });

  async function cabal(text: string, fields: { user_id?: string; user_name?: string; channel_id?: string } = {}) {
    const response = await slashCommand(base, { text, ...fields });
    expect(response.status).toBe(200);
    return (await response.json()) as CommandReply;
  }

  it("has called auth.test before reporting ready", () => {
    expect(api.callsTo("auth.test").length).toBeGreaterThan(0);
  });

  it("adds a topic to the next meeting of the channel, decoding Slack's escaping and echoing it escaped", async () => {
    const reply = await cabal("topic add Containers &amp; &lt;pods&gt; for @here", { channel_id: "C0CABAL" });
    expect(reply.response_type).toBe("ephemeral");
    // The clock stands after the Cabal of 2029-12-20; the Cabal of 2030-01-17 is skipped, so the next is 2030-02-21.
    expect(reply.text).toContain("Podman Community Cabal on Thu, Feb 21, 2030");
    expect(reply.text).toContain("Containers &amp; &lt;pods&gt; for @here");
    expect(JSON.stringify(reply)).not.toContain("<!here>");
    const list = await cabal("topic list", { channel_id: "C0CABAL" });
    expect(list.text).toContain("1. Containers &amp; &lt;pods&gt; for @here - alice");
  });

  it("targets another meeting by id, and lists in the notes' shape", async () => {
    await cabal("community topic add containersh", { user_name: "dwalsh", user_id: "U0DAN", channel_id: "C0CABAL" });
    const list = await cabal("community topic list");
    expect(list.text).toContain("Agenda of Podman Community Meeting — Tue, Feb 5, 2030");
    expect(list.text).toContain("1. containersh - dwalsh");
  });

  it("refuses empty and over-long titles and stores nothing", async () => {
    const before = await cabal("topic list", { channel_id: "C0REFUSALS" });
    const empty = await cabal("topic add   ", { channel_id: "C0REFUSALS" });
    expect(empty.text).toMatch(/empty/);
    const long = await cabal(`topic add ${"x".repeat(301)}`, { channel_id: "C0REFUSALS" });
    expect(long.text).toMatch(/301 characters long; the limit is 300/);
    expect((await cabal("topic list", { channel_id: "C0REFUSALS" })).text).toBe(before.text);
  });

  it("refuses a malformed command payload with a clear message, storing nothing", async () => {
    const reply = await cabal("topic add from nowhere", { user_id: "not-a-user", channel_id: "C0REFUSALS" });
    expect(reply.text).toBe("Slack sent a request I cannot read (user_id is not a Slack user id).");
    expect((await cabal("topic list", { channel_id: "C0REFUSALS" })).text).not.toContain("from nowhere");
  });

  it("lets a person choose their zone over their profile's, refuses a typo with a suggestion, and forgets it", async () => {
    const who = { user_id: "U0ZONES", user_name: "zones" };
    expect((await cabal("tz", who)).text).toContain("Your time zone is `America/New_York`, from your profile.");
    const typo = await cabal("tz Asia/Tokio", who);
    expect(typo.text).toContain("`Asia/Tokio` is not a time zone name; did you mean `Asia/Tokyo`?");
    expect((await cabal("tz Asia/Tokyo", who)).text).toContain("Your time zone is now `Asia/Tokyo`");
    expect((await cabal("tz", who)).text).toContain("Your time zone is `Asia/Tokyo` (you chose it;");
    const cleared = await cabal("tz clear", who);
    expect(cleared.text).toContain("Your profile's zone applies again: `America/New_York`.");
  });

  it("lets only the proposer or an admin remove a topic", async () => {
    const added = await cabal("removal topic add rootless networking", { user_name: "dwalsh", user_id: "U0DAN" });
    const number = /Added topic (\d+)/.exec(added.text)?.[1];
    expect(number).toBeDefined();
    const refused = await cabal(`removal topic remove ${number}`, { user_id: "U0MALLORY", user_name: "mallory" });
    expect(refused.text).toMatch(new RegExp(`Only the person who proposed topic ${number} or an admin`));
    expect((await cabal("removal topic list")).text).toContain(`${number}. rootless networking - dwalsh`);
    const removed = await cabal(`removal topic remove ${number}`, { user_id: "U0ADMIN", user_name: "admin" });
    expect(removed.text).toContain(`Removed topic ${number}`);
    expect((await cabal("removal topic list")).text).not.toContain("rootless networking");
  });

  it("shows the next occurrence of each meeting with display zones and a date token", async () => {
    const reply = await cabal("next");
    const blocks = JSON.stringify(reply.blocks);
    expect(blocks).toContain("Tuesday, February 5, 2030, 11:00 EST (UTC-5)");
    expect(blocks).toContain("Wed 01:00 Tokyo (+1 day)");
    expect(blocks).toMatch(/<!date\^1896537600\^\{date_long_pretty\} \{time\}\|/);
  });

  it("answers help and unknown subcommands with usage, its placeholders escaped as text", async () => {
    expect((await cabal("help")).text).toContain("/cabal topic add &lt;title&gt;");
    const unknown = await cabal("frobnicate");
    expect(unknown.text).toContain("I don't know the command `frobnicate`");
    expect(unknown.text).toContain("/cabal topic list");
  });

  it("answers a DM in the asker's own zone, once per event even when Slack retries", async () => {
    const event = directMessageEvent("when is the next meeting?");
    const first = await eventCallback(base, event, { eventId: "EvRETRY1" });
    expect(first.status).toBe(200);
    const [reply] = await api.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === "D0ALICE");
    expect(String(reply?.args.text)).toContain("Podman Community Meeting");
    expect(JSON.stringify(reply?.args.blocks)).toContain("Tuesday, February 5, 2030, 11:00 EST (UTC-5)");
    expect(JSON.stringify(reply?.args.blocks)).toContain("Wed, Feb 6, 01:00 Tokyo time (UTC+9)");
    const retry = await eventCallback(base, event, {
      eventId: "EvRETRY1",
      headers: { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" },
    });
    expect(retry.status).toBe(200);
    // A later, distinct DM is answered: once it is, the retry would have been answered before it.
    await eventCallback(base, directMessageEvent("when's cabal"), { eventId: "EvAFTER" });
    await api.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.channel === "D0ALICE" && String(c.args.text).includes("Cabal"),
    );
    const dms = api.callsTo("chat.postMessage").filter((c) => c.args.channel === "D0ALICE");
    expect(dms).toHaveLength(2);
  });

  it("answers a mention in a thread, and a DM it does not understand with help", async () => {
    await eventCallback(base, {
      type: "app_mention",
      channel: "C0CABAL",
      user: "U0BOB",
      text: "<@UBOT> when is the next meeting?",
      ts: "1893456000.000200",
    });
    const [threaded] = await api.waitFor(
      (c) => c.method === "chat.postMessage" && c.args.thread_ts === "1893456000.000200",
    );
    expect(String(threaded?.args.text)).toContain("next Podman Community Meeting");
    await eventCallback(base, directMessageEvent("hello there", "U0CAROL", "D0CAROL"));
    const [help] = await api.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === "D0CAROL");
    expect(String(help?.args.text)).toContain("when is the next meeting?");
  });

  it("refuses unsigned, badly signed and stale requests with 401 and stores nothing", async () => {
    const stale = await slashCommand(
      base,
      { text: "topic add stale topic" },
      { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 },
    );
    expect(stale.status).toBe(401);
    const forged = await slashCommand(base, { text: "topic add forged topic" }, { secret: "not-the-secret-000000" });
    expect(forged.status).toBe(401);
    const list = await cabal("topic list", { channel_id: "C0COMMUNITY" });
    expect(list.text).not.toMatch(/stale topic|forged topic/);
  });

  it("acks a slow command at once and sends its result to the response_url", async () => {
    // A notes server that answers only after Slack's 3-second deadline would have passed.
    let release: () => void = () => {};
    const slow = createServer((_req, res) => {
      release = () => res.writeHead(404).end();
    });
    slow.listen(0, "127.0.0.1");
    await once(slow, "listening");
    const url = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/notes.md`;
    try {
      const started = Date.now();
      const response = await slashCommand(base, {
        text: `cabal notes ${url}`,
        user_id: "U0ADMIN",
        user_name: "admin",
        response_url: api.responseUrl("/commands/slow"),
      });
      const acked = (await response.json()) as CommandReply;
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(acked.text).toContain("Working on it");
      release();
      const [result] = await api.waitFor((c) => c.method === "response_url:/commands/slow");
      expect(result?.args).toMatchObject({ response_type: "ephemeral" });
      expect(String(result?.args.text)).toContain("Podman Community Cabal");
      const [announcement] = await api.waitFor(
        (c) =>
          c.method === "chat.postMessage" && c.args.channel === "C0CABAL" && String(c.args.text).startsWith("Notes of"),
      );
      expect(JSON.stringify(announcement?.args.blocks)).toContain("Summary unavailable");
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
