// The end-to-end tests and the bench run what ships: the built dist/ (scripts/build.mjs). This rebuilds it when a source file
// is newer than the last build, so a test never runs yesterday's code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
/** The compiled entry point that `npm start` runs. */
export const BUILT_MAIN = join(ROOT, "dist/main.js");

/** The node options `npm start` runs the bot with (package.json's start script), so tests and bench use them too. */
export const START_NODE_OPTIONS: string[] = (() => {
  const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
    .scripts;
  const options = /^exec node ((?:--\S+ )*)dist\/main\.js$/.exec(scripts.start ?? "");
  if (!options) throw new Error(`package.json's start script is not "exec node [--option …] dist/main.js"`);
  return (options[1] ?? "").split(" ").filter(Boolean);
})();

function newestSourceChange(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceChange(path) : statSync(path).mtimeMs);
  }
  return newest;
}

export function ensureBuilt(): void {
  const sources = Math.max(
    newestSourceChange(join(ROOT, "src")),
    statSync(join(ROOT, "tsconfig.json")).mtimeMs,
    statSync(join(ROOT, "package.json")).mtimeMs,
    statSync(join(ROOT, "scripts/build.mjs")).mtimeMs,
  );
  if (existsSync(BUILT_MAIN) && statSync(BUILT_MAIN).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, "scripts/build.mjs")], {
    cwd: ROOT,
    stdio: "inherit",
  });
}
