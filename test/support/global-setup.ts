// Vitest global setup: build dist/ once before any test file runs (see build.ts).
import { ensureBuilt } from "./build.js";

export function setup(): void {
  ensureBuilt();
}
