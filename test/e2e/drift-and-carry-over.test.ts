// The real bot across the 2027 spring clock changes (drift warnings in reminders and /cabal next), and the notes
// announcement that answers in the last reminder's thread and carries uncovered topics over, once, across kill -9.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, describe, expect, it } from "vitest";
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

const api = new SlackApiStandIn();
let apiUrl = "";
let bot: BotProcess | undefined;

afterEach(async () => {
  await bot?.kill("SIGKILL");
  bot = undefined;
});

afterAll(async () => {
  await api.stop();
});

async function startAt(dir: string, clockStart: string): Promise<{ bot: BotProcess; base: string }> {
  apiUrl ||= await api.start();
  const port = await freePort();
  bot = await startSlackBot(
    { ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: clockStart, LOG_LEVEL: "debug" },
    port,
  );
  return { bot, base: `http://127.0.0.1:${port}` };
}

async function cabal(base: string, text: string, user = "U0ALICE"): Promise<string> {
  const response = await slashCommand(base, { text, user_id: user, channel_id: "C0WEEKLY" });
  expect(response.status).toBe(200);
  return JSON.stringify(await response.json());
}

describe("drift warnings across the 2027 spring transitions, end to end", () => {
  // Tuesdays 11:00 New York; the US springs forward on March 14, 2027, the EU on March 28.
  const config = `
displayZones: [Europe/Berlin, America/Los_Angeles]
admins: []
meetings:
  - id: weekly
    title: Weekly Sync
    channel: C0WEEKLY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=WEEKLY;BYDAY=TU"
    reminders: ["1h"]
`;
  const isReminder = (since: number) => (call: ApiCall) =>
    call.method === "chat.postMessage" && call.args.channel === "C0WEEKLY" && api.calls.indexOf(call) >= since;

  it("says Berlin is an hour earlier in the first week of US summer time, in the reminder and in /cabal next", async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const since = api.calls.length;
    // The reminder of Tuesday March 16 is due at 10:00 EDT = 14:00Z.
    const { base } = await startAt(dir, "2027-03-16T14:00:00Z");
    const [reminder] = await api.waitFor(isReminder(since), 1, 20_000);
    expect(String(reminder?.args.text)).toContain("1 hour earlier than last time in Berlin");
    expect(JSON.stringify(reminder?.args.blocks)).toContain("1 hour earlier than last time in Berlin");
    // Los Angeles changed clocks with New York: no warning for it.
    expect(JSON.stringify(reminder?.args)).not.toContain("than last time in Los Angeles");

    expect(await cabal(base, "next")).toContain("1 hour earlier than last time in Berlin");
  }, 60_000);

  it("warns of nothing in the week between, and says Berlin is an hour later once the EU changes too", async () => {
    const dir = tempDir();
    writeConfig(dir, config);
    const since = api.calls.length;
    const between = await startAt(dir, "2027-03-23T14:00:00Z");
    const [reminder] = await api.waitFor(isReminder(since), 1, 20_000);
    expect(String(reminder?.args.text)).toMatch(/Weekly Sync/);
    expect(JSON.stringify(reminder?.args)).not.toContain("than last time");
    expect(await cabal(between.base, "next")).not.toContain("than last time");
    await between.bot.kill("SIGKILL");

    const after = await startAt(dir, "2027-03-30T13:00:00Z");
    expect(await cabal(after.base, "next")).toContain("1 hour later than last time in Berlin");
  }, 60_000);
});

const NOTES = readFileSync(new URL("../fixtures/podman-notes/2023-04-20-cabal.md", import.meta.url), "utf8");

