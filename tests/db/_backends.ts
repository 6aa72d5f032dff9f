/**
 * The `Db` implementations the contract suite runs against (native file in process and in a
 * worker thread, native memory, wasm memory), and small helpers.
 */
import { join } from "node:path";
import type { Db, DbKind } from "../../src/db/mod.ts";
import { openDuckDbWasmNode as openDuckDbWasm } from "../../src/db/wasm_node.ts";
import { openDuckDbFile, openDuckDbMemory } from "../../src/db/native.ts";
import { openDuckDbFileInWorker } from "../../src/db/worker.ts";

/** An opened database and how to dispose of it. */
export type Opened = { db: Db; path: string; cleanup(): Promise<void> };

/** One implementation under test; `name` tells the two native-file ones apart. */
export type Backend = { kind: DbKind; name: string; open(): Promise<Opened> };

/** native file (temp dir), the same in a worker thread, native memory, wasm memory. */
export const BACKENDS: readonly Backend[] = [
  {
    kind: "native-file",
    name: "native-file",
    open: async () => {
      const dir = await Deno.makeTempDir({ prefix: "vraindex-db-" });
      const path = join(dir, "test.duckdb");
      const db = await openDuckDbFile(path);
      return {
        db,
        path,
        cleanup: async () => {
          await db.close();
          await Deno.remove(dir, { recursive: true });
        },
      };
    },
  },
  {
    kind: "native-file",
    name: "native-file (worker)",
    open: async () => {
      const dir = await Deno.makeTempDir({ prefix: "vraindex-db-worker-" });
      const path = join(dir, "test.duckdb");
      const db = await openDuckDbFileInWorker(path);
      return {
        db,
        path,
        cleanup: async () => {
          await db.close();
          await Deno.remove(dir, { recursive: true });
        },
      };
    },
  },
  {
    kind: "native-memory",
    name: "native-memory",
    open: async () => {
      const db = await openDuckDbMemory();
      return { db, path: ":memory:", cleanup: () => db.close() };
    },
  },
  {
    kind: "wasm-memory",
    name: "wasm-memory",
    open: async () => {
      const db = await openDuckDbWasm();
      return { db, path: ":memory:", cleanup: () => db.close() };
    },
  },
];

/** Drops every table so a step starts from an empty database (cheaper than reopening wasm). */
export async function resetDb(db: Db): Promise<void> {
  const tables = await db.query<{ table_name: string }>(
    "SELECT table_name FROM duckdb_tables() WHERE NOT temporary",
  );
  for (const { table_name } of tables) await db.exec(`DROP TABLE "${table_name}"`);
}

/** Counts rows of a table (optionally filtered). */
export async function countRows(db: Db, table: string, where = "TRUE"): Promise<number> {
  const rows = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
  return Number(rows[0].n);
}
