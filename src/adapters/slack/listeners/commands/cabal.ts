import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { BotDeps } from "../../../../app/deps.js";
import { type NotesCommandHandler, runCabalCommand } from "../../../../app/run-command.js";
import { commandPayload, payloadProblem } from "../../payloads.js";
import { renderRejected } from "../../render.js";
import { renderCommandOutcome } from "../../render-outcome.js";
import { SLACK_CHAT } from "../../slack-chat.js";
import { decodeSlackText } from "../../text.js";

/** Slack wants an ack within 3 s; a reply ready by then is the ack itself, anything slower follows it. */
const ACK_BUDGET_MS = 2_000;

/**
 * `/cabal …`: replies are ephemeral. A command that takes longer than the budget (fetching notes) is acked
 * with "working on it" and its result is sent through the command's response_url.
 */
export function cabalCommand(deps: BotDeps, handlers: { notes?: NotesCommandHandler }) {
  return async ({ command, ack, respond }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "slash command payload refused");
      await ack({ response_type: "ephemeral", ...renderRejected(payloadProblem(parsed.error)) });
      return;
    }
    const outcome = runCabalCommand(
      deps,
      {
        text: decodeSlackText(parsed.data.text),
        user: { chat: SLACK_CHAT, id: parsed.data.user_id },
        userName: parsed.data.user_name,
        room: { chat: SLACK_CHAT, room: parsed.data.channel_id },
      },
      handlers,
    );
    // A plain timer, cleared when the outcome wins: an aborted timers/promises delay would build an
    // AbortController and a DOMException on every command (a measurable share of a command's CPU).
    let budget: NodeJS.Timeout | undefined;
    const quick = await Promise.race([
      outcome,
      new Promise<undefined>((resolve) => {
        budget = setTimeout(resolve, ACK_BUDGET_MS, undefined);
      }),
    ]);
    clearTimeout(budget);
    const render = (result: Awaited<typeof outcome>) =>
      renderCommandOutcome(result, deps.config.current().displayZones);
    if (quick) {
      await ack({ response_type: "ephemeral", ...render(quick) });
      return;
    }
    await ack({ response_type: "ephemeral", text: ":hourglass_flowing_sand: Working on it…" });
    await respond({ response_type: "ephemeral", replace_original: false, ...render(await outcome) });
  };
}
