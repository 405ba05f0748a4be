import { readFileSync } from "node:fs";
import { beforeEach, describe, expect, it } from "vitest";
import { MemoryStore } from "../../../src/adapters/memory/memory-store.js";
import {
  announceNotesByHand,
  backoffMs,
  NOTES_CLAIM_LEASE_MS,
  newNotesPollState,
  nextNotesPollAt,
  pollNotes,
} from "../../../src/app/announce-notes.js";
import type { BotDeps } from "../../../src/app/deps.js";
import type { NotesFetcher } from "../../../src/app/notes-source.js";
import type { NotesAnnouncementView } from "../../../src/app/views.js";
import type { CommunityConfig, Meeting } from "../../../src/domain/meeting.js";
import { describeRefusal } from "../../../src/domain/refusal.js";
import { plainWording } from "../../../src/domain/wording.js";
import { FakeChat } from "../../support/fake-chat.js";
import { FakeNotesFetcher } from "../../support/fake-notes-fetcher.js";
import { FixedClock } from "../../support/fixed-clock.js";
import { slackRoom, slackRooms, slackUser, testMeeting } from "../../support/meetings.js";
import { MemoryLog } from "../../support/memory-log.js";

const CORPUS = new URL("../../fixtures/podman-notes/", import.meta.url);
const corpus = (name: string) => readFileSync(new URL(name, CORPUS), "utf8");

const MINUTE = 60_000;
const SOURCE = "https://notes.example/{date}/index.md";
const LINK = "https://site.example/notes/{date}";

const cabal: Meeting = testMeeting({
  notes: { source: SOURCE, link: LINK, pollEveryMs: 10 * MINUTE, lookbackMs: 14 * 24 * 60 * MINUTE },
});
const community: Meeting = {
  ...cabal,
  id: "community",
  title: "Podman Community Meeting",
  rooms: slackRooms("C0COMMUNITY"),
  schedule: [{ rrule: "FREQ=MONTHLY;BYMONTH=2,4,6,8,10,12;BYDAY=1TU", from: "2022-01-01" }],
  notes: undefined,
};

// The Cabal of 2023-04-20 started at 15:00Z.
const AFTER_CABAL = "2023-04-20T16:05:00Z";
const NOTES_URL = "https://notes.example/2023-04-20/index.md";

function setup(config: Partial<CommunityConfig> = {}) {
  const store = new MemoryStore();
  const clock = new FixedClock(AFTER_CABAL);
  const chat = new FakeChat(clock);
  const fetcher = new FakeNotesFetcher();
  const log = new MemoryLog();
  const full: CommunityConfig = { displayZones: [], admins: ["U0ADMIN"], meetings: [cabal, community], ...config };
  const deps: BotDeps = { config: { current: () => full }, store, clock, chat, log };
  return { deps, store, clock, chat, fetcher, log };
}

/** Resolves once `done()` holds, letting the event loop turn in between; fails after `timeoutMs`. */
async function until(done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setImmediate(resolve));
  }
}

const notesPosts = (chat: FakeChat) => chat.posts.filter((p) => p.kind === "notes");
/** The view of the first notes announcement (fails the test when there is none). */
function firstView(chat: FakeChat): NotesAnnouncementView {
  const post = notesPosts(chat)[0];
  if (!post) throw new Error("no notes announcement was posted");
  return post.view as NotesAnnouncementView;
}

