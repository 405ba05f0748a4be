// Command, start and memory benchmarks of the real bot process (compiled dist/main.js, Slack HTTP mode, the Web
// API stand-in on loopback), each beside a bare Bolt app that only acks, measured on the same machine in the
// same run. Signed requests go in over loopback, 20 in flight; latency is request sent → HTTP response (the ack).

import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { setTimeout as delay } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { openDatabase } from "../src/adapters/sqlite/database.js";
import { SqliteStore } from "../src/adapters/sqlite/sqlite-store.js";
import { loadConfigFile } from "../src/config.js";
import { nextOccurrence } from "../src/domain/calendar.js";
import type { Meeting, Occurrence } from "../src/domain/meeting.js";
import { freePort, tempDir } from "../test/support/bot-process.js";
import { BUILT_MAIN, ensureBuilt, ROOT, START_NODE_OPTIONS } from "../test/support/build.js";
import { SlackApiStandIn } from "../test/support/slack-api-stand-in.js";
import { directMessageEvent, eventCallback, SIGNING_SECRET, slashCommand } from "../test/support/slack-requests.js";
import type { BenchRow } from "./bench-row.js";

const COMMANDS_PER_KIND = 10_000;
const WARM_UP = 1_000;
/** Requests per alternation: cabalbot, then the bare app, then cabalbot again, … */
const ROUND = 250;
const IN_FLIGHT = 20;
const STARTS = 5;
const BIG_MEETINGS = 1_000;
const BIG_TOPICS = 100_000;
const MIXED_COMMANDS = 1_000;

const BARE_APP = join(ROOT, "bench/bare-bolt-app.js");

/** One of 50 people, as a valid Slack user id (`U` and at least two more characters, or the bot refuses it). */
const person = (i: number): string => `U${String(i % 50).padStart(4, "0")}`;

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  startMs: number;
  stop(): Promise<void>;
}

type Send = (baseUrl: string, i: number) => Promise<Response>;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Resident memory of a process, from /proc (Linux), in MB. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").match(/^VmRSS:\s+(\d+) kB/m);
  if (!line) throw new Error(`no VmRSS for ${pid}`);
  return Number(line[1]) / 1024;
}

/** CPU time a process has used (user + system), from /proc (Linux), in ms; clock ticks are 10 ms on Linux. */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // The fields after the command name (which may hold spaces) start with the state: utime and stime are 12th, 13th.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Share of one core a process uses over `ms` of doing nothing asked of it, in percent. */
async function idleCpuPercent(pids: number[], ms: number): Promise<number[]> {
  const before = pids.map(cpuMs);
  await delay(ms);
  return pids.map((pid, i) => ((cpuMs(pid) - (before[i] as number)) / ms) * 100);
}

