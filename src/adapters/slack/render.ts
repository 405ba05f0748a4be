// Domain results → Block Kit plus a plain `text` fallback (for notifications and screen readers).
// Every user-supplied string goes through `esc`; our own markup never does.
import type { types } from "@slack/bolt";
import type { Agenda, TopicAdded, TopicRemoved } from "../../app/agenda.js";
import type { MeetingEnded } from "../../app/meeting-status.js";
import type { ChatUser, Topic } from "../../app/ports.js";
import type { Answer } from "../../app/upcoming-meetings.js";
import type {
  NotesAnnouncementView,
  ReminderView,
  RolloverNotice,
  ScheduleChangeNotice,
  UpcomingMeeting,
} from "../../app/views.js";
import { agendaLine, whyTopicsMoved } from "../../domain/agenda.js";
import { BoundedMemo } from "../../domain/bounded-memo.js";
import { describeDuration } from "../../domain/duration.js";
import { questionHelp } from "../../domain/help.js";
import { formatLongDate, formatShortDate } from "../../domain/local-date.js";
import type { Meeting, Occurrence } from "../../domain/meeting.js";
import { AGENDA_PAGE_SIZE, describeMore, describeRest, type Page } from "../../domain/paging.js";
import { describeRefusal, type Refusal } from "../../domain/refusal.js";
import { describeScheduleChange } from "../../domain/schedule-changes.js";
import { renderMeetingHeadline, renderZoneTime, zoneTimes } from "../../domain/time-render.js";
import {
  clockAtPlace,
  clockInZone,
  dayAndClockAtPlace,
  placeOfZone,
  todayMeetingStatus,
} from "../../domain/zone-clock.js";
import { describeDrift, type ZoneDrift } from "../../domain/zone-drift.js";
import { escapeSlackText as esc, slackDateToken, slackLink, slackWording, truncate } from "./text.js";

type KnownBlock = types.KnownBlock;

export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const SECTION_LIMIT = 3000;
/** A reminder lists at most this many topics (fewer when they would not fit 50 blocks); the rest by command. */
const REMINDER_TOPICS = 50;
const TEXT_LIMIT = 4000;

function section(markdown: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(markdown, SECTION_LIMIT), verbatim: true } };
}

function context(markdown: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(markdown, SECTION_LIMIT), verbatim: true }] };
}

/**
 * Every message goes through here: the fallback is cut at whole lines and the blocks at Slack's 50. `tail` (the
 * line saying how many more a long list has) ends the fallback whatever is cut before it.
 */
function message(text: string, blocks: KnownBlock[], tail?: string): SlackMessage {
  const fitted = tail
    ? `${fitText(text.split("\n"), TEXT_LIMIT - tail.length - 1)}\n${tail}`
    : fitText(text.split("\n"), TEXT_LIMIT);
  return { text: fitted, blocks: blocks.slice(0, 50) };
}

/** `Tue, Dec 1, 2026`: an occurrence's local date. */
function shortDate(occurrence: Occurrence): string {
  return formatShortDate(occurrence.date);
}

/** Time lines already rendered, per start, meeting zone and display zones (the same few on every reply). */
const renderedTimeLines = new BoundedMemo<string, readonly string[]>(4_096);

/** The meeting's time in its own zone, the reader's own time (date token), and every display zone. */
export function meetingTimeLines(meeting: Meeting, occurrence: Occurrence, displayZones: string[]): string[] {
  const key = `${occurrence.start.getTime()}\n${meeting.timezone}\n${displayZones.join("\n")}`;
  return [...renderedTimeLines.get(key, () => renderTimeLines(meeting, occurrence, displayZones))];
}

function renderTimeLines(meeting: Meeting, occurrence: Occurrence, displayZones: string[]): string[] {
  const headline = renderMeetingHeadline(occurrence.start, meeting.timezone);
  const elsewhere = zoneTimes(occurrence.start, meeting.timezone, displayZones)
    .slice(1)
    .map(renderZoneTime)
    .join(" · ");
  return [headline, `Your time: ${slackDateToken(occurrence.start, headline)}`, ...(elsewhere ? [elsewhere] : [])];
}

