// After a configuration reload: the subscribers of a meeting and the proposers of a changed occurrence's topics
// are told once that it was cancelled, moved or added. The store decides "once": the change is recorded by
// meeting, date and kind (one replica wins, a later reload finds it recorded), and its messages are queued in the
// notice outbox at once, which sends them paced and retried (see send-notices).
import { nextOccurrence } from "../domain/calendar.js";
import type { CommunityConfig } from "../domain/meeting.js";
import { type ScheduleChange, scheduleChanges } from "../domain/schedule-changes.js";
import type { BotDeps } from "./deps.js";
import type { ChatUser } from "./ports.js";
import { queuedScheduleChange } from "./send-notices.js";
import type { ScheduleChangeNotice } from "./views.js";

export interface ScheduleNoticeSummary {
  changes: number;
  /** Changes this call recorded (the others were told before, or by another replica). */
  claimed: number;
  /** Messages queued for the people to tell. */
  queued: number;
}

/** The marker of one notice to one person (the Matrix transaction id, so the homeserver drops a resend). */
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
  const summary: ScheduleNoticeSummary = { changes: changes.length, claimed: 0, queued: 0 };
  for (const change of changes) {
    if (!(await deps.store.claimScheduleNotice(change.meeting.id, change.date, change.kind, deps.clock.now())))
      continue;
    summary.claimed += 1;
    deps.log.info(
      { meetingId: change.meeting.id, date: change.date, kind: change.kind },
      "schedule change found in the reloaded configuration; telling subscribers and proposers",
    );
    const next =
      change.kind === "cancelled" && change.was ? nextOccurrence(change.meeting, change.was.start) : undefined;
    const notices = (await recipients(deps, change))
      .filter(({ user }) => deps.chat.servesChat(user.chat))
      .map(({ user, yourTopics }) => {
        const notice: Omit<ScheduleChangeNotice, "meeting"> = {
          kind: change.kind,
          ...(change.was ? { was: change.was } : {}),
          ...(change.now ? { now: change.now } : {}),
          ...(next ? { next } : {}),
          yourTopics,
        };
        const marker = scheduleNoticeKey({ meetingId: change.meeting.id, date: change.date, kind: change.kind }, user);
        return { user, payload: queuedScheduleChange(notice, change.meeting.id, marker) };
      });
    if (notices.length > 0) {
      await deps.store.queueNotices(notices, deps.clock.now());
      summary.queued += notices.length;
    }
    // The notice told the proposers their topics move to the next meeting: they move now, so the roll-over that
    // would find them later (and tell the same people again) has nothing left to do.
    if (change.kind === "cancelled" && change.was && next)
      await deps.store.moveTopics(change.meeting.id, change.was.date, next.date);
  }
  if (summary.queued > 0) deps.noticesQueued?.();
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
