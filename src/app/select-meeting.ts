// Which meeting a request is about.
import { nextOccurrence } from "../domain/calendar.js";
import type { ChatRoom, CommunityConfig, Meeting, Occurrence } from "../domain/meeting.js";
import type { Refusal } from "../domain/refusal.js";

export type MeetingChoice = { ok: true; meeting: Meeting } | { ok: false; refusal: Refusal };

/**
 * The meeting named by id; else the meeting held in this room of this chat (the soonest one when several share it);
 * else the first configured meeting.
 */
export function chooseMeeting(
  config: CommunityConfig,
  request: { meetingId?: string; room?: ChatRoom },
  now: Date,
): MeetingChoice {
  if (request.meetingId) {
    const meeting = config.meetings.find((m) => m.id === request.meetingId);
    if (meeting) return { ok: true, meeting };
    return {
      ok: false,
      refusal: { code: "no-such-meeting", meetingId: request.meetingId, known: config.meetings.map((m) => m.id) },
    };
  }
  const here = request.room;
  const inChannel = here
    ? config.meetings.filter((m) => m.rooms.some((r) => r.chat === here.chat && r.room === here.room))
    : [];
  if (inChannel.length > 1) {
    const upcoming = inChannel
      .map((meeting) => ({ meeting, next: nextOccurrence(meeting, now) }))
      .filter((entry): entry is { meeting: Meeting; next: Occurrence } => entry.next !== undefined)
      .sort((a, b) => a.next.start.getTime() - b.next.start.getTime());
    return { ok: true, meeting: upcoming[0]?.meeting ?? (inChannel[0] as Meeting) };
  }
  return { ok: true, meeting: inChannel[0] ?? (config.meetings[0] as Meeting) };
}
