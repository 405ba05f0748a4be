import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrations } from "../../src/adapters/postgres/migrations.js";
import { PostgresStore } from "../../src/adapters/postgres/postgres-store.js";
import { type PostgresServer, startPostgresServer } from "../support/postgres-server.js";
import { describeWithPostgres } from "../support/postgres-suite.js";
import { storeContract } from "./store.contract.js";

describeWithPostgres("PostgresStore", () => {
  let server: PostgresServer;
  let url: string;

  beforeAll(async () => {
    server = await startPostgresServer();
    url = await server.createDatabase();
  });

  afterAll(async () => {
    await server?.remove();
  });

  // One migrated database, emptied before each test: faster than a database per test, same isolation.
  storeContract("PostgresStore", async () => {
    const store = await PostgresStore.open(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(
        "TRUNCATE topics, reminders, notes_watch, inbound_events, user_zones, chosen_user_zones, deliveries, chat_state, subscriptions, schedule_notices, notice_outbox RESTART IDENTITY",
      );
    } finally {
      await admin.end();
    }
    return store;
  });

  describe("migrations", () => {
    it("applies each migration once when two replicas start together on an empty database", async () => {
      const fresh = await server.createDatabase();
      const replicas = await Promise.all([PostgresStore.open(fresh), PostgresStore.open(fresh)]);
      try {
        const applied = replicas.map((store) => store.migration.applied).sort((a, b) => a.length - b.length);
        expect(applied).toEqual([[], migrations.map((m) => m.version)]);
        const admin = new pg.Client({ connectionString: fresh });
        await admin.connect();
        try {
          const recorded = await admin.query("SELECT version FROM cabalbot_schema_migrations ORDER BY version");
          expect(recorded.rows.map((row) => row.version)).toEqual(migrations.map((m) => m.version));
        } finally {
          await admin.end();
        }
      } finally {
        for (const store of replicas) store.close();
      }
    });
  });
});
