// The App Home on the real bot process: signed events and interactivity posts in, the Web API stand-in out
// (views.publish, views.open). Each test has its own people, and its own meeting where it adds topics, so no test
// depends on another or on their order.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import {
  eventCallback,
  homeButtonClick,
  interaction,
  slashCommand,
  viewSubmission,
} from "../support/slack-requests.js";

const TEST_CONFIG = `
displayZones: [Europe/Berlin]
admins: [U0ADMIN]
meetings:
  - id: community
    title: Podman Community Meeting
    channel: C0COMMUNITY
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU"
    reminders: []
  - id: cabal
    title: Podman Community Cabal
    channel: C0CABAL
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
    skip: ["2030-01-17"]
    reminders: []
  - id: homework
    title: Homework Meeting
    channel: C0HOMEWORK
    timezone: America/New_York
    time: "11:00"
    dates: ["2031-06-03T11:00"]
    reminders: []
  - id: hostile
    title: Hostile Titles Meeting
    channel: C0HOSTILE
    timezone: America/New_York
    time: "11:00"
    dates: ["2031-06-03T11:00"]
    reminders: []
  - id: refusals
    title: Refusals Meeting
    channel: C0REFUSALS
    timezone: America/New_York
    time: "11:00"
    dates: ["2031-06-03T11:00"]
    reminders: []
`;

type Home = { type: string; blocks: unknown[] };

