import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqliteStore } from "../../src/adapters/sqlite/sqlite-store.js";

const writerScript = fileURLToPath(new URL("../support/durability-writer.ts", import.meta.url));
const ACK_TIMEOUT_MS = 15_000;

/** Resolves with the topic id the child acknowledged; rejects if it exits or stalls first. */
function waitForAck(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(
      () => reject(new Error(`no ACK within ${ACK_TIMEOUT_MS} ms; stdout: ${stdout} stderr: ${stderr}`)),
      ACK_TIMEOUT_MS,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const ack = /^ACK (\d+)$/m.exec(stdout);
      if (ack?.[1]) {
        clearTimeout(timer);
        resolve(Number(ack[1]));
      }
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`writer exited before ACK (code ${code}, signal ${signal}); stderr: ${stderr}`));
    });
  });
}

function waitForExit(child: ChildProcess): Promise<NodeJS.Signals | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode);
  return new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
}

describe("SqliteStore durability", () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "cabalbot-durability-"));
  });

  afterEach(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await waitForExit(child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps an acknowledged topic when the process is killed right after the ACK", async () => {
    const path = join(dir, "cabalbot.db");
    const title = `survives kill -9 ${Date.now()}`;
    const writer = spawn(process.execPath, ["--import", "tsx", writerScript, path, title], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = writer;

    const id = await waitForAck(writer);
    writer.kill("SIGKILL");
    expect(await waitForExit(writer)).toBe("SIGKILL");

    const store = SqliteStore.open(path);
    try {
      expect(await store.getTopic(id)).toMatchObject({ id, title, meetingId: "cabal" });
      expect((await store.listTopics("cabal", "2025-03-20")).map((topic) => topic.title)).toEqual([title]);
    } finally {
      store.close();
    }
  });
});