async function healthy(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/healthz`).then(
    (r) => r.status === 200,
    () => false,
  );
}

/** Spawns `node <script>` and resolves once it is ready: /healthz 200, or the console prompt on stdout. */
async function startServer(
  name: string,
  script: string,
  env: Record<string, string>,
  ready: "healthz" | "console",
  cwd: string,
): Promise<Server> {
  const port = await freePort();
  const started = performance.now();
  // The bot runs with npm start's node options (its young-generation size), the bare app with node's defaults.
  const options = script === BUILT_MAIN ? START_NODE_OPTIONS : [];
  const child = spawn(process.execPath, [...options, script], {
    cwd,
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: String(port), ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let output = "";
  let prompt = false;
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
    prompt ||= output.includes("cabalbot console");
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString("utf8");
  });
  const exited = once(child, "exit");
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    if (ready === "console" ? prompt : await healthy(port)) break;
    if (gone) throw new Error(`${name} exited before it was ready:\n${output}`);
    if (performance.now() - started > 30_000) throw new Error(`${name} not ready after 30 s:\n${output}`);
    await delay(ready === "console" ? 2 : 5); // poll interval of the readiness check
  }
  const startMs = performance.now() - started;
  return {
    name,
    child,
    port,
    startMs,
    async stop() {
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Sends `count` requests, `IN_FLIGHT` at a time; returns each one's latency in ms. */
async function burst(server: Server, send: Send, count: number, offset: number): Promise<number[]> {
  const base = `http://127.0.0.1:${server.port}`;
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = offset + next++;
      const sent = performance.now();
      const response = await send(base, i);
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      if (response.status !== 200) throw new Error(`${server.name}: HTTP ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return latencies;
}

/** Alternates rounds between the bot and the bare app, so that both see the same machine load. */
async function compare(bot: Server, bare: Server, send: Send): Promise<{ bot: number[]; bare: number[] }> {
  await burst(bot, send, WARM_UP, 0);
  await burst(bare, send, WARM_UP, 0);
  const samples = { bot: [] as number[], bare: [] as number[] };
  for (let done = 0; done < COMMANDS_PER_KIND; done += ROUND) {
    samples.bot.push(...(await burst(bot, send, ROUND, WARM_UP + done)));
    samples.bare.push(...(await burst(bare, send, ROUND, WARM_UP + done)));
  }
  return samples;
}

function latencyRows(kind: string, samples: { bot: number[]; bare: number[] }, baseline = "bare Bolt ack"): BenchRow[] {
  const bot = [...samples.bot].sort((a, b) => a - b);
  const bare = [...samples.bare].sort((a, b) => a - b);
  const rows: BenchRow[] = [];
  for (const [label, p, limit] of [
    ["p50", 50, 1.2],
    ["p99", 99, 1.3],
  ] as const) {
    const ours = percentile(bot, p);
    const theirs = percentile(bare, p);
    rows.push(
      { name: `${kind}: cabalbot ${label}`, value: ours, unit: "ms" },
      { name: `${kind}: ${baseline} ${label}`, value: theirs, unit: "ms" },
      {
        name: `${kind}: ${label} ratio`,
        value: ours / theirs,
        unit: "×",
        target: `≤ ${limit}×`,
        pass: ours / theirs <= limit,
      },
    );
  }
  return rows;
}

function httpEnv(apiUrl: string, dir: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    CABALBOT_DB: join(dir, "bot.sqlite"),
  };
}

async function benchCommandLatency(apiUrl: string): Promise<BenchRow[]> {
  const dir = tempDir("cabalbot-bench-");
  // The built-in Podman defaults (no cabalbot.yml in the working directory).
  const bot = await startServer("cabalbot", BUILT_MAIN, httpEnv(apiUrl, dir), "healthz", dir);
  const bare = await startServer("bare Bolt", BARE_APP, httpEnv(apiUrl, dir), "healthz", dir);
  const replying = await startServer(
    "replying Bolt",
    BARE_APP,
    { ...httpEnv(apiUrl, dir), BENCH_REPLY_TO_DMS: "1" },
    "healthz",
    dir,
  );
  const rows: BenchRow[] = [];
  try {
    const command = (text: (i: number) => string): Send => {
      return (base, i) => slashCommand(base, { text: text(i), user_id: person(i), user_name: `person${i % 50}` });
    };
    // A realistic agenda for `topic list` first (ten topics); `topic add` then grows it by 11,000.
    await burst(
      bot,
      command((i) => `topic add Seed topic ${i}`),
      10,
      0,
    );
    rows.push(
      ...latencyRows(
        "/cabal topic list",
        await compare(
          bot,
          bare,
          command(() => "topic list"),
        ),
      ),
    );
    rows.push(
      ...latencyRows(
        "/cabal next",
        await compare(
          bot,
          bare,
          command(() => "next"),
        ),
      ),
    );
    rows.push(
      ...latencyRows(
        "/cabal topic add",
        await compare(
          bot,
          bare,
          command((i) => `topic add Topic ${i}`),
        ),
      ),
    );
    const question: Send = (base, i) =>
      eventCallback(base, directMessageEvent("when is the next meeting?", person(i)), {
        eventId: `EvBench${i}${performance.now()}`,
      });
    rows.push(...latencyRows("DM question (ack)", await compare(bot, bare, question)));
    // Answering costs a Web API call the bare ack never makes: the same DMs against a Bolt app posting a fixed reply.
    rows.push(...latencyRows("DM question vs replying Bolt", await compare(bot, replying, question), "replying Bolt"));
  } finally {
    await bot.stop();
    await bare.stop();
    await replying.stop();
  }
  return rows;
}

/** Long enough for 10 ms clock ticks to resolve a tenth of a percent. */
const IDLE_CPU_MS = 20_000;

async function benchStart(apiUrl: string): Promise<BenchRow[]> {
  const times = { console: [] as number[], http: [] as number[], bare: [] as number[] };
  const idle = { console: 0, bot: 0, bare: 0, botSoon: 0, bareSoon: 0 };
  const cpu = { bot: 0, bare: 0 };
  for (let i = 0; i < STARTS; i++) {
    const dir = tempDir("cabalbot-bench-");
    const consoleBot = await startServer(
      "cabalbot console",
      BUILT_MAIN,
      { CABALBOT_DB: join(dir, "c.sqlite") },
      "console",
      dir,
    );
    times.console.push(consoleBot.startMs);
    if (i === STARTS - 1) {
      await delay(3_000); // let it settle after start (first ticks, GC) before reading its memory
      idle.console = rssMb(consoleBot.child.pid as number);
    }
    await consoleBot.stop();
    const bot = await startServer("cabalbot", BUILT_MAIN, httpEnv(apiUrl, dir), "healthz", dir);
    times.http.push(bot.startMs);
    const bare = await startServer("bare Bolt", BARE_APP, httpEnv(apiUrl, dir), "healthz", dir);
    times.bare.push(bare.startMs);
    if (i === STARTS - 1) {
      await delay(3_000); // let both settle after start (JIT, first ticks, GC) before reading their memory
      idle.botSoon = rssMb(bot.child.pid as number);
      idle.bareSoon = rssMb(bare.child.pid as number);
      // Idle means after start: another 7 s for the start's own work to end (first runs of the jobs, tier-up, GC).
      await delay(7_000);
      const [botCpu = 0, bareCpu = 0] = await idleCpuPercent(
        [bot.child.pid as number, bare.child.pid as number],
        IDLE_CPU_MS,
      );
      cpu.bot = botCpu;
      cpu.bare = bareCpu;
      // Idle memory is read once idle too: 3 s after start V8's young generation is often still at the size the
      // start grew it to, which made this figure swing by ±10 MB from one run to the next (see the README).
      idle.bot = rssMb(bot.child.pid as number);
      idle.bare = rssMb(bare.child.pid as number);
    }
    await bot.stop();
    await bare.stop();
  }
  const bare = median(times.bare);
  const ratio = (ms: number) => ({ value: ms / bare, unit: "×", target: "≤ 1.5×", pass: ms / bare <= 1.5 });
  return [
    {
      name: "start → console prompt: cabalbot (median of 5)",
      value: median(times.console),
      unit: "ms",
      target: "≤ 1000 ms",
      pass: median(times.console) <= 1000,
    },
    {
      name: "start → /healthz 200: cabalbot (median of 5)",
      value: median(times.http),
      unit: "ms",
      target: "≤ 1000 ms",
      pass: median(times.http) <= 1000,
    },
    { name: "start → /healthz 200: bare Bolt (median of 5)", value: bare, unit: "ms" },
    { name: "start ratio: console / bare Bolt", ...ratio(median(times.console)) },
    { name: "start ratio: HTTP / bare Bolt", ...ratio(median(times.http)) },
    {
      name: "RSS idle: cabalbot console, Podman defaults",
      value: idle.console,
      unit: "MB",
      target: "≤ 100 MB",
      pass: idle.console <= 100,
    },
    { name: "RSS 3 s after start: cabalbot Slack HTTP, Podman defaults", value: idle.botSoon, unit: "MB" },
    { name: "RSS 3 s after start: bare Bolt", value: idle.bareSoon, unit: "MB" },
    {
      name: `RSS idle: cabalbot Slack HTTP, Podman defaults (${10 + IDLE_CPU_MS / 1000} s after start)`,
      value: idle.bot,
      unit: "MB",
      target: "≤ 100 MB",
      pass: idle.bot <= 100,
    },
    { name: `RSS idle: bare Bolt (${10 + IDLE_CPU_MS / 1000} s after start)`, value: idle.bare, unit: "MB" },
    {
      name: `idle CPU: cabalbot Slack HTTP, Podman defaults (${IDLE_CPU_MS / 1000} s from 10 s after start)`,
      value: cpu.bot,
      unit: "% core",
      target: "≤ 1 %",
      pass: cpu.bot <= 1,
    },
    { name: `idle CPU: bare Bolt (over ${IDLE_CPU_MS / 1000} s)`, value: cpu.bare, unit: "% core" },
  ];
}

/** A config of `count` weekly meetings in varied zones, all still running. */
function bigConfig(count: number): string {
  const zones = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo", "America/Los_Angeles"];
  const days = ["MO", "TU", "WE", "TH", "FR"];
  const meetings = Array.from(
    { length: count },
    (_, i) => `  - id: m${i}
    title: Meeting ${i}
    channel: C${String(i).padStart(8, "0")}
    timezone: ${zones[i % zones.length]}
    time: "${String(8 + (i % 10)).padStart(2, "0")}:00"
    rrule: "FREQ=WEEKLY;BYDAY=${days[i % days.length]}"`,
  );
  return `meetings:\n${meetings.join("\n")}\n`;
}

/**
 * A community of BIG_MEETINGS meetings in a temp folder (config and SQLite file), with `topics` topics stored in
 * one transaction (setup, not measured); `place` says where topic i goes (undefined: nowhere).
 */
function bigCommunity(
  topics: number,
  place: (
    meetings: Meeting[],
    now: Date,
    i: number,
  ) => { meeting: Meeting; occurrence: Occurrence; proposerId: string } | undefined,
): { dir: string; configPath: string } {
  const dir = tempDir("cabalbot-bench-");
  const configPath = join(dir, "cabalbot.yml");
  writeFileSync(configPath, bigConfig(BIG_MEETINGS));
  const dbPath = join(dir, "bot.sqlite");
  SqliteStore.open(dbPath).close();
  const db = openDatabase(dbPath);
  const store = new SqliteStore(db);
  const now = new Date();
  const meetings = loadConfigFile(configPath).meetings;
  db.transaction(() => {
    for (let i = 0; i < topics; i++) {
      const where = place(meetings, now, i);
      if (!where) continue;
      void store.addTopic({
        meetingId: where.meeting.id,
        occurrenceDate: where.occurrence.date,
        title: `Stored topic ${i} about containers, pods and networks`,
        proposerId: where.proposerId,
        proposerChat: "slack",
        proposerName: `Person ${i % 500}`,
        source: "chat",
        createdAt: now,
      });
    }
  })();
  store.close();
  return { dir, configPath };
}

/** The bot in HTTP mode on a community that bigCommunity built. */
function startBigCommunityBot(apiUrl: string, { dir, configPath }: { dir: string; configPath: string }) {
  return startServer("cabalbot", BUILT_MAIN, { ...httpEnv(apiUrl, dir), CABALBOT_CONFIG: configPath }, "healthz", dir);
}

async function benchMemoryAtScale(apiUrl: string): Promise<BenchRow[]> {
  // 100 topics on the next occurrence of each meeting (setup, not measured).
  const { dir, configPath } = bigCommunity(BIG_TOPICS, (meetings, now, i) => {
    const meeting = meetings[i % meetings.length];
    const occurrence = meeting && nextOccurrence(meeting, now);
    return meeting && occurrence && { meeting, occurrence, proposerId: `U${i % 500}` };
  });
  const bot = await startBigCommunityBot(apiUrl, { dir, configPath });
  try {
    const kinds = ["next", "topic list", "topic add"];
    await burst(
      bot,
      (base, i) => {
        const kind = kinds[i % kinds.length] as string;
        const meeting = `m${(i * 7) % BIG_MEETINGS}`;
        const text = kind === "next" ? "next" : `${meeting} ${kind}${kind === "topic add" ? ` Mixed topic ${i}` : ""}`;
        return slashCommand(base, { text, user_id: person(i), user_name: `person${i % 50}` });
      },
      MIXED_COMMANDS,
      0,
    );
    const rss = rssMb(bot.child.pid as number);
    return [
      {
        name: `RSS: ${BIG_MEETINGS} meetings, ${BIG_TOPICS / 1000}k topics, after ${MIXED_COMMANDS} commands`,
        value: rss,
        unit: "MB",
        target: "≤ 150 MB",
        pass: rss <= 150,
      },
    ];
  } finally {
    await bot.stop();
  }
}

const SCALE_TOPICS = 10_000;
const SCALE_REPEATS = 50;

/** Median latency, body size and block count of one command, asked `SCALE_REPEATS` times one after another. */
async function measureReply(bot: Server, text: string): Promise<{ ms: number; bytes: number; blocks: number }> {
  const times: number[] = [];
  let bytes = 0;
  let blocks = 0;
  for (let i = 0; i < SCALE_REPEATS; i++) {
    const sent = performance.now();
    const response = await slashCommand(`http://127.0.0.1:${bot.port}`, { text, user_id: person(i), user_name: "p" });
    const body = await response.text();
    times.push(performance.now() - sent);
    if (response.status !== 200) throw new Error(`${text}: HTTP ${response.status}`);
    bytes = Buffer.byteLength(body);
    blocks = (JSON.parse(body) as { blocks?: unknown[] }).blocks?.length ?? 0;
  }
  return { ms: median(times), bytes, blocks };
}

