// Bolt's App, loaded alone. The package's index also loads the Express and AWS Lambda receivers and the OAuth
// installer, which the bot never uses: ~20 ms of every start and ~10 MB of memory. App.js is the module the index
// re-exports `App` and `LogLevel` from (Bolt has no `exports` map, so the path is public); a Bolt that moves it
// fails every Slack test at once.
import boltApp from "@slack/bolt/dist/App.js";

export const App = boltApp.default;
export const LogLevel = boltApp.LogLevel;
