// The Store port in process memory: for use-case tests, and proof the port does not assume SQL.
// Each method runs without an `await` inside, so it is atomic with respect to other callers.
import type {
  ChatUser,
  DeliveryRecord,
  NewTopic,
  NotesWatch,
  QueuedNotice,
  ReminderKey,
  ReminderRecord,
  ReminderRetry,
  ScheduleChangeKind,
  Store,
  StoreHealth,
  Subscription,
  Topic,
  UserZone,
  UserZoneSource,
} from "../../app/ports.js";
import { reminderNotClaimed } from "../../app/ports.js";
import type { LocalDate } from "../../domain/meeting.js";

/** Slack retries an event for minutes, not days: ids older than this are forgotten. */
const INBOUND_EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
const INBOUND_EVENT_PRUNE_EVERY_MS = 60 * 60 * 1000;

type OccurrenceKey = string;

function occurrenceKey(meetingId: string, occurrenceDate: LocalDate): OccurrenceKey {
  return JSON.stringify([meetingId, occurrenceDate]);
}

function reminderKey(key: ReminderKey): string {
  return JSON.stringify([key.meetingId, key.occurrenceDate, key.offsetMs, key.room]);
}

// Records are copied in and out (Dates included) so callers never share mutable state with the store.
function copyTopic(topic: Topic): Topic {
  return { ...topic, createdAt: new Date(topic.createdAt) };
}

function copyReminder(record: ReminderRecord): ReminderRecord {
  const copy: ReminderRecord = { ...record, claimedAt: new Date(record.claimedAt) };
  if (record.sentAt) copy.sentAt = new Date(record.sentAt);
  if (record.retryAt) copy.retryAt = new Date(record.retryAt);
  return copy;
}

function copyNotesWatch(watch: NotesWatch): NotesWatch {
  const copy: NotesWatch = {
    meetingId: watch.meetingId,
    occurrenceDate: watch.occurrenceDate,
    nextPollAt: new Date(watch.nextPollAt),
    failures: watch.failures,
  };
  if (watch.etag !== undefined) copy.etag = watch.etag;
  if (watch.lastModified !== undefined) copy.lastModified = watch.lastModified;
  if (watch.announcedAt !== undefined) copy.announcedAt = new Date(watch.announcedAt);
  if (watch.announcedUrl !== undefined) copy.announcedUrl = watch.announcedUrl;
  if (watch.messageId !== undefined) copy.messageId = watch.messageId;
  if (watch.claimedAt !== undefined) copy.claimedAt = new Date(watch.claimedAt);
  return copy;
}

function copySubscription(subscription: Subscription): Subscription {
  return { ...subscription, user: { ...subscription.user }, subscribedAt: new Date(subscription.subscribedAt) };
}

