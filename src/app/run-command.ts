// One `/cabal …` command, whatever chat it came from: parse it, run the use case it names.
import { parseCabalCommand, type UsageProblem } from "../domain/command.js";
import type { Meeting } from "../domain/meeting.js";
import { type Page, pageOf, UPCOMING_PAGE_SIZE } from "../domain/paging.js";
import {
  type Agenda,
  addTopic,
  listAgenda,
  type Rejected,
  removeTopic,
  type TopicAdded,
  type TopicRemoved,
} from "./agenda.js";
import type { NotesAnnounced } from "./announce-notes.js";
import type { BotDeps } from "./deps.js";
import { type MeetingEnded, meetingEnded, runningMeetings } from "./meeting-status.js";
import { type ChatRoom, type ChatUser, noMetrics, StoreUnavailableError } from "./ports.js";
import { type SubscriptionOutcome, subscribe, subscriptionsOf, unsubscribe } from "./subscriptions.js";
import { upcomingMeetings } from "./upcoming-meetings.js";
import { clearUserZone, setUserZone, showUserZone, type UserZoneOutcome } from "./user-zone.js";
import type { UpcomingMeeting } from "./views.js";

export interface CommandRequest {
  /** What the person typed after `/cabal`, decoded to plain text. */
  text: string;
  user: ChatUser;
  userName: string;
  /** The room the command was typed in; absent in a place no meeting is held (a DM). */
  room?: ChatRoom;
}

export type CommandOutcome =
  | TopicAdded
  | TopicRemoved
  | Agenda
  | Rejected
  | NotesAnnounced
  | MeetingEnded
  | UserZoneOutcome
  | SubscriptionOutcome
  /** One page of the meetings' next occurrences, soonest first. */
  | { kind: "upcoming"; upcoming: UpcomingMeeting[]; page: Page }
  /** `running`: the meetings that still have dates, for the usage's examples. */
  | { kind: "help"; meetings: Meeting[]; running: Meeting[]; problem?: UsageProblem };

/** The commands whose work lives outside the core's use cases (notes need the HTTP fetcher); main builds them. */
export interface CommandHandlers {
  notes?: NotesCommandHandler;
}

/** Hook for commands other issues add (e.g. `/cabal notes`), so this dispatcher stays closed. */
export type NotesCommandHandler = (
  deps: BotDeps,
  request: { meetingId?: string; room?: ChatRoom; user: ChatUser; url: string },
) => Promise<CommandOutcome>;

export async function runCabalCommand(
  deps: BotDeps,
  request: CommandRequest,
  handlers: { notes?: NotesCommandHandler } = {},
): Promise<CommandOutcome> {
  try {
    return await dispatch(deps, request, handlers);
  } catch (error) {
    if (!(error instanceof StoreUnavailableError)) throw error;
    const notWritable = error.kind === "not-writable";
    deps.log.error(
      { err: error, userId: request.user.id },
      notWritable
        ? "command not carried out: the database refused the write"
        : "command not carried out: the database is unreachable",
    );
    return { kind: "rejected", reason: { code: "storage-unavailable", kind: error.kind } };
  }
}

/** Each configured meeting list's ids, listed once (a command names one of them, or none). */
const meetingIds = new WeakMap<readonly Meeting[], string[]>();

function meetingIdsOf(meetings: readonly Meeting[]): string[] {
  let ids = meetingIds.get(meetings);
  if (!ids) {
    ids = meetings.map((m) => m.id);
    meetingIds.set(meetings, ids);
  }
  return ids;
}

async function dispatch(
  deps: BotDeps,
  request: CommandRequest,
  handlers: { notes?: NotesCommandHandler },
): Promise<CommandOutcome> {
  const config = deps.config.current();
  const command = parseCabalCommand(request.text, meetingIdsOf(config.meetings));
  const target = { meetingId: "meetingId" in command ? command.meetingId : undefined, room: request.room };
  (deps.metrics ?? noMetrics).commandHandled(command.kind);
  switch (command.kind) {
    case "topic-add":
      return addTopic(deps, {
        ...target,
        title: command.title,
        proposer: { user: request.user, name: request.userName },
      });
    case "topic-list":
      return listAgenda(deps, { ...target, page: command.page });
    case "topic-remove":
      return removeTopic(deps, { ...target, user: request.user, position: command.position });
    case "next": {
      const upcoming = upcomingMeetings(deps, command.meetingId);
      const named = config.meetings.find((m) => m.id === command.meetingId);
      // A named meeting without a next date has ended: say so, with its last date and successor.
      if (named && upcoming.length === 0) return meetingEnded(config, named, deps.clock.now());
      const page = pageOf(upcoming.length, UPCOMING_PAGE_SIZE, command.page);
      return { kind: "upcoming", upcoming: upcoming.slice(page.offset, page.offset + UPCOMING_PAGE_SIZE), page };
    }
    case "notes":
      if (!handlers.notes) return { kind: "rejected", reason: { code: "notes-not-available" } };
      return handlers.notes(deps, { ...target, user: request.user, url: command.url });
    case "tz":
      if (command.action === "set") return setUserZone(deps, { user: request.user, zone: command.zone });
      if (command.action === "clear") return clearUserZone(deps, { user: request.user });
      return showUserZone(deps, { user: request.user });
    case "subscribe":
      return subscribe(deps, request.user, command.meetingId, request.room);
    case "unsubscribe":
      return unsubscribe(deps, request.user, command.meetingId, request.room);
    case "subscriptions":
      return subscriptionsOf(deps, request.user);
    case "help":
      return { kind: "help", meetings: config.meetings, running: runningMeetings(config, deps.clock.now()) };
    case "usage-error":
      return {
        kind: "help",
        meetings: config.meetings,
        running: runningMeetings(config, deps.clock.now()),
        problem: command.problem,
      };
  }
}
