// Topics proposed for an occurrence that was cancelled or is over move to the next occurrence.
import { occurrenceOn } from "../domain/calendar.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import type { BotDeps } from "./deps.js";
import type { ChatUser, Topic } from "./ports.js";
import { queuedRollover } from "./send-notices.js";

/**
 * Moves every topic of earlier occurrences (over, or not on the schedule any more) to `next`, and queues for
 * each proposer one notice of which of their topics moved; the scheduler sends the outbox, paced and retried
 * (a command never waits for the chat). Topics of an occurrence still in progress stay.
 */
export async function rollOverTopics(deps: BotDeps, meeting: Meeting, next: Occurrence): Promise<Topic[]> {
  const now = deps.clock.now();
  const moved: Topic[] = [];
  for (const date of await deps.store.datesWithTopicsBefore(meeting.id, next.date)) {
    const held = occurrenceOn(meeting, date);
    if (held && held.start.getTime() + meeting.durationMinutes * 60_000 > now.getTime()) continue;
    // Once its notes are announced, what they did not cover was carried over; what is left was discussed.
    if (held && (await deps.store.getNotesWatch(meeting.id, date))?.announcedAt) continue;
    const topics = await deps.store.moveTopics(meeting.id, date, next.date);
    moved.push(...topics);
    await queueNotices(deps, meeting, date, held ? "past" : "cancelled", next, topics);
  }
  return moved;
}

async function queueNotices(
  deps: BotDeps,
  meeting: Meeting,
  fromDate: string,
  reason: "past" | "cancelled",
  to: Occurrence,
  topics: Topic[],
): Promise<void> {
  const byProposer = new Map<string, { user: ChatUser; titles: string[] }>();
  for (const topic of topics) {
    if (!topic.proposerId) continue;
    const key = `${topic.proposerChat}\u0000${topic.proposerId}`;
    const entry = byProposer.get(key) ?? { user: { chat: topic.proposerChat, id: topic.proposerId }, titles: [] };
    entry.titles.push(topic.title);
    byProposer.set(key, entry);
  }
  if (byProposer.size === 0) return;
  const notices = [...byProposer.values()].map(({ user, titles }) => ({
    user,
    payload: queuedRollover({ meetingId: meeting.id, fromDate, reason, toDate: to.date, titles }),
  }));
  await deps.store.queueNotices(notices, deps.clock.now());
  deps.noticesQueued?.();
}
