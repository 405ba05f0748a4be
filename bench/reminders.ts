// Reminder benchmarks: the cost of one tick of the real use case over 10,000 meetings (SQLite store on a temp
// file), and the lateness of reminders posted by the real scheduler at real instants (post time − due time).

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { systemClock } from "../src/adapters/clock.js";
import { SqliteStore } from "../src/adapters/sqlite/sqlite-store.js";
import type { BotDeps } from "../src/app/deps.js";
import type { ChatPort, ChatRoom, ChatUser, Clock, Logger, PostedMessage } from "../src/app/ports.js";
import { newReminderRunState, prepareReminderIndex, sendDueReminders } from "../src/app/send-due-reminders.js";
import type { ReminderView } from "../src/app/views.js";
import type { CommunityConfig, Meeting } from "../src/domain/meeting.js";
import { reminderJobs } from "../src/scheduler/reminder-job.js";
import { startScheduler } from "../src/scheduler/scheduler.js";
import type { BenchRow } from "./bench-row.js";

const MEETINGS = 10_000;
const TICKS = 30;
const QUIET_TICKS = 600;
const LATENESS_REMINDERS = 24;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const ZONES = [
  "America/New_York",
  "America/Los_Angeles",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Asia/Tokyo",
  "Australia/Sydney",
  "UTC",
];
const WEEKDAYS = ["MO", "TU", "WE", "TH", "FR"];

/** A logger that drops everything: the benches measure the work, not the log. */
export const silentLog: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Records when each reminder reached the chat; answers at once. */
export class RecordingChat implements ChatPort {
  readonly posts: { view: ReminderView; at: number }[] = [];
  private ts = 0;
  servesChat(): boolean {
    return true;
  }
  async postReminder(_room: ChatRoom, view: ReminderView): Promise<PostedMessage> {
    this.posts.push({ view, at: Date.now() });
    return { messageId: String(++this.ts) };
  }
  async postNotesAnnouncement(): Promise<PostedMessage> {
    return { messageId: String(++this.ts) };
  }
  async findPostedMessage(): Promise<PostedMessage | undefined> {
    return undefined;
  }
  async notifyRollover(): Promise<void> {}
  async postDirectReminder(_user: ChatUser, view: ReminderView): Promise<PostedMessage> {
    this.posts.push({ view, at: Date.now() });
    return { messageId: String(++this.ts) };
  }
  async findDirectMessage(): Promise<PostedMessage | undefined> {
    return undefined;
  }
  async notifyScheduleChange(): Promise<PostedMessage> {
    return { messageId: String(++this.ts) };
  }
  async userTimeZone(): Promise<string | undefined> {
    return undefined;
  }
}

function variedMeetings(count: number): Meeting[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `m${i}`,
    title: `Meeting ${i}`,
    rooms: [{ chat: "slack", room: `C${i}` }],
    timezone: ZONES[i % ZONES.length] as string,
    time: `${String(7 + (i % 12)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`,
    durationMinutes: 60,
    schedule: [
      i % 3 === 0
        ? { rrule: `FREQ=MONTHLY;BYDAY=${1 + (i % 4)}${WEEKDAYS[i % 5]}` }
        : { rrule: `FREQ=WEEKLY;BYDAY=${WEEKDAYS[i % 5]}` },
    ],
    dates: [],
    skip: [],
    remindersMs: [DAY, HOUR],
  }));
}

function deps(config: CommunityConfig, store: SqliteStore, clock: Clock, chat: ChatPort): BotDeps {
  return { config: { current: () => config }, store, clock, chat, log: silentLog };
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
};

async function benchTick(dir: string): Promise<BenchRow[]> {
  const store = SqliteStore.open(join(dir, "tick.sqlite"));
  const config: CommunityConfig = { displayZones: ["UTC"], admins: [], meetings: variedMeetings(MEETINGS) };
  let nowMs = Date.parse("2025-06-17T12:00:00Z");
  const clock: Clock = { now: () => new Date(nowMs) };
  const chat = new RecordingChat();
  const state = newReminderRunState();
  const d = deps(config, store, clock, chat);
  try {
    // The job indexes the meetings at start, before its first tick (the build is its own row, below).
    prepareReminderIndex(d, state);
    // The first tick after a start catches up the whole look-back (a day): every reminder in it is handled.
    let t0 = performance.now();
    const first = await sendDueReminders(d, state);
    const catchUpMs = performance.now() - t0;
    // Then one tick a second, as in production; some reminders fall due during these ticks.
    const times: number[] = [];
    let handled = 0;
    for (let i = 0; i < TICKS; i++) {
      nowMs += 1_000;
      t0 = performance.now();
      handled += (await sendDueReminders(d, state)).due;
      times.push(performance.now() - t0);
    }
    // A tick with a fresh cache (e.g. the first one after a restart on the same store): every reminder of the
    // look-back is read back from the store.
    const restarted = newReminderRunState();
    prepareReminderIndex(d, restarted);
    t0 = performance.now();
    await sendDueReminders(d, restarted);
    const coldMs = performance.now() - t0;
    return [
      {
        name: `reminders: one tick, ${MEETINGS} meetings (median of ${TICKS})`,
        value: median(times),
        unit: "ms",
        target: "< 100 ms (tick is 1 s)",
      },
      {
        name: `reminders: slowest tick, ${MEETINGS} meetings (${handled} due)`,
        value: Math.max(...times),
        unit: "ms",
        target: "< 1000 ms",
      },
      {
        name: `reminders: first tick after start, ${MEETINGS} meetings (${first.due} missed handled)`,
        value: catchUpMs,
        unit: "ms",
        target: "< 1000 ms (the rest: next ticks)",
      },
      {
        name: `reminders: tick with a cold cache, ${MEETINGS} meetings`,
        value: coldMs,
        unit: "ms",
        target: "< 1000 ms",
      },
    ];
  } finally {
    store.close();
  }
}

