// `/cabal next` and direct questions: when the meetings happen next, whether one is on today or right now.
import { instantToLocal, nextOccurrence, occurrencesBetween, zonedWallTimeToInstant } from "../domain/calendar.js";
import { addDays } from "../domain/local-date.js";
import type { LocalDate, Meeting } from "../domain/meeting.js";
import { interpretQuestion } from "../domain/question.js";
import { isIanaTimeZone } from "../domain/time-zones.js";
import { driftSincePrevious } from "../domain/zone-drift.js";
import { calendarUrl } from "./calendar-feed.js";
import type { BotDeps } from "./deps.js";
import { type MeetingEnded, meetingEnded, occurrenceEnd, occurrenceInProgress } from "./meeting-status.js";
import { type ChatUser, noMetrics } from "./ports.js";
import type { UpcomingMeeting } from "./views.js";

/**
 * The whole soonest-first list as last built, per configured meeting list: every `next` and every question reads
 * it, and with many meetings building it was most of their work and garbage. It holds from the instant it was
 * built until the soonest listed occurrence starts (no other next occurrence changes before), for the same display
 * zones and public URL; a reloaded configuration is a new meeting list.
 */
const lastUpcoming = new WeakMap<
  readonly Meeting[],
  { fromMs: number; untilMs: number; displayZones: string[]; publicUrl?: string; list: UpcomingMeeting[] }
>();

/** The next occurrence of each meeting (or of one), soonest first; ended meetings are left out. */
export function upcomingMeetings(deps: BotDeps, meetingId?: string): UpcomingMeeting[] {
  if (meetingId) return buildUpcoming(deps, meetingId);
  const nowMs = deps.clock.now().getTime();
  const config = deps.config.current();
  const known = lastUpcoming.get(config.meetings);
  if (
    known &&
    known.fromMs <= nowMs &&
    nowMs <= known.untilMs &&
    known.displayZones === config.displayZones &&
    known.publicUrl === deps.publicUrl
  ) {
    return [...known.list];
  }
  const list = buildUpcoming(deps);
  const untilMs = list[0]?.occurrence.start.getTime() ?? Number.POSITIVE_INFINITY;
  lastUpcoming.set(config.meetings, {
    fromMs: nowMs,
    untilMs,
    displayZones: config.displayZones,
    publicUrl: deps.publicUrl,
    list,
  });
  return [...list];
}

function buildUpcoming(deps: BotDeps, meetingId?: string): UpcomingMeeting[] {
  const now = deps.clock.now();
  const config = deps.config.current();
  return config.meetings
    .filter((meeting) => !meetingId || meeting.id === meetingId)
    .flatMap((meeting) => {
      const occurrence = nextOccurrence(meeting, now);
      if (!occurrence) return [];
      const calendar = calendarUrl(deps.publicUrl, meeting.id);
      const drift = driftSincePrevious(meeting, occurrence, config.displayZones);
      return [
        { meeting, occurrence, ...(calendar ? { calendarUrl: calendar } : {}), ...(drift.length ? { drift } : {}) },
      ];
    })
    .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
}

/** Which zone an answer is given in besides the meeting's own: the one asked for, else the asker's profile's. */
interface AnswerZones {
  askerZone?: string;
  /** The zone the person asked for ("… in Tokyo time"). */
  askedZone?: string;
}

export interface TodayItem extends UpcomingMeeting {
  state: "over" | "on-now" | "later";
}

export type Answer =
  | ({ kind: "next-meeting"; upcoming: UpcomingMeeting } & AnswerZones)
  | ({ kind: "on-now"; upcoming: UpcomingMeeting; end: Date } & AnswerZones)
  | ({
      kind: "today";
      /** The local date asked about, in `zone`. */
      date: LocalDate;
      zone: string;
      /** Set when one meeting was asked about. */
      meetingTitle?: string;
      items: TodayItem[];
      /** When nothing is on today: the next one. */
      next?: UpcomingMeeting;
    } & AnswerZones)
  | ({ kind: "schedule"; upcoming: UpcomingMeeting[]; ended: MeetingEnded[] } & AnswerZones)
  | MeetingEnded
  | { kind: "no-upcoming"; meetingTitle?: string }
  | { kind: "not-understood" };

/** How long a user's zone from their profile is trusted before asking the chat again. */
const USER_ZONE_TTL_MS = 3_600_000;

