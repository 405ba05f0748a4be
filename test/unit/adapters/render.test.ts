// What people see in Slack: reminders, agendas and answers rendered to Block Kit and a text fallback.

import { describe, expect, it } from "vitest";
import {
  renderAgenda,
  renderAnswer,
  renderRejected,
  renderReminder,
  renderTopicAdded,
} from "../../../src/adapters/slack/render.js";
import { renderCommandOutcome } from "../../../src/adapters/slack/render-outcome.js";
import type { Topic } from "../../../src/app/ports.js";
import { nextOccurrence } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { AGENDA_PAGE_SIZE, pageOf } from "../../../src/domain/paging.js";
import { testMeeting } from "../../support/meetings.js";

const cabal = testMeeting({ joinUrl: "https://meet.example/abc?x=1&y=2", agendaUrl: "https://hackmd.io/abc" });
const occurrence = nextOccurrence(cabal, new Date("2026-01-01T00:00:00Z")) as Occurrence;
const ZONES = ["America/Los_Angeles", "Europe/Berlin", "Asia/Kolkata", "Asia/Tokyo"];

function topic(title: string, proposerName: string, id = 1): Topic {
  return {
    id,
    meetingId: "cabal",
    occurrenceDate: occurrence.date,
    title,
    proposerId: "U0X",
    proposerChat: "slack",
    proposerName,
    source: "chat",
    createdAt: new Date(0),
  };
}

const everything = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("renderReminder", () => {
  it("says when, in every zone and the reader's own, with links and the agenda so far", () => {
    const message = renderReminder({
      meeting: cabal,
      occurrence,
      leadMs: 3_600_000,
      late: false,
      topics: [topic("containersh", "Dan Walsh"), topic("Bug week", "Matt Heon", 2)],
      displayZones: ZONES,
    });
    const all = everything(message);
    expect(occurrence.date).toBe("2026-01-15");
    expect(message.text).toContain(
      "Reminder: Podman Community Cabal starts in 1 hour — Thursday, January 15, 2026, 11:00 EST (UTC-5)",
    );
    expect(message.text).toContain("1. containersh - Dan Walsh\n2. Bug week - Matt Heon");
    expect(all).toContain("<!date^1768492800^{date_long_pretty} {time}|Thursday, January 15, 2026, 11:00 EST (UTC-5)>");
    expect(all).toContain("Thu 08:00 Los Angeles · Thu 17:00 Berlin · Thu 21:30 Kolkata · Fri 01:00 Tokyo (+1 day)");
    expect(all).toContain("<https://meet.example/abc?x=1&amp;y=2|Join the call>");
    expect(all).toContain("<https://hackmd.io/abc|Live notes>");
  });

  it("says when no topic is proposed yet and how to add one, and says a late reminder is late", () => {
    const message = renderReminder({
      meeting: cabal,
      occurrence,
      leadMs: 86_400_000,
      late: true,
      topics: [],
      displayZones: [],
    });
    expect(message.text).toContain("starts soon (this reminder is late)");
    expect(everything(message)).toContain(
      "no topics proposed yet. Propose a topic with `/cabal topic add &lt;title&gt;`.",
    );
  });

  it("escapes what people wrote, so no mention, broadcast or link can come from it", () => {
    const hostile = topic("<!channel> <@U0BOSS> & <https://evil.example|click>", "<!here>");
    const message = renderReminder({
      meeting: cabal,
      occurrence,
      leadMs: 60_000,
      late: false,
      topics: [hostile],
      displayZones: [],
    });
    const all = everything(message);
    expect(all).not.toMatch(/<!channel>|<!here>|<@U0BOSS>|<https:\/\/evil/);
    expect(message.text).toContain(
      "1. &lt;!channel&gt; &lt;@U0BOSS&gt; &amp; &lt;https://evil.example|click&gt; - &lt;!here&gt;",
    );
  });

  it("keeps a long agenda whole within Slack's block limits", () => {
    const topics = Array.from({ length: 40 }, (_, i) => topic(`${i + 1} ${"x".repeat(290)}`, "Someone", i + 1));
    const message = renderReminder({
      meeting: cabal,
      occurrence,
      leadMs: 60_000,
      late: false,
      topics,
      displayZones: ZONES,
    });
    const sections = message.blocks.filter((b) => b.type === "section") as { text: { text: string } }[];
    expect(sections.every((s) => s.text.text.length <= 3000)).toBe(true);
    expect(message.blocks.length).toBeLessThanOrEqual(50);
    expect(sections.map((s) => s.text.text).join("\n")).toContain("40. 40 xxx");
    expect(message.text.length).toBeLessThanOrEqual(4000);
  });
});

describe("agenda and answers", () => {
  it("numbers the agenda with proposers, like the notes do", () => {
    const message = renderAgenda(
      {
        kind: "agenda",
        meeting: cabal,
        occurrence,
        topics: [topic("containersh", "Dan Walsh")],
        page: pageOf(1, AGENDA_PAGE_SIZE),
      },
      ZONES,
    );
    expect(message.text).toBe("Agenda of Podman Community Cabal — Thu, Jan 15, 2026:\n1. containersh - Dan Walsh");
  });

  it("confirms an added topic with its number, meeting and date", () => {
    const message = renderTopicAdded({
      kind: "added",
      meeting: cabal,
      occurrence,
      topic: topic("a & b", "Ann"),
      position: 3,
    });
    expect(message.text).toBe("Added topic 3 to Podman Community Cabal on Thu, Jan 15, 2026: a &amp; b");
  });

  it("answers in the asker's zone, or with a date token when the zone is unknown", () => {
    const upcoming = { meeting: cabal, occurrence };
    const inKolkata = renderAnswer({ kind: "next-meeting", upcoming, askerZone: "Asia/Kolkata" }, "help");
    expect(inKolkata.text).toBe(
      "The next Podman Community Cabal is Thursday, January 15, 2026, 11:00 EST (UTC-5). That is Thu, Jan 15, 21:30 Kolkata time (UTC+5:30) for you.",
    );
    const unknown = renderAnswer({ kind: "next-meeting", upcoming }, "help");
    expect(JSON.stringify(unknown.blocks)).toContain("Your time: <!date^1768492800^");
    expect(renderAnswer({ kind: "not-understood" }, "I answer questions like…").text).toBe("I answer questions like…");
  });
});

describe("refusals and usage", () => {
  it("escapes a refusal's whole text, so user text inside it and the bot's own <placeholders> stay text", () => {
    const message = renderRejected("The notes (https://x/<!here>) were already announced. Usage: `/cabal notes <url>`");
    expect(everything(message)).not.toMatch(/<!here>|<url>/);
    expect(message.text).toBe(
      "The notes (https://x/&lt;!here&gt;) were already announced. Usage: `/cabal notes &lt;url&gt;`",
    );
  });

  it("shows the typed word of an unknown command escaped, as code it cannot break out of", () => {
    const outcome = {
      kind: "help" as const,
      meetings: [cabal],
      running: [cabal],
      problem: { code: "unknown-command" as const, typed: "&lt;!channel&gt;`<javascript:alert(1)|x>" },
    };
    const message = renderCommandOutcome(outcome, []);
    const all = everything(message);
    expect(all).not.toMatch(/<!channel>|<javascript:|<title>/);
    expect(message.text).toContain(
      ":warning: I don't know the command `&amp;lt;!channel&amp;gt;ˋ&lt;javascript:alert(1)|x&gt;`.",
    );
    expect(message.text).toContain("• `/cabal topic add &lt;title&gt;` — propose a topic");
  });
});
