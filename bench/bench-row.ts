/** One line of the benchmark table. */
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** What the value should be, when there is a target ("< 20 µs"). */
  target?: string;
  /** Whether the value meets the target, when there is one. */
  pass?: boolean;
}
