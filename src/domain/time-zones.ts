// Validating IANA zone names written by people, with a suggestion when they wrote something else.

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

const FIXED_OK = new Set(["UTC", "Etc/UTC", "GMT", "Etc/GMT"]);

let canonicalZones: string[] | undefined;
function knownZones(): string[] {
  canonicalZones ??= Intl.supportedValuesOf("timeZone");
  return canonicalZones;
}

/**
 * True for a region-based IANA zone Intl knows (`America/New_York`, `Asia/Calcutta`) or UTC.
 * Legacy all-caps names (`EST`, `EST5EDT`) are refused: they do not follow a region's rules.
 */
export function isIanaTimeZone(name: string): boolean {
  if (FIXED_OK.has(name)) return true;
  if (!name.includes("/") || /^[A-Z0-9+-]+$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** A likely intended zone for a wrong name ("EDT" → America/New_York, "tokyo" → Asia/Tokyo). */
export function suggestTimeZone(name: string): string | undefined {
  const upper = name.trim().toUpperCase();
  if (ABBREVIATION_ZONES[upper]) return ABBREVIATION_ZONES[upper];
  const wanted = upper.replace(/[\s-]+/g, "_");
  const zones = knownZones();
  return (
    zones.find((zone) => zone.toUpperCase() === wanted) ??
    zones.find((zone) => zone.toUpperCase().split("/").pop() === wanted.split("/").pop())
  );
}