/** Numbered from `first`: a page of a long agenda keeps each topic's number. */
function agendaLines(topics: Topic[], first = 1): string[] {
  return topics.map((topic, index) => `${first + index}. ${esc(agendaLine(topic.title, topic.proposerName))}`);
}

/** A heading and the numbered agenda as section blocks: a long agenda spans several blocks, nothing is cut. */
function agendaSections(heading: string, topics: Topic[], first = 1): KnownBlock[] {
  return agendaSectionsWithin(heading, topics, Number.POSITIVE_INFINITY, first).blocks;
}

/** As agendaSections, stopping before a topic that would need more than `maxBlocks` sections; `shown` topics fit. */
function agendaSectionsWithin(
  heading: string,
  topics: Topic[],
  maxBlocks: number,
  first = 1,
): { blocks: KnownBlock[]; shown: number } {
  const chunks: string[] = [heading];
  let shown = 0;
  for (const line of agendaLines(topics, first)) {
    const last = chunks.length - 1;
    if ((chunks[last] as string).length + 1 + line.length <= SECTION_LIMIT) chunks[last] = `${chunks[last]}\n${line}`;
    else if (chunks.length < maxBlocks) chunks.push(line);
    else break;
    shown++;
  }
  return { blocks: chunks.map(section), shown };
}

export function renderTopicAdded(result: TopicAdded): SlackMessage {
  const where = `${esc(result.meeting.title)} on ${shortDate(result.occurrence)}`;
  const text = `Added topic ${result.position} to ${where}: ${esc(result.topic.title)}`;
  return message(text, [
    section(
      `:white_check_mark: Added to the agenda of *${where}* as topic ${result.position}:\n>${esc(result.topic.title)}`,
    ),
    context(esc("See the whole agenda with `/cabal topic list`; remove yours with `/cabal topic remove <n>`.")),
  ]);
}

/**
 * The last reply rendered from the same parts, per first part. Views are never changed once built, and the store
 * and the calendar hand out the same objects while nothing changed (an agenda page, the upcoming list), so the
 * same parts give the same reply: a repeated `topic list` or `next` is not rendered again. The reply is shared:
 * callers copy it, never change it.
 */
const lastRendered = new WeakMap<object, { parts: readonly unknown[]; message: SlackMessage }>();

function renderedOnce(parts: readonly [object, ...unknown[]], render: () => SlackMessage): SlackMessage {
  const last = lastRendered.get(parts[0]);
  if (last && last.parts.length === parts.length && last.parts.every((part, i) => part === parts[i])) {
    return last.message;
  }
  const message = render();
  lastRendered.set(parts[0], { parts, message });
  return message;
}

export function renderAgenda(agenda: Agenda, displayZones: string[]): SlackMessage {
  const { page, topics, meeting, occurrence } = agenda;
  return renderedOnce([topics, meeting, occurrence, page.number, page.total, displayZones], () =>
    renderAgendaNow(agenda, displayZones),
  );
}

function renderAgendaNow(agenda: Agenda, displayZones: string[]): SlackMessage {
  const { page, topics } = agenda;
  const title = `${esc(agenda.meeting.title)} — ${shortDate(agenda.occurrence)}`;
  const none = esc("No topics proposed yet. Add one with `/cabal topic add <title>`.");
  const first = page.offset + 1;
  const more = describeMore(page, topics.length, "Topics", `${agenda.meeting.id} topic list`, slackWording);
  const body = topics.length ? agendaLines(topics, first).join("\n") : none;
  // The fallback names what the blocks leave for later pages too.
  return message(
    `Agenda of ${title}:\n${body}`,
    [
      section(`*Agenda of ${title}*\n${meetingTimeLines(agenda.meeting, agenda.occurrence, displayZones).join("\n")}`),
      ...(topics.length ? agendaSections("*Topics*", topics, first) : [section(none)]),
      ...(more ? [context(more)] : []),
    ],
    more,
  );
}

export function renderTopicRemoved(result: TopicRemoved): SlackMessage {
  const text = `Removed topic ${result.position} from ${esc(result.meeting.title)} on ${shortDate(result.occurrence)}: ${esc(result.topic.title)}`;
  return message(text, [section(`:wastebasket: ${text}`)]);
}