describe("pollNotes", () => {
  let t: ReturnType<typeof setup>;
  beforeEach(() => {
    t = setup();
  });

  it("polls the other meetings while one notes host has not answered yet", async () => {
    const slowSource = "https://slow.example/{date}/index.md";
    const slow: Meeting = {
      ...cabal,
      id: "slow",
      rooms: slackRooms("C0SLOW"),
      notes: { source: slowSource, pollEveryMs: 10 * MINUTE, lookbackMs: 14 * 24 * 60 * MINUTE },
    };
    const others = ["a", "b", "c", "d", "e"].map((id) => ({
      ...cabal,
      id,
      rooms: slackRooms(`C0${id.toUpperCase()}`),
    }));
    const s = setup({ meetings: [slow, ...others] });
    s.fetcher.script(NOTES_URL, { kind: "found", body: corpus("2023-04-20-cabal.md") });
    let answerSlow: () => void = () => {};
    const fetcher: NotesFetcher = {
      fetch: (url, conditions) =>
        url.startsWith("https://slow.example/")
          ? new Promise((resolve) => {
              answerSlow = () => resolve({ kind: "missing" });
            })
          : s.fetcher.fetch(url, conditions),
    };
    const state = newNotesPollState();
    const first = pollNotes(s.deps, fetcher, state);
    // The five other meetings are announced while the slow host keeps one worker waiting.
    await until(() => notesPosts(s.chat).length === 5);
    expect(
      notesPosts(s.chat)
        .map((p) => p.room.room)
        .sort(),
    ).toEqual(["C0A", "C0B", "C0C", "C0D", "C0E"]);
    answerSlow();
    await first;
    // Nothing is due until the slow meeting's next poll.
    expect(nextNotesPollAt(state, s.clock.now())).toEqual(new Date(new Date(AFTER_CABAL).getTime() + 10 * MINUTE));
    const requests = s.fetcher.requests.length;
    await pollNotes(s.deps, fetcher, state);
    expect(s.fetcher.requests).toHaveLength(requests);
  });

  it("polls after the meeting starts, waits pollEvery after a 404, then announces once with the summary", async () => {
    await pollNotes(t.deps, t.fetcher);
    expect(t.fetcher.requestsFor(NOTES_URL)).toHaveLength(1);
    await pollNotes(t.deps, t.fetcher); // not due yet
    expect(t.fetcher.requests).toHaveLength(1);

    t.fetcher.script(NOTES_URL, { kind: "found", body: corpus("2023-04-20-cabal.md"), etag: '"v1"' });
    t.clock.advance(10 * MINUTE);
    await pollNotes(t.deps, t.fetcher);
    const posts = notesPosts(t.chat);
    expect(posts).toHaveLength(1);
    const post = posts[0];
    expect(post?.marker).toBe("notes:cabal:2023-04-20:slack:C0CABAL");
    expect(post?.channel).toBe("C0CABAL");
    const view = post?.view as NotesAnnouncementView;
    expect(view.url).toBe("https://site.example/notes/2023-04-20");
    expect(view.byHand).toBe(false);
    expect(view.summary?.topics[0]).toEqual({
      title: "Possible Podman 5 features",
      owners: ["Dan Walsh"],
      recordingAt: "https://youtu.be/_NnWUqyaBmw?t=74",
    });
    expect(view.summary?.recordingUrl).toContain("_NnWUqyaBmw");
    expect(view.summary?.next?.date).toBe("2023-05-18");

    const watch = await t.store.getNotesWatch("cabal", "2023-04-20");
    expect(watch?.announcedAt).toBeDefined();
    expect(watch?.messageId).toBe(post?.messageId);

    t.clock.advance(60 * MINUTE);
    await pollNotes(t.deps, t.fetcher);
    await pollNotes(t.deps, t.fetcher);
    expect(notesPosts(t.chat)).toHaveLength(1);
    expect(t.fetcher.requestsFor(NOTES_URL)).toHaveLength(2);
  });

  it("imports the possible topics into the next occurrence, once, without duplicating existing titles", async () => {
    await t.store.addTopic({
      meetingId: "cabal",
      occurrenceDate: "2023-05-18",
      title: "CONTAINERSH",
      proposerId: "U1",
      proposerChat: "slack",
      proposerName: "dan",
      source: "chat",
      createdAt: new Date(AFTER_CABAL),
    });
    t.fetcher.script(NOTES_URL, { kind: "found", body: corpus("2023-04-20-cabal.md") });
    await pollNotes(t.deps, t.fetcher);
    const topics = await t.store.listTopics("cabal", "2023-05-18");
    expect(topics.map((x) => [x.title, x.proposerName, x.proposerId, x.source])).toEqual([
      ["CONTAINERSH", "dan", "U1", "chat"],
      ["Storage - allow layers to be split across multiple files", "Anders Bjorklund", "", "notes"],
    ]);
    expect(firstView(t.chat).summary?.importedTopics).toBe(1);
  });

  it("does not poll before the meeting starts, nor beyond the lookback", async () => {
    t.clock.set("2023-04-20T14:59:00Z");
    await pollNotes(t.deps, t.fetcher);
    expect(t.fetcher.requestsFor(NOTES_URL)).toHaveLength(0);
    // 2023-03-16 is more than the 14-day lookback ago.
    expect(t.fetcher.requests).toHaveLength(0);
    t.clock.set("2023-05-05T15:01:00Z"); // more than 14 days after 2023-04-20 15:00Z
    const before = t.fetcher.requests.length;
    await pollNotes(t.deps, t.fetcher);
    expect(t.fetcher.requests.slice(before).map((r) => r.url)).not.toContain(NOTES_URL);
  });

  it("makes at most one request per meeting per tick and polls only the latest few occurrences", async () => {
    const daily: Meeting = {
      ...cabal,
      id: "daily",
      schedule: [{ rrule: "FREQ=DAILY", from: "2023-01-01" }],
    };
    const d = setup({ meetings: [daily] });
    for (let i = 0; i < 10; i++) {
      await pollNotes(d.deps, d.fetcher);
    }
    const urls = d.fetcher.requests.map((r) => r.url);
    expect(new Set(urls).size).toBe(3);
    expect(urls.slice(0, 3)).toEqual([
      "https://notes.example/2023-04-20/index.md",
      "https://notes.example/2023-04-19/index.md",
      "https://notes.example/2023-04-18/index.md",
    ]);
    expect(urls).toHaveLength(3); // all three wait their pollEvery
  });

  it("backs off exponentially on errors and honours Retry-After", async () => {
    t.fetcher.script(
      NOTES_URL,
      { kind: "error", message: "HTTP 500" },
      { kind: "error", message: "HTTP 503", retryAfterMs: 3 * 3_600_000 },
    );
    await pollNotes(t.deps, t.fetcher);
    let watch = await t.store.getNotesWatch("cabal", "2023-04-20");
    expect(watch?.failures).toBe(1);
    expect(watch?.nextPollAt.getTime()).toBe(new Date(AFTER_CABAL).getTime() + 20 * MINUTE);
    t.clock.advance(20 * MINUTE);
    await pollNotes(t.deps, t.fetcher);
    watch = await t.store.getNotesWatch("cabal", "2023-04-20");
    expect(watch?.failures).toBe(2);
    expect(watch?.nextPollAt.getTime()).toBe(t.clock.now().getTime() + 3 * 3_600_000);
    expect(backoffMs(10 * MINUTE, 20)).toBe(6 * 3_600_000);
  });

  it("announces an unreadable page with its link and no summary", async () => {
    t.fetcher.script(NOTES_URL, { kind: "found", body: "\u0000\u0001 binary junk" });
    await pollNotes(t.deps, t.fetcher);
    const view = firstView(t.chat);
    expect(view.url).toBe("https://site.example/notes/2023-04-20");
    expect(view.summary).toBeUndefined();
  });

  it("after a failed post retries only once the claim's lease lapsed, and finds a message that did go out", async () => {
    t.fetcher.script(NOTES_URL, { kind: "found", body: corpus("2023-04-20-cabal.md") });
    t.chat.failNextPost(new Error("slack down"));
    await pollNotes(t.deps, t.fetcher);
    expect(notesPosts(t.chat)).toHaveLength(0);
    const watch = await t.store.getNotesWatch("cabal", "2023-04-20");
    expect(watch?.claimedAt).toBeDefined();
    expect(watch?.announcedAt).toBeUndefined();

    t.clock.advance(NOTES_CLAIM_LEASE_MS + MINUTE);
    await pollNotes(t.deps, t.fetcher); // backing off: 2 × pollEvery
    expect(t.chat.attempts).toBe(1);
    t.clock.advance(20 * MINUTE);
    await pollNotes(t.deps, t.fetcher);
    expect(notesPosts(t.chat)).toHaveLength(1);
    expect(t.chat.lookups).toHaveLength(1); // the stale claim was checked against the channel first
  });

  it("does not post again when a crashed attempt had already posted", async () => {
    // Simulate: the claim was taken and the message posted, then the process died before recording it.
    // Each destination has its own claim, keyed like the post's marker.
    const delivery = "notes:cabal:2023-04-20:slack:C0CABAL";
    await t.store.claimNotesAnnouncement("cabal", "2023-04-20", new Date(AFTER_CABAL), NOTES_CLAIM_LEASE_MS);
    await t.store.claimDelivery(delivery, new Date(AFTER_CABAL), NOTES_CLAIM_LEASE_MS);
    t.chat.posts.push({
      kind: "notes",
      channel: "C0CABAL",
      room: { chat: "slack", room: "C0CABAL" },
      marker: delivery,
      messageId: "99.1",
      postedAt: new Date(AFTER_CABAL), // right after the claim, as the crashed attempt would have
      view: {} as NotesAnnouncementView,
    });
    t.fetcher.script(NOTES_URL, { kind: "found", body: corpus("2023-04-20-cabal.md") });
    t.clock.advance(NOTES_CLAIM_LEASE_MS + MINUTE);
    await pollNotes(t.deps, t.fetcher);
    expect(notesPosts(t.chat)).toHaveLength(1);
    const watch = await t.store.getNotesWatch("cabal", "2023-04-20");
    expect(watch?.messageId).toBe("99.1");
  });
});

