import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { answerQuestion } from "../../../../app/upcoming-meetings.js";
import { type PersonMessage, personMessage } from "../../payloads.js";
import { renderAnswer } from "../../render.js";
import { SLACK_CHAT } from "../../slack-chat.js";
import { decodeSlackText } from "../../text.js";

type Client = AllMiddlewareArgs["client"];

/** Answers a person's question where they asked it: in the DM, or in a thread under a channel mention. */
async function answerIn(deps: BotDeps, client: Client, raw: unknown, where: "dm" | "thread"): Promise<void> {
  const parsed = personMessage.safeParse(raw);
  if (!parsed.success) {
    deps.log.warn({ issues: parsed.error.issues }, "message event refused");
    return;
  }
  const message: PersonMessage = parsed.data;
  // A mention starts with the bot's own `<@U…>`; it is not part of the question.
  const question = decodeSlackText(message.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, " "));
  const answer = await answerQuestion(deps, { user: { chat: SLACK_CHAT, id: message.user }, text: question });
  await client.chat.postMessage({
    channel: message.channel,
    ...(where === "thread" ? { thread_ts: message.thread_ts ?? message.ts } : {}),
    ...renderAnswer(answer),
  });
}

/** A direct message to the bot: answer in that DM. Messages from bots, edits and other subtypes are ignored. */
export function directMessage(deps: BotDeps) {
  return async ({ message, client }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    if (message.channel_type !== "im" || message.subtype !== undefined) return;
    if ("bot_id" in message && message.bot_id) return;
    await answerIn(deps, client, message, "dm");
  };
}

/** `@cabalbot when is the next meeting?` in a channel: answer in a thread under the question. */
export function appMention(deps: BotDeps) {
  return async ({ event, client }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs): Promise<void> => {
    await answerIn(deps, client, event, "thread");
  };
}
