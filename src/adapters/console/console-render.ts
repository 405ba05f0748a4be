// Plain-text rendering for the console chat: what the Slack renderer shows, without markup.

import type { MeetingEnded } from "../../app/meeting-status.js";
import type { Topic } from "../../app/ports.js";
import type { CommandOutcome } from "../../app/run-command.js";
import type { Answer } from "../../app/upcoming-meetings.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../app/views.js";
import { agendaLine, whyTopicsMoved } from "../../domain/agenda.js";
import { describeUsageProblem } from "../../domain/command.js";
import { describeDuration } from "../../domain/duration.js";
import { questionHelp, usageLines } from "../../domain/help.js";
import { formatLongDate } from "../../domain/local-date.js";
import type { Meeting, Occurrence } from "../../domain/meeting.js";
import { describeMore } from "../../domain/paging.js";
import { describeRefusal } from "../../domain/refusal.js";
import { describeScheduleChange } from "../../domain/schedule-changes.js";
import { describeSubscriptions } from "../../domain/subscription-text.js";
import { renderMeetingHeadline, renderZoneTime, zoneTimes } from "../../domain/time-render.js";
import { describeUserZone } from "../../domain/user-zone-text.js";
import { plainWording } from "../../domain/wording.js";
import {
  clockAtPlace,
  clockInZone,
  dayAndClockAtPlace,
  placeOfZone,
  todayMeetingStatus,
} from "../../domain/zone-clock.js";
import { describeDrift, type ZoneDrift } from "../../domain/zone-drift.js";

/**
 * The console writes plain sentences with `/cabal` commands, as typed at its prompt. The same plain text serves
 * chats that take their commands with another prefix (Matrix's `!cabal`): the prefix is a parameter.
 */
export const CONSOLE_PREFIX = "/cabal";

/**
 * Text a terminal shows as text: every control character but newline and tab (ESC starts colour, cursor
 * and hyperlink sequences; CR overwrites the line), C1 controls, bidi overrides and lone surrogates become
 * U+FFFD. Applied to everything this renderer returns, so no user or config text reaches the terminal raw.
 */
export function terminalText(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\p{Cs}]/gu, "\uFFFD");
}

/** The meeting's own time, the display zones, and the console user's own time ("your time", as Slack shows it). */
export function meetingTimeText(
  meeting: Meeting,
  occurrence: Occurrence,
  displayZones: string[],
  yourZone?: string,
): string {
  const elsewhere = zoneTimes(occurrence.start, meeting.timezone, displayZones).slice(1).map(renderZoneTime);
  return [
    renderMeetingHeadline(occurrence.start, meeting.timezone),
    ...(elsewhere.length ? [`  ${elsewhere.join(" · ")}`] : []),
    ...(yourZone ? [`  Your time: ${dayAndClockAtPlace(occurrence.start, yourZone)}`] : []),
  ].join("\n");
}

export function renderEndedText(ended: MeetingEnded, prefix = CONSOLE_PREFIX): string {
  return terminalText(endedText(ended, prefix));
}

function endedText(ended: MeetingEnded, prefix: string): string {
  const last = ended.lastOccurrence
    ? `the last one was on ${formatLongDate(ended.lastOccurrence.date)}.`
    : "it has no dates on the schedule.";
  const lines = [`${ended.meeting.title} has ended: ${last}`];
  if (ended.note) lines.push(ended.note);
  const successor = ended.replacedBy;
  if (successor) {
    const next = successor.next
      ? ` The next one is on ${renderMeetingHeadline(successor.next.start, successor.meeting.timezone)}.`
      : "";
    lines.push(
      `It was replaced by ${successor.meeting.title} (${successor.meeting.id}): ${prefix} ${successor.meeting.id} next.${next}`,
    );
  }
  return lines.join("\n");
}

/** Numbered from `first`: a page of a long agenda keeps each topic's number. */
export function agendaText(topics: Topic[], prefix = CONSOLE_PREFIX, first = 1): string {
  return topics.length
    ? topics.map((t, i) => `  ${first + i}. ${agendaLine(t.title, t.proposerName)}`).join("\n")
    : `  (no topics proposed yet: ${prefix} topic add <title>)`;
}

function moreText(more: string | undefined): string {
  return more ? `\n${more}` : "";
}

export function renderOutcomeText(
  outcome: CommandOutcome,
  displayZones: string[],
  yourZone?: string,
  prefix = CONSOLE_PREFIX,
): string {
  return terminalText(outcomeText(outcome, displayZones, yourZone, prefix));
}

