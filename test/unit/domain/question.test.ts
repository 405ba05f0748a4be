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

  it.each([
    // [text, expected interpretation]
    ["when do we meet next?", { kind: "next-meeting" }],
    ["When do we meet next", { kind: "next-meeting" }],
    ["when is the next cabal", { kind: "next-meeting", meetingId: "cabal" }],
    ["is there a meeting today?", { kind: "today" }],
    ["Are we meeting today?", { kind: "today" }],
    ["is there a standup today", { kind: "today", meetingId: "standup" }],
    ["is there a meeting today in Tokyo?", { kind: "today", zone: "Asia/Tokyo" }],
    ["what's the schedule", { kind: "schedule" }],
    ["What’s the meeting schedule?", { kind: "schedule" }],
    ["schedule in Berlin time", { kind: "schedule", zone: "Europe/Berlin" }],
    ["what's the schedule of the cabal", { kind: "next-meeting", meetingId: "cabal" }],
    ["next meeting in Tokyo time", { kind: "next-meeting", zone: "Asia/Tokyo" }],
    ["next meeting in tokyo", { kind: "next-meeting", zone: "Asia/Tokyo" }],
    ["when is the next meeting in Europe/Berlin?", { kind: "next-meeting", zone: "Europe/Berlin" }],
    ["when is the next meeting in europe/berlin", { kind: "next-meeting", zone: "Europe/Berlin" }],
    [
      "next community meeting in New York time?",
      { kind: "next-meeting", meetingId: "community", zone: "America/New_York" },
    ],
    ["when's cabal in Kolkata", { kind: "next-meeting", meetingId: "cabal", zone: "Asia/Kolkata" }],
    ["next meeting in UTC", { kind: "next-meeting", zone: "UTC" }],
    ["when is the next meeting for me", { kind: "next-meeting" }],
    ["when is the next meeting in Atlantis time", { kind: "next-meeting" }],
  ])("%j is understood as %j", (text, expected) => {
    expect(interpretQuestion(text, MEETINGS)).toEqual(expected);
  });

  it.each(["hello there", "thanks!", "what is podman?", "meeting notes please"])("%j is not understood", (text) => {
    expect(interpretQuestion(text, MEETINGS)).toEqual({ kind: "not-understood" });
  });
});
