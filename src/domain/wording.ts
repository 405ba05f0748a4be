// How a chat medium writes the pieces of the bot's sentences. The domain composes sentences from plain words
// and data; each adapter supplies its own prefix (`/cabal`, `!cabal`), markup and escaping through this.

export interface Wording {
  /** The bot's own words, escaped for the medium (no markup added). */
  text(own: string): string;
  /** A command without prefix (`topic add <title>`), with the medium's prefix and code markup. */
  command(syntax: string): string;
  /** A word the person typed, escaped and quoted so it cannot become markup, a mention or a link. */
  quote(typed: string): string;
  /** An identifier from the configuration (a meeting id), shown as code. */
  code(id: string): string;
  /** A sentence a person might write to the bot, set apart (italics where the medium has them). */
  example(sentence: string): string;
}

/** Plain text with the given command prefix: what the console prints, and what tests read. */
export function plainWording(prefix: string): Wording {
  return {
    text: (own) => own,
    command: (syntax) => `${prefix} ${syntax}`,
    quote: (typed) => `"${typed}"`,
    code: (id) => id,
    example: (sentence) => sentence,
  };
}
