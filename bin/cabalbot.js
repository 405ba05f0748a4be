#!/usr/bin/env node
// Runs the compiled CLI: `npm ci` builds dist/ (the `prepare` script); no transpiler runs in production.
try {
  await import("../dist/cli.js");
} catch (error) {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.message).includes("dist/cli.js")) throw error;
  process.stderr.write("cabalbot: dist/ is missing; run `npm run build` (npm ci does it)\n");
  process.exit(2);
}
