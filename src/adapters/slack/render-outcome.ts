// A `/cabal` command's outcome → the reply the person sees.
import type { CommandOutcome } from "../../app/run-command.js";
import { describeUsageProblem } from "../../domain/command.js";
import { usageLines } from "../../domain/help.js";
import { describeSubscriptions } from "../../domain/subscription-text.js";
import { describeUserZone } from "../../domain/user-zone-text.js";
import {
  renderAgenda,
  renderEnded,
  renderRefusal,
  renderTopicAdded,
  renderTopicRemoved,
  renderUpcoming,
  type SlackMessage,
} from "./render.js";
import { SLACK_CHAT } from "./slack-chat.js";
import { escapeSlackText as esc, slackWording } from "./text.js";

export function renderCommandOutcome(outcome: CommandOutcome, displayZones: string[]): SlackMessage {
  switch (outcome.kind) {
    case "added":
      return renderTopicAdded(outcome);
    case "removed":
      return renderTopicRemoved(outcome);
    case "agenda":
      return renderAgenda(outcome, displayZones);
    case "rejected":
      return renderRefusal(outcome.reason);
    case "notes-announced": {
      // Slack's channels as links; rooms on other chats by name.
      const places = outcome.meeting.rooms
        .map((room) =>
          room.chat === SLACK_CHAT && /^[CG][A-Z0-9]{2,}$/.test(room.room) ? `<#${room.room}>` : esc(room.room),
        )
        .join(" and ");
      const text = `:memo: Announced the notes of *${esc(outcome.meeting.title)}* of ${outcome.occurrence.date} in ${places}${
        outcome.summarized ? "" : " (summary unavailable: the notes could not be fetched or read)"
      }${outcome.importedTopics ? `; ${outcome.importedTopics} proposed topic${outcome.importedTopics === 1 ? "" : "s"} imported` : ""}.`;
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] };
    }
    case "zone-set":
    case "zone-cleared":
    case "zone-shown": {
      const text = `:earth_africa: ${describeUserZone(outcome, slackWording)}`;
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] };
    }
    case "subscribed":
    case "unsubscribed":
    case "subscriptions": {
      const text = `:bell: ${describeSubscriptions(outcome, slackWording)}`;
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] };
    }
    case "upcoming":
      return renderUpcoming(outcome.upcoming, displayZones, outcome.page);
    case "ended":
      return renderEnded(outcome);
    case "help": {
      // The usage shows `<title>` as text: every line is escaped like user text, and the typed word apart.
      const lines = usageLines(outcome.meetings, outcome.running, slackWording);
      const problem = outcome.problem && describeUsageProblem(outcome.problem, slackWording);
      const text = [...(problem ? [`:warning: ${problem}`] : []), "*Usage*", ...lines.map((l) => `• ${l}`)].join("\n");
      return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text, verbatim: true } }] };
    }
  }
}
