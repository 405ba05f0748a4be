#!/usr/bin/env node
// Builds dist/ from src/ (the `build` and `prepare` scripts): what `npm start`, the bin, the tests and the image run.
// esbuild rather than tsc's per-file output, because start time is spent loading files, not running them: Node 20
// keeps no compile cache, and each ES module or CommonJS file costs a lookup, a read and a compile. Bolt alone is
// ~400 files, zod ~95. One bundle of what a start loads (the bot, and the packages below) starts in about two
// thirds of the time (README, Performance). Type checking stays with tsc (`npm run typecheck`).
import { rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = fileURLToPath(new URL("../", import.meta.url));

// Packages loaded before the bot is ready are bundled. Everything else stays in node_modules: better-sqlite3 has a
// native binding, and the rest (PostgreSQL, Matrix, metrics, iCalendar) loads later, only where it is used.
const BUNDLED = new Set([
  "@slack/bolt",
  "undici",
  "zod",
  "yaml",
  "pino",
  "node-cron",
  "tinyqueue",
  "fastest-levenshtein",
]);
const { dependencies } = (await import("../package.json", { with: { type: "json" } })).default;
const external = Object.keys(dependencies).filter((name) => !BUNDLED.has(name));

rmSync(`${root}dist`, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: ["src/main.ts", "src/cli.ts"],
  outdir: "dist",
  bundle: true,
  // Each dynamic import() (Matrix, PostgreSQL, the console, the jobs loaded after ready) stays its own file,
  // loaded when used. The chunks sit beside main.js: config.ts finds config/ relative to its own file.
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  tsconfig: "tsconfig.json",
  external,
  // Logs name errors by their class (pino's `type`): keep class names as written.
  keepNames: true,
  // Whitespace only, names and syntax as written: V8 keeps each file's whole source in memory, and the bundled
  // packages' comments and indentation were ~4 MB of the idle process. Stack traces then point into long lines;
  // `node --enable-source-maps` maps them back through the .map files beside each chunk.
  minifyWhitespace: true,
  sourcemap: "linked",
  logLevel: "warning",
  metafile: true,
  // The bundled CommonJS packages call require() for Node's own modules, which an ES module does not have.
  banner: {
    js: "import { createRequire as cabalbotCreateRequire } from 'node:module'; const require = cabalbotCreateRequire(import.meta.url);",
  },
});
// Which file imports which, and how (test/e2e/build.test.ts checks what a start loads).
writeFileSync(`${root}dist/build-meta.json`, JSON.stringify(result.metafile));
