/**
 * Typed errors of the storage layer.
 *
 * @module
 */
import { VraindexError } from "../errors/mod.ts";
import type { DbKind } from "./types.ts";

/** Longest SQL text kept in error details (the rest is elided). */
const SQL_DETAIL_LIMIT = 2_000;

/** Shortens SQL for messages and details: bulk INSERTs can be megabytes long. */
export function clipSql(sql: string): string {
  return sql.length <= SQL_DETAIL_LIMIT
    ? sql
    : `${sql.slice(0, SQL_DETAIL_LIMIT)}… (${sql.length} chars)`;
}

/**
 * A statement failed in DuckDB (syntax, constraint, conversion, I/O…). `details.sql` holds the
 * statement (clipped), `cause` the back end's own error.
 *
 * @example
 * ```ts
 * import { DbQueryError } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * try {
 *   await db.query("SELEC 1");
 * } catch (error) {
 *   console.log(error instanceof DbQueryError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class DbQueryError extends VraindexError<{
  sql: string;
  kind: DbKind;
  /** The back end's message. */
  reason: string;
}> {
  /** Stable error name. */
  override readonly name = "DbQueryError";
}

/**
 * A transaction could not start, commit or roll back, or was used wrongly: nested, concurrent on one
 * handle, or a handle used after its transaction ended.
 *
 * @example
 * ```ts
 * import { DbTransactionError } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * try {
 *   await db.transaction((tx) => tx.transaction(() => Promise.resolve()));
 * } catch (error) {
 *   console.log(error instanceof DbTransactionError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class DbTransactionError extends VraindexError<{
  kind: DbKind;
  reason:
    | "nested"
    | "concurrent"
    | "finished"
    | "close"
    | "begin"
    | "commit"
    | "rollback"
    | "required";
}> {
  /** Stable error name. */
  override readonly name = "DbTransactionError";
}

/**
 * The database was written by a newer vraindex schema than this code knows: refusing to touch it
 * rather than misreading it.
 *
 * @example
 * ```ts
 * import { DbSchemaVersionError, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await db.exec("INSERT INTO schema_migrations VALUES (999, 'future', 0)");
 * try {
 *   await migrate(db);
 * } catch (error) {
 *   console.log(error instanceof DbSchemaVersionError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class DbSchemaVersionError extends VraindexError<{
  /** Highest version recorded in the database. */
  found: number;
  /** Highest version this code can migrate to. */
  supported: number;
}> {
  /** Stable error name. */
  override readonly name = "DbSchemaVersionError";
}

/**
 * The database content contradicts itself or is not a vraindex database: a file DuckDB cannot open,
 * vraindex tables without a migrations record, or a stored hash that does not match its data.
 *
 * @example
 * ```ts
 * import { CorruptDatabaseError, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await db.exec("CREATE TABLE raw_events (x INTEGER)");
 * try {
 *   await migrate(db);
 * } catch (error) {
 *   console.log(error instanceof CorruptDatabaseError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class CorruptDatabaseError extends VraindexError<{
  /** File path, or `":memory:"`. */
  path: string;
  /** Table at fault, when one is. */
  table?: string;
  reason: string;
}> {
  /** Stable error name. */
  override readonly name = "CorruptDatabaseError";
}

/**
 * A database could not be opened (missing directory, file locked by another process, no permission).
 * A file that exists but is not a DuckDB database raises `CorruptDatabaseError` instead.
 *
 * @example
 * ```ts
 * import { DbOpenError } from "./mod.ts";
 * import { openDuckDbFile } from "./native.ts";
 * try {
 *   await openDuckDbFile("/nonexistent-dir/x.duckdb");
 * } catch (error) {
 *   console.log(error instanceof DbOpenError); // true
 * }
 * ```
 */
export class DbOpenError extends VraindexError<{ kind: DbKind; path: string; reason: string }> {
  /** Stable error name. */
  override readonly name = "DbOpenError";
}

/**
 * A call on a closed database handle.
 *
 * @example
 * ```ts
 * import { DbClosedError } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await db.close();
 * try {
 *   await db.query("SELECT 1");
 * } catch (error) {
 *   console.log(error instanceof DbClosedError); // true
 * }
 * ```
 */
export class DbClosedError extends VraindexError<{ kind: DbKind; path: string }> {
  /** Stable error name. */
  override readonly name = "DbClosedError";
}

/**
 * The operation is not available on this back end (e.g. Parquet export on duckdb-wasm, whose
 * Parquet support is an extension fetched from the network).
 *
 * @example
 * ```ts
 * import { DbUnsupportedError, exportParquet } from "./mod.ts";
 * import { openDuckDbWasmNode } from "./wasm_node.ts";
 * const db = await openDuckDbWasmNode();
 * try {
 *   await exportParquet(db, "raw_events", "/tmp/x.parquet");
 * } catch (error) {
 *   console.log(error instanceof DbUnsupportedError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class DbUnsupportedError extends VraindexError<{ kind: DbKind; operation: string }> {
  /** Stable error name. */
  override readonly name = "DbUnsupportedError";
}

/**
 * A cursor write would move a sync cursor backwards: only `rollbackAfter` may.
 *
 * @example
 * ```ts
 * import { advanceCursor, DbCursorError, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x0000000000000000000000000000000000000001";
 * await db.transaction((tx) => advanceCursor(tx, { chainId: 1, orderbook, blockNumber: 10n }));
 * try {
 *   await db.transaction((tx) => advanceCursor(tx, { chainId: 1, orderbook, blockNumber: 9n }));
 * } catch (error) {
 *   console.log(error instanceof DbCursorError); // true
 * } finally {
 *   await db.close();
 * }
 * ```
 */
export class DbCursorError extends VraindexError<{
  chainId: number;
  orderbook: string;
  reason: "regression";
  current?: { blockNumber: string; logIndex: number | null };
  requested?: { blockNumber: string; logIndex: number | null };
}> {
  /** Stable error name. */
  override readonly name = "DbCursorError";
}

/**
 * A stored row of the typed event tables that does not read back as written (a value holding a
 * field separator, a row count that does not match, a typed row without its raw log): the
 * database was changed by something other than vraindex. Nothing is skipped.
 *
 * @example
 * ```ts
 * import { TypedEventRowError } from "./errors.ts";
 * const e = new TypedEventRowError("bad row", { table: "takes", blockNumber: "5", reason: "7 fields" });
 * console.log(e.name, e.details.table); // TypedEventRowError takes
 * ```
 */
export class TypedEventRowError extends VraindexError<{
  /** Table the row was read from. */
  table: string;
  blockNumber: string;
  reason: string;
}> {
  /** Stable error name. */
  override readonly name = "TypedEventRowError";
}
