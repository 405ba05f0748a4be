import { describe, expect, it } from "vitest";
import { CLOCK_START_EXAMPLE, parseEnv, readClockStart } from "../../src/env.js";

const SLACK_HTTP = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_SIGNING_SECRET: "a-signing-secret" };

describe("PORT", () => {
  it("is not read in console mode, where nothing listens", () => {
    const result = parseEnv({ PORT: "not-a-port" });
    expect(result.ok && result.mode).toEqual({ kind: "console" });
  });

  it.each([
    ["not-a-port", 'PORT must be a port number from 0 to 65535 (got "not-a-port")'],
    ["70000", "PORT must be a port number from 0 to 65535 (got 70000)"],
  ])("refuses %j when Slack listens on it", (port, error) => {
    expect(parseEnv({ ...SLACK_HTTP, PORT: port })).toEqual({ ok: false, errors: [error] });
    expect(parseEnv({ ...SLACK_HTTP, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: "xapp-1", PORT: port })).toEqual(
      { ok: false, errors: [error] },
    );
  });

  it("defaults to 3000 and reads a given port", () => {
    const port = (env: NodeJS.ProcessEnv) => {
      const result = parseEnv(env);
      return result.ok && result.mode.kind !== "console" ? result.mode.port : undefined;
    };
    expect(port(SLACK_HTTP)).toBe(3000);
    expect(port({ ...SLACK_HTTP, PORT: "8080" })).toBe(8080);
  });
});

describe("CABALBOT_CLOCK_START", () => {
  // `cabalbot next` reads it with readClockStart, the bot with parseEnv: both must agree on every form.
  it.each([
    ["2026-11-30T13:58:00Z", "2026-11-30T13:58:00.000Z"],
    ["2026-11-30T08:58:00-05:00", "2026-11-30T13:58:00.000Z"],
    ["2026-11-30T14:58:00.250+01:00", "2026-11-30T13:58:00.250Z"],
    ["2026-11-30T13:58:00", undefined],
    ["2026-11-30", undefined],
    ["2026-02-30T10:00:00Z", undefined],
    ["Nov 30 2026 13:58", undefined],
  ])("%j is read the same by the bot and the command line", (text, instant) => {
    const cli = readClockStart({ CABALBOT_CLOCK_START: text });
    const bot = parseEnv({ CABALBOT_CLOCK_START: text });
    expect(cli.ok ? cli.start?.toISOString() : undefined).toBe(instant);
    expect(bot.ok ? bot.env.CABALBOT_CLOCK_START?.toISOString() : undefined).toBe(instant);
    if (!cli.ok) expect(bot).toEqual({ ok: false, errors: [cli.error] });
  });

  it("explains a bad value with an example", () => {
    const result = readClockStart({ CABALBOT_CLOCK_START: "tomorrow" });
    expect(result).toEqual({
      ok: false,
      error: `CABALBOT_CLOCK_START must be an ISO 8601 instant with its zone offset, e.g. ${CLOCK_START_EXAMPLE} or 2026-11-30T08:58:00-05:00 (got "tomorrow")`,
    });
    expect(CLOCK_START_EXAMPLE).toBe("2026-11-30T13:58:00Z");
  });

  it("unset or empty means the real time", () => {
    expect(readClockStart({})).toEqual({ ok: true, start: undefined });
    expect(readClockStart({ CABALBOT_CLOCK_START: "" })).toEqual({ ok: true, start: undefined });
  });
});

describe("Matrix", () => {
  const HOMESERVER = { MATRIX_HOMESERVER_URL: "https://matrix.example.org" };
  const MATRIX_PROBLEM =
    "Matrix needs MATRIX_HOMESERVER_URL and either MATRIX_ACCESS_TOKEN or MATRIX_USER with MATRIX_PASSWORD; unset them all to run without Matrix";

  it("connects with a token or with a user and password, alone or beside Slack", () => {
    const token = parseEnv({ ...HOMESERVER, MATRIX_ACCESS_TOKEN: "syt_abcdefgh" });
    expect(token.ok && token.matrix).toEqual({
      homeserverUrl: "https://matrix.example.org",
      login: { accessToken: "syt_abcdefgh" },
    });
    expect(token.ok && token.mode).toEqual({ kind: "console" });
    const password = parseEnv({ ...SLACK_HTTP, ...HOMESERVER, MATRIX_USER: "cabalbot", MATRIX_PASSWORD: "pw" });
    expect(password.ok && password.matrix).toEqual({
      homeserverUrl: "https://matrix.example.org",
      login: { user: "cabalbot", password: "pw" },
    });
    expect(password.ok && password.mode.kind).toBe("slack-http");
  });

  it("is off when no MATRIX_ variable is set, and empty ones count as unset", () => {
    const result = parseEnv({ MATRIX_HOMESERVER_URL: "", MATRIX_ACCESS_TOKEN: "" });
    expect(result.ok && result.matrix).toBeUndefined();
  });

  it.each([
    [{ MATRIX_ACCESS_TOKEN: "syt_abcdefgh" }],
    [{ ...HOMESERVER }],
    [{ ...HOMESERVER, MATRIX_USER: "cabalbot" }],
    [{ ...HOMESERVER, MATRIX_PASSWORD: "pw" }],
  ])("says what is missing in one line for %j", (env) => {
    expect(parseEnv(env)).toEqual({ ok: false, errors: [MATRIX_PROBLEM] });
  });

  it("refuses a homeserver that is not an http(s) URL", () => {
    expect(parseEnv({ MATRIX_HOMESERVER_URL: "matrix.example.org", MATRIX_ACCESS_TOKEN: "syt_abcdefgh" })).toEqual({
      ok: false,
      errors: ["MATRIX_HOMESERVER_URL must be the homeserver's http(s) URL"],
    });
  });
});
