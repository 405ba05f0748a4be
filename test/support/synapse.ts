// A throwaway Synapse homeserver on loopback for the Matrix tests, and the people who use it.
// Synapse comes from `bash scripts/synapse/setup.sh` (a virtualenv inside the repository); each test file
// starts one homeserver in a temporary folder and removes it afterwards.
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { freePort, tempDir } from "./bot-process.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const VENV = join(ROOT, ".cache/synapse-venv");
/** Written by the setup script once Synapse imported cleanly. */
const INSTALLED_STAMP = join(VENV, "cabalbot-installed");
export const SYNAPSE_SETUP_COMMAND = "bash scripts/synapse/setup.sh";

export const SERVER_NAME = "localhost";

/**
 * Whether a Matrix suite can run here. Without Synapse it prints one line saying how to enable it and returns false;
 * under `CI=true` a missing homeserver is a failure instead.
 */
export function synapseAvailable(suite: string): boolean {
  if (existsSync(INSTALLED_STAMP)) return true;
  const reason = `Synapse is not installed; run \`${SYNAPSE_SETUP_COMMAND}\` to enable it`;
  if (process.env.CI === "true") throw new Error(`${suite} cannot run under CI=true: ${reason}`);
  console.warn(`${suite}: skipped, ${reason}`);
  return false;
}

export interface MatrixAccount {
  userId: string;
  localpart: string;
  password: string;
  accessToken: string;
  deviceId: string;
}

/** A client-server API error as the homeserver sent it. */
export class HomeserverError extends Error {
  constructor(
    readonly status: number,
    readonly errcode: string | undefined,
    readonly body: Record<string, unknown>,
    what: string,
  ) {
    super(`${what}: HTTP ${status} ${errcode ?? ""} ${String(body.error ?? "")}`.trim());
  }
}

async function requestJson(
  url: string,
  init: { method: string; token?: string; body?: unknown },
): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: init.method,
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  const body = (text ? JSON.parse(text) : {}) as Record<string, unknown>;
  if (!response.ok) {
    throw new HomeserverError(
      response.status,
      typeof body.errcode === "string" ? body.errcode : undefined,
      body,
      `${init.method} ${new URL(url).pathname}`,
    );
  }
  return body;
}

