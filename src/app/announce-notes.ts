// Announcing a meeting's notes: poll each recent occurrence's notes URL until they appear (or announce by hand),
// then post one summary per occurrence, exactly once across restarts (the store holds the claim and the result).
import { nextOccurrence, occurrenceOn, previousOccurrence } from "../domain/calendar.js";
import { DueQueue } from "../domain/due-queue.js";
import { type Meeting, type Occurrence, roomKey } from "../domain/meeting.js";
import { parseNotes } from "../domain/notes/parse-notes.js";
import { polledOccurrences } from "../domain/notes-polling.js";
import {
  expandNotesUrl,
  type NotesSummary,
  notesMarker,
  summarizeNotes,
  topicCovered,
} from "../domain/notes-summary.js";
import type { Rejected } from "./agenda.js";
import type { BotDeps } from "./deps.js";
import type { NotesFetcher } from "./notes-source.js";
import { type ChatRoom, type ChatUser, type NotesWatch, noMetrics } from "./ports.js";
import { chooseMeeting } from "./select-meeting.js";
import type { NotesAnnouncementView } from "./views.js";

/** How long a claim to announce holds before another attempt may take it over (checking the chat first). */
export const NOTES_CLAIM_LEASE_MS = 2 * 60_000;
/** How long a taken poll keeps others from fetching the same notes (longer than a fetch may take). */
export const NOTES_POLL_LEASE_MS = 60_000;
/** Backoff after errors never waits longer than this (unless the server asks to, with Retry-After). */
export const MAX_BACKOFF_MS = 6 * 3_600_000;

export type NotesAnnounced = {
  kind: "notes-announced";
  meeting: Meeting;
  occurrence: Occurrence;
  url: string;
  /** False when the notes could not be fetched or understood. */
  summarized: boolean;
  importedTopics: number;
};

type AnnounceResult =
  | { kind: "announced"; view: NotesAnnouncementView }
  | { kind: "found-posted" }
  | { kind: "already" }
  | { kind: "busy" };

/** Meetings whose notes are fetched at the same time: enough that one slow host never holds up the others. */
export const NOTES_CONCURRENCY = 4;
/** A meeting is looked at again no sooner than this (one request per meeting per look). */
const MIN_RECHECK_MS = 1_000;

/**
 * When each meeting next needs a look (a due watch, or its next occurrence opening a poll window), built once
 * per configuration, and the polls in flight. Without it every meeting is looked at.
 */
export interface NotesPollState {
  meetings?: readonly Meeting[];
  /** The meetings of that configuration that have notes. */
  watched: Set<Meeting>;
  queue: DueQueue<Meeting>;
  /** Meetings taken from the queue, waiting for one of the NOTES_CONCURRENCY workers. */
  ready: Meeting[];
  inFlight: Set<string>;
  workers: number;
  /** Settles when the workers have nothing left to do. */
  idle: Promise<void>;
}

export function newNotesPollState(): NotesPollState {
  return {
    watched: new Set(),
    queue: new DueQueue(),
    ready: [],
    inFlight: new Set(),
    workers: 0,
    idle: Promise.resolve(),
  };
}

/**
 * One scheduler tick: the meetings due for a look are polled by a few workers (at most one request per meeting),
 * and a run that comes while a slow host is still answering polls the other meetings. Resolves once every poll
 * started is done; `nextPollAt` says when the next meeting is due (undefined: nothing planned).
 */
export async function pollNotes(
  deps: BotDeps,
  fetcher: NotesFetcher,
  state: NotesPollState = newNotesPollState(),
): Promise<void> {
  const config = deps.config.current();
  const nowMs = deps.clock.now().getTime();
  if (state.meetings !== config.meetings) {
    state.meetings = config.meetings;
    state.queue = new DueQueue();
    state.ready = [];
    state.watched = new Set(config.meetings.filter((meeting) => meeting.notes));
    for (const meeting of state.watched) state.queue.push(meeting, nowMs);
  }
  const due = state.queue.popDue(nowMs);
  deps.log.debug({ meetings: due.length }, "notes poll tick");
  state.ready.push(...due);
  const workers: Promise<void>[] = [];
  while (state.workers < NOTES_CONCURRENCY && state.ready.length > 0) workers.push(pollWorker(deps, fetcher, state));
  if (workers.length > 0) state.idle = Promise.all([state.idle, ...workers]).then(() => undefined);
  await state.idle;
}

/** When the next meeting is due for a look: now while polls are waiting for a worker. */
export function nextNotesPollAt(state: NotesPollState, now: Date): Date | undefined {
  if (state.ready.length > 0) return now;
  const next = state.queue.nextMs();
  return next === undefined ? undefined : new Date(next);
}

