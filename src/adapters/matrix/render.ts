// What the bot says on Matrix: every view → a plain `body` and an HTML `formatted_body` saying the same words.
// The HTML is built only from escaped text (html.ts): a title, a name or a notes page can never become a tag, a
// link or a mention pill. URLs stay text too; clients linkify http(s) text themselves, and a `javascript:` URL
// shown as text is harmless. The wording follows the console's, with Matrix's `!cabal` prefix.
import type { MeetingEnded } from "../../app/meeting-status.js";
import type { ChatUser, Topic } from "../../app/ports.js";
import type { CommandOutcome } from "../../app/run-command.js";
import type { Answer } from "../../app/upcoming-meetings.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../app/views.js";
import { agendaLine, whyTopicsMoved } from "../../domain/agenda.js";
import { describeUsageProblem } from "../../domain/command.js";
import { describeDuration } from "../../domain/duration.js";
import { questionHelp, usageLines } from "../../domain/help.js";
import type { Meeting, Occurrence } from "../../domain/meeting.js";
import { AGENDA_PAGE_SIZE, describeMore, describeRest, type Page } from "../../domain/paging.js";
import { describeRefusal } from "../../domain/refusal.js";
import { describeScheduleChange } from "../../domain/schedule-changes.js";
import { describeSubscriptions } from "../../domain/subscription-text.js";
import { renderMeetingHeadline } from "../../domain/time-render.js";
import { describeUserZone } from "../../domain/user-zone-text.js";
import { plainWording, type Wording } from "../../domain/wording.js";
import { describeDrift } from "../../domain/zone-drift.js";
import { meetingTimeText, renderAnswerText, renderEndedText, terminalText } from "../console/console-render.js";
import { type Html, html, htmlFromWording, htmlListFromWording, joinHtml } from "./html.js";

/** Topics an announcement or a roll-over notice lists at most, and date corrections (the rest is a command away). */
const MAX_NOTES_TOPICS = 50;
const MAX_CORRECTIONS = 10;

/** Matrix has no slash commands for bots; `!` is the community's convention. */
export const MATRIX_PREFIX = "!cabal";

export interface MatrixMessage {
  text: string;
  html: Html;
  /** Users this message mentions on purpose (`m.mentions`); none when absent. */
  mentions?: string[];
}

/**
 * Makes `@room` inert. Intentional mentions (`m.mentions: {}` on every message) already keep homeservers that
 * implement them (spec 1.7+, Synapse included) from pinging anyone; but older clients and servers still apply
 * the legacy rule that highlights a room when the plain body contains `@room`. A word joiner (U+2060) after the
 * `@` breaks that match and shows nothing. It is applied to everything the bot writes, in both bodies: the bot
 * itself never means `@room`, so only text a person wrote (a title, a name, a notes page) can contain it.
 * User ids (`@alice:server`) are left as written: without a link they are text, not pills, and the legacy
 * name rules are off for events that carry `m.mentions`.
 */
export function defuseRoomPing(text: string): string {
  return text.replace(/@(room)\b/gi, "@\u2060$1");
}

/** Text shown as text: no control or bidi-override characters (console-render's rule), no `@room`. */
function clean(text: string): string {
  return defuseRoomPing(terminalText(text));
}

/** One piece of a message in both forms. */
interface Rich {
  text: string;
  html: Html;
}

/** The bot's words, or data (titles, names, URLs): cleaned, and escaped in the HTML. */
function said(text: string): Rich {
  const shown = clean(text);
  return { text: shown, html: html`${shown}` };
}

/** Multi-line plain text (e.g. the meeting's times): the same lines, `<br>` between them in the HTML. */
function lines(text: string): Rich {
  const parts = text.split("\n").map(said);
  return {
    text: parts.map((p) => p.text).join("\n"),
    html: joinHtml(
      parts.map((p) => p.html),
      html`<br>`,
    ),
  };
}