/** Code-unit order, as the SQL stores sort text (SQLite's BINARY, PostgreSQL's "C" collation). */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class MemoryStore implements Store {
  private nextTopicId = 1;
  /** Keyed by id; Map iteration follows insertion, i.e. the order topics were proposed. */
  private readonly topics = new Map<number, Topic>();
  /** Where a carried-over topic came from (topic id → the occurrence date whose notes did not cover it). */
  private readonly carriedFrom = new Map<number, LocalDate>();
  private readonly reminders = new Map<string, ReminderRecord>();
  private readonly notesWatches = new Map<OccurrenceKey, NotesWatch>();
  private readonly inboundEvents = new Map<string, number>();
  private lastInboundPruneAt = Number.NEGATIVE_INFINITY;
  private readonly userZones = new Map<string, { timezone: string; fetchedAt: Date }>();
  private readonly chosenZones = new Map<string, { timezone: string; fetchedAt: Date }>();
  private readonly deliveries = new Map<string, DeliveryRecord>();
  private readonly chatState = new Map<string, string>();
  /** Keyed by meeting, chat and user id. */
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly scheduleNotices = new Set<string>();
  /** The notice outbox, by id (insertion order is queue order); `dueAt` in ms. */
  private readonly notices = new Map<number, { notice: QueuedNotice; dueAt: number }>();
  private nextNoticeId = 1;
  private closed = false;

  async queueNotices(notices: { user: ChatUser; payload: string }[], now: Date): Promise<void> {
    this.assertOpen();
    for (const { user, payload } of notices) {
      const id = this.nextNoticeId++;
      const notice: QueuedNotice = { id, user: { ...user }, payload, attempts: 0, queuedAt: new Date(now) };
      this.notices.set(id, { notice, dueAt: now.getTime() });
    }
  }

  async claimDueNotices(now: Date, limit: number, leaseMs: number): Promise<QueuedNotice[]> {
    this.assertOpen();
    const due = [...this.notices.values()]
      .filter((entry) => entry.dueAt <= now.getTime())
      .sort((a, b) => a.dueAt - b.dueAt || a.notice.id - b.notice.id)
      .slice(0, Math.max(0, limit));
    return due.map((entry) => {
      entry.notice.attempts += 1;
      entry.dueAt = now.getTime() + leaseMs;
      return { ...entry.notice, user: { ...entry.notice.user }, queuedAt: new Date(entry.notice.queuedAt) };
    });
  }

  async markNoticeSent(id: number): Promise<void> {
    this.assertOpen();
    this.notices.delete(id);
  }

  async recordNoticeFailure(id: number, _error: string, retryAt?: Date): Promise<void> {
    this.assertOpen();
    const entry = this.notices.get(id);
    if (!entry) return;
    if (retryAt) entry.dueAt = retryAt.getTime();
    else this.notices.delete(id);
  }

  async nextNoticeDueAt(): Promise<Date | undefined> {
    this.assertOpen();
    let earliest = Number.POSITIVE_INFINITY;
    for (const entry of this.notices.values()) earliest = Math.min(earliest, entry.dueAt);
    return Number.isFinite(earliest) ? new Date(earliest) : undefined;
  }

  async addTopic(topic: NewTopic): Promise<Topic> {
    this.assertOpen();
    // Ids are never reused, even after a removal: people refer to topics by id.
    const stored: Topic = copyTopic({ ...topic, id: this.nextTopicId++ });
    this.topics.set(stored.id, stored);
    return copyTopic(stored);
  }

  async appendTopic(topic: NewTopic): Promise<{ topic: Topic; position: number }> {
    const added = await this.addTopic(topic);
    let position = 0;
    for (const stored of this.topics.values())
      if (
        stored.meetingId === added.meetingId &&
        stored.occurrenceDate === added.occurrenceDate &&
        stored.id <= added.id
      )
        position += 1;
    return { topic: added, position };
  }

  async addTopicIfTitleNew(topic: NewTopic): Promise<Topic | undefined> {
    this.assertOpen();
    const title = topic.title.toLowerCase();
    if (this.topicsOf(topic.meetingId, topic.occurrenceDate).some((t) => t.title.toLowerCase() === title)) return;
    return this.addTopic(topic);
  }

  async listTopics(meetingId: string, occurrenceDate: LocalDate): Promise<Topic[]> {
    this.assertOpen();
    return this.topicsOf(meetingId, occurrenceDate).map(copyTopic);
  }

  async listTopicPage(
    meetingId: string,
    occurrenceDate: LocalDate,
    offset: number,
    limit: number,
  ): Promise<{ topics: Topic[]; total: number }> {
    this.assertOpen();
    const all = this.topicsOf(meetingId, occurrenceDate);
    return { topics: all.slice(offset, offset + limit).map(copyTopic), total: all.length };
  }

  async getTopic(id: number): Promise<Topic | undefined> {
    this.assertOpen();
    const topic = this.topics.get(id);
    return topic && copyTopic(topic);
  }

  async removeTopic(id: number): Promise<boolean> {
    this.assertOpen();
    return this.topics.delete(id);
  }

  async datesWithTopicsBefore(meetingId: string, date: LocalDate): Promise<LocalDate[]> {
    this.assertOpen();
    const dates = new Set<LocalDate>();
    for (const topic of this.topics.values()) {
      // `YYYY-MM-DD` strings order like the dates they name.
      if (topic.meetingId === meetingId && topic.occurrenceDate < date) dates.add(topic.occurrenceDate);
    }
    return [...dates].sort();
  }

  async moveTopics(meetingId: string, fromDate: LocalDate, toDate: LocalDate): Promise<Topic[]> {
    this.assertOpen();
    const moving = this.topicsOf(meetingId, fromDate);
    for (const topic of moving) topic.occurrenceDate = toDate;
    return moving.map(copyTopic);
  }

  async carryOverTopics(meetingId: string, fromDate: LocalDate, ids: number[], toDate: LocalDate): Promise<Topic[]> {
    this.assertOpen();
    const wanted = new Set(ids);
    const moving = this.topicsOf(meetingId, fromDate).filter((topic) => wanted.has(topic.id));
    for (const topic of moving) {
      topic.occurrenceDate = toDate;
      this.carriedFrom.set(topic.id, fromDate);
    }
    return moving.map(copyTopic);
  }

  async topicsCarriedFrom(meetingId: string, fromDate: LocalDate): Promise<Topic[]> {
    this.assertOpen();
    return [...this.topics.values()]
      .filter((topic) => topic.meetingId === meetingId && this.carriedFrom.get(topic.id) === fromDate)
      .sort((a, b) => a.id - b.id)
      .map(copyTopic);
  }

  async claimReminder(key: ReminderKey, now: Date, leaseMs: number): Promise<boolean> {
    this.assertOpen();
    const existing = this.reminders.get(reminderKey(key));
    if (!existing) {
      this.reminders.set(reminderKey(key), {
        meetingId: key.meetingId,
        occurrenceDate: key.occurrenceDate,
        offsetMs: key.offsetMs,
        room: key.room,
        state: "claimed",
        claimedAt: new Date(now),
        attempts: 0,
      });
      return true;
    }
    // Strictly older than the lease; retaking keeps `attempts` (failures so far).
    if (existing.state !== "claimed" || existing.claimedAt.getTime() >= now.getTime() - leaseMs) return false;
    existing.claimedAt = new Date(now);
    return true;
  }

  async markReminderSent(key: ReminderKey, sentAt: Date, messageId: string): Promise<void> {
    const record = this.claimedRecord(key);
    record.state = "sent";
    record.sentAt = new Date(sentAt);
    record.messageId = messageId;
  }

  async markReminderDropped(key: ReminderKey, reason: string): Promise<void> {
    const record = this.claimedRecord(key);
    // A reminder that went out stays sent: a late "drop" must not hide that.
    if (record.state === "sent") return;
    record.state = "dropped";
    record.lastError = reason;
  }

  async recordReminderFailure(key: ReminderKey, error: string, retry?: ReminderRetry): Promise<void> {
    const record = this.claimedRecord(key);
    // Already sent or dropped (another owner finished it): a late failure report changes nothing.
    if (record.state !== "claimed") return;
    record.attempts += 1;
    record.lastError = error;
    if (retry) {
      record.retryAt = new Date(retry.retryAt);
      record.mayHavePosted = retry.mayHavePosted;
    }
  }

  async getReminder(key: ReminderKey): Promise<ReminderRecord | undefined> {
    this.assertOpen();
    const record = this.reminders.get(reminderKey(key));
    return record && copyReminder(record);
  }

  async getNotesWatch(meetingId: string, occurrenceDate: LocalDate): Promise<NotesWatch | undefined> {
    this.assertOpen();
    const watch = this.notesWatches.get(occurrenceKey(meetingId, occurrenceDate));
    return watch && copyNotesWatch(watch);
  }

  async saveNotesWatch(watch: NotesWatch): Promise<void> {
    this.assertOpen();
    const key = occurrenceKey(watch.meetingId, watch.occurrenceDate);
    const existing = this.notesWatches.get(key);
    const saved = copyNotesWatch(watch);
    if (existing) {
      // The poller saves what it read earlier; announcement fields are write-once and the claim is left
      // to claim/markAnnounced, so a stale save can neither undo an announcement nor release a claim.
      saved.announcedAt = existing.announcedAt ?? saved.announcedAt;
      saved.announcedUrl = existing.announcedUrl ?? saved.announcedUrl;
      saved.messageId = existing.messageId ?? saved.messageId;
      saved.claimedAt = existing.claimedAt;
    }
    this.notesWatches.set(key, copyNotesWatch(saved));
  }

  async claimNotesPoll(meetingId: string, occurrenceDate: LocalDate, now: Date, leaseMs: number): Promise<boolean> {
    this.assertOpen();
    const key = occurrenceKey(meetingId, occurrenceDate);
    const existing = this.notesWatches.get(key);
    const leaseEnd = new Date(now.getTime() + leaseMs);
    if (!existing) {
      this.notesWatches.set(key, { meetingId, occurrenceDate, nextPollAt: leaseEnd, failures: 0 });
      return true;
    }
    if (existing.announcedAt || existing.nextPollAt.getTime() > now.getTime()) return false;
    existing.nextPollAt = leaseEnd;
    return true;
  }

  async claimNotesAnnouncement(
    meetingId: string,
    occurrenceDate: LocalDate,
    now: Date,
    leaseMs: number,
  ): Promise<boolean> {
    this.assertOpen();
    const key = occurrenceKey(meetingId, occurrenceDate);
    const existing = this.notesWatches.get(key);
    if (!existing) {
      // A missing watch is created (next poll: now) so the claim has somewhere to live.
      this.notesWatches.set(key, {
        meetingId,
        occurrenceDate,
        nextPollAt: new Date(now),
        failures: 0,
        claimedAt: new Date(now),
      });
      return true;
    }
    if (existing.announcedAt) return false;
    if (existing.claimedAt && existing.claimedAt.getTime() >= now.getTime() - leaseMs) return false;
    existing.claimedAt = new Date(now);
    return true;
  }

  async markNotesAnnounced(
    meetingId: string,
    occurrenceDate: LocalDate,
    at: Date,
    url: string,
    messageId: string,
  ): Promise<void> {
    this.assertOpen();
    const key = occurrenceKey(meetingId, occurrenceDate);
    const watch = this.notesWatches.get(key) ?? { meetingId, occurrenceDate, nextPollAt: new Date(at), failures: 0 };
    watch.announcedAt = new Date(at);
    watch.announcedUrl = url;
    watch.messageId = messageId;
    delete watch.claimedAt;
    this.notesWatches.set(key, watch);
  }

  async recordInboundEvent(eventId: string, receivedAt: Date): Promise<boolean> {
    this.assertOpen();
    const at = receivedAt.getTime();
    if (at - this.lastInboundPruneAt >= INBOUND_EVENT_PRUNE_EVERY_MS) {
      for (const [id, seenAt] of this.inboundEvents) {
        if (seenAt < at - INBOUND_EVENT_RETENTION_MS) this.inboundEvents.delete(id);
      }
      this.lastInboundPruneAt = at;
    }
    if (this.inboundEvents.has(eventId)) return false;
    this.inboundEvents.set(eventId, at);
    return true;
  }

  async getUserZone(userId: string): Promise<UserZone | undefined> {
    this.assertOpen();
    const chosen = this.chosenZones.get(userId);
    if (chosen) return { timezone: chosen.timezone, fetchedAt: new Date(chosen.fetchedAt), source: "chosen" };
    const zone = this.userZones.get(userId);
    return zone && { timezone: zone.timezone, fetchedAt: new Date(zone.fetchedAt), source: "profile" };
  }

  async saveUserZone(
    userId: string,
    timezone: string,
    fetchedAt: Date,
    source: UserZoneSource = "profile",
  ): Promise<void> {
    this.assertOpen();
    (source === "chosen" ? this.chosenZones : this.userZones).set(userId, { timezone, fetchedAt: new Date(fetchedAt) });
  }

  async clearChosenUserZone(userId: string): Promise<boolean> {
    this.assertOpen();
    return this.chosenZones.delete(userId);
  }

  async claimDelivery(key: string, now: Date, leaseMs: number): Promise<boolean> {
    this.assertOpen();
    const existing = this.deliveries.get(key);
    if (existing && (existing.postedAt || existing.claimedAt.getTime() >= now.getTime() - leaseMs)) return false;
    this.deliveries.set(key, { key, claimedAt: new Date(now) });
    return true;
  }

  async markDelivered(key: string, at: Date, messageId: string): Promise<void> {
    this.assertOpen();
    const existing = this.deliveries.get(key);
    if (!existing) throw new Error(`no claim for the delivery ${key}; claimDelivery must come first`);
    if (!existing.postedAt) this.deliveries.set(key, { ...existing, postedAt: new Date(at), messageId });
  }

  async getDelivery(key: string): Promise<DeliveryRecord | undefined> {
    this.assertOpen();
    const record = this.deliveries.get(key);
    return (
      record && {
        ...record,
        claimedAt: new Date(record.claimedAt),
        ...(record.postedAt ? { postedAt: new Date(record.postedAt) } : {}),
      }
    );
  }

  async getChatState(key: string): Promise<string | undefined> {
    this.assertOpen();
    return this.chatState.get(key);
  }

  async setChatState(key: string, value: string): Promise<void> {
    this.assertOpen();
    this.chatState.set(key, value);
  }

  async addSubscription(meetingId: string, user: ChatUser, at: Date): Promise<boolean> {
    this.assertOpen();
    const key = JSON.stringify([meetingId, user.chat, user.id]);
    if (this.subscriptions.has(key)) return false;
    this.subscriptions.set(key, { meetingId, user: { chat: user.chat, id: user.id }, subscribedAt: new Date(at) });
    return true;
  }

  async removeSubscription(meetingId: string, user: ChatUser): Promise<boolean> {
    this.assertOpen();
    return this.subscriptions.delete(JSON.stringify([meetingId, user.chat, user.id]));
  }

  async subscriptionsOf(user: ChatUser): Promise<Subscription[]> {
    this.assertOpen();
    return [...this.subscriptions.values()]
      .filter((s) => s.user.chat === user.chat && s.user.id === user.id)
      .sort((a, b) => compareText(a.meetingId, b.meetingId))
      .map(copySubscription);
  }

  async subscribersOf(meetingId: string): Promise<Subscription[]> {
    this.assertOpen();
    return [...this.subscriptions.values()]
      .filter((s) => s.meetingId === meetingId)
      .sort(
        (a, b) =>
          a.subscribedAt.getTime() - b.subscribedAt.getTime() ||
          compareText(a.user.chat, b.user.chat) ||
          compareText(a.user.id, b.user.id),
      )
      .map(copySubscription);
  }

  async claimScheduleNotice(
    meetingId: string,
    occurrenceDate: LocalDate,
    kind: ScheduleChangeKind,
    _at: Date,
  ): Promise<boolean> {
    this.assertOpen();
    const key = JSON.stringify([meetingId, occurrenceDate, kind]);
    if (this.scheduleNotices.has(key)) return false;
    this.scheduleNotices.add(key);
    return true;
  }

  async health(): Promise<StoreHealth> {
    return this.closed ? { ok: false, problem: "the memory store is closed" } : { ok: true };
  }

  /** Idempotent: closing twice is harmless; any other call after closing fails, as it would on SQLite. */
  close(): void {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error("the memory store is closed");
  }

  /** The stored (mutable) topics of one occurrence, in proposal order. */
  private topicsOf(meetingId: string, occurrenceDate: LocalDate): Topic[] {
    return [...this.topics.values()].filter(
      (topic) => topic.meetingId === meetingId && topic.occurrenceDate === occurrenceDate,
    );
  }

  private claimedRecord(key: ReminderKey): ReminderRecord {
    this.assertOpen();
    const record = this.reminders.get(reminderKey(key));
    if (!record) throw reminderNotClaimed(key);
    return record;
  }
}
