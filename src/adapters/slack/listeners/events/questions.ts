import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { answerQuestion } from "../../../../app/upcoming-meetings.js";
import { QUESTION_HELP } from "../../../../domain/help.js";
import { renderAnswer } from "../../render.js";
import { decodeSlackText } from "../../text.js";

/** A direct message to the bot: answer in that DM. Messages from bots and edits are ignored. */
export function directMessage(deps: BotDeps) {
  return async ({ message, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    if (message.channel_type !== "im" || message.subtype !== undefined || !("user" in message) || !message.user) return;
    if ("bot_id" in message && message.bot_id) return;
    const answer = await answerQuestion(deps, { userId: message.user, text: decodeSlackText(message.text ?? "") });
    await client.chat.postMessage({ channel: message.channel, ...renderAnswer(answer, QUESTION_HELP) });
  };
}

/** `@cabalbot when is the next meeting?` in a channel: answer in a thread under the question. */
export function appMention(deps: BotDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs): Promise<void> => {
    if (!event.user) return;
    const question = decodeSlackText(event.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " "));
    const answer = await answerQuestion(deps, { userId: event.user, text: question });
    await client.chat.postMessage({
      channel: event.channel,
      thread_ts: event.thread_ts ?? event.ts,
      ...renderAnswer(answer, QUESTION_HELP),
    });
  };
}
