// manifest.yml must match what the code registers (command, events) and calls (scopes).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  BLOCK_ACTIONS,
  BOT_EVENTS,
  SLASH_COMMANDS,
  VIEW_SUBMISSIONS,
} from "../../../src/adapters/slack/listeners/index.js";
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

  it("enables the Home tab exactly when the code publishes it on app_home_opened", () => {
    const publishes = calledMethods().includes("views.publish");
    const listens = (BOT_EVENTS as readonly string[]).includes("app_home_opened");
    expect(publishes).toBe(true);
    expect(listens).toBe(true);
    expect(manifest.features.app_home.home_tab_enabled).toBe(publishes && listens);
  });

  it("enables interactivity exactly when the code handles buttons or modal submissions, at Bolt's endpoint", () => {
    const handlesInteractions = BLOCK_ACTIONS.length + VIEW_SUBMISSIONS.length > 0;
    expect(handlesInteractions).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(handlesInteractions);
    // The modal is opened with a trigger from a button, so it needs views.open.
    expect(calledMethods()).toContain("views.open");
    // In HTTP mode every request comes to the one path Bolt's receiver serves.
    const urls = [
      manifest.settings.interactivity.request_url,
      manifest.settings.event_subscriptions.request_url,
      ...(manifest.features.slash_commands as { url: string }[]).map((c) => c.url),
    ];
    for (const url of urls) expect(new URL(url).pathname).toBe("/slack/events");
  });
});
