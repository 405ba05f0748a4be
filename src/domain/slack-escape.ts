// Slack's one escaping rule for text: `&`, `<`, `>`. Pure, so the domain's date token and the Slack
// adapter's renderers share it.

/** Escapes user text for any Slack text field: no markup, no mention, no link can come from it. */
export function escapeSlackText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
