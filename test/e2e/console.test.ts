// `npm start` with no Slack credentials: the console chat on stdin/stdout, same store and scheduler.
import { afterEach, describe, expect, it } from "vitest";
import { BotProcess, tempDir, writeConfig } from "../support/bot-process.js";

const CONFIG = `
displayZones: [Asia/Tokyo]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=1TU"
    dates: ["2026-11-26T11:00"]
    reminders: ["1h"]
`;

// The Cabal ended on 2026-05-05; the stand-ups replaced it in the same channel; the community meeting is elsewhere.
const ENDED_CONFIG = `
displayZones: [Asia/Tokyo]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=1TU"
    reminders: []
  - id: cabal
    title: Podman Community Cabal
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    schedule: [{ rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" }]
    replacedBy: standup
    reminders: []
  - id: standup
    title: Podman Stand-up
    channel: C0PODMAN
    timezone: America/New_York
    time: "11:00"
    durationMinutes: 30
    schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-05-06" }]
    reminders: []
`;

describe("console mode", () => {
  let bot: BotProcess | undefined;
  afterEach(async () => {
    await bot?.kill("SIGKILL");
  });

  it("answers commands and questions typed on stdin, and prints reminders when due", async () => {
    const dir = tempDir();
    bot = new BotProcess({
      CABALBOT_CONFIG: writeConfig(dir, CONFIG),
      CABALBOT_DB: `${dir}/console.sqlite`,
      // Three seconds before the 1-hour reminder of the 11:00 EST meeting on 2026-11-26.
      CABALBOT_CLOCK_START: "2026-11-26T14:59:57Z",
    });
    await bot.waitForOutput(/cabalbot console/);
    bot.write("/cabal topic add Pasta & port forwarding <demo>");
    await bot.waitForOutput(/Added topic 1 to Podman Community Meeting on 2026-11-26: Pasta & port forwarding <demo>/);
    bot.write("when is the next meeting?");
    await bot.waitForOutput(/The next Podman Community Meeting is Thursday, November 26, 2026, 11:00 EST \(UTC-5\)/);
    const reminder = await bot.waitForOutput(/\[reminder → C0COMMUNITY\][^\n]*\n[\s\S]*?1\. Pasta[^\n]*/);
    expect(reminder[0]).toContain("Podman Community Meeting starts in 1 hour.");
    expect(reminder[0]).toContain("Fri 01:00 Tokyo (+1 day)");
    bot.write("/cabal help");
    await bot.waitForOutput(/\/cabal topic remove <n>/);
    bot.endInput();
    expect(await bot.exited).toBe(0);
  });

  it("shows your time in the terminal's zone, answers an ended meeting as ended, routes by its channel, logs only warnings", async () => {
    const dir = tempDir();
    bot = new BotProcess({
      CABALBOT_CONFIG: writeConfig(dir, ENDED_CONFIG),
      CABALBOT_DB: `${dir}/console.sqlite`,
      // Thursday 2026-11-26, 09:00 in New York.
      CABALBOT_CLOCK_START: "2026-11-26T14:00:00Z",
      TZ: "Asia/Kolkata",
      CABALBOT_CONSOLE_CHANNEL: "C0PODMAN",
      LOG_LEVEL: "",
    });
    await bot.waitForOutput(/cabalbot console/);
    bot.write("/cabal next");
    await bot.waitForOutput(
      /Podman Stand-up: Thursday, November 26, 2026, 11:00 EST \(UTC-5\)\n.*\n\s+Your time: Thu, Nov 26, 21:30 Kolkata time \(UTC\+5:30\)/,
    );
    bot.write("/cabal cabal next");
    await bot.waitForOutput(/Podman Community Cabal has ended: the last one was on Tuesday, May 5, 2026\./);
    await bot.waitForOutput(/It was replaced by Podman Stand-up \(standup\)/);
    bot.write("when is the next cabal?");
    await bot.waitForOutput(/(has ended: the last one was on Tuesday, May 5, 2026\.[\s\S]*){2}/);
    // The console stands in C0PODMAN, where the stand-up is the soonest meeting (the community meeting is elsewhere).
    bot.write("/cabal topic add Podman 6 plans");
    await bot.waitForOutput(/Added topic 1 to Podman Stand-up on 2026-11-26: Podman 6 plans/);
    bot.endInput();
    expect(await bot.exited).toBe(0);
    expect(bot.output).not.toContain("configuration loaded");
    expect(bot.output).not.toMatch(/no upcoming meeting|No meeting is on the schedule/);
  });

  it("refuses to start on a bad configuration, naming the field", async () => {
    const dir = tempDir();
    bot = new BotProcess({
      CABALBOT_CONFIG: writeConfig(dir, CONFIG.replace("America/New_York", "EST")),
      CABALBOT_DB: `${dir}/console.sqlite`,
    });
    expect(await bot.exited).toBe(2);
    expect(bot.output).toContain(
      'meetings[0].timezone: "EST" is not an IANA time zone (did you mean America/New_York?)',
    );
  });

  it("refuses half-set Slack credentials instead of falling back to the console", async () => {
    bot = new BotProcess({ SLACK_BOT_TOKEN: "xoxb-only-the-bot-token", CABALBOT_DB: `${tempDir()}/x.sqlite` });
    expect(await bot.exited).toBe(2);
    expect(bot.output).toContain("Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN");
  });
});