function outcomeText(
  outcome: CommandOutcome,
  displayZones: string[],
  yourZone: string | undefined,
  prefix: string,
): string {
  const wording = plainWording(prefix);
  switch (outcome.kind) {
    case "added":
      return `Added topic ${outcome.position} to ${outcome.meeting.title} on ${outcome.occurrence.date}: ${outcome.topic.title}`;
    case "removed":
      return `Removed topic ${outcome.position} from ${outcome.meeting.title} on ${outcome.occurrence.date}: ${outcome.topic.title}`;
    case "agenda": {
      const { page, topics, meeting } = outcome;
      const more = describeMore(page, topics.length, "Topics", `${meeting.id} topic list`, wording);
      return `Agenda of ${meeting.title}, ${meetingTimeText(meeting, outcome.occurrence, displayZones, yourZone)}\n${agendaText(topics, prefix, page.offset + 1)}${more ? `\n${more}` : ""}`;
    }
    case "rejected":
      return `! ${describeRefusal(outcome.reason, wording)}`;
    case "notes-announced":
      return `Announced the notes of ${outcome.meeting.title} of ${outcome.occurrence.date} in ${outcome.meeting.rooms.map((room) => room.room).join(" and ")}: ${outcome.url}${
        outcome.summarized ? "" : " (summary unavailable)"
      }${outcome.importedTopics ? `; ${outcome.importedTopics} proposed topic(s) imported` : ""}`;
    case "zone-set":
    case "zone-cleared":
    case "zone-shown":
      return describeUserZone(outcome, wording);
    case "subscribed":
    case "unsubscribed":
    case "subscriptions":
      return describeSubscriptions(outcome, wording);
    case "upcoming":
      return outcome.upcoming.length
        ? outcome.upcoming
            .map(
              (u) =>
                `${u.meeting.title}: ${meetingTimeText(u.meeting, u.occurrence, displayZones, yourZone)}${u.drift?.length ? `\n  ${driftSentence(u.drift)}.` : ""}${u.calendarUrl ? `\n  Add to calendar: ${u.calendarUrl}` : ""}`,
            )
            .join("\n") + moreText(describeMore(outcome.page, outcome.upcoming.length, "Meetings", "next", wording))
        : "No meeting is on the schedule.";
    case "ended":
      return endedText(outcome, prefix);
    case "help":
      return [
        ...(outcome.problem ? [`! ${describeUsageProblem(outcome.problem, wording)}`] : []),
        "Usage:",
        ...usageLines(outcome.meetings, outcome.running, wording).map((l) => `  ${l}`),
      ].join("\n");
  }
}

/** "Fri, Nov 27, 01:00 Tokyo time (UTC+9)" in the zone asked for or the asker's, unless it is the meeting's own. */
function viewerText(instant: Date, meeting: Meeting, zones: { askerZone?: string; askedZone?: string }): string {
  const zone = zones.askedZone ?? zones.askerZone;
  if (!zone || zone === meeting.timezone) return "";
  return ` — ${dayAndClockAtPlace(instant, zone)}${zones.askedZone ? "" : " for you"}`;
}

export function renderAnswerText(answer: Answer, prefix = CONSOLE_PREFIX): string {
  return terminalText(answerText(answer, prefix));
}

