// The notices job: sends the outbox's due direct messages a few at a time (see send-notices).
import type { BotDeps } from "../app/deps.js";
import { sendDueNotices } from "../app/send-notices.js";
import type { ScheduledJob } from "./scheduler.js";

export const NOTICES_JOB = "notices";

export function noticeJobs(deps: BotDeps): ScheduledJob[] {
  return [{ name: NOTICES_JOB, run: () => sendDueNotices(deps) }];
}
