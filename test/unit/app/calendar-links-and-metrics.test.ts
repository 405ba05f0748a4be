// "Add to calendar" links in reminders and `/cabal next` (only when the public URL is known), and the figures
// the use cases report, read back from the prom-client adapter's text by an independent parser.
import { describe, expect, it } from "vitest";
import { renderOutcomeText, renderReminderText } from "../../../src/adapters/console/console-render.js";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { PrometheusMetrics } from "../../../src/adapters/metrics/prometheus-metrics.js";
import { renderReminder } from "../../../src/adapters/slack/render.js";
import { renderCommandOutcome } from "../../../src/adapters/slack/render-outcome.js";
import { pollNotes } from "../../../src/app/announce-notes.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { runCabalCommand } from "../../../src/app/run-command.js";
import { sendDueReminders } from "../../../src/app/send-due-reminders.js";
import { answerQuestion } from "../../../src/app/upcoming-meetings.js";
import type { CommunityConfig } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FakeNotesFetcher } from "../../support/fake-notes-fetcher.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";
import { MetricsReading } from "../../support/prometheus-text.js";

const HOUR = 3_600_000;
// The Cabal on Thursday 2026-01-15 at 11:00 EST (16:00Z); its 1-hour reminder is due at 15:00Z.
const config: CommunityConfig = {
  displayZones: [],
  admins: [],
  meetings: [testMeeting({ remindersMs: [HOUR] })],
};

function setup(publicUrl?: string, at = "2026-01-15T15:00:01Z") {
  const metrics = new PrometheusMetrics({ processMetrics: false });
  const clock = new FixedClock(at);
  const chat = new FakeChat(clock);
  const deps: BotDeps = {
    config: { current: () => config },
    store: new MemoryStore(),
    clock,
    chat,
    log: new MemoryLog(),
    metrics,
    ...(publicUrl ? { publicUrl } : {}),
  };
  return { deps, chat, metrics, clock };
}

const command = (deps: BotDeps, text: string) =>
  runCabalCommand(deps, { text, user: slackUser("U0ALICE"), userName: "alice", room: slackRoom("C0CABAL") });

describe("Add to calendar", () => {
  it("links the meeting's feed from reminders and /cabal next when the public URL is set", async () => {
    const { deps, chat } = setup("https://bot.example.org/");
    await sendDueReminders(deps);
    const [posted] = chat.reminders();
    expect(posted?.view.calendarUrl).toBe("https://bot.example.org/calendar/cabal.ics");
    const slack = renderReminder(posted?.view as NonNullable<typeof posted>["view"]);
    expect(JSON.stringify(slack.blocks)).toContain("<https://bot.example.org/calendar/cabal.ics|Add to calendar>");
    expect(slack.text).toContain("Add to calendar: https://bot.example.org/calendar/cabal.ics");
    expect(renderReminderText(posted?.view as NonNullable<typeof posted>["view"])).toContain(
      "Add to calendar: https://bot.example.org/calendar/cabal.ics",
    );

    const next = await command(deps, "next");
    expect(JSON.stringify(renderCommandOutcome(next, []).blocks)).toContain(
      "<https://bot.example.org/calendar/cabal.ics|Add to calendar>",
    );
    expect(renderOutcomeText(next, [])).toContain("Add to calendar: https://bot.example.org/calendar/cabal.ics");
  });

  it("shows no link when the bot does not know where it is reachable", async () => {
    const { deps, chat } = setup();
    await sendDueReminders(deps);
    const [posted] = chat.reminders();
    expect(posted).toBeDefined();
    const view = posted?.view as NonNullable<typeof posted>["view"];
    expect(JSON.stringify(renderReminder(view))).not.toContain("calendar");
    expect(renderReminderText(view)).not.toContain("calendar");
    const next = await command(deps, "next");
    expect(JSON.stringify(renderCommandOutcome(next, []))).not.toContain("calendar");
    expect(renderOutcomeText(next, [])).not.toContain("calendar");
  });
});

