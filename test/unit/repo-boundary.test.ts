// A fresh clone must pass on its own: no source, test, bench or CI file may name a path outside the repository.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SCANNED = ["src", "test", "bench", ".ci", "bin"];
// Third-party notes quoted verbatim: they mention paths on their authors' machines, and nothing reads them as paths.
const NOT_SCANNED = new Set([join("test", "fixtures")]);

// Built from pieces so that this file does not name what it forbids.
const UP = "../";
const SIBLING_FOLDER = new RegExp(`\\.\\./+${"shared"}\\b|${"shared"}/corpus`);
const ABSOLUTE_HOME = new RegExp(`(?:^|[\\s"'\`(=:])/(?:${["work", "home", "Users", "root"].join("|")})/`);
const RELATIVE_CLIMB = /(?:\.\.\/)+[^\s"'`)\]]*/g;

function listFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (NOT_SCANNED.has(path) || entry.name === "node_modules") return [];
    return entry.isDirectory() ? listFiles(path) : [path];
  });
}

function climbsAboveRoot(path: string, line: string): boolean {
  return [...line.matchAll(RELATIVE_CLIMB)].some(([climb]) => {
    // Imports and `new URL(…, import.meta.url)` resolve from the file's own folder.
    const target = relative(ROOT, resolve(ROOT, dirname(path), climb));
    return target === ".." || target.startsWith(`..${sep}`);
  });
}

/** Each line of `text` (the file at `path`, relative to the root) that names a place outside the repository. */
function pathsOutsideRepository(path: string, text: string): string[] {
  return text
    .split("\n")
    .flatMap((line, index) =>
      SIBLING_FOLDER.test(line) || ABSOLUTE_HOME.test(line) || climbsAboveRoot(path, line)
        ? [`${path}:${index + 1}: ${line.trim()}`]
        : [],
    );
}

describe("repository boundary", () => {
  const files = SCANNED.flatMap(listFiles);

  it("scans the source, test, bench and CI folders", () => {
    expect(files).toContain(join("src", "main.ts"));
    expect(files).toContain(join(".ci", "run"));
    expect(files).toContain(join("test", "unit", "repo-boundary.test.ts"));
  });

  it("no scanned file names a path outside the repository", () => {
    const offending = files.flatMap((path) => pathsOutsideRepository(path, readFileSync(join(ROOT, path), "utf8")));
    expect(offending).toEqual([]);
  });

  it.each([
    ["a sibling folder of the clone", "test/unit/x.test.ts", `new URL("${UP}${UP}${UP}shared/x.md", import.meta.url)`],
    ["a climb above the root", "test/e2e/x.test.ts", `readFileSync("${UP}${UP}${UP}elsewhere/notes.md")`],
    ["an absolute path on one machine", "bench/x.ts", `const corpus = "/${"work"}/data/notes";`],
  ])("recognises %s", (_what, path, line) => {
    expect(pathsOutsideRepository(path, line)).toHaveLength(1);
  });

  it("accepts paths that stay inside", () => {
    expect(
      pathsOutsideRepository("test/unit/app/x.test.ts", `import { a } from "${UP}${UP}${UP}src/app/x.js";`),
    ).toEqual([]);
  });
});
