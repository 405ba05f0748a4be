// Deep links into a meeting recording. Only YouTube takes a start time in the URL; Google Drive and BlueJeans
// recordings are linked as a whole by the caller.

const YOUTUBE_ID = /^[A-Za-z0-9_-]{11}$/;
const YOUTUBE_HOSTS = new Set(["youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"]);
const YOUTUBE_NOCOOKIE_HOSTS = new Set(["youtube-nocookie.com", "www.youtube-nocookie.com"]);

/** The video id of any YouTube URL form (watch?v=, youtu.be/, /live/, /embed/, /shorts/, /v/). */
export function youtubeVideoId(recordingUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(recordingUrl.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const host = url.hostname.toLowerCase();
  const pathParts = url.pathname.split("/").filter((part) => part !== "");
  let id: string | undefined;
  if (host === "youtu.be" || host === "www.youtu.be") {
    id = pathParts[0];
  } else if (YOUTUBE_HOSTS.has(host) || YOUTUBE_NOCOOKIE_HOSTS.has(host)) {
    if (pathParts[0] === "watch") id = url.searchParams.get("v") ?? undefined;
    else if (["live", "embed", "shorts", "v", "e"].includes(pathParts[0] ?? "")) id = pathParts[1];
  }
  return id !== undefined && YOUTUBE_ID.test(id) ? id : undefined;
}

/** `https://youtu.be/ID?t=SECONDS` for YouTube recordings; undefined when the recording cannot be deep-linked. */
export function recordingLinkAt(recordingUrl: string, seconds: number): string | undefined {
  if (!Number.isFinite(seconds) || seconds < 0) return undefined;
  const id = youtubeVideoId(recordingUrl);
  return id === undefined ? undefined : `https://youtu.be/${id}?t=${Math.floor(seconds)}`;
}
