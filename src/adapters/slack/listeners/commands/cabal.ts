import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { type NotesCommandHandler, runCabalCommand } from "../../../../app/run-command.js";
import { renderCommandOutcome } from "../../render-outcome.js";
import { decodeSlackText } from "../../text.js";

/** `/cabal …`: the reply is the ack itself (ephemeral), so it lands within Slack's 3 seconds. */
export function cabalCommand(deps: BotDeps, handlers: { notes?: NotesCommandHandler }) {
  return async ({ command, ack }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const outcome = await runCabalCommand(
      deps,
      {
        text: decodeSlackText(command.text ?? ""),
        userId: command.user_id,
        userName: command.user_name,
        channelId: command.channel_id,
      },
      handlers,
    );
    await ack({ response_type: "ephemeral", ...renderCommandOutcome(outcome, deps.config.current().displayZones) });
  };
}
