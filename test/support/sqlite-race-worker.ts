// One contender of the SQLite race test (test/contract/sqlite-race.test.ts): a worker thread with its own
// connection to the shared database file, claiming the same keys as the other contender, round after round.
// Each round starts at a barrier both threads meet, so the two claims of a key are issued at the same moment.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase, type SqliteDatabase } from "../../src/adapters/sqlite/database.js";
import { SqliteStore } from "../../src/adapters/sqlite/sqlite-store.js";
import type { ReminderKey } from "../../src/app/ports.js";
import type { LocalDate } from "../../src/domain/meeting.js";

export interface RaceOrders {
  path: string;
  rounds: number;
  /** Two Int32 slots shared by the contenders: arrivals at the barrier, and the barrier's generation. */
  barrier: SharedArrayBuffer;
  /**
   * `sqlite`: the real store. `read-then-write`: a deliberately non-atomic claim (the negative control), which
   * reads, meets the other contender at the barrier, then writes: both have read before either writes.
   */
  store: "sqlite" | "read-then-write";
}

/** What this contender won, round by round. */
export interface RaceWins {
  reminder: boolean[];
  retake: boolean[];
  notes: boolean[];
}

const RACE_T0 = Date.parse("2025-03-20T15:00:00Z");
const RACE_LEASE_MS = 30_000;
const raceKey = (round: number): ReminderKey => ({
  meetingId: "race",
  occurrenceDate: "2025-03-20",
  offsetMs: round,
  room: "slack:C0RACE",
});

const PARTIES = 2;
const BARRIER_TIMEOUT_MS = 10_000;

/** Blocks until both contenders have arrived (a reusable barrier on shared memory). */
function meetAtBarrier(slots: Int32Array): void {
  const generation = Atomics.load(slots, 1);
  if (Atomics.add(slots, 0, 1) === PARTIES - 1) {
    Atomics.store(slots, 0, 0);
    Atomics.add(slots, 1, 1);
    Atomics.notify(slots, 1);
    return;
  }
  while (Atomics.load(slots, 1) === generation) {
    if (Atomics.wait(slots, 1, generation, BARRIER_TIMEOUT_MS) === "timed-out")
      throw new Error("the other contender never reached the barrier");
  }
}

/** The negative control: claims decided by a read, then an unconditional write, as a careless store would. */
class ReadThenWriteClaims extends SqliteStore {
  constructor(
    private readonly connection: SqliteDatabase,
    private readonly betweenReadAndWrite: () => void,
  ) {
    super(connection);
  }

  override async claimReminder(key: ReminderKey, now: Date, leaseMs: number): Promise<boolean> {
    const record = await this.getReminder(key);
    this.betweenReadAndWrite();
    const free = !record || (record.state === "claimed" && record.claimedAt.getTime() < now.getTime() - leaseMs);
    if (!free) return false;
    this.connection
      .prepare(
        `INSERT INTO reminders (meeting_id, occurrence_date, offset_ms, room, state, claimed_at, attempts)
         VALUES (?, ?, ?, ?, 'claimed', ?, 0)
         ON CONFLICT (meeting_id, occurrence_date, offset_ms, room) DO UPDATE SET claimed_at = excluded.claimed_at`,
      )
      .run(key.meetingId, key.occurrenceDate, key.offsetMs, key.room, now.getTime());
    return true;
  }

  override async claimNotesAnnouncement(
    meetingId: string,
    occurrenceDate: LocalDate,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    const watch = await this.getNotesWatch(meetingId, occurrenceDate);
    this.betweenReadAndWrite();
    const free =
      !watch || (!watch.announcedAt && (!watch.claimedAt || watch.claimedAt.getTime() < now.getTime() - leaseMs));
    if (!free) return false;
    this.connection
      .prepare(
        `INSERT INTO notes_watch (meeting_id, occurrence_date, next_poll_at, failures, claimed_at)
         VALUES (?, ?, ?, 0, ?)
         ON CONFLICT (meeting_id, occurrence_date) DO UPDATE SET claimed_at = excluded.claimed_at`,
      )
      .run(meetingId, occurrenceDate, now.getTime(), now.getTime());
    return true;
  }
}

async function race(orders: RaceOrders): Promise<RaceWins> {
  const slots = new Int32Array(orders.barrier);
  const barrier = () => meetAtBarrier(slots);
  // The file was created and migrated before the contenders started: each opens a connection of its own.
  const store =
    orders.store === "sqlite"
      ? new SqliteStore(openDatabase(orders.path))
      : new ReadThenWriteClaims(openDatabase(orders.path), barrier);
  const wins: RaceWins = { reminder: [], retake: [], notes: [] };
  for (let round = 0; round < orders.rounds; round++) {
    const key = raceKey(round);
    barrier();
    wins.reminder.push(await store.claimReminder(key, new Date(RACE_T0), RACE_LEASE_MS));
    barrier();
    // Both find the claim above stale at the same instant: only one may retake it.
    wins.retake.push(await store.claimReminder(key, new Date(RACE_T0 + RACE_LEASE_MS + 1), RACE_LEASE_MS));
    barrier();
    wins.notes.push(
      await store.claimNotesAnnouncement(`race-${round}`, "2025-03-20", new Date(RACE_T0), RACE_LEASE_MS),
    );
  }
  store.close();
  return wins;
}

if (parentPort) parentPort.postMessage(await race(workerData as RaceOrders));
