import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import type { HomePublisher } from "../../home-publisher.js";
import { homeOpenedEvent } from "../../payloads.js";

/** A person opened the app: publish their Home (the Messages tab needs nothing). */
export function appHomeOpened(deps: BotDeps, home: HomePublisher) {
  return async ({ event }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs): Promise<void> => {
    const parsed = homeOpenedEvent.safeParse(event);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "app_home_opened event refused");
      return;
    }
    if (parsed.data.tab !== "home") return;
    home.noteViewer(parsed.data.user);
    await home.publishFor(parsed.data.user);
  };
}
