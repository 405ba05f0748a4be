// Subscriptions as people see them: the proposers' mentions in the last reminder (built from stored ids only),
// the schedule-change notices, and the answers to `subscribe` on Slack, Matrix and the console.
import { describe, expect, it } from "vitest";
import { renderScheduleChangeText } from "../../../src/adapters/console/console-render.js";
import { renderMatrixReminder, renderMatrixScheduleChange } from "../../../src/adapters/matrix/render.js";
import { renderReminder, renderScheduleChange } from "../../../src/adapters/slack/render.js";
import { renderCommandOutcome } from "../../../src/adapters/slack/render-outcome.js";
import type { ReminderView, ScheduleChangeNotice } from "../../../src/app/views.js";
import { nextOccurrence, occurrenceOn } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const HOSTILE = "<!channel> <@U0EVIL> @room <b>x</b> & <https://evil.example|click>";
const cabal = testMeeting({ title: `Cabal ${HOSTILE}` });
const occurrence = nextOccurrence(cabal, new Date("2026-01-01T00:00:00Z")) as Occurrence;

const reminder = (mentions?: ReminderView["mentions"]): ReminderView => ({
  meeting: cabal,
  occurrence,
  leadMs: 3_600_000,
  late: false,
  topics: [],
  displayZones: [],
  ...(mentions ? { mentions } : {}),
});

const everything = (message: { text: string; blocks: unknown[] }) =>
  `${message.text}\n${JSON.stringify(message.blocks)}`;

describe("proposers mentioned in the last reminder", () => {
  it("on Slack: a <@U…> per Slack proposer, and nothing for ids of other chats or ids Slack would not issue", () => {
    const all = everything(
      renderReminder(
        reminder([
          { chat: "slack", id: "U0ADA" },
          { chat: "matrix", id: "@cy:example.org" },
          { chat: "slack", id: "U0X> <!channel" },
          { chat: "slack", id: "W0BOB" },
        ]),
      ),
    );
    expect(all).toContain("Proposers: <@U0ADA>, <@W0BOB>");
    expect(all.match(/<@/g)).toHaveLength(4); // twice each: in the fallback and in the blocks
    expect(all).not.toMatch(/<!channel>|<!here>|<!everyone>|<@U0EVIL>|@cy/);
  });

  it("on Slack: no proposers line without mentions", () => {
    expect(everything(renderReminder(reminder()))).not.toContain("Proposers");
  });

  it("on Matrix: a matrix.to pill per Matrix proposer, listed in m.mentions, and nothing else", () => {
    const message = renderMatrixReminder(
      reminder([
        { chat: "matrix", id: "@cy:example.org" },
        { chat: "slack", id: "U0ADA" },
        { chat: "matrix", id: '@x:y.org"><script>' },
      ]),
    );
    expect(message.mentions).toEqual(["@cy:example.org"]);
    expect(message.html.html).toContain('Proposers: <a href="https://matrix.to/#/@cy:example.org">@cy:example.org</a>');
    expect(message.html.html).not.toContain("<script>");
    expect(message.text).toContain("Proposers: @cy:example.org");
    expect(renderMatrixReminder(reminder()).mentions).toBeUndefined();
  });
});

describe("schedule-change notices", () => {
  const was = occurrenceOn(cabal, "2026-01-15") as Occurrence;
  const next = occurrenceOn(cabal, "2026-02-19") as Occurrence;
  const cancelled: ScheduleChangeNotice = {
    meeting: cabal,
    kind: "cancelled",
    was,
    next,
    yourTopics: ["<!here> plan & release"],
  };

  it("on Slack: says what was cancelled and when the next one is, escaped, pinging nobody", () => {
    const message = renderScheduleChange(cancelled);
    expect(message.text).toContain("is cancelled. The next one is Thursday, February 19, 2026, 11:00 EST (UTC-5).");
    expect(message.text).toContain("Thursday, January 15, 2026, 11:00 EST (UTC-5)");
    expect(message.text).toContain("&lt;!here&gt; plan &amp; release");
    expect(everything(message)).not.toMatch(/<!channel>|<!here>|<@U0EVIL>/);
  });

  it("on Matrix and the console: the same sentence, the topics listed, the move's new time", () => {
    const moved: ScheduleChangeNotice = { meeting: cabal, kind: "moved", was, now: next, yourTopics: ["plan"] };
    expect(renderMatrixScheduleChange(moved).text).toContain(
      "has moved to Thursday, February 19, 2026, 11:00 EST (UTC-5). Your topics go with it:\n  plan",
    );
    expect(renderMatrixScheduleChange(moved).html.html).not.toContain("<b>x</b>");
    expect(renderScheduleChangeText("U0ADA", cancelled)).toContain("[to U0ADA] Cabal");
  });
});

describe("answers to subscribe", () => {
  it("on Slack: names the meetings (escaped) and how to stop", () => {
    const message = renderCommandOutcome(
      { kind: "subscribed", changed: [{ meeting: cabal, next: occurrence }], unchanged: [] },
      [],
    );
    expect(message.text).toContain("Subscribed to Cabal &lt;!channel&gt;");
    expect(message.text).toContain("`cabal`, next on 2026-01-15)");
    expect(message.text).toContain("`/cabal unsubscribe &lt;meeting&gt;`");
    expect(everything(message)).not.toMatch(/<!channel>|<@U0EVIL>/);
  });
});
