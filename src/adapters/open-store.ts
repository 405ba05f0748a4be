// Which store CABALBOT_DB names: a postgres:// URL is a PostgreSQL server shared by replicas; anything else is
// the path of a SQLite file (the default, for one process).
import type { Store } from "../app/ports.js";

export type StoreKind = "postgres" | "sqlite";

export function storeKind(database: string): StoreKind {
  return /^postgres(ql)?:\/\//i.test(database) ? "postgres" : "sqlite";
}

/** Loads only the store it opens: the other one's driver would cost memory and start time for nothing. */
export async function openStore(database: string): Promise<Store> {
  if (storeKind(database) === "postgres") {
    const { PostgresStore } = await import("./postgres/postgres-store.js");
    return PostgresStore.open(database);
  }
  const { SqliteStore } = await import("./sqlite/sqlite-store.js");
  return SqliteStore.open(database);
}
