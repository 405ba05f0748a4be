// The HTTP fetcher against a real loopback server.
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpNotesFetcher, parseRetryAfter } from "../../../src/adapters/http/notes-fetcher.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

describe("HttpNotesFetcher", () => {
  const routes = new Map<string, Handler>();
  const seen: IncomingMessage["headers"][] = [];
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.headers);
      const handler = routes.get(req.url ?? "");
      if (handler) handler(req, res);
      else res.writeHead(404).end();
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  routes.set("/notes.md", (req, res) => {
    if (
      req.headers["if-none-match"] === '"v1"' ||
      req.headers["if-modified-since"] === "Wed, 19 Apr 2023 10:00:00 GMT"
    ) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, { etag: '"v1"', "last-modified": "Wed, 19 Apr 2023 10:00:00 GMT" }).end("# Notes — ünïcode");
  });
  routes.set("/gone", (_req, res) => res.writeHead(410).end());
  routes.set("/broken", (_req, res) => res.writeHead(500).end("oops"));
  routes.set("/busy", (_req, res) => res.writeHead(503, { "retry-after": "120" }).end());
  routes.set("/slow", (_req, res) => {
    setTimeout(() => res.writeHead(200).end("late"), 2_000).unref();
  });
  routes.set("/big-declared", (_req, res) =>
    res.writeHead(200, { "content-length": String(2048) }).end("x".repeat(2048)),
  );
  routes.set("/big-streamed", (_req, res) => {
    res.writeHead(200); // chunked: no length announced
    for (let i = 0; i < 8; i++) res.write("y".repeat(512));
    res.end();
  });

  const fetcher = () => new HttpNotesFetcher({ timeoutMs: 300, maxBytes: 1024 });

  it("reads the notes with their validators and sends a User-Agent", async () => {
    const result = await fetcher().fetch(`${base}/notes.md`, {});
    expect(result).toEqual({
      kind: "found",
      body: "# Notes — ünïcode",
      etag: '"v1"',
      lastModified: "Wed, 19 Apr 2023 10:00:00 GMT",
    });
    expect(seen.at(-1)?.["user-agent"]).toMatch(/cabalbot/);
  });

  it("sends If-None-Match and If-Modified-Since and understands 304", async () => {
    expect(await fetcher().fetch(`${base}/notes.md`, { etag: '"v1"' })).toEqual({ kind: "not-modified" });
    expect(seen.at(-1)?.["if-none-match"]).toBe('"v1"');
    expect(await fetcher().fetch(`${base}/notes.md`, { lastModified: "Wed, 19 Apr 2023 10:00:00 GMT" })).toEqual({
      kind: "not-modified",
    });
    expect(seen.at(-1)?.["if-modified-since"]).toBe("Wed, 19 Apr 2023 10:00:00 GMT");
  });

  it("reports 404 and 410 as missing", async () => {
    expect(await fetcher().fetch(`${base}/nothing-yet`, {})).toEqual({ kind: "missing" });
    expect(await fetcher().fetch(`${base}/gone`, {})).toEqual({ kind: "missing" });
  });

  it("reports server errors, with Retry-After when given", async () => {
    expect(await fetcher().fetch(`${base}/broken`, {})).toEqual({ kind: "error", message: "HTTP 500" });
    expect(await fetcher().fetch(`${base}/busy`, {})).toEqual({
      kind: "error",
      message: "HTTP 503",
      retryAfterMs: 120_000,
    });
  });

  it("gives up after the timeout", async () => {
    const result = await fetcher().fetch(`${base}/slow`, {});
    expect(result.kind).toBe("error");
    expect(result.kind === "error" && result.message).toMatch(/300 ms/);
  });

  it("refuses bodies over the size cap, announced or streamed", async () => {
    for (const path of ["/big-declared", "/big-streamed"]) {
      const result = await fetcher().fetch(`${base}${path}`, {});
      expect(result.kind).toBe("error");
      expect(result.kind === "error" && result.message).toMatch(/larger than 1024 bytes/);
    }
  });

  it("reports an unreachable server as an error", async () => {
    const result = await fetcher().fetch("http://127.0.0.1:1/notes.md", {});
    expect(result.kind).toBe("error");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = new Date("2023-04-20T15:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("Thu, 20 Apr 2023 15:10:00 GMT", now)).toBe(600_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
