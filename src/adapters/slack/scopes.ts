// The OAuth scopes each thing the bot does needs; manifest.yml must ask for exactly their union
// (a test compares them, and the Web API methods the code calls, with the manifest).

/** Web API methods the bot calls → the bot scopes each needs. */
export const METHOD_SCOPES: Record<string, string[]> = {
  "auth.test": [],
  "chat.postMessage": ["chat:write"],
  "users.info": ["users:read"],
  // Looking up whether a post went out before a crash, in public and private channels and direct messages.
  "conversations.history": ["channels:history", "groups:history", "im:history"],
  // A subscriber's direct-message channel, for reminders and schedule notices.
  "conversations.open": ["im:write"],
  // The App Home and the topic modal need no scope of their own (the Home tab is a manifest feature).
  "views.publish": [],
  "views.open": [],
};

/** Bot events the app subscribes to → the scopes they need. */
export const EVENT_SCOPES: Record<string, string[]> = {
  "message.im": ["im:history"],
  app_mention: ["app_mentions:read"],
  app_home_opened: [],
};

export const COMMAND_SCOPES = ["commands"];

export function requiredScopes(): string[] {
  return [
    ...new Set([...Object.values(METHOD_SCOPES).flat(), ...Object.values(EVENT_SCOPES).flat(), ...COMMAND_SCOPES]),
  ].sort();
}