async function pollWorker(deps: BotDeps, fetcher: NotesFetcher, state: NotesPollState): Promise<void> {
  state.workers += 1;
  try {
    for (let meeting = state.ready.shift(); meeting; meeting = state.ready.shift()) {
      if (state.inFlight.has(meeting.id)) continue;
      state.inFlight.add(meeting.id);
      const now = deps.clock.now();
      let nextMs = now.getTime() + MIN_RECHECK_MS;
      try {
        nextMs = Math.max(nextMs, await pollMeeting(deps, fetcher, meeting, now));
      } catch (error) {
        deps.log.error({ err: error, meetingId: meeting.id }, "notes poll failed; it will be retried");
      } finally {
        state.inFlight.delete(meeting.id);
      }
      // A reload meanwhile has queued every meeting of the new configuration afresh.
      if (state.watched.has(meeting)) state.queue.push(meeting, nextMs);
    }
  } finally {
    state.workers -= 1;
  }
}

/** Polls at most one due occurrence of the meeting; returns when the meeting next needs a look. */
async function pollMeeting(deps: BotDeps, fetcher: NotesFetcher, meeting: Meeting, now: Date): Promise<number> {
  const notes = meeting.notes;
  if (!notes) return Number.POSITIVE_INFINITY;
  const nowMs = now.getTime();
  // A new poll window opens when the next occurrence starts.
  let next = nextOccurrence(meeting, new Date(nowMs + 1))?.start.getTime() ?? Number.POSITIVE_INFINITY;
  let polled = false;
  for (const occurrence of polledOccurrences(meeting, now)) {
    const watch = await deps.store.getNotesWatch(meeting.id, occurrence.date);
    if (watch?.announcedAt) continue;
    if (watch && watch.nextPollAt.getTime() > nowMs) {
      next = Math.min(next, watch.nextPollAt.getTime());
      continue;
    }
    if (polled) {
      // One request per meeting per look: the next due occurrence waits for the next look.
      next = nowMs;
      continue;
    }
    // Another replica may be polling it this very tick: only the one that takes the poll fetches.
    if (!(await deps.store.claimNotesPoll(meeting.id, occurrence.date, now, NOTES_POLL_LEASE_MS))) {
      next = Math.min(next, nowMs + NOTES_POLL_LEASE_MS);
      continue;
    }
    await pollOccurrence(deps, fetcher, meeting, occurrence, watch, now);
    polled = true;
    const after = await deps.store.getNotesWatch(meeting.id, occurrence.date);
    if (after && !after.announcedAt) next = Math.min(next, after.nextPollAt.getTime());
  }
  deps.log.debug(
    { meetingId: meeting.id, polled, nextCheckAt: Number.isFinite(next) ? new Date(next).toISOString() : undefined },
    "notes checked",
  );
  return next;
}

async function pollOccurrence(
  deps: BotDeps,
  fetcher: NotesFetcher,
  meeting: Meeting,
  occurrence: Occurrence,
  previous: NotesWatch | undefined,
  now: Date,
): Promise<void> {
  const notes = meeting.notes;
  if (!notes) return;
  const watch: NotesWatch = previous ?? {
    meetingId: meeting.id,
    occurrenceDate: occurrence.date,
    nextPollAt: now,
    failures: 0,
  };
  const source = expandNotesUrl(notes.source, occurrence.date);
  const link = expandNotesUrl(notes.link ?? notes.source, occurrence.date);
  const fields = { meetingId: meeting.id, date: occurrence.date, url: source };
  const conditions = { etag: watch.etag, lastModified: watch.lastModified };
  let result: Awaited<ReturnType<NotesFetcher["fetch"]>>;
  try {
    result = await fetcher.fetch(source, conditions);
  } catch (error) {
    result = { kind: "error", message: error instanceof Error ? error.message : String(error) };
  }
  const later = (ms: number) => new Date(now.getTime() + ms);
  (deps.metrics ?? noMetrics).notesPolled(meeting.id, result.kind);
  switch (result.kind) {
    case "missing":
      deps.log.debug(fields, "notes not published yet");
      await deps.store.saveNotesWatch({ ...watch, failures: 0, nextPollAt: later(notes.pollEveryMs) });
      return;
    case "not-modified":
      // Known to exist but the body was not kept (an earlier announcement attempt failed): fetch it whole next tick.
      await deps.store.saveNotesWatch({
        ...watch,
        etag: undefined,
        lastModified: undefined,
        failures: 0,
        nextPollAt: now,
      });
      return;
    case "error": {
      const failures = watch.failures + 1;
      const delay = Math.max(backoffMs(notes.pollEveryMs, failures), result.retryAfterMs ?? 0);
      deps.log.warn(
        { ...fields, failures, retryInMs: delay, error: result.message },
        "fetching notes failed; backing off",
      );
      await deps.store.saveNotesWatch({ ...watch, failures, nextPollAt: later(delay) });
      return;
    }
    case "found": {
      deps.log.info(fields, "notes found");
      let outcome: AnnounceResult;
      try {
        outcome = await announce(deps, meeting, occurrence, link, result.body, false);
      } catch (error) {
        const failures = watch.failures + 1;
        const delay = Math.max(backoffMs(notes.pollEveryMs, failures), NOTES_CLAIM_LEASE_MS);
        deps.log.error({ ...fields, err: error, failures }, "announcing notes failed; will retry");
        await deps.store.saveNotesWatch({
          ...watch,
          etag: result.etag,
          lastModified: result.lastModified,
          failures,
          nextPollAt: later(delay),
        });
        return;
      }
      if (outcome.kind === "busy") {
        await deps.store.saveNotesWatch({ ...watch, nextPollAt: later(NOTES_CLAIM_LEASE_MS) });
      }
      return;
    }
  }
}

