// Bolt, its Web API client and its receivers log through this adapter, so their warnings become JSON lines of
// the bot's own logger instead of plain `[WARN] …` text mixed into them.
import type { Logger as BoltLogger, LogLevel as BoltLogLevel } from "@slack/bolt";
import type { Logger } from "../../app/ports.js";
import { LogLevel } from "./bolt-app.js";

const SEVERITY: Record<BoltLogLevel, number> = {
  [LogLevel.DEBUG]: 0,
  [LogLevel.INFO]: 1,
  [LogLevel.WARN]: 2,
  [LogLevel.ERROR]: 3,
};

type Write = (fields: object, message: string) => void;

export function boltLogger(log: Logger, initialLevel: BoltLogLevel = LogLevel.WARN): BoltLogger {
  let level = initialLevel;
  let name = "bolt";
  const at =
    (severity: BoltLogLevel, write: Write) =>
    (...parts: unknown[]): void => {
      if (SEVERITY[severity] < SEVERITY[level]) return;
      const error = parts.find((part) => part instanceof Error);
      const text = parts
        .filter((part) => part !== error)
        .map((part) => (typeof part === "string" ? part : JSON.stringify(part)))
        .join(" ");
      write({ component: name, ...(error ? { err: error } : {}) }, text || (error as Error | undefined)?.message || "");
    };
  return {
    debug: at(LogLevel.DEBUG, (fields, message) => log.debug(fields, message)),
    info: at(LogLevel.INFO, (fields, message) => log.info(fields, message)),
    warn: at(LogLevel.WARN, (fields, message) => log.warn(fields, message)),
    error: at(LogLevel.ERROR, (fields, message) => log.error(fields, message)),
    setLevel: (newLevel) => {
      level = newLevel;
    },
    getLevel: () => level,
    setName: (newName) => {
      name = newName;
    },
  };
}
