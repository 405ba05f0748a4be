// `/cabal next` and direct questions: when the meetings happen next.
import { nextOccurrence } from "../domain/calendar.js";
import { interpretQuestion } from "../domain/question.js";
import { isIanaTimeZone } from "../domain/time-zones.js";
import type { BotDeps } from "./deps.js";
import type { UpcomingMeeting } from "./views.js";

/** The next occurrence of each meeting (or of one), soonest first; ended meetings are left out. */
export function upcomingMeetings(deps: BotDeps, meetingId?: string): UpcomingMeeting[] {
  const now = deps.clock.now();
  return deps.config
    .current()
    .meetings.filter((meeting) => !meetingId || meeting.id === meetingId)
    .flatMap((meeting) => {
      const occurrence = nextOccurrence(meeting, now);
      return occurrence ? [{ meeting, occurrence }] : [];
    })
    .sort((a, b) => a.occurrence.start.getTime() - b.occurrence.start.getTime());
}

export type Answer =
  | { kind: "next-meeting"; upcoming: UpcomingMeeting; askerZone?: string }
  | { kind: "no-upcoming"; meetingTitle?: string }
  | { kind: "not-understood" };

/** How long a user's zone from their profile is trusted before asking the chat again. */
const USER_ZONE_TTL_MS = 24 * 3_600_000;

/** Answers "when is the next meeting?" in the asker's own zone. */
export async function answerQuestion(deps: BotDeps, request: { userId: string; text: string }): Promise<Answer> {
  const config = deps.config.current();
  const question = interpretQuestion(request.text, config.meetings);
  if (question.kind === "not-understood") return question;
  const [upcoming] = upcomingMeetings(deps, question.meetingId);
  if (!upcoming) {
    return { kind: "no-upcoming", meetingTitle: config.meetings.find((m) => m.id === question.meetingId)?.title };
  }
  return { kind: "next-meeting", upcoming, askerZone: await askerZone(deps, request.userId) };
}

async function askerZone(deps: BotDeps, userId: string): Promise<string | undefined> {
  const now = deps.clock.now();
  const cached = await deps.store.getUserZone(userId);
  if (cached && now.getTime() - cached.fetchedAt.getTime() < USER_ZONE_TTL_MS) return cached.timezone;
  try {
    const reported = await deps.chat.userTimeZone(userId);
    // A profile's zone the zone database does not know is ignored rather than breaking the answer.
    const zone = reported && isIanaTimeZone(reported) ? reported : undefined;
    if (zone) await deps.store.saveUserZone(userId, zone, now);
    return zone ?? cached?.timezone;
  } catch (error) {
    deps.log.warn({ err: error, userId }, "could not read the user's time zone; answering without it");
    return cached?.timezone;
  }
}
