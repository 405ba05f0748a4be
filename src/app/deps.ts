import type { AgendaChanges } from "./agenda-changes.js";
import type { ChatPort, Clock, ConfigSource, Logger, Metrics, Store } from "./ports.js";

/**
 * Everything the use cases may need; the composition root builds one, with every adapter already made (no
 * late binding). Use cases that need less declare it with `Pick<BotDeps, …>`.
 */
export interface BotDeps {
  config: ConfigSource;
  store: Store;
  clock: Clock;
  chat: ChatPort;
  log: Logger;
  /** Counts for `/metrics`; nothing is counted when absent. */
  metrics?: Metrics;
  /** Where people reach the bot's HTTP server (`CABALBOT_PUBLIC_URL`), for "Add to calendar" links. */
  publicUrl?: string;
  /** Told when a topic is added or removed (the App Home refreshes); nobody is told when absent. */
  agendaChanges?: AgendaChanges;
  /** Called after notices were queued, so whatever sends the outbox starts now rather than at its next look. */
  noticesQueued?: () => void;
}
