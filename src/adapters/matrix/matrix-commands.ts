// What people say to the bot on Matrix: `!cabal …` in a room or a DM runs the same command as Slack's `/cabal`;
// a question in a DM, or addressed to the bot in a room, gets the same answer as on Slack. Replies are notices in
// the same room, built by render.ts (escaped HTML, no mentions). The handler only parses, calls a use case, renders.
import { z } from "zod";
import type { BotDeps } from "../../app/deps.js";
import type { ChatRoom, ChatUser } from "../../app/ports.js";
import { type CommandHandlers, type CommandOutcome, runCabalCommand } from "../../app/run-command.js";
import { answerQuestion } from "../../app/upcoming-meetings.js";
import { showUserZone } from "../../app/user-zone.js";
import { MATRIX_CHAT } from "./matrix-chat.js";
import type { IncomingMatrixMessage, MatrixConnection } from "./matrix-connection.js";
import {
  MATRIX_PREFIX,
  type MatrixMessage,
  renderMatrixAnswer,
  renderMatrixOutcome,
  renderMatrixSentence,
} from "./render.js";

/** What the commands need of the connection. */
export type MatrixCommandConnection = Pick<MatrixConnection, "userId" | "resolveRoom" | "sendNotice" | "displayName">;

/** Matrix ids as the spec shapes them; anything else is not a message we act on. */
const incomingMessage = z.object({
  eventId: z.string().regex(/^\$\S+$/),
  roomId: z.string().regex(/^!\S+:\S+$/),
  sender: z.string().regex(/^@\S+:\S+$/),
  isDirect: z.boolean(),
  // Longer than any command or question; a paste of a page is not one.
  body: z.string().max(10_000),
  mentionedUserIds: z.array(z.string()),
});

/** `!cabal`, then a space or the end: `!cabalx` is someone else's bot. */
const COMMAND = new RegExp(`^${escapeRegExp(MATRIX_PREFIX)}(?:\\s+|$)`, "i");

/** What a person sees when a command failed in a way nobody planned for: one line, no trace. */
const UNEXPECTED_FAILURE =
  "Sorry, something went wrong on the bot's side and I could not finish that. Please try again later.";

export function matrixCommands(
  deps: BotDeps,
  handlers: CommandHandlers,
  connection: MatrixCommandConnection,
): (message: IncomingMatrixMessage) => Promise<void> {
  const configuredRoom = configuredRoomFinder(deps, connection);
  const question = questionReader(deps, connection);

  return async (raw) => {
    const parsed = incomingMessage.safeParse(raw);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "Matrix message refused");
      return;
    }
    const message = parsed.data;
    const body = message.body.trim();
    const command = COMMAND.exec(body);
    const asked = command ? undefined : await question(message, body);
    if (!command && asked === undefined) return;
    // A sync batch is handed over again after a crash; each event is acted on at most once, as on Slack.
    if (!(await deps.store.recordInboundEvent(`matrix:${message.eventId}`, deps.clock.now()))) return;
    const user: ChatUser = { chat: MATRIX_CHAT, id: message.sender };
    let reply: MatrixMessage;
    try {
      if (command) {
        const outcome = await runCabalCommand(
          deps,
          {
            text: body.slice(command[0].length),
            user,
            // The Matrix id is the person's handle, as the Slack user name is there.
            userName: message.sender,
            room: message.isDirect ? undefined : await configuredRoom(message.roomId),
          },
          handlers,
        );
        reply = renderMatrixOutcome(outcome, deps.config.current().displayZones, await yourZone(deps, user, outcome));
      } else {
        reply = renderMatrixAnswer(await answerQuestion(deps, { user, text: asked ?? "" }));
      }
    } catch (error) {
      deps.log.error({ err: error, eventId: message.eventId, roomId: message.roomId }, "Matrix command failed");
      reply = renderMatrixSentence(UNEXPECTED_FAILURE);
    }
    try {
      // The reply's transaction id comes from the event it answers: a resend after a crash shows once.
      await connection.sendNotice(message.roomId, reply, `reply:${message.eventId}`, undefined, message.eventId);
    } catch (error) {
      deps.log.warn({ err: error, roomId: message.roomId }, "could not reply on Matrix");
    }
  };
}

/**
 * The asker's zone for "Your time" in agendas and schedules: the one they chose with `!cabal tz` (Matrix
 * profiles carry none). Only looked up for the replies that show times.
 */
async function yourZone(deps: BotDeps, user: ChatUser, outcome: CommandOutcome): Promise<string | undefined> {
  if (outcome.kind !== "agenda" && outcome.kind !== "upcoming") return undefined;
  const shown = await showUserZone(deps, { user });
  return shown.kind === "zone-shown" ? shown.zone : undefined;
}

/**
 * The configured room a message came from, or undefined (a room no meeting is held in). The configuration may
 * name a room by alias while messages carry its id: each name is resolved once, and again after a reload.
 */
function configuredRoomFinder(deps: BotDeps, connection: MatrixCommandConnection) {
  const resolved = new Map<string, string>();
  return async (roomId: string): Promise<ChatRoom | undefined> => {
    for (const meeting of deps.config.current().meetings) {
      for (const room of meeting.rooms) {
        if (room.chat !== MATRIX_CHAT) continue;
        let id = resolved.get(room.room);
        if (!id) {
          try {
            id = await connection.resolveRoom(room.room);
            resolved.set(room.room, id);
          } catch (error) {
            deps.log.warn({ err: error, room: room.room }, "could not resolve a configured Matrix room");
            continue;
          }
        }
        if (id === roomId) return room;
      }
    }
    return undefined;
  };
}

/**
 * The question in a message, or undefined when the message is not one for the bot. In a DM every message is a
 * question. In a room it must be addressed to the bot: starting with its user id, display name or local name
 * ("cabalbot: when…", what clients write for a mention pill), or mentioning it on purpose (`m.mentions`).
 */
function questionReader(deps: BotDeps, connection: MatrixCommandConnection) {
  const localName = connection.userId.slice(1).split(":")[0] ?? "";
  let displayName: Promise<string | undefined> | undefined;
  const names = async () => {
    displayName ??= connection.displayName().catch((error) => {
      deps.log.warn({ err: error }, "could not read the bot's Matrix display name; answering to its id only");
      displayName = undefined;
      return undefined;
    });
    const shown = await displayName;
    return [connection.userId, ...(shown ? [shown] : []), localName].filter(Boolean);
  };
  return async (message: { isDirect: boolean; mentionedUserIds: string[] }, body: string) => {
    const mentioned = message.mentionedUserIds.includes(connection.userId);
    // A name needs a `:` or `,` after it ("cabalbot is great" is not addressed to it); the full id needs none.
    const [id, ...others] = (await names()).map(escapeRegExp);
    const addressed = new RegExp(`^(?:${id}(?:\\s*[:,]\\s*|\\s+)|@?(?:${others.join("|")})\\s*[:,]\\s*)`, "i");
    const match = addressed.exec(body);
    if (match) return body.slice(match[0].length);
    return message.isDirect || mentioned ? body : undefined;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
