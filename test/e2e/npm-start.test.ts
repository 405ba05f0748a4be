// `npm start` as a person or a supervisor runs it: npm's own pid is the one they signal, and no bot may outlive it.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { readdirSync, readFileSync } from "node:fs";
import { setTimeout as delay } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { freePort, slackHttpEnv, tempDir, writeConfig } from "../support/bot-process.js";
import { ROOT } from "../support/build.js";
import { SlackApiStandIn } from "../support/slack-api-stand-in.js";

const CONFIG = `
meetings:
  - id: cabal
    title: Podman Community Cabal
    channel: C0PODMAN00
    timezone: America/New_York
    time: "11:00"
    rrule: "FREQ=MONTHLY;BYDAY=3TH"
`;

interface ProcessInfo {
  pid: number;
  parent: number;
  state: string;
  command: string;
}

/** Every process on the machine, from /proc (Linux). */
function processes(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may contain spaces, so read after its closing parenthesis.
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const [state, parent] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const command = readFileSync(`/proc/${name}/cmdline`, "utf8").split("\0").join(" ").trim();
      found.push({ pid: Number(name), parent: Number(parent), state: state ?? "", command });
    } catch {
      // the process ended while we were reading
    }
  }
  return found;
}

/** Running means present and not a zombie (an exited process nobody has reaped yet). */
function isRunning(pid: number): boolean {
  const info = processes().find((p) => p.pid === pid);
  return info !== undefined && info.state !== "Z";
}

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await delay(50); // poll interval of the check, not a wait for an outcome
  }
}

describe("npm start", () => {
  const started: ChildProcess[] = [];
  const bots: number[] = [];
  let api: SlackApiStandIn | undefined;
  afterEach(async () => {
    for (const pid of bots.splice(0)) if (isRunning(pid)) process.kill(pid, "SIGKILL");
    for (const npm of started.splice(0)) npm.kill("SIGKILL");
    await api?.stop();
    api = undefined;
  });

  /**
   * Spawns `npm start` and resolves with npm's child once it is ready: the console prompt, or in Slack HTTP mode
   * (where no terminal input ends with npm) /healthz answering 200.
   */
  async function npmStart(mode: "console" | "slack-http"): Promise<{
    npm: ChildProcess;
    npmExited: Promise<unknown>;
    bot: ProcessInfo;
    output: () => string;
  }> {
    const dir = tempDir();
    let env: Record<string, string> = { CABALBOT_DB: `${dir}/bot.sqlite`, LOG_LEVEL: "info" };
    let port = 0;
    if (mode === "slack-http") {
      api = new SlackApiStandIn();
      port = await freePort();
      writeConfig(dir, CONFIG);
      env = { ...env, ...slackHttpEnv(await api.start(), dir), PORT: String(port) };
    }
    const npm = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    started.push(npm);
    const npmExited = once(npm, "exit");
    let output = "";
    npm.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    npm.stderr?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
    });
    if (mode === "console") {
      await waitUntil(() => output.includes("cabalbot console"), "the console prompt", 15_000);
    } else {
      let healthy = false;
      await waitUntil(() => {
        void fetch(`http://127.0.0.1:${port}/healthz`).then(
          (r) => {
            healthy ||= r.status === 200;
          },
          () => {},
        );
        return healthy;
      }, "/healthz answers 200");
    }
    const children = processes().filter((p) => p.parent === npm.pid);
    expect(children).toHaveLength(1);
    const bot = children[0] as ProcessInfo;
    bots.push(bot.pid);
    return { npm, npmExited, bot, output: () => output };
  }

  it("runs the compiled bot as npm's only child, with plain node and no shell or transpiler between", async () => {
    const { bot } = await npmStart("console");
    expect(bot.command).toMatch(/^\S*node (--\S+ )*dist\/main\.js$/);
    expect(processes().filter((p) => p.parent === bot.pid)).toEqual([]);
  });

  it("stops the bot gracefully when npm's pid gets SIGTERM (npm forwards it)", async () => {
    const { npm, npmExited, bot, output } = await npmStart("console");
    npm.kill("SIGTERM");
    await waitUntil(() => !isRunning(bot.pid), `bot ${bot.pid} is gone`);
    await npmExited;
    expect(output()).toContain('"signal":"SIGTERM"');
  });

  it("stops the bot when npm's pid gets SIGHUP, which npm does not forward and dies of", async () => {
    const { npm, bot, output } = await npmStart("slack-http");
    npm.kill("SIGHUP");
    await waitUntil(() => !isRunning(bot.pid), `bot ${bot.pid} is gone`);
    expect(output()).toContain('"signal":"npm exited"');
  });

  it("stops the bot when npm is killed outright (SIGKILL)", async () => {
    const { npm, bot } = await npmStart("slack-http");
    npm.kill("SIGKILL");
    await waitUntil(() => !isRunning(bot.pid), `bot ${bot.pid} is gone`);
  });
});
