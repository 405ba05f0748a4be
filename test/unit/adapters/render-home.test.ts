// The App Home and the topic modal as Block Kit: escaping, Slack's limits, the viewer's zone, and buttons that
// the listeners handle.
import { describe, expect, it } from "vitest";
import { BLOCK_ACTIONS, VIEW_SUBMISSIONS } from "../../../src/adapters/slack/listeners/index.js";
import {
  escapedWithin,
  HOME_BLOCK_LIMIT,
  renderHome,
  renderTopicForm,
  renderTopicFormErrors,
  TOPIC_FORM,
} from "../../../src/adapters/slack/render-home.js";
import type { HomeMeeting, HomeTopic, HomeView } from "../../../src/app/home.js";
import { nextOccurrence } from "../../../src/domain/calendar.js";
import type { Meeting, Occurrence } from "../../../src/domain/meeting.js";
import { testMeeting } from "../../support/meetings.js";

const NOW = new Date("2026-11-26T12:00:00Z");
const HOSTILE = "<!here> & <@U0BOSS> <https://evil.example|click>";

function upcoming(meeting: Meeting): Occurrence {
  const occurrence = nextOccurrence(meeting, NOW);
  if (!occurrence) throw new Error("no next occurrence");
  return occurrence;
}

const cabal = testMeeting({ id: "cabal", title: "Podman Community Cabal" });

function item(overrides: Partial<HomeMeeting> = {}, meeting: Meeting = cabal): HomeMeeting {
  return { meeting, occurrence: upcoming(meeting), topics: [], subscribed: false, ...overrides };
}

function topic(position: number, title: string, mine = false): HomeTopic {
  return { position, title, proposerName: mine ? "alice" : "bob", mine };
}

function home(meetings: HomeMeeting[], extra: Partial<Extract<HomeView, { kind: "home" }>> = {}): HomeView {
  return { kind: "home", meetings, moreMeetings: 0, ...extra };
}

/** Every mrkdwn and plain text in a view, in order. */
function texts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const own = typeof record.text === "string" ? [record.text] : [];
    return [...own, ...Object.values(record).flatMap(texts)];
  }
  return [];
}

function actionIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(actionIds);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const own = typeof record.action_id === "string" ? [record.action_id] : [];
    return [...own, ...Object.values(record).flatMap(actionIds)];
  }
  return [];
}

describe("the Home tab", () => {
  it("shows each meeting in the viewer's zone, then in its own, with the viewer's topics marked", () => {
    const view = renderHome(
      home([item({ topics: [topic(1, "rootless networking"), topic(2, "Podman 6 plan", true)] })], {
        viewerZone: "Asia/Tokyo",
      }),
    );
    const all = texts(view.blocks).join("\n");
    // The Cabal of Thursday, December 17, 2026 at 11:00 New York time is 01:00 Friday in Tokyo.
    expect(all).toContain("*Fri, Dec 18, 01:00 Tokyo time (UTC+9)*");
    expect(all).toContain("(Thursday, December 17, 2026, 11:00 EST (UTC-5))");
    expect(all).toContain("Times in your time zone, Tokyo (`Asia/Tokyo`)");
    expect(all).toContain(
      "*Agenda* (2 topics, 1 yours)\n1. rootless networking - bob\n2. Podman 6 plan - alice  :bust_in_silhouette: _yours_",
    );
  });

  it("falls back to Slack's date token when the viewer's zone is unknown", () => {
    const all = texts(renderHome(home([item()])).blocks).join("\n");
    expect(all).toContain("Your time zone is not known");
    expect(all).toMatch(/Your time: <!date\^\d+\^\{date_long_pretty\} \{time\}\|Thursday, December 17, 2026/);
  });

  it("escapes topic titles, proposers and meeting titles so none can mention, link or broadcast", () => {
    const hostileMeeting = testMeeting({ id: "evil", title: HOSTILE });
    const view = renderHome(
      home([
        item({
          topics: [{ position: 1, title: HOSTILE, proposerName: "<!channel>", mine: true }],
        }),
        item({}, hostileMeeting),
      ]),
    );
    const json = JSON.stringify(view);
    expect(json).not.toMatch(/<!here>|<!channel>|<@U0BOSS>|<https:\/\/evil/);
    expect(json).toContain("&lt;!here&gt; &amp; &lt;@U0BOSS&gt; &lt;https://evil.example|click&gt; - &lt;!channel&gt;");
  });

  it("shows a button to propose a topic, and per meeting subscribe or unsubscribe, all handled by the listeners", () => {
    const view = renderHome(home([item(), item({ subscribed: true }, testMeeting({ id: "community" }))]));
    const ids = actionIds(view.blocks);
    expect(ids).toEqual([
      "home_propose_topic",
      "home_propose_topic",
      "home_subscribe",
      "home_propose_topic",
      "home_unsubscribe",
    ]);
    for (const id of ids) expect(BLOCK_ACTIONS).toContain(id);
    expect(texts(view.blocks).join("\n")).toContain(":bell: You get its reminders as direct messages.");
  });

  it("stays within 100 blocks and says how many meetings did not fit", () => {
    const many = Array.from({ length: 40 }, (_, i) => item({}, testMeeting({ id: `m${i}`, title: `Meeting ${i}` })));
    const view = renderHome(home(many, { moreMeetings: 5 }));
    expect(view.blocks.length).toBeLessThanOrEqual(HOME_BLOCK_LIMIT);
    const shown = view.blocks.filter((b) => b.type === "divider").length - 1;
    const last = texts(view.blocks.at(-1)).join("");
    expect(last).toBe(`…and ${40 - shown + 5} more meetings: \`/cabal next\` lists every meeting.`);
  });

  it("cuts a long agenda within a section's 3000 characters with a visible count of the rest", () => {
    const topics = Array.from({ length: 200 }, (_, i) => topic(i + 1, `${"long title ".repeat(5)}<${i}>`));
    const view = renderHome(home([item({ topics })]));
    const agenda = texts(view.blocks).find((text) => text.startsWith("*Agenda*")) ?? "";
    expect(agenda.length).toBeLessThanOrEqual(3000);
    const more = /…and (\d+) more$/.exec(agenda);
    expect(more).not.toBeNull();
    const listed = agenda.split("\n").filter((line) => /^\d+\. /.test(line)).length;
    expect(listed + Number(more?.[1])).toBe(200);
  });

  it("says the database is unavailable when the page could not be read", () => {
    const view = renderHome({ kind: "home-unavailable", reason: { code: "storage-unavailable", kind: "unreachable" } });
    expect(texts(view.blocks).join("\n")).toContain("Nothing was saved: the bot cannot reach its database");
  });
});