/** Polls `check` until it returns a value (not undefined), or fails after `timeoutMs` naming what it waited for. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(50);
  }
}

function homeserverYaml(dir: string, port: number, sharedSecret: string): string {
  // Rate limits high enough never to trigger in a test run; a test that wants one sets a per-user override.
  const unlimited = "{ per_second: 10000, burst_count: 10000 }";
  return `server_name: "${SERVER_NAME}"
pid_file: "${join(dir, "homeserver.pid")}"
public_baseurl: "http://127.0.0.1:${port}/"
listeners:
  - port: ${port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "${join(dir, "homeserver.db")}"
log_config: "${join(dir, "log.yaml")}"
media_store_path: "${join(dir, "media")}"
signing_key_path: "${join(dir, "signing.key")}"
macaroon_secret_key: "${randomBytes(24).toString("hex")}"
form_secret: "${randomBytes(24).toString("hex")}"
registration_shared_secret: "${sharedSecret}"
enable_registration: false
report_stats: false
enable_metrics: false
trusted_key_servers: []
suppress_key_server_warning: true
federation_domain_whitelist: []
presence:
  enabled: false
url_preview_enabled: false
bcrypt_rounds: 4
rc_message: ${unlimited}
rc_registration: ${unlimited}
rc_login:
  address: ${unlimited}
  account: ${unlimited}
  failed_attempts: ${unlimited}
rc_joins:
  local: ${unlimited}
  remote: ${unlimited}
rc_joins_per_room: ${unlimited}
rc_invites:
  per_room: ${unlimited}
  per_user: ${unlimited}
  per_issuer: ${unlimited}
rc_admin_redaction: ${unlimited}
rc_3pid_validation: ${unlimited}
rc_third_party_invite: ${unlimited}
`;
}

function logYaml(dir: string): string {
  return `version: 1
formatters:
  plain:
    format: "%(asctime)s %(levelname)s %(name)s %(message)s"
handlers:
  file:
    class: logging.FileHandler
    filename: "${join(dir, "homeserver.log")}"
    formatter: plain
root:
  level: WARNING
  handlers: [file]
disable_existing_loggers: false
`;
}

export class Homeserver {
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  private constructor(
    readonly url: string,
    private readonly dir: string,
    private readonly sharedSecret: string,
    private readonly child: ChildProcess,
    private readonly stderr: { text: string },
  ) {
    this.exited = new Promise((resolve) => {
      child.once("exit", (code) => {
        this.exitCode = code;
        resolve();
      });
    });
  }

  /** Starts Synapse on a free loopback port and resolves once its client API answers. */
  static async start(): Promise<Homeserver> {
    const dir = tempDir("cabalbot-synapse-");
    const port = await freePort();
    const sharedSecret = randomBytes(24).toString("hex");
    writeFileSync(join(dir, "homeserver.yaml"), homeserverYaml(dir, port, sharedSecret));
    writeFileSync(join(dir, "log.yaml"), logYaml(dir));
    // Synapse's key format: algorithm, key id, unpadded base64 of a 32-byte ed25519 seed.
    writeFileSync(
      join(dir, "signing.key"),
      `ed25519 a_test ${randomBytes(32).toString("base64").replace(/=+$/, "")}\n`,
    );
    const child = spawn(
      join(VENV, "bin/python"),
      ["-m", "synapse.app.homeserver", "--config-path", join(dir, "homeserver.yaml")],
      { cwd: dir, stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH ?? "", HOME: dir } },
    );
    const stderr = { text: "" };
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr.text = (stderr.text + chunk.toString("utf8")).slice(-8_000);
    });
    const server = new Homeserver(`http://127.0.0.1:${port}`, dir, sharedSecret, child, stderr);
    try {
      await waitFor(
        "Synapse to answer /_matrix/client/versions",
        async () => {
          if (server.exitCode !== undefined) throw new Error(`Synapse exited with ${server.exitCode}`);
          const answer = await fetch(`${server.url}/_matrix/client/versions`).catch(() => undefined);
          return answer?.ok ? true : undefined;
        },
        60_000,
      );
    } catch (error) {
      const log = server.logTail();
      await server.stop();
      throw new Error(`${(error as Error).message}\n${log}`);
    }
    return server;
  }

  /** The end of Synapse's own log and stderr, for a failure message. */
  logTail(): string {
    const logFile = join(this.dir, "homeserver.log");
    const log = existsSync(logFile) ? readFileSync(logFile, "utf8").slice(-4_000) : "";
    return `--- synapse log ---\n${log}\n--- synapse stderr ---\n${this.stderr.text}`;
  }

  /** Registers an account through the shared-secret admin API (HMAC-SHA1 over nonce, user, password, admin flag). */
  async register(localpart: string, options: { admin?: boolean } = {}): Promise<MatrixAccount> {
    const path = `${this.url}/_synapse/admin/v1/register`;
    const { nonce } = (await requestJson(path, { method: "GET" })) as { nonce: string };
    const password = randomBytes(12).toString("hex");
    const admin = options.admin ?? false;
    const mac = createHmac("sha1", this.sharedSecret)
      .update([nonce, localpart, password, admin ? "admin" : "notadmin"].join("\0"))
      .digest("hex");
    const answer = await requestJson(path, {
      method: "POST",
      body: { nonce, username: localpart, password, admin, mac },
    });
    return {
      userId: String(answer.user_id),
      localpart,
      password,
      accessToken: String(answer.access_token),
      deviceId: String(answer.device_id),
    };
  }

  /** A person using a client on this homeserver. */
  person(account: MatrixAccount): MatrixPerson {
    return new MatrixPerson(this.url, account);
  }

  /** Stops Synapse (SIGTERM, then SIGKILL) and removes its folder. */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) {
      this.child.kill("SIGTERM");
      const stopped = await Promise.race([this.exited.then(() => true), delay(5_000).then(() => false)]);
      if (!stopped) {
        this.child.kill("SIGKILL");
        await this.exited;
      }
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A room event as the client-server API returns it. */
export interface RoomEvent {
  event_id: string;
  type: string;
  sender: string;
  origin_server_ts: number;
  state_key?: string;
  content: Record<string, unknown>;
}

export interface NewRoom {
  alias?: string;
  name?: string;
  invite?: string[];
  isDirect?: boolean;
  encrypted?: boolean;
  preset?: "private_chat" | "public_chat" | "trusted_private_chat";
}

/** What a person does in their client, through the plain client-server API (not the SDK under test). */
export class MatrixPerson {
  private transactions = 0;

  constructor(
    readonly homeserverUrl: string,
    readonly account: MatrixAccount,
  ) {}

  get userId(): string {
    return this.account.userId;
  }

  request(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    return requestJson(`${this.homeserverUrl}/_matrix/client/v3${path}`, {
      method,
      token: this.account.accessToken,
      body,
    });
  }

  /** Synapse's admin API (`/_synapse/admin/v1…`); the person must be an admin. */
  adminRequest(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    return requestJson(`${this.homeserverUrl}/_synapse/admin/v1${path}`, {
      method,
      token: this.account.accessToken,
      body,
    });
  }

  /** Creates a room and returns its id; `alias` is the local part (`podman` → `#podman:localhost`). */
  async createRoom(room: NewRoom = {}): Promise<string> {
    const answer = await this.request("POST", "/createRoom", {
      preset: room.preset ?? (room.isDirect ? "trusted_private_chat" : "public_chat"),
      ...(room.alias ? { room_alias_name: room.alias } : {}),
      ...(room.name ? { name: room.name } : {}),
      invite: room.invite ?? [],
      is_direct: room.isDirect ?? false,
      initial_state: room.encrypted
        ? [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }]
        : [],
    });
    return String(answer.room_id);
  }

  /** Opens a direct chat with `userId` the way Element does: an `is_direct` invite and an `m.direct` entry. */
  async createDm(userId: string, options: { encrypted?: boolean } = {}): Promise<string> {
    const roomId = await this.createRoom({ invite: [userId], isDirect: true, encrypted: options.encrypted });
    await this.request("PUT", `/user/${encodeURIComponent(this.userId)}/account_data/m.direct`, {
      [userId]: [roomId],
    });
    return roomId;
  }

  async invite(roomId: string, userId: string): Promise<void> {
    await this.request("POST", `/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: userId });
  }

  async join(roomIdOrAlias: string): Promise<string> {
    const answer = await this.request("POST", `/join/${encodeURIComponent(roomIdOrAlias)}`, {});
    return String(answer.room_id);
  }

  /** Sends a text message (`m.text`) and returns its event id. */
  async send(roomId: string, body: string, extra: Record<string, unknown> = {}): Promise<string> {
    this.transactions += 1;
    const txnId = `${Date.now()}-${this.transactions}`;
    const answer = await this.request(
      "PUT",
      `/rooms/${encodeURIComponent(roomId)}/send/m.room.message/${encodeURIComponent(txnId)}`,
      { msgtype: "m.text", body, ...extra },
    );
    return String(answer.event_id);
  }

  /** The room's messages (`m.room.message`), oldest first, as this person sees them. */
  async messages(roomId: string): Promise<RoomEvent[]> {
    const filter = encodeURIComponent(JSON.stringify({ types: ["m.room.message"] }));
    const events: RoomEvent[] = [];
    let from: string | undefined;
    for (let page = 0; page < 20; page += 1) {
      const answer = (await this.request(
        "GET",
        `/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=100&filter=${filter}${from ? `&from=${encodeURIComponent(from)}` : ""}`,
      )) as { chunk: RoomEvent[]; end?: string };
      events.push(...answer.chunk);
      if (!answer.end || answer.chunk.length === 0) break;
      from = answer.end;
    }
    return events.reverse();
  }

  /** Waits until a message matching `match` is in the room, and returns it. */
  waitForMessage(roomId: string, what: string, match: (event: RoomEvent) => boolean, timeoutMs = 10_000) {
    return waitFor(what, async () => (await this.messages(roomId)).find(match), timeoutMs);
  }

  /** A member's membership in the room (`join`, `invite`, `leave`, …), or undefined if never a member. */
  async membership(roomId: string, userId: string): Promise<string | undefined> {
    try {
      const content = await this.request(
        "GET",
        `/rooms/${encodeURIComponent(roomId)}/state/m.room.member/${encodeURIComponent(userId)}`,
      );
      return String(content.membership);
    } catch (error) {
      if (error instanceof HomeserverError && error.status === 404) return undefined;
      throw error;
    }
  }

  /** Waits until `userId`'s membership in the room is `membership`. */
  waitForMembership(roomId: string, userId: string, membership: string, timeoutMs = 10_000): Promise<true> {
    return waitFor(
      `${userId} to be "${membership}" in ${roomId}`,
      async () => ((await this.membership(roomId, userId)) === membership ? true : undefined),
      timeoutMs,
    );
  }
}

/** A homeserver with a bot account and two people, Alice and Bob. */
export interface MatrixWorld {
  homeserver: Homeserver;
  bot: MatrixAccount;
  alice: MatrixPerson;
  bob: MatrixPerson;
}

export async function startMatrixWorld(): Promise<MatrixWorld> {
  const homeserver = await Homeserver.start();
  try {
    const [bot, alice, bob] = await Promise.all([
      homeserver.register("cabalbot"),
      homeserver.register("alice"),
      homeserver.register("bob"),
    ]);
    return { homeserver, bot, alice: homeserver.person(alice), bob: homeserver.person(bob) };
  } catch (error) {
    await homeserver.stop();
    throw error;
  }
}
