// `npm start` runs the bot as npm's direct child (`exec node …`). npm forwards SIGTERM and SIGINT to it, but a
// SIGHUP or SIGKILL to npm's pid kills npm alone, and Node has no parent-death signal: so a bot started by
// `npm start` checks its parent pid and stops when npm is gone, instead of running on as an orphan.

/** How often the parent is checked: one cheap getppid() a second. */
const CHECK_EVERY_MS = 1_000;

/** Calls `onOrphaned` once when the npm process that started the bot exits; returns a function that stops watching. */
export function watchNpmParent(env: NodeJS.ProcessEnv, onOrphaned: () => void): () => void {
  // Only under `npm start`: a bot started any other way (systemd, nohup, a container) keeps running alone.
  if (env.npm_lifecycle_event !== "start") return () => {};
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
