// A burst of questions in process (the real use case, SQLite store on a temp file): 1,000 "when is the next
// meeting?" at once from 100 people whose profile zones are not cached, each profile look-up taking 20 ms.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { SqliteStore } from "../src/adapters/sqlite/sqlite-store.js";
import type { BotDeps } from "../src/app/deps.js";
import type { ChatUser, Clock } from "../src/app/ports.js";
import { answerQuestion } from "../src/app/upcoming-meetings.js";
import type { CommunityConfig } from "../src/domain/meeting.js";
import { testMeeting } from "../test/support/meetings.js";
import type { BenchRow } from "./bench-row.js";
import { RecordingChat, silentLog } from "./reminders.js";

const QUESTIONS = 1_000;
const PEOPLE = 100;
const cabal = testMeeting({ schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH" }] });

export async function benchQuestions(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "cabalbot-bench-questions-"));
  const store = SqliteStore.open(join(dir, "questions.sqlite"));
  const config: CommunityConfig = { displayZones: ["Europe/Berlin", "Asia/Tokyo"], admins: [], meetings: [cabal] };
  const clock: Clock = { now: () => new Date("2026-06-01T12:00:00Z") };
  const chat = new RecordingChat();
  let lookups = 0;
  chat.userTimeZone = async () => {
    lookups += 1;
    await new Promise((resolve) => setTimeout(resolve, 20)); // a users.info round trip
    return "Asia/Tokyo";
  };
  const deps: BotDeps = { config: { current: () => config }, store, clock, chat, log: silentLog };
  try {
    const person = (i: number): ChatUser => ({ chat: "slack", id: `U${i % PEOPLE}` });
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: QUESTIONS }, (_, i) =>
        answerQuestion(deps, { user: person(i), text: "when is the next meeting?" }),
      ),
    );
    const burstMs = performance.now() - t0;
    const answered = answers.filter((a) => a.kind === "next-meeting").length;
    return [
      {
        name: `${QUESTIONS} questions at once from ${PEOPLE} people: answered`,
        value: answered,
        unit: "",
        target: `${QUESTIONS}`,
        pass: answered === QUESTIONS,
      },
      { name: `${QUESTIONS} questions at once: all answered within`, value: burstMs, unit: "ms" },
      {
        name: `${QUESTIONS} questions at once: profile zone look-ups`,
        value: lookups,
        unit: "calls",
        target: `≤ ${PEOPLE} (one per person)`,
        pass: lookups <= PEOPLE,
      },
    ];
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchQuestions()) process.stdout.write(`${row.name}: ${row.value.toFixed(2)} ${row.unit}\n`);
}
