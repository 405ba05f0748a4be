// Posts the reminders that have fallen due, exactly once each: the calendar says what is due, the store says
// what was already done. Every post is claimed first and recorded after; a failed post is retried with backoff
// (paced through the store, not in-memory timers) until the meeting starts, then dropped and logged.
// Each reminder goes to every room of the meeting and, as a direct message, to each subscriber: every copy is
// its own destination, claimed and recorded on its own, so each subscriber gets it once.
import { DueIndex } from "../domain/due-index.js";
import { type DueReminder, largestReminderOffset, reminderTiming, supersededBy } from "../domain/due-reminders.js";
import { type Meeting, roomKey } from "../domain/meeting.js";
import { driftSincePrevious } from "../domain/zone-drift.js";
import { calendarUrl } from "./calendar-feed.js";
import type { BotDeps } from "./deps.js";
import {
  ChatError,
  type ChatRoom,
  type ChatUser,
  noMetrics,
  type PostedMessage,
  type ReminderKey,
  type ReminderRecord,
  type Topic,
} from "./ports.js";
import { rollOverTopics } from "./roll-over-topics.js";
import type { ReminderView } from "./views.js";

/** A claim with no outcome recorded is taken to be in flight this long; after that its owner is presumed dead. */
export const IN_FLIGHT_LEASE_MS = 30_000;
/**
 * A claim whose owner the store knows to be gone (a replica killed, its database session closed) is retaken after
 * this grace instead of the lease: long enough for a replica whose session merely dropped (a database restart)
 * to take its lock back, short enough that a reminder due during a failover is late by seconds.
 */
export const OWNER_GONE_GRACE_MS = 3_000;
export const FIRST_RETRY_MS = 2_000;
export const MAX_RETRY_MS = 5 * 60_000;
/** Each tick looks back this much past the largest offset (so a reminder due just before a restart is seen). */
const LOOK_BACK_MARGIN_MS = 60_000;
/** Time a tick may spend on late reminders and drops (catching up); the rest wait for the next ticks. */
const CATCH_UP_BUDGET_MS = 300;

/** Delay before retry number `failures` + 1: 2 s, 4 s, 8 s, … capped at 5 min. */
export function retryDelayMs(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, Math.min(failures - 1, 20)));
}

/**
 * The string that marks a posted reminder, so it can be found again in the room after a crash; also the claim
 * key the Matrix adapter sends as transaction id, so a resend is deduplicated by the homeserver too.
 */
export function reminderMarker(key: ReminderKey): string {
  return `reminder:${key.meetingId}:${key.occurrenceDate}:${key.offsetMs}:${key.room}`;
}

/** Where one copy of a reminder goes: one of the meeting's rooms, or a subscriber's direct messages. */
export type ReminderDestination = { kind: "room"; room: ChatRoom } | { kind: "direct"; user: ChatUser };

/**
 * The destination's part of claim keys and markers: the room's key (`slack:C0123`), or `dm:` and the person
 * (`dm:slack:U0ADA`), so a DM never shares a claim with a room.
 */
export function destinationKey(to: ReminderDestination): string {
  return to.kind === "room" ? roomKey(to.room) : `dm:${to.user.chat}:${to.user.id}`;
}

function destinationChat(to: ReminderDestination): string {
  return to.kind === "room" ? to.room.chat : to.user.chat;
}

/** The meeting's rooms, then its subscribers in the order they subscribed. */
async function destinationsOf(deps: BotDeps, meeting: Meeting): Promise<ReminderDestination[]> {
  const subscribers = await deps.store.subscribersOf(meeting.id);
  return [
    ...meeting.rooms.map((room): ReminderDestination => ({ kind: "room", room })),
    ...subscribers.map((s): ReminderDestination => ({ kind: "direct", user: s.user })),
  ];
}

/** One reminder to one destination. */
interface DueDelivery {
  due: DueReminder;
  to: ReminderDestination;
}

export interface ReminderRunState {
  /** Reminders known sent or dropped (final states), by marker → due instant; pruned as the window moves on. */
  finished: Map<string, number>;
  /**
   * Which meetings have a reminder due next, for the meetings list it was built from (rebuilt when a reload
   * gives another list; the list, not the whole config, because the console's source copies the config per call).
   */
  index?: { meetings: readonly Meeting[]; lookBackMs: number; dueIndex: DueIndex };
  /**
   * Reminders taken from the index and not finished in every room yet (waiting for a retry, another owner's
   * lease or the catch-up budget): asked about again each tick until finished or out of the look-back.
   */
  open: Map<string, DueReminder>;
}

export function newReminderRunState(): ReminderRunState {
  return { finished: new Map(), open: new Map() };
}

