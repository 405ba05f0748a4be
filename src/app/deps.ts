import type { ChatPort, Clock, ConfigSource, Logger, Store } from "./ports.js";

/** Everything a use case may need; the composition root builds one. */
export interface BotDeps {
  config: ConfigSource;
  store: Store;
  clock: Clock;
  chat: ChatPort;
  log: Logger;
}