describe("the topic modal", () => {
  it("asks for a meeting (the one clicked preselected) and a title within the agenda's limit", () => {
    const community = testMeeting({
      id: "community",
      title: "Podman Community Meeting",
      schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU" }],
    });
    const modal = renderTopicForm({
      kind: "topic-form",
      choices: [
        { meeting: community, occurrence: upcoming(community) },
        { meeting: cabal, occurrence: upcoming(cabal) },
      ],
      selected: "cabal",
    });
    expect(VIEW_SUBMISSIONS).toContain(modal.callback_id);
    expect(modal.submit?.text).toBe("Propose");
    const [meeting, title] = modal.blocks;
    expect(meeting).toMatchObject({
      type: "input",
      block_id: TOPIC_FORM.meetingBlock,
      element: {
        type: "static_select",
        action_id: TOPIC_FORM.meetingAction,
        options: [
          { text: { text: "Podman Community Meeting — Tue, Dec 1, 2026" }, value: "community" },
          { text: { text: "Podman Community Cabal — Thu, Dec 17, 2026" }, value: "cabal" },
        ],
        initial_option: { value: "cabal" },
      },
    });
    expect(title).toMatchObject({
      type: "input",
      block_id: TOPIC_FORM.titleBlock,
      element: { type: "plain_text_input", action_id: TOPIC_FORM.titleAction, max_length: 300 },
    });
  });

  it("escapes meeting titles in the menu and keeps each option within 75 characters", () => {
    const hostile = testMeeting({ id: "evil", title: `${HOSTILE} ${"&".repeat(80)}` });
    const modal = renderTopicForm({
      kind: "topic-form",
      choices: [{ meeting: hostile, occurrence: upcoming(hostile) }],
    });
    const json = JSON.stringify(modal);
    expect(json).not.toMatch(/<!here>|<@U0BOSS>/);
    const option = texts(modal.blocks).find((text) => text.startsWith("&lt;!here&gt;")) ?? "";
    expect(option.length).toBeLessThanOrEqual(75);
    expect(option).toMatch(/… — Thu, Dec 17, 2026$/);
    expect(option).not.toMatch(/&(?!amp;|lt;|gt;)/); // never cut inside an escape
  });

  it("has no submit button when no meeting is on the schedule", () => {
    const modal = renderTopicForm({ kind: "topic-form", choices: [] });
    expect(modal.submit).toBeUndefined();
    expect(texts(modal.blocks).join("")).toContain("No meeting is on the schedule");
  });

  it("puts a refusal under the field it is about, escaped", () => {
    expect(renderTopicFormErrors({ kind: "rejected", reason: { code: "title-empty" } })).toEqual({
      title: "The title is empty: write what you want to discuss.",
    });
    expect(
      renderTopicFormErrors({ kind: "rejected", reason: { code: "title-too-long", length: 301, max: 300 } }),
    ).toEqual({ title: "The title is 301 characters long; the limit is 300. Shorten it and submit again." });
    const unknown = renderTopicFormErrors({
      kind: "rejected",
      reason: { code: "no-such-meeting", meetingId: "<!here>", known: ["cabal"] },
    });
    expect(Object.keys(unknown)).toEqual(["meeting"]);
    expect(unknown.meeting).not.toContain("<!here>");
    expect(unknown.meeting).toContain("&lt;!here&gt;");
    const endedMeeting = testMeeting({ title: "A & B" });
    expect(renderTopicFormErrors({ kind: "ended", meeting: endedMeeting })).toEqual({
      meeting: "A &amp; B has ended; choose another meeting.",
    });
  });
});

describe("escapedWithin", () => {
  it("keeps short text whole and cuts long text between escapes, marking the cut", () => {
    expect(escapedWithin("a < b", 20)).toBe("a &lt; b");
    expect(escapedWithin("<<<<", 8)).toBe("&lt;…");
    expect(escapedWithin("abcdef", 4)).toBe("abc…");
  });
});
