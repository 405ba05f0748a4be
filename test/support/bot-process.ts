// Runs the real bot (the compiled dist/main.js) as a child process, the way `npm start` does.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { BUILT_MAIN, ROOT, START_NODE_OPTIONS } from "./build.js";
import { SIGNING_SECRET } from "./slack-requests.js";

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

export function tempDir(prefix = "cabalbot-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeConfig(dir: string, yaml: string): string {
  const path = join(dir, "cabalbot.yml");
  writeFileSync(path, yaml);
  return path;
}

/**
 * The environment of a bot in Slack HTTP mode against a Web API stand-in, with its config file
 * (`writeConfig(dir, …)`) and database in `dir`.
 */
export function slackHttpEnv(apiUrl: string, dir: string): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: apiUrl,
    CABALBOT_CONFIG: join(dir, "cabalbot.yml"),
    CABALBOT_DB: join(dir, "bot.sqlite"),
  };
}

export class BotProcess {
  output = "";
  private readonly child: ChildProcess;
  private readonly listeners = new Set<() => void>();
  readonly exited: Promise<number | null>;

  /**
   * `fileSizeBlocks` caps the size of every file the bot writes (`ulimit -f`, in the shell's blocks): a real
   * "disk full" for its database without root. Node ignores SIGXFSZ, so writes past it fail with EFBIG.
   */
  constructor(env: Record<string, string>, cwd = ROOT, limits: { fileSizeBlocks?: number } = {}) {
    const command = [process.execPath, ...START_NODE_OPTIONS, BUILT_MAIN];
    const [program, ...args] =
      limits.fileSizeBlocks === undefined
        ? command
        : ["/bin/sh", "-c", `ulimit -f ${limits.fileSizeBlocks} && exec "$@"`, "sh", ...command];
    this.child = spawn(program as string, args, {
      cwd,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", LOG_LEVEL: "info", ...env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString("utf8");
      for (const wake of this.listeners) wake();
    };
    this.child.stdout?.on("data", collect);
    this.child.stderr?.on("data", collect);
    this.exited = once(this.child, "exit").then(([code]) => code as number | null);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  write(line: string): void {
    this.child.stdin?.write(`${line}\n`);
  }

  /** Closes our end of the bot's stdout or stderr, as a closed terminal or a dead log collector would. */
  closeOutput(stream: "stdout" | "stderr"): void {
    this.child[stream]?.destroy();
  }

  endInput(): void {
    this.child.stdin?.end();
  }

  /** Resolves when the output matches; rejects after the timeout, showing the output so far. */
  waitForOutput(pattern: RegExp, timeoutMs = 15_000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output.match(pattern);
        if (!match) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(match);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${pattern}; output so far:\n${this.output}`));
      }, timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  kill(signal: NodeJS.Signals = "SIGTERM"): Promise<number | null> {
    this.child.kill(signal);
    return this.exited;
  }
}

/** Starts the bot in Slack HTTP mode and resolves once GET /healthz answers 200 (its readiness signal). */
export async function startSlackBot(
  env: Record<string, string>,
  port: number,
  timeoutMs = 30_000,
): Promise<BotProcess> {
  const bot = new BotProcess({ ...env, PORT: String(port) });
  let exitCode: number | null | undefined;
  void bot.exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return bot;
    if (exitCode !== undefined) throw new Error(`bot exited (${exitCode}) before it was ready:\n${bot.output}`);
    if (Date.now() > deadline) {
      await bot.kill("SIGKILL");
      throw new Error(`bot not ready after ${timeoutMs} ms:\n${bot.output}`);
    }
    await delay(100); // poll interval of the readiness check, not a wait for an outcome
  }
}
