// Subscriptions: a person asks for a meeting's reminders as direct messages (`subscribe`), stops (`unsubscribe`),
// or looks at theirs (`subscriptions`). Nobody else is ever pinged: the channel reminder mentions no one but the
// proposers, in the last reminder before the meeting.
import { nextOccurrence } from "../domain/calendar.js";
import type { ChatRoom, Meeting, Occurrence } from "../domain/meeting.js";
import type { Rejected } from "./agenda.js";
import type { BotDeps } from "./deps.js";
import { type MeetingEnded, meetingEnded } from "./meeting-status.js";
import type { ChatUser } from "./ports.js";

/** A meeting in a subscription outcome: the meeting, and its next occurrence when it still has one. */
export interface SubscriptionView {
  meeting: Meeting;
  next?: Occurrence;
}

/** What `subscribe` / `unsubscribe` did: `changed` by this request, `unchanged` already so. */
export interface SubscriptionsChanged {
  kind: "subscribed" | "unsubscribed";
  changed: SubscriptionView[];
  unchanged: SubscriptionView[];
}

/** The person's subscriptions, in meeting id order (meetings no longer configured are left out). */
export interface SubscriptionList {
  kind: "subscriptions";
  subscriptions: SubscriptionView[];
}

export type SubscriptionOutcome = SubscriptionsChanged | SubscriptionList;

type Deps = Pick<BotDeps, "config" | "store" | "clock" | "log">;

function view(meeting: Meeting, now: Date): SubscriptionView {
  const next = nextOccurrence(meeting, now);
  return next ? { meeting, next } : { meeting };
}

/**
 * The meetings a request means. Named by id: that meeting (an unknown id is refused). Without one: the meetings
 * held in the room the request came from, else (a direct message, the App Home, a room no meeting uses) every
 * configured meeting.
 */
function meetingsMeant(
  deps: Deps,
  meetingId: string | undefined,
  room: ChatRoom | undefined,
): { ok: true; meetings: Meeting[]; named: boolean } | Rejected {
  const config = deps.config.current();
  if (meetingId !== undefined) {
    const id = meetingId.toLowerCase();
    const meeting = config.meetings.find((m) => m.id === id);
    if (meeting) return { ok: true, meetings: [meeting], named: true };
    return {
      kind: "rejected",
      reason: { code: "no-such-meeting", meetingId, known: config.meetings.map((m) => m.id) },
    };
  }
  const here = room
    ? config.meetings.filter((m) => m.rooms.some((r) => r.chat === room.chat && r.room === room.room))
    : [];
  return { ok: true, meetings: here.length > 0 ? here : config.meetings, named: false };
}

/**
 * Subscribes `person` to a meeting's reminders (DMs), or without `meetingId` to every running meeting of the room
 * (`room`; every running meeting when none is held there). A meeting whose schedule has ended is refused as ended.
 */
export async function subscribe(
  deps: Deps,
  person: ChatUser,
  meetingId?: string,
  room?: ChatRoom,
): Promise<SubscriptionsChanged | Rejected | MeetingEnded> {
  const meant = meetingsMeant(deps, meetingId, room);
  if (!("ok" in meant)) return meant;
  const now = deps.clock.now();
  const views = meant.meetings.map((meeting) => view(meeting, now));
  const running = views.filter((v) => v.next !== undefined);
  const first = meant.meetings[0];
  // Nothing left to remind of: say it ended, with its last date and successor, as every other command does.
  if (running.length === 0 && first) return meetingEnded(deps.config.current(), first, now);
  const changed: SubscriptionView[] = [];
  const unchanged: SubscriptionView[] = [];
  for (const v of running) {
    const added = await deps.store.addSubscription(v.meeting.id, person, now);
    (added ? changed : unchanged).push(v);
  }
  if (changed.length > 0) {
    deps.log.info(
      { chat: person.chat, userId: person.id, meetings: changed.map((v) => v.meeting.id) },
      "subscribed to reminders",
    );
  }
  return { kind: "subscribed", changed, unchanged };
}

/**
 * Unsubscribes `person` from a meeting (ended ones too), or without `meetingId` from the meetings of the room
 * (`room`; every subscription when none is held there).
 */
export async function unsubscribe(
  deps: Deps,
  person: ChatUser,
  meetingId?: string,
  room?: ChatRoom,
): Promise<SubscriptionsChanged | Rejected> {
  const meant = meetingsMeant(deps, meetingId, room);
  if (!("ok" in meant)) return meant;
  const now = deps.clock.now();
  const subscribed = new Set((await deps.store.subscriptionsOf(person)).map((s) => s.meetingId));
  // Without a meeting named, only what the person has is reported (not "you were not subscribed" to each).
  const meetings = meant.named ? meant.meetings : meant.meetings.filter((m) => subscribed.has(m.id));
  const changed: SubscriptionView[] = [];
  const unchanged: SubscriptionView[] = [];
  for (const meeting of meetings) {
    const removed = await deps.store.removeSubscription(meeting.id, person);
    (removed ? changed : unchanged).push(view(meeting, now));
  }
  if (changed.length > 0) {
    deps.log.info(
      { chat: person.chat, userId: person.id, meetings: changed.map((v) => v.meeting.id) },
      "unsubscribed from reminders",
    );
  }
  return { kind: "unsubscribed", changed, unchanged };
}

/** What `person` is subscribed to, with each meeting's next occurrence. */
export async function subscriptionsOf(deps: Deps, person: ChatUser): Promise<SubscriptionList> {
  const config = deps.config.current();
  const now = deps.clock.now();
  const subscriptions: SubscriptionView[] = [];
  for (const subscription of await deps.store.subscriptionsOf(person)) {
    const meeting = config.meetings.find((m) => m.id === subscription.meetingId);
    if (meeting) subscriptions.push(view(meeting, now));
  }
  return { kind: "subscriptions", subscriptions };
}
