// HTML for Matrix's `formatted_body`, built only from escaped text: what a person typed can never become a tag,
// an attribute, a link or a mention pill. A dozen lines, so no library.

import type { Wording } from "../../domain/wording.js";

declare const madeHere: unique symbol;
/** HTML made by this module from escaped text; the brand keeps other code from passing a raw string as `Html`. */
export type Html = { readonly html: string; readonly [madeHere]: true };

function trusted(markup: string): Html {
  return { html: markup } as Html;
}

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Escapes `& < > " '` so that the text shows as typed, in element content and in quoted attributes alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/**
 * Builds HTML from a template whose literal parts are the program's own markup; every interpolated value is
 * escaped unless it is already `Html` (made by this function), so `html\`<b>${title}</b>\`` is always safe.
 */
export function html(strings: TemplateStringsArray, ...values: (string | number | Html)[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, i) => {
    out += typeof value === "object" ? value.html : escapeHtml(String(value));
    out += strings[i + 1] ?? "";
  });
  return trusted(out);
}

/** Joins pieces of `Html` with a separator written by the program (e.g. `<br>`). */
export function joinHtml(parts: Html[], separator: Html = trusted("")): Html {
  return trusted(parts.map((p) => p.html).join(separator.html));
}

/** Plain text as HTML: escaped, with its line breaks kept. */
export function htmlFromText(text: string): Html {
  return trusted(escapeHtml(text).replace(/\r?\n/g, "<br>"));
}

/** Escapes every piece through `clean`; commands and ids become `<code>`, example questions `<em>`. */
function escapingWording(prefix: string, clean: (text: string) => string): Wording {
  const text = (own: string) => escapeHtml(clean(own));
  return {
    text,
    command: (syntax) => `<code>${text(`${prefix} ${syntax}`)}</code>`,
    quote: (typed) => `&quot;${text(typed)}&quot;`,
    code: (id) => `<code>${text(id)}</code>`,
    example: (sentence) => `<em>${text(sentence)}</em>`,
  };
}

/**
 * A sentence the domain composes through a `Wording` (help, refusals, `tz` answers), as HTML. The domain only
 * ever joins what the wording returned, and this wording escapes every piece, so the result is this module's
 * own escaped markup.
 */
export function htmlFromWording(
  prefix: string,
  clean: (text: string) => string,
  compose: (w: Wording) => string,
): Html {
  return trusted(compose(escapingWording(prefix, clean)));
}

/** The same for a list of sentences (the usage lines). */
export function htmlListFromWording(
  prefix: string,
  clean: (text: string) => string,
  compose: (w: Wording) => string[],
): Html[] {
  return compose(escapingWording(prefix, clean)).map(trusted);
}
