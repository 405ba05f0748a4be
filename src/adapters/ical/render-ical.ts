// The calendar feed as iCalendar (RFC 5545), built with ical-generator: one VEVENT per occurrence, written in
// the meeting's own zone (TZID, with its VTIMEZONE), cancelled ones with STATUS:CANCELLED.
import { TZDate } from "@date-fns/tz";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { CalendarEntry, CalendarFeed } from "../../app/calendar-feed.js";
import { agendaLine } from "../../domain/agenda.js";
import { instantToLocal } from "../../domain/calendar.js";

/** Calendars re-read a subscribed feed about this often (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
const REFRESH_SECONDS = 3600;

/**
 * The event's UID: the meeting and its local date, so a calendar keeps the same event across refreshes and
 * config reloads; the host of the public URL keeps two communities' `community` meetings apart.
 */
export function occurrenceUid(meetingId: string, date: string, publicUrl?: string): string {
  const host = publicUrl ? new URL(publicUrl).host : "cabalbot";
  return `${meetingId}-${date}@${host}`;
}

/**
 * Whether the zone's clock shows this instant's wall time twice (a fall-back hour). RFC 5545 says such a TZID
 * time means the first, but parsers differ (ical.js takes the second), so those events are written in UTC.
 */
function wallTimeRepeats(instant: Date, timeZone: string): boolean {
  const wall = instantToLocal(instant, timeZone);
  // Zones fall back by an hour, or by 30 minutes (Lord Howe Island).
  return [-60, -30, 30, 60].some((minutes) => {
    const other = instantToLocal(new Date(instant.getTime() + minutes * 60_000), timeZone);
    return other.date === wall.date && other.time === wall.time;
  });
}

function description(entry: CalendarEntry): string {
  const { meeting, topics } = entry;
  if (entry.cancelled) return `${meeting.title} of ${entry.occurrence.date} is cancelled.`;
  const lines: string[] = [];
  if (topics.length) {
    lines.push("Agenda proposed so far:", ...topics.map((t, i) => `${i + 1}. ${agendaLine(t.title, t.proposerName)}`));
  } else {
    lines.push("No topics proposed yet.");
  }
  lines.push("Propose a topic with /cabal topic add <title>.");
  if (meeting.joinUrl) lines.push("", `Join: ${meeting.joinUrl}`);
  if (meeting.agendaUrl) lines.push(`Live notes: ${meeting.agendaUrl}`);
  return lines.join("\n");
}

export function renderICalendar(feed: CalendarFeed, publicUrl?: string): string {
  const only = feed.meetings.length === 1 ? feed.meetings[0] : undefined;
  const calendar = ical({
    prodId: { company: "cabalbot", product: "cabalbot", language: "EN" },
    name: only ? only.title : "Community meetings",
    method: ICalCalendarMethod.PUBLISH,
    ttl: REFRESH_SECONDS,
    ...(feed.url ? { url: feed.url, source: feed.url } : {}),
    // No calendar-wide zone (DTSTAMP stays in UTC); each event names its meeting's zone and the generator adds
    // a VTIMEZONE for every zone used.
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const entry of feed.entries) {
    const { meeting, occurrence } = entry;
    const inUtc = wallTimeRepeats(occurrence.start, meeting.timezone) || wallTimeRepeats(entry.end, meeting.timezone);
    calendar.createEvent({
      id: occurrenceUid(meeting.id, occurrence.date, publicUrl),
      // A cancellation is a newer version of the event, for clients that compare sequences.
      sequence: entry.cancelled ? 1 : 0,
      stamp: feed.generatedAt,
      // TZDate reads the instant's wall clock in the zone, which ical-generator writes after TZID=.
      ...(inUtc
        ? { start: occurrence.start, end: entry.end }
        : {
            start: new TZDate(occurrence.start.getTime(), meeting.timezone),
            end: new TZDate(entry.end.getTime(), meeting.timezone),
            timezone: meeting.timezone,
          }),
      summary: meeting.title,
      description: description(entry),
      ...(meeting.joinUrl ? { location: meeting.joinUrl } : {}),
      ...(meeting.agendaUrl ? { url: meeting.agendaUrl } : {}),
      status: entry.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