describe("notes in the reminder's thread and carry-over, end to end", () => {
  let notesServer: Server | undefined;

  afterAll(() => {
    notesServer?.closeAllConnections();
    notesServer?.close();
  });

  it("answers in the last reminder's thread, moves uncovered topics, tells each proposer once, across kill -9", async () => {
    notesServer = createServer((req, res) => {
      if (req.url === "/notes/2023-04-20/index.md") res.writeHead(200, { "content-type": "text/markdown" }).end(NOTES);
      else res.writeHead(404).end("not found");
    });
    notesServer.listen(0, "127.0.0.1");
    await once(notesServer, "listening");
    const notesBase = `http://127.0.0.1:${(notesServer.address() as AddressInfo).port}`;
    const dir = tempDir();
    writeConfig(
      dir,
      `
displayZones: []
admins: []
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0WEEKLY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
    reminders: ["1h", "10m"]
    notes:
      source: "${notesBase}/notes/{date}/index.md"
      link: "https://podman.example/notes/{date}"
      pollEvery: "5s"
`,
    );
    const inChannel = (call: ApiCall) => call.method === "chat.postMessage" && call.args.channel === "C0WEEKLY";
    const toUser = (user: string) => (call: ApiCall) =>
      call.method === "chat.postMessage" && call.args.channel === user;
    const since = api.calls.length;
    const fromNow = (predicate: (call: ApiCall) => boolean) => (call: ApiCall) =>
      api.calls.indexOf(call) >= since && predicate(call);

    // Before the Cabal of Thursday April 20, 2023 (11:00 EDT = 15:00Z): topics, then the 10-minute reminder.
    const before = await startAt(dir, "2023-04-20T14:49:55Z");
    expect(await cabal(before.base, "topic add Bug week")).toMatch(/added/i);
    expect(await cabal(before.base, "topic add Quadlet docs", "U0BOB")).toMatch(/added/i);
    expect(await cabal(before.base, "topic add Farm animals")).toMatch(/added/i);
    const reminders = await api.waitFor(fromNow(inChannel), 2, 30_000);
    const lastReminder = reminders[reminders.length - 1];
    expect(String(lastReminder?.args.text)).toMatch(/starts in 10 minutes/);
    const reminderTs = api.posted.find((post) => post.text === lastReminder?.args.text)?.ts;
    expect(reminderTs).toBeTruthy();
    // Killed once the bot has recorded the reminder as posted (it logs that after the store has it): a kill
    // between Slack's answer and that record would leave it no reminder to thread the notes under.
    const recorded = String(reminderTs).replace(".", "\\.");
    await before.bot.waitForOutput(new RegExp(`"messageId":"${recorded}"[^\\n]*"reminder posted"`));
    await before.bot.kill("SIGKILL");

    // Two minutes into the meeting the notes are up.
    const during = await startAt(dir, "2023-04-20T15:02:00Z");
    const isAnnouncement = fromNow((call) => inChannel(call) && String(call.args.text).startsWith("Notes of"));
    const [announcement] = await api.waitFor(isAnnouncement, 1, 30_000);
    expect(announcement?.args.thread_ts).toBe(reminderTs);
    expect(String(announcement?.args.reply_broadcast)).toBe("true");

    const [toAlice] = await api.waitFor(fromNow(toUser("U0ALICE")), 1, 15_000);
    const [toBob] = await api.waitFor(fromNow(toUser("U0BOB")), 1, 15_000);
    const aliceText = JSON.stringify(toAlice?.args);
    expect(aliceText).toContain("Farm animals");
    expect(aliceText).not.toContain("Bug week");
    expect(aliceText).toMatch(/May 18|2023-05-18/);
    expect(JSON.stringify(toBob?.args)).toContain("Quadlet docs");

    // The next meeting's agenda holds what was not covered; what was discussed stayed with April 20.
    const agenda = await cabal(during.base, "topic list");
    expect(agenda).toContain("Quadlet docs");
    expect(agenda).toContain("Farm animals");
    expect(agenda).not.toContain("Bug week");
    await during.bot.waitForOutput(/notes announced/);
    await during.bot.kill("SIGKILL");

    // After kill -9: once the restarted bot has looked at the cabal's notes (its first run looks at every
    // meeting), nothing was posted or told twice.
    const again = await startAt(dir, "2023-04-20T15:03:00Z");
    await again.bot.waitForOutput(/"meetingId":"cabal"[^\n]*"notes checked"/, 20_000);
    expect(api.calls.filter(isAnnouncement)).toHaveLength(1);
    expect(api.calls.filter(fromNow(toUser("U0ALICE")))).toHaveLength(1);
    expect(api.calls.filter(fromNow(toUser("U0BOB")))).toHaveLength(1);
  }, 120_000);
});
