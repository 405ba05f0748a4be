// The real bot's own HTTP server in every mode: the calendar feed (read back by ical.js) and /metrics (read by a
// Prometheus text-format parser) as commands and reminders go through; and `cabalbot ics` against `cabalbot next`.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import ICAL from "ical.js";
import { afterEach, describe, expect, it } from "vitest";
import { BotProcess, freePort, slackHttpEnv, startSlackBot, tempDir, writeConfig } from "../support/bot-process.js";
import { MetricsReading } from "../support/prometheus-text.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";
import { SocketModeStandIn } from "../support/socket-mode-stand-in.js";

const BIN = fileURLToPath(new URL("../../bin/cabalbot.js", import.meta.url));

// A one-off meeting 3 minutes after the clock's start (22:16 London = UTC in November), with a reminder 170 s
// before it; and the monthly Cabal with a cancelled date.
const CONFIG = `
displayZones: [Asia/Tokyo]
meetings:
  - id: e2e
    title: Feed Test Meeting
    channel: C0FEED01
    timezone: Europe/London
    time: "22:16"
    dates: ["2023-11-14T22:16"]
    reminders: ["170s"]
    joinUrl: https://meet.example.org/e2e
  - id: cabal
    title: Podman Community Cabal
    channel: C0CABAL
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TU"
    skip: ["2024-01-16"]
    reminders: []
    agendaUrl: https://hackmd.io/@podman/cabal
`;
const REMINDER_DUE = Date.parse("2023-11-14T22:13:10Z");

interface FeedEvent {
  uid: string;
  start: string;
  status: string;
  description: string;
}

function parseFeed(text: string): FeedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  try {
    return calendar.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        start: event.startDate.toJSDate().toISOString(),
        status: String(component.getFirstPropertyValue("status")),
        description: event.description,
      };
    });
  } finally {
    ICAL.TimezoneService.reset();
  }
}

async function get(url: string): Promise<{ status: number; type: string; body: string }> {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get("content-type") ?? "", body: await response.text() };
}

async function metrics(base: string): Promise<MetricsReading> {
  const response = await get(`${base}/metrics`);
  expect(response.status).toBe(200);
  expect(response.type).toContain("text/plain");
  return new MetricsReading(response.body);
}