/**
 * A refusal. Its text is plain (backticks mark commands) and is escaped here, whatever a use case put in it:
 * neither a typed word nor the bot's own `<title>` can become a mention, a link or a broadcast.
 */
export function renderRejected(plainText: string): SlackMessage {
  const text = esc(plainText);
  return message(text, [section(`:warning: ${text}`)]);
}

/** A refusal from a use case, worded for Slack: user text in it is escaped and quoted by the wording. */
export function renderRefusal(refusal: Refusal): SlackMessage {
  const text = describeRefusal(refusal, slackWording);
  return message(text, [section(`:warning: ${text}`)]);
}

export function renderUpcoming(upcoming: UpcomingMeeting[], displayZones: string[], page?: Page): SlackMessage {
  const [first] = upcoming;
  if (!first) return renderRejected("No meeting is on the schedule.");
  return renderedOnce([first, ...upcoming, page?.number, page?.total, displayZones], () =>
    renderUpcomingNow(upcoming, displayZones, page),
  );
}

function renderUpcomingNow(upcoming: UpcomingMeeting[], displayZones: string[], page?: Page): SlackMessage {
  const more = page && describeMore(page, upcoming.length, "Meetings", "next", slackWording);
  const blocks = upcoming.flatMap(({ meeting, occurrence, calendarUrl, drift }) => [
    section(
      `*${esc(meeting.title)}*\n${meetingTimeLines(meeting, occurrence, displayZones).join("\n")}${calendarUrl ? `\n${slackLink(calendarUrl, "Add to calendar")}` : ""}`,
    ),
    ...driftBlocks(drift),
  ]);
  const text = upcoming
    .map(
      ({ meeting, occurrence, drift }) =>
        `${meeting.title}: ${renderMeetingHeadline(occurrence.start, meeting.timezone)}${drift?.length ? ` (${driftSentence(drift)})` : ""}`,
    )
    .join("\n");
  return message(esc(text), more ? [...blocks, context(more)] : blocks, more);
}

/** The line under an answer's time: in the zone asked for, else in the asker's own, else Slack's date token. */
function viewerLine(instant: Date, meeting: Meeting, zones: { askerZone?: string; askedZone?: string }): string {
  if (zones.askedZone) {
    return zones.askedZone === meeting.timezone
      ? `That is the meeting's own time zone (${esc(placeOfZone(zones.askedZone))}).`
      : `That is *${dayAndClockAtPlace(instant, zones.askedZone)}*.`;
  }
  if (zones.askerZone && zones.askerZone !== meeting.timezone) {
    return `That is *${dayAndClockAtPlace(instant, zones.askerZone)}* for you.`;
  }
  if (zones.askerZone) return "That is in your own time zone too.";
  return `Your time: ${slackDateToken(instant, renderMeetingHeadline(instant, meeting.timezone))}`;
}

/** A meeting whose schedule has ended: its last date and, when configured, what replaced it. */
export function renderEnded(ended: MeetingEnded): SlackMessage {
  const title = esc(ended.meeting.title);
  const last = ended.lastOccurrence
    ? `the last one was on ${formatLongDate(ended.lastOccurrence.date)}.`
    : "it has no dates on the schedule.";
  const lines = [`*${title}* has ended: ${last}`];
  if (ended.note) lines.push(esc(ended.note));
  const successor = ended.replacedBy;
  if (successor) {
    const next = successor.next
      ? ` The next one is on ${renderMeetingHeadline(successor.next.start, successor.meeting.timezone)}.`
      : "";
    lines.push(
      `It was replaced by *${esc(successor.meeting.title)}* (\`${successor.meeting.id}\`): \`/cabal ${successor.meeting.id} next\`.${next}`,
    );
  }
  const text = lines.join("\n");
  return message(text.replace(/\*/g, ""), [section(`:checkered_flag: ${text}`)]);
}

