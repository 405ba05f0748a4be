// `topic add` as the agenda grows: the real use case over the SQLite store on a temp file, at 10 and at 10,000
// topics on the occurrence; adding should cost the same at both (the store counts the new topic's place).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { SqliteStore } from "../src/adapters/sqlite/sqlite-store.js";
import { addTopic } from "../src/app/agenda.js";
import type { BotDeps } from "../src/app/deps.js";
import type { Clock } from "../src/app/ports.js";
import type { CommunityConfig } from "../src/domain/meeting.js";
import { testMeeting } from "../test/support/meetings.js";
import type { BenchRow } from "./bench-row.js";
import { RecordingChat, silentLog } from "./reminders.js";

const BIG_AGENDA = 10_000;
const SMALL_AGENDA = 10;
const ADDS = 200;
const meeting = testMeeting();

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

async function addsAt(dir: string, agendaLength: number): Promise<{ median: number; worst: number; list: number }> {
  const store = SqliteStore.open(join(dir, `agenda-${agendaLength}.sqlite`));
  const config: CommunityConfig = { displayZones: ["UTC"], admins: [], meetings: [meeting] };
  const clock: Clock = { now: () => new Date("2025-06-02T12:00:00Z") };
  const deps: BotDeps = { config: { current: () => config }, store, clock, chat: new RecordingChat(), log: silentLog };
  const request = (title: string) => ({
    meetingId: "cabal",
    title,
    proposer: { user: { chat: "slack", id: "U0BENCH" }, name: "Bench" },
  });
  try {
    for (let i = 0; i < agendaLength; i++) {
      const added = await addTopic(deps, request(`filler topic ${i}`));
      if (added.kind !== "added") throw new Error(`could not fill the agenda: ${added.kind}`);
    }
    const times: number[] = [];
    for (let i = 0; i < ADDS; i++) {
      const t0 = performance.now();
      const added = await addTopic(deps, request(`measured topic ${i}`));
      times.push(performance.now() - t0);
      if (added.kind !== "added" || added.position !== agendaLength + i + 1)
        throw new Error(`topic add gave the wrong place: ${JSON.stringify(added)}`);
    }
    const t0 = performance.now();
    await store.listTopics("cabal", "2025-06-19");
    return { median: median(times), worst: Math.max(...times), list: performance.now() - t0 };
  } finally {
    store.close();
  }
}

export async function benchAgenda(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "cabalbot-bench-agenda-"));
  try {
    const small = await addsAt(dir, SMALL_AGENDA);
    const big = await addsAt(dir, BIG_AGENDA);
    return [
      {
        name: `topic add (use case, SQLite), ${SMALL_AGENDA} topics: median of ${ADDS}`,
        value: small.median,
        unit: "ms",
      },
      {
        name: `topic add (use case, SQLite), ${BIG_AGENDA} topics: median of ${ADDS}`,
        value: big.median,
        unit: "ms",
        target: "< 5 ms",
        pass: big.median < 5,
      },
      {
        name: `topic add (use case, SQLite), ${BIG_AGENDA} topics: worst of ${ADDS}`,
        value: big.worst,
        unit: "ms",
      },
      {
        name: `topic list at ${BIG_AGENDA} topics (what add no longer does)`,
        value: big.list,
        unit: "ms",
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchAgenda()) process.stdout.write(`${row.name}: ${row.value.toFixed(2)} ${row.unit}\n`);
}