describe("figures for /metrics", () => {
  it("counts reminders sent, late, failed and dropped, with their lateness", async () => {
    const { deps, chat, metrics, clock } = setup();
    chat.failNextPost(Object.assign(new Error("internal_error"), { code: "slack_webapi_http_error" }));
    await sendDueReminders(deps);
    clock.advance(3_000);
    await sendDueReminders(deps);
    const reading = new MetricsReading(await metrics.text());
    expect(reading.value("cabalbot_reminder_failures_total", { meeting: "cabal" })).toBe(1);
    expect(reading.value("cabalbot_reminders_sent_total", { meeting: "cabal" })).toBe(1);
    expect(reading.value("cabalbot_reminders_late_total")).toBe(0);
    expect(reading.count("cabalbot_reminder_lateness_seconds")).toBe(1);
    // Posted on the retry, 4 s after its due time.
    expect(reading.sum("cabalbot_reminder_lateness_seconds")).toBeCloseTo(4, 3);
    expect(reading.bucket("cabalbot_reminder_lateness_seconds", "2")).toBe(0);
    expect(reading.bucket("cabalbot_reminder_lateness_seconds", "5")).toBe(1);

    // The next month's reminder, found 10 minutes late after an outage: posted, marked late.
    clock.set("2026-02-19T15:10:00Z");
    await sendDueReminders(deps);
    // And March's, seen only after the meeting started: dropped.
    clock.set("2026-03-19T15:00:30Z"); // 11:00 EDT: started 30 s ago
    await sendDueReminders(deps);
    const after = new MetricsReading(await metrics.text());
    expect(after.value("cabalbot_reminders_sent_total", { meeting: "cabal" })).toBe(2);
    expect(after.value("cabalbot_reminders_late_total", { meeting: "cabal" })).toBe(1);
    expect(after.value("cabalbot_reminders_dropped_total", { meeting: "cabal" })).toBe(1);
    expect(after.count("cabalbot_reminder_lateness_seconds")).toBe(2);
    expect(after.sum("cabalbot_reminder_lateness_seconds")).toBeCloseTo(604, 3);
  });

  it("counts commands by kind and questions by answer", async () => {
    const { deps, metrics } = setup();
    await command(deps, "topic add Podman 6");
    await command(deps, "topic add Quadlets");
    await command(deps, "topic list");
    await command(deps, "frobnicate");
    await answerQuestion(deps, { user: slackUser("U0ALICE"), text: "when is the next meeting?" });
    const reading = new MetricsReading(await metrics.text());
    expect(reading.value("cabalbot_commands_total", { command: "topic-add" })).toBe(2);
    expect(reading.value("cabalbot_commands_total", { command: "topic-list" })).toBe(1);
    expect(reading.value("cabalbot_commands_total", { command: "usage-error" })).toBe(1);
    expect(reading.value("cabalbot_questions_total", { answer: "next-meeting" })).toBe(1);
    expect(reading.family("cabalbot_commands_total")?.type).toBe("COUNTER");
  });

  it("counts notes polls by result and the announcement", async () => {
    const notes = testMeeting({
      id: "notes",
      notes: { source: "https://notes.example/{date}.md", pollEveryMs: 60_000, lookbackMs: 14 * 86_400_000 },
    });
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const clock = new FixedClock("2026-01-15T17:00:00Z");
    const deps: BotDeps = {
      config: { current: () => ({ displayZones: [], admins: [], meetings: [notes] }) },
      store: new MemoryStore(),
      clock,
      chat: new FakeChat(clock),
      log: new MemoryLog(),
      metrics,
    };
    const fetcher = new FakeNotesFetcher();
    fetcher.script(
      "https://notes.example/2026-01-15.md",
      { kind: "missing" },
      { kind: "error", message: "HTTP 502" },
      { kind: "found", body: "# Notes\n\n## Topics\n\n- Podman 6\n" },
    );
    for (let i = 0; i < 3; i++) {
      await pollNotes(deps, fetcher);
      clock.advance(30 * 60_000);
    }
    const reading = new MetricsReading(await metrics.text());
    expect(reading.value("cabalbot_notes_polls_total", { meeting: "notes", result: "missing" })).toBe(1);
    expect(reading.value("cabalbot_notes_polls_total", { meeting: "notes", result: "error" })).toBe(1);
    expect(reading.value("cabalbot_notes_polls_total", { meeting: "notes", result: "found" })).toBe(1);
    expect(reading.value("cabalbot_notes_announcements_total", { meeting: "notes", by_hand: "false" })).toBe(1);
  });
});
