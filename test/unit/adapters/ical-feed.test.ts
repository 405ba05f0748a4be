// The calendar feed read back by an independent iCalendar parser (ical.js, Mozilla's): the same occurrences as
// `cabalbot next` gives (nextOccurrences) for two years, through DST changes, schedule changes, skips and one-offs.
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { renderICalendar } from "../../../src/adapters/ical/render-ical.js";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import { type CalendarFeed, calendarFeed } from "../../../src/app/calendar-feed.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { loadConfigFile } from "../../../src/config.js";
import { nextOccurrences } from "../../../src/domain/calendar.js";
import type { CommunityConfig, Meeting } from "../../../src/domain/meeting.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const PODMAN = loadConfigFile(new URL("../../../config/podman.yml", import.meta.url).pathname);
const TWO_YEARS = 731;

interface ParsedEvent {
  uid: string;
  summary: string;
  start: Date;
  end: Date;
  status: string;
  description: string;
  location?: string;
  url?: string;
  tzid?: string;
}

/** Every VEVENT as ical.js understands it, its times resolved through the feed's own VTIMEZONEs. */
function parseFeed(text: string): ParsedEvent[] {
  const calendar = new ICAL.Component(ICAL.parse(text) as unknown[]);
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  try {
    return calendar.getAllSubcomponents("vevent").map((component) => {
      const event = new ICAL.Event(component);
      const url = component.getFirstPropertyValue("url");
      return {
        uid: event.uid,
        summary: event.summary,
        start: event.startDate.toJSDate(),
        end: event.endDate.toJSDate(),
        status: String(component.getFirstPropertyValue("status")),
        description: event.description,
        location: event.location || undefined,
        url: url ? String(url) : undefined,
        tzid: component.getFirstProperty("dtstart")?.getParameter("tzid") as string | undefined,
      };
    });
  } finally {
    ICAL.TimezoneService.reset();
  }
}

function depsAt(config: CommunityConfig, now: string, store = new MemoryStore()): BotDeps {
  const clock = new FixedClock(now);
  return {
    config: { current: () => config },
    store,
    clock,
    chat: new FakeChat(clock),
    log: new MemoryLog(),
  };
}

async function feedText(deps: BotDeps, request: { meetingId?: string; days?: number } = {}): Promise<string> {
  const feed = (await calendarFeed(deps, request)) as CalendarFeed;
  expect(feed.kind).toBe("calendar");
  return renderICalendar(feed, deps.publicUrl);
}

/** What `cabalbot next --count N` lists for a meeting, cut at the window's end. */
function nextWithin(meeting: Meeting, from: Date, days: number): { date: string; start: string }[] {
  const until = from.getTime() + days * 86_400_000;
  return nextOccurrences(meeting, from, 1000)
    .filter((o) => o.start.getTime() < until)
    .map((o) => ({ date: o.date, start: o.start.toISOString() }));
}

const dateOfUid = (uid: string) => /-(\d{4}-\d{2}-\d{2})@/.exec(uid)?.[1];

