// After a configuration reload: the subscribers of a meeting and the proposers of a changed occurrence's topics
// are told once that it was cancelled, moved or added. The store decides "once": the change is recorded by
// meeting, date and kind before anyone is told (one replica wins, a later reload finds it recorded), and each
// message is claimed per recipient, so a retry never sends one twice.
import { nextOccurrence } from "../domain/calendar.js";
import type { CommunityConfig } from "../domain/meeting.js";
import { type ScheduleChange, scheduleChanges } from "../domain/schedule-changes.js";
import type { BotDeps } from "./deps.js";
import type { ChatUser } from "./ports.js";
import type { ScheduleChangeNotice } from "./views.js";

/** A notice claimed and not sent within this long (its sender died) may be sent by another. */
const NOTICE_LEASE_MS = 60_000;

export interface ScheduleNoticeSummary {
  changes: number;
  /** Changes this call recorded (the others were told before, or by another replica). */
  claimed: number;
  sent: number;
  failed: number;
}

/** The marker and delivery key of one notice to one person. */
export function scheduleNoticeKey(
  change: Pick<ScheduleChange, "date" | "kind"> & { meetingId: string },
  user: ChatUser,
): string {
  return `schedule:${change.meetingId}:${change.date}:${change.kind}:${user.chat}:${user.id}`;
}

export async function announceScheduleChanges(
  deps: BotDeps,
  before: CommunityConfig,
  after: CommunityConfig,
): Promise<ScheduleNoticeSummary> {
  const changes = scheduleChanges(before, after, deps.clock.now());
  const summary: ScheduleNoticeSummary = { changes: changes.length, claimed: 0, sent: 0, failed: 0 };
  for (const change of changes) {
    if (!(await deps.store.claimScheduleNotice(change.meeting.id, change.date, change.kind, deps.clock.now())))
      continue;
    summary.claimed += 1;
    deps.log.info(
      { meetingId: change.meeting.id, date: change.date, kind: change.kind },
      "schedule change found in the reloaded configuration; telling subscribers and proposers",
    );
    for (const { user, yourTopics } of await recipients(deps, change)) {
      if (!deps.chat.servesChat(user.chat)) continue;
      const key = scheduleNoticeKey({ meetingId: change.meeting.id, date: change.date, kind: change.kind }, user);
      try {
        if (!(await deps.store.claimDelivery(key, deps.clock.now(), NOTICE_LEASE_MS))) continue;
        const notice: ScheduleChangeNotice = {
          meeting: change.meeting,
          kind: change.kind,
          ...(change.was ? { was: change.was } : {}),
          ...(change.now ? { now: change.now } : {}),
          yourTopics,
        };
        if (change.kind === "cancelled" && change.was) {
          const next = nextOccurrence(change.meeting, change.was.start);
          if (next) notice.next = next;
        }
        const posted = await deps.chat.notifyScheduleChange(user, notice, key);
        await deps.store.markDelivered(key, deps.clock.now(), posted.messageId);
        summary.sent += 1;
      } catch (error) {
        // Not retried: a notice is a courtesy, and its claim keeps a later reload from sending it twice.
        summary.failed += 1;
        deps.log.warn(
          { err: error, meetingId: change.meeting.id, date: change.date, chat: user.chat, userId: user.id },
          "could not tell someone about a schedule change",
        );
      }
    }
  }
  deps.log.info({ ...summary }, "reloaded schedule compared; changes told");
  return summary;
}

/** The meeting's subscribers, then the proposers of the changed occurrence's topics not among them, once each. */
async function recipients(deps: BotDeps, change: ScheduleChange): Promise<{ user: ChatUser; yourTopics: string[] }[]> {
  const byUser = new Map<string, { user: ChatUser; yourTopics: string[] }>();
  const keyOf = (user: ChatUser) => `${user.chat}\u0000${user.id}`;
  for (const s of await deps.store.subscribersOf(change.meeting.id))
    byUser.set(keyOf(s.user), { user: s.user, yourTopics: [] });
  const topics = change.was ? await deps.store.listTopics(change.meeting.id, change.was.date) : [];
  for (const topic of topics) {
    if (!topic.proposerId || !topic.proposerChat) continue;
    const user = { chat: topic.proposerChat, id: topic.proposerId };
    const entry = byUser.get(keyOf(user)) ?? { user, yourTopics: [] };
    entry.yourTopics.push(topic.title);
    byUser.set(keyOf(user), entry);
  }
  return [...byUser.values()];
}
