// A meeting literal for tests: the Podman Cabal's shape, with whatever a test overrides.
import type { Meeting } from "../../src/domain/meeting.js";

/** `channel` is a Slack channel, as the config's `channel:` says; `rooms` gives any others. */
export function testMeeting({ channel, ...overrides }: Partial<Meeting> & { channel?: string } = {}): Meeting {
  return {
    id: "cabal",
    title: "Podman Community Cabal",
    rooms: [{ chat: "slack", room: channel ?? "C0CABAL" }],
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

/** The rooms of a meeting held in one Slack channel. */
export function slackRooms(channel: string): Meeting["rooms"] {
  return [{ chat: "slack", room: channel }];
}

/** A Slack channel as a room of the core. */
export function slackRoom(channel: string): { chat: string; room: string } {
  return { chat: "slack", room: channel };
}

/** A Slack user as a user of the core. */
export function slackUser(id: string): { chat: string; id: string } {
  return { chat: "slack", id };
}
