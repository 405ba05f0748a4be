// Agenda use cases behind `/cabal topic add|list|remove`.
import { checkTopicTitle } from "../domain/agenda.js";
import { nextOccurrence } from "../domain/calendar.js";
import type { Meeting, Occurrence } from "../domain/meeting.js";
import { AGENDA_PAGE_SIZE, type Page, pageOf } from "../domain/paging.js";
import type { Refusal } from "../domain/refusal.js";
import type { BotDeps } from "./deps.js";
import { type MeetingEnded, meetingEnded } from "./meeting-status.js";
import type { ChatRoom, ChatUser, Topic } from "./ports.js";
import { rollOverTopics } from "./roll-over-topics.js";
import { chooseMeeting } from "./select-meeting.js";

export interface AgendaRequest {
  meetingId?: string;
  /** Which page of a long agenda (from 1); the first when absent. */
  page?: number;
  /** The room the request came from: picks the meeting held there when none is named. */
  room?: ChatRoom;
}

export interface Proposer {
  user: ChatUser;
  name: string;
}

/** A refusal, as a code with its values; each adapter words it. */
export type Rejected = { kind: "rejected"; reason: Refusal };
/** One page of the agenda: `topics` are numbers `page.offset + 1` onwards. */
export type Agenda = { kind: "agenda"; meeting: Meeting; occurrence: Occurrence; topics: Topic[]; page: Page };
export type TopicAdded = { kind: "added"; meeting: Meeting; occurrence: Occurrence; topic: Topic; position: number };
export type TopicRemoved = {
  kind: "removed";
  meeting: Meeting;
  occurrence: Occurrence;
  topic: Topic;
  position: number;
};

/** The next occurrence of the requested meeting, after rolling earlier topics onto it; its topics not read. */
async function openOccurrence(
  deps: BotDeps,
  request: AgendaRequest,
): Promise<{ kind: "open"; meeting: Meeting; occurrence: Occurrence } | Rejected | MeetingEnded> {
  const now = deps.clock.now();
  const choice = chooseMeeting(deps.config.current(), request, now);
  if (!choice.ok) return { kind: "rejected", reason: choice.refusal };
  // New topics go to the next occurrence that has not started yet.
  const occurrence = nextOccurrence(choice.meeting, now);
  if (!occurrence) return meetingEnded(deps.config.current(), choice.meeting, now);
  await rollOverTopics(deps, choice.meeting, occurrence);
  return { kind: "open", meeting: choice.meeting, occurrence };
}

/** The next occurrence of the requested meeting with one page of its topics (read alone, however long the rest). */
async function openAgenda(deps: BotDeps, request: AgendaRequest): Promise<Agenda | Rejected | MeetingEnded> {
  const opened = await openOccurrence(deps, request);
  if (opened.kind !== "open") return opened;
  const { meeting, occurrence } = opened;
  // The page asked for is read first; the count read with it says whether that page exists.
  const askedOffset = (Math.max(1, request.page ?? 1) - 1) * AGENDA_PAGE_SIZE;
  let { topics, total } = await deps.store.listTopicPage(meeting.id, occurrence.date, askedOffset, AGENDA_PAGE_SIZE);
  const page = pageOf(total, AGENDA_PAGE_SIZE, request.page);
  // Asked past the end: the last page instead.
  if (page.offset !== askedOffset) {
    ({ topics, total } = await deps.store.listTopicPage(meeting.id, occurrence.date, page.offset, AGENDA_PAGE_SIZE));
  }
  return { kind: "agenda", meeting, occurrence, topics, page: pageOf(total, AGENDA_PAGE_SIZE, page.number) };
}

export async function addTopic(
  deps: BotDeps,
  request: AgendaRequest & { title: string; proposer: Proposer },
): Promise<TopicAdded | Rejected | MeetingEnded> {
  const check = checkTopicTitle(request.title);
  if (!check.ok) return { kind: "rejected", reason: check.refusal };
  // The agenda is not listed: the store gives the new topic's place, so adding costs the same at any length.
  const agenda = await openOccurrence(deps, request);
  if (agenda.kind !== "open") return agenda;
  const { topic, position } = await deps.store.appendTopic({
    meetingId: agenda.meeting.id,
    occurrenceDate: agenda.occurrence.date,
    title: check.title,
    proposerId: request.proposer.user.id,
    proposerChat: request.proposer.user.chat,
    proposerName: request.proposer.name,
    source: "chat",
    createdAt: deps.clock.now(),
  });
  deps.log.info({ meetingId: topic.meetingId, date: topic.occurrenceDate, topicId: topic.id }, "topic added");
  deps.agendaChanges?.changed(topic.meetingId);
  return {
    kind: "added",
    meeting: agenda.meeting,
    occurrence: agenda.occurrence,
    topic,
    position,
  };
}

export function listAgenda(deps: BotDeps, request: AgendaRequest): Promise<Agenda | Rejected | MeetingEnded> {
  return openAgenda(deps, request);
}

export async function removeTopic(
  deps: BotDeps,
  request: AgendaRequest & { user: ChatUser; position: number },
): Promise<TopicRemoved | Rejected | MeetingEnded> {
  const opened = await openOccurrence(deps, request);
  if (opened.kind !== "open") return opened;
  const { meeting, occurrence } = opened;
  // Only the topic at that place is read, however long the agenda.
  const { topics, total } = await deps.store.listTopicPage(meeting.id, occurrence.date, request.position - 1, 1);
  const [topic] = topics;
  if (!topic) {
    return {
      kind: "rejected",
      reason: { code: "no-such-topic", position: request.position, count: total, meetingTitle: meeting.title },
    };
  }
  const isAdmin = deps.config.current().admins.includes(request.user.id);
  const isProposer = topic.proposerId === request.user.id && topic.proposerChat === request.user.chat;
  if (!isProposer && !isAdmin) {
    return { kind: "rejected", reason: { code: "not-allowed", position: request.position } };
  }
  await deps.store.removeTopic(topic.id);
  deps.log.info({ meetingId: topic.meetingId, topicId: topic.id, by: request.user.id }, "topic removed");
  deps.agendaChanges?.changed(topic.meetingId);
  return { kind: "removed", meeting, occurrence, topic, position: request.position };
}
