import type { AllMiddlewareArgs, SlackViewMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { proposeTopic } from "../../../../app/home.js";
import type { HomePublisher } from "../../home-publisher.js";
import { payloadProblem, topicSubmission } from "../../payloads.js";
import { renderTopicFormErrors, TOPIC_FORM } from "../../render-home.js";
import { SLACK_CHAT } from "../../slack-chat.js";
import { escapeSlackText, typedText } from "../../text.js";

/**
 * The "propose a topic" modal submitted: the topic is added through the agenda use case, with its rules. A
 * refusal keeps the modal open with the reason under the field (response_action "errors") and saves nothing;
 * success closes it, and the agenda change republishes the Homes of recent viewers, the proposer's among them.
 */
export function proposeTopicSubmission(deps: BotDeps, home: HomePublisher) {
  return async ({ ack, body }: SlackViewMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = topicSubmission.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "topic form submission refused");
      const problem = escapeSlackText(payloadProblem(parsed.error));
      await ack({ response_action: "errors", errors: { [TOPIC_FORM.titleBlock]: problem } });
      return;
    }
    const { user, view } = parsed.data;
    const meetingId = view.state.values[TOPIC_FORM.meetingBlock]?.[TOPIC_FORM.meetingAction].selected_option?.value;
    if (!meetingId) {
      await ack({ response_action: "errors", errors: { [TOPIC_FORM.meetingBlock]: "Choose a meeting." } });
      return;
    }
    home.noteViewer(user.id);
    const title = typedText(view.state.values[TOPIC_FORM.titleBlock]?.[TOPIC_FORM.titleAction].value ?? "");
    const outcome = await proposeTopic(deps, {
      meetingId,
      title,
      proposer: { user: { chat: SLACK_CHAT, id: user.id }, name: user.username ?? user.name ?? "" },
    });
    if (outcome.kind !== "added") {
      await ack({ response_action: "errors", errors: renderTopicFormErrors(outcome) });
      return;
    }
    await ack();
  };
}
