// A Logger that keeps what it is told, so tests can assert what was logged.
import type { Logger } from "../../src/app/ports.js";

export class MemoryLog implements Logger {
  readonly entries: { level: string; fields: object; message: string }[] = [];
  debug(fields: object, message: string) {
    this.entries.push({ level: "debug", fields, message });
  }
  info(fields: object, message: string) {
    this.entries.push({ level: "info", fields, message });
  }
  warn(fields: object, message: string) {
    this.entries.push({ level: "warn", fields, message });
  }
  error(fields: object, message: string) {
    this.entries.push({ level: "error", fields, message });
  }
  messages(level: string): string[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }
}
