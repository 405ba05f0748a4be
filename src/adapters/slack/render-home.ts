// The App Home page and the "propose a topic" modal as Block Kit. Every user-supplied string (topic titles,
// proposers' names, meeting titles) goes through `esc`, in plain_text fields too; Slack's limits are kept: at most
// 100 blocks in a Home view, 3000 characters in a section, 75 in an option and 24 in a modal's title.
import type { types } from "@slack/bolt";
import type { Rejected } from "../../app/agenda.js";
import type { HomeMeeting, HomeView, TopicForm } from "../../app/home.js";
import type { MeetingEnded } from "../../app/meeting-status.js";
import { agendaLine, MAX_TOPIC_TITLE_LENGTH } from "../../domain/agenda.js";
import { formatShortDate } from "../../domain/local-date.js";
import { describeRefusal } from "../../domain/refusal.js";
import { renderMeetingHeadline } from "../../domain/time-render.js";
import { plainWording } from "../../domain/wording.js";
import { dayAndClockAtPlace, placeOfZone } from "../../domain/zone-clock.js";
import { escapeSlackText as esc, slackDateToken, slackLink, slackWording } from "./text.js";

type KnownBlock = types.KnownBlock;

/** The action ids of the Home's buttons; the listeners register exactly these. */
export const HOME_ACTIONS = {
  propose: "home_propose_topic",
  subscribe: "home_subscribe",
  unsubscribe: "home_unsubscribe",
} as const;

/** The modal's callback id and the ids of its two inputs, read back from the view_submission. */
export const TOPIC_FORM = {
  callbackId: "propose_topic",
  meetingBlock: "meeting",
  meetingAction: "meeting",
  titleBlock: "title",
  titleAction: "title",
} as const;

export const HOME_BLOCK_LIMIT = 100;
const SECTION_LIMIT = 3000;
const OPTION_TEXT_LIMIT = 75;
const OPTIONS_LIMIT = 100;
/** A meeting takes four blocks: its time, its agenda, its buttons and a divider. */
const BLOCKS_PER_MEETING = 4;

function section(markdown: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: markdown, verbatim: true } };
}

function context(markdown: string): KnownBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: markdown, verbatim: true }] };
}

function plain(text: string): types.PlainTextElement {
  return { type: "plain_text", text, emoji: true };
}

function button(text: string, actionId: string, value: string, primary = false): types.Button {
  return { type: "button", text: plain(text), action_id: actionId, value, ...(primary ? { style: "primary" } : {}) };
}

/**
 * User text escaped and cut so the escaped result fits `max` characters: Slack counts what it receives, and an
 * escape (`&amp;`) is longer than the character it stands for.
 */
export function escapedWithin(text: string, max: number): string {
  const whole = esc(text);
  if (whole.length <= max) return whole;
  let cut = "";
  for (const char of text) {
    const next = esc(char);
    if (cut.length + next.length + 1 > max) break;
    cut += next;
  }
  return `${cut}…`;
}

/** Lines under a heading, cut before the section limit with a visible "…and N more". */
function fitLines(heading: string, lines: string[], limit = SECTION_LIMIT): string {
  let text = heading;
  for (let i = 0; i < lines.length; i++) {
    const more = `\n…and ${lines.length - i} more`;
    const line = lines[i] as string;
    if (text.length + 1 + line.length + more.length > limit) return text + more;
    text += `\n${line}`;
  }
  return text;
}

/** When the meeting is, for this viewer: their own clock first, then the meeting's. */
function timeLines(item: HomeMeeting, viewerZone: string | undefined): string[] {
  const { meeting, occurrence } = item;
  const own = renderMeetingHeadline(occurrence.start, meeting.timezone);
  if (!viewerZone) return [own, `Your time: ${slackDateToken(occurrence.start, own)}`];
  if (viewerZone === meeting.timezone) return [`*${own}*`];
  return [`*${dayAndClockAtPlace(occurrence.start, viewerZone)}*`, `(${own})`];
}

function agendaText(item: HomeMeeting): string {
  const mine = item.topics.filter((topic) => topic.mine).length;
  if (item.topics.length === 0) return "*Agenda*: no topics proposed yet.";
  const count = `${item.topics.length} topic${item.topics.length === 1 ? "" : "s"}${mine ? `, ${mine} yours` : ""}`;
  const lines = item.topics.map(
    (topic) =>
      `${topic.position}. ${esc(agendaLine(topic.title, topic.proposerName))}${topic.mine ? "  :bust_in_silhouette: _yours_" : ""}`,
  );
  return fitLines(`*Agenda* (${count})`, lines);
}

function meetingBlocks(item: HomeMeeting, viewerZone: string | undefined): KnownBlock[] {
  const id = item.meeting.id;
  const lines = [
    `*${esc(item.meeting.title)}*`,
    ...timeLines(item, viewerZone),
    item.subscribed
      ? ":bell: You get its reminders as direct messages."
      : "You get no direct message before it; subscribe to get each reminder as one.",
    ...(item.calendarUrl ? [slackLink(item.calendarUrl, "Add to calendar")] : []),
  ];
  return [
    section(lines.join("\n")),
    section(agendaText(item)),
    {
      type: "actions",
      elements: [
        button("Propose a topic", HOME_ACTIONS.propose, id),
        item.subscribed
          ? button("Unsubscribe", HOME_ACTIONS.unsubscribe, id)
          : button("Subscribe", HOME_ACTIONS.subscribe, id),
      ],
    },
    { type: "divider" },
  ];
}

