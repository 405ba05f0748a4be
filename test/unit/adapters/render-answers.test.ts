// What people read for ended meetings, meetings on now, "today?" and answers in an asked zone: Slack and console.
import { describe, expect, it } from "vitest";
import { renderAnswerText, renderEndedText, renderOutcomeText } from "../../../src/adapters/console/console-render.js";
import { renderAnswer, renderEnded } from "../../../src/adapters/slack/render.js";
import { renderCommandOutcome } from "../../../src/adapters/slack/render-outcome.js";
import type { MeetingEnded } from "../../../src/app/meeting-status.js";
import { nextOccurrence, previousOccurrence } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const cabal = testMeeting({
  schedule: [{ rrule: "FREQ=MONTHLY;BYMONTH=1,3,5,7,9,11;BYDAY=1TU", from: "2024-07-01", until: "2026-05-05" }],
  replacedBy: "standup",
  endedNote: "The open stand-ups take its place.",
});
const standup = testMeeting({
  id: "standup",
  title: "Podman Stand-up",
  durationMinutes: 30,
  schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TH", from: "2026-05-06" }],
});
const community = testMeeting({ id: "community", title: "Podman Community Meeting" });
const NOW = new Date("2026-11-26T14:00:00Z");
const nextStandup = nextOccurrence(standup, NOW) as Occurrence;

const ended: MeetingEnded = {
  kind: "ended",
  meeting: cabal,
  lastOccurrence: previousOccurrence(cabal, NOW),
  replacedBy: { meeting: standup, next: nextStandup },
  note: "The open stand-ups take its place.",
};

const everything = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("an ended meeting", () => {
  it("gives its last date, the note and its successor's next date, in Slack and on the console", () => {
    for (const shown of [everything(renderEnded(ended)), renderEndedText(ended)]) {
      expect(shown).toContain("Podman Community Cabal");
      expect(shown).toContain("has ended: the last one was on Tuesday, May 5, 2026.");
      expect(shown).toContain("The open stand-ups take its place.");
      expect(shown).toContain("replaced by");
      expect(shown).toContain("Podman Stand-up");
      expect(shown).toContain("Thursday, November 26, 2026, 11:00 EST (UTC-5)");
      expect(shown).not.toMatch(/no upcoming meeting|No meeting is on the schedule/);
    }
  });

  it("is the reply to `/cabal cabal next` in both renderers", () => {
    expect(renderCommandOutcome(ended, []).text).toContain("has ended");
    expect(renderOutcomeText(ended, [])).toContain("has ended");
  });

  it("escapes the config's note in Slack", () => {
    const hostile = renderEnded({ ...ended, note: "Ask <!here> & <@U0BOSS>" });
    expect(everything(hostile)).not.toMatch(/<!here>|<@U0BOSS>/);
  });
});

describe("help examples", () => {
  it("use a meeting that still runs", () => {
    const help = { kind: "help" as const, meetings: [community, cabal, standup], running: [community, standup] };
    expect(renderCommandOutcome(help, []).text).toContain("/cabal standup topic add");
    expect(renderOutcomeText(help, [])).toContain("/cabal standup topic add");
    expect(renderOutcomeText(help, [])).not.toContain("/cabal cabal topic add");
  });
});

describe("answers", () => {
  const upcoming = { meeting: standup, occurrence: nextStandup };

  it("a meeting on now: since when, until when, and the asker's own times", () => {
    const onNow = {
      kind: "on-now" as const,
      upcoming,
      end: new Date(nextStandup.start.getTime() + 30 * 60_000),
      askerZone: "Asia/Kolkata",
    };
    const expected = "is on now, since 11:00 EST (UTC-5), until 11:30 EST (UTC-5)";
    expect(renderAnswer(onNow, "help").text).toContain(expected);
    expect(renderAnswerText(onNow)).toContain(expected);
    expect(renderAnswerText(onNow)).toContain(
      "21:30 Kolkata time (UTC+5:30) until 22:00 Kolkata time (UTC+5:30) for you",
    );
  });

  it("the next meeting in the zone asked for", () => {
    const answer = { kind: "next-meeting" as const, upcoming, askedZone: "Asia/Tokyo" };
    expect(everything(renderAnswer(answer, "help"))).toContain("Fri, Nov 27, 01:00 Tokyo time (UTC+9)");
    expect(renderAnswerText(answer)).toContain("Fri, Nov 27, 01:00 Tokyo time (UTC+9)");
  });

  it("'today?': yes with the time, or no with the next one", () => {
    const yes = {
      kind: "today" as const,
      date: "2026-11-26",
      zone: "America/New_York",
      items: [{ ...upcoming, state: "later" as const }],
    };
    expect(renderAnswer(yes, "help").text).toMatch(
      /^Yes, today \(Thursday, November 26, 2026\):\n• Podman Stand-up at 11:00 EST/,
    );
    expect(renderAnswerText(yes)).toMatch(
      /^Yes, today \(Thursday, November 26, 2026\):\n {2}Podman Stand-up at 11:00 EST/,
    );
    const no = { kind: "today" as const, date: "2026-11-27", zone: "America/New_York", items: [], next: upcoming };
    expect(renderAnswer(no, "help").text).toMatch(/^No, there is no meeting today \(Friday, November 27, 2026\)\./);
    expect(renderAnswerText(no)).toContain("The next is the Podman Stand-up on Thursday, November 26, 2026");
  });
});
