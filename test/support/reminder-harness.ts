// The reminders use case on the memory store (or another), a fixed clock, the fake chat and a log that keeps its
// lines: what the reminder tests share. Each test file says which meetings it runs by default.
import { MemoryStore } from "../../src/adapters/memory/memory-store.js";
import type { BotDeps } from "../../src/app/deps.js";
import type { Store } from "../../src/app/ports.js";
import { newReminderRunState, sendDueReminders } from "../../src/app/send-due-reminders.js";
import type { CommunityConfig, Meeting } from "../../src/domain/meeting.js";
import { FakeChat } from "./fake-chat.js";
import { FixedClock } from "./fixed-clock.js";
import { MemoryLog } from "./memory-log.js";

/** Display zone Berlin; `run` is one run of the reminders job, `setMeetings` a reloaded configuration. */
export function reminderHarness(start: string, meetings: Meeting[], store: Store = new MemoryStore()) {
  let config: CommunityConfig = { displayZones: ["Europe/Berlin"], admins: [], meetings };
  const clock = new FixedClock(start);
  const chat = new FakeChat(clock);
  const log = new MemoryLog();
  const deps: BotDeps = { config: { current: () => config }, store, clock, chat, log };
  const state = newReminderRunState();
  return {
    deps,
    clock,
    chat,
    log,
    store,
    state,
    run: () => sendDueReminders(deps, state),
    config: () => config,
    setMeetings(next: Meeting[]) {
      config = { ...config, meetings: next };
    },
  };
}
