// Suites that need a real PostgreSQL server: run where one can be started, skipped with one line elsewhere,
// and failed under CI=true (CI must prove the PostgreSQL store, never skip it).
import { describe, it } from "vitest";
import { HOW_TO_ENABLE, postgresAvailability } from "./postgres-server.js";

let skipNoticeShown = false;

/**
 * `describe` for suites that need a real server. Where none can be started the suite is skipped with one line
 * saying how to enable it; under CI=true that is a failure instead.
 */
export function describeWithPostgres(name: string, suite: () => void): void {
  const availability = postgresAvailability();
  if (availability.ok) {
    describe(name, suite);
    return;
  }
  const line = `PostgreSQL suites skipped: ${availability.reason}; to run them, ${HOW_TO_ENABLE}`;
  if (process.env.CI === "true") {
    describe(name, () => {
      it("needs a PostgreSQL server (CI must not skip it)", () => {
        throw new Error(line);
      });
    });
    return;
  }
  if (!skipNoticeShown) {
    skipNoticeShown = true;
    process.stderr.write(`${line}\n`);
  }
  describe.skip(name, suite);
}