function bold(piece: Rich): Rich {
  return { text: piece.text, html: html`<b>${piece.html}</b>` };
}

function concat(...pieces: Rich[]): Rich {
  return { text: pieces.map((p) => p.text).join(""), html: joinHtml(pieces.map((p) => p.html)) };
}

/** A sentence the domain composes through a Wording: plain with `!cabal`, and HTML with code spans. */
function worded(compose: (w: Wording) => string): Rich {
  return { text: clean(compose(plainWording(MATRIX_PREFIX))), html: htmlFromWording(MATRIX_PREFIX, clean, compose) };
}

/** Several sentences the domain composes through a Wording, one item each. */
function wordedList(compose: (w: Wording) => string[]): Rich[] {
  const text = compose(plainWording(MATRIX_PREFIX)).map(clean);
  const markup = htmlListFromWording(MATRIX_PREFIX, clean, compose);
  return text.map((line, i) => ({ text: line, html: markup[i] ?? html`` }));
}

/** A message of lines; in the HTML a list (an array) is a `<ul>`, a block of its own that needs no `<br>`. */
function message(...pieces: (Rich | Rich[])[]): MatrixMessage {
  const text: string[] = [];
  const markup: Html[] = [];
  let afterBlock = true;
  for (const piece of pieces) {
    if (Array.isArray(piece)) {
      if (piece.length === 0) continue;
      text.push(...piece.map((item) => `  ${item.text}`));
      markup.push(html`<ul>${joinHtml(piece.map((item) => html`<li>${item.html}</li>`))}</ul>`);
      afterBlock = true;
    } else {
      text.push(piece.text);
      markup.push(afterBlock ? piece.html : html`<br>${piece.html}`);
      afterBlock = false;
    }
  }
  return { text: text.join("\n"), html: joinHtml(markup) };
}

/** A message from plain text (line breaks kept), with an optional bold title above it. */
export function matrixMessage(text: string, title?: string): MatrixMessage {
  return message(...(title === undefined ? [] : [bold(said(title))]), lines(text));
}

/** "1. title - proposer" items, numbered from `first` (a page keeps each topic's number). */
function agendaItems(topics: Topic[], first = 1): Rich[] {
  return topics.map((t, i) => said(`${first + i}. ${agendaLine(t.title, t.proposerName)}`));
}

/** "Topics 1–25 of 300. 275 more: !cabal cabal topic list 2", when a list goes on past what is shown. */
function moreLine(page: Page, shown: number, what: string, command: string): Rich[] {
  return describeMore(page, shown, what, command, plainWording(MATRIX_PREFIX))
    ? [worded((w) => describeMore(page, shown, what, command, w) ?? "")]
    : [];
}

function agendaOrHint(topics: Topic[], first = 1): Rich | Rich[] {
  return topics.length
    ? agendaItems(topics, first)
    : concat(
        said("No topics proposed yet: "),
        worded((w) => w.command("topic add <title>")),
      );
}

function times(meeting: Meeting, occurrence: Occurrence, displayZones: string[], yourZone?: string): Rich {
  return lines(meetingTimeText(meeting, occurrence, displayZones, yourZone).replace(/^ {2}/gm, ""));
}

function renderEnded(ended: MeetingEnded): MatrixMessage {
  const [first = "", ...rest] = renderEndedText(ended, MATRIX_PREFIX).split("\n");
  return message(bold(said(first)), ...rest.map(said));
}

/**
 * The reply to a `!cabal` command. `yourZone`: the asker's chosen zone (Matrix profiles carry none), shown as
 * "Your time" next to the display zones.
 */
