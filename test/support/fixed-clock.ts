// A clock tests move by hand.
import type { Clock } from "../../src/app/ports.js";

export class FixedClock implements Clock {
  private ms: number;

  constructor(start: Date | string) {
    this.ms = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.ms);
  }

  set(instant: Date | string): void {
    this.ms = new Date(instant).getTime();
  }

  advance(ms: number): void {
    this.ms += ms;
  }
}
