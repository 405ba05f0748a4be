// Long lists in replies come a page at a time, so a reply stays within what chats accept (Slack: 50 blocks, 3,000
// characters a section) and costs the same however long the list grows.
import type { Wording } from "./wording.js";

/** Topics a `topic list` reply shows: each fits one section even at its longest, so a page stays under 50 blocks. */
export const AGENDA_PAGE_SIZE = 25;
/** Meetings a `next` reply shows: two blocks each at most (times, a drift line), under 50 with the rest. */
export const UPCOMING_PAGE_SIZE = 20;

/** Which part of a list a reply shows. */
export interface Page {
  /** From 1. */
  number: number;
  /** How many pages the list has (at least 1, even when empty). */
  count: number;
  /** Items in the whole list. */
  total: number;
  /** Items before this page: the first one shown is item `offset + 1`. */
  offset: number;
}

/** The page asked for (the last one when asked for a later page) of a list of `total` items. */
export function pageOf(total: number, size: number, asked = 1): Page {
  const count = Math.max(1, Math.ceil(total / size));
  const number = Math.min(Math.max(1, Math.floor(asked)), count);
  return { number, count, total, offset: (number - 1) * size };
}

/**
 * "Topics 26–50 of 10000. 9950 more: `/cabal cabal topic list 3`", or nothing when the list fits one page.
 * `command` is the listing command without prefix; the next page's number is added to it.
 */
export function describeMore(page: Page, shown: number, what: string, command: string, w: Wording): string | undefined {
  if (page.count <= 1) return undefined;
  const range = shown === 0 ? "" : `${page.offset + 1}–${page.offset + shown}`;
  const heading = `${what} ${range} of ${page.total}.`;
  const after = page.total - page.offset - shown;
  if (after <= 0) return `${w.text(`${heading} The first page: `)}${w.command(command)}`;
  return `${w.text(`${heading} ${after} more: `)}${w.command(`${command} ${page.number + 1}`)}`;
}

/**
 * "Topics 1–40 of 300. 260 more: `/cabal cabal topic list 2`": for a list shown from its start (a reminder's agenda)
 * that stopped after `shown` items; the command's page is the one holding the first item not shown.
 */
export function describeRest(
  shown: number,
  total: number,
  pageSize: number,
  what: string,
  command: string,
  w: Wording,
): string | undefined {
  if (shown >= total) return undefined;
  const range = shown === 0 ? "" : ` 1–${shown}`;
  const next = Math.floor(shown / pageSize) + 1;
  return `${w.text(`${what}${range} of ${total}. ${total - shown} more: `)}${w.command(`${command} ${next}`)}`;
}
