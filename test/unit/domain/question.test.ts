import { describe, expect, it } from "vitest";
import { interpretQuestion } from "../../../src/domain/question.js";

const MEETINGS = [
  { id: "community", title: "Podman Community Meeting" },
  { id: "cabal", title: "Podman Community Cabal" },
  { id: "standup", title: "Podman Stand-up" },
];

describe("interpretQuestion", () => {
  it.each([
    ["when is the next meeting?", undefined],
    ["When is the next meeting", undefined],
    ["next community meeting?", "community"],
    ["when's cabal", "cabal"],
    ["When’s the cabal?", "cabal"],
    ["what time is the stand-up", "standup"],
    ["next standup?", "standup"],
    ["upcoming meetings", undefined],
  ])("%j asks for the next meeting (%s)", (text, meetingId) => {
    expect(interpretQuestion(text, MEETINGS)).toEqual({ kind: "next-meeting", meetingId });
  });

  it.each(["hello there", "thanks!", "what is podman?", "meeting notes please"])("%j is not understood", (text) => {
    expect(interpretQuestion(text, MEETINGS)).toEqual({ kind: "not-understood" });
  });
});
