import { describe, expect, it } from "vitest";
import { parseCabalCommand } from "../../../src/domain/command.js";

const IDS = ["community", "cabal", "standup"];

describe("parseCabalCommand", () => {
  it.each([
    ["topic add Podman 6 & friends", { kind: "topic-add", title: "Podman 6 & friends" }],
    ["TOPIC ADD  spaced   title ", { kind: "topic-add", title: "spaced   title" }],
    ["topic add", { kind: "topic-add", title: "" }],
    ["cabal topic add containersh", { kind: "topic-add", meetingId: "cabal", title: "containersh" }],
    ["topic list", { kind: "topic-list" }],
    ["topic", { kind: "topic-list" }],
    ["agenda", { kind: "topic-list" }],
    ["community", { kind: "topic-list", meetingId: "community" }],
    ["topic remove 2", { kind: "topic-remove", position: 2 }],
    ["standup topic remove #3", { kind: "topic-remove", meetingId: "standup", position: 3 }],
    ["next", { kind: "next" }],
    ["cabal next", { kind: "next", meetingId: "cabal" }],
    ["notes https://example.org/n.md", { kind: "notes", url: "https://example.org/n.md" }],
    ["", { kind: "help" }],
    ["help", { kind: "help" }],
  ])("%j", (text, expected) => {
    expect(parseCabalCommand(text, IDS)).toEqual(expected);
  });

  it.each([
    ["frobnicate", "I don't know the command `frobnicate`."],
    ["topic rename 1", "I don't know `topic rename`."],
    ["topic remove two", "Say which topic to remove by its number"],
    ["topic remove 0", "Say which topic to remove by its number"],
    ["notes not-a-url", "Give the notes' address"],
  ])("explains a usage error for %j", (text, message) => {
    const command = parseCabalCommand(text, IDS);
    expect(command.kind).toBe("usage-error");
    expect(command.kind === "usage-error" && command.message).toContain(message);
  });
});
