// Plain-text rendering for the console chat: what the Slack renderer shows, without markup.

import type { Topic } from "../../app/ports.js";
import type { CommandOutcome } from "../../app/run-command.js";
import type { Answer } from "../../app/upcoming-meetings.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice } from "../../app/views.js";
import { agendaLine } from "../../domain/agenda.js";
import { describeDuration } from "../../domain/duration.js";
import { QUESTION_HELP, usageLines } from "../../domain/help.js";
import type { Meeting, Occurrence } from "../../domain/meeting.js";
import { renderMeetingHeadline, renderZoneTime, zoneTimes } from "../../domain/time-render.js";

/** Backticks and underscores are Slack markup; the console shows the words. */
function unmark(text: string): string {
  return text.replace(/[`_*]/g, "");
}

export function meetingTimeText(meeting: Meeting, occurrence: Occurrence, displayZones: string[]): string {
  const elsewhere = zoneTimes(occurrence.start, meeting.timezone, displayZones).slice(1).map(renderZoneTime);
  return [
    renderMeetingHeadline(occurrence.start, meeting.timezone),
    ...(elsewhere.length ? [`  ${elsewhere.join(" · ")}`] : []),
  ].join("\n");
}

function agendaText(topics: Topic[]): string {
  return topics.length
    ? topics.map((t, i) => `  ${i + 1}. ${agendaLine(t.title, t.proposerName)}`).join("\n")
    : "  (no topics proposed yet: /cabal topic add <title>)";
}

export function renderOutcomeText(outcome: CommandOutcome, displayZones: string[]): string {
  switch (outcome.kind) {
    case "added":
      return `Added topic ${outcome.position} to ${outcome.meeting.title} on ${outcome.occurrence.date}: ${outcome.topic.title}`;
    case "removed":
      return `Removed topic ${outcome.position} from ${outcome.meeting.title} on ${outcome.occurrence.date}: ${outcome.topic.title}`;
    case "agenda":
      return `Agenda of ${outcome.meeting.title}, ${meetingTimeText(outcome.meeting, outcome.occurrence, displayZones)}\n${agendaText(outcome.topics)}`;
    case "rejected":
      return `! ${unmark(outcome.message)}`;
    case "notes-announced":
      return `Announced the notes of ${outcome.meeting.title} of ${outcome.occurrence.date} in ${outcome.meeting.channel}: ${outcome.url}${
        outcome.summarized ? "" : " (summary unavailable)"
      }${outcome.importedTopics ? `; ${outcome.importedTopics} proposed topic(s) imported` : ""}`;
    case "upcoming":
      return outcome.upcoming.length
        ? outcome.upcoming
            .map((u) => `${u.meeting.title}: ${meetingTimeText(u.meeting, u.occurrence, displayZones)}`)
            .join("\n")
        : "No meeting is on the schedule.";
    case "help":
      return [
        ...(outcome.problem ? [`! ${unmark(outcome.problem)}`] : []),
        "Usage:",
        ...usageLines(outcome.meetings).map((l) => `  ${unmark(l)}`),
      ].join("\n");
  }
}

export function renderAnswerText(answer: Answer): string {
  if (answer.kind === "not-understood") return unmark(QUESTION_HELP);
  if (answer.kind === "no-upcoming")
    return `${answer.meetingTitle ?? "No meeting"} has no upcoming meeting on the schedule.`;
  const { meeting, occurrence } = answer.upcoming;
  const yours = answer.askerZone ? zoneTimes(occurrence.start, meeting.timezone, [answer.askerZone]).at(-1) : undefined;
  const own = renderMeetingHeadline(occurrence.start, meeting.timezone);
  return `The next ${meeting.title} is ${own}${yours && answer.askerZone !== meeting.timezone ? ` — ${renderZoneTime(yours)} for you (${yours.abbreviation})` : ""}.`;
}

export function renderReminderText(view: ReminderView): string {
  const lead = view.late ? "starts soon (this reminder is late)" : `starts in ${describeDuration(view.leadMs)}`;
  return [
    `[reminder → ${view.meeting.channel}] ${view.meeting.title} ${lead}.`,
    meetingTimeText(view.meeting, view.occurrence, view.displayZones),
    ...(view.meeting.joinUrl ? [`Join: ${view.meeting.joinUrl}`] : []),
    ...(view.meeting.agendaUrl ? [`Live notes: ${view.meeting.agendaUrl}`] : []),
    "Agenda proposed so far:",
    agendaText(view.topics),
  ].join("\n");
}

export function renderNotesText(view: NotesAnnouncementView): string {
  const lines = [
    `[notes → ${view.meeting.channel}] Notes of ${view.meeting.title} of ${view.occurrence.date}: ${view.url}`,
  ];
  if (!view.summary) return [...lines, "Summary unavailable."].join("\n");
  view.summary.topics.forEach((t, i) => {
    lines.push(
      `  ${i + 1}. ${t.title}${t.owners.length ? ` - ${t.owners.join(", ")}` : ""}${t.recordingAt ? ` (${t.recordingAt})` : ""}`,
    );
  });
  if (view.summary.recordingUrl) lines.push(`Recording: ${view.summary.recordingUrl}`);
  lines.push(...view.summary.corrections);
  if (view.summary.next) {
    const imported = view.summary.importedTopics
      ? ` (${view.summary.importedTopics} proposed topics added to its agenda)`
      : "";
    lines.push(`Next: ${renderMeetingHeadline(view.summary.next.start, view.meeting.timezone)}${imported}`);
  }
  return lines.join("\n");
}

export function renderRolloverText(userId: string, notice: RolloverNotice): string {
  const why = notice.reason === "cancelled" ? "was cancelled" : "is over";
  return `[to ${userId}] ${notice.meeting.title} of ${notice.fromDate} ${why}; your topics moved to ${notice.to.date}: ${notice.titles.join("; ")}`;
}