/**
 * Builds the index of due instants for the current config, looking back from now so the first tick catches up
 * what was missed. Done by the job at start (so the first tick does only the due work) and by a tick whose
 * config has changed (a reload may add meetings or move reminders: the look-back is scanned again; the store
 * and `finished` keep that from repeating anything).
 */
export function prepareReminderIndex(deps: BotDeps, state: ReminderRunState): void {
  const config = deps.config.current();
  const lookBackMs = largestReminderOffset(config.meetings) + LOOK_BACK_MARGIN_MS;
  const from = new Date(deps.clock.now().getTime() - lookBackMs);
  state.index = { meetings: config.meetings, lookBackMs, dueIndex: new DueIndex(config.meetings, from) };
  state.open.clear();
}

export interface ReminderRunSummary {
  due: number;
  sent: number;
  dropped: number;
  failed: number;
}

/** One pass: every reminder due now (or missed within the look-back) is posted, dropped, retried or left alone. */
export async function sendDueReminders(
  deps: BotDeps,
  state: ReminderRunState = newReminderRunState(),
): Promise<ReminderRunSummary> {
  const config = deps.config.current();
  if (state.index?.meetings !== config.meetings) prepareReminderIndex(deps, state);
  const { dueIndex, lookBackMs } = state.index as NonNullable<ReminderRunState["index"]>;
  const now = deps.clock.now();
  for (const due of dueIndex.takeDue(now)) state.open.set(dueKey(due), due);
  // Nothing fell due and nothing is waiting: the common tick ends here, whatever the number of meetings.
  if (state.open.size === 0) return { due: 0, sent: 0, dropped: 0, failed: 0 };

  const windowStart = now.getTime() - lookBackMs;
  for (const [marker, dueMs] of state.finished) if (dueMs <= windowStart) state.finished.delete(marker);
  for (const [key, due] of state.open) if (due.dueAt.getTime() <= windowStart) state.open.delete(key);
  const candidates = [...state.open.values()].sort(
    (a, b) => a.dueAt.getTime() - b.dueAt.getTime() || compareText(a.meeting.id, b.meeting.id),
  );

  // Reminders due just now go first, all of them; late ones and drops follow within a time budget, so a start
  // after an outage (thousands of missed reminders) never holds up the reminders falling due meanwhile: the rest
  // is picked up by the next ticks.
  const postable: DueDelivery[] = [];
  const late: DueDelivery[] = [];
  const drops: DueDelivery[] = [];
  // Each reminder's destinations this tick (read once from the store); one missing here stays open.
  const destinations = new Map<string, ReminderDestination[]>();
  for (const taken of candidates) {
    // Superseded is asked again each tick: a smaller offset may have fallen due while this one waited.
    const due = { ...taken, superseded: supersededBy(taken, now) };
    const timing = reminderTiming(due, now);
    let unfinished = false;
    let all: ReminderDestination[];
    try {
      all = await destinationsOf(deps, due.meeting);
    } catch (error) {
      deps.log.error({ err: error, meetingId: due.meeting.id }, "could not read the subscribers; trying next tick");
      continue;
    }
    destinations.set(dueKey(due), all);
    for (const to of all) {
      // A room or person on a chat this process does not serve is another process's (or nobody's) to remind.
      if (!deps.chat.servesChat(destinationChat(to))) continue;
      const delivery = { due, to };
      if (state.finished.has(reminderMarker(keyOf(delivery)))) continue;
      unfinished = true;
      if (timing === "missed" || due.superseded) drops.push(delivery);
      else (timing === "late" ? late : postable).push(delivery);
    }
    if (!unfinished) state.open.delete(dueKey(due));
  }
  const budgetEnd = performance.now() + CATCH_UP_BUDGET_MS;

  const summary: ReminderRunSummary = { due: 0, sent: 0, dropped: 0, failed: 0 };
  // One view per reminder (and lateness) this tick, shared by its room and every subscriber's copy.
  const views: ViewCache = new Map();
  const ordered = [...postable, ...late, ...drops];
  for (const [index, delivery] of ordered.entries()) {
    if (index >= postable.length && performance.now() > budgetEnd) break;
    const { due, to } = delivery;
    const key = keyOf(delivery);
    const marker = reminderMarker(key);
    summary.due += 1;
    try {
      const outcome = await handle(deps, due, to, key, marker, config.displayZones, views);
      if (outcome === "sent" || outcome === "dropped" || outcome === "done")
        state.finished.set(marker, due.dueAt.getTime());
      if (outcome === "sent") summary.sent += 1;
      else if (outcome === "dropped") summary.dropped += 1;
      else if (outcome === "failed") summary.failed += 1;
    } catch (error) {
      // A store failure: nothing is lost, the next tick looks again.
      summary.failed += 1;
      deps.log.error({ err: error, ...key }, "reminder not handled; it will be tried again on the next tick");
    }
  }
  // A reminder finished in all its destinations leaves the open set now, so the next tick can end at once.
  for (const due of candidates) {
    const all = destinations.get(dueKey(due));
    const done = all?.every(
      (to) => !deps.chat.servesChat(destinationChat(to)) || state.finished.has(reminderMarker(keyOf({ due, to }))),
    );
    if (done) state.open.delete(dueKey(due));
  }
  return summary;
}

