// Durations written in config: "90s", "10m", "1h", "1d".
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a duration like `1d` or `10m`; undefined when the text is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,6})([smhd])$/.exec(text.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

/** Words for a reminder lead time: "1 day", "1 hour", "15 minutes". */
export function describeDuration(ms: number): string {
  const parts: [number, string][] = [
    [UNIT_MS.d, "day"],
    [UNIT_MS.h, "hour"],
    [UNIT_MS.m, "minute"],
    [UNIT_MS.s, "second"],
  ];
  for (const [size, name] of parts) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n} ${name}${n === 1 ? "" : "s"}`;
    }
  }
  return `${Math.round(ms / 1000)} seconds`;
}
