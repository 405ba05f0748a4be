// Which store CABALBOT_DB names: a postgres:// URL is a PostgreSQL server shared by replicas; anything else is
// the path of a SQLite file (the default, for one process).
import type { Store } from "../app/ports.js";
import { PostgresStore } from "./postgres/postgres-store.js";
import { SqliteStore } from "./sqlite/sqlite-store.js";

export type StoreKind = "postgres" | "sqlite";

export function storeKind(database: string): StoreKind {
  return /^postgres(ql)?:\/\//i.test(database) ? "postgres" : "sqlite";
}

export async function openStore(database: string): Promise<Store> {
  return storeKind(database) === "postgres" ? PostgresStore.open(database) : SqliteStore.open(database);
}
