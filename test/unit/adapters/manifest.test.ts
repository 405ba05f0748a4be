// manifest.yml must match what the code registers (command, events) and calls (scopes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { BOT_EVENTS, SLASH_COMMANDS } from "../../../src/adapters/slack/listeners/index.js";
import { EVENT_SCOPES, METHOD_SCOPES, requiredScopes } from "../../../src/adapters/slack/scopes.js";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const manifest = parse(readFileSync(join(root, "manifest.yml"), "utf8"));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Web API methods called anywhere in src, as `client.chat.postMessage(` etc. */
function calledMethods(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(join(root, "src"))) {
    for (const match of readFileSync(file, "utf8").matchAll(/\bclient\.(\w+)\.(\w+)\(/g))
      found.add(`${match[1]}.${match[2]}`);
  }
  return [...found].sort();
}

describe("manifest.yml", () => {
  it("declares exactly the slash commands the code registers, with a usage hint", () => {
    const commands = manifest.features.slash_commands as { command: string; usage_hint?: string }[];
    expect(commands.map((c) => c.command)).toEqual([...SLASH_COMMANDS]);
    expect(commands.every((c) => (c.usage_hint ?? "").includes("topic add"))).toBe(true);
  });

  it("subscribes to exactly the bot events the code handles", () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual([...BOT_EVENTS].sort());
    expect(Object.keys(EVENT_SCOPES).sort()).toEqual([...BOT_EVENTS].sort());
  });

  it("asks for exactly the scopes the called methods, events and command need", () => {
    const methods = calledMethods();
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods) expect(METHOD_SCOPES, `no scope entry for ${method}`).toHaveProperty([method]);
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(requiredScopes());
  });

  it("lets people DM the bot, and runs in socket mode with interactivity", () => {
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