/** `topic list` of a 10,000-topic agenda and `next` with 1,000 meetings: paged replies, each within Slack's limits. */
async function benchScale(apiUrl: string): Promise<BenchRow[]> {
  let first: Meeting | undefined;
  const { dir, configPath } = bigCommunity(SCALE_TOPICS, ([meeting], now, i) => {
    const occurrence = meeting && nextOccurrence(meeting, now);
    if (!meeting || !occurrence) throw new Error("the big config has no next occurrence");
    first = meeting;
    return { meeting, occurrence, proposerId: person(i) };
  });
  const meeting = first as Meeting;
  const bot = await startBigCommunityBot(apiUrl, { dir, configPath });
  try {
    const rows: BenchRow[] = [];
    for (const [label, text] of [
      [`topic list, ${SCALE_TOPICS} topics`, `${meeting.id} topic list`],
      [`topic list page 200, ${SCALE_TOPICS} topics`, `${meeting.id} topic list 200`],
      [`next, ${BIG_MEETINGS} meetings`, "next"],
    ] as const) {
      const reply = await measureReply(bot, text);
      rows.push(
        {
          name: `${label}: reply (median of ${SCALE_REPEATS})`,
          value: reply.ms,
          unit: "ms",
          target: "< 10 ms",
          pass: reply.ms < 10,
        },
        { name: `${label}: reply size`, value: reply.bytes / 1024, unit: "KB" },
        {
          name: `${label}: blocks`,
          value: reply.blocks,
          unit: "",
          target: "≤ 50",
          pass: reply.blocks <= 50,
        },
      );
    }
    return rows;
  } finally {
    await bot.stop();
  }
}

/** `parts`: any of latency, start, scale, memory; all when empty. */
export async function benchCommands(parts: string[] = []): Promise<BenchRow[]> {
  ensureBuilt();
  const api = new SlackApiStandIn();
  const apiUrl = await api.start();
  const runs = (part: string) => parts.length === 0 || parts.includes(part);
  try {
    return [
      ...(runs("latency") ? await benchCommandLatency(apiUrl) : []),
      ...(runs("start") ? await benchStart(apiUrl) : []),
      ...(runs("scale") ? await benchScale(apiUrl) : []),
      ...(runs("memory") ? await benchMemoryAtScale(apiUrl) : []),
    ];
  } finally {
    await api.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchCommands()) {
    console.log(`${row.name}\t${row.value.toFixed(2)} ${row.unit}\t${row.target ?? ""}\t${row.pass ?? ""}`);
  }
}
