// Remembered results of pure functions, bounded. Hand-written rather than an LRU package: the keys are instants and
// dates that pass and never come back, so forgetting the oldest-inserted entry is as good as the least recently used
// one, and a Map does that in a few lines.

/** Results of a pure computation by key; past `limit` entries the oldest is forgotten. */
export class BoundedMemo<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K, compute: () => V): V {
    const known = this.entries.get(key);
    if (known !== undefined || this.entries.has(key)) return known as V;
    const value = compute();
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value as K);
    this.entries.set(key, value);
    return value;
  }

  get size(): number {
    return this.entries.size;
  }
}
