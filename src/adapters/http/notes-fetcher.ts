// NotesFetcher on Node's fetch: conditional requests, a timeout and a size cap, so polling stays cheap and bounded.
import type { FetchConditions, NotesFetcher, NotesFetchResult } from "../../app/notes-source.js";

export interface HttpNotesFetcherOptions {
  timeoutMs?: number;
  maxBytes?: number;
  userAgent?: string;
  /** For Retry-After given as an HTTP date. */
  now?: () => Date;
}

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;

export class HttpNotesFetcher implements NotesFetcher {
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly userAgent: string;
  private readonly now: () => Date;

  constructor(options: HttpNotesFetcherOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
    this.userAgent = options.userAgent ?? "cabalbot (meeting notes announcer)";
    this.now = options.now ?? (() => new Date());
  }

  async fetch(url: string, conditions: FetchConditions): Promise<NotesFetchResult> {
    const headers: Record<string, string> = {
      "user-agent": this.userAgent,
      accept: "text/markdown, text/plain;q=0.9, */*;q=0.5",
    };
    if (conditions.etag) headers["if-none-match"] = conditions.etag;
    if (conditions.lastModified) headers["if-modified-since"] = conditions.lastModified;
    const signal = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal, redirect: "follow" });
    } catch (error) {
      return { kind: "error", message: describeFailure(error, this.timeoutMs) };
    }
    if (response.status === 304) {
      await discard(response);
      return { kind: "not-modified" };
    }
    if (response.status === 404 || response.status === 410) {
      await discard(response);
      return { kind: "missing" };
    }
    if (!response.ok) {
      await discard(response);
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.now());
      return {
        kind: "error",
        message: `HTTP ${response.status}`,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      };
    }
    const declared = Number(response.headers.get("content-length") ?? Number.NaN);
    if (Number.isFinite(declared) && declared > this.maxBytes) {
      await discard(response);
      return { kind: "error", message: `notes larger than ${this.maxBytes} bytes (${declared})` };
    }
    let body: string;
    try {
      const read = await readCapped(response, this.maxBytes);
      if (read === undefined) return { kind: "error", message: `notes larger than ${this.maxBytes} bytes` };
      body = read;
    } catch (error) {
      return { kind: "error", message: describeFailure(error, this.timeoutMs) };
    }
    const etag = response.headers.get("etag") ?? undefined;
    const lastModified = response.headers.get("last-modified") ?? undefined;
    return { kind: "found", body, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
  }
}

/** The body as UTF-8, or undefined once it passes `maxBytes` (reading stops there). */
async function readCapped(response: Response, maxBytes: number): Promise<string | undefined> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return new TextDecoder("utf-8").decode(Buffer.concat(chunks));
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return `no answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error instanceof Error ? error.message : String(error)}${cause}`;
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: Date): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}
