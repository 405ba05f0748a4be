// What people say to the bot on Matrix: `!cabal …` in a room or a DM runs the same command as Slack's `/cabal`;
// a question in a DM, or addressed to the bot in a room, gets the same answer as on Slack. Replies are notices.
import { z } from "zod";
import type { BotDeps } from "../../app/deps.js";
import type { ChatRoom, ChatUser } from "../../app/ports.js";
import { type CommandHandlers, runCabalCommand } from "../../app/run-command.js";
import { answerQuestion } from "../../app/upcoming-meetings.js";
import { MATRIX_CHAT } from "./matrix-chat.js";
import type { IncomingMatrixMessage, MatrixConnection } from "./matrix-connection.js";
import { MATRIX_PREFIX, renderMatrixAnswer, renderMatrixOutcome } from "./render.js";

/** Matrix ids as the spec shapes them; anything else is not a message we act on. */
const incomingMessage = z.object({
  eventId: z.string().regex(/^\$\S+$/),
  roomId: z.string().regex(/^!\S+:\S+$/),
  sender: z.string().regex(/^@\S+:\S+$/),
  isDirect: z.boolean(),
  body: z.string().max(10_000),
});

const COMMAND = new RegExp(`^${MATRIX_PREFIX.replace("!", "\\!")}(\\s|$)`, "i");

export function matrixCommands(
  deps: BotDeps,
  handlers: CommandHandlers,
  connection: MatrixConnection,
): (message: IncomingMatrixMessage) => Promise<void> {
  // A meeting's room may be written as an alias; messages carry the room id. Resolved once per configured name.
  const resolved = new Map<string, string>();
  const configuredRoom = async (roomId: string): Promise<ChatRoom | undefined> => {
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
  // "@cabalbot:server: when…", "cabalbot: when…": the bot's id or its local name, then a separator.
  const localName = connection.userId.slice(1).split(":")[0] ?? "";
  const addressed = new RegExp(
    `^(?:${escapeRegExp(connection.userId)}|@?${escapeRegExp(localName)})\\s*[:,]?\\s+`,
    "i",
  );

  return async (raw) => {
    const parsed = incomingMessage.safeParse(raw);
    if (!parsed.success) {
      deps.log.warn({ issues: parsed.error.issues }, "Matrix message refused");
      return;
    }
    const message = parsed.data;
    const body = message.body.trim();
    const command = COMMAND.exec(body);
    const question = !command && (message.isDirect ? body : addressed.test(body) ? body.replace(addressed, "") : "");
    if (!command && !question) return;
    // The sync may hand over a batch again after a crash; each event is acted on once.
    if (!(await deps.store.recordInboundEvent(`matrix:${message.eventId}`, deps.clock.now()))) return;
    const user: ChatUser = { chat: MATRIX_CHAT, id: message.sender };
    const reply = command
      ? renderMatrixOutcome(
          await runCabalCommand(
            deps,
            {
              text: body.slice(command[0].length),
              user,
              userName: message.sender,
              room: message.isDirect ? undefined : await configuredRoom(message.roomId),
            },
            handlers,
          ),
          deps.config.current().displayZones,
        )
      : renderMatrixAnswer(await answerQuestion(deps, { user, text: question || "" }));
    try {
      // The reply's transaction id comes from the event it answers: a re-run after a crash sends it once.
      await connection.sendNotice(message.roomId, reply, `reply:${message.eventId}`);
    } catch (error) {
      deps.log.warn({ err: error, roomId: message.roomId }, "could not reply on Matrix");
    }
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