/** A reminder left open (waiting for a retry, another owner's lease or the catch-up budget) is asked about again this soon. */
const OPEN_RECHECK_MS = 1_000;

/**
 * When the job next has work: in a second while reminders are open, else at the next due instant of the index
 * (undefined: none to come), so the scheduler can sleep until then instead of ticking.
 */
export function nextReminderRunAt(state: ReminderRunState, now: Date): Date | undefined {
  if (state.open.size > 0) return new Date(now.getTime() + OPEN_RECHECK_MS);
  const next = state.index?.dueIndex.nextDueMs;
  return next === undefined ? undefined : new Date(next);
}

/** One reminder of one occurrence, all rooms together. */
function dueKey(due: DueReminder): string {
  return `${due.meeting.id}:${due.occurrence.date}:${due.offsetMs}`;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function keyOf({ due, to }: DueDelivery): ReminderKey {
  return {
    meetingId: due.meeting.id,
    occurrenceDate: due.occurrence.date,
    offsetMs: due.offsetMs,
    room: destinationKey(to),
  };
}

function post(deps: BotDeps, to: ReminderDestination, view: ReminderView, marker: string): Promise<PostedMessage> {
  if (to.kind === "room") return deps.chat.postReminder(to.room, view, marker);
  // Mentions are for the channel: a direct message pings nobody but its reader.
  const { mentions: _mentions, ...direct } = view;
  return deps.chat.postDirectReminder(to.user, direct, marker);
}

function findPosted(
  deps: BotDeps,
  to: ReminderDestination,
  marker: string,
  since: Date,
): Promise<PostedMessage | undefined> {
  return to.kind === "room"
    ? deps.chat.findPostedMessage(to.room, marker, since)
    : deps.chat.findDirectMessage(to.user, marker, since);
}

type Outcome = "sent" | "dropped" | "done" | "failed" | "waiting";

async function handle(
  deps: BotDeps,
  due: DueReminder,
  to: ReminderDestination,
  key: ReminderKey,
  marker: string,
  displayZones: string[],
  views: ViewCache,
): Promise<Outcome> {
  const { store, log, clock } = deps;
  const record = await store.getReminder(key);
  if (record && record.state !== "claimed") return "done";
  const checkedAt = clock.now();
  if (record && checkedAt.getTime() < readyAt(record)) return "waiting";

  const timing = reminderTiming(due, checkedAt);
  const willPost = timing !== "missed" && !due.superseded;
  // Built before claiming, so the claim's lease covers only the post (rolling topics over may message people).
  const view = willPost ? await cachedView(deps, due, timing === "late", displayZones, views) : undefined;

  const now = clock.now();
  // A first claim inserts the record; a retake is a compare-and-swap on the claim time seen above.
  const lease = record ? now.getTime() - record.claimedAt.getTime() - 1 : IN_FLIGHT_LEASE_MS;
  if (!(await store.claimReminder(key, now, lease))) return "waiting";
  const context = { ...key, dueAt: due.dueAt.toISOString(), start: due.occurrence.start.toISOString() };

  if (record && mayHavePosted(record)) {
    // An earlier attempt died or failed after sending: the message may be in the channel already.
    try {
      const found = await findPosted(deps, to, marker, due.dueAt);
      if (found) {
        await store.markReminderSent(key, clock.now(), found.messageId);
        log.info(
          { ...context, messageId: found.messageId },
          "reminder had been posted by an earlier attempt; recorded it",
        );
        return "sent";
      }
    } catch (error) {
      return failed(deps, due, key, error, true, context);
    }
  }

  if (!view) {
    const reason =
      timing === "missed"
        ? "the meeting started before the reminder could be posted"
        : "superseded by a later reminder of the same meeting that is due too";
    await store.markReminderDropped(key, reason);
    (deps.metrics ?? noMetrics).reminderDropped(key.meetingId);
    log.warn(
      { ...context, attempts: record?.attempts ?? 0, lastError: record?.lastError },
      `reminder dropped: ${reason}`,
    );
    return "dropped";
  }

  let posted: { messageId: string };
  try {
    posted = await post(deps, to, view, marker);
  } catch (error) {
    return failed(deps, due, key, error, false, context);
  }
  const sentAt = clock.now();
  await store.markReminderSent(key, sentAt, posted.messageId);
  (deps.metrics ?? noMetrics).reminderSent(key.meetingId, sentAt.getTime() - due.dueAt.getTime(), view.late);
  log.info(
    { ...context, messageId: posted.messageId, latenessMs: sentAt.getTime() - due.dueAt.getTime(), late: view.late },
    "reminder posted",
  );
  return "sent";
}

/**
 * When a claimed record may be retaken: after its retry time if its current claim failed, else after the lease,
 * or after a short grace when its owner is known to be gone.
 */
function readyAt(record: ReminderRecord): number {
  const claimedAt = record.claimedAt.getTime();
  if (record.retryAt && record.retryAt.getTime() > claimedAt) return record.retryAt.getTime();
  return claimedAt + (record.ownerGone ? OWNER_GONE_GRACE_MS : IN_FLIGHT_LEASE_MS);
}

/** The current claim ended without a recorded failure (its owner died), or its failure may have posted. */
function mayHavePosted(record: ReminderRecord): boolean {
  const failedCurrentClaim = record.retryAt !== undefined && record.retryAt.getTime() > record.claimedAt.getTime();
  return !failedCurrentClaim || record.mayHavePosted !== false;
}

async function failed(
  deps: BotDeps,
  due: DueReminder,
  key: ReminderKey,
  error: unknown,
  lookingUp: boolean,
  context: object,
): Promise<Outcome> {
  // A ChatError says how long to wait and whether the post certainly failed; anything else may have posted.
  const hints = error instanceof ChatError ? error : undefined;
  const before = await deps.store.getReminder(key);
  const failures = (before?.attempts ?? 0) + 1;
  const now = deps.clock.now();
  const soonest = Math.max(FIRST_RETRY_MS, hints?.retryAfterMs ?? 0);
  const backoff = Math.max(retryDelayMs(failures), soonest);
  // The last tries before the start are not skipped by a long backoff: at the latest 10 s before it.
  const delay = Math.min(backoff, Math.max(soonest, due.occurrence.start.getTime() - 10_000 - now.getTime()));
  const retryAt = new Date(now.getTime() + delay);
  // A failed look-up posted nothing; a failed post may have, unless the platform said it did not.
  const mayHave = lookingUp ? true : hints?.notPosted !== true;
  const message = error instanceof Error ? error.message : String(error);
  await deps.store.recordReminderFailure(key, message, { retryAt, mayHavePosted: mayHave });
  (deps.metrics ?? noMetrics).reminderFailed(key.meetingId);
  const givingUp = retryAt.getTime() >= due.occurrence.start.getTime();
  deps.log[givingUp ? "error" : "warn"](
    { ...context, err: error, attempts: failures, retryAt: retryAt.toISOString() },
    givingUp
      ? "reminder not posted; the meeting starts before another try, so it will be dropped"
      : `reminder not posted; retrying in ${Math.round(delay / 1000)} s`,
  );
  return "failed";
}

/** Views built this tick, by reminder and lateness. */
type ViewCache = Map<string, Promise<ReminderView>>;

function cachedView(
  deps: BotDeps,
  due: DueReminder,
  late: boolean,
  displayZones: string[],
  views: ViewCache,
): Promise<ReminderView> {
  const key = `${dueKey(due)}:${late}`;
  let view = views.get(key);
  if (!view) {
    view = reminderView(deps, due, late, displayZones);
    // A failed build is not kept: the next destination tries again.
    view.catch(() => views.delete(key));
    views.set(key, view);
  }
  return view;
}

async function reminderView(
  deps: BotDeps,
  due: DueReminder,
  late: boolean,
  displayZones: string[],
): Promise<ReminderView> {
  await rollOverTopics(deps, due.meeting, due.occurrence);
  const topics = await deps.store.listTopics(due.meeting.id, due.occurrence.date);
  const calendar = calendarUrl(deps.publicUrl, due.meeting.id);
  const drift = driftSincePrevious(due.meeting, due.occurrence, displayZones);
  // The last reminder before the meeting names the proposers, so each knows their topic is coming up.
  const last = due.offsetMs === Math.min(...due.meeting.remindersMs);
  const mentions = last ? proposersOf(topics) : [];
  return {
    meeting: due.meeting,
    occurrence: due.occurrence,
    leadMs: due.offsetMs,
    late,
    topics,
    displayZones,
    ...(calendar ? { calendarUrl: calendar } : {}),
    ...(drift.length ? { drift } : {}),
    ...(mentions.length ? { mentions } : {}),
  };
}

/** Each proposer known by id once, in the order of their first topic; those known only by name are left out. */
export function proposersOf(topics: readonly Topic[]): ChatUser[] {
  const seen = new Map<string, ChatUser>();
  for (const topic of topics) {
    if (!topic.proposerId || !topic.proposerChat) continue;
    const key = `${topic.proposerChat}\u0000${topic.proposerId}`;
    if (!seen.has(key)) seen.set(key, { chat: topic.proposerChat, id: topic.proposerId });
  }
  return [...seen.values()];
}
