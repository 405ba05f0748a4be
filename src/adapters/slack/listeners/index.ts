import type { App } from "@slack/bolt";
import type { BotDeps } from "../../../app/deps.js";
import type { NotesCommandHandler } from "../../../app/run-command.js";
import { HomePublisher } from "../home-publisher.js";
import { HOME_ACTIONS, TOPIC_FORM } from "../render-home.js";
import { proposeTopicButton, subscriptionButton } from "./actions/home-buttons.js";
import { cabalCommand } from "./commands/cabal.js";
import { appHomeOpened } from "./events/app-home.js";
import { appMention, directMessage } from "./events/questions.js";
import { proposeTopicSubmission } from "./views/propose-topic.js";

/** The slash command and bot events the app subscribes to; manifest.yml must list the same. */
export const SLASH_COMMANDS = ["/cabal"] as const;
export const BOT_EVENTS = ["message.im", "app_mention", "app_home_opened"] as const;
/** Interactivity: the Home's buttons (block_actions) and the modal's submission (view_submission). */
export const BLOCK_ACTIONS = Object.values(HOME_ACTIONS);
export const VIEW_SUBMISSIONS = [TOPIC_FORM.callbackId] as const;

export function registerListeners(app: App, deps: BotDeps, handlers: { notes?: NotesCommandHandler }): void {
  app.command("/cabal", cabalCommand(deps, handlers));
  app.message(directMessage(deps));
  app.event("app_mention", appMention(deps));

  const home = new HomePublisher(app.client, deps);
  deps.agendaChanges?.listen(() => home.agendaChanged());
  app.event("app_home_opened", appHomeOpened(deps, home));
  app.action(HOME_ACTIONS.propose, proposeTopicButton(deps, home));
  app.action(HOME_ACTIONS.subscribe, subscriptionButton(deps, home, true));
  app.action(HOME_ACTIONS.unsubscribe, subscriptionButton(deps, home, false));
  app.view(TOPIC_FORM.callbackId, proposeTopicSubmission(deps, home));
}
