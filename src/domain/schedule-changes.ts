// What a configuration reload changed in the dates people expect: a newly skipped occurrence is cancelled, a new
// one-off date is added, and a skip with a new date close to it is a move. Only the `skip` and `dates` lists are
// compared: those are how a community cancels or moves one meeting, and a rule edited for every future date
// would otherwise tell everyone about each of them.
import { occurrenceOn } from "./calendar.js";
import type { CommunityConfig, LocalDate, Meeting, Occurrence } from "./meeting.js";
import { renderMeetingHeadline } from "./time-render.js";
import type { Wording } from "./wording.js";

export interface ScheduleChange {
  meeting: Meeting;
  kind: "cancelled" | "moved" | "added";
  /** The date the change is known by (with the meeting and the kind): the old date of a move. */
  date: LocalDate;
  /** The occurrence as it was (cancelled, moved). */
  was?: Occurrence;
  /** The occurrence as it is now (moved, added). */
  now?: Occurrence;
}

/** A new date this close to a newly cancelled one is taken as the same meeting moved. */
const MOVE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

/** The changes to occurrences that start after `now`, for the meetings both configurations have. */
export function scheduleChanges(before: CommunityConfig, after: CommunityConfig, now: Date): ScheduleChange[] {
  const changes: ScheduleChange[] = [];
  for (const meeting of after.meetings) {
    const old = before.meetings.find((m) => m.id === meeting.id);
    if (!old) continue;
    changes.push(...meetingChanges(old, meeting, now));
  }
  return changes;
}

function meetingChanges(before: Meeting, after: Meeting, now: Date): ScheduleChange[] {
  const nowMs = now.getTime();
  const cancelled = after.skip
    .filter((date) => !before.skip.includes(date))
    .map((date) => occurrenceOn(before, date))
    .filter((o): o is Occurrence => o !== undefined && o.start.getTime() > nowMs && !occurrenceOn(after, o.date));
  const oldDates = new Set(before.dates.map((d) => d.slice(0, 10)));
  const added = after.dates
    .map((d) => d.slice(0, 10))
    .filter((date) => !oldDates.has(date))
    .map((date) => occurrenceOn(after, date))
    .filter((o): o is Occurrence => o !== undefined && o.start.getTime() > nowMs && !occurrenceOn(before, o.date));
  const changes: ScheduleChange[] = [];
  const unpaired = [...added];
  for (const was of cancelled.sort((a, b) => a.start.getTime() - b.start.getTime())) {
    // The nearest new date within the window is where it went.
    let best = -1;
    for (const [i, candidate] of unpaired.entries()) {
      const distance = Math.abs(candidate.start.getTime() - was.start.getTime());
      const bestDistance =
        best < 0
          ? Number.POSITIVE_INFINITY
          : Math.abs((unpaired[best] as Occurrence).start.getTime() - was.start.getTime());
      if (distance <= MOVE_WINDOW_MS && distance < bestDistance) best = i;
    }
    if (best >= 0) {
      const [moved] = unpaired.splice(best, 1) as [Occurrence];
      changes.push({ meeting: after, kind: "moved", date: was.date, was, now: moved });
    } else {
      changes.push({ meeting: after, kind: "cancelled", date: was.date, was });
    }
  }
  for (const occurrence of unpaired)
    changes.push({ meeting: after, kind: "added", date: occurrence.date, now: occurrence });
  const startOf = (c: ScheduleChange) => (c.was ?? c.now)?.start.getTime() ?? 0;
  return changes.sort((a, b) => startOf(a) - startOf(b));
}

/** What a notice about a change says; the recipient's own topics are listed by each adapter below it. */
export interface ScheduleChangeWords {
  meeting: Pick<Meeting, "title" | "timezone">;
  kind: ScheduleChange["kind"];
  was?: Occurrence;
  now?: Occurrence;
  next?: Occurrence;
  yourTopics: readonly string[];
}

/** The notice's sentence, in the medium's wording (titles come from the configuration, times from the calendar). */
export function describeScheduleChange(notice: ScheduleChangeWords, w: Wording): string {
  const when = (o: Occurrence) => renderMeetingHeadline(o.start, notice.meeting.timezone);
  const title = notice.meeting.title;
  const yours = notice.yourTopics.length
    ? notice.kind === "moved"
      ? " Your topics go with it:"
      : " Your topics for it will move to the next meeting:"
    : "";
  switch (notice.kind) {
    case "cancelled":
      return w.text(
        `${title} of ${notice.was ? when(notice.was) : "that date"} is cancelled.${notice.next ? ` The next one is ${when(notice.next)}.` : ""}${yours}`,
      );
    case "moved":
      return w.text(
        `${title} of ${notice.was ? when(notice.was) : "that date"} has moved to ${notice.now ? when(notice.now) : "another date"}.${yours}`,
      );
    case "added":
      return w.text(`An extra ${title} is on the schedule: ${notice.now ? when(notice.now) : "a new date"}.`);
  }
}
