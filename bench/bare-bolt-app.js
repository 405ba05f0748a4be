// The baseline of the command benchmark: a Bolt app in HTTP mode that only acks. Plain JavaScript run by plain
// node, like the compiled bot, so that start time and latency compare the work done, not the loader.
// With BENCH_REPLY_TO_DMS=1 it is the DM rows' second baseline: it answers every DM with one fixed
// chat.postMessage through Bolt's own Web API client, the floor of answering at all (a bare ack makes no call).
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
app.command("/cabal", async ({ ack }) => {
  await ack();
});
const replyToDms = process.env.BENCH_REPLY_TO_DMS === "1";
app.event("message", async ({ event, client }) => {
  if (replyToDms) {
    await client.chat.postMessage({ channel: event.channel, text: "The next meeting is on Thursday at 11:00." });
  }
});
await app.start(Number(process.env.PORT ?? 3000));
ready = true;
process.on("SIGTERM", async () => {
  await app.stop();
  process.exit(0);
});