/** pollEvery × 2^failures, capped. */
export function backoffMs(pollEveryMs: number, failures: number): number {
  return Math.min(pollEveryMs * 2 ** Math.min(failures, 30), Math.max(MAX_BACKOFF_MS, pollEveryMs));
}

/** `/cabal notes <url>`: admins announce the notes of the latest past occurrence; polling for it stops. */
export async function announceNotesByHand(
  deps: BotDeps,
  fetcher: NotesFetcher,
  request: { meetingId?: string; room?: ChatRoom; user: ChatUser; url: string },
): Promise<NotesAnnounced | Rejected> {
  const config = deps.config.current();
  if (!config.admins.includes(request.user.id)) {
    return { kind: "rejected", reason: { code: "notes-admins-only" } };
  }
  // Slack markup was decoded on the way in (decodeSlackText); what is left is the address.
  const url = request.url.trim();
  if (!isHttpUrl(url)) {
    return { kind: "rejected", reason: { code: "bad-notes-url", text: url } };
  }
  const now = deps.clock.now();
  const choice = chooseMeeting(config, request, now);
  if (!choice.ok) return { kind: "rejected", reason: choice.refusal };
  const meeting = choice.meeting;
  const occurrence = previousOccurrence(meeting, now);
  if (!occurrence) return { kind: "rejected", reason: { code: "no-past-meeting", meetingTitle: meeting.title } };
  const existing = await deps.store.getNotesWatch(meeting.id, occurrence.date);
  if (existing?.announcedAt) return alreadyAnnounced(meeting, occurrence, existing.announcedUrl);

  let body: string | undefined;
  try {
    const result = await fetcher.fetch(url, {});
    if (result.kind === "found") body = result.body;
    else deps.log.warn({ meetingId: meeting.id, url, result: result.kind }, "notes given by hand could not be fetched");
  } catch (error) {
    deps.log.warn({ meetingId: meeting.id, url, err: error }, "notes given by hand could not be fetched");
  }
  const outcome = await announce(deps, meeting, occurrence, url, body, true);
  switch (outcome.kind) {
    case "announced":
      return {
        kind: "notes-announced",
        meeting,
        occurrence,
        url,
        summarized: outcome.view.summary !== undefined,
        importedTopics: outcome.view.summary?.importedTopics ?? 0,
      };
    case "found-posted":
    case "already": {
      const watch = await deps.store.getNotesWatch(meeting.id, occurrence.date);
      return alreadyAnnounced(meeting, occurrence, watch?.announcedUrl);
    }
    case "busy":
      return { kind: "rejected", reason: { code: "notes-busy", meetingTitle: meeting.title, date: occurrence.date } };
  }
}