function answerText(answer: Answer, prefix: string): string {
  switch (answer.kind) {
    case "not-understood":
      return questionHelp(plainWording(prefix));
    case "no-upcoming":
      return "No meeting is on the schedule.";
    case "ended":
      return endedText(answer, prefix);
    case "on-now": {
      const { meeting, occurrence } = answer.upcoming;
      const zone = answer.askedZone ?? answer.askerZone;
      const theirs =
        zone && zone !== meeting.timezone
          ? ` (${clockAtPlace(occurrence.start, zone)} until ${clockAtPlace(answer.end, zone)}${answer.askedZone ? "" : " for you"})`
          : "";
      return `The ${meeting.title} is on now, since ${clockInZone(occurrence.start, meeting.timezone)}, until ${clockInZone(answer.end, meeting.timezone)}${theirs}.${meeting.joinUrl ? `\nJoin: ${meeting.joinUrl}` : ""}`;
    }
    case "today": {
      const zone = answer.askedZone ?? answer.askerZone;
      const day = `${formatLongDate(answer.date)}${zone ? `, ${placeOfZone(answer.zone)} time` : ""}`;
      if (answer.items.length === 0) {
        const who = answer.meetingTitle ? `the ${answer.meetingTitle} does not meet` : "there is no meeting";
        const next = answer.next
          ? ` The next is the ${answer.next.meeting.title} on ${renderMeetingHeadline(answer.next.occurrence.start, answer.next.meeting.timezone)}${viewerText(answer.next.occurrence.start, answer.next.meeting, answer)}.`
          : "";
        return `No, ${who} today (${day}).${next}`;
      }
      const lines = answer.items.map(({ meeting, occurrence, state }) => {
        const what = todayMeetingStatus(state, occurrence.start, meeting.timezone, zone);
        return `  ${meeting.title} ${what}`;
      });
      return [`Yes, today (${day}):`, ...lines].join("\n");
    }
    case "schedule":
      return [
        ...(answer.upcoming.length ? [] : ["No meeting is on the schedule."]),
        ...answer.upcoming.map(
          ({ meeting, occurrence }) =>
            `${meeting.title}: ${renderMeetingHeadline(occurrence.start, meeting.timezone)}${viewerText(occurrence.start, meeting, answer)}`,
        ),
        ...answer.ended.map(
          (ended) =>
            `${ended.meeting.title} has ended${ended.lastOccurrence ? ` (last on ${ended.lastOccurrence.date})` : ""}${ended.replacedBy ? `; replaced by ${ended.replacedBy.meeting.title}` : ""}.`,
        ),
      ].join("\n");
    case "next-meeting": {
      const { meeting, occurrence } = answer.upcoming;
      const drift = answer.upcoming.drift;
      return `The next ${meeting.title} is ${renderMeetingHeadline(occurrence.start, meeting.timezone)}${viewerText(occurrence.start, meeting, answer)}.${drift?.length ? ` ${driftSentence(drift)}.` : ""}`;
    }
  }
}

export function renderReminderText(view: ReminderView, yourZone?: string, room = view.meeting.rooms[0]): string {
  return terminalText(reminderText(view, yourZone, room?.room ?? ""));
}

function reminderText(view: ReminderView, yourZone: string | undefined, room: string): string {
  const lead = view.late ? "starts soon (this reminder is late)" : `starts in ${describeDuration(view.leadMs)}`;
  return [
    `[reminder → ${room}] ${view.meeting.title} ${lead}.`,
    meetingTimeText(view.meeting, view.occurrence, view.displayZones, yourZone),
    ...(view.drift?.length ? [`${driftSentence(view.drift)}.`] : []),
    ...(view.meeting.joinUrl ? [`Join: ${view.meeting.joinUrl}`] : []),
    ...(view.meeting.agendaUrl ? [`Live notes: ${view.meeting.agendaUrl}`] : []),
    ...(view.calendarUrl ? [`Add to calendar: ${view.calendarUrl}`] : []),
    "Agenda proposed so far:",
    agendaText(view.topics),
    ...(view.mentions?.length ? [`Proposers: ${view.mentions.map((u) => `@${u.id}`).join(", ")}`] : []),
  ].join("\n");
}

/** A subscriber's or proposer's direct message about a cancelled, moved or added occurrence. */
export function renderScheduleChangeText(userId: string, notice: ScheduleChangeNotice): string {
  const sentence = describeScheduleChange(notice, plainWording(CONSOLE_PREFIX));
  return terminalText(`[to ${userId}] ${sentence}${notice.yourTopics.map((t) => `\n  - ${t}`).join("")}`);
}

/** "Heads-up: 1 hour earlier than last time in Berlin; …". */
function driftSentence(drift: ZoneDrift[]): string {
  return `Heads-up: ${drift.map(describeDrift).join("; ")}`;
}

export function renderNotesText(view: NotesAnnouncementView, room = view.meeting.rooms[0]): string {
  return terminalText(notesText(view, room?.room ?? ""));
}

function notesText(view: NotesAnnouncementView, room: string): string {
  const lines = [`[notes → ${room}] Notes of ${view.meeting.title} of ${view.occurrence.date}: ${view.url}`];
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
  return terminalText(rolloverText(userId, notice));
}

function rolloverText(userId: string, notice: RolloverNotice): string {
  const why = whyTopicsMoved(notice.reason);
  return `[to ${userId}] ${notice.meeting.title} of ${notice.fromDate} ${why}; your topics moved to ${notice.to.date}: ${notice.titles.join("; ")}`;
}
