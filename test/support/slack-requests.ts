// Requests as Slack sends them: form-encoded slash commands and JSON events, signed with v0 HMAC-SHA256.
import { createHmac } from "node:crypto";

export const SIGNING_SECRET = "test-signing-secret-0123456789";

export function sign(body: string, timestampSeconds: number, secret = SIGNING_SECRET): Record<string, string> {
  const signature = createHmac("sha256", secret).update(`v0:${timestampSeconds}:${body}`).digest("hex");
  return { "x-slack-request-timestamp": String(timestampSeconds), "x-slack-signature": `v0=${signature}` };
}

export interface SignedPostOptions {
  timestampSeconds?: number;
  secret?: string;
  headers?: Record<string, string>;
}

async function post(url: string, body: string, contentType: string, options: SignedPostOptions): Promise<Response> {
  const timestamp = options.timestampSeconds ?? Math.floor(Date.now() / 1000);
  return fetch(url, {
    method: "POST",
    headers: { "content-type": contentType, ...sign(body, timestamp, options.secret), ...options.headers },
    body,
  });
}

/** Slack escapes `&`, `<`, `>` in command text; callers pass text as Slack would deliver it. */
export function slashCommand(
  baseUrl: string,
  fields: { text: string; user_id?: string; user_name?: string; channel_id?: string; response_url?: string },
  options: SignedPostOptions = {},
): Promise<Response> {
  const body = new URLSearchParams({
    token: "unused-verification-token",
    team_id: "T0TEST",
    team_domain: "podman",
    channel_id: fields.channel_id ?? "CPLACEHOLDER", // the channel of the built-in defaults
    channel_name: "podman",
    user_id: fields.user_id ?? "U0ALICE",
    user_name: fields.user_name ?? "alice",
    command: "/cabal",
    text: fields.text,
    api_app_id: "A0TEST",
    response_url: fields.response_url ?? "https://hooks.slack.invalid/commands/T0TEST/1/abc",
    trigger_id: "1.2.3",
  }).toString();
  return post(`${baseUrl}/slack/events`, body, "application/x-www-form-urlencoded", options);
}

let eventCounter = 0;

export function eventCallback(
  baseUrl: string,
  event: Record<string, unknown>,
  options: SignedPostOptions & { eventId?: string } = {},
): Promise<Response> {
  eventCounter += 1;
  const body = JSON.stringify({
    token: "unused-verification-token",
    team_id: "T0TEST",
    api_app_id: "A0TEST",
    type: "event_callback",
    event_id: options.eventId ?? `Ev${Date.now()}${eventCounter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: "T0TEST", user_id: "UBOT", is_bot: true }],
    event,
  });
  return post(`${baseUrl}/slack/events`, body, "application/json", options);
}

export function directMessageEvent(text: string, user = "U0ALICE", channel = "D0ALICE"): Record<string, unknown> {
  return {
    type: "message",
    channel,
    channel_type: "im",
    user,
    text,
    ts: `${Date.now() / 1000}`,
    event_ts: `${Date.now() / 1000}`,
  };
}

/**
 * An interactivity request (a button click, a modal submission) as Slack sends it: a signed form post whose one
 * field, `payload`, is the JSON of the interaction.
 */
export function interaction(
  baseUrl: string,
  payload: Record<string, unknown>,
  options: SignedPostOptions = {},
): Promise<Response> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  return post(`${baseUrl}/slack/events`, body, "application/x-www-form-urlencoded", options);
}

let triggerCounter = 0;

/** What every interaction payload carries: the team, the person, the app and a fresh trigger id. */
function interactionFrom(user: string, fields: { username?: string }): Record<string, unknown> {
  triggerCounter += 1;
  const name = fields.username ?? user.toLowerCase();
  return {
    team: { id: "T0TEST", domain: "podman" },
    user: { id: user, username: name, name, team_id: "T0TEST" },
    api_app_id: "A0TEST",
    token: "unused-verification-token",
    trigger_id: `${Date.now()}.${triggerCounter}.abcdef`,
  };
}

/** A click on a button of the App Home (`block_actions` from the `home` view). */
export function homeButtonClick(
  user: string,
  action: { action_id: string; value: string },
  fields: { username?: string } = {},
): Record<string, unknown> {
  return {
    ...interactionFrom(user, fields),
    type: "block_actions",
    container: { type: "view", view_id: "V0HOME" },
    view: { id: "V0HOME", type: "home", team_id: "T0TEST", callback_id: "", state: { values: {} } },
    actions: [
      {
        type: "button",
        block_id: "b1",
        action_id: action.action_id,
        value: action.value,
        text: { type: "plain_text", text: "button" },
        action_ts: `${Date.now() / 1000}`,
      },
    ],
  };
}

/**
 * A modal submitted (`view_submission`): `values` are the view's state as Slack reports it, block id → action id
 * → the element's state (`{ value }` for a text input, `{ selected_option }` for a menu).
 */
export function viewSubmission(
  user: string,
  callbackId: string,
  values: Record<string, Record<string, unknown>>,
  fields: { username?: string } = {},
): Record<string, unknown> {
  return {
    ...interactionFrom(user, fields),
    type: "view_submission",
    view: {
      id: "V0MODAL",
      team_id: "T0TEST",
      type: "modal",
      callback_id: callbackId,
      private_metadata: "",
      state: { values },
      hash: "1.abc",
    },
    response_urls: [],
  };
}
