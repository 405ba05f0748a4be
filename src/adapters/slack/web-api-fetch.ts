// The HTTP under Slack's Web API client (and Bolt's `respond`). The client takes any fetch-shaped function; this one
// sends through undici's `request` on one keep-alive Agent instead of the WHATWG fetch. A profile of answering DMs
// found fetch's Request/Response machinery and the client's per-call `AbortSignal.timeout` to be a fifth of the
// bot's CPU per answer; `request` with the Agent's own timeouts does the same work for a fraction. undici is loaded
// with Bolt anyway (Socket Mode's WebSocket), so this costs nothing at start.
import { STATUS_CODES } from "node:http";
import type { webApi } from "@slack/bolt";
import { Agent, type Dispatcher, request } from "undici";

/** How long a Web API call may wait for the answer's headers, then between two parts of its body. */
export const WEB_API_TIMEOUT_MS = 10_000;

const agent = new Agent({
  headersTimeout: WEB_API_TIMEOUT_MS,
  bodyTimeout: WEB_API_TIMEOUT_MS,
  connect: { timeout: WEB_API_TIMEOUT_MS },
});

type Headers = Record<string, string | string[] | undefined>;

function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

export const webApiFetch: webApi.FetchFunction = async (url, init = {}) => {
  const { body, method = "GET", headers, signal } = init;
  // File uploads send a FormData, which `request` does not encode; the bot uploads nothing, but such a call still
  // goes through Node's fetch, as it would without this.
  if (body !== undefined && typeof body !== "string") return globalThis.fetch(url, init);
  const response = await request(url, {
    method: method as Dispatcher.HttpMethod,
    headers,
    body,
    signal,
    dispatcher: agent,
  });
  // Read whole, as the client reads every answer (the Web API's are small JSON).
  const bytes = Buffer.from(await response.body.arrayBuffer());
  const received = response.headers as Headers;
  return {
    ok: response.statusCode >= 200 && response.statusCode < 300,
    status: response.statusCode,
    statusText: STATUS_CODES[response.statusCode] ?? "",
    url: String(url),
    headers: {
      get: (name) => headerValue(received[name.toLowerCase()]),
      entries: () =>
        Object.entries(received).map(([name, value]): [string, string] => [name, headerValue(value) ?? ""]),
    },
    text: async () => bytes.toString("utf8"),
    json: async () => JSON.parse(bytes.toString("utf8")),
    arrayBuffer: async () => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
  };
};