function alreadyAnnounced(meeting: Meeting, occurrence: Occurrence, url: string | undefined): Rejected {
  return {
    kind: "rejected",
    reason: {
      code: "notes-already-announced",
      meetingTitle: meeting.title,
      date: occurrence.date,
      ...(url ? { url } : {}),
    },
  };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * Claims the occurrence's announcement, builds the summary, imports possible topics, posts once, records it.
 * Throws when posting fails (the claim then lapses after its lease and a later attempt checks the chat first).
 */
async function announce(
  deps: BotDeps,
  meeting: Meeting,
  occurrence: Occurrence,
  link: string,
  body: string | undefined,
  byHand: boolean,
): Promise<AnnounceResult> {
  const { store, chat, log } = deps;
  const now = deps.clock.now();
  const before = await store.getNotesWatch(meeting.id, occurrence.date);
  if (before?.announcedAt) return { kind: "already" };
  if (!(await store.claimNotesAnnouncement(meeting.id, occurrence.date, now, NOTES_CLAIM_LEASE_MS))) {
    const after = await store.getNotesWatch(meeting.id, occurrence.date);
    return after?.announcedAt ? { kind: "already" } : { kind: "busy" };
  }
  const fields = { meetingId: meeting.id, date: occurrence.date };
  const rooms = meeting.rooms.filter((room) => chat.servesChat(room.chat));

  // The summary and the imports are made once, when a room still needs the announcement.
  let view: NotesAnnouncementView | undefined;
  const viewOnce = async (): Promise<NotesAnnouncementView> => {
    view ??= await announcementView(deps, meeting, occurrence, link, body, byHand, now);
    return view;
  };
  let posted = 0;
  let found = 0;
  let firstMessageId: string | undefined;
  for (const room of rooms) {
    // One claim per destination: a crash between two rooms posts the second one later, never the first twice.
    const key = `${notesMarker(meeting.id, occurrence.date)}:${roomKey(room)}`;
    const earlier = await store.getDelivery(key);
    if (earlier?.postedAt) {
      firstMessageId ??= earlier.messageId;
      continue;
    }
    if (!(await store.claimDelivery(key, now, NOTES_CLAIM_LEASE_MS))) return { kind: "busy" };
    if (earlier) {
      // An earlier attempt claimed and did not record the result: it may have posted before it stopped.
      const already = await chat.findPostedMessage(room, key, earlier.claimedAt);
      if (already) {
        await store.markDelivered(key, now, already.messageId);
        firstMessageId ??= already.messageId;
        found += 1;
        log.info(
          { ...fields, room: key, messageId: already.messageId },
          "notes announcement was already posted; recorded it",
        );
        continue;
      }
    }
    const thread = await lastReminderMessage(deps, meeting, occurrence, room);
    const message = await chat.postNotesAnnouncement(room, await viewOnce(), key, thread);
    await store.markDelivered(key, deps.clock.now(), message.messageId);
    firstMessageId ??= message.messageId;
    posted += 1;
  }
  // Before the announcement is recorded: a crash here runs this again, and the carry-over is safe to repeat.
  await carryOver(deps, meeting, occurrence, await viewOnce(), now);
  await store.markNotesAnnounced(
    meeting.id,
    occurrence.date,
    deps.clock.now(),
    before?.announcedUrl ?? link,
    firstMessageId ?? "",
  );
  if (posted === 0 && found > 0) return { kind: "found-posted" };
  const shown = await viewOnce();
  (deps.metrics ?? noMetrics).notesAnnounced(meeting.id, byHand);
  log.info(
    {
      ...fields,
      rooms: posted,
      byHand,
      summarized: shown.summary !== undefined,
      importedTopics: shown.summary?.importedTopics ?? 0,
    },
    "notes announced",
  );
  return { kind: "announced", view: shown };
}

/** The id of the occurrence's last reminder posted in the room (the smallest offset that went out), if any. */
async function lastReminderMessage(
  deps: BotDeps,
  meeting: Meeting,
  occurrence: Occurrence,
  room: ChatRoom,
): Promise<string | undefined> {
  for (const offsetMs of [...meeting.remindersMs].sort((a, b) => a - b)) {
    const key = { meetingId: meeting.id, occurrenceDate: occurrence.date, offsetMs, room: roomKey(room) };
    const record = await deps.store.getReminder(key);
    if (record?.state === "sent" && record.messageId) return record.messageId;
  }
  return undefined;
}

/**
 * Carry-over: agenda topics the notes did not cover move to the next occurrence, and each proposer is told once
 * (a delivery record per proposer). Every step may be repeated after a crash: the store moves a topic once and
 * remembers where it came from, so the notices are rebuilt from that record.
 */
async function carryOver(
  deps: BotDeps,
  meeting: Meeting,
  occurrence: Occurrence,
  view: NotesAnnouncementView,
  now: Date,
): Promise<void> {
  const { store, log } = deps;
  // Without a readable summary nothing counts as covered: every topic moves on, as the roll-over would move it.
  const notesTitles = view.summary?.topics.map((topic) => topic.title) ?? [];
  const afterThis = new Date(occurrence.start.getTime() + 1);
  const next = view.summary?.next?.meetingId === meeting.id ? view.summary.next : nextOccurrence(meeting, afterThis);
  if (!next) return;
  const agenda = await store.listTopics(meeting.id, occurrence.date);
  const uncovered = agenda.filter((topic) => !topicCovered(topic.title, notesTitles));
  if (uncovered.length) {
    const moved = await store.carryOverTopics(
      meeting.id,
      occurrence.date,
      uncovered.map((topic) => topic.id),
      next.date,
    );
    log.info(
      { meetingId: meeting.id, date: occurrence.date, to: next.date, moved: moved.length },
      "topics carried over",
    );
    if (moved.length) deps.agendaChanges?.changed(meeting.id);
  }
  const carried = await store.topicsCarriedFrom(meeting.id, occurrence.date);
  const byProposer = new Map<string, { user: ChatUser; titles: string[]; to: string }>();
  for (const topic of carried) {
    if (!topic.proposerId) continue;
    const id = `${topic.proposerChat}:${topic.proposerId}`;
    const entry = byProposer.get(id) ?? {
      user: { chat: topic.proposerChat, id: topic.proposerId },
      titles: [],
      to: topic.occurrenceDate,
    };
    entry.titles.push(topic.title);
    byProposer.set(id, entry);
  }
  for (const [id, { user, titles, to }] of byProposer) {
    if (!deps.chat.servesChat(user.chat)) continue;
    const key = `carry-over:${meeting.id}:${occurrence.date}:${id}`;
    if ((await store.getDelivery(key))?.postedAt) continue;
    if (!(await store.claimDelivery(key, now, NOTES_CLAIM_LEASE_MS))) continue;
    const target = occurrenceOn(meeting, to) ?? next;
    try {
      await deps.chat.notifyRollover(user, {
        meeting,
        fromDate: occurrence.date,
        reason: "not-covered",
        to: target,
        titles,
      });
      await store.markDelivered(key, deps.clock.now(), "");
    } catch (error) {
      // The topics are moved and stored; a lost notice is logged, like the roll-over's.
      log.warn(
        { err: error, userId: user.id, chat: user.chat, meetingId: meeting.id },
        "could not tell a proposer their topics were carried over",
      );
    }
  }
}

/** The announcement: the notes summarised when they could be read, with their possible topics imported. */
async function announcementView(
  deps: BotDeps,
  meeting: Meeting,
  occurrence: Occurrence,
  link: string,
  body: string | undefined,
  byHand: boolean,
  now: Date,
): Promise<NotesAnnouncementView> {
  const config = deps.config.current();
  let summary: NotesSummary | undefined;
  if (body !== undefined) {
    try {
      summary = summarizeNotes(parseNotes(body), { meeting, occurrence, meetings: config.meetings });
    } catch (error) {
      deps.log.warn({ meetingId: meeting.id, date: occurrence.date, err: error }, "notes could not be summarised");
    }
  }
  const importedTopics = summary ? await importPossibleTopics(deps, summary, now) : 0;
  return {
    meeting,
    occurrence,
    url: link,
    byHand,
    ...(summary
      ? {
          summary: {
            topics: summary.topics,
            ...(summary.recordingUrl ? { recordingUrl: summary.recordingUrl } : {}),
            corrections: summary.corrections,
            importedTopics,
            ...(summary.next ? { next: summary.next } : {}),
          },
        }
      : {}),
  };
}

/** Adds the notes' possible topics to the agenda of the occurrence they are for, unless it is past or already has them. */
async function importPossibleTopics(deps: BotDeps, summary: NotesSummary, now: Date): Promise<number> {
  const meetings = deps.config.current().meetings;
  let imported = 0;
  for (const item of summary.toImport) {
    const target = meetings.find((m) => m.id === item.meetingId);
    const occurrence = target && occurrenceOn(target, item.occurrenceDate);
    if (!occurrence || occurrence.start.getTime() <= now.getTime()) continue;
    // Titles were checked by the summary with the agenda's rules; the store decides, atomically across
    // replicas, whether the agenda already holds one.
    const added = await deps.store.addTopicIfTitleNew({
      meetingId: item.meetingId,
      occurrenceDate: item.occurrenceDate,
      title: item.title,
      proposerId: "",
      proposerChat: "",
      proposerName: item.owner,
      source: "notes",
      createdAt: now,
    });
    if (!added) continue;
    imported++;
    deps.agendaChanges?.changed(item.meetingId);
  }
  return imported;
}
