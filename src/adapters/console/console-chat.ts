// The console chat: no chat credentials needed. Commands on stdin, everything the bot says on stdout.
import { createInterface } from "node:readline";
import type { BotDeps } from "../../app/deps.js";
import type { ChatPort, ChatRoom, ChatUser, PostedMessage } from "../../app/ports.js";
import { type NotesCommandHandler, runCabalCommand } from "../../app/run-command.js";
import { answerQuestion } from "../../app/upcoming-meetings.js";
import type { NotesAnnouncementView, ReminderView, RolloverNotice, ScheduleChangeNotice } from "../../app/views.js";
import {
  renderAnswerText,
  renderNotesText,
  renderOutcomeText,
  renderReminderText,
  renderRolloverText,
  renderScheduleChangeText,
  terminalText,
} from "./console-render.js";

/** The console's only user; an admin, so every command can be tried locally. */
export const CONSOLE_USER_ID = "UCONSOLE";
/** The chat name of the console's user. */
export const CONSOLE_CHAT = "console";
const consoleUser: ChatUser = { chat: CONSOLE_CHAT, id: CONSOLE_USER_ID };

export class ConsoleChat implements ChatPort {
  private posted = 0;
  constructor(
    private readonly write: (text: string) => void,
    private readonly timeZone: string | undefined,
  ) {}

  private post(text: string): PostedMessage {
    this.write(`${text}\n`);
    this.posted += 1;
    return { messageId: `console-${this.posted}` };
  }

  servesChat(): boolean {
    // The console stands in for every chat: it prints what would go to each room.
    return true;
  }
  async postReminder(room: ChatRoom, view: ReminderView): Promise<PostedMessage> {
    return this.post(renderReminderText(view, this.timeZone, room));
  }
  async postNotesAnnouncement(room: ChatRoom, view: NotesAnnouncementView): Promise<PostedMessage> {
    return this.post(renderNotesText(view, room));
  }
  async findPostedMessage(): Promise<PostedMessage | undefined> {
    // What the console printed cannot be read back; after a crash the post is repeated.
    return undefined;
  }
  async notifyRollover(user: ChatUser, notice: RolloverNotice): Promise<void> {
    this.post(renderRolloverText(user.id, notice));
  }
  async postDirectReminder(user: ChatUser, view: ReminderView): Promise<PostedMessage> {
    return this.post(`[direct message to ${terminalText(user.id)}]\n${renderReminderText(view, this.timeZone)}`);
  }
  async findDirectMessage(): Promise<PostedMessage | undefined> {
    return undefined;
  }
  async notifyScheduleChange(user: ChatUser, notice: ScheduleChangeNotice): Promise<PostedMessage> {
    return this.post(renderScheduleChangeText(user.id, notice));
  }
  async userTimeZone(): Promise<string | undefined> {
    return this.timeZone;
  }
}

/** Reads lines until end of input: `/cabal …` runs a command, anything else is a question. */
export async function runConsole(
  deps: BotDeps,
  io: {
    input: NodeJS.ReadableStream;
    write: (text: string) => void;
    userName: string;
    /** The terminal's zone: "your time" in replies. */
    timeZone?: string;
    /** The room the console stands for (read per command: the config may be reloaded). */
    room?: () => ChatRoom | undefined;
  },
  handlers: { notes?: NotesCommandHandler },
): Promise<void> {
  io.write(
    "cabalbot console (no Slack or Matrix credentials set). Try `/cabal next`, `/cabal topic add <title>`, `/cabal help`, or ask `when is the next meeting?`. Ctrl-D quits.\n",
  );
  const lines = createInterface({ input: io.input, terminal: false });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    try {
      const command = /^\/cabal(\s|$)/i.exec(line);
      const reply = command
        ? renderOutcomeText(
            await runCabalCommand(
              deps,
              {
                text: line.slice(command[0].length),
                user: consoleUser,
                userName: io.userName,
                room: io.room?.(),
              },
              handlers,
            ),
            deps.config.current().displayZones,
            io.timeZone,
          )
        : renderAnswerText(await answerQuestion(deps, { user: consoleUser, text: line }));
      io.write(`${reply}\n`);
    } catch (error) {
      deps.log.error({ err: error }, "console command failed");
      io.write("! Something went wrong; see the log.\n");
    }
  }
}
