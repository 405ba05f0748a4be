// Zones people name in a question: "in Tokyo time", "in new york", "in Europe/Berlin", "in UTC".

let zonesByPlace: Map<string, string> | undefined;
let regions: string[] | undefined;

/** Intl's own name for a zone it accepts (it matches case-insensitively and knows old aliases), else undefined. */
function acceptedZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** "asia/kolkata" → "Asia/Kolkata": the spelling people expect to read back. */
function capitalised(name: string): string {
  return name.replace(/(^|[/_-])([a-z])/g, (_, separator: string, letter: string) => separator + letter.toUpperCase());
}

/**
 * The IANA zone a person means by a place or a zone name, or undefined. A place is matched against the last
 * segment of every zone Intl lists ("tokyo" → Asia/Tokyo); Intl's list keeps some old names (Asia/Calcutta),
 * so a place it does not list is also tried under each region ("kolkata" → Asia/Kolkata).
 */
export function zoneNamed(text: string): string | undefined {
  const wanted = text.trim().toLowerCase().replace(/\s+/g, "_");
  if (!/^[a-z][a-z0-9_/+-]*$/.test(wanted)) return undefined;
  if (wanted === "utc" || wanted === "gmt") return "UTC";
  if (wanted.includes("/")) {
    const accepted = acceptedZone(wanted);
    if (!accepted) return undefined;
    return accepted.toLowerCase() === wanted ? accepted : capitalised(wanted);
  }
  if (!zonesByPlace) {
    const zones = Intl.supportedValuesOf("timeZone").filter((zone) => zone.includes("/"));
    zonesByPlace = new Map(zones.map((zone) => [(zone.split("/").pop() as string).toLowerCase(), zone]));
    regions = [...new Set(zones.map((zone) => zone.split("/")[0] as string))];
  }
  const listed = zonesByPlace.get(wanted);
  if (listed) return listed;
  for (const region of regions ?? []) {
    const candidate = `${region}/${capitalised(wanted)}`;
    if (acceptedZone(candidate)) return candidate;
  }
  return undefined;
}
