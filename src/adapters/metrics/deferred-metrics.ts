// Metrics that exist before prom-client is loaded. Loading it took ~20 ms of every start, spent before the bot
// could answer; now it loads once the bot is ready, and what was counted until then is handed over on arrival.
import type { Metrics } from "../../app/ports.js";
import type { MetricsExposition } from "../http/bot-routes.js";

type Counted = (metrics: Metrics) => void;

/** The counts of the first moments after start are few; past this many (never seen) the oldest are dropped. */
const MAX_WAITING = 10_000;

export class DeferredMetrics implements Metrics, MetricsExposition {
  private target: (Metrics & MetricsExposition) | undefined;
  private waiting: Counted[] = [];
  private readonly arrived: Promise<Metrics & MetricsExposition>;
  private arrive: (target: Metrics & MetricsExposition) => void = () => {};

  constructor() {
    this.arrived = new Promise((resolve) => {
      this.arrive = resolve;
    });
  }

  /** Hands every count so far to the real metrics, and every later one straight away. */
  attach(target: Metrics & MetricsExposition): void {
    this.target = target;
    for (const count of this.waiting) count(target);
    this.waiting = [];
    this.arrive(target);
  }

  private count(what: Counted): void {
    if (this.target) {
      what(this.target);
      return;
    }
    if (this.waiting.length >= MAX_WAITING) this.waiting.shift();
    this.waiting.push(what);
  }

  async text(): Promise<string> {
    return (await this.arrived).text();
  }

  get contentType(): string {
    return this.target?.contentType ?? "text/plain; version=0.0.4; charset=utf-8";
  }

  reminderSent(meetingId: string, latenessMs: number, late: boolean): void {
    this.count((m) => m.reminderSent(meetingId, latenessMs, late));
  }
  reminderFailed(meetingId: string): void {
    this.count((m) => m.reminderFailed(meetingId));
  }
  reminderDropped(meetingId: string): void {
    this.count((m) => m.reminderDropped(meetingId));
  }
  commandHandled(kind: string): void {
    this.count((m) => m.commandHandled(kind));
  }
  questionAnswered(kind: string): void {
    this.count((m) => m.questionAnswered(kind));
  }
  chatError(method: string): void {
    this.count((m) => m.chatError(method));
  }
  notesPolled(meetingId: string, result: string): void {
    this.count((m) => m.notesPolled(meetingId, result));
  }
  notesAnnounced(meetingId: string, byHand: boolean): void {
    this.count((m) => m.notesAnnounced(meetingId, byHand));
  }
  tickDuration(seconds: number): void {
    this.count((m) => m.tickDuration(seconds));
  }
}
