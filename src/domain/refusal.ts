// Why a request was refused, as data: the use cases return a code and the values it needs, and each chat
// adapter turns it into a sentence through its own Wording (prefix, markup, escaping).
import { echoedWord } from "./command.js";
import type { Wording } from "./wording.js";

export type Refusal =
  | { code: "title-empty" }
  | { code: "title-too-long"; length: number; max: number }
  | { code: "no-such-meeting"; meetingId: string; known: string[] }
  | { code: "no-such-topic"; position: number; count: number; meetingTitle: string }
  | { code: "not-allowed"; position: number }
  /** `not-writable`: the database answers but refuses writes (disk full, read-only file). */
  | { code: "storage-unavailable"; kind: "unreachable" | "not-writable" }
  | { code: "notes-not-available" }
  | { code: "notes-admins-only" }
  | { code: "bad-notes-url"; text: string }
  | { code: "no-past-meeting"; meetingTitle: string }
  | { code: "notes-already-announced"; meetingTitle: string; date: string; url?: string }
  | { code: "notes-busy"; meetingTitle: string; date: string }
  | { code: "unknown-zone"; typed: string; suggestion?: string };

/** What a person is told when the store could not be reached: whatever they asked, it did not happen. */
export const STORE_UNAVAILABLE_MESSAGE =
  "Nothing was saved: the bot cannot reach its database right now. Please try again in a minute.";

/** What a person is told when the store refused a write (disk full, read-only file): the agenda did not change. */
export const STORE_NOT_WRITABLE_MESSAGE =
  "The agenda could not be saved: the bot's storage is not accepting changes (disk full or read-only). Nothing was changed; please tell the bot's admins.";

/** The sentence for a refusal, written with the medium's wording (user text only through `quote`). */
export function describeRefusal(refusal: Refusal, w: Wording): string {
  switch (refusal.code) {
    case "title-empty":
      return `${w.text("The topic title is empty. Usage: ")}${w.command("topic add <title>")}`;
    case "title-too-long":
      return `${w.text(`The topic title is ${refusal.length} characters long; the limit is ${refusal.max}. Shorten it and try again. Usage: `)}${w.command("topic add <title>")}`;
    case "no-such-meeting":
      return `${w.text("There is no meeting ")}${w.quote(echoedWord(refusal.meetingId))}${w.text(". Meetings: ")}${refusal.known.map(w.code).join(w.text(", "))}${w.text(".")}`;
    case "no-such-topic":
      return refusal.count === 0
        ? w.text(`The agenda of ${refusal.meetingTitle} is empty; there is no topic ${refusal.position}.`)
        : `${w.text(`There is no topic ${refusal.position}; the agenda has ${refusal.count} topic${refusal.count === 1 ? "" : "s"}. See `)}${w.command("topic list")}${w.text(".")}`;
    case "not-allowed":
      return w.text(`Only the person who proposed topic ${refusal.position} or an admin can remove it.`);
    case "storage-unavailable":
      return w.text(refusal.kind === "not-writable" ? STORE_NOT_WRITABLE_MESSAGE : STORE_UNAVAILABLE_MESSAGE);
    case "notes-not-available":
      return w.text("Announcing notes is not available here.");
    case "notes-admins-only":
      return w.text("Only the bot's admins may announce notes by hand.");
    case "bad-notes-url":
      return `${w.text("That is not an http(s) URL. Usage: ")}${w.command("notes <url>")}`;
    case "no-past-meeting":
      return w.text(`${refusal.meetingTitle} has no past meeting on the schedule.`);
    case "notes-already-announced":
      return w.text(
        `The notes of ${refusal.meetingTitle} of ${refusal.date} were already announced${refusal.url ? ` (${refusal.url})` : ""}; nothing was posted.`,
      );
    case "notes-busy":
      return w.text(
        `The notes of ${refusal.meetingTitle} of ${refusal.date} are being announced right now; try again in a few minutes if nothing appears.`,
      );
    case "unknown-zone":
      return `${w.quote(echoedWord(refusal.typed))}${w.text(" is not a time zone name")}${
        refusal.suggestion ? `${w.text("; did you mean ")}${w.code(refusal.suggestion)}${w.text("?")}` : ""
      }${w.text(" Use a name like Asia/Tokyo or America/New_York, e.g. ")}${w.command("tz Europe/Berlin")}${w.text(".")}`;
  }
}
