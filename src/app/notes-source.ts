// The port for reading a meeting's published notes; the HTTP adapter implements it, tests fake it.

/** Conditions from the previous answer, so an unchanged page costs the server nothing. */
export interface FetchConditions {
  etag?: string;
  lastModified?: string;
}

export type NotesFetchResult =
  | { kind: "found"; body: string; etag?: string; lastModified?: string }
  | { kind: "not-modified" }
  /** 404 or 410: not published yet. */
  | { kind: "missing" }
  | { kind: "error"; message: string; retryAfterMs?: number };

export interface NotesFetcher {
  fetch(url: string, conditions: FetchConditions): Promise<NotesFetchResult>;
}
