import { describe, expect, it } from "vitest";
import { decodeSlackText, escapeSlackText } from "../../../src/adapters/slack/text.js";

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
