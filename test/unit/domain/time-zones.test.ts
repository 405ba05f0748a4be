// Zone names as people write them: what is accepted as written, and what is suggested instead.
import { describe, expect, it } from "vitest";
import { isIanaTimeZone, readTimeZone } from "../../../src/domain/time-zones.js";

describe("readTimeZone", () => {
  it.each([
    "America/New_York",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Calcutta",
    "Europe/Kyiv",
    "America/Argentina/Buenos_Aires",
    "America/Port-au-Prince",
    "Etc/GMT+5",
    "UTC",
  ])("accepts %s as written", (zone) => {
    expect(readTimeZone(zone)).toEqual({ ok: true, zone });
  });

  it("trims the spaces around a zone", () => {
    expect(readTimeZone("  Europe/Berlin ")).toEqual({ ok: true, zone: "Europe/Berlin" });
  });

  it.each([
    ["America/New_Yrok", "America/New_York"],
    ["Asia/Tokio", "Asia/Tokyo"],
    ["europe/berlin", "Europe/Berlin"],
    ["Europe/berlin", "Europe/Berlin"],
    ["EUROPE/BERLIN", "Europe/Berlin"],
    ["asia/kolkata", "Asia/Kolkata"],
    ["Europe/Kyev", "Europe/Kyiv"],
    ["America/Sao_Paolo", "America/Sao_Paulo"],
    ["America/New York", "America/New_York"],
    ["tokyo", "Asia/Tokyo"],
    ["Tokio", "Asia/Tokyo"],
    ["new york", "America/New_York"],
    ["Los Angelos", "America/Los_Angeles"],
    ["EDT", "America/New_York"],
    ["IST", "Asia/Kolkata"],
    ["EST5EDT", "America/New_York"],
    ["utc", "UTC"],
  ])("refuses %s and suggests %s", (typed, zone) => {
    expect(readTimeZone(typed)).toEqual({
      ok: false,
      problem: `${JSON.stringify(typed)} is not an IANA time zone (did you mean ${zone}?)`,
      suggestion: zone,
    });
    expect(isIanaTimeZone(typed)).toBe(false);
  });

  it.each(["banana", "server", "Mars/Olympus", "GMT+2", ""])("suggests nothing far-fetched for %j", (typed) => {
    expect(readTimeZone(typed)).toEqual({
      ok: false,
      problem: `${JSON.stringify(typed)} is not an IANA time zone (expected a name like America/New_York)`,
      suggestion: undefined,
    });
  });

  it("shortens a very long name in the message", () => {
    const reading = readTimeZone("x".repeat(500));
    expect(!reading.ok && reading.problem).toBe(
      `"${"x".repeat(60)}…" is not an IANA time zone (expected a name like America/New_York)`,
    );
  });
});