describe("Slack App Home", () => {
  const api = new SlackApiStandIn();
  let bot: BotProcess;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeConfig(dir, TEST_CONFIG);
    const apiUrl = await api.start();
    api.userZones.set("U0ALICE", "Asia/Tokyo");
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // After the Cabal of December 20, 2029: the next Community Meeting is February 5, 2030; the Cabal of January 17
    // is skipped, so the next is February 21.
    bot = await startSlackBot({ ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: "2029-12-20T17:00:00Z" }, port);
  });

  afterAll(async () => {
    await bot?.kill("SIGTERM");
    await api.stop();
  });

  async function cabal(text: string, fields: { user_id?: string; user_name?: string; channel_id?: string } = {}) {
    const response = await slashCommand(base, { text, ...fields });
    expect(response.status).toBe(200);
    return (await response.json()) as { text: string };
  }

  async function openHome(user: string, tab = "home") {
    const response = await eventCallback(base, {
      type: "app_home_opened",
      user,
      channel: `D${user.slice(1)}`,
      tab,
      event_ts: `${Date.now() / 1000}`,
    });
    expect(response.status).toBe(200);
  }

  /** Waits for the `count`-th Home published for `user` and returns it. */
  async function nthHome(user: string, count: number): Promise<Home> {
    await api.waitFor((c) => c.method === "views.publish" && c.args.user_id === user, count);
    return api.homesPublishedFor(user)[count - 1] as Home;
  }

  function submitTopic(user: string, meetingId: string, title: string) {
    return interaction(
      base,
      viewSubmission(user, "propose_topic", {
        meeting: {
          meeting: {
            type: "static_select",
            selected_option: { text: { type: "plain_text", text: meetingId }, value: meetingId },
          },
        },
        title: { title: { type: "plain_text_input", value: title } },
      }),
    );
  }

  it("publishes the Home on app_home_opened: meetings in the viewer's zone, their own topics marked", async () => {
    await cabal("topic add containersh", { channel_id: "C0CABAL", user_id: "U0DAN", user_name: "dwalsh" });
    await cabal("topic add Podman 6 plan", { channel_id: "C0CABAL", user_id: "U0ALICE", user_name: "alice" });
    await openHome("U0ALICE");
    const home = await nthHome("U0ALICE", 1);
    expect(home.type).toBe("home");
    const json = JSON.stringify(home);
    // Alice's profile says Tokyo: 11:00 in New York is 01:00 the next day there.
    expect(json).toContain("Times in your time zone, Tokyo");
    expect(json).toContain("*Wed, Feb 6, 01:00 Tokyo time (UTC+9)*");
    expect(json).toContain("*Fri, Feb 22, 01:00 Tokyo time (UTC+9)*");
    expect(json.indexOf("Podman Community Meeting")).toBeLessThan(json.indexOf("Podman Community Cabal"));
    expect(json).toMatch(/\\n\d+\. containersh - dwalsh\\n\d+\. Podman 6 plan - alice {2}:bust_in_silhouette: _yours_/);
    // Dan's page marks Dan's topic instead; his zone is his profile's (the stand-in's default, New York).
    await openHome("U0DAN");
    const dans = JSON.stringify(await nthHome("U0DAN", 1));
    expect(dans).toMatch(
      /\d+\. containersh - dwalsh {2}:bust_in_silhouette: _yours_\\n\d+\. Podman 6 plan - alice(\\n|")/,
    );
    expect(dans).toContain("*Thursday, February 21, 2030, 11:00 EST (UTC-5)*");
  });

  it("publishes nothing when the Messages tab is opened", async () => {
    await openHome("U0MSGS", "messages");
    await openHome("U0AFTER");
    await nthHome("U0AFTER", 1); // the later event was handled, so the earlier one was too
    expect(api.homesPublishedFor("U0MSGS")).toEqual([]);
  });

  it("opens the topic modal from a Home button, with the button's meeting preselected", async () => {
    const click = homeButtonClick("U0BOB", { action_id: "home_propose_topic", value: "cabal" });
    const response = await interaction(base, click);
    expect(response.status).toBe(200);
    const [opened] = await api.waitFor((c) => c.method === "views.open" && c.args.trigger_id === click.trigger_id);
    const modal = opened?.args.view as { type: string; callback_id: string; blocks: unknown[] };
    expect(modal).toMatchObject({ type: "modal", callback_id: "propose_topic", submit: { text: "Propose" } });
    expect(modal.blocks[0]).toMatchObject({
      block_id: "meeting",
      element: { type: "static_select", initial_option: { value: "cabal" } },
    });
    const options = (modal.blocks[0] as { element: { options: { value: string }[] } }).element.options;
    expect(options.map((o) => o.value)).toEqual(["community", "cabal", "homework", "hostile", "refusals"]);
    expect(modal.blocks[1]).toMatchObject({
      block_id: "title",
      element: { type: "plain_text_input", max_length: 300 },
    });
  });

  it("adds a topic submitted from the modal to the agenda and republishes the proposer's Home", async () => {
    await openHome("U0CAROL");
    await nthHome("U0CAROL", 1);
    const response = await submitTopic("U0CAROL", "homework", "Quadlet & docs");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(""); // a plain ack closes the modal
    const list = await cabal("homework topic list");
    expect(list.text).toContain("1. Quadlet &amp; docs - u0carol");
    const republished = JSON.stringify(await nthHome("U0CAROL", 2));
    expect(republished).toContain("1. Quadlet &amp; docs - u0carol  :bust_in_silhouette: _yours_");
  });

  it("escapes a hostile title in every republished Home, the proposer's and other recent viewers'", async () => {
    await openHome("U0ERIN");
    await nthHome("U0ERIN", 1);
    await openHome("U0FRANK");
    await nthHome("U0FRANK", 1);
    const hostile = "<!here> <@U0BOSS> ping & <https://evil.example|click>";
    expect((await submitTopic("U0ERIN", "hostile", hostile)).status).toBe(200);
    const escaped = "&lt;!here&gt; &lt;@U0BOSS&gt; ping &amp; &lt;https://evil.example|click&gt; - u0erin";
    for (const user of ["U0ERIN", "U0FRANK"]) {
      const home = JSON.stringify(await nthHome(user, 2));
      expect(home).toContain(escaped);
      expect(home).not.toMatch(/<!here>|<@U0BOSS>|<https:\/\/evil/);
    }
    expect((await cabal("hostile topic list")).text).toContain(escaped);
  });

  it("refuses an empty or over-long title with an inline error under the field, saving nothing", async () => {
    const empty = await submitTopic("U0GINA", "refusals", "   ");
    expect(await empty.json()).toEqual({
      response_action: "errors",
      errors: { title: "The title is empty: write what you want to discuss." },
    });
    const long = await submitTopic("U0GINA", "refusals", "x".repeat(301));
    expect(await long.json()).toEqual({
      response_action: "errors",
      errors: { title: "The title is 301 characters long; the limit is 300. Shorten it and submit again." },
    });
    const unknown = await submitTopic("U0GINA", "<!here>", "fine title");
    const refused = (await unknown.json()) as { response_action: string; errors: { meeting: string } };
    expect(refused.response_action).toBe("errors");
    expect(refused.errors.meeting).toContain("&lt;!here&gt;");
    expect(refused.errors.meeting).not.toContain("<!here>");
    expect((await cabal("refusals topic list")).text).toContain("No topics proposed yet");
  });

  it("refuses an unsigned modal submission with 401, saving nothing", async () => {
    const forged = await interaction(
      base,
      viewSubmission("U0MALLORY", "propose_topic", {
        meeting: { meeting: { type: "static_select", selected_option: { value: "refusals" } } },
        title: { title: { type: "plain_text_input", value: "forged topic" } },
      }),
      { secret: "not-the-secret-000000" },
    );
    expect(forged.status).toBe(401);
    expect((await cabal("refusals topic list")).text).not.toContain("forged topic");
  });

  it("subscribes and unsubscribes from the Home's buttons, republishing the page each time", async () => {
    const subscribe = await interaction(
      base,
      homeButtonClick("U0HANK", { action_id: "home_subscribe", value: "cabal" }),
    );
    expect(subscribe.status).toBe(200);
    const after = JSON.stringify(await nthHome("U0HANK", 1));
    expect(after).toMatch(/Podman Community Cabal\*[^"]*:bell: You get its reminders as direct messages\./);
    expect(after).toContain('"action_id":"home_unsubscribe","value":"cabal"');
    expect((await cabal("subscriptions", { user_id: "U0HANK", user_name: "hank" })).text).toContain(
      "You get the reminders of Podman Community Cabal (`cabal`, next on 2030-02-21) as direct messages.",
    );
    await interaction(base, homeButtonClick("U0HANK", { action_id: "home_unsubscribe", value: "cabal" }));
    const undone = JSON.stringify(await nthHome("U0HANK", 2));
    expect(undone).not.toContain(":bell:");
    expect((await cabal("subscriptions", { user_id: "U0HANK", user_name: "hank" })).text).toContain(
      "You are not subscribed to any meeting.",
    );
  });
});
