// The container's health check: GET /healthz on PORT answers 200 once Slack is connected and while the
// database answers (the bot serves it in both Slack modes). Plain Node, since the slim image has no curl.
const port = process.env.PORT || "3000";
try {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(4_000) });
  process.exit(response.ok ? 0 : 1);
} catch {
  process.exit(1);
}