/** `helpText` is mrkdwn, already escaped: the question help worded for Slack unless a caller gives its own. */
export function renderAnswer(answer: Answer, helpText: string = questionHelp(slackWording)): SlackMessage {
  switch (answer.kind) {
    case "not-understood":
      return message(helpText, [section(helpText)]);
    case "no-upcoming":
      return renderRejected("No meeting is on the schedule.");
    case "ended":
      return renderEnded(answer);
    case "on-now": {
      const { meeting, occurrence } = answer.upcoming;
      const zone = answer.askedZone ?? answer.askerZone;
      const own = `since ${clockInZone(occurrence.start, meeting.timezone)}, until ${clockInZone(answer.end, meeting.timezone)}`;
      const theirs =
        zone && zone !== meeting.timezone
          ? `\nThat is ${clockAtPlace(occurrence.start, zone)} until ${clockAtPlace(answer.end, zone)}${answer.askedZone ? "" : " for you"}.`
          : "";
      const text = `The *${esc(meeting.title)}* is on now, ${own}.${theirs}`;
      return message(text.replace(/\*/g, ""), [
        section(`:large_green_circle: ${text}`),
        ...(meeting.joinUrl ? [context(`Join: ${meeting.joinUrl}`)] : []),
      ]);
    }
    case "today": {
      const zone = answer.askedZone ?? answer.askerZone;
      const day = `${formatLongDate(answer.date)}${zone ? `, ${esc(placeOfZone(answer.zone))} time` : ""}`;
      if (answer.items.length === 0) {
        const who = answer.meetingTitle ? `the *${esc(answer.meetingTitle)}* does not meet` : "there is no meeting";
        const next = answer.next
          ? `\nThe next is the *${esc(answer.next.meeting.title)}* on ${renderMeetingHeadline(answer.next.occurrence.start, answer.next.meeting.timezone)}.\n${viewerLine(answer.next.occurrence.start, answer.next.meeting, answer)}`
          : "";
        const text = `No, ${who} today (${day}).${next}`;
        return message(text.replace(/\*/g, ""), [section(text)]);
      }
      const lines = answer.items.map(({ meeting, occurrence, state }) => {
        const what = todayMeetingStatus(state, occurrence.start, meeting.timezone, zone);
        return `• *${esc(meeting.title)}* ${what}`;
      });
      const text = `Yes, today (${day}):\n${lines.join("\n")}`;
      return message(text.replace(/\*/g, ""), [section(text)]);
    }
    case "schedule": {
      const blocks = answer.upcoming.map(({ meeting, occurrence }) => {
        const lines = [
          renderMeetingHeadline(occurrence.start, meeting.timezone),
          viewerLine(occurrence.start, meeting, answer),
        ];
        return section(`*${esc(meeting.title)}*\n${lines.join("\n")}`);
      });
      const endedLines = answer.ended.map(
        (ended) =>
          `${esc(ended.meeting.title)} has ended${ended.lastOccurrence ? ` (last on ${formatShortDate(ended.lastOccurrence.date)})` : ""}${ended.replacedBy ? `; replaced by ${esc(ended.replacedBy.meeting.title)}` : ""}.`,
      );
      if (endedLines.length) blocks.push(context(endedLines.join("\n")));
      const text = [
        ...answer.upcoming.map(
          ({ meeting, occurrence }) =>
            `${esc(meeting.title)}: ${renderMeetingHeadline(occurrence.start, meeting.timezone)}`,
        ),
        ...endedLines,
      ];
      if (!answer.upcoming.length) return message(["No meeting is on the schedule.", ...text].join("\n"), blocks);
      return message(text.join("\n"), blocks);
    }
    case "next-meeting": {
      const { meeting, occurrence } = answer.upcoming;
      const own = renderMeetingHeadline(occurrence.start, meeting.timezone);
      const line = viewerLine(occurrence.start, meeting, answer);
      const drift = answer.upcoming.drift;
      const fallback = `The next ${esc(meeting.title)} is ${own}.${line.startsWith("That is") ? ` ${line.replace(/\*/g, "")}` : ""}${drift?.length ? ` ${esc(driftSentence(drift))}.` : ""}`;
      return message(fallback, [
        section(`The next *${esc(meeting.title)}* is on *${own}*.\n${line}`),
        ...driftBlocks(drift),
        ...(meeting.joinUrl ? [context(`Join: ${meeting.joinUrl}`)] : []),
      ]);
    }
  }
}

