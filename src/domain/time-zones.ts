// Reading IANA zone names written by people (config, --tz, questions), with a suggestion when they wrote
// something else. Every place that reads a zone goes through readTimeZone, so they all agree.
import { nearestName } from "./nearest-name.js";

/** Abbreviations people write instead of a zone; they are not zones (EDT has no rules for winter). */
const ABBREVIATION_ZONES: Record<string, string> = {
  ET: "America/New_York",
  EST: "America/New_York",
  EDT: "America/New_York",
  EASTERN: "America/New_York",
  CT: "America/Chicago",
  CST: "America/Chicago",
  CDT: "America/Chicago",
  MT: "America/Denver",
  MST: "America/Denver",
  MDT: "America/Denver",
  PT: "America/Los_Angeles",
  PST: "America/Los_Angeles",
  PDT: "America/Los_Angeles",
  PACIFIC: "America/Los_Angeles",
  BST: "Europe/London",
  CET: "Europe/Berlin",
  CEST: "Europe/Berlin",
  IST: "Asia/Kolkata",
  JST: "Asia/Tokyo",
  AEST: "Australia/Sydney",
  AEDT: "Australia/Sydney",
};

const FIXED_OK = ["UTC", "Etc/UTC", "GMT", "Etc/GMT"];

/**
 * Current names of renamed zones. Node 20's ICU lists only the old ones (Asia/Calcutta, Europe/Kiev) in
 * Intl.supportedValuesOf, though it accepts both; listed first so that suggestions use today's name.
 */
const RENAMED_ZONES = [
  "Asia/Kolkata",
  "Europe/Kyiv",
  "Asia/Ho_Chi_Minh",
  "Asia/Kathmandu",
  "Asia/Yangon",
  "America/Nuuk",
  "Pacific/Kanton",
];

/** What Intl makes of a name (case-insensitive, links resolved), or undefined when it knows no such zone. */
function intlZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

let zoneList: { names: string[]; exact: Set<string>; byUpperCase: Map<string, string> } | undefined;
function knownZones() {
  if (!zoneList) {
    const names = [
      ...FIXED_OK,
      ...RENAMED_ZONES.filter((zone) => intlZone(zone) !== undefined),
      ...Intl.supportedValuesOf("timeZone"),
    ];
    const byUpperCase = new Map<string, string>();
    for (const zone of names) if (!byUpperCase.has(zone.toUpperCase())) byUpperCase.set(zone.toUpperCase(), zone);
    zoneList = { names, exact: new Set(names), byUpperCase };
  }
  return zoneList;
}

export type TimeZoneReading = { ok: true; zone: string } | { ok: false; problem: string; suggestion?: string };

/**
 * Reads a zone as a person wrote it. Accepted: a region-based IANA name spelled as the zone database
 * spells it (`America/New_York`, `Asia/Kolkata`, `Etc/GMT+5`) or UTC. Refused, with the likely zone:
 * abbreviations (`EDT`), legacy names (`EST5EDT`), wrong case (`europe/berlin`), cities (`tokyo`) and
 * typos (`America/New_Yrok`, `Asia/Tokio`).
 */
export function readTimeZone(text: string): TimeZoneReading {
  const name = text.trim();
  if (isIanaTimeZone(name)) return { ok: true, zone: name };
  const suggestion = suggestTimeZone(name);
  const quoted = JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
  return {
    ok: false,
    problem: `${quoted} is not an IANA time zone${suggestion ? ` (did you mean ${suggestion}?)` : " (expected a name like America/New_York)"}`,
    suggestion,
  };
}

/** True for a zone readTimeZone accepts as written. */
export function isIanaTimeZone(name: string): boolean {
  const zones = knownZones();
  if (zones.exact.has(name)) return true;
  // Intl ignores case, so wrong case is caught here: a listed zone in other letters (EUROPE/BERLIN), or a
  // part not starting with a capital (europe/berlin) where the zone database capitalises every part.
  if (zones.byUpperCase.has(name.toUpperCase())) return false;
  if (!name.includes("/") || !name.split("/").every((part) => /^[A-Z]/.test(part))) return false;
  // Zones Intl knows but does not list: tzdata's names that ICU keeps as links
  // (America/Argentina/Buenos_Aires), Etc/GMT+5, and backward links such as US/Eastern.
  return intlZone(name) !== undefined;
}

/** A likely intended zone for a wrong name ("EDT" → America/New_York, "Asia/Tokio" → Asia/Tokyo). */
export function suggestTimeZone(name: string): string | undefined {
  const upper = name.trim().toUpperCase();
  if (upper.length > 64) return undefined; // no zone name is this long; spare the edit distances
  if (ABBREVIATION_ZONES[upper]) return ABBREVIATION_ZONES[upper];
  const wanted = upper.replace(/[\s-]+/g, "_");
  const zones = knownZones();
  const sameLetters = zones.byUpperCase.get(wanted);
  if (sameLetters) return sameLetters;
  const resolved = intlZone(name.trim());
  if (resolved && isIanaTimeZone(resolved)) return resolved;
  const city = (zone: string) => zone.split("/").pop() ?? zone;
  const sameCity = zones.names.find((zone) => zone.includes("/") && city(zone).toUpperCase() === city(wanted));
  if (sameCity) return sameCity;
  if (wanted.includes("/")) return nearestName(wanted, zones.names, Math.max(2, Math.floor(wanted.length / 6)));
  // Only a city was written: compare it with the cities, strictly (among ~600 names, two edits
  // already turn "server" into Denver).
  const cities = zones.names.filter((zone) => zone.includes("/"));
  const nearestCity = nearestName(wanted, cities.map(city), Math.max(1, Math.floor(wanted.length / 4)));
  return nearestCity && cities.find((zone) => city(zone) === nearestCity);
}
