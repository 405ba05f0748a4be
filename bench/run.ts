// `npm run bench`: every benchmark, one table. Targets are checked here, not in timed tests.
// `npm run bench -- commands agenda` runs only those groups; `commands.latency` (or `.start`, `.memory`, `.scale`)
// only that part of the command group, for iterating on one row without loading a shared machine for minutes.
import { benchAgenda } from "./agenda.js";
import type { BenchRow } from "./bench-row.js";
import { benchCalendar } from "./calendar.js";
import { benchCommands } from "./commands.js";
import { benchQuestions } from "./questions.js";
import { benchReminders } from "./reminders.js";
import { benchReplicas } from "./replicas.js";

function printTable(rows: BenchRow[]): void {
  const header = ["benchmark", "value", "unit", "target", ""];
  const verdict = (r: BenchRow) => (r.pass === undefined ? "" : r.pass ? "pass" : "FAIL");
  const cells = rows.map((r) => [r.name, r.value.toFixed(r.value < 10 ? 2 : 1), r.unit, r.target ?? "", verdict(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] as string).length)));
  const line = (c: string[]) =>
    `| ${c.map((v, i) => (i === 1 ? v.padStart(widths[i] as number) : v.padEnd(widths[i] as number))).join(" | ")} |`;
  process.stdout.write(`${line(header)}\n| ${widths.map((w) => "-".repeat(w)).join(" | ")} |\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

const asked = process.argv.slice(2);
/** The parts of `group` asked for: undefined when the group is not asked for, empty when all of it is. */
function partsOf(group: string): string[] | undefined {
  if (asked.length === 0 || asked.includes(group)) return [];
  const parts = asked.filter((a) => a.startsWith(`${group}.`)).map((a) => a.slice(group.length + 1));
  return parts.length ? parts : undefined;
}
// The groups that time other processes from this one run first, while this process is fresh: the in-process
// groups leave hundreds of MB behind, and this process's collector then paused in the middle of the requests it
// sends, on one app's round or the other's (the command rows' p99 ratios swung by ±0.4 when run last).
const groups: [string, (parts: string[]) => BenchRow[] | Promise<BenchRow[]>][] = [
  ["commands", (parts) => benchCommands(parts)],
  ["replicas", () => benchReplicas()],
  ["calendar", () => benchCalendar()],
  ["reminders", () => benchReminders()],
  ["agenda", () => benchAgenda()],
  ["questions", () => benchQuestions()],
];
const unknown = asked.filter((a) => !groups.some(([name]) => a === name || a.startsWith(`${name}.`)));
if (unknown.length) {
  process.stderr.write(`unknown bench group ${unknown.join(", ")}; groups: ${groups.map(([n]) => n).join(", ")}\n`);
  process.exit(2);
}
const rows: BenchRow[] = [];
for (const [name, bench] of groups) {
  const parts = partsOf(name);
  if (parts) rows.push(...(await bench(parts)));
}
printTable(rows);
