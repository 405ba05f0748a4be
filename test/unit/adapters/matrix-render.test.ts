// The Matrix renderer: what a person typed shows as text in both bodies, never as markup or a room ping.
import { describe, expect, it } from "vitest";
import { defuseRoomPing, matrixMessage, renderMatrixOutcome } from "../../../src/adapters/matrix/render.js";

describe("Matrix messages", () => {
  it.each([
    ['<img src=x onerror="alert(1)">', "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"],
    ['<a href="javascript:alert(1)">x</a>', "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;"],
    ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
    ["Tom & Jerry's", "Tom &amp; Jerry&#39;s"],
  ])("shows %s as text in the HTML body", (typed, escaped) => {
    const message = matrixMessage(`Added: ${typed}`);
    expect(message.html.html).toBe(`Added: ${escaped}`);
    expect(message.text).toBe(`Added: ${typed}`);
  });

  it("breaks @room in either body so no client highlights the whole room, and keeps other text as typed", () => {
    for (const typed of ["@room", "hi @ROOM!", "@room:server"]) {
      const message = matrixMessage(typed);
      expect(message.text).not.toMatch(/@room\b/i);
      expect(message.html.html).not.toMatch(/@room\b/i);
    }
    expect(defuseRoomPing("@roomba and @alice:example.org")).toBe("@roomba and @alice:example.org");
  });

  it("writes commands with Matrix's !cabal prefix, and the bold title from escaped text", () => {
    const help = renderMatrixOutcome({ kind: "help", meetings: [], running: [] }, []);
    expect(help.text).toContain("!cabal topic add <title>");
    expect(help.html.html).toContain("!cabal topic add &lt;title&gt;");
    expect(help.text).not.toContain("/cabal");
    const titled = matrixMessage("body", "<b>x</b>");
    expect(titled.html.html).toBe("<b>&lt;b&gt;x&lt;/b&gt;</b><br>body");
  });
});
