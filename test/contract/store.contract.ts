// The behaviour every Store adapter must share; each adapter's test file runs it against a fresh store.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { NewTopic, NotesWatch, ReminderKey, Store } from "../../src/app/ports.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const T0 = new Date("2025-03-20T16:00:00.000Z");

function at(offsetMs: number): Date {
  return new Date(T0.getTime() + offsetMs);
}

function newTopic(overrides: Partial<NewTopic> = {}): NewTopic {
  return {
    meetingId: "cabal",
    occurrenceDate: "2025-03-20",
    title: "Release plan",
    proposerId: "U123",
    proposerChat: "slack",
    proposerName: "Ada",
    source: "chat",
    createdAt: T0,
    ...overrides,
  };
}

export function storeContract(name: string, open: () => Store | Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });

    afterEach(() => {
      store.close();
    });

    describe("topics", () => {
      it("adds a topic and returns it with an id, readable back by id", async () => {
        const added = await store.addTopic(newTopic());
        expect(added).toEqual({ ...newTopic(), id: expect.any(Number) });
        expect(await store.getTopic(added.id)).toEqual(added);
      });

      it("gives every topic its own id", async () => {
        const first = await store.addTopic(newTopic({ title: "one" }));
        const second = await store.addTopic(newTopic({ title: "two" }));
        expect(first.id).not.toBe(second.id);
      });

      it("lists the topics of an occurrence in the order they were proposed", async () => {
        // createdAt deliberately out of order: proposal order is the order of adding.
        await store.addTopic(newTopic({ title: "first", createdAt: at(2 * MINUTE) }));
        await store.addTopic(newTopic({ title: "second", createdAt: at(MINUTE) }));
        await store.addTopic(newTopic({ title: "third", createdAt: at(3 * MINUTE) }));
        const titles = (await store.listTopics("cabal", "2025-03-20")).map((topic) => topic.title);
        expect(titles).toEqual(["first", "second", "third"]);
      });

      it("appends a topic with its place on its own occurrence's agenda, after removals too", async () => {
        const first = await store.appendTopic(newTopic({ title: "first" }));
        expect(first).toEqual({ topic: { ...newTopic({ title: "first" }), id: expect.any(Number) }, position: 1 });
        expect(await store.getTopic(first.topic.id)).toEqual(first.topic);
        await store.addTopic(newTopic({ title: "other meeting", meetingId: "triage" }));
        await store.addTopic(newTopic({ title: "other date", occurrenceDate: "2025-04-17" }));
        const second = await store.appendTopic(newTopic({ title: "second" }));
        expect(second.position).toBe(2);
        await store.removeTopic(first.topic.id);
        const third = await store.appendTopic(newTopic({ title: "third" }));
        expect(third.position).toBe(2);
        expect((await store.listTopics("cabal", "2025-03-20")).map((t) => t.title)).toEqual(["second", "third"]);
        expect((await store.appendTopic(newTopic({ title: "x", meetingId: "triage" }))).position).toBe(2);
      });

      it("reads one page of an agenda in proposal order, with how many it holds in all", async () => {
        const ids: number[] = [];
        for (let i = 1; i <= 7; i++) ids.push((await store.addTopic(newTopic({ title: `t${i}` }))).id);
        await store.addTopic(newTopic({ title: "other meeting", meetingId: "triage" }));
        await store.addTopic(newTopic({ title: "other date", occurrenceDate: "2025-04-17" }));
        await store.removeTopic(ids[1] as number);
        const titles = async (offset: number, limit: number) => {
          const page = await store.listTopicPage("cabal", "2025-03-20", offset, limit);
          return { titles: page.topics.map((t) => t.title), total: page.total };
        };
        expect(await titles(0, 3)).toEqual({ titles: ["t1", "t3", "t4"], total: 6 });
        expect(await titles(3, 3)).toEqual({ titles: ["t5", "t6", "t7"], total: 6 });
        expect(await titles(5, 3)).toEqual({ titles: ["t7"], total: 6 });
        expect(await titles(6, 3)).toEqual({ titles: [], total: 6 });
        expect(await store.listTopicPage("cabal", "2025-05-15", 0, 3)).toEqual({ topics: [], total: 0 });
        const [first] = (await store.listTopicPage("cabal", "2025-03-20", 0, 1)).topics;
        expect(first).toEqual(await store.getTopic(ids[0] as number));
      });

      it("keeps topics of other meetings and other occurrences apart", async () => {
        const mine = await store.addTopic(newTopic({ title: "mine" }));
        await store.addTopic(newTopic({ title: "other meeting", meetingId: "triage" }));
        await store.addTopic(newTopic({ title: "other date", occurrenceDate: "2025-04-17" }));
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual([mine]);
        expect((await store.listTopics("triage", "2025-03-20")).map((t) => t.title)).toEqual(["other meeting"]);
        expect((await store.listTopics("cabal", "2025-04-17")).map((t) => t.title)).toEqual(["other date"]);
        expect(await store.listTopics("cabal", "2025-05-15")).toEqual([]);
      });

      it("returns undefined for an unknown topic id", async () => {
        expect(await store.getTopic(424242)).toBeUndefined();
      });

      it("removes a topic once, and reports false for one that does not exist", async () => {
        const kept = await store.addTopic(newTopic({ title: "kept" }));
        const removed = await store.addTopic(newTopic({ title: "removed" }));
        expect(await store.removeTopic(removed.id)).toBe(true);
        expect(await store.removeTopic(removed.id)).toBe(false);
        expect(await store.getTopic(removed.id)).toBeUndefined();
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual([kept]);
      });

      it("never reuses the id of a removed topic", async () => {
        const removed = await store.addTopic(newTopic({ title: "removed" }));
        await store.removeTopic(removed.id);
        const next = await store.addTopic(newTopic({ title: "next" }));
        expect(next.id).not.toBe(removed.id);
      });

      it("round-trips tricky text exactly, without escaping or unescaping it", async () => {
        const texts = [
          "Q&amp;A about &lt;tags&gt; & <stuff>",
          "ask <@U123> and <#C999|general> about <https://example.org|the docs>",
          "ship it 🚀 — naïve café, 日本語, 👩🏽‍💻",
          `quotes: "double" 'single' \`back\` and \\ backslash; DROP TABLE topics; --`,
          "x".repeat(300),
          "line one\nline two\ttabbed",
        ];
        for (const title of texts) {
          const added = await store.addTopic(newTopic({ title, proposerName: title }));
          const read = await store.getTopic(added.id);
          expect(read?.title).toBe(title);
          expect(read?.proposerName).toBe(title);
        }
        expect((await store.listTopics("cabal", "2025-03-20")).map((topic) => topic.title)).toEqual(texts);
      });

      it("keeps every field, including an empty proposer id, the source and the creation instant", async () => {
        const fromNotes = newTopic({
          proposerId: "",
          proposerChat: "",
          proposerName: "Grace (from the notes)",
          source: "notes",
          createdAt: new Date("2025-03-19T23:59:59.999Z"),
        });
        const added = await store.addTopic(fromNotes);
        expect(await store.getTopic(added.id)).toEqual({ ...fromNotes, id: added.id });
      });

      it("does not let callers change stored topics through returned objects", async () => {
        const added = await store.addTopic(newTopic());
        added.title = "mutated";
        added.createdAt.setTime(0);
        const [listed] = await store.listTopics("cabal", "2025-03-20");
        if (!listed) throw new Error("topic missing");
        listed.title = "mutated again";
        expect(await store.getTopic(added.id)).toEqual({ ...newTopic(), id: added.id });
      });

      it("lists, oldest first and once each, the dates of a meeting holding topics strictly before a date", async () => {
        await store.addTopic(newTopic({ occurrenceDate: "2025-02-20" }));
        await store.addTopic(newTopic({ occurrenceDate: "2025-01-16" }));
        await store.addTopic(newTopic({ occurrenceDate: "2025-02-20" }));
        await store.addTopic(newTopic({ occurrenceDate: "2025-03-20" }));
        await store.addTopic(newTopic({ occurrenceDate: "2025-04-17" }));
        await store.addTopic(newTopic({ occurrenceDate: "2024-12-19", meetingId: "triage" }));
        const emptied = await store.addTopic(newTopic({ occurrenceDate: "2024-11-21" }));
        await store.removeTopic(emptied.id);

        expect(await store.datesWithTopicsBefore("cabal", "2025-03-20")).toEqual(["2025-01-16", "2025-02-20"]);
        expect(await store.datesWithTopicsBefore("cabal", "2025-01-16")).toEqual([]);
        expect(await store.datesWithTopicsBefore("triage", "2025-03-20")).toEqual(["2024-12-19"]);
      });

      it("moves every topic of an occurrence to another, keeping ids and order, and returns the moved topics", async () => {
        const a = await store.addTopic(newTopic({ title: "a", occurrenceDate: "2025-02-20" }));
        const b = await store.addTopic(newTopic({ title: "b", occurrenceDate: "2025-02-20" }));
        const c = await store.addTopic(newTopic({ title: "c", occurrenceDate: "2025-02-20" }));
        const otherMeeting = await store.addTopic(newTopic({ meetingId: "triage", occurrenceDate: "2025-02-20" }));

        const moved = await store.moveTopics("cabal", "2025-02-20", "2025-03-20");

        const expected = [a, b, c].map((topic) => ({ ...topic, occurrenceDate: "2025-03-20" }));
        expect(moved).toEqual(expected);
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual(expected);
        expect(await store.listTopics("cabal", "2025-02-20")).toEqual([]);
        expect(await store.getTopic(b.id)).toEqual(expected[1]);
        expect(await store.listTopics("triage", "2025-02-20")).toEqual([otherMeeting]);
        expect(await store.datesWithTopicsBefore("cabal", "2025-03-21")).toEqual(["2025-03-20"]);
      });

      it("merges moved topics with those already on the target date, in proposal order", async () => {
        const early = await store.addTopic(newTopic({ title: "carried over", occurrenceDate: "2025-02-20" }));
        const late = await store.addTopic(newTopic({ title: "already there", occurrenceDate: "2025-03-20" }));
        const moved = await store.moveTopics("cabal", "2025-02-20", "2025-03-20");
        expect(moved.map((topic) => topic.id)).toEqual([early.id]);
        expect((await store.listTopics("cabal", "2025-03-20")).map((topic) => topic.id)).toEqual([early.id, late.id]);
      });

      it("carries over only the listed topics, once, and remembers where they came from", async () => {
        const covered = await store.addTopic(newTopic({ title: "covered", occurrenceDate: "2025-02-20" }));
        const left = await store.addTopic(newTopic({ title: "left", occurrenceDate: "2025-02-20" }));
        const alsoLeft = await store.addTopic(newTopic({ title: "also left", occurrenceDate: "2025-02-20" }));
        const otherMeeting = await store.addTopic(newTopic({ meetingId: "triage", occurrenceDate: "2025-02-20" }));
        const ids = [left.id, alsoLeft.id, otherMeeting.id];

        const moved = await store.carryOverTopics("cabal", "2025-02-20", ids, "2025-03-20");

        const expected = [left, alsoLeft].map((topic) => ({ ...topic, occurrenceDate: "2025-03-20" }));
        expect(moved).toEqual(expected);
        expect(await store.listTopics("cabal", "2025-02-20")).toEqual([covered]);
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual(expected);
        expect(await store.listTopics("triage", "2025-02-20")).toEqual([otherMeeting]);
        // A second call (a retry after a restart) moves nothing, and the record still says what was carried.
        expect(await store.carryOverTopics("cabal", "2025-02-20", ids, "2025-03-20")).toEqual([]);
        expect(await store.topicsCarriedFrom("cabal", "2025-02-20")).toEqual(expected);
        expect(await store.topicsCarriedFrom("cabal", "2025-03-20")).toEqual([]);
        expect(await store.topicsCarriedFrom("triage", "2025-02-20")).toEqual([]);
      });

      it("carries nothing over for an empty list", async () => {
        const stays = await store.addTopic(newTopic({ occurrenceDate: "2025-02-20" }));
        expect(await store.carryOverTopics("cabal", "2025-02-20", [], "2025-03-20")).toEqual([]);
        expect(await store.listTopics("cabal", "2025-02-20")).toEqual([stays]);
        expect(await store.topicsCarriedFrom("cabal", "2025-02-20")).toEqual([]);
      });

      it("moves nothing and returns an empty list when the occurrence holds no topics", async () => {
        const untouched = await store.addTopic(newTopic());
        expect(await store.moveTopics("cabal", "2025-02-20", "2025-03-20")).toEqual([]);
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual([untouched]);
      });

      it("adds a topic whose title is new to its occurrence, and skips one already there in any case", async () => {
        const existing = await store.addTopic(newTopic({ title: "Release Plan" }));
        expect(await store.addTopicIfTitleNew(newTopic({ title: "release plan", source: "notes" }))).toBeUndefined();
        const added = await store.addTopicIfTitleNew(newTopic({ title: "Ünïcode CI", source: "notes" }));
        expect(added).toEqual({ ...newTopic({ title: "Ünïcode CI", source: "notes" }), id: expect.any(Number) });
        expect(await store.addTopicIfTitleNew(newTopic({ title: "ÜNÏCODE ci" }))).toBeUndefined();
        // Another occurrence or meeting is another agenda.
        expect(
          await store.addTopicIfTitleNew(newTopic({ title: "release plan", occurrenceDate: "2025-04-17" })),
        ).toMatchObject({
          title: "release plan",
        });
        expect(await store.addTopicIfTitleNew(newTopic({ title: "release plan", meetingId: "triage" }))).toBeDefined();
        expect(await store.listTopics("cabal", "2025-03-20")).toEqual([existing, added]);
      });

      it("adds a title once when many importers offer it at the same time", async () => {
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.addTopicIfTitleNew(newTopic({ title: i % 2 ? "CI" : "ci" }))),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.listTopics("cabal", "2025-03-20")).toHaveLength(1);
      });
    });

    describe("notice outbox", () => {
      const alice = { chat: "slack", id: "U0ALICE" };
      const bob = { chat: "matrix", id: "@bob:example.org" };
      const LEASE = MINUTE;

      it("is empty at first: nothing due, no due time", async () => {
        expect(await store.claimDueNotices(T0, 10, LEASE)).toEqual([]);
        expect(await store.nextNoticeDueAt()).toBeUndefined();
      });

      it("hands out queued notices oldest first, up to the limit, each with its user, text and attempt", async () => {
        await store.queueNotices([{ user: alice, payload: '{"n":1}' }], T0);
        await store.queueNotices(
          [
            { user: bob, payload: '{"n":2}' },
            { user: alice, payload: "tricky ' \" \\ <&> 🎉" },
          ],
          at(1),
        );
        expect(await store.nextNoticeDueAt()).toEqual(T0);
        const first = await store.claimDueNotices(at(2), 2, LEASE);
        expect(first).toEqual([
          { id: expect.any(Number), user: alice, payload: '{"n":1}', attempts: 1, queuedAt: T0 },
          { id: expect.any(Number), user: bob, payload: '{"n":2}', attempts: 1, queuedAt: at(1) },
        ]);
        const [second] = await store.claimDueNotices(at(2), 2, LEASE);
        expect(second).toMatchObject({ user: alice, payload: "tricky ' \" \\ <&> 🎉", attempts: 1 });
        expect(await store.claimDueNotices(at(3), 10, LEASE)).toEqual([]);
      });

      it("does not hand out a notice queued for later, nor a claimed one until its lease ends", async () => {
        await store.queueNotices([{ user: alice, payload: "x" }], at(HOUR));
        expect(await store.claimDueNotices(at(HOUR - 1), 10, LEASE)).toEqual([]);
        const [claimed] = await store.claimDueNotices(at(HOUR), 10, LEASE);
        expect(claimed?.attempts).toBe(1);
        expect(await store.nextNoticeDueAt()).toEqual(at(HOUR + LEASE));
        expect(await store.claimDueNotices(at(HOUR + LEASE - 1), 10, LEASE)).toEqual([]);
        // Its sender died without a word: after the lease it is handed out again.
        expect(await store.claimDueNotices(at(HOUR + LEASE), 10, LEASE)).toMatchObject([{ attempts: 2 }]);
      });

      it("gives each due notice to exactly one of many claims made at once", async () => {
        await store.queueNotices(
          Array.from({ length: 20 }, (_, i) => ({ user: alice, payload: `n${i}` })),
          T0,
        );
        const claims = await Promise.all(Array.from({ length: 8 }, () => store.claimDueNotices(T0, 5, LEASE)));
        const payloads = claims.flat().map((n) => n.payload);
        expect(payloads).toHaveLength(20);
        expect(new Set(payloads).size).toBe(20);
      });

      it("forgets a sent notice, retries a failed one at its time, and forgets one given up", async () => {
        await store.queueNotices(
          [
            { user: alice, payload: "sent" },
            { user: alice, payload: "retried" },
            { user: alice, payload: "given up" },
          ],
          T0,
        );
        const [sent, retried, givenUp] = await store.claimDueNotices(T0, 10, LEASE);
        await store.markNoticeSent(sent?.id as number);
        await store.recordNoticeFailure(retried?.id as number, "ratelimited", at(10 * 1000));
        await store.recordNoticeFailure(givenUp?.id as number, "user_not_found");
        expect(await store.nextNoticeDueAt()).toEqual(at(10 * 1000));
        expect(await store.claimDueNotices(at(10 * 1000 - 1), 10, LEASE)).toEqual([]);
        expect(await store.claimDueNotices(at(10 * 1000), 10, LEASE)).toMatchObject([
          { payload: "retried", attempts: 2 },
        ]);
        await store.markNoticeSent(retried?.id as number);
        expect(await store.nextNoticeDueAt()).toBeUndefined();
      });
    });

    describe("reminders", () => {
      const key: ReminderKey = {
        meetingId: "cabal",
        occurrenceDate: "2025-03-20",
        offsetMs: DAY,
        room: "slack:C0CABAL",
      };
      const lease = 5 * MINUTE;

      it("has no record for a reminder never claimed", async () => {
        expect(await store.getReminder(key)).toBeUndefined();
      });

      it("lets the first claim win and the second lose while the lease runs", async () => {
        expect(await store.claimReminder(key, T0, lease)).toBe(true);
        expect(await store.claimReminder(key, T0, lease)).toBe(false);
        expect(await store.claimReminder(key, at(lease), lease)).toBe(false);
        expect(await store.getReminder(key)).toEqual({ ...key, state: "claimed", claimedAt: T0, attempts: 0 });
      });

      // Issued together on one instance (one connection): this checks the claim's rule, not a race between
      // connections, which a single thread cannot produce; test/contract/sqlite-race.test.ts races two.
      it("lets exactly one of many claims issued together on one instance win", async () => {
        const results = await Promise.all(Array.from({ length: 10 }, () => store.claimReminder(key, T0, lease)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("lets a claim strictly older than the lease be retaken, once", async () => {
        await store.claimReminder(key, T0, lease);
        const later = at(lease + 1);
        expect(await store.claimReminder(key, later, lease)).toBe(true);
        expect(await store.claimReminder(key, later, lease)).toBe(false);
        expect(await store.getReminder(key)).toMatchObject({ state: "claimed", claimedAt: later });
      });

      it("claims each destination room separately, and sending one leaves the other to send", async () => {
        const matrix = { ...key, room: "matrix:#podman:example.org" };
        expect(await store.claimReminder(key, T0, lease)).toBe(true);
        expect(await store.claimReminder(matrix, T0, lease)).toBe(true);
        await store.markReminderSent(key, at(MINUTE), "1.0001");
        expect(await store.getReminder(key)).toMatchObject({ state: "sent", room: "slack:C0CABAL" });
        expect(await store.getReminder(matrix)).toMatchObject({ state: "claimed", room: "matrix:#podman:example.org" });
      });

      it("claims each offset, occurrence and meeting separately", async () => {
        await store.claimReminder(key, T0, lease);
        expect(await store.claimReminder({ ...key, offsetMs: HOUR }, T0, lease)).toBe(true);
        expect(await store.claimReminder({ ...key, occurrenceDate: "2025-04-17" }, T0, lease)).toBe(true);
        expect(await store.claimReminder({ ...key, meetingId: "triage" }, T0, lease)).toBe(true);
      });

      it("records a sent reminder, which can never be claimed again", async () => {
        await store.claimReminder(key, T0, lease);
        await store.markReminderSent(key, at(MINUTE), "1742486460.000100");
        expect(await store.getReminder(key)).toEqual({
          ...key,
          state: "sent",
          claimedAt: T0,
          attempts: 0,
          sentAt: at(MINUTE),
          messageId: "1742486460.000100",
        });
        expect(await store.claimReminder(key, at(DAY), lease)).toBe(false);
      });

      it("records a dropped reminder with its reason, which can never be claimed again", async () => {
        await store.claimReminder(key, T0, lease);
        await store.markReminderDropped(key, "occurrence already started");
        expect(await store.getReminder(key)).toEqual({
          ...key,
          state: "dropped",
          claimedAt: T0,
          attempts: 0,
          lastError: "occurrence already started",
        });
        expect(await store.claimReminder(key, at(DAY), lease)).toBe(false);
      });

      it("keeps a sent reminder sent when a late drop arrives", async () => {
        await store.claimReminder(key, T0, lease);
        await store.markReminderSent(key, T0, "ts-1");
        await store.markReminderDropped(key, "too late");
        expect(await store.getReminder(key)).toMatchObject({ state: "sent", messageId: "ts-1" });
      });

      it("records a failure by counting the attempt and keeping the claim", async () => {
        await store.claimReminder(key, T0, lease);
        await store.recordReminderFailure(key, "ratelimited");
        await store.recordReminderFailure(key, "channel_not_found");
        expect(await store.getReminder(key)).toEqual({
          ...key,
          state: "claimed",
          claimedAt: T0,
          attempts: 2,
          lastError: "channel_not_found",
        });
        // The claim still holds against others until its lease runs out; then a retry may take it.
        expect(await store.claimReminder(key, at(MINUTE), lease)).toBe(false);
        expect(await store.claimReminder(key, at(lease + 1), lease)).toBe(true);
        expect(await store.getReminder(key)).toMatchObject({ attempts: 2, claimedAt: at(lease + 1) });
        await store.markReminderSent(key, at(lease + 2), "ts-2");
        expect(await store.getReminder(key)).toMatchObject({ state: "sent", attempts: 2, messageId: "ts-2" });
      });

      it("records when a failed reminder may be retried and whether the attempt may have posted", async () => {
        await store.claimReminder(key, T0, lease);
        await store.recordReminderFailure(key, "socket hang up", { retryAt: at(2000), mayHavePosted: true });
        expect(await store.getReminder(key)).toEqual({
          ...key,
          state: "claimed",
          claimedAt: T0,
          attempts: 1,
          lastError: "socket hang up",
          retryAt: at(2000),
          mayHavePosted: true,
        });
        await store.recordReminderFailure(key, "ratelimited", { retryAt: at(30_000), mayHavePosted: false });
        expect(await store.getReminder(key)).toMatchObject({ attempts: 2, retryAt: at(30_000), mayHavePosted: false });
        // A failure without retry details keeps the ones recorded before.
        await store.recordReminderFailure(key, "again");
        expect(await store.getReminder(key)).toMatchObject({ attempts: 3, retryAt: at(30_000), mayHavePosted: false });
        await store.markReminderSent(key, at(31_000), "ts-3");
        expect(await store.getReminder(key)).toMatchObject({ state: "sent", attempts: 3, messageId: "ts-3" });
      });

      it("ignores a failure reported after the reminder was sent", async () => {
        await store.claimReminder(key, T0, lease);
        await store.markReminderSent(key, T0, "ts-1");
        await store.recordReminderFailure(key, "late");
        expect(await store.getReminder(key)).toMatchObject({ state: "sent", attempts: 0 });
      });

      it("rejects sent, dropped or failed reports for a reminder never claimed", async () => {
        await expect(store.markReminderSent(key, T0, "ts")).rejects.toThrow(/no claim/);
        await expect(store.markReminderDropped(key, "why")).rejects.toThrow(/no claim/);
        await expect(store.recordReminderFailure(key, "err")).rejects.toThrow(/no claim/);
        expect(await store.getReminder(key)).toBeUndefined();
      });
    });

    describe("notes watches", () => {
      const lease = 5 * MINUTE;
      const bare: NotesWatch = {
        meetingId: "cabal",
        occurrenceDate: "2025-03-20",
        nextPollAt: at(HOUR),
        failures: 0,
      };
      const full: NotesWatch = {
        ...bare,
        etag: 'W/"abc"',
        lastModified: "Thu, 20 Mar 2025 17:00:00 GMT",
        failures: 3,
        announcedAt: at(2 * HOUR),
        announcedUrl: "https://example.org/notes/2025-03-20?a=1&b=2",
        messageId: "1742490000.000200",
        claimedAt: at(2 * HOUR - MINUTE),
      };

      it("has no watch for an occurrence never saved", async () => {
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toBeUndefined();
      });

      it("round-trips a watch without its optional fields, leaving them absent", async () => {
        await store.saveNotesWatch(bare);
        const read = await store.getNotesWatch("cabal", "2025-03-20");
        expect(read).toStrictEqual(bare);
      });

      it("round-trips a watch with every optional field", async () => {
        await store.saveNotesWatch(full);
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toStrictEqual(full);
      });

      it("keeps watches of other meetings and occurrences apart", async () => {
        await store.saveNotesWatch(bare);
        await store.saveNotesWatch({ ...bare, meetingId: "triage", failures: 1 });
        await store.saveNotesWatch({ ...bare, occurrenceDate: "2025-04-17", failures: 2 });
        expect((await store.getNotesWatch("cabal", "2025-03-20"))?.failures).toBe(0);
        expect((await store.getNotesWatch("triage", "2025-03-20"))?.failures).toBe(1);
        expect((await store.getNotesWatch("cabal", "2025-04-17"))?.failures).toBe(2);
      });

      it("replaces the polling state on a later save, including clearing validators", async () => {
        await store.saveNotesWatch({ ...bare, etag: '"v1"', lastModified: "yesterday" });
        await store.saveNotesWatch({ ...bare, nextPollAt: at(3 * HOUR), failures: 4 });
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toStrictEqual({
          ...bare,
          nextPollAt: at(3 * HOUR),
          failures: 4,
        });
      });

      it("does not let a stale save undo an announcement or release a claim", async () => {
        await store.saveNotesWatch(bare);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease)).toBe(true);
        // The poller saves the watch it read before the claim.
        await store.saveNotesWatch({ ...bare, failures: 1 });
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toMatchObject({ failures: 1, claimedAt: T0 });
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(MINUTE), lease)).toBe(false);

        await store.markNotesAnnounced("cabal", "2025-03-20", at(MINUTE), "https://example.org/n", "ts-9");
        await store.saveNotesWatch({ ...bare, failures: 2 });
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toMatchObject({
          failures: 2,
          announcedAt: at(MINUTE),
          announcedUrl: "https://example.org/n",
          messageId: "ts-9",
        });
      });

      it("lets one caller take a due poll and pushes the next poll to the end of its lease", async () => {
        await store.saveNotesWatch({ ...bare, nextPollAt: T0, etag: '"v1"' });
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(MINUTE), lease)).toBe(true);
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(MINUTE), lease)).toBe(false);
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toStrictEqual({
          ...bare,
          nextPollAt: at(MINUTE + lease),
          etag: '"v1"',
        });
        // Once the lease is over (the poller died without saving), the poll may be taken again.
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(MINUTE + lease - 1), lease)).toBe(false);
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(MINUTE + lease), lease)).toBe(true);
      });

      it("refuses a poll not yet due or of announced notes, and creates the watch of one never polled", async () => {
        await store.saveNotesWatch(bare);
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(HOUR - 1), lease)).toBe(false);
        await store.markNotesAnnounced("cabal", "2025-03-20", T0, "https://example.org/n", "ts-1");
        expect(await store.claimNotesPoll("cabal", "2025-03-20", at(DAY), lease)).toBe(false);
        expect(await store.claimNotesPoll("cabal", "2025-04-17", T0, lease)).toBe(true);
        expect(await store.getNotesWatch("cabal", "2025-04-17")).toStrictEqual({
          meetingId: "cabal",
          occurrenceDate: "2025-04-17",
          nextPollAt: at(lease),
          failures: 0,
        });
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.claimNotesPoll("cabal", "2025-05-15", T0, lease)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("lets exactly one caller claim the announcement while the lease runs", async () => {
        await store.saveNotesWatch(bare);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease)).toBe(true);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease)).toBe(false);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(lease), lease)).toBe(false);
        expect((await store.getNotesWatch("cabal", "2025-03-20"))?.claimedAt).toEqual(T0);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.claimNotesAnnouncement("cabal", "2025-04-17", T0, lease)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("lets an announcement claim strictly older than the lease be retaken, once", async () => {
        await store.saveNotesWatch(bare);
        await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(lease + 1), lease)).toBe(true);
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(lease + 1), lease)).toBe(false);
        expect((await store.getNotesWatch("cabal", "2025-03-20"))?.claimedAt).toEqual(at(lease + 1));
      });

      it("creates the watch when claiming for an occurrence never saved", async () => {
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease)).toBe(true);
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toStrictEqual({
          meetingId: "cabal",
          occurrenceDate: "2025-03-20",
          nextPollAt: T0,
          failures: 0,
          claimedAt: T0,
        });
      });

      it("records the announcement, clears the claim, and never lets it be claimed again", async () => {
        await store.saveNotesWatch({ ...bare, etag: '"v7"' });
        await store.claimNotesAnnouncement("cabal", "2025-03-20", T0, lease);
        await store.markNotesAnnounced("cabal", "2025-03-20", at(MINUTE), "https://example.org/n", "ts-1");
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toStrictEqual({
          ...bare,
          etag: '"v7"',
          announcedAt: at(MINUTE),
          announcedUrl: "https://example.org/n",
          messageId: "ts-1",
        });
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(DAY), lease)).toBe(false);
      });

      it("refuses a claim on a watch closed by hand through save", async () => {
        await store.saveNotesWatch({ ...bare, announcedAt: T0 });
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(DAY), lease)).toBe(false);
      });

      it("records an announcement for an occurrence never watched", async () => {
        await store.markNotesAnnounced("cabal", "2025-03-20", T0, "https://example.org/n", "ts-1");
        expect(await store.getNotesWatch("cabal", "2025-03-20")).toMatchObject({
          announcedAt: T0,
          announcedUrl: "https://example.org/n",
          messageId: "ts-1",
        });
        expect(await store.claimNotesAnnouncement("cabal", "2025-03-20", at(DAY), lease)).toBe(false);
      });
    });

    describe("inbound events", () => {
      it("records an event id once and reports every repeat as seen", async () => {
        expect(await store.recordInboundEvent("Ev01", T0)).toBe(true);
        expect(await store.recordInboundEvent("Ev01", at(MINUTE))).toBe(false);
        expect(await store.recordInboundEvent("Ev01", at(HOUR))).toBe(false);
        expect(await store.recordInboundEvent("Ev02", at(HOUR))).toBe(true);
      });

      it("still recognises a repeat just under a day later", async () => {
        await store.recordInboundEvent("Ev01", T0);
        await store.recordInboundEvent("Ev02", at(DAY - MINUTE));
        expect(await store.recordInboundEvent("Ev01", at(DAY - 1))).toBe(false);
      });

      it("forgets event ids older than a day, so the record stays small", async () => {
        await store.recordInboundEvent("Ev01", T0);
        await store.recordInboundEvent("Ev02", at(DAY + HOUR));
        expect(await store.recordInboundEvent("Ev01", at(DAY + HOUR + 1))).toBe(true);
        expect(await store.recordInboundEvent("Ev02", at(DAY + HOUR + 2))).toBe(false);
      });
    });

    describe("user zones", () => {
      it("has no zone for an unknown user", async () => {
        expect(await store.getUserZone("U404")).toBeUndefined();
      });

      it("saves a zone with the time it was fetched, and replaces it on a later save", async () => {
        await store.saveUserZone("U123", "Europe/Berlin", T0);
        await store.saveUserZone("U456", "America/Los_Angeles", T0);
        expect(await store.getUserZone("U123")).toEqual({
          timezone: "Europe/Berlin",
          fetchedAt: T0,
          source: "profile",
        });
        await store.saveUserZone("U123", "Asia/Kolkata", at(DAY));
        expect(await store.getUserZone("U123")).toEqual({
          timezone: "Asia/Kolkata",
          fetchedAt: at(DAY),
          source: "profile",
        });
        expect(await store.getUserZone("U456")).toEqual({
          timezone: "America/Los_Angeles",
          fetchedAt: T0,
          source: "profile",
        });
      });

      it("prefers the zone a person chose over their profile's, until they clear it", async () => {
        await store.saveUserZone("@ada:example.org", "Europe/Berlin", T0);
        await store.saveUserZone("@ada:example.org", "Asia/Tokyo", at(MINUTE), "chosen");
        // A later profile read does not replace the choice.
        await store.saveUserZone("@ada:example.org", "America/New_York", at(DAY));
        expect(await store.getUserZone("@ada:example.org")).toEqual({
          timezone: "Asia/Tokyo",
          fetchedAt: at(MINUTE),
          source: "chosen",
        });
        expect(await store.clearChosenUserZone("@ada:example.org")).toBe(true);
        expect(await store.clearChosenUserZone("@ada:example.org")).toBe(false);
        expect(await store.getUserZone("@ada:example.org")).toEqual({
          timezone: "America/New_York",
          fetchedAt: at(DAY),
          source: "profile",
        });
      });
    });

    describe("deliveries (one claim per announcement and destination)", () => {
      const slack = "notes:cabal:2025-03-20:slack:C0CABAL";
      const matrix = "notes:cabal:2025-03-20:matrix:#podman:example.org";
      const lease = 2 * MINUTE;

      it("lets one caller claim each destination, records the post, and never lets it be claimed again", async () => {
        expect(await store.getDelivery(slack)).toBeUndefined();
        expect(await store.claimDelivery(slack, T0, lease)).toBe(true);
        expect(await store.claimDelivery(slack, T0, lease)).toBe(false);
        // Another destination of the same announcement is its own.
        expect(await store.claimDelivery(matrix, T0, lease)).toBe(true);
        await store.markDelivered(slack, at(MINUTE), "1.0001");
        expect(await store.getDelivery(slack)).toEqual({
          key: slack,
          claimedAt: T0,
          postedAt: at(MINUTE),
          messageId: "1.0001",
        });
        expect(await store.claimDelivery(slack, at(DAY), lease)).toBe(false);
        expect(await store.getDelivery(matrix)).toEqual({ key: matrix, claimedAt: T0 });
      });

      it("lets an unposted claim be retaken only after its lease", async () => {
        expect(await store.claimDelivery(slack, T0, lease)).toBe(true);
        expect(await store.claimDelivery(slack, at(lease), lease)).toBe(false);
        expect(await store.claimDelivery(slack, at(lease + 1), lease)).toBe(true);
        expect(await store.getDelivery(slack)).toEqual({ key: slack, claimedAt: at(lease + 1) });
      });

      it("refuses to record a post never claimed", async () => {
        await expect(store.markDelivered(slack, T0, "1.0001")).rejects.toThrow(/claimDelivery must come first/);
      });
    });

    describe("subscriptions", () => {
      const ada = { chat: "slack", id: "U123" };
      const bob = { chat: "matrix", id: "@bob:example.org" };

      it("subscribes once: a second subscribe changes nothing and says so", async () => {
        expect(await store.addSubscription("cabal", ada, T0)).toBe(true);
        expect(await store.addSubscription("cabal", ada, at(MINUTE))).toBe(false);
        expect(await store.subscribersOf("cabal")).toEqual([{ meetingId: "cabal", user: ada, subscribedAt: T0 }]);
      });

      it("tells people apart by chat and id, and meetings apart", async () => {
        // The same id on another chat is another person.
        const adaOnMatrix = { chat: "matrix", id: "U123" };
        await store.addSubscription("cabal", ada, T0);
        await store.addSubscription("cabal", adaOnMatrix, at(MINUTE));
        await store.addSubscription("community", ada, at(2 * MINUTE));
        expect((await store.subscribersOf("cabal")).map((s) => s.user)).toEqual([ada, adaOnMatrix]);
        expect((await store.subscriptionsOf(ada)).map((s) => s.meetingId)).toEqual(["cabal", "community"]);
        expect((await store.subscriptionsOf(adaOnMatrix)).map((s) => s.meetingId)).toEqual(["cabal"]);
      });

      it("lists a meeting's subscribers in the order they subscribed, and a person's meetings by id", async () => {
        await store.addSubscription("community", bob, T0);
        await store.addSubscription("cabal", bob, at(MINUTE));
        await store.addSubscription("cabal", ada, at(2 * MINUTE));
        expect(await store.subscribersOf("cabal")).toEqual([
          { meetingId: "cabal", user: bob, subscribedAt: at(MINUTE) },
          { meetingId: "cabal", user: ada, subscribedAt: at(2 * MINUTE) },
        ]);
        expect(await store.subscriptionsOf(bob)).toEqual([
          { meetingId: "cabal", user: bob, subscribedAt: at(MINUTE) },
          { meetingId: "community", user: bob, subscribedAt: T0 },
        ]);
        expect(await store.subscribersOf("standup")).toEqual([]);
      });

      it("unsubscribes: true when there was a subscription, false when there was none", async () => {
        await store.addSubscription("cabal", ada, T0);
        await store.addSubscription("cabal", bob, T0);
        expect(await store.removeSubscription("cabal", ada)).toBe(true);
        expect(await store.removeSubscription("cabal", ada)).toBe(false);
        expect(await store.removeSubscription("community", bob)).toBe(false);
        expect((await store.subscribersOf("cabal")).map((s) => s.user)).toEqual([bob]);
        expect(await store.subscriptionsOf(ada)).toEqual([]);
        // Subscribing again afterwards is a new subscription.
        expect(await store.addSubscription("cabal", ada, at(HOUR))).toBe(true);
      });
    });

    describe("schedule notices (one per occurrence and kind of change)", () => {
      it("is recorded by the first caller only", async () => {
        expect(await store.claimScheduleNotice("cabal", "2025-04-17", "cancelled", T0)).toBe(true);
        expect(await store.claimScheduleNotice("cabal", "2025-04-17", "cancelled", at(DAY))).toBe(false);
      });

      it("keeps meetings, dates and kinds apart", async () => {
        expect(await store.claimScheduleNotice("cabal", "2025-04-17", "cancelled", T0)).toBe(true);
        expect(await store.claimScheduleNotice("cabal", "2025-04-17", "moved", T0)).toBe(true);
        expect(await store.claimScheduleNotice("cabal", "2025-04-18", "cancelled", T0)).toBe(true);
        expect(await store.claimScheduleNotice("community", "2025-04-17", "cancelled", T0)).toBe(true);
        expect(await store.claimScheduleNotice("cabal", "2025-04-17", "added", T0)).toBe(true);
      });

      it("lets exactly one of many concurrent callers record it", async () => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () => store.claimScheduleNotice("cabal", "2025-04-17", "cancelled", T0)),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe("chat state", () => {
      it("keeps a value per key and replaces it", async () => {
        expect(await store.getChatState("matrix.sync")).toBeUndefined();
        await store.setChatState("matrix.sync", "s1_2_3");
        await store.setChatState("other", "x");
        await store.setChatState("matrix.sync", "s4_5_6");
        expect(await store.getChatState("matrix.sync")).toBe("s4_5_6");
        expect(await store.getChatState("other")).toBe("x");
      });
    });

    describe("health and close", () => {
      it("reports itself healthy while open, and not after closing", async () => {
        expect(await store.health()).toEqual({ ok: true });
        store.close();
        expect(await store.health()).toMatchObject({ ok: false, problem: expect.any(String) });
      });

      it("makes later calls fail, and tolerates being called twice", async () => {
        store.close();
        expect(() => store.close()).not.toThrow();
        await expect(store.listTopics("cabal", "2025-03-20")).rejects.toThrow();
      });
    });
  });
}
