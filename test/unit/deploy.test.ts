// The Containerfile and the Quadlet unit must agree with the app: the variables it reads, the port it listens on,
// where the database and the config live. No image is built here (no container registry is reachable from CI
// for the base image), so these files are checked against the code instead.
import { existsSync, readFileSync } from "node:fs";
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { type EnvResult, parseEnv } from "../../src/env.js";
import { START_NODE_OPTIONS } from "../support/build.js";

const ROOT = new URL("../../", import.meta.url);
const read = (path: string) => readFileSync(new URL(path, ROOT), "utf8");

interface Instruction {
  keyword: string;
  args: string;
}

/** Containerfile instructions per stage (continuation lines joined, comments dropped). */
function containerfileStages(text: string): Instruction[][] {
  const stages: Instruction[][] = [];
  const logical = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
  for (const line of logical) {
    const [keyword = "", ...rest] = line.split(/\s+/);
    const instruction = { keyword: keyword.toUpperCase(), args: rest.join(" ") };
    if (instruction.keyword === "FROM") stages.push([]);
    stages[stages.length - 1]?.push(instruction);
  }
  return stages;
}

/** `ENV A=1 B=2` → { A: "1", B: "2" }. */
function envOf(stage: Instruction[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { keyword, args } of stage) {
    if (keyword !== "ENV") continue;
    for (const pair of args.split(/\s+/)) {
      const [name = "", ...value] = pair.split("=");
      env[name] = value.join("=");
    }
  }
  return env;
}

/** A systemd unit's active `key=value` lines per section; `commented` holds `#Key=value` lines too. */
function parseUnit(text: string) {
  const sections: Record<string, [string, string][]> = {};
  const commented: [string, string][] = [];
  let section = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const header = /^\[(.+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? "";
      sections[section] = [];
      continue;
    }
    const disabled = /^#\s*([A-Z][A-Za-z]+)=(.*)$/.exec(line);
    if (disabled) commented.push([disabled[1] ?? "", disabled[2] ?? ""]);
    if (!line || line.startsWith("#") || line.startsWith(";")) continue;
    const at = line.indexOf("=");
    sections[section]?.push([line.slice(0, at), line.slice(at + 1)]);
  }
  const all = (name: string, key: string) => (sections[name] ?? []).filter(([k]) => k === key).map(([, v]) => v);
  return { sections, commented, all };
}

/** `name,type=env,target=VAR` → its parts. */
function parseSecret(value: string) {
  const [name = "", ...options] = value.split(",");
  return { name, ...Object.fromEntries(options.map((option) => option.split("=") as [string, string])) } as {
    name: string;
    type?: string;
    target?: string;
  };
}

/** The environment variables src/env.ts reads: its schema's keys and the variables it reads by name. */
function appEnvNames(): Set<string> {
  const source = read("src/env.ts");
  const names = new Set<string>();
  for (const match of source.matchAll(/^ {2}([A-Z][A-Z0-9_]+):/gm)) names.add(match[1] ?? "");
  for (const match of source.matchAll(/\b(?:raw|present|env)\.([A-Z][A-Z0-9_]+)\b/g)) names.add(match[1] ?? "");
  return names;
}

/** The port a Slack mode listens on, wherever parseEnv puts it (the settings or the mode). */
function listenPort(result: EnvResult): number | undefined {
  if (!result.ok) return undefined;
  return (result.mode as { port?: number }).port ?? (result.env as { PORT?: number }).PORT;
}

const stages = containerfileStages(read("Containerfile"));
const runtime = stages[stages.length - 1] ?? [];
const imageEnv = envOf(runtime);
const unit = parseUnit(read("deploy/cabalbot.container"));
const unitEnv = Object.fromEntries(
  unit.all("Container", "Environment").map((pair) => pair.split("=", 2) as [string, string]),
);
const activeSecrets = unit.all("Container", "Secret").map(parseSecret);
const VALID_SECRETS: Record<string, string> = {
  SLACK_BOT_TOKEN: "xoxb-1-2-abc",
  SLACK_APP_TOKEN: "xapp-1-A1-2-abc",
  SLACK_SIGNING_SECRET: "0123456789abcdef",
};

