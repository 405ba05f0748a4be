// The Metrics port on prom-client: counters and histograms in one registry, exposed as Prometheus text on
// `GET /metrics`, with the process's own figures (memory, CPU, event loop) alongside.
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";
import type { Metrics } from "../../app/ports.js";

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  private readonly remindersSent: Counter<"meeting">;
  private readonly remindersLate: Counter<"meeting">;
  private readonly remindersFailed: Counter<"meeting">;
  private readonly remindersDropped: Counter<"meeting">;
  private readonly reminderLateness: Histogram;
  private readonly commands: Counter<"command">;
  private readonly questions: Counter<"answer">;
  private readonly chatErrors: Counter<"method">;
  private readonly notesPolls: Counter<"meeting" | "result">;
  private readonly notesAnnouncements: Counter<"meeting" | "by_hand">;
  private readonly tickSeconds: Histogram;

  constructor(options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: "cabalbot_" });
    this.remindersSent = new Counter({
      name: "cabalbot_reminders_sent_total",
      help: "Reminders posted to a meeting's channel.",
      labelNames: ["meeting"],
      registers,
    });
    this.remindersLate = new Counter({
      name: "cabalbot_reminders_late_total",
      help: "Reminders posted late, after their due time had passed while the bot was down.",
      labelNames: ["meeting"],
      registers,
    });
    this.remindersFailed = new Counter({
      name: "cabalbot_reminder_failures_total",
      help: "Failed attempts to post a reminder (each is retried until the meeting starts).",
      labelNames: ["meeting"],
      registers,
    });
    this.remindersDropped = new Counter({
      name: "cabalbot_reminders_dropped_total",
      help: "Reminders given up: the meeting started first, or a later reminder of it was due too.",
      labelNames: ["meeting"],
      registers,
    });
    this.reminderLateness = new Histogram({
      name: "cabalbot_reminder_lateness_seconds",
      // Unlabelled: per-meeting counts are in the counters, and Prometheus parsers handle plain histograms best.
      help: "Time from a reminder's due instant to its post.",
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 300, 1800, 3600, 86400],
      registers,
    });
    this.commands = new Counter({
      name: "cabalbot_commands_total",
      help: "/cabal commands handled, by what they were parsed as.",
      labelNames: ["command"],
      registers,
    });
    this.questions = new Counter({
      name: "cabalbot_questions_total",
      help: "Direct questions answered, by the kind of answer.",
      labelNames: ["answer"],
      registers,
    });
    this.chatErrors = new Counter({
      name: "cabalbot_chat_errors_total",
      help: "Failed chat platform calls (Slack Web API), by method.",
      labelNames: ["method"],
      registers,
    });
    this.notesPolls = new Counter({
      name: "cabalbot_notes_polls_total",
      help: "Fetches of a meeting's notes, by result (found, missing, not-modified, error).",
      labelNames: ["meeting", "result"],
      registers,
    });
    this.notesAnnouncements = new Counter({
      name: "cabalbot_notes_announcements_total",
      help: "Notes announcements posted.",
      labelNames: ["meeting", "by_hand"],
      registers,
    });
    this.tickSeconds = new Histogram({
      name: "cabalbot_tick_duration_seconds",
      help: "Duration of one scheduler tick: until its reminders and notes jobs were done.",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
  }

  reminderSent(meetingId: string, latenessMs: number, late: boolean): void {
    this.remindersSent.inc({ meeting: meetingId });
    if (late) this.remindersLate.inc({ meeting: meetingId });
    this.reminderLateness.observe(Math.max(0, latenessMs) / 1000);
  }

  reminderFailed(meetingId: string): void {
    this.remindersFailed.inc({ meeting: meetingId });
  }

  reminderDropped(meetingId: string): void {
    this.remindersDropped.inc({ meeting: meetingId });
  }

  commandHandled(kind: string): void {
    this.commands.inc({ command: kind });
  }

  questionAnswered(kind: string): void {
    this.questions.inc({ answer: kind });
  }

  chatError(method: string): void {
    this.chatErrors.inc({ method });
  }

  notesPolled(meetingId: string, result: string): void {
    this.notesPolls.inc({ meeting: meetingId, result });
  }

  notesAnnounced(meetingId: string, byHand: boolean): void {
    this.notesAnnouncements.inc({ meeting: meetingId, by_hand: String(byHand) });
  }

  tickDuration(seconds: number): void {
    this.tickSeconds.observe(seconds);
  }

  /** The Prometheus text exposition. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
