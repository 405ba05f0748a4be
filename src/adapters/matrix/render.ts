// What the bot says on Matrix: a plain `body` and an HTML `formatted_body` made from the same escaped text. The
// wording is the console's plain text with Matrix's `!cabal` prefix, so both chats say the same things.
import type { CommandOutcome } from "../../app/run-command.js";
import type { Answer } from "../../app/upcoming-meetings.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice } from "../../app/views.js";
import { describeDuration } from "../../domain/duration.js";
import { renderMeetingHeadline } from "../../domain/time-render.js";
import {
  agendaText,
  meetingTimeText,
  renderAnswerText,
  renderOutcomeText,
  terminalText,
} from "../console/console-render.js";
import { type Html, html, htmlFromText } from "./html.js";

/** Matrix has no slash commands for bots; `!` is the community's convention. */
export const MATRIX_PREFIX = "!cabal";

export interface MatrixMessage {
  text: string;
  html: Html;
}

/**
 * `@room` in a body makes older clients highlight everyone even with empty intentional mentions; a word joiner
 * after the `@` keeps the text readable and the ping dead. Applied to the whole message: the bot itself never
 * means `@room`, so only text a person wrote can contain it.
 */
export function defuseRoomPing(text: string): string {
  return text.replace(/@(room)\b/gi, "@\u2060$1");
}

/** One message from plain text: the same words in both bodies, the HTML escaped, line breaks kept. */
export function matrixMessage(text: string, title?: string): MatrixMessage {
  const plain = defuseRoomPing(terminalText(text));
  const body = htmlFromText(plain);
  if (!title) return { text: plain, html: body };
  const heading = defuseRoomPing(terminalText(title));
  return { text: `${heading}\n${plain}`, html: html`<b>${heading}</b><br>${body}` };
}

export function renderMatrixOutcome(outcome: CommandOutcome, displayZones: string[], yourZone?: string): MatrixMessage {
  return matrixMessage(renderOutcomeText(outcome, displayZones, yourZone, MATRIX_PREFIX));
}

export function renderMatrixAnswer(answer: Answer): MatrixMessage {
  return matrixMessage(renderAnswerText(answer, MATRIX_PREFIX));
}

export function renderMatrixReminder(view: ReminderView): MatrixMessage {
  const lead = view.late ? "starts soon (this reminder is late)" : `starts in ${describeDuration(view.leadMs)}`;
  const lines = [
    meetingTimeText(view.meeting, view.occurrence, view.displayZones),
    ...(view.meeting.joinUrl ? [`Join: ${view.meeting.joinUrl}`] : []),
    ...(view.meeting.agendaUrl ? [`Live notes: ${view.meeting.agendaUrl}`] : []),
    ...(view.calendarUrl ? [`Add to calendar: ${view.calendarUrl}`] : []),
    "Agenda proposed so far:",
    agendaText(view.topics, MATRIX_PREFIX),
    `Propose a topic: ${MATRIX_PREFIX} topic add <title>`,
  ];
  return matrixMessage(lines.join("\n"), `${view.meeting.title} ${lead}.`);
}

export function renderMatrixNotes(view: NotesAnnouncementView): MatrixMessage {
  const lines = [view.url];
  if (!view.summary) lines.push("Summary unavailable.");
  else {
    view.summary.topics.forEach((t, i) => {
      const owners = t.owners.length ? ` - ${t.owners.join(", ")}` : "";
      lines.push(`${i + 1}. ${t.title}${owners}${t.recordingAt ? ` (${t.recordingAt})` : ""}`);
    });
    if (view.summary.recordingUrl) lines.push(`Recording: ${view.summary.recordingUrl}`);
    lines.push(...view.summary.corrections);
    if (view.summary.next) lines.push(`Next: ${renderMeetingHeadline(view.summary.next.start, view.meeting.timezone)}`);
  }
  return matrixMessage(lines.join("\n"), `Notes of ${view.meeting.title} of ${view.occurrence.date}`);
}

export function renderMatrixRollover(notice: RolloverNotice): MatrixMessage {
  const why = notice.reason === "cancelled" ? "was cancelled" : "is over";
  return matrixMessage(
    `${notice.meeting.title} of ${notice.fromDate} ${why}; your topics moved to ${notice.to.date}:\n${notice.titles.map((t) => `- ${t}`).join("\n")}`,
  );
}