export function renderMatrixOutcome(outcome: CommandOutcome, displayZones: string[], yourZone?: string): MatrixMessage {
  switch (outcome.kind) {
    case "added":
      return message(
        concat(
          said(`Added topic ${outcome.position} to `),
          bold(said(outcome.meeting.title)),
          said(` on ${outcome.occurrence.date}: ${outcome.topic.title}`),
        ),
      );
    case "removed":
      return message(
        concat(
          said(`Removed topic ${outcome.position} from `),
          bold(said(outcome.meeting.title)),
          said(` on ${outcome.occurrence.date}: ${outcome.topic.title}`),
        ),
      );
    case "agenda":
      return message(
        bold(said(`Agenda of ${outcome.meeting.title}`)),
        times(outcome.meeting, outcome.occurrence, displayZones, yourZone),
        agendaOrHint(outcome.topics, outcome.page.offset + 1),
        ...moreLine(outcome.page, outcome.topics.length, "Topics", `${outcome.meeting.id} topic list`),
      );
    case "rejected":
      return message(worded((w) => describeRefusal(outcome.reason, w)));
    case "notes-announced":
      return message(
        said(
          `Announced the notes of ${outcome.meeting.title} of ${outcome.occurrence.date} in ${outcome.meeting.rooms.map((room) => room.room).join(" and ")}: ${outcome.url}${
            outcome.summarized ? "" : " (summary unavailable)"
          }${outcome.importedTopics ? `; ${outcome.importedTopics} proposed topic(s) imported` : ""}`,
        ),
      );
    case "zone-set":
    case "zone-cleared":
    case "zone-shown":
      return message(worded((w) => describeUserZone(outcome, w)));
    case "subscribed":
    case "unsubscribed":
    case "subscriptions":
      return message(worded((w) => describeSubscriptions(outcome, w)));
    case "upcoming":
      if (outcome.upcoming.length === 0) return message(said("No meeting is on the schedule."));
      return message(
        ...outcome.upcoming.flatMap((u) => [
          bold(said(u.meeting.title)),
          times(u.meeting, u.occurrence, displayZones, yourZone),
          ...(u.calendarUrl ? [said(`Add to calendar: ${u.calendarUrl}`)] : []),
        ]),
        ...moreLine(outcome.page, outcome.upcoming.length, "Meetings", "next"),
      );
    case "ended":
      return renderEnded(outcome);
    case "help": {
      const { problem } = outcome;
      return message(
        ...(problem ? [worded((w) => describeUsageProblem(problem, w))] : []),
        bold(said("Usage:")),
        wordedList((w) => usageLines(outcome.meetings, outcome.running, w)),
      );
    }
  }
}

/** One sentence of the bot's own, e.g. that something failed. */
export function renderMatrixSentence(sentence: string): MatrixMessage {
  return message(said(sentence));
}

/** The answer to a question (in a DM, or addressed to the bot in a room). */
export function renderMatrixAnswer(answer: Answer): MatrixMessage {
  if (answer.kind === "not-understood") return message(worded((w) => questionHelp(w)));
  if (answer.kind === "ended") return renderEnded(answer);
  return message(lines(renderAnswerText(answer, MATRIX_PREFIX)));
}

/** A Matrix user id as the spec writes them (`@localpart:server`); anything else is never made a pill. */
const MATRIX_USER_ID = /^@[a-z0-9._=\-/+]+:[a-z0-9.-]+(:\d{1,5})?$/i;

/** "Proposers: pill, pill": a link per proposer known by their Matrix id, which clients show as a mention. */
function proposerPills(mentions: readonly ChatUser[] | undefined): { piece: Rich; ids: string[] } | undefined {
  const ids = (mentions ?? []).filter((u) => u.chat === "matrix" && MATRIX_USER_ID.test(u.id)).map((u) => u.id);
  if (ids.length === 0) return undefined;
  const pills = ids.map((id) => html`<a href="https://matrix.to/#/${id}">${id}</a>`);
  return {
    piece: { text: `Proposers: ${ids.join(", ")}`, html: html`Proposers: ${joinHtml(pills, html`, `)}` },
    ids,
  };
}