export function renderReminder(view: ReminderView): SlackMessage {
  const { meeting, occurrence } = view;
  const lead = view.late ? "starts soon (this reminder is late)" : `starts in ${describeDuration(view.leadMs)}`;
  const howToAdd = esc("Propose a topic with `/cabal topic add <title>`.");
  const links = [
    meeting.joinUrl ? slackLink(meeting.joinUrl, "Join the call") : undefined,
    meeting.agendaUrl ? slackLink(meeting.agendaUrl, "Live notes") : undefined,
    view.calendarUrl ? slackLink(view.calendarUrl, "Add to calendar") : undefined,
  ].filter(Boolean);
  const proposers = proposerMentions(view.mentions);
  // The agenda as far as the message's 50 blocks allow (and at most REMINDER_TOPICS topics); a longer one ends
  // with the command for the rest. Blocks around it: the heading, drift, links, proposers, the "more" line, the hint.
  const budget = 50 - 1 - driftBlocks(view.drift).length - (links.length ? 1 : 0) - (proposers ? 1 : 0) - 2;
  const fitted = agendaSectionsWithin("*Agenda proposed so far*", view.topics.slice(0, REMINDER_TOPICS), budget);
  const shown = view.topics.slice(0, fitted.shown);
  const more = describeRest(
    shown.length,
    view.topics.length,
    AGENDA_PAGE_SIZE,
    "Topics",
    `${meeting.id} topic list`,
    slackWording,
  );
  const agenda = view.topics.length
    ? [...fitted.blocks, ...(more ? [context(more)] : [])]
    : [section(`*Agenda*: no topics proposed yet. ${howToAdd}`)];
  const headline = renderMeetingHeadline(occurrence.start, meeting.timezone);
  // The fallback (notifications, screen readers) carries the same facts as the blocks, without markup.
  const fallback = [
    `Reminder: ${esc(meeting.title)} ${lead} — ${headline}`,
    ...(view.drift?.length ? [`${esc(driftSentence(view.drift))}.`] : []),
    ...(meeting.joinUrl ? [`Join: ${meeting.joinUrl}`] : []),
    ...(meeting.agendaUrl ? [`Live notes: ${meeting.agendaUrl}`] : []),
    ...(view.calendarUrl ? [`Add to calendar: ${view.calendarUrl}`] : []),
    view.topics.length
      ? `Agenda proposed so far:\n${agendaLines(shown).join("\n")}`
      : `No topics proposed yet. ${howToAdd}`,
    ...(proposers ? [proposers] : []),
  ].join("\n");
  return message(
    fallback,
    [
      section(
        `:alarm_clock: *${esc(meeting.title)}* ${lead}.\n${meetingTimeLines(meeting, occurrence, view.displayZones).join("\n")}`,
      ),
      ...driftBlocks(view.drift),
      ...(links.length ? [section(links.join("  ·  "))] : []),
      ...agenda,
      ...(proposers ? [section(proposers)] : []),
      ...(view.topics.length ? [context(howToAdd)] : []),
    ],
    more,
  );
}

/** A Slack user id as Slack issues them; anything else is never turned into a mention. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/**
 * "Proposers: <@U1>, <@U2>": a mention per proposer known by their Slack id (built from the stored id, never from
 * text a person typed); undefined when there is none.
 */
function proposerMentions(mentions: readonly ChatUser[] | undefined): string | undefined {
  const ids = (mentions ?? []).filter((u) => u.chat === "slack" && SLACK_USER_ID.test(u.id)).map((u) => `<@${u.id}>`);
  return ids.length ? `Proposers: ${ids.join(", ")}` : undefined;
}

/** A direct message to a subscriber or proposer: an occurrence was cancelled, moved or added. */
export function renderScheduleChange(notice: ScheduleChangeNotice): SlackMessage {
  const sentence = describeScheduleChange(notice, slackWording);
  const titles = notice.yourTopics.map((title) => `• ${esc(title)}`).join("\n");
  const text = `:calendar: ${sentence}${titles ? `\n${titles}` : ""}`;
  return message(text, [section(text)]);
}

