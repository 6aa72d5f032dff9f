/**
 * Parquet export of a table (native back end: duckdb-wasm's Parquet support is an extension it
 * would fetch from the network).
 *
 * @module
 */
import { DbUnsupportedError } from "./errors.ts";
import { CHAIN_EVENT_KEYS } from "./schema.ts";
import { quoteIdent, quoteString } from "./sql.ts";
import type { Db } from "./types.ts";

const COMPRESSIONS: readonly string[] = ["zstd", "snappy", "gzip", "uncompressed"];

/** Options of {@link exportParquet}. */
export type ExportParquetOptions = {
  /** Only this chain's rows (tables with a `chain_id` column). */
  chainId?: number;
  /** Parquet compression codec (default `zstd`). */
  compression?: "zstd" | "snappy" | "gzip" | "uncompressed";
};

/**
 * Writes a table to a Parquet file (replacing it), in key order (the writer's key for chain-event
 * tables, the primary key for others).
 *
 * @returns The number of rows written.
 * @throws {DbUnsupportedError} on duckdb-wasm.
 *
 * @example
 * ```ts
 * import { exportParquet, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const dir = await Deno.makeTempDir();
 * console.log(await exportParquet(db, "raw_events", `${dir}/raw_events.parquet`)); // 0
 * await db.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function exportParquet(
  db: Db,
  table: string,
  path: string,
  options: ExportParquetOptions = {},
): Promise<number> {
  if (db.kind === "wasm-memory") {
    throw new DbUnsupportedError(
      "exportParquet needs the native back end (duckdb-wasm loads Parquet from the network)",
      { kind: db.kind, operation: "exportParquet" },
    );
  }
  const compression = options.compression ?? "zstd";
  if (!COMPRESSIONS.includes(compression)) {
    throw new TypeError(`unknown Parquet compression ${JSON.stringify(compression)}`);
  }
  const source = quoteIdent(table);
  // Chain-event tables are keyed by their writer (no PRIMARY KEY since schema version 4).
  const keys = CHAIN_EVENT_KEYS[table]?.map((name) => ({ name })) ??
    await db.query<{ name: string }>(
      `SELECT name FROM pragma_table_info(${quoteString(table)}) WHERE pk ORDER BY cid`,
    );
  const where = options.chainId === undefined
    ? ""
    : ` WHERE chain_id = ${BigInt(options.chainId).toString()}`;
  const order = keys.length === 0
    ? ""
    : ` ORDER BY ${keys.map((k) => quoteIdent(k.name)).join(", ")}`;
  const rows = await db.query<{ Count: bigint }>(
    `COPY (SELECT * FROM ${source}${where}${order}) TO ${quoteString(path)} ` +
      `(FORMAT parquet, COMPRESSION ${compression})`,
  );
  return Number(rows[0]?.Count ?? 0n);
}
