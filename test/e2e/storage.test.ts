// The bot's database cannot be opened, or stops taking writes while the bot runs: one clear line, no crash.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { BotProcess, tempDir, writeConfig } from "../support/bot-process.js";

const CONFIG = `
displayZones: [Europe/Berlin]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=1TU"
    reminders: ["1h"]
`;

describe("CABALBOT_DB", () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill("SIGKILL");
    bot = undefined;
  });

  const folder = (dir: string) => {
    mkdirSync(join(dir, "db.sqlite"));
    return join(dir, "db.sqlite");
  };
  const textFile = (dir: string) => {
    writeFileSync(join(dir, "notes.txt"), "hello\n".repeat(200));
    return join(dir, "notes.txt");
  };

  it.each([
    ["a folder", folder, "SQLite cannot open it (is it a folder, or in a place the bot may not write?)"],
    ["a file that is not a database", textFile, "it is not a SQLite database"],
    ["a file inside /proc", () => "/proc/cabalbot.sqlite", "SQLite cannot open it"],
    ["a folder inside /proc that cannot be created", () => "/proc/cabalbot/bot.sqlite", "its folder cannot be created"],
  ])("that is %s stops the start with one line naming the variable and the path", async (_what, makePath, reason) => {
    const dir = tempDir();
    const path = makePath(dir);
    bot = new BotProcess({ CABALBOT_CONFIG: writeConfig(dir, CONFIG), CABALBOT_DB: path, LOG_LEVEL: "warn" });
    expect(await bot.exited).toBe(2);
    const prefix = `cabalbot: CABALBOT_DB ${JSON.stringify(path)} cannot be opened as the bot's database: `;
    expect(bot.output.startsWith(prefix), bot.output).toBe(true);
    expect(bot.output).toContain(reason);
    expect(bot.output.trimEnd().split("\n"), bot.output).toHaveLength(1);
  });

  it("full while running: the command says the agenda was not saved, and the bot carries on", async () => {
    const dir = tempDir();
    bot = new BotProcess(
      {
        CABALBOT_CONFIG: writeConfig(dir, CONFIG),
        CABALBOT_DB: join(dir, "bot.sqlite"),
        LOG_LEVEL: "silent",
        CABALBOT_CLOCK_START: "2026-11-26T12:00:00Z",
      },
      undefined,
      // Room for the new database's schema (its migrations pass through the write-ahead log) and some topics.
      { fileSizeBlocks: 200 },
    );
    await bot.waitForOutput(/cabalbot console/);
    let added = 0;
    for (let n = 1; n <= 300; n++) {
      bot.write(`/cabal topic add Topic ${n}: ${"a long title to fill pages ".repeat(10)}`);
      const [reply] = await bot.waitForOutput(
        new RegExp(`(Added topic ${n} to [^\\n]*|! The agenda could not be saved[^\\n]*)\\n`),
      );
      if (!reply.startsWith("Added")) break;
      added = n;
    }
    expect(bot.output).toContain(
      "! The agenda could not be saved: the bot's storage is not accepting changes (disk full or read-only). Nothing was changed; please tell the bot's admins.",
    );
    expect(added).toBeGreaterThan(0);
    // Still alive and still reading what it had saved.
    bot.write("/cabal topic list");
    await bot.waitForOutput(new RegExp(`\\n\\s*${added}\\. Topic ${added}: `));
    bot.write("/cabal next");
    await bot.waitForOutput(/\nPodman Community Meeting: Tuesday, December 1, 2026, 11:00 EST/);
    expect(bot.output).not.toMatch(/^\s+at /m);
    bot.endInput();
    expect(await bot.exited).toBe(0);
  });
});
