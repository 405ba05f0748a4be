import type { AllMiddlewareArgs, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { setHomeSubscription, topicForm } from "../../../../app/home.js";
import type { HomePublisher } from "../../home-publisher.js";
import { homeAction } from "../../payloads.js";
import { renderTopicForm } from "../../render-home.js";
import { SLACK_CHAT } from "../../slack-chat.js";

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

/** "Propose a topic": opens the modal, with the button's meeting preselected (none for the page's own button). */
export function proposeTopicButton(deps: BotDeps, home: HomePublisher) {
  return async ({ ack, body, client }: ActionArgs): Promise<void> => {
    await ack();
    const parsed = homeAction.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "Home button payload refused");
      return;
    }
    const { user, trigger_id: triggerId, actions } = parsed.data;
    home.noteViewer(user.id);
    const form = topicForm(deps, actions[0]?.value || undefined);
    try {
      await client.views.open({ trigger_id: triggerId, view: renderTopicForm(form) });
    } catch (error) {
      // The trigger lasts 3 s: a late or refused open cannot be retried, the person clicks again.
      deps.metrics?.chatError("views.open");
      deps.log.warn({ err: error, userId: user.id }, "could not open the topic form");
    }
  };
}

/** "Subscribe" / "Unsubscribe" on a meeting: changes it, then shows the person their Home as it now is. */
export function subscriptionButton(deps: BotDeps, home: HomePublisher, wanted: boolean) {
  return async ({ ack, body }: ActionArgs): Promise<void> => {
    await ack();
    const parsed = homeAction.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "Home button payload refused");
      return;
    }
    const { user, actions } = parsed.data;
    home.noteViewer(user.id);
    const outcome = await setHomeSubscription(deps, { chat: SLACK_CHAT, id: user.id }, actions[0]?.value ?? "", wanted);
    if (outcome.kind === "rejected" || outcome.kind === "ended") {
      // The Home only offers upcoming meetings; a refusal here is a stale page, which the publish below replaces.
      deps.log.info({ userId: user.id, outcome: outcome.kind }, "Home subscription button refused");
    }
    await home.publishFor(user.id);
  };
}
