// Items by the instant they next need a look (e.g. each meeting's next notes poll): a tick pops those whose
// instant has come and looks at nothing else. Pure: the caller brings the instants.
import TinyQueue from "tinyqueue";

export class DueQueue<T> {
  private readonly heap = new TinyQueue<{ atMs: number; item: T }>([], (a, b) => a.atMs - b.atMs);

  push(item: T, atMs: number): void {
    this.heap.push({ atMs, item });
  }

  /** Removes and returns every item whose instant is at or before `nowMs`, earliest first. */
  popDue(nowMs: number): T[] {
    const out: T[] = [];
    for (let top = this.heap.peek(); top !== undefined && top.atMs <= nowMs; top = this.heap.peek()) {
      this.heap.pop();
      out.push(top.item);
    }
    return out;
  }

  /** The earliest instant held; undefined when empty. */
  nextMs(): number | undefined {
    return this.heap.peek()?.atMs;
  }

  get size(): number {
    return this.heap.length;
  }
}
