// Nothing a person types comes back live: hostile text, as Slack delivers it, sent in every position a person
// can type into, against the real bot process in HTTP mode. Every string the bot sends back (the ack's text and
// blocks, every Web API call the stand-in records) is walked; none may hold a live broadcast, mention or link.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { type ApiCall, SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { eventCallback, slashCommand } from "../support/slack-requests.js";

const CONFIG = `
displayZones: [Europe/Berlin, Asia/Tokyo]
admins: [U0ADMIN]
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0CABAL
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
    reminders: []
`;

/** Hostile text exactly as Slack would deliver it (`&`, `<`, `>` of typed text arrive as entities). */
const HOSTILE: [name: string, delivered: string][] = [
  // Broadcasts, in every form Slack sends them and the forms a person can type.
  ["here", "<!here>"],
  ["here with label", "<!here|here>"],
  ["here with @label", "<!here|@here>"],
  ["channel", "<!channel>"],
  ["channel with label", "<!channel|channel>"],
  ["everyone", "<!everyone>"],
  ["everyone with label", "<!everyone|everyone>"],
  ["typed <!here>", "&lt;!here&gt;"],
  ["typed <!channel>", "&lt;!channel&gt;"],
  ["typed <!everyone>", "&lt;!everyone&gt;"],
  ["typed <!here|x>", "&lt;!here|x&gt;"],
  ["double-encoded here", "&amp;lt;!here&amp;gt;"],
  ["here inside words", "ping <!here> now"],
  ["here glued to text", "x<!channel>y"],
  ["nested brackets", "&lt;<!here>&gt;"],
  ["plain @here", "@here @channel @everyone"],
  ["here many times", "<!here> ".repeat(40)],
  // Mentions of third persons and groups.
  ["user", "<@U123>"],
  ["user with label", "<@U123|mallory>"],
  ["enterprise user", "<@W123|x>"],
  ["typed user", "&lt;@U123&gt;"],
  ["typed enterprise user", "&lt;@W123|x&gt;"],
  ["the bot itself", "<@UBOT>"],
  ["the requester", "<@U0MALLORY>"],
  ["subteam", "<!subteam^S123|@team>"],
  ["subteam without label", "<!subteam^S123>"],
  ["typed subteam", "&lt;!subteam^S123|@team&gt;"],
  // Links.
  ["javascript link", "<javascript:alert(1)|x>"],
  ["javascript link without label", "<javascript:alert(1)>"],
  ["typed javascript link", "&lt;javascript:alert(1)|x&gt;"],
  ["mixed-case javascript", "<JaVaScRiPt:alert(document.cookie)|click me>"],
  ["javascript in a label", "<https://podman.io|&lt;javascript:alert(1)|x&gt;>"],
  ["deceptive label", "<https://evil.example|https://podman.io>"],
  ["typed deceptive link", "&lt;https://evil.example|https://podman.io&gt;"],
  ["data link", "&lt;data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;|x&gt;"],
  ["mailto with here", "<mailto:x@example.org|&lt;!here&gt;>"],
  ["channel link", "<#C123>"],
  ["channel link with label", "<#C123|general>"],
  ["typed channel link", "&lt;#C123&gt;"],
  ["date token", "<!date^1896537600^{date}|a date>"],
  ["typed date token", "&lt;!date^0^{date}|&lt;!here&gt;&gt;"],
  // Control, invisible and direction characters.
  ["NUL", "a\u0000b"],
  ["bell and ANSI colour", "bell\u0007\u001b[31mred\u001b[0m"],
  ["OSC 8 hyperlink", "\u001b]8;;javascript:alert(1)\u0007x\u001b]8;;\u0007"],
  ["carriage return", "safe\rtyped &lt;!here&gt;"],
  ["C1 CSI", "\u009b31mred"],
  ["zero-width space in here", "@\u200bhere &lt;!\u200bhere&gt;"],
  ["zero-width joiner", "@\u200dchannel"],
  ["byte order mark", "\ufeff&lt;!channel&gt;"],
  ["RTL override", "\u202e&lt;!here&gt; kcilc"],
  ["RTL override alone", "\u202eereh!@"],
  ["bidi isolate", "\u2066&lt;@U123&gt;\u2069"],
  ["newlines", "first\n&lt;!here&gt;\nthird"],
  // Sizes and encodings.
  ["3,000 characters", "x".repeat(3000)],
  ["3,000 characters of typed broadcasts", "&lt;!here&gt;".repeat(300)],
  ["3,000 characters of broadcasts", "<!here>".repeat(429)],
  ["one long word then a mention", `${"y".repeat(2990)} <!channel>`],
  ["lone high surrogate", "a\ud800b"],
  ["lone low surrogate", "a\udfffb"],
  ["surrogate then here", "\ud83d<!here>"],
  // Text that looks like code, queries or markup.
  ["SQL drop", "'; DROP TABLE topics; --"],
  ["SQL or", '" OR 1=1 --'],
  ["SQL delete", "1; DELETE FROM topics"],
  ["JSON message", '{"text":"&lt;!here&gt;","link_names":1}'],
  ["JSON blocks", '{"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"&lt;!channel&gt;"}}]}'],
  ["backticks", "`&lt;!here&gt;`"],
  ["triple backticks", "```&lt;!channel&gt;```"],
  ["bold and friends", "*bold* _italic_ ~strike~ &gt; quote"],
  ["emoji shortcode and here", ":rotating_light: &lt;!here&gt; :rotating_light:"],
  ["percent-encoded", "%3C!here%3E"],
  ["numeric entities", "&amp;#60;!here&amp;#62;"],
  ["HTML", '&lt;img src=x onerror=alert(1)&gt;&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'],
  ["pipe and brackets", "|&gt;&lt;|"],
];