describe("Containerfile", () => {
  it("starts node with the options npm start uses", () => {
    const entrypoint = runtime.filter((i) => i.keyword === "ENTRYPOINT").pop()?.args;
    expect(JSON.parse(entrypoint ?? "[]")).toEqual(["node", ...START_NODE_OPTIONS, "/app/bin/cabalbot.js"]);
    expect(START_NODE_OPTIONS).toContain("--max-semi-space-size=4");
  });

  it("builds in one stage and runs compiled JavaScript with production dependencies only, as a non-root user", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const runs = (stage: Instruction[]) => stage.filter((i) => i.keyword === "RUN").map((i) => i.args);
    expect(runs(stages[0] ?? []).join("\n")).toMatch(/npm ci\b[\s\S]*npm run build/);
    expect(runs(runtime).join("\n")).toMatch(/npm ci --omit=dev/);
    expect(runtime.some((i) => i.keyword === "COPY" && /--from=build\b.*\bdist\b/.test(i.args))).toBe(true);
    const user = runtime.filter((i) => i.keyword === "USER").pop()?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // `npm run build` names a script package.json has.
    const scripts = JSON.parse(read("package.json")).scripts as Record<string, string>;
    for (const script of runs(stages[0] ?? [])
      .join(" ")
      .matchAll(/npm run (\S+)/g)) {
      expect(scripts, `script ${script[1]}`).toHaveProperty(script[1] ?? "");
    }
  });

  it("copies only files the repository has", () => {
    for (const { keyword, args } of stages.flat()) {
      if (keyword !== "COPY" || args.startsWith("--from")) continue;
      const sources = args.split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(new URL(source, ROOT)), source).toBe(true);
    }
  });

  it("keeps the database on the volume the non-root user owns, and sets only variables the app reads", () => {
    const dbDir = posix.dirname(imageEnv.CABALBOT_DB ?? "");
    expect(dbDir).toBe("/var/lib/cabalbot");
    expect(runtime.find((i) => i.keyword === "VOLUME")?.args).toBe(dbDir);
    const user = runtime.filter((i) => i.keyword === "USER").pop()?.args ?? "";
    expect(runtime.some((i) => i.keyword === "RUN" && i.args.includes(`chown ${user}:${user} ${dbDir}`))).toBe(true);
    const appNames = appEnvNames();
    // NODE_ENV is for the libraries (production mode), not read by the bot itself.
    for (const name of Object.keys(imageEnv).filter((n) => n !== "NODE_ENV")) expect(appNames, name).toContain(name);
  });

  it("listens and is probed on the port the app uses by default", () => {
    const defaultPort = listenPort(parseEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "0123456789" }));
    expect(defaultPort).toBe(3000);
    expect(Number(imageEnv.PORT)).toBe(defaultPort);
    expect(runtime.find((i) => i.keyword === "EXPOSE")?.args).toBe(String(defaultPort));
    expect(runtime.find((i) => i.keyword === "HEALTHCHECK")?.args).toContain("/app/deploy/healthcheck.js");
    expect(read("deploy/healthcheck.js")).toMatch(/process\.env\.PORT \|\| "3000"[\s\S]*\/healthz/);
  });
});

describe("Quadlet unit deploy/cabalbot.container", () => {
  it("mounts the database volume where CABALBOT_DB points, and the config read-only where CABALBOT_CONFIG points", () => {
    const volumes = unit.all("Container", "Volume").map((v) => v.split(":"));
    const data = volumes.find(([source]) => source === "cabalbot-data.volume");
    expect(data?.[1]).toBe(posix.dirname(imageEnv.CABALBOT_DB ?? ""));
    expect(existsSync(new URL("deploy/cabalbot-data.volume", ROOT))).toBe(true);
    expect(read("deploy/cabalbot-data.volume")).toMatch(/^\[Volume\]$/m);
    const config = volumes.find(([, target]) => target === unitEnv.CABALBOT_CONFIG);
    expect(config, "a mount at CABALBOT_CONFIG").toBeDefined();
    expect(config?.[2]?.split(",")).toContain("ro");
  });

  it("passes credentials only as Podman secrets, enough for a Slack mode, each one a variable the app reads", () => {
    const appNames = appEnvNames();
    for (const name of Object.keys(unitEnv)) {
      expect(name).not.toMatch(/TOKEN|SECRET/);
      expect(appNames, name).toContain(name);
    }
    for (const secret of [
      ...activeSecrets,
      ...unit.commented.filter(([k]) => k === "Secret").map(([, v]) => parseSecret(v)),
    ]) {
      expect(secret.type, secret.name).toBe("env");
      expect(secret.target, secret.name).toMatch(/^[A-Z][A-Z0-9_]+$/);
    }
    for (const secret of activeSecrets) expect(appNames, secret.name).toContain(secret.target);
    const env = Object.fromEntries(activeSecrets.map((s) => [s.target ?? "", VALID_SECRETS[s.target ?? ""] ?? "x"]));
    const result = parseEnv({ ...imageEnv, ...unitEnv, ...env });
    expect(result.ok && result.mode.kind).toMatch(/^slack-/);
    // The HTTP mode's secret is there to switch to.
    const all = [...activeSecrets.map((s) => s.target), ...unit.commented.map(([, v]) => parseSecret(v).target)];
    expect(all).toEqual(expect.arrayContaining(["SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET"]));
  });

  it("publishes the app's port, checks /healthz, restarts, reloads with SIGHUP, and starts with the user's session", () => {
    const [host, container] = (unit.all("Container", "PublishPort")[0] ?? "").split(":");
    expect(Number(container)).toBe(Number(imageEnv.PORT));
    expect(Number(host)).toBeGreaterThan(0);
    expect(unit.all("Container", "HealthCmd")[0]).toBe("node /app/deploy/healthcheck.js");
    expect(unit.all("Container", "Image")[0]).toBe("localhost/cabalbot:latest");
    expect(unit.all("Service", "Restart")[0]).toBe("always");
    expect(unit.all("Service", "ExecReload")[0]).toMatch(/podman kill --signal HUP cabalbot$/);
    expect(unit.all("Container", "ContainerName")[0]).toBe("cabalbot");
    expect(unit.all("Install", "WantedBy")).toEqual(["default.target"]);
  });

  it("is what the README tells operators to install", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## Running with Podman (Quadlet)"));
    expect(section.length).toBeGreaterThan(0);
    for (const secret of activeSecrets) expect(section).toContain(`podman secret create ${secret.name}`);
    expect(section).toContain("podman build -t localhost/cabalbot:latest");
    expect(section).toContain("deploy/cabalbot.container");
    expect(section).toContain("deploy/cabalbot-data.volume");
    expect(section).toContain("~/.config/cabalbot/cabalbot.yml");
    expect(section).toContain(unitEnv.CABALBOT_CONFIG);
    expect(section).toContain(imageEnv.CABALBOT_DB);
  });
});
