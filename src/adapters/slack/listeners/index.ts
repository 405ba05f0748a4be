import type { App } from "@slack/bolt";
import type { BotDeps } from "../../../app/deps.js";
import type { NotesCommandHandler } from "../../../app/run-command.js";
import { cabalCommand } from "./commands/cabal.js";
import { appMention, directMessage } from "./events/questions.js";

/** The slash command and bot events the app subscribes to; manifest.yml must list the same. */
export const SLASH_COMMANDS = ["/cabal"] as const;
export const BOT_EVENTS = ["message.im", "app_mention"] as const;

export function registerListeners(app: App, deps: BotDeps, handlers: { notes?: NotesCommandHandler }): void {
  app.command("/cabal", cabalCommand(deps, handlers));
  app.message(directMessage(deps));
  app.event("app_mention", appMention(deps));
}
