// Worker threads do not take `--import tsx` from execArgv on Node 20: this entry registers tsx, then loads
// the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./sqlite-race-worker.ts");