export function renderMatrixReminder(view: ReminderView): MatrixMessage {
  // A reminder shows the agenda's first page; the rest is a command away (a Matrix event holds at most 64 KiB).
  const shown = view.topics.slice(0, AGENDA_PAGE_SIZE);
  const lead = view.late ? "starts soon (this reminder is late)" : `starts in ${describeDuration(view.leadMs)}`;
  const { meeting } = view;
  const proposers = proposerPills(view.mentions);
  const rendered = message(
    bold(said(`Reminder: ${meeting.title} ${lead}.`)),
    times(meeting, view.occurrence, view.displayZones),
    ...(view.drift?.length ? [said(`Heads-up: ${view.drift.map(describeDrift).join("; ")}.`)] : []),
    ...(meeting.joinUrl ? [said(`Join: ${meeting.joinUrl}`)] : []),
    ...(meeting.agendaUrl ? [said(`Live notes: ${meeting.agendaUrl}`)] : []),
    ...(view.calendarUrl ? [said(`Add to calendar: ${view.calendarUrl}`)] : []),
    ...(view.topics.length ? [said("Agenda proposed so far:"), agendaItems(shown)] : [said("No topics proposed yet.")]),
    ...(shown.length < view.topics.length
      ? [
          worded(
            (w) =>
              describeRest(
                shown.length,
                view.topics.length,
                AGENDA_PAGE_SIZE,
                "Topics",
                `${meeting.id} topic list`,
                w,
              ) ?? "",
          ),
        ]
      : []),
    ...(proposers ? [proposers.piece] : []),
    concat(
      said("Propose a topic: "),
      worded((w) => w.command("topic add <title>")),
    ),
  );
  return proposers ? { ...rendered, mentions: proposers.ids } : rendered;
}

/** A direct message to a subscriber or proposer: an occurrence was cancelled, moved or added. */
export function renderMatrixScheduleChange(notice: ScheduleChangeNotice): MatrixMessage {
  return message(
    worded((w) => describeScheduleChange(notice, w)),
    ...(notice.yourTopics.length ? [notice.yourTopics.map(said)] : []),
  );
}

export function renderMatrixNotes(view: NotesAnnouncementView): MatrixMessage {
  const heading = bold(said(`Notes of ${view.meeting.title} of ${view.occurrence.date}`));
  const { summary } = view;
  if (!summary) return message(heading, said(view.url), said("Summary unavailable."));
  // The notes' first topics; the page itself has the rest.
  const topics = summary.topics
    .slice(0, MAX_NOTES_TOPICS)
    .map((t, i) =>
      said(
        `${i + 1}. ${t.title}${t.owners.length ? ` - ${t.owners.join(", ")}` : ""}${t.recordingAt ? ` (${t.recordingAt})` : ""}`,
      ),
    );
  const imported = summary.importedTopics ? ` (${summary.importedTopics} proposed topics added to its agenda)` : "";
  const unshown = summary.topics.length - topics.length;
  return message(
    heading,
    said(view.url),
    ...(topics.length ? [topics] : []),
    ...(unshown > 0 ? [said(`…and ${unshown} more in the notes.`)] : []),
    ...(summary.recordingUrl ? [said(`Recording: ${summary.recordingUrl}`)] : []),
    ...summary.corrections.slice(0, MAX_CORRECTIONS).map(said),
    ...(summary.next
      ? [said(`Next: ${renderMeetingHeadline(summary.next.start, view.meeting.timezone)}${imported}`)]
      : []),
  );
}

/** A DM to a proposer whose topics moved to another date. */
export function renderMatrixRollover(notice: RolloverNotice): MatrixMessage {
  const why = whyTopicsMoved(notice.reason);
  const shown = notice.titles.slice(0, MAX_NOTES_TOPICS);
  const unshown = notice.titles.length - shown.length;
  return message(
    said(`${notice.meeting.title} of ${notice.fromDate} ${why}; your topics moved to ${notice.to.date}:`),
    shown.map(said),
    ...(unshown > 0 ? [said(`…and ${unshown} more.`)] : []),
  );
}
