// Publishes people's App Home pages (views.publish): when they open it, after they click in it, and again for
// everyone who looked recently when an agenda changes, so an open Home does not go stale.
import type { App } from "@slack/bolt";
import type { BotDeps } from "../../app/deps.js";
import { buildHome, type HomeAgendas, homeFor, readHomeAgendas } from "../../app/home.js";
import { StoreUnavailableError } from "../../app/ports.js";
import { renderHome } from "./render-home.js";
import { SLACK_CHAT } from "./slack-chat.js";

/** The one Web API method the publisher calls (a narrow type, so a test can stand in for it). */
export interface ViewsPublisher {
  views: Pick<App["client"]["views"], "publish">;
}

export interface HomePublisherLimits {
  /** At most this many recent viewers are remembered (the most recent); older ones are forgotten. */
  maxViewers: number;
  /** A viewer is recent for this long after they last opened or used their Home. */
  recentMs: number;
}

/** An hour, at most 100 people: a refresh round stays within views.publish's rate limit (100+ a minute). */
export const DEFAULT_HOME_LIMITS: HomePublisherLimits = { maxViewers: 100, recentMs: 3_600_000 };

export class HomePublisher {
  /** Slack user id → when they last opened or used their Home (bot clock, ms); oldest first (Map order). */
  private readonly recent = new Map<string, number>();
  private round: Promise<void> | undefined;
  /** An agenda changed while a round was running: run one more when it ends. */
  private again = false;

  constructor(
    private readonly client: ViewsPublisher,
    private readonly deps: BotDeps,
    private readonly limits: HomePublisherLimits = DEFAULT_HOME_LIMITS,
  ) {}

  /** Remembers that the person is looking at their Home now, dropping the least recent beyond the limit. */
  noteViewer(userId: string): void {
    this.recent.delete(userId);
    this.recent.set(userId, this.deps.clock.now().getTime());
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= this.limits.maxViewers) break;
      this.recent.delete(oldest);
    }
  }

  /** The people who looked within `recentMs`, forgetting the others. */
  recentViewers(): string[] {
    const since = this.deps.clock.now().getTime() - this.limits.recentMs;
    for (const [userId, at] of this.recent) if (at < since) this.recent.delete(userId);
    return [...this.recent.keys()];
  }

  /**
   * Builds and publishes one person's Home; from `agendas` when a round already read them. A failed publish is
   * counted and logged, not thrown: the next open or change publishes again.
   */
  async publishFor(userId: string, agendas?: HomeAgendas): Promise<void> {
    const viewer = { chat: SLACK_CHAT, id: userId };
    const view = agendas ? await homeFor(this.deps, viewer, agendas) : await buildHome(this.deps, viewer);
    try {
      await this.client.views.publish({ user_id: userId, view: renderHome(view) });
    } catch (error) {
      this.deps.metrics?.chatError("views.publish");
      this.deps.log.warn({ err: error, userId }, "could not publish the App Home");
    }
  }

  /** An agenda changed: republish every recent viewer's Home; changes during a round are covered by one more. */
  agendaChanged(): void {
    if (this.round) {
      this.again = true;
      return;
    }
    this.round = this.refreshRounds()
      .catch((error) => this.deps.log.error({ err: error }, "App Homes not refreshed"))
      .finally(() => {
        this.round = undefined;
      });
  }

  /** Resolves once no refresh round is running. */
  async settled(): Promise<void> {
    while (this.round) await this.round;
  }

  private async refreshRounds(): Promise<void> {
    do {
      this.again = false;
      const viewers = this.recentViewers();
      if (viewers.length === 0) continue;
      let agendas: HomeAgendas;
      try {
        // Read once for everyone: the agendas are the same, only zones, marks and subscriptions differ.
        agendas = await readHomeAgendas(this.deps);
      } catch (error) {
        if (!(error instanceof StoreUnavailableError)) throw error;
        this.deps.log.warn({ err: error }, "App Homes not refreshed: the database is not available");
        return;
      }
      for (const userId of viewers) await this.publishFor(userId, agendas);
    } while (this.again);
  }
}