/** "Heads-up: 1 hour earlier than last time in Berlin; …", from the domain's words. */
function driftSentence(drift: ZoneDrift[]): string {
  return `Heads-up: ${drift.map(describeDrift).join("; ")}`;
}

/** A context line for occurrences whose time moved in some display zone (clock changes); none otherwise. */
function driftBlocks(drift: ZoneDrift[] | undefined): KnownBlock[] {
  return drift?.length ? [context(`:clock3: ${esc(driftSentence(drift))}.`)] : [];
}

export function renderRolloverNotice(notice: RolloverNotice): SlackMessage {
  const why = whyTopicsMoved(notice.reason);
  const titles = notice.titles.map((title) => `• ${esc(title)}`).join("\n");
  const text = `${esc(notice.meeting.title)} of ${notice.fromDate} ${why}; your topics moved to ${shortDate(notice.to)}.`;
  return message(text, [section(`${text}\n${titles}`)]);
}

const MAX_NOTES_TITLE = 300;
const MAX_CORRECTIONS = 10;

export function renderNotesAnnouncement(view: NotesAnnouncementView): SlackMessage {
  const { meeting, occurrence, summary } = view;
  const when = shortDate(occurrence);
  const heading = `:memo: Notes of *${esc(meeting.title)}* of ${when}: ${slackLink(view.url, "read them")}`;
  const blocks: KnownBlock[] = [section(heading)];
  const textLines = [`Notes of ${esc(meeting.title)} of ${when}: ${esc(view.url)}`];
  if (!summary) {
    blocks.push(context("Summary unavailable: the notes could not be read."));
    textLines.push("Summary unavailable.");
  } else {
    const topics = summary.topics.map((topic, index) => {
      const owners = topic.owners.length ? ` - ${esc(truncate(topic.owners.join(", "), MAX_NOTES_TITLE))}` : "";
      const jump = topic.recordingAt ? ` (${slackLink(topic.recordingAt, "video")})` : "";
      return `${index + 1}. ${esc(truncate(topic.title, MAX_NOTES_TITLE))}${owners}${jump}`;
    });
    if (topics.length) blocks.push(section(fitLines("*Topics*", topics, SECTION_LIMIT)));
    else blocks.push(context("The notes list no topics."));
    textLines.push(
      ...summary.topics.map((topic, index) => {
        const owners = topic.owners.length ? ` - ${topic.owners.join(", ")}` : "";
        return `${index + 1}. ${esc(truncate(`${topic.title}${owners}`, MAX_NOTES_TITLE))}`;
      }),
    );
    if (summary.recordingUrl) {
      blocks.push(section(`:movie_camera: ${slackLink(summary.recordingUrl, "Recording")}`));
      textLines.push(`Recording: ${esc(summary.recordingUrl)}`);
    }
    const corrections = summary.corrections
      .slice(0, MAX_CORRECTIONS)
      .map((line) => esc(truncate(line, MAX_NOTES_TITLE)));
    if (corrections.length) blocks.push(context(`:warning: ${corrections.join("\n")}`));
    if (summary.next) {
      const imported = summary.importedTopics
        ? ` — ${summary.importedTopics} proposed topic${summary.importedTopics === 1 ? "" : "s"} added to the agendas of the next meetings`
        : "";
      blocks.push(context(`Next: ${renderMeetingHeadline(summary.next.start, meeting.timezone)}${imported}`));
    }
  }
  if (view.byHand) blocks.push(context("Announced by hand with `/cabal notes`."));
  return message(textLines.join("\n"), blocks);
}

/** Whole lines up to the limit, so the fallback text never ends inside an escape. */
function fitText(lines: string[], limit: number): string {
  let text = lines[0] ?? "";
  for (const line of lines.slice(1)) {
    if (text.length + 1 + line.length > limit - 2) return `${text}\n…`;
    text += `\n${line}`;
  }
  return truncate(text, limit);
}

/** Joins lines under a heading, dropping the tail (with a count) once the block limit is near. */
function fitLines(heading: string, lines: string[], limit: number): string {
  let text = heading;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n…and ${lines.length - i} more`;
    if (text.length + 1 + (lines[i] as string).length + more.length > limit) return text + more;
    text += `\n${lines[i]}`;
  }
  return text;
}
