// A meeting literal for tests: the Podman Cabal's shape, with whatever a test overrides.
import type { Meeting } from "../../src/domain/meeting.js";

export function testMeeting(overrides: Partial<Meeting> = {}): Meeting {
  return {
    id: "cabal",
    title: "Podman Community Cabal",
    channel: "C0CABAL",
    timezone: "America/New_York",
    time: "11:00",
    durationMinutes: 60,
    schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=3TH", from: "2020-01-01" }],
    dates: [],
    skip: [],
    remindersMs: [],
    ...overrides,
  };
}
