// The notice outbox's sender: direct messages queued by use cases (roll-over notices, schedule changes after a
// reload) go out a few at a time, each claimed in the store first (so one sender sends it), retried with backoff
// when the chat fails, and given up after a day of failures or when the chat refuses it for good.
import { occurrenceOn, zonedWallTimeToInstant } from "../domain/calendar.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import type { BotDeps } from "./deps.js";
import { ChatError, type QueuedNotice } from "./ports.js";
import type { RolloverNotice, ScheduleChangeNotice } from "./views.js";

/** Notices sent per run; the next run follows `NOTICE_PACE_MS` later while more are due: at most 5 a second. */
export const NOTICES_PER_RUN = 5;
export const NOTICE_PACE_MS = 1_000;
/** A claimed notice is handed out again this long after its claim when its sender never reported back. */
export const NOTICE_LEASE_MS = 60_000;
/** Retry delays double from this, up to `MAX_RETRY_MS`; a notice failing for `GIVE_UP_AFTER_MS` is dropped. */
const FIRST_RETRY_MS = 2_000;
const MAX_RETRY_MS = 5 * 60_000;
const GIVE_UP_AFTER_MS = 24 * 3_600_000;

/** A roll-over notice as queued: ids and dates only, so it is read against the configuration when sent. */
interface QueuedRollover {
  kind: "rollover";
  meetingId: string;
  fromDate: string;
  reason: RolloverNotice["reason"];
  toDate: string;
  titles: string[];
}

export function queuedRollover(notice: Omit<QueuedRollover, "kind">): string {
  return JSON.stringify({ kind: "rollover", ...notice } satisfies QueuedRollover);
}

/** An occurrence as queued: its start as epoch milliseconds. */
type QueuedOccurrence = Omit<Occurrence, "start"> & { start: number };

/**
 * A schedule-change notice as queued: the occurrences as they were computed at the reload (a cancelled one is
 * in no configuration any more), the meeting by id; `marker` identifies the message (Matrix sends it as the
 * transaction id, so a resend is dropped by the homeserver).
 */
interface QueuedScheduleChange {
  kind: "schedule";
  meetingId: string;
  change: ScheduleChangeNotice["kind"];
  was?: QueuedOccurrence;
  now?: QueuedOccurrence;
  next?: QueuedOccurrence;
  yourTopics: string[];
  marker: string;
}

const queuedOccurrence = (o: Occurrence): QueuedOccurrence => ({ ...o, start: o.start.getTime() });
const occurrenceFrom = (o: QueuedOccurrence): Occurrence => ({ ...o, start: new Date(o.start) });

export function queuedScheduleChange(
  notice: Omit<ScheduleChangeNotice, "meeting">,
  meetingId: string,
  marker: string,
): string {
  const queued: QueuedScheduleChange = {
    kind: "schedule",
    meetingId,
    change: notice.kind,
    yourTopics: notice.yourTopics,
    marker,
    ...(notice.was ? { was: queuedOccurrence(notice.was) } : {}),
    ...(notice.now ? { now: queuedOccurrence(notice.now) } : {}),
    ...(notice.next ? { next: queuedOccurrence(notice.next) } : {}),
  };
  return JSON.stringify(queued);
}

/** The message to send, or why there is none (the meeting left the configuration). */
type NoticeToSend =
  | { kind: "rollover"; view: RolloverNotice }
  | { kind: "schedule"; view: ScheduleChangeNotice; marker: string }
  | { kind: "none"; reason: string };

function noticeToSend(deps: Pick<BotDeps, "config">, payload: string): NoticeToSend {
  const queued = JSON.parse(payload) as QueuedRollover | QueuedScheduleChange;
  const meeting = deps.config.current().meetings.find((m) => m.id === queued.meetingId);
  if (!meeting) return { kind: "none", reason: `meeting ${queued.meetingId} is no longer configured` };
  if (queued.kind === "schedule") {
    const view: ScheduleChangeNotice = { meeting, kind: queued.change, yourTopics: queued.yourTopics };
    if (queued.was) view.was = occurrenceFrom(queued.was);
    if (queued.now) view.now = occurrenceFrom(queued.now);
    if (queued.next) view.next = occurrenceFrom(queued.next);
    return { kind: "schedule", view, marker: queued.marker };
  }
  const view = rolloverView(meeting, queued);
  return { kind: "rollover", view };
}

/** The roll-over view, read against the current configuration. */
function rolloverView(meeting: Meeting, queued: QueuedRollover): RolloverNotice {
  const to: Occurrence = occurrenceOn(meeting, queued.toDate) ?? {
    meetingId: meeting.id,
    date: queued.toDate,
    time: meeting.time,
    start: zonedWallTimeToInstant(queued.toDate, meeting.time, meeting.timezone),
  };
  return { meeting, fromDate: queued.fromDate, reason: queued.reason, to, titles: queued.titles };
}

/**
 * Sends the notices due now, at most NOTICES_PER_RUN; resolves to how many milliseconds from now the next run
 * has work (undefined: the outbox is empty).
 */
export async function sendDueNotices(deps: BotDeps): Promise<number | undefined> {
  const now = deps.clock.now();
  const claimed = await deps.store.claimDueNotices(now, NOTICES_PER_RUN, NOTICE_LEASE_MS);
  for (const notice of claimed) await sendOne(deps, notice);
  if (claimed.length === NOTICES_PER_RUN) return NOTICE_PACE_MS;
  const next = await deps.store.nextNoticeDueAt();
  if (!next) return undefined;
  return Math.max(NOTICE_PACE_MS, next.getTime() - deps.clock.now().getTime());
}

async function sendOne(deps: BotDeps, notice: QueuedNotice): Promise<void> {
  const toSend = noticeToSend(deps, notice.payload);
  const about = { noticeId: notice.id, userId: notice.user.id, chat: notice.user.chat, attempts: notice.attempts };
  if (toSend.kind === "none") {
    deps.log.warn({ ...about, reason: toSend.reason }, "a queued notice was dropped");
    await deps.store.recordNoticeFailure(notice.id, toSend.reason);
    return;
  }
  const what = toSend.kind === "rollover" ? "their topics moved" : "a schedule change";
  try {
    if (toSend.kind === "rollover") await deps.chat.notifyRollover(notice.user, toSend.view);
    else await deps.chat.notifyScheduleChange(notice.user, toSend.view, toSend.marker);
    await deps.store.markNoticeSent(notice.id);
  } catch (error) {
    const now = deps.clock.now();
    const message = error instanceof Error ? error.message : String(error);
    const retryable = !(error instanceof ChatError) || error.retryable;
    const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (notice.attempts - 1));
    const wait = error instanceof ChatError && error.retryAfterMs !== undefined ? error.retryAfterMs : backoff;
    const expired = now.getTime() - notice.queuedAt.getTime() + wait > GIVE_UP_AFTER_MS;
    if (!retryable || expired) {
      deps.log.warn({ ...about, err: error }, `could not tell someone about ${what}; giving up`);
      await deps.store.recordNoticeFailure(notice.id, message);
      return;
    }
    deps.log.info({ ...about, err: error, retryInMs: wait }, `could not tell someone about ${what} yet`);
    await deps.store.recordNoticeFailure(notice.id, message, new Date(now.getTime() + wait));
  }
}