describe("announceNotesByHand", () => {
  it("refuses non-admins and changes nothing", async () => {
    const t = setup();
    const outcome = await announceNotesByHand(t.deps, t.fetcher, {
      user: slackUser("U0ALICE"),
      url: "https://x.example/n.md",
      room: slackRoom("C0CABAL"),
    });
    expect(outcome.kind).toBe("rejected");
    expect(t.fetcher.requests).toHaveLength(0);
    expect(await t.store.getNotesWatch("cabal", "2023-04-20")).toBeUndefined();
  });

  it("announces the latest past occurrence with the summary and stops the polling", async () => {
    const t = setup();
    t.fetcher.script("https://x.example/n.md", { kind: "found", body: corpus("2023-04-20-cabal.md") });
    const outcome = await announceNotesByHand(t.deps, t.fetcher, {
      user: slackUser("U0ADMIN"),
      url: "https://x.example/n.md",
      room: slackRoom("C0CABAL"),
    });
    expect(outcome).toMatchObject({ kind: "notes-announced", summarized: true, url: "https://x.example/n.md" });
    const view = firstView(t.chat);
    expect(view.occurrence.date).toBe("2023-04-20");
    expect(view.byHand).toBe(true);
    await pollNotes(t.deps, t.fetcher);
    expect(t.fetcher.requestsFor(NOTES_URL)).toHaveLength(0);

    const again = await announceNotesByHand(t.deps, t.fetcher, {
      user: slackUser("U0ADMIN"),
      url: "https://x.example/n.md",
      meetingId: "cabal",
    });
    expect(again.kind).toBe("rejected");
    expect(again.kind === "rejected" && describeRefusal(again.reason, plainWording("/cabal"))).toContain(
      "already announced",
    );
    expect(notesPosts(t.chat)).toHaveLength(1);
  });

  it("still announces with 'summary unavailable' when the URL cannot be fetched", async () => {
    const t = setup();
    t.fetcher.script("https://x.example/n.md", { kind: "error", message: "HTTP 500" });
    const outcome = await announceNotesByHand(t.deps, t.fetcher, {
      user: slackUser("U0ADMIN"),
      url: "https://x.example/n.md",
      meetingId: "cabal",
    });
    expect(outcome).toMatchObject({ kind: "notes-announced", summarized: false });
    expect(firstView(t.chat).summary).toBeUndefined();
  });

  it("rejects a URL that is not http(s)", async () => {
    const t = setup();
    const outcome = await announceNotesByHand(t.deps, t.fetcher, {
      user: slackUser("U0ADMIN"),
      url: "javascript:alert(1)",
    });
    expect(outcome.kind).toBe("rejected");
    expect(t.chat.posts).toHaveLength(0);
  });
});
