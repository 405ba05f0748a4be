import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  App,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from "@slack/bolt";
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

type Handler<Args> = (args: Args) => Promise<void>;

/** A listener's pattern matching exactly these names. */
const oneOf = (names: readonly string[]) => new RegExp(`^(?:${names.join("|")})$`);

/**
 * One Bolt listener per kind of request (command, event, button, modal), each routing by name: Bolt runs every
 * listener's matchers on every request, a few microseconds each, which a listener per name multiplied.
 * `firstDeliveryOnly` runs before the events: Slack retries them, and each is handled once.
 */
export function registerListeners(
  app: App,
  deps: BotDeps,
  handlers: { notes?: NotesCommandHandler },
  firstDeliveryOnly: Middleware<AnyMiddlewareArgs>,
): void {
  app.command("/cabal", cabalCommand(deps, handlers));

  const home = new HomePublisher(app.client, deps);
  deps.agendaChanges?.listen(() => home.agendaChanged());

  type EventArgs = SlackEventMiddlewareArgs & AllMiddlewareArgs;
  const onEvent = {
    message: directMessage(deps),
    app_mention: appMention(deps),
    app_home_opened: appHomeOpened(deps, home),
  } as unknown as Record<string, Handler<EventArgs>>;
  app.event(oneOf(Object.keys(onEvent)), firstDeliveryOnly, async (args) => {
    await onEvent[args.event.type]?.(args);
  });

  type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;
  const onAction: Record<string, Handler<ActionArgs>> = {
    [HOME_ACTIONS.propose]: proposeTopicButton(deps, home),
    [HOME_ACTIONS.subscribe]: subscriptionButton(deps, home, true),
    [HOME_ACTIONS.unsubscribe]: subscriptionButton(deps, home, false),
  };
  app.action({ action_id: oneOf(Object.keys(onAction)) }, async (args) => {
    const actionId = (args.action as { action_id?: string }).action_id ?? "";
    await onAction[actionId]?.(args);
  });

  app.view(TOPIC_FORM.callbackId, proposeTopicSubmission(deps, home));
}
