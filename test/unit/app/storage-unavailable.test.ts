// A store that refuses writes (disk full, read-only file): commands refuse with a reason, nothing throws.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { type NewTopic, StoreUnavailableError, type Topic } from "../../../src/app/ports.js";
import { runCabalCommand } from "../../../src/app/run-command.js";
import { describeRefusal } from "../../../src/domain/refusal.js";
import { plainWording } from "../../../src/domain/wording.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

/** The memory store, except that writes fail the way SQLite's do on a read-only file, from a chosen moment on. */
class ReadOnlyAfterwardsStore extends MemoryStore {
  readOnly = false;
  private refuse(): void {
    if (this.readOnly)
      throw new StoreUnavailableError("attempt to write a readonly database (SQLITE_READONLY)", {
        kind: "not-writable",
      });
  }
  override async addTopic(topic: NewTopic): Promise<Topic> {
    this.refuse();
    return super.addTopic(topic);
  }
  override async removeTopic(id: number): Promise<boolean> {
    this.refuse();
    return super.removeTopic(id);
  }
}

function setup() {
  const meeting = testMeeting({
    id: "community",
    channel: "C0COMMUNITY",
    schedule: [{ rrule: "FREQ=MONTHLY;BYDAY=1TU" }],
  });
  const store = new ReadOnlyAfterwardsStore();
  const log = new MemoryLog();
  const clock = new FixedClock("2026-11-20T12:00:00Z");
  const deps: BotDeps = {
    config: { current: () => ({ displayZones: [], admins: [], meetings: [meeting] }) },
    store,
    clock,
    chat: new FakeChat(clock),
    log,
  };
  const command = (text: string) => runCabalCommand(deps, { text, user: slackUser("U1"), userName: "Ann" });
  return { store, log, command };
}

describe("commands when the store stops taking writes", () => {
  it.each(["topic add Pasta", "topic remove 1"])("`%s` says the agenda could not be saved", async (text) => {
    const { store, log, command } = setup();
    expect((await command("topic add Quadlet")).kind).toBe("added");
    store.readOnly = true;
    const outcome = await command(text);
    expect(outcome).toEqual({ kind: "rejected", reason: { code: "storage-unavailable", kind: "not-writable" } });
    expect(outcome.kind === "rejected" && describeRefusal(outcome.reason, plainWording("/cabal"))).toMatch(
      /^The agenda could not be saved/,
    );
    expect(log.entries.some((entry) => entry.message.includes("the database refused the write"))).toBe(true);
    // Nothing changed, and reading still works.
    const list = await command("topic list");
    expect(list.kind === "agenda" && list.topics.map((t) => t.title)).toEqual(["Quadlet"]);
  });

  it("lets other errors through: they are bugs, not a full disk", async () => {
    const { store, command } = setup();
    store.addTopic = async () => {
      throw new TypeError("a bug");
    };
    await expect(command("topic add Pasta")).rejects.toThrow("a bug");
  });
});