describe("calendar feed through an independent parser", () => {
  it("holds every occurrence `next` gives for two years of Podman's schedule history, skips cancelled, one-offs in", async () => {
    const now = "2023-01-01T00:00:00Z";
    const events = parseFeed(await feedText(depsAt(PODMAN, now), { days: TWO_YEARS }));
    for (const meeting of PODMAN.meetings) {
      const mine = events.filter((e) => e.uid.startsWith(`${meeting.id}-`));
      const held = mine
        .filter((e) => e.status === "CONFIRMED")
        .map((e) => ({ date: dateOfUid(e.uid), start: e.start.toISOString() }));
      expect(held, meeting.id).toEqual(nextWithin(meeting, new Date(now), TWO_YEARS));
      for (const event of mine) {
        expect(event.tzid).toBe(meeting.timezone); // 11:00 is never a repeated hour
        expect(event.summary).toBe(meeting.title);
        expect(event.end.getTime() - event.start.getTime()).toBe(meeting.durationMinutes * 60_000);
      }
    }
    const cabal = (date: string) => events.find((e) => e.uid === `cabal-${date}@cabalbot`);
    // The Cabal moved from third Thursdays to third Tuesdays in November 2023, and held December a week early.
    expect(cabal("2023-10-19")?.start.toISOString()).toBe("2023-10-19T15:00:00.000Z");
    expect(cabal("2023-11-21")?.start.toISOString()).toBe("2023-11-21T16:00:00.000Z");
    expect(cabal("2023-12-12")?.status).toBe("CONFIRMED");
    expect(cabal("2023-12-19")?.status).toBe("CANCELLED");
    expect(cabal("2023-12-19")?.start.toISOString()).toBe("2023-12-19T16:00:00.000Z");
    expect(events.filter((e) => e.status === "CANCELLED").map((e) => e.uid)).toEqual(["cabal-2023-12-19@cabalbot"]);
    // 11:00 New York on both sides of the 2023 and 2024 clock changes: 16:00Z in winter, 15:00Z in summer.
    expect(cabal("2023-02-16")?.start.toISOString()).toBe("2023-02-16T16:00:00.000Z");
    expect(cabal("2023-03-16")?.start.toISOString()).toBe("2023-03-16T15:00:00.000Z");
    expect(events.find((e) => e.uid === "community-2024-12-03@cabalbot")?.start.toISOString()).toBe(
      "2024-12-03T16:00:00.000Z",
    );
    expect(events.at(-1)?.start.getTime()).toBeLessThan(Date.parse(now) + TWO_YEARS * 86_400_000);
  });

  it("matches `next` from 2025 into the stand-ups that replaced the Cabal in May 2026", async () => {
    const now = "2025-06-01T12:00:00Z";
    const events = parseFeed(await feedText(depsAt(PODMAN, now), { days: TWO_YEARS }));
    for (const meeting of PODMAN.meetings) {
      const held = events
        .filter((e) => e.uid.startsWith(`${meeting.id}-`))
        .map((e) => ({ date: dateOfUid(e.uid), start: e.start.toISOString() }));
      expect(held, meeting.id).toEqual(nextWithin(meeting, new Date(now), TWO_YEARS));
    }
    expect(events.filter((e) => e.uid.startsWith("cabal-")).at(-1)?.uid).toBe("cabal-2026-05-05@cabalbot");
    // Monday stand-ups at 10:00 and Thursday ones at 11:00, New York time.
    expect(events.find((e) => e.uid === "standup-2026-05-07@cabalbot")?.start.toISOString()).toBe(
      "2026-05-07T15:00:00.000Z",
    );
    expect(events.find((e) => e.uid === "standup-2026-05-11@cabalbot")?.start.toISOString()).toBe(
      "2026-05-11T14:00:00.000Z",
    );
  });

  it("places times in a spring-forward gap and a fall-back fold where `next` does, in other zones too", async () => {
    // Sundays 02:30 in Berlin (clocks change at 02:00/03:00 local) and 01:30 in New York (changes at 02:00/01:00).
    const config: CommunityConfig = {
      displayZones: [],
      admins: [],
      meetings: [
        testMeeting({
          id: "berlin",
          timezone: "Europe/Berlin",
          time: "02:30",
          schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU", from: "2026-01-01" }],
        }),
        testMeeting({
          id: "newyork",
          timezone: "America/New_York",
          time: "01:30",
          schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=SU", from: "2026-01-01" }],
          skip: ["2027-03-14"],
        }),
      ],
    };
    const now = "2026-01-01T00:00:00Z";
    const events = parseFeed(await feedText(depsAt(config, now), { days: TWO_YEARS }));
    for (const meeting of config.meetings) {
      const held = events
        .filter((e) => e.uid.startsWith(`${meeting.id}-`) && e.status === "CONFIRMED")
        .map((e) => ({ date: dateOfUid(e.uid), start: e.start.toISOString() }));
      expect(held, meeting.id).toEqual(nextWithin(meeting, new Date(now), TWO_YEARS));
    }
    const start = (uid: string) => events.find((e) => e.uid === uid)?.start.toISOString();
    // 02:30 does not exist on 2026-03-29 in Berlin: it moves forward by the gap, to 03:30 CEST.
    expect(start("berlin-2026-03-29@cabalbot")).toBe("2026-03-29T01:30:00.000Z");
    // 02:30 happens twice on 2026-10-25: the first, in CEST (written in UTC: parsers disagree on which is meant).
    expect(start("berlin-2026-10-25@cabalbot")).toBe("2026-10-25T00:30:00.000Z");
    expect(events.find((e) => e.uid === "berlin-2026-10-25@cabalbot")?.tzid).toBeUndefined();
    expect(events.find((e) => e.uid === "berlin-2026-10-18@cabalbot")?.tzid).toBe("Europe/Berlin");
    expect(start("newyork-2026-11-01@cabalbot")).toBe("2026-11-01T05:30:00.000Z");
    expect(events.find((e) => e.uid === "newyork-2027-03-14@cabalbot")?.status).toBe("CANCELLED");
  });

  it("carries the agenda, the join and notes links, and the public URL's host in the UIDs", async () => {
    const store = new MemoryStore();
    const meeting = testMeeting({
      joinUrl: "https://meet.example.org/cabal",
      agendaUrl: "https://hackmd.io/@podman/cabal",
    });
    const deps = { ...depsAt({ displayZones: [], admins: [], meetings: [meeting] }, "2026-01-10T00:00:00Z", store) };
    deps.publicUrl = "https://bot.example.org/";
    const topic = (title: string, name: string) =>
      store.addTopic({
        meetingId: "cabal",
        occurrenceDate: "2026-01-15",
        title,
        proposerId: "U0ALICE",
        proposerChat: "slack",
        proposerName: name,
        source: "chat",
        createdAt: new Date("2026-01-10T00:00:00Z"),
      });
    await topic("Quadlets; pods, and <volumes> \\ backslashes", "Añña");
    await topic("Line one\nline two", "bob");
    const text = await feedText(deps, { meetingId: "cabal" });
    expect(text).toContain("X-WR-CALNAME:Podman Community Cabal");
    expect(text).toMatch(/BEGIN:VTIMEZONE\r\nTZID:America\/New_York/);
    const events = parseFeed(text);
    expect(events).toHaveLength(12);
    const first = events[0] as ParsedEvent;
    expect(first.uid).toBe("cabal-2026-01-15@bot.example.org");
    expect(first.location).toBe("https://meet.example.org/cabal");
    expect(first.url).toBe("https://hackmd.io/@podman/cabal");
    expect(first.description).toBe(
      [
        "Agenda proposed so far:",
        "1. Quadlets; pods, and <volumes> \\ backslashes - Añña",
        "2. Line one\nline two - bob",
        "Propose a topic with /cabal topic add <title>.",
        "",
        "Join: https://meet.example.org/cabal",
        "Live notes: https://hackmd.io/@podman/cabal",
      ].join("\n"),
    );
    expect(events[1]?.description).toMatch(/^No topics proposed yet\./);
  });

  it("names the meetings there are when asked for one that is not", async () => {
    expect(await calendarFeed(depsAt(PODMAN, "2026-01-01T00:00:00Z"), { meetingId: "nope" })).toEqual({
      kind: "unknown-meeting",
      meetingId: "nope",
      known: ["community", "cabal", "standup"],
    });
  });
});
