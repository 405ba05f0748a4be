// The router sends each room and user to the adapter of its chat; a chat not connected here is refused, not guessed.
import { describe, expect, it } from "vitest";
import { ChatRouter } from "../../../src/adapters/chat-router.js";
import { ChatError } from "../../../src/app/ports.js";
import type { ReminderView } from "../../../src/app/views.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";

const view = {} as ReminderView;

describe("ChatRouter", () => {
  it("dispatches rooms and users on their chat", async () => {
    const clock = new FixedClock("2026-11-26T12:00:00Z");
    const slack = new FakeChat(clock);
    const matrix = new FakeChat(clock);
    matrix.userTimeZone = async () => "Asia/Tokyo";
    const router = new ChatRouter(
      new Map([
        ["slack", slack],
        ["matrix", matrix],
      ]),
    );
    await router.postReminder({ chat: "matrix", room: "#podman:example.org" }, view, "m1");
    await router.postReminder({ chat: "slack", room: "C0CABAL" }, view, "m2");
    expect(matrix.posts.map((p) => p.marker)).toEqual(["m1"]);
    expect(slack.posts.map((p) => p.marker)).toEqual(["m2"]);
    expect(await router.userTimeZone({ chat: "matrix", id: "@ada:example.org" })).toBe("Asia/Tokyo");
    expect(await router.findPostedMessage({ chat: "slack", room: "C0CABAL" }, "m1", new Date(0))).toBeUndefined();
  });

  it("serves only its chats, and refuses a post to another with a non-retryable ChatError", async () => {
    const router = new ChatRouter(new Map([["slack", new FakeChat(new FixedClock("2026-11-26T12:00:00Z"))]]));
    expect(router.servesChat("slack")).toBe(true);
    expect(router.servesChat("matrix")).toBe(false);
    const refused = router.postReminder({ chat: "matrix", room: "#x:example.org" }, view, "m");
    await expect(refused).rejects.toBeInstanceOf(ChatError);
    await expect(refused).rejects.toMatchObject({ retryable: false, notPosted: true });
    expect(await router.userTimeZone({ chat: "matrix", id: "@ada:example.org" })).toBeUndefined();
  });

  it("with a fallback (the console), takes every chat", async () => {
    const console = new FakeChat(new FixedClock("2026-11-26T12:00:00Z"));
    const router = new ChatRouter(new Map(), console);
    expect(router.servesChat("matrix")).toBe(true);
    await router.postReminder({ chat: "matrix", room: "#x:example.org" }, view, "m");
    expect(console.posts).toHaveLength(1);
  });
});
