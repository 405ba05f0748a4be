// What a start reads: dist/ is an esbuild bundle (scripts/build.mjs), split at each dynamic import() so that what a
// mode does not use is never loaded. These follow the build's own record of which file imports which, and how.
import { readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../support/build.js";

interface BuildMeta {
  outputs: Record<
    string,
    { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }
  >;
}
const meta = JSON.parse(readFileSync(join(ROOT, "dist/build-meta.json"), "utf8")) as BuildMeta;

/** The sources and the external packages loaded with an output file, before any of its dynamic imports run. */
function loadedWith(file: string): { sources: string[]; packages: string[] } {
  const sources = new Set<string>();
  const packages = new Set<string>();
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const output = meta.outputs[path];
    if (!output) throw new Error(`the build made no ${path}`);
    for (const input of Object.keys(output.inputs)) sources.add(input);
    for (const edge of output.imports) {
      if (edge.kind === "dynamic-import") continue;
      if (edge.external) packages.add(edge.path);
      else visit(edge.path);
    }
  };
  visit(file);
  return { sources: [...sources], packages: [...packages] };
}

/** The output file that holds a source file. */
function outputWith(source: string): string {
  const found = Object.entries(meta.outputs).find(([, output]) => source in output.inputs);
  if (!found) throw new Error(`no output holds ${source}`);
  return found[0];
}

describe("the built bot", () => {
  it("starts without reading the Slack, Matrix or PostgreSQL code or the packages loaded after ready", () => {
    const { sources, packages } = loadedWith("dist/main.js");
    expect(sources).toContain("src/main.ts");
    expect(sources).toContain("src/config.ts");
    expect(sources.filter((s) => /^src\/adapters\/(slack|matrix|postgres)\//.test(s))).toEqual([]);
    expect(sources.filter((s) => s.startsWith("node_modules/@slack/"))).toEqual([]);
    for (const later of ["pg", "matrix-js-sdk", "prom-client", "ical-generator", "@date-fns/tz"])
      expect(packages).not.toContain(later);
  });

  it("carries Bolt in the Slack mode's own file, which loads no Matrix or PostgreSQL", () => {
    const { sources, packages } = loadedWith(outputWith("src/adapters/slack/slack-app.ts"));
    expect(sources.some((s) => s.startsWith("node_modules/@slack/bolt/"))).toBe(true);
    expect(sources.filter((s) => /^src\/adapters\/(matrix|postgres)\//.test(s))).toEqual([]);
    // Node's own modules only (undici names node:sqlite, which node 20 lacks, in code it never runs there).
    expect(packages.filter((name) => !isBuiltin(name) && !name.startsWith("node:"))).toEqual([]);
  });

  it("keeps better-sqlite3, with its native binding, in node_modules", () => {
    const { sources, packages } = loadedWith(outputWith("src/adapters/sqlite/sqlite-store.ts"));
    expect(packages).toContain("better-sqlite3");
    expect(sources.filter((s) => s.startsWith("node_modules/better-sqlite3/"))).toEqual([]);
  });
});