/** The only `<…>` the bot itself writes here: Slack's date token, which shows each reader their own time. */
const BOT_DATE_TOKEN = /<!date\^\d+\^\{date_long_pretty\} \{time\}\|[^<>]*>/g;

/** Every string anywhere in a JSON value, with where it was. */
function strings(value: unknown, where: string, into: [string, string][] = []): [string, string][] {
  if (typeof value === "string") into.push([where, value]);
  else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) strings(item, `${where}[${i}]`, into);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) strings(item, `${where}.${key}`, into);
  }
  return into;
}

/**
 * Live Slack markup in what the bot sent: once the bot's own date tokens are set aside, any `<` is markup
 * (Slack reads `<!here>`, `<@U…>`, `<!subteam^…>`, `<javascript:…|x>`; literal text arrives as `&lt;`).
 */
function liveMarkup(sent: unknown, where: string): string[] {
  return strings(sent, where).flatMap(([at, text]) => {
    const found = text.replace(BOT_DATE_TOKEN, "").match(/<[^>]{0,60}>?/g) ?? [];
    return found.map((markup) => `${at}: ${markup}`);
  });
}

type CommandReply = { response_type: string; text: string; blocks: unknown[] };

describe("hostile input in every position", () => {
  const api = new SlackApiStandIn();
  let bot: BotProcess;
  let base: string;

  beforeAll(async () => {
    const dir = tempDir();
    writeConfig(dir, CONFIG);
    const apiUrl = await api.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = await startSlackBot({ ...slackHttpEnv(apiUrl, dir), CABALBOT_CLOCK_START: "2029-12-20T17:00:00Z" }, port);
    // Someone else's topic: a hostile `remove` argument must not take it away.
    const seeded = await cabal("topic add containersh", "U0DAN", "dwalsh");
    expect(seeded.text).toContain("Added topic 1");
  });

  afterAll(async () => {
    await bot?.kill("SIGTERM");
    await api.stop();
  });

  async function cabal(text: string, userId = "U0MALLORY", userName = "mallory"): Promise<CommandReply> {
    const response = await slashCommand(base, { text, user_id: userId, user_name: userName, channel_id: "C0CABAL" });
    expect(response.status).toBe(200);
    const reply = (await response.json()) as CommandReply;
    // One reply, complete in the ack: nothing crashed, nothing was left to a later response_url.
    expect(reply.response_type).toBe("ephemeral");
    expect(reply.text.length).toBeGreaterThan(0);
    return reply;
  }

  it.each(HOSTILE)("%s: comes back as text everywhere, and changes nothing it should not", async (_name, hostile) => {
    const firstCall = api.calls.length;
    const tag = `${firstCall}`; // unique per test: a DM channel and a thread of its own
    const dm = `D0HOSTILE${tag}`;
    const replies: [string, CommandReply][] = [];
    const ask = async (position: string, text: string) => {
      const reply = await cabal(text);
      replies.push([position, reply]);
      return reply;
    };

    const before = await ask("list before", "topic list");
    await ask("command word", hostile);
    await ask("subcommand", `topic ${hostile}`);
    await ask("meeting id", `${hostile} topic list`);
    await ask("remove argument", `topic remove ${hostile}`);
    expect((await ask("list after refusals", "topic list")).text).toBe(before.text);

    const added = await ask("topic title", `topic add ${hostile}`);
    const position = /^Added topic (\d+) /.exec(added.text)?.[1];
    if (position) {
      expect((await ask("list with title", "topic list")).text).not.toBe(before.text);
      expect((await ask("remove own title", `topic remove ${position}`)).text).toMatch(/^Removed topic/);
    }
    expect((await ask("list at the end", "topic list")).text).toBe(before.text);

    await eventCallback(base, {
      type: "message",
      channel: dm,
      channel_type: "im",
      user: "U0MALLORY",
      text: hostile,
      ts: `1893456000.${tag}`,
    });
    await api.waitFor((c) => c.method === "chat.postMessage" && c.args.channel === dm);
    const mentionTs = `1893456001.${tag}`;
    await eventCallback(base, {
      type: "app_mention",
      channel: "C0CABAL",
      user: "U0MALLORY",
      text: `<@UBOT> ${hostile}`,
      ts: mentionTs,
    });
    await api.waitFor((c) => c.method === "chat.postMessage" && c.args.thread_ts === mentionTs);

    const calls: ApiCall[] = api.calls.slice(firstCall);
    const posts = calls.filter((c) => c.method === "chat.postMessage");
    // One answer each to the DM and to the mention; nothing else was posted anywhere.
    expect(posts.map((c) => [c.args.channel, c.args.thread_ts ?? null])).toEqual([
      [dm, null],
      ["C0CABAL", mentionTs],
    ]);
    expect(posts.every((c) => String(c.args.text).length > 0)).toBe(true);

    const live = [
      ...replies.flatMap(([position, reply]) => liveMarkup(reply, position)),
      ...calls.flatMap((call) => liveMarkup(call.args, call.method)),
    ];
    expect(live).toEqual([]);
  });

  it("has stayed up, answering health checks, with no error in its log", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect(bot.output).not.toMatch(/"level":(50|60)/);
  });
});
