// A bot whose terminal or log pipe is gone (EPIPE) stops instead of running on, writing into nothing.
import { afterEach, describe, expect, it } from "vitest";
import { BotProcess, tempDir } from "../support/bot-process.js";

const EXIT_WITHIN_MS = 10_000;

function exitsWithin(bot: BotProcess, ms: number): Promise<number | null | "still running"> {
  return Promise.race([
    bot.exited,
    new Promise<"still running">((resolve) => setTimeout(() => resolve("still running"), ms).unref()),
  ]);
}

describe("lost output", () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill("SIGKILL");
    bot = undefined;
  });

  it.each(["stderr", "stdout"] as const)(
    "exits once its %s is closed and it has something to write",
    async (stream) => {
      bot = new BotProcess({ CABALBOT_DB: `${tempDir()}/bot.sqlite`, LOG_LEVEL: "info" });
      await bot.waitForOutput(/cabalbot console/);
      bot.closeOutput(stream);
      // The reply goes to stdout, the "topic added" log line to stderr.
      bot.write("/cabal topic add Pasta");
      expect(await exitsWithin(bot, EXIT_WITHIN_MS)).toBe(1);
    },
  );
});
