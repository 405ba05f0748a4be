// Plain text of `cabalbot preview`: one line per planned message, its time in the meeting's zone and in UTC.
import type { PlannedItem, SchedulePreview } from "../../app/preview-schedule.js";
import { describeDuration } from "../../domain/duration.js";
import { zoneTimes } from "../../domain/time-render.js";

/** "2026-11-30 11:00 EST (UTC-5)"; the offset alone where the zone database has no letters for the zone. */
function inZone(instant: Date, zone: string): string {
  const [local] = zoneTimes(instant, zone, []);
  if (!local) return "";
  const lettered = local.abbreviation !== "" && !/^GMT[+-]/.test(local.abbreviation);
  return `${local.date} ${local.time} ${lettered ? `${local.abbreviation} (${local.utcOffset})` : local.utcOffset}`;
}

/** "2026-11-30 16:00 UTC". */
function inUtc(instant: Date): string {
  return `${instant.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function whatText(item: PlannedItem, from: Date): string {
  const meetingAt = `${item.occurrence.date} ${item.occurrence.time}`;
  if (item.kind === "reminder") return `reminder ${describeDuration(item.leadMs)} before the meeting of ${meetingAt}`;
  const zone = item.meeting.timezone;
  const already = item.at.getTime() < from.getTime() ? " (started already)" : "";
  return (
    `notes of the meeting of ${meetingAt}: looked for every ${describeDuration(item.pollEveryMs)}${already} ` +
    `until ${inZone(item.until, zone)} = ${inUtc(item.until)}, announced once found`
  );
}

/** One planned message; `from` is the preview's start (a notes window may have opened before it). */
export function previewLine(item: PlannedItem, from: Date): string {
  const what = whatText(item, from);
  return `${inZone(item.at, item.meeting.timezone)} = ${inUtc(item.at)}  ${item.meeting.id.padEnd(10)} ${what}`;
}

export function renderPreviewText(preview: SchedulePreview): string {
  const span = `the next ${preview.days} day${preview.days === 1 ? "" : "s"} (${inUtc(preview.from)} to ${inUtc(preview.until)})`;
  if (preview.items.length === 0) return `Nothing to send in ${span}.\n`;
  return `Reminders and notes announcements of ${span}:\n${preview.items.map((item) => `${previewLine(item, preview.from)}\n`).join("")}`;
}