/**
 * The common tick: 10,000 meetings and nothing due (a Saturday; the meetings are on weekdays with reminders an
 * hour and ten minutes before). The job indexes the meetings at start; every tick, the first included, should
 * then cost nothing whatever the number of meetings.
 */
async function benchQuietTick(dir: string): Promise<BenchRow[]> {
  const store = SqliteStore.open(join(dir, "quiet.sqlite"));
  const meetings = variedMeetings(MEETINGS).map((m) => ({ ...m, remindersMs: [HOUR, 10 * 60_000] }));
  const config: CommunityConfig = { displayZones: ["UTC"], admins: [], meetings };
  let nowMs = Date.parse("2025-06-21T12:00:00Z");
  const clock: Clock = { now: () => new Date(nowMs) };
  const chat = new RecordingChat();
  const state = newReminderRunState();
  const d = deps(config, store, clock, chat);
  try {
    let t0 = performance.now();
    prepareReminderIndex(d, state);
    const buildMs = performance.now() - t0;
    const times: number[] = [];
    let handled = 0;
    for (let i = 0; i < QUIET_TICKS; i++) {
      t0 = performance.now();
      handled += (await sendDueReminders(d, state)).due;
      times.push(performance.now() - t0);
      nowMs += 1_000;
    }
    if (handled !== 0 || chat.posts.length !== 0) throw new Error(`quiet ticks handled ${handled} reminders`);
    return [
      {
        name: `reminders: index build at start, ${MEETINGS} meetings`,
        value: buildMs,
        unit: "ms",
        target: "(once per config)",
      },
      {
        name: `reminders: first tick after start, ${MEETINGS} meetings, nothing due`,
        value: times[0] as number,
        unit: "ms",
        target: "≤ 10 ms",
        pass: (times[0] as number) <= 10,
      },
      {
        name: `reminders: tick, ${MEETINGS} meetings, nothing due (median of ${QUIET_TICKS})`,
        value: median(times),
        unit: "ms",
        target: "≤ 1 ms",
        pass: median(times) <= 1,
      },
      {
        name: `reminders: tick, ${MEETINGS} meetings, nothing due (worst of ${QUIET_TICKS})`,
        value: Math.max(...times),
        unit: "ms",
        target: "≤ 10 ms",
        pass: Math.max(...times) <= 10,
      },
    ];
  } finally {
    store.close();
  }
}

async function benchLateness(dir: string): Promise<BenchRow[]> {
  const store = SqliteStore.open(join(dir, "lateness.sqlite"));
  const chat = new RecordingChat();
  // Due instants one per second from 3 s from now; the meeting starts on a whole minute after the last of them,
  // so the offsets are whole seconds, as config allows ("170s"). One-off dates are written in UTC.
  const firstDue = Math.ceil(Date.now() / 1000) * 1000 + 3_000;
  const lastDue = firstDue + (LATENESS_REMINDERS - 1) * 1_000;
  const start = Math.ceil((lastDue + 1) / 60_000) * 60_000;
  const wall = new Date(start).toISOString().slice(0, 16);
  const meetings: Meeting[] = Array.from({ length: LATENESS_REMINDERS }, (_, i) => ({
    id: `late${i}`,
    title: `Lateness ${i}`,
    rooms: [{ chat: "slack", room: `CL${i}` }],
    timezone: "UTC",
    time: wall.slice(11),
    durationMinutes: 30,
    schedule: [],
    dates: [wall],
    skip: [],
    remindersMs: [start - (firstDue + i * 1_000)],
  }));
  const config: CommunityConfig = { displayZones: ["UTC"], admins: [], meetings };
  const d = deps(config, store, systemClock, chat);
  // The default heartbeat: between beats the scheduler sleeps until the next due instant the index names.
  const scheduler = startScheduler("0 * * * * *", reminderJobs(d), silentLog);
  try {
    await scheduler.runNow();
    const deadline = lastDue + 10_000;
    while (chat.posts.length < LATENESS_REMINDERS && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await scheduler.stop();
    store.close();
  }
  const lateness = chat.posts.map((post) => post.at - (post.view.occurrence.start.getTime() - post.view.leadMs));
  if (chat.posts.length < LATENESS_REMINDERS)
    throw new Error(`only ${chat.posts.length} of ${LATENESS_REMINDERS} reminders were posted`);
  return [
    {
      name: `reminders: lateness, median of ${lateness.length}`,
      value: median(lateness),
      unit: "ms",
      target: "0 ≤ x ≤ 5000 ms",
    },
    {
      name: `reminders: lateness, worst of ${lateness.length}`,
      value: Math.max(...lateness),
      unit: "ms",
      target: "≤ 1000 ms",
      pass: Math.max(...lateness) <= 1000,
    },
    {
      name: `reminders: lateness, earliest of ${lateness.length}`,
      value: Math.min(...lateness),
      unit: "ms",
      target: "≥ 0 ms (never early)",
    },
  ];
}

export async function benchReminders(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), "cabalbot-bench-"));
  try {
    return [...(await benchTick(dir)), ...(await benchQuietTick(dir)), ...(await benchLateness(dir))];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const row of await benchReminders()) process.stdout.write(`${row.name}: ${row.value.toFixed(1)} ${row.unit}\n`);
}
