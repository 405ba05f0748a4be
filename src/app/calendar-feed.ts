// The calendar feed (`/calendar.ics`, `cabalbot ics`): every meeting's occurrences for the coming year, the
// cancelled ones among them, and each occurrence's agenda so far. Adapters render it as iCalendar.
import { cancelledOccurrencesBetween, occurrencesBetween } from "../domain/calendar.js";
import { addDays } from "../domain/local-date.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import type { BotDeps } from "./deps.js";
import type { Topic } from "./ports.js";

const DAY_MS = 86_400_000;
/** How far ahead the feed reaches unless asked otherwise. */
export const FEED_DAYS = 365;
/** The longest feed one may ask for (the command line's `--days`). */
export const MAX_FEED_DAYS = 3 * 366;

export interface CalendarEntry {
  meeting: Meeting;
  occurrence: Occurrence;
  end: Date;
  /** Cancelled with `skip`: calendars that subscribed drop it. */
  cancelled: boolean;
  /** The agenda proposed so far (none for a cancelled occurrence: its topics move to the next one). */
  topics: Topic[];
}

export interface CalendarFeed {
  kind: "calendar";
  /** The meetings in the feed (one when a single meeting's feed was asked for). */
  meetings: Meeting[];
  /** Ascending by start. */
  entries: CalendarEntry[];
  generatedAt: Date;
  /** Where the bot's feed can be fetched again, when its public URL is known. */
  url?: string;
}

export type CalendarFeedResult = CalendarFeed | { kind: "unknown-meeting"; meetingId: string; known: string[] };

/** The feed's address for one meeting, or for all; undefined when the bot's public URL is not configured. */
export function calendarUrl(publicUrl: string | undefined, meetingId?: string): string | undefined {
  if (!publicUrl) return undefined;
  const base = publicUrl.replace(/\/+$/, "");
  return meetingId ? `${base}/calendar/${encodeURIComponent(meetingId)}.ics` : `${base}/calendar.ics`;
}

/** Occurrences starting from now to `days` ahead (by the injected clock), of every meeting or of one. */
export async function calendarFeed(
  deps: Pick<BotDeps, "config" | "clock" | "store" | "publicUrl">,
  request: { meetingId?: string; days?: number } = {},
): Promise<CalendarFeedResult> {
  const config = deps.config.current();
  const meetings = request.meetingId ? config.meetings.filter((m) => m.id === request.meetingId) : config.meetings;
  if (request.meetingId && meetings.length === 0) {
    return { kind: "unknown-meeting", meetingId: request.meetingId, known: config.meetings.map((m) => m.id) };
  }
  const now = deps.clock.now();
  const until = new Date(now.getTime() + Math.min(request.days ?? FEED_DAYS, MAX_FEED_DAYS) * DAY_MS);
  const entries: CalendarEntry[] = [];
  for (const meeting of meetings) {
    const held = occurrencesBetween(meeting, now, until);
    const cancelled = cancelledOccurrencesBetween(meeting, now, until);
    const agendas = await agendasOf(deps, meeting, held);
    const durationMs = meeting.durationMinutes * 60_000;
    for (const occurrence of held) {
      const end = new Date(occurrence.start.getTime() + durationMs);
      entries.push({ meeting, occurrence, end, cancelled: false, topics: agendas.get(occurrence.date) ?? [] });
    }
    for (const occurrence of cancelled) {
      const end = new Date(occurrence.start.getTime() + durationMs);
      entries.push({ meeting, occurrence, end, cancelled: true, topics: [] });
    }
  }
  entries.sort(
    (a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime() || a.meeting.id.localeCompare(b.meeting.id),
  );
  const url = calendarUrl(deps.publicUrl, request.meetingId);
  return { kind: "calendar", meetings, entries, generatedAt: now, ...(url ? { url } : {}) };
}

/** The topics of the occurrences that hold any: one query for the dates, then one per date that has topics. */
async function agendasOf(
  deps: Pick<BotDeps, "store">,
  meeting: Meeting,
  held: Occurrence[],
): Promise<Map<string, Topic[]>> {
  const agendas = new Map<string, Topic[]>();
  const last = held[held.length - 1];
  if (!last) return agendas;
  const inFeed = new Set(held.map((o) => o.date));
  const dates = await deps.store.datesWithTopicsBefore(meeting.id, addDays(last.date, 1));
  for (const date of dates) {
    if (inFeed.has(date)) agendas.set(date, await deps.store.listTopics(meeting.id, date));
  }
  return agendas;
}
