// `tz`: a person sets, shows or forgets their own zone. A chosen zone wins over the chat profile's (Matrix
// profiles carry none; on Slack it overrides the profile), and answers and agendas use it.
import { isIanaTimeZone, readTimeZone } from "../domain/time-zones.js";
import type { UserZoneAnswer } from "../domain/user-zone-text.js";
import type { Rejected } from "./agenda.js";
import type { BotDeps } from "./deps.js";
import type { ChatUser } from "./ports.js";

/** What `tz` did; `zone-shown` without a zone: neither chosen nor in the profile. */
export type UserZoneOutcome = UserZoneAnswer;

export async function setUserZone(
  deps: Pick<BotDeps, "store" | "clock" | "log">,
  request: { user: ChatUser; zone: string },
): Promise<UserZoneOutcome | Rejected> {
  const reading = readTimeZone(request.zone);
  if (!reading.ok) {
    return {
      kind: "rejected",
      reason: {
        code: "unknown-zone",
        typed: request.zone,
        ...(reading.suggestion ? { suggestion: reading.suggestion } : {}),
      },
    };
  }
  await deps.store.saveUserZone(request.user.id, reading.zone, deps.clock.now(), "chosen");
  deps.log.info({ userId: request.user.id, chat: request.user.chat, zone: reading.zone }, "zone chosen");
  return { kind: "zone-set", zone: reading.zone };
}

export async function clearUserZone(
  deps: Pick<BotDeps, "store" | "log">,
  request: { user: ChatUser },
): Promise<UserZoneOutcome> {
  const hadChosen = await deps.store.clearChosenUserZone(request.user.id);
  const left = await deps.store.getUserZone(request.user.id);
  return { kind: "zone-cleared", hadChosen, ...(left ? { profileZone: left.timezone } : {}) };
}

/** The zone answers use for this person: the chosen one, else the profile's (asked of the chat when not cached). */
export async function showUserZone(
  deps: Pick<BotDeps, "store" | "chat" | "clock" | "log">,
  request: { user: ChatUser },
): Promise<UserZoneOutcome> {
  const known = await deps.store.getUserZone(request.user.id);
  if (known) return { kind: "zone-shown", zone: known.timezone, source: known.source };
  try {
    const reported = await deps.chat.userTimeZone(request.user);
    if (reported && isIanaTimeZone(reported)) {
      await deps.store.saveUserZone(request.user.id, reported, deps.clock.now());
      return { kind: "zone-shown", zone: reported, source: "profile" };
    }
  } catch (error) {
    deps.log.warn({ err: error, userId: request.user.id }, "could not read the user's time zone");
  }
  return { kind: "zone-shown" };
}
