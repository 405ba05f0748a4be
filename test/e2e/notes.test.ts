// The real bot polls a local notes server: 404s first, then the notes; one announcement, and none again after kill -9.
import { once } from "node:events";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import {
  type BotProcess,
  freePort,
  slackHttpEnv,
  startSlackBot,
  tempDir,
  writeConfig,
} from "../support/bot-process.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";
import { slashCommand } from "../support/slack-requests.js";

const NOTES = readFileSync(new URL("../fixtures/podman-notes/2023-04-20-cabal.md", import.meta.url), "utf8");

class NotesServer {
  readonly requests: { path: string; at: number }[] = [];
  private readonly server: Server;
  /** Answers 404 this many times before serving the notes. */
  missingFirst = 2;

  constructor() {
    this.server = createServer((req, res) => {
      const path = req.url ?? "";
      this.requests.push({ path, at: Date.now() });
      const served = this.requests.filter((r) => r.path === path).length;
      if (path !== "/notes/2023-04-20/index.md" || served <= this.missingFirst) {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      res.writeHead(200, { "content-type": "text/markdown; charset=utf-8", etag: '"notes-v1"' }).end(NOTES);
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, "127.0.0.1");
    await once(this.server, "listening");
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): void {
    this.server.closeAllConnections();
    this.server.close();
  }

  requestsFor(date: string): number {
    return this.requests.filter((r) => r.path.includes(date)).length;
  }
}

describe("notes announcement, end to end", () => {
  const api = new SlackApiStandIn();
  const notes = new NotesServer();
  let bot: BotProcess | undefined;

  afterAll(async () => {
    await bot?.kill("SIGKILL");
    await api.stop();
    notes.stop();
  });

  it("announces the notes once they appear, once, across a kill -9", async () => {
    const dir = tempDir();
    const notesBase = await notes.start();
    writeConfig(
      dir,
      `
displayZones: [America/Los_Angeles]
admins: [U0ADMIN]
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0CABAL
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
    reminders: []
    notes:
      source: "${notesBase}/notes/{date}/index.md"
      link: "https://podman.example/notes/{date}"
      pollEvery: "5s"
`,
    );
    const apiUrl = await api.start();
    const env = {
      ...slackHttpEnv(apiUrl, dir),
      // Two minutes after the Cabal of 2023-04-20 started (11:00 EDT = 15:00Z).
      CABALBOT_CLOCK_START: "2023-04-20T15:02:00Z",
      LOG_LEVEL: "debug",
    };
    const isAnnouncement = (call: { method: string; args: Record<string, unknown> }) =>
      call.method === "chat.postMessage" && call.args.channel === "C0CABAL";

    bot = await startSlackBot(env, await freePort());
    const [post] = await api.waitFor(isAnnouncement, 1, 30_000);
    expect(notes.requestsFor("2023-04-20")).toBe(3); // two 404s, then the notes
    const text = String(post?.args.text);
    const blocks = JSON.stringify(post?.args.blocks);
    expect(text).toContain("https://podman.example/notes/2023-04-20");
    expect(blocks).toContain("<https://podman.example/notes/2023-04-20|read them>");
    expect(blocks).toContain("Possible Podman 5 features - Dan Walsh");
    expect(blocks).toContain("Bug Week - Matt Heon");
    expect(blocks).toContain("https://youtu.be/_NnWUqyaBmw?t=74");
    expect(blocks).toMatch(/youtu\.?be[^|]*_NnWUqyaBmw[^|]*\|Recording>/);
    expect(blocks).not.toContain("<!");
    expect(post?.args.metadata).toMatchObject({ event_payload: { marker: "notes:cabal:2023-04-20:slack:C0CABAL" } });
    await bot.waitForOutput(/notes announced/);

    await bot.kill("SIGKILL");
    const requestsBefore = notes.requestsFor("2023-04-20");
    const port = await freePort();
    bot = await startSlackBot(env, port);
    // The restarted bot looks at every meeting's notes on its first tick: once it has looked at the cabal's,
    // it has decided whether to announce again.
    await bot.waitForOutput(/"meetingId":"cabal"[^\n]*"notes checked"/, 15_000);
    expect(api.calls.filter(isAnnouncement)).toHaveLength(1);
    expect(notes.requestsFor("2023-04-20")).toBe(requestsBefore);

    // By hand: refused to non-admins; for admins, the occurrence is already announced, so nothing is posted.
    const base = `http://127.0.0.1:${port}`;
    const url = `${notesBase}/notes/2023-04-20/index.md`;
    const refused = await slashCommand(base, { text: `notes ${url}`, user_id: "U0ALICE", channel_id: "C0CABAL" });
    expect(((await refused.json()) as { text: string }).text).toMatch(/admins/);
    const again = await slashCommand(base, { text: `notes ${url}`, user_id: "U0ADMIN", channel_id: "C0CABAL" });
    expect(((await again.json()) as { text: string }).text).toMatch(/already announced/);
    expect(api.calls.filter(isAnnouncement)).toHaveLength(1);
  }, 90_000);
});