/** Resolves once GET url answers 200 (the bot's HTTP server is up); rejects if the bot exits first. */
async function waitForHttp(bot: BotProcess, url: string, timeoutMs = 30_000): Promise<void> {
  let exited = false;
  void bot.exited.then(() => {
    exited = true;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(url).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (exited) throw new Error(`bot exited before serving ${url}:\n${bot.output}`);
    if (Date.now() > deadline) throw new Error(`${url} not served after ${timeoutMs} ms:\n${bot.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // poll interval, not a wait for an outcome
  }
}

describe("the bot's HTTP server: calendar feed and /metrics", () => {
  const bots: BotProcess[] = [];
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.kill("SIGKILL");
    for (const stop of stops.splice(0)) await stop();
  });

  it("console mode serves them on CALENDAR_PORT; figures move as commands and a reminder go through", async () => {
    const dir = tempDir();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = new BotProcess({
      CABALBOT_CONFIG: writeConfig(dir, CONFIG),
      CABALBOT_DB: `${dir}/console.sqlite`,
      CABALBOT_CLOCK_START: new Date(REMINDER_DUE - 6_000).toISOString(),
      CALENDAR_PORT: String(port),
      CABALBOT_PUBLIC_URL: base,
      CABALBOT_CONSOLE_CHANNEL: "C0CABAL",
    });
    bots.push(bot);
    await waitForHttp(bot, `${base}/healthz`);
    const before = await metrics(base);
    expect(before.value("cabalbot_commands_total")).toBe(0);

    bot.write("/cabal topic add Pasta & <port> forwarding; rootless");
    await bot.waitForOutput(/Added topic 1 to Podman Community Cabal on 2023-11-21/);
    bot.write("/cabal next");
    await bot.waitForOutput(new RegExp(`Add to calendar: ${base}/calendar/cabal\\.ics`));

    const feed = await get(`${base}/calendar/cabal.ics`);
    expect(feed.status).toBe(200);
    expect(feed.type).toContain("text/calendar");
    const events = parseFeed(feed.body);
    const host = new URL(base).host;
    const november = events.find((e) => e.uid === `cabal-2023-11-21@${host}`);
    expect(november?.start).toBe("2023-11-21T16:00:00.000Z");
    expect(november?.description).toContain("1. Pasta & <port> forwarding; rootless - ");
    expect(november?.description).toContain("Live notes: https://hackmd.io/@podman/cabal");
    expect(events.find((e) => e.uid === `cabal-2024-01-16@${host}`)?.status).toBe("CANCELLED");
    // Twelve third Tuesdays in the coming year, one of them cancelled.
    expect(events.filter((e) => e.status === "CONFIRMED")).toHaveLength(11);

    const reminder = await bot.waitForOutput(/\[reminder → C0FEED01\][\s\S]*?Add to calendar: [^\n]*/);
    expect(reminder[0]).toContain(`Add to calendar: ${base}/calendar/e2e.ics`);
    const after = await metrics(base);
    expect(after.value("cabalbot_commands_total", { command: "topic-add" })).toBe(1);
    expect(after.value("cabalbot_commands_total", { command: "next" })).toBe(1);
    expect(after.value("cabalbot_reminders_sent_total", { meeting: "e2e" })).toBe(1);
    expect(after.count("cabalbot_reminder_lateness_seconds")).toBe(1);
    expect(after.sum("cabalbot_reminder_lateness_seconds")).toBeLessThan(5);
    expect(after.count("cabalbot_tick_duration_seconds")).toBeGreaterThan(
      before.count("cabalbot_tick_duration_seconds"),
    );
    expect(after.family("cabalbot_process_resident_memory_bytes")?.type).toBe("GAUGE");

    const unknown = await get(`${base}/calendar/nope.ics`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain('No meeting "nope". Meetings: e2e, cabal.');
    expect((await get(`${base}/calendar/<script>.ics`)).status).toBe(404);
    bot.endInput();
    expect(await bot.exited).toBe(0);
  }, 60_000);

  it("console mode without CALENDAR_PORT takes no port", async () => {
    const dir = tempDir();
    const bot = new BotProcess({
      CABALBOT_CONFIG: writeConfig(dir, CONFIG),
      CABALBOT_DB: `${dir}/console.sqlite`,
      LOG_LEVEL: "info",
    });
    bots.push(bot);
    await bot.waitForOutput(/cabalbot console/);
    bot.endInput();
    expect(await bot.exited).toBe(0);
    expect(bot.output).not.toContain("serving /calendar.ics");
  }, 30_000);

  it("Slack HTTP mode serves them on PORT beside /slack/events, counting commands, a failed post and its retry", async () => {
    const api = new SlackApiStandIn();
    const apiUrl = await api.start();
    stops.push(() => api.stop());
    api.respondOnce("chat.postMessage", { status: 500, body: { ok: false, error: "internal_error" } });
    const dir = tempDir();
    writeConfig(dir, CONFIG);
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const bot = await startSlackBot(
      {
        ...slackHttpEnv(apiUrl, dir),
        CABALBOT_CLOCK_START: new Date(REMINDER_DUE - 5_000).toISOString(),
        CABALBOT_PUBLIC_URL: "https://bot.example.org",
      },
      port,
    );
    bots.push(bot);
    const before = await metrics(base);

    const added = await slashCommand(base, { text: "topic add Quadlets &amp; pods", channel_id: "C0CABAL" });
    expect(added.status).toBe(200);
    const next = await slashCommand(base, { text: "cabal next" });
    const nextReply = JSON.stringify(await next.json());
    expect(nextReply).toContain("<https://bot.example.org/calendar/cabal.ics|Add to calendar>");

    // The first post fails with HTTP 500, the retry 2 s later goes out with the link.
    const posts = await api.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === "C0FEED01", 2, 20_000);
    await bot.waitForOutput(/"reminder posted"/);
    expect(String(posts[1]?.args.text)).toContain("Add to calendar: https://bot.example.org/calendar/e2e.ics");
    const after = await metrics(base);
    expect(after.value("cabalbot_commands_total", { command: "topic-add" })).toBe(
      before.value("cabalbot_commands_total", { command: "topic-add" }) + 1,
    );
    expect(after.value("cabalbot_commands_total", { command: "next" })).toBe(1);
    expect(after.value("cabalbot_chat_errors_total", { method: "chat.postMessage" })).toBe(1);
    expect(after.value("cabalbot_reminder_failures_total", { meeting: "e2e" })).toBe(1);
    expect(after.value("cabalbot_reminders_sent_total", { meeting: "e2e" })).toBe(1);
    expect(after.sum("cabalbot_reminder_lateness_seconds")).toBeGreaterThanOrEqual(2);

    const feed = await get(`${base}/calendar.ics`);
    expect(feed.status).toBe(200);
    const events = parseFeed(feed.body);
    expect(events[0]?.uid).toBe("e2e-2023-11-14@bot.example.org");
    expect(events[0]?.start).toBe("2023-11-14T22:16:00.000Z");
    expect(events.find((e) => e.uid === "cabal-2023-11-21@bot.example.org")?.description).toContain(
      "1. Quadlets & pods - alice",
    );
  }, 60_000);

  it("Socket Mode serves them on CALENDAR_PORT", async () => {
    const api = new SlackApiStandIn();
    const socket = new SocketModeStandIn();
    api.socketModeUrl = await socket.url();
    const apiUrl = await api.start();
    stops.push(
      () => socket.stop(),
      () => api.stop(),
    );
    const dir = tempDir();
    const port = await freePort();
    const bot = new BotProcess({
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_APP_TOKEN: "xapp-test-token",
      SLACK_API_URL: apiUrl,
      CABALBOT_CONFIG: writeConfig(dir, CONFIG),
      CABALBOT_DB: `${dir}/bot.sqlite`,
      CABALBOT_CLOCK_START: "2023-11-20T12:00:00Z",
      CALENDAR_PORT: String(port),
      PORT: String(await freePort()),
    });
    bots.push(bot);
    await waitForHttp(bot, `http://127.0.0.1:${port}/healthz`);
    const feed = await get(`http://127.0.0.1:${port}/calendar/cabal.ics`);
    expect(feed.status).toBe(200);
    expect(parseFeed(feed.body)[0]?.uid).toBe("cabal-2023-11-21@cabalbot");
    expect((await metrics(`http://127.0.0.1:${port}`)).family("cabalbot_commands_total")?.type).toBe("COUNTER");
  }, 60_000);
});

