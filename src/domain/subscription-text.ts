// The sentences answering `subscribe`, `unsubscribe` and `subscriptions`, written with the medium's wording.
// Meeting titles and ids come from the configuration; nothing a person typed is repeated here.
import type { Meeting, Occurrence } from "./meeting.js";
import type { Wording } from "./wording.js";

/** One meeting in a subscription answer, with its next date when it has one. */
export interface SubscriptionEntry {
  meeting: Pick<Meeting, "id" | "title">;
  next?: Pick<Occurrence, "date">;
}

export type SubscriptionAnswer =
  /** `changed`: what this request changed; `unchanged`: asked for, and already so. */
  | { kind: "subscribed" | "unsubscribed"; changed: SubscriptionEntry[]; unchanged: SubscriptionEntry[] }
  | { kind: "subscriptions"; subscriptions: SubscriptionEntry[] };

function meetingList(entries: readonly SubscriptionEntry[], w: Wording): string {
  return entries
    .map(
      (e) =>
        `${w.text(`${e.meeting.title} (`)}${w.code(e.meeting.id)}${w.text(e.next ? `, next on ${e.next.date})` : ")")}`,
    )
    .join(w.text(", "));
}

export function describeSubscriptions(answer: SubscriptionAnswer, w: Wording): string {
  switch (answer.kind) {
    case "subscribed": {
      if (answer.changed.length === 0) {
        return `${w.text("You were already subscribed to ")}${meetingList(answer.unchanged, w)}${w.text(". See ")}${w.command("subscriptions")}${w.text(".")}`;
      }
      const also = answer.unchanged.length
        ? `${w.text(" (already subscribed to ")}${meetingList(answer.unchanged, w)}${w.text(")")}`
        : "";
      return `${w.text("Subscribed to ")}${meetingList(answer.changed, w)}${also}${w.text(": you will get each reminder as a direct message, and be told when a meeting is cancelled or moved. Stop with ")}${w.command("unsubscribe <meeting>")}${w.text(".")}`;
    }
    case "unsubscribed": {
      if (answer.changed.length === 0) {
        return answer.unchanged.length
          ? `${w.text("You were not subscribed to ")}${meetingList(answer.unchanged, w)}${w.text(".")}`
          : w.text("You were not subscribed to any meeting.");
      }
      return `${w.text("Unsubscribed from ")}${meetingList(answer.changed, w)}${w.text(": no more direct messages for its reminders.")}`;
    }
    case "subscriptions":
      if (answer.subscriptions.length === 0) {
        return `${w.text("You are not subscribed to any meeting. ")}${w.command("subscribe <meeting>")}${w.text(" sends you its reminders as direct messages.")}`;
      }
      return `${w.text("You get the reminders of ")}${meetingList(answer.subscriptions, w)}${w.text(" as direct messages. Stop with ")}${w.command("unsubscribe <meeting>")}${w.text(".")}`;
  }
}
