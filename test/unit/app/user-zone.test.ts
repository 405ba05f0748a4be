// `tz`: a person chooses, shows and forgets their zone; a chosen zone wins over the chat profile's in answers.
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import type { BotDeps } from "../../../src/app/deps.js";
import { type CommandOutcome, runCabalCommand } from "../../../src/app/run-command.js";
import { answerQuestion } from "../../../src/app/upcoming-meetings.js";
import { describeRefusal } from "../../../src/domain/refusal.js";
import { describeUserZone } from "../../../src/domain/user-zone-text.js";
import { plainWording } from "../../../src/domain/wording.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const ada = { chat: "matrix", id: "@ada:example.org" };
const dan = { chat: "slack", id: "U0DAN" };

function setup(profileZones: Record<string, string> = {}) {
  const clock = new FixedClock("2026-11-26T12:00:00Z");
  const chat = new FakeChat(clock);
  chat.userTimeZone = async (user) => profileZones[user.id];
  const store = new MemoryStore();
  const deps: BotDeps = {
    config: { current: () => ({ displayZones: [], admins: [], meetings: [testMeeting()] }) },
    store,
    clock,
    chat,
    log: new MemoryLog(),
  };
  const tz = (user: typeof ada, text: string) => runCabalCommand(deps, { text, user, userName: "x" });
  return { deps, clock, tz };
}

const plain = plainWording("!cabal");
function said(outcome: CommandOutcome): string {
  if (outcome.kind === "rejected") return describeRefusal(outcome.reason, plain);
  if (outcome.kind === "zone-set" || outcome.kind === "zone-cleared" || outcome.kind === "zone-shown")
    return describeUserZone(outcome, plain);
  throw new Error(`unexpected outcome ${outcome.kind}`);
}

describe("tz", () => {
  it("sets a zone, shows it, and uses it to answer questions", async () => {
    const t = setup();
    expect(said(await t.tz(ada, "tz"))).toBe(
      "I don't know your time zone. Set it with !cabal tz <zone>, e.g. !cabal tz Asia/Tokyo.",
    );
    expect(await t.tz(ada, "tz Asia/Tokyo")).toEqual({ kind: "zone-set", zone: "Asia/Tokyo" });
    expect(said(await t.tz(ada, "tz"))).toBe(
      "Your time zone is Asia/Tokyo (you chose it; !cabal tz clear forgets it).",
    );
    const answer = await answerQuestion(t.deps, { user: ada, text: "when is the next meeting?" });
    expect(answer).toMatchObject({ kind: "next-meeting", askerZone: "Asia/Tokyo" });
  });

  it("wins over the profile's zone, and clearing brings the profile's back", async () => {
    const t = setup({ U0DAN: "America/Los_Angeles" });
    expect(await t.tz(dan, "tz")).toEqual({ kind: "zone-shown", zone: "America/Los_Angeles", source: "profile" });
    await t.tz(dan, "tz Europe/Berlin");
    // Even after the profile cache would have expired, the choice stands.
    t.clock.advance(3 * 24 * 3_600_000);
    expect(await answerQuestion(t.deps, { user: dan, text: "when is the next meeting?" })).toMatchObject({
      askerZone: "Europe/Berlin",
    });
    expect(said(await t.tz(dan, "tz clear"))).toBe(
      "Forgot the time zone you chose. Your profile's zone applies again: America/Los_Angeles.",
    );
    expect(await answerQuestion(t.deps, { user: dan, text: "when is the next meeting?" })).toMatchObject({
      askerZone: "America/Los_Angeles",
    });
  });

  it("refuses a name that is not a zone, suggests the likely one, and changes nothing", async () => {
    const t = setup();
    const refused = await t.tz(ada, "tz Asia/Tokio");
    expect(refused).toEqual({
      kind: "rejected",
      reason: { code: "unknown-zone", typed: "Asia/Tokio", suggestion: "Asia/Tokyo" },
    });
    expect(said(refused)).toContain('"Asia/Tokio" is not a time zone name; did you mean Asia/Tokyo?');
    expect(await t.tz(ada, "tz")).toEqual({ kind: "zone-shown" });
  });

  it("keeps one person's zone apart from another's", async () => {
    const t = setup();
    await t.tz(ada, "tz Asia/Kolkata");
    expect(await t.tz(dan, "tz")).toEqual({ kind: "zone-shown" });
  });
});
