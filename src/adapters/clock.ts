import type { Clock } from "../app/ports.js";

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that starts at a chosen instant and then runs at real speed: demos and end-to-end tests
 * use it (CABALBOT_CLOCK_START) to stand just before a meeting without waiting for the calendar.
 */
export function clockStartingAt(start: Date, real: Clock = systemClock): Clock {
  const offset = start.getTime() - real.now().getTime();
  return { now: () => new Date(real.now().getTime() + offset) };
}
