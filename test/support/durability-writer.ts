// Child process for the durability test: commits one topic, says ACK, then waits to be killed.
// It never closes the store, so nothing but the commit itself can have put the topic on disk.
import { SqliteStore } from "../../src/adapters/sqlite/sqlite-store.js";

const [path, title] = process.argv.slice(2);
if (!path || !title) {
  process.stderr.write("usage: durability-writer <db path> <topic title>\n");
  process.exit(2);
}

const store = SqliteStore.open(path);
const topic = await store.addTopic({
  meetingId: "cabal",
  occurrenceDate: "2025-03-20",
  title,
  proposerId: "U123",
  proposerChat: "slack",
  proposerName: "Ada",
  source: "chat",
  createdAt: new Date(),
});
process.stdout.write(`ACK ${topic.id}\n`);
// Stay alive until the parent kills us, as the bot would be right after replying.
setInterval(() => {}, 60_000);
