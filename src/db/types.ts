/**
 * The storage seam: one `Db` interface that the native DuckDB binding (files, Deno/Node) and
 * duckdb-wasm (browsers, memory) both implement, so every repository function runs on either.
 *
 * @module
 */

/**
 * A value in a row returned by {@link Db.query}, and a value given to {@link Db.appendRows}.
 *
 * The mapping is the same on both back ends:
 * - `BOOLEAN` → `boolean`;
 * - `TINYINT`…`INTEGER` and `UTINYINT`…`UINTEGER`, `FLOAT`, `DOUBLE` → `number`;
 * - `BIGINT`, `UBIGINT`, `HUGEINT` → `bigint` (so `count(*)` and `sum(...)` are bigints);
 * - `VARCHAR` → `string`; `BLOB` → lowercase `0x…` hex string; `DECIMAL` → exact decimal string;
 * - `NULL` → `null`.
 * Other types (dates, timestamps, lists, structs, `UHUGEINT`) differ between back ends: cast them in
 * SQL (`::VARCHAR`, `epoch_ms(...)`) where a portable value is needed.
 */
export type DbValue = null | boolean | number | bigint | string;

/** One row returned by {@link Db.query}: column name → value. */
export type DbRow = Record<string, DbValue>;

/**
 * A positional query parameter (`$1`, `$2`, … or `?`). A `bigint` is bound exactly on both back ends;
 * on duckdb-wasm it travels as a decimal string, so give it a type from its context (a column it is
 * compared with or inserted into) or an explicit cast (`$1::UBIGINT`).
 */
export type DbParam = null | boolean | number | bigint | string;

/** Which implementation backs a {@link Db}. */
export type DbKind = "native-file" | "native-memory" | "wasm-memory";

/**
 * A DuckDB database: SQL in, plain rows out, transactions and bulk appends.
 *
 * Calls on one handle run one at a time in call order. A transaction runs on its own connection, so
 * calls made on the outer handle while it is open neither see its uncommitted rows nor join it.
 *
 * @example
 * ```ts
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await db.exec("CREATE TABLE t (a UBIGINT PRIMARY KEY, b VARCHAR)");
 * await db.transaction(async (tx) => {
 *   await tx.appendRows("t", ["a", "b"], [[1n, "one"], [2n, "two"]]);
 * });
 * const rows = await db.query<{ a: bigint; b: string }>("SELECT * FROM t WHERE a > $1", [1n]);
 * console.log(rows); // [{ a: 2n, b: "two" }]
 * await db.close();
 * ```
 */
export interface Db {
  /** Which implementation this is. */
  readonly kind: DbKind;
  /** The file path for `native-file`, `":memory:"` otherwise. */
  readonly path: string;
  /** True on the handle given to a {@link Db.transaction} callback while it runs. */
  readonly inTransaction: boolean;
  /** Runs one or more statements (`;`-separated) and discards their results. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with positional parameters and returns its rows as plain objects. */
  query<T extends Record<string, unknown> = DbRow>(
    sql: string,
    params?: readonly DbParam[],
  ): Promise<T[]>;
  /**
   * Runs `fn` inside a transaction on a dedicated connection: commits when it resolves, rolls back
   * when it throws (and rethrows). Calling `transaction` on the handle given to `fn` is rejected with
   * `DbTransactionError`, and so is a second transaction on the same handle while one is open.
   */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>;
  /**
   * Appends rows in bulk (native: DuckDB appender; wasm: an Arrow IPC stream, or multi-row
   * INSERTs for BLOB/HUGEINT/DECIMAL columns). `columns` names the
   * columns the row arrays fill, in order; other columns get their defaults. No conflict handling: a
   * duplicate primary key fails the call (use the repository's idempotent inserts for chain data).
   * Returns the number of rows appended.
   */
  appendRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number>;
  /** Closes the database; later calls reject with `DbClosedError`. Closing twice is a no-op. */
  close(): Promise<void>;
}
