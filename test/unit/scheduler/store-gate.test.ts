// A replica whose database does not answer runs no job (so claims nothing), says so once, and resumes when it is back.
import { describe, expect, it } from "vitest";
import type { StoreHealth } from "../../../src/app/ports.js";
import { pausedWhileStoreDown } from "../../../src/scheduler/store-gate.js";
import { MemoryLog } from "../../support/memory-log.js";

describe("pausedWhileStoreDown", () => {
  it("skips every job while the store is unreachable, logs the loss and the return once each", async () => {
    let health: StoreHealth = { ok: true };
    let checks = 0;
    const store = {
      async health() {
        checks += 1;
        return health;
      },
    };
    const runs: string[] = [];
    const log = new MemoryLog();
    const jobs = pausedWhileStoreDown(
      ["reminders", "notes"].map((name) => ({ name, run: async () => void runs.push(name) })),
      store,
      log,
    );
    const tick = () => Promise.all(jobs.map((job) => job.run()));

    await tick();
    expect(runs).toEqual(["reminders", "notes"]);
    expect(checks).toBe(1); // one check serves the jobs of one tick

    health = { ok: false, problem: "PostgreSQL unreachable: connect ECONNREFUSED" };
    await tick();
    await tick();
    expect(runs).toEqual(["reminders", "notes"]);
    expect(log.messages("error")).toEqual(["database unreachable: claiming no reminders or notes until it is back"]);

    health = { ok: true };
    await tick();
    expect(runs).toEqual(["reminders", "notes", "reminders", "notes"]);
    expect(log.messages("info")).toEqual(["database reachable again: resuming reminders and notes"]);
  });
});