function zoneLine(viewerZone: string | undefined): string {
  const change = slackWording.command("tz <zone>");
  return viewerZone
    ? `Times in your time zone, ${esc(placeOfZone(viewerZone))} (${slackWording.code(viewerZone)}). Change it with ${change}.`
    : `Your time zone is not known: times show in each meeting's zone and your device's. Set yours with ${change}.`;
}

/** The Home tab: as many meetings as fit in Slack's 100 blocks, then a count of the rest. */
export function renderHome(view: HomeView): types.HomeView {
  if (view.kind === "home-unavailable") {
    return {
      type: "home",
      blocks: [
        { type: "header", text: plain("Upcoming meetings") },
        section(`:warning: ${describeRefusal(view.reason, slackWording)}`),
      ],
    };
  }
  const blocks: KnownBlock[] = [
    { type: "header", text: plain("Upcoming meetings") },
    context(zoneLine(view.viewerZone)),
  ];
  if (view.meetings.length === 0) {
    blocks.push(section("No meeting is on the schedule."));
    return { type: "home", blocks };
  }
  blocks.push(
    { type: "actions", elements: [button("Propose a topic", HOME_ACTIONS.propose, "", true)] },
    { type: "divider" },
  );
  let shown = 0;
  for (const item of view.meetings) {
    // One block stays free for the line that counts what did not fit.
    if (blocks.length + BLOCKS_PER_MEETING > HOME_BLOCK_LIMIT - 1) break;
    blocks.push(...meetingBlocks(item, view.viewerZone));
    shown += 1;
  }
  const more = view.meetings.length - shown + view.moreMeetings;
  if (more > 0) {
    blocks.push(
      context(
        `…and ${more} more meeting${more === 1 ? "" : "s"}: ${slackWording.command("next")} lists every meeting.`,
      ),
    );
  }
  return { type: "home", blocks };
}

function option(choice: TopicForm["choices"][number]): types.PlainTextOption {
  const date = ` — ${formatShortDate(choice.occurrence.date)}`;
  return {
    text: plain(`${escapedWithin(choice.meeting.title, OPTION_TEXT_LIMIT - date.length)}${date}`),
    value: choice.meeting.id,
  };
}

/** The "propose a topic" modal: which meeting, and the title. */
export function renderTopicForm(form: TopicForm): types.ModalView {
  const base = {
    type: "modal" as const,
    callback_id: TOPIC_FORM.callbackId,
    title: plain("Propose a topic"),
    close: plain("Cancel"),
  };
  if (form.choices.length === 0) {
    return { ...base, blocks: [section("No meeting is on the schedule, so there is no agenda to add to.")] };
  }
  const options = form.choices.slice(0, OPTIONS_LIMIT).map(option);
  const initial = options.find((o) => o.value === form.selected);
  return {
    ...base,
    submit: plain("Propose"),
    blocks: [
      {
        type: "input",
        block_id: TOPIC_FORM.meetingBlock,
        label: plain("Meeting"),
        element: {
          type: "static_select",
          action_id: TOPIC_FORM.meetingAction,
          placeholder: plain("Choose a meeting"),
          options,
          ...(initial ? { initial_option: initial } : {}),
        },
      },
      {
        type: "input",
        block_id: TOPIC_FORM.titleBlock,
        label: plain("Topic"),
        element: {
          type: "plain_text_input",
          action_id: TOPIC_FORM.titleAction,
          max_length: MAX_TOPIC_TITLE_LENGTH,
          placeholder: plain("e.g. Podman 6 release plan"),
          ...(initial ? { focus_on_load: true } : {}),
        },
        hint: plain(
          `Up to ${MAX_TOPIC_TITLE_LENGTH} characters. It goes on the agenda of the meeting's next date, with your name.`,
        ),
      },
    ],
  };
}

/**
 * Why a proposal was refused, as the modal's inline errors (plain text under the input it is about): nothing
 * was saved, and the person can correct the field and submit again.
 */
export function renderTopicFormErrors(outcome: Rejected | MeetingEnded): Record<string, string> {
  if (outcome.kind === "ended") {
    return { [TOPIC_FORM.meetingBlock]: esc(`${outcome.meeting.title} has ended; choose another meeting.`) };
  }
  const reason = outcome.reason;
  switch (reason.code) {
    case "title-empty":
      return { [TOPIC_FORM.titleBlock]: "The title is empty: write what you want to discuss." };
    case "title-too-long":
      return {
        [TOPIC_FORM.titleBlock]: `The title is ${reason.length} characters long; the limit is ${reason.max}. Shorten it and submit again.`,
      };
    case "no-such-meeting":
      return { [TOPIC_FORM.meetingBlock]: esc(describeRefusal(reason, plainWording("/cabal"))) };
    default:
      return { [TOPIC_FORM.titleBlock]: esc(describeRefusal(reason, plainWording("/cabal"))) };
  }
}
