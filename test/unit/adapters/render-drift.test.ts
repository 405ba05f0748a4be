// Drift warnings and carry-over notices as each chat shows them.
import { describe, expect, it } from "vitest";
import { renderReminderText, renderRolloverText } from "../../../src/adapters/console/console-render.js";
import { renderMatrixReminder, renderMatrixRollover } from "../../../src/adapters/matrix/render.js";
import { renderReminder, renderRolloverNotice, renderUpcoming } from "../../../src/adapters/slack/render.js";
import type { ReminderView } from "../../../src/app/views.js";
import { occurrenceOn } from "../../../src/domain/calendar.js";
import type { Occurrence } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const weekly = testMeeting({ id: "weekly", title: "Weekly Sync", schedule: [{ rrule: "FREQ=WEEKLY;BYDAY=TU" }] });
const occurrence = occurrenceOn(weekly, "2027-03-16") as Occurrence;
const drift = [{ zone: "Europe/Berlin", place: "Berlin", minutes: -60 }];
const view: ReminderView = {
  meeting: weekly,
  occurrence,
  leadMs: 3_600_000,
  late: false,
  topics: [],
  displayZones: ["Europe/Berlin"],
  drift,
};
const WARNING = "Heads-up: 1 hour earlier than last time in Berlin.";

describe("drift warnings", () => {
  it("are in the Slack reminder's blocks and fallback, and in /cabal next", () => {
    const reminder = renderReminder(view);
    expect(reminder.text).toContain(WARNING);
    expect(JSON.stringify(reminder.blocks)).toContain(WARNING);
    const next = renderUpcoming([{ meeting: weekly, occurrence, drift }], ["Europe/Berlin"]);
    expect(JSON.stringify(next.blocks)).toContain(WARNING);
    expect(next.text).toContain("1 hour earlier than last time in Berlin");
  });

  it("are in the console and Matrix reminders", () => {
    expect(renderReminderText(view)).toContain(WARNING);
    expect(renderMatrixReminder(view).text).toContain(WARNING);
  });

  it("are left out when nothing moved", () => {
    const { drift: _none, ...still } = view;
    expect(JSON.stringify(renderReminder(still))).not.toContain("than last time");
    expect(renderReminderText(still)).not.toContain("than last time");
    expect(renderMatrixReminder(still).text).not.toContain("than last time");
  });
});

describe("carry-over notices", () => {
  const to = occurrenceOn(weekly, "2027-03-23") as Occurrence;
  const notice = {
    meeting: weekly,
    fromDate: "2027-03-16",
    reason: "not-covered" as const,
    to,
    titles: ["Quadlet <docs> & more"],
  };

  it("say the notes did not cover the topics, and escape them on Slack", () => {
    const slack = renderRolloverNotice(notice);
    expect(slack.text).toContain("did not get to them");
    expect(JSON.stringify(slack.blocks)).toContain("Quadlet &lt;docs&gt; &amp; more");
    expect(renderRolloverText("U0BOB", notice)).toContain("did not get to them");
    expect(renderMatrixRollover(notice).text).toContain("did not get to them");
  });
});
