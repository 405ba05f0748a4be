// `npm run bench`: every benchmark, one table. Targets are checked here, not in timed tests.
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

const rows: BenchRow[] = [
  ...benchCalendar(),
  ...(await benchReminders()),
  ...(await benchAgenda()),
  ...(await benchQuestions()),
  ...(await benchCommands()),
  ...(await benchReplicas()),
];
printTable(rows);
