// A second baseline for the DM rows: a Bolt app in HTTP mode that answers every DM with one fixed chat.postMessage
// through Bolt's own Web API client. An answer costs an outbound Web API call that a bare ack never makes; this
// app measures that floor, so the DM rows show what cabalbot adds to answering at all.
import { App, LogLevel } from "@slack/bolt";

const apiUrl = process.env.SLACK_API_URL;
let ready = false;
const app = new App({
  token: process.env.SLACK_BOT_TOKEN,
  signingSecret: process.env.SLACK_SIGNING_SECRET,
  clientOptions: { slackApiUrl: apiUrl && (apiUrl.endsWith("/") ? apiUrl : `${apiUrl}/`) },
  logLevel: LogLevel.WARN,
  customRoutes: [
    {
      path: "/healthz",
      method: ["GET"],
      handler: (_req, res) => {
        res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: ready }));
      },
    },
  ],
});
app.event("message", async ({ event, client }) => {
  await client.chat.postMessage({ channel: event.channel, text: "The next meeting is on Thursday at 11:00." });
});
await app.start(Number(process.env.PORT ?? 3000));
ready = true;
process.on("SIGTERM", async () => {
  await app.stop();
  process.exit(0);
});
