// Matrix's formatted_body is built only from escaped text: typed markup stays text, the program's own tags stay tags.
import { describe, expect, it } from "vitest";
import { escapeHtml, html, htmlFromText, joinHtml } from "../../../src/adapters/matrix/html.js";

describe("Matrix HTML from text", () => {
  it.each([
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ['<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
    ["<img src=x onerror='alert(1)'>", "&lt;img src=x onerror=&#39;alert(1)&#39;&gt;"],
    ["Tom & Jerry &amp; co", "Tom &amp; Jerry &amp;amp; co"],
    ["@room and @alice:example.org", "@room and @alice:example.org"],
  ])("escapes %j", (typed, escaped) => {
    expect(escapeHtml(typed)).toBe(escaped);
    expect(htmlFromText(typed).html).toBe(escaped);
  });

  it("keeps line breaks as <br> and nothing else as markup", () => {
    expect(htmlFromText("one\n<two>\r\nthree").html).toBe("one<br>&lt;two&gt;<br>three");
  });

  it("escapes every value in a template but not the template's own tags or HTML it built before", () => {
    const title = htmlFromText("<b>bold?</b>");
    expect(html`<li><b>${"A & B"}</b> ${title} (${3})</li>`.html).toBe(
      "<li><b>A &amp; B</b> &lt;b&gt;bold?&lt;/b&gt; (3)</li>",
    );
  });

  it("joins pieces with a separator of its own making", () => {
    expect(joinHtml([htmlFromText("<1>"), htmlFromText("2")], html`<br>`).html).toBe("&lt;1&gt;<br>2");
  });
});
