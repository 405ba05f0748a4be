import { describe, expect, it } from "vitest";
import { decodeSlackText, escapeSlackText, slackDateToken } from "../../../src/adapters/slack/text.js";

describe("decodeSlackText", () => {
  it.each([
    ["Podman &amp; friends", "Podman & friends"],
    ["a &lt;b&gt; c", "a <b> c"],
    ["&amp;lt; stays literal", "&lt; stays literal"],
    ["ask <@U0123|dan>", "ask @dan"],
    ["ask <@U0123>", "ask @U0123"],
    ["<!here> and <!channel> and <!everyone>", "@here and @channel and @everyone"],
    ["team <!subteam^S0123|@podman-maintainers>", "team @podman-maintainers"],
    ["in <#C0123|general>", "in #general"],
    ["see <https://podman.io|the site>", "see the site (https://podman.io)"],
    ["see <https://podman.io>", "see https://podman.io"],
    ["mail <mailto:a@b.org|a@b.org>", "mail a@b.org (mailto:a@b.org)"],
    ["&lt;!here&gt; typed as text", "<!here> typed as text"],
    ["lone \uD800 and \uDFFF surrogates", "lone \uFFFD and \uFFFD surrogates"],
    ["a pair 😀 stays", "a pair 😀 stays"],
  ])("%j → %j", (input, meant) => {
    expect(decodeSlackText(input)).toBe(meant);
  });
});

describe("escapeSlackText", () => {
  it("escapes exactly &, < and >, so no mention or link can come from user text", () => {
    expect(escapeSlackText("<!here> & <@U1> <https://x|y>")).toBe(
      "&lt;!here&gt; &amp; &lt;@U1&gt; &lt;https://x|y&gt;",
    );
  });
  it("round-trips with decode: what was meant is echoed as Slack delivered it", () => {
    const delivered = "Containers &amp; &lt;pods&gt;";
    expect(escapeSlackText(decodeSlackText(delivered))).toBe(delivered);
  });
});

/** Thursday, April 20, 2023, 11:00 in New York: the Podman cabal of that day. */
const cabalStart = new Date("2023-04-20T15:00:00Z");
const at = (iso: string) => new Date(iso);

describe("slackDateToken", () => {
  it.each([
    [cabalStart, "Thu 11:00 New York", "<!date^1682002800^{date_long_pretty} {time}|Thu 11:00 New York>"],
    // Whole seconds, rounded down.
    [at("2023-04-20T15:00:00.999Z"), "x", "<!date^1682002800^{date_long_pretty} {time}|x>"],
    // Slack's three control characters are escaped; the token's separator cannot appear in the fallback.
    [cabalStart, "R&D <core> | infra", "<!date^1682002800^{date_long_pretty} {time}|R&amp;D &lt;core&gt; ¦ infra>"],
    [cabalStart, "line one\n  line two", "<!date^1682002800^{date_long_pretty} {time}|line one line two>"],
  ])("%s with %j", (instant, fallback, expected) => {
    expect(slackDateToken(instant, fallback)).toBe(expected);
  });
});