describe("cabalbot ics", () => {
  async function cabalbot(args: string[], env: Record<string, string>) {
    const { CABALBOT_CONFIG: _config, CABALBOT_CLOCK_START: _clock, CABALBOT_DB: _db, ...inherited } = process.env;
    return promisify(execFile)(process.execPath, [BIN, ...args], {
      env: { ...inherited, ...env },
      cwd: tempDir(),
      maxBuffer: 16 * 1024 * 1024,
    });
  }

  it("prints the same occurrences as `cabalbot next` for two years of the built-in Podman schedule", async () => {
    const env = { CABALBOT_CLOCK_START: "2023-01-01T00:00:00Z" };
    const { stdout: ics } = await cabalbot(["ics", "--days", "731"], env);
    const { stdout: next } = await cabalbot(["next", "--count", "300"], env);
    // `next` lines start with the local date and the meeting id; two years end on 2024-12-31 in New York.
    const listed = next
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/).slice(0, 2))
      .filter(([date]) => (date ?? "") <= "2024-12-31")
      .map(([date, id]) => `${id} ${date}`)
      .sort();
    const events = parseFeed(ics);
    const held = events
      .filter((e) => e.status === "CONFIRMED")
      .map((e) => e.uid.replace(/^(.+)-(\d{4}-\d{2}-\d{2})@cabalbot$/, "$1 $2"))
      .sort();
    expect(held).toEqual(listed);
    expect(held).toContain("cabal 2023-12-12");
    expect(events.filter((e) => e.status === "CANCELLED").map((e) => e.uid)).toEqual(["cabal-2023-12-19@cabalbot"]);
    expect(held.length).toBeGreaterThan(30);
  }, 30_000);

  it("refuses an unknown meeting with the list of meetings", async () => {
    await expect(cabalbot(["ics", "--meeting", "nope"], {})).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--meeting: no meeting "nope" (meetings: community, cabal, standup)'),
    });
  });
});