/** Answers a direct question ("when is the next meeting?", "is there a meeting today?") in the asker's zone. */
export async function answerQuestion(deps: BotDeps, request: { user: ChatUser; text: string }): Promise<Answer> {
  const answer = await answerOf(deps, request);
  (deps.metrics ?? noMetrics).questionAnswered(answer.kind);
  return answer;
}

async function answerOf(deps: BotDeps, request: { user: ChatUser; text: string }): Promise<Answer> {
  const config = deps.config.current();
  const question = interpretQuestion(request.text, config.meetings);
  if (question.kind === "not-understood") return question;
  const now = deps.clock.now();
  const zones: AnswerZones = question.zone
    ? { askedZone: question.zone }
    : { askerZone: await askerZone(deps, request.user) };
  if (question.kind === "schedule") {
    const ended = config.meetings
      .filter((meeting) => !nextOccurrence(meeting, now) && !occurrenceInProgress(meeting, now))
      .map((meeting) => meetingEnded(config, meeting, now));
    return { kind: "schedule", upcoming: upcomingMeetings(deps), ended, ...zones };
  }
  const named = config.meetings.find((m) => m.id === question.meetingId);
  const candidates = named ? [named] : config.meetings;
  const upcoming = upcomingMeetings(deps, named?.id);
  if (question.kind === "today") {
    const zone = zones.askedZone ?? zones.askerZone ?? named?.timezone ?? config.meetings[0]?.timezone ?? "UTC";
    const date = instantToLocal(now, zone).date;
    const dayStart = zonedWallTimeToInstant(date, "00:00", zone);
    const dayEnd = zonedWallTimeToInstant(addDays(date, 1), "00:00", zone);
    const items = candidates
      .flatMap((meeting) =>
        occurrencesBetween(meeting, dayStart, dayEnd).map((occurrence): TodayItem => {
          const state =
            occurrenceEnd(meeting, occurrence) <= now ? "over" : occurrence.start <= now ? "on-now" : "later";
          return { meeting, occurrence, state };
        }),
      )
      .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
    if (items.length === 0 && named && upcoming.length === 0) return meetingEnded(config, named, now);
    return { kind: "today", date, zone, meetingTitle: named?.title, items, next: upcoming[0], ...zones };
  }
  for (const meeting of candidates) {
    const running = occurrenceInProgress(meeting, now);
    if (running) {
      return {
        kind: "on-now",
        upcoming: { meeting, occurrence: running },
        end: occurrenceEnd(meeting, running),
        ...zones,
      };
    }
  }
  const [next] = upcoming;
  if (next) return { kind: "next-meeting", upcoming: next, ...zones };
  if (named) return meetingEnded(config, named, now);
  return { kind: "no-upcoming" };
}

/**
 * Profile look-ups in flight, per chat port and person: a burst of questions from one person while the cache is
 * cold asks the chat once, and the others wait for that answer.
 */
const lookups = new WeakMap<object, Map<string, Promise<string | undefined>>>();

/** The zone the person chose with `tz`; else their profile's, cached for an hour. */
export async function askerZone(deps: Pick<BotDeps, "store" | "chat" | "clock" | "log">, user: ChatUser) {
  const cached = await deps.store.getUserZone(user.id);
  if (cached?.source === "chosen") return cached.timezone;
  if (cached && deps.clock.now().getTime() - cached.fetchedAt.getTime() < USER_ZONE_TTL_MS) return cached.timezone;
  let byUser = lookups.get(deps.chat);
  if (!byUser) {
    byUser = new Map();
    lookups.set(deps.chat, byUser);
  }
  const key = `${user.chat}:${user.id}`;
  let lookup = byUser.get(key);
  if (!lookup) {
    lookup = profileZone(deps, user, cached?.timezone).finally(() => byUser.delete(key));
    byUser.set(key, lookup);
  }
  return lookup;
}

async function profileZone(
  deps: Pick<BotDeps, "store" | "chat" | "clock" | "log">,
  user: ChatUser,
  cachedZone: string | undefined,
): Promise<string | undefined> {
  const userId = user.id;
  const now = deps.clock.now();
  try {
    const reported = await deps.chat.userTimeZone(user);
    // A profile's zone the zone database does not know is ignored rather than breaking the answer.
    const zone = reported && isIanaTimeZone(reported) ? reported : undefined;
    if (zone) await deps.store.saveUserZone(userId, zone, now);
    return zone ?? cachedZone;
  } catch (error) {
    deps.log.warn({ err: error, userId }, "could not read the user's time zone; answering without it");
    return cachedZone;
  }
}
