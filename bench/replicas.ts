// Topic-add throughput and latency of the real bot process (compiled, Slack HTTP mode, the Web API stand-in) on
// its three stores, in the same run: SQLite (the default), one replica on PostgreSQL, and two replicas on one
// PostgreSQL with the requests spread over both (as a load balancer would). The server is a throw-away one started
// here, as in the tests; without PostgreSQL's binaries those rows say so and the SQLite row still runs.
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import pg from "pg";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../test/support/bot-process.js";
import { ensureBuilt } from "../test/support/build.js";
import { postgresAvailability, startPostgresServer } from "../test/support/postgres-server.js";
import { SlackApiStandIn } from "../test/support/slack-api-stand-in.js";
import { slashCommand } from "../test/support/slack-requests.js";
import type { BenchRow } from "./bench-row.js";

const ADDS = 1_000;
const WARM_UP = 100;
const IN_FLIGHT = 20;
const CHANNEL = "C0BENCH";

const CONFIG = `
displayZones: [Europe/Berlin]
meetings:
  - id: bench
    title: Bench Meeting
    channel: ${CHANNEL}
    timezone: UTC
    time: "11:00"
    rrule: "FREQ=WEEKLY;BYDAY=MO"
    reminders: []
`;

interface AddRun {
  /** Latency of each acknowledged add, in ms. */
  latencies: number[];
  wallMs: number;
}

/** Sends `count` adds, `IN_FLIGHT` at a time, request i to replica i mod n; every add must be acknowledged. */
async function addBurst(ports: number[], count: number, label: string): Promise<AddRun> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const port = ports[i % ports.length] as number;
      const sent = performance.now();
      const response = await slashCommand(`http://127.0.0.1:${port}`, {
        text: `topic add ${label} ${i}`,
        user_id: `U0BENCH${String(i % 50).padStart(2, "0")}`,
        user_name: `person${i % 50}`,
        channel_id: CHANNEL,
      });
      const body = await response.text();
      latencies.push(performance.now() - sent);
      if (response.status !== 200 || !body.includes("Added")) {
        throw new Error(`topic add ${i}: HTTP ${response.status} ${body.slice(0, 200)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  return { latencies, wallMs: performance.now() - started };
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

/** Starts `replicas` bots on `database`, warms them up, measures ADDS adds, and checks each is stored once. */
async function measure(
  name: string,
  database: string,
  replicas: number,
  apiUrl: string,
  countStored: (title: string) => Promise<number>,
): Promise<BenchRow[]> {
  const dir = tempDir("cabalbot-bench-replicas-");
  writeConfig(dir, CONFIG);
  const env = { ...slackHttpEnv(apiUrl, dir), CABALBOT_DB: database };
  const bots: BotProcess[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < replicas; i++) {
      const port = await freePort();
      bots.push(await startSlackBot(env, port));
      ports.push(port);
    }
    await addBurst(ports, WARM_UP, "Warm-up");
    const run = await addBurst(ports, ADDS, "Measured");
    const stored = await countStored("Measured %");
    return [
      {
        name: `topic add throughput: ${name}`,
        value: (ADDS / run.wallMs) * 1000,
        unit: "adds/s",
      },
      { name: `topic add p50: ${name}`, value: percentile(run.latencies, 50), unit: "ms" },
      { name: `topic add p99: ${name}`, value: percentile(run.latencies, 99), unit: "ms" },
      {
        name: `topic add: ${name}, acknowledged adds stored once`,
        value: stored,
        unit: "topics",
        target: `= ${ADDS}`,
        pass: stored === ADDS,
      },
    ];
  } finally {
    for (const bot of bots) await bot.kill("SIGTERM");
  }
}

export async function benchReplicas(): Promise<BenchRow[]> {
  ensureBuilt();
  const api = new SlackApiStandIn();
  const apiUrl = await api.start();
  const rows: BenchRow[] = [];
  try {
    const sqliteFile = `${tempDir("cabalbot-bench-sqlite-")}/bot.sqlite`;
    rows.push(
      ...(await measure("SQLite, one process", sqliteFile, 1, apiUrl, async (title) => {
        const db = new Database(sqliteFile, { readonly: true });
        try {
          return (db.prepare("SELECT count(*) AS n FROM topics WHERE title LIKE ?").get(title) as { n: number }).n;
        } finally {
          db.close();
        }
      })),
    );

    const availability = postgresAvailability();
    if (!availability.ok) {
      process.stderr.write(`bench: PostgreSQL rows skipped: ${availability.reason}\n`);
      return rows;
    }
    const server = await startPostgresServer();
    try {
      for (const replicas of [1, 2]) {
        const url = await server.createDatabase();
        const countStored = async (title: string) => {
          const client = new pg.Client({ connectionString: url });
          await client.connect();
          try {
            const result = await client.query<{ n: number }>(
              "SELECT count(*)::int AS n FROM topics WHERE title LIKE $1",
              [title],
            );
            return result.rows[0]?.n ?? 0;
          } finally {
            await client.end();
          }
        };
        const name = replicas === 1 ? "PostgreSQL, one replica" : "PostgreSQL, two replicas";
        rows.push(...(await measure(name, url, replicas, apiUrl, countStored)));
      }
    } finally {
      await server.remove();
    }
  } finally {
    await api.stop();
  }
  return rows;
}
