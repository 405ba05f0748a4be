// A person's home page in a chat (Slack's App Home): the upcoming meetings in their own zone, each agenda with
// their own topics marked and whether they get its reminders; proposing a topic from a form; (un)subscribing.
import type { Meeting, Occurrence } from "../domain/meeting.js";
import type { Refusal } from "../domain/refusal.js";
import { addTopic, listAgenda, type Proposer, type Rejected, type TopicAdded } from "./agenda.js";
import type { BotDeps } from "./deps.js";
import type { MeetingEnded } from "./meeting-status.js";
import { type ChatUser, StoreUnavailableError, type Topic } from "./ports.js";
import { subscribe, subscriptionsOf, unsubscribe } from "./subscriptions.js";
import { askerZone, upcomingMeetings } from "./upcoming-meetings.js";

/** How many meetings a home page shows (the soonest); the rest are counted. Keeps a page within chat limits. */
export const HOME_MEETINGS = 20;

/** The next occurrence of one meeting with its agenda: the same for every viewer. */
export interface HomeAgenda {
  meeting: Meeting;
  occurrence: Occurrence;
  topics: Topic[];
  calendarUrl?: string;
}

/** What every viewer's page is built from, read once however many pages are built from it. */
export interface HomeAgendas {
  agendas: HomeAgenda[];
  /** Upcoming meetings left out beyond the page's limit. */
  moreMeetings: number;
}

export interface HomeTopic {
  /** Its number on the agenda, as `topic list` and `topic remove` use it. */
  position: number;
  title: string;
  proposerName: string;
  /** Proposed by the viewer. */
  mine: boolean;
}

export interface HomeMeeting {
  meeting: Meeting;
  occurrence: Occurrence;
  topics: HomeTopic[];
  /** The viewer gets this meeting's reminders as direct messages. */
  subscribed: boolean;
  calendarUrl?: string;
}

export type HomeView =
  | {
      kind: "home";
      /** The viewer's zone (chosen with `tz`, else their profile's); absent when neither is known. */
      viewerZone?: string;
      meetings: HomeMeeting[];
      moreMeetings: number;
    }
  /** The store could not be read: the page says so instead of showing stale or empty agendas. */
  | { kind: "home-unavailable"; reason: Refusal };

/** A meeting the topic form offers. */
export interface TopicFormChoice {
  meeting: Meeting;
  occurrence: Occurrence;
}

/** The form to propose a topic: the upcoming meetings, and the one to preselect. */
export interface TopicForm {
  kind: "topic-form";
  choices: TopicFormChoice[];
  /** A meeting id among `choices`. */
  selected?: string;
}

/** The soonest upcoming meetings with their agendas (earlier topics rolled onto them, as `topic list` does). */
export async function readHomeAgendas(deps: BotDeps, maxMeetings = HOME_MEETINGS): Promise<HomeAgendas> {
  const upcoming = upcomingMeetings(deps);
  const agendas: HomeAgenda[] = [];
  for (const { meeting, calendarUrl } of upcoming.slice(0, maxMeetings)) {
    const agenda = await listAgenda(deps, { meetingId: meeting.id });
    // A meeting whose last occurrence began since `upcoming` was read has nothing left to show.
    if (agenda.kind !== "agenda") continue;
    // `topic list` answers a page at a time; the Home counts and marks every topic (and bounds what it shows).
    const topics =
      agenda.page.count > 1 ? await deps.store.listTopics(meeting.id, agenda.occurrence.date) : agenda.topics;
    agendas.push({
      meeting,
      occurrence: agenda.occurrence,
      topics,
      ...(calendarUrl ? { calendarUrl } : {}),
    });
  }
  return { agendas, moreMeetings: Math.max(0, upcoming.length - maxMeetings) };
}

/** One viewer's page from agendas read once: their zone, their topics marked, their subscriptions. */
export async function homeFor(deps: BotDeps, viewer: ChatUser, read: HomeAgendas): Promise<HomeView> {
  return unlessStoreDown(deps, viewer, async () => {
    const [viewerZone, subscriptions] = await Promise.all([askerZone(deps, viewer), subscriptionsOf(deps, viewer)]);
    const subscribed = new Set(subscriptions.subscriptions.map((s) => s.meeting.id));
    const meetings = read.agendas.map(
      (agenda): HomeMeeting => ({
        meeting: agenda.meeting,
        occurrence: agenda.occurrence,
        topics: agenda.topics.map((topic, index) => ({
          position: index + 1,
          title: topic.title,
          proposerName: topic.proposerName,
          mine: topic.proposerId === viewer.id && topic.proposerChat === viewer.chat,
        })),
        subscribed: subscribed.has(agenda.meeting.id),
        ...(agenda.calendarUrl ? { calendarUrl: agenda.calendarUrl } : {}),
      }),
    );
    return { kind: "home", ...(viewerZone ? { viewerZone } : {}), meetings, moreMeetings: read.moreMeetings };
  });
}

/** One viewer's page. */
export async function buildHome(deps: BotDeps, viewer: ChatUser): Promise<HomeView> {
  return unlessStoreDown(deps, viewer, async () => homeFor(deps, viewer, await readHomeAgendas(deps)));
}

/** The form to propose a topic, `meetingId` preselected when it is upcoming (as many choices as the page shows). */
export function topicForm(deps: BotDeps, meetingId?: string): TopicForm {
  const choices = upcomingMeetings(deps)
    .slice(0, HOME_MEETINGS)
    .map(({ meeting, occurrence }) => ({ meeting, occurrence }));
  const selected = choices.find((choice) => choice.meeting.id === meetingId)?.meeting.id;
  return { kind: "topic-form", choices, ...(selected ? { selected } : {}) };
}

/**
 * A topic proposed from the form: the same use case, rules and refusals as `topic add`; a database that cannot
 * be reached is a refusal too, so the form can say nothing was saved.
 */
export async function proposeTopic(
  deps: BotDeps,
  request: { meetingId: string; title: string; proposer: Proposer },
): Promise<TopicAdded | Rejected | MeetingEnded> {
  try {
    return await addTopic(deps, request);
  } catch (error) {
    return storeDown(deps, request.proposer.user, error);
  }
}

/** Subscribes the viewer to one meeting's reminders, or stops them, from a button on their page. */
export async function setHomeSubscription(
  deps: BotDeps,
  viewer: ChatUser,
  meetingId: string,
  wanted: boolean,
): Promise<{ kind: "subscribed" | "unsubscribed" } | Rejected | MeetingEnded> {
  try {
    return wanted ? await subscribe(deps, viewer, meetingId) : await unsubscribe(deps, viewer, meetingId);
  } catch (error) {
    return storeDown(deps, viewer, error);
  }
}

async function unlessStoreDown(deps: BotDeps, viewer: ChatUser, build: () => Promise<HomeView>): Promise<HomeView> {
  try {
    return await build();
  } catch (error) {
    const rejected = storeDown(deps, viewer, error);
    return { kind: "home-unavailable", reason: rejected.reason };
  }
}

/** A StoreUnavailableError as the refusal people are shown; anything else is a bug and is thrown on. */
function storeDown(deps: BotDeps, user: ChatUser, error: unknown): Rejected {
  if (!(error instanceof StoreUnavailableError)) throw error;
  deps.log.error({ err: error, userId: user.id }, "home page request not carried out: the database is not available");
  return { kind: "rejected", reason: { code: "storage-unavailable", kind: error.kind } };
}
