// A NotesFetcher answering from a script: per URL, a queue of answers (the last one repeats); records every request.
import type { FetchConditions, NotesFetcher, NotesFetchResult } from "../../src/app/notes-source.js";

export class FakeNotesFetcher implements NotesFetcher {
  readonly requests: { url: string; conditions: FetchConditions }[] = [];
  private readonly answers = new Map<string, NotesFetchResult[]>();

  /** Answers for `url`, in order; the last one is repeated. Unscripted URLs are missing (404). */
  script(url: string, ...answers: NotesFetchResult[]): void {
    this.answers.set(url, answers);
  }

  async fetch(url: string, conditions: FetchConditions): Promise<NotesFetchResult> {
    this.requests.push({ url, conditions });
    const queue = this.answers.get(url);
    if (!queue || queue.length === 0) return { kind: "missing" };
    return (queue.length > 1 ? queue.shift() : queue[0]) as NotesFetchResult;
  }

  requestsFor(url: string): { url: string; conditions: FetchConditions }[] {
    return this.requests.filter((r) => r.url === url);
  }
}
