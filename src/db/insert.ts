/**
 * Idempotent inserts shared by the repository: re-inserting a row whose key is already stored is a
 * no-op, so a re-run sync never duplicates.
 *
 * @module
 */
import { withTransaction } from "./core.ts";
import { quoteIdent, sqlLiteral, toBigInt } from "./sql.ts";
import type { Db, DbKind, DbValue } from "./types.ts";

/** Up to this many rows go in one literal INSERT; more go through packed columns. */
const LITERAL_INSERT_ROWS = 32;

/** Separates the values of a packed column (ASCII unit separator). */
const VALUE_SEP = "\x1f";
/** A packed value that stands for SQL NULL (ASCII record separator). */
const NULL_MARK = "\x1e";

let stagingCounter = 0;

/**
 * Inserts rows, skipping any whose key is already present (and duplicates within `rows`: the first
 * wins). Rows travel as one text parameter per column (values joined by U+001F, NULL as U+001E)
 * that DuckDB splits and unnests back into rows inside the `INSERT … SELECT` — a handful of calls
 * into the binding instead of one per value, on both back ends — or, for up to 32 rows, as one
 * literal `VALUES` list. Large batches are split into statements of at most 8,192 rows and a
 * bounded parameter size (1 MB on duckdb-wasm), in one transaction. A batch with a string
 * containing U+001F, or equal to U+001E, goes through the appender and a staging table.
 *
 * Two kinds of key:
 * - `key` holding `chain_id` and `block_number` (the chain-event tables, which have no index since
 *   schema version 4): the writer keeps it. In one transaction the stored keys within the batch's
 *   block range are read — none, when a sync moves forward — and only the other rows are written,
 *   without `ON CONFLICT`: through DuckDB's appender on the native back ends (no SQL to parse, no
 *   texts to split or cast), as packed or literal inserts on duckdb-wasm.
 * - any other `key`, or none: the table's PRIMARY KEY decides, with `ON CONFLICT DO NOTHING`.
 *
 * @returns The number of rows actually inserted.
 *
 * @example
 * ```ts
 * import { insertIdempotent } from "./insert.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await db.exec("CREATE TABLE t (a INTEGER PRIMARY KEY, b VARCHAR)");
 * console.log(await insertIdempotent(db, "t", ["a", "b"], [[1, "x"], [2, "y"]])); // 2
 * console.log(await insertIdempotent(db, "t", ["a", "b"], [[1, "x"]])); // 0
 * await db.close();
 * ```
 */
export async function insertIdempotent(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  key?: readonly string[],
): Promise<number> {
  if (rows.length === 0) return 0;
  for (const row of rows) {
    if (row.length !== columns.length) {
      throw new TypeError(`a row has ${row.length} values for ${columns.length} columns`);
    }
  }
  if (key !== undefined && rangeKeyed(columns, key)) {
    return await insertNewRows(db, table, columns, rows, key);
  }
  return await insertRows(db, table, columns, rows, " ON CONFLICT DO NOTHING");
}

/**
 * The writer-kept key: rows whose key is stored (or repeated in the batch) are dropped, the rest
 * inserted plainly; the range read and the inserts share one transaction.
 */
function insertNewRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  key: readonly string[],
): Promise<number> {
  if (!inStrictKeyOrder(columns, rows, key)) rows = firstOfEachKey(columns, rows, key);
  return withTransaction(db, async (tx) => {
    const stored = await tx.query<Record<string, DbValue>>(
      `SELECT ${key.map(quoteIdent).join(", ")} FROM ${quoteIdent(table)}
       WHERE ${blockRangeFilter(columns, rows)}`,
    );
    let fresh = rows;
    if (stored.length > 0) {
      const seen = new Set(stored.map((row) => keyText(key.map((name) => row[name]))));
      const keyAt = key.map((name) => columns.indexOf(name));
      fresh = rows.filter((row) => !seen.has(keyText(keyAt.map((i) => row[i]))));
    }
    if (fresh.length === 0) return 0;
    // No index and no conflict to check: the native appender fills the table's vectors directly,
    // about twice as fast as any INSERT the binding can be given (the rows need no SQL parsing,
    // splitting or casting). duckdb-wasm's append goes through Arrow and a scratch table instead.
    if (tx.kind !== "wasm-memory") return await tx.appendRows(table, columns, fresh);
    return await insertRows(tx, table, columns, fresh, "");
  });
}

/** A key's values as one comparable text (numbers and bigints print alike). */
function keyText(values: readonly DbValue[]): string {
  let text = "";
  for (const value of values) text += `${String(value)}\u0000`;
  return text;
}

/** Inserts `rows` with `conflict` appended to each statement (`""` or `" ON CONFLICT DO NOTHING"`). */
async function insertRows(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  conflict: string,
): Promise<number> {
  const target = quoteIdent(table);
  const columnList = columns.map(quoteIdent).join(", ");
  if (rows.length <= LITERAL_INSERT_ROWS) {
    const values = rows.map((row) => `(${row.map(sqlLiteral).join(", ")})`).join(", ");
    const result = await db.query<{ Count: bigint }>(
      `INSERT INTO ${target} (${columnList}) VALUES ${values}${conflict}`,
    );
    return Number(result[0]?.Count ?? 0n);
  }
  const slices = packSlices(rows, columns.length, SLICE_CHARS[db.kind]);
  if (slices === null) return await insertStaged(db, table, columns, rows, conflict);
  const source = packedSource(columns);
  const insertSlices = async (tx: Db): Promise<number> => {
    let inserted = 0;
    for (const packed of slices) {
      const result = await tx.query<{ Count: bigint }>(
        `INSERT INTO ${target} (${columnList}) ${source}${conflict}`,
        packed,
      );
      inserted += Number(result[0]?.Count ?? 0n);
    }
    return inserted;
  };
  if (slices.length === 1) return await insertSlices(db);
  return await withTransaction(db, insertSlices);
}

/** Rows per packed statement. */
const SLICE_ROWS = 8192;
/**
 * Characters (about) of all parameters of one packed statement. duckdb-wasm 1.32 passes parameters
 * as JSON and fails with "memory access out of bounds" from about 2 MB; the native binding takes
 * far more, but a bounded statement keeps memory flat.
 */
const SLICE_CHARS: Readonly<Record<DbKind, number>> = {
  "native-file": 32_000_000,
  "native-memory": 32_000_000,
  "wasm-memory": 1_000_000,
};

/** The rows packed in slices of bounded size, or `null` when a string cannot be packed. */
function packSlices(
  rows: readonly (readonly DbValue[])[],
  width: number,
  maxChars: number,
): string[][] | null {
  const size = (row: readonly DbValue[]): number => {
    let n = 0;
    for (const value of row) n += typeof value === "string" ? value.length + 1 : 8;
    return n;
  };
  const slices: string[][] = [];
  let start = 0;
  let chars = 0;
  for (let r = 0; r < rows.length; r++) {
    const rowChars = size(rows[r]);
    if (r > start && (r - start >= SLICE_ROWS || chars + rowChars > maxChars)) {
      const packed = packColumns(rows.slice(start, r), width);
      if (packed === null) return null;
      slices.push(packed);
      start = r;
      chars = 0;
    }
    chars += rowChars;
  }
  const last = packColumns(rows.slice(start), width);
  if (last === null) return null;
  slices.push(last);
  return slices;
}

/**
 * The SELECT that turns packed column parameters back into rows. The unnests sit in an inner
 * SELECT of their own: DuckDB zips unnests of one SELECT list, while wrapping each in `nullif`
 * there makes it ten times slower. VARCHAR values are cast to the column types by the INSERT.
 */
function packedSource(columns: readonly string[]): string {
  const split = columns.map((name, i) =>
    `unnest(string_split($${i + 1}::VARCHAR, chr(31))) AS ${quoteIdent(name)}`
  ).join(", ");
  const values = columns.map((name) => `nullif(${quoteIdent(name)}, chr(30))`).join(", ");
  return `SELECT ${values} FROM (SELECT ${split})`;
}

/** One text per column, or `null` when a string holds a separator (see `insertIdempotent`). */
function packColumns(rows: readonly (readonly DbValue[])[], width: number): string[] | null {
  const out: string[] = new Array(width);
  const column: string[] = new Array(rows.length);
  for (let c = 0; c < width; c++) {
    let strings = false;
    for (let r = 0; r < rows.length; r++) {
      const value = rows[r][c];
      if (typeof value === "string") {
        // Only a string that is exactly the NULL mark would read back as NULL.
        if (value === NULL_MARK) return null;
        strings = true;
        column[r] = value;
      } else if (typeof value === "bigint") column[r] = value.toString();
      else if (value === null || value === undefined) column[r] = NULL_MARK;
      else if (typeof value === "boolean") column[r] = value ? "true" : "false";
      else column[r] = sqlLiteral(value);
    }
    const text = column.join(VALUE_SEP);
    // A string holding the value separator would split into more values: one scan of the whole
    // column text finds it (cheaper than checking every value).
    if (strings && countValueSeparators(text) !== rows.length - 1) return null;
    out[c] = text;
  }
  return out;
}

function countValueSeparators(text: string): number {
  let count = 0;
  for (let at = text.indexOf(VALUE_SEP); at >= 0; at = text.indexOf(VALUE_SEP, at + 1)) count++;
  return count;
}

/** True when `key` holds `chain_id` and `block_number` and every key column is given. */
function rangeKeyed(columns: readonly string[], key: readonly string[]): boolean {
  return key.includes("chain_id") && key.includes("block_number") &&
    key.every((name) => columns.includes(name));
}

/**
 * True when no key can repeat: the rows are of one chain and strictly increasing by
 * `(block_number, log_index)` — by `block_number` when the key has no `log_index` — and the key
 * holds those columns (a key holding a unique subset is unique). A sync's rows arrive so, and the
 * check costs far less than hashing every key.
 */
function inStrictKeyOrder(
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  key: readonly string[],
): boolean {
  const chainAt = columns.indexOf("chain_id");
  const blockAt = columns.indexOf("block_number");
  const logAt = key.includes("log_index") ? columns.indexOf("log_index") : -1;
  let chain: DbValue | undefined;
  let block = -1n;
  let log = -1;
  for (const row of rows) {
    const c = row[chainAt];
    const b = row[blockAt];
    if (typeof b !== "bigint") return false;
    if (chain === undefined) chain = c;
    else if (c !== chain) return false;
    if (logAt < 0) {
      if (b <= block) return false;
    } else {
      const l = row[logAt];
      if (typeof l !== "number") return false;
      if (b < block || (b === block && l <= log)) return false;
      log = l;
    }
    block = b;
  }
  return true;
}

/** `rows` without later repeats of a key (the first wins, as `ON CONFLICT DO NOTHING` does). */
function firstOfEachKey(
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  key: readonly string[],
): readonly (readonly DbValue[])[] {
  const keyAt = key.map((name) => columns.indexOf(name));
  const seen = new Set<string>();
  let out: (readonly DbValue[])[] | null = null;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const id = keyText(keyAt.map((i) => row[i]));
    if (seen.has(id)) {
      out ??= rows.slice(0, r);
      continue;
    }
    seen.add(id);
    out?.push(row);
  }
  return out ?? rows;
}

/**
 * SQL condition matching the stored rows of the batch's chains within its block range: only such a
 * row can conflict with a batch without repeated keys. Zone maps on `block_number` make it cheap.
 */
function blockRangeFilter(
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
): string {
  const chainAt = columns.indexOf("chain_id");
  const blockAt = columns.indexOf("block_number");
  const ranges = new Map<bigint, { min: bigint; max: bigint }>();
  for (const row of rows) {
    const chain = toBigInt(row[chainAt]);
    const block = toBigInt(row[blockAt]);
    const range = ranges.get(chain);
    if (!range) ranges.set(chain, { min: block, max: block });
    else if (block < range.min) range.min = block;
    else if (block > range.max) range.max = block;
  }
  return [...ranges].map(([chain, { min, max }]) =>
    `(chain_id = ${chain} AND block_number BETWEEN ${min} AND ${max})`
  ).join(" OR ");
}

/** The fallback for values that cannot be packed: appender into a staging table, then move. */
function insertStaged(
  db: Db,
  table: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  conflict: string,
): Promise<number> {
  const target = quoteIdent(table);
  const columnList = columns.map(quoteIdent).join(", ");
  return withTransaction(db, async (tx) => {
    const stage = `vraindex_stage_${table}_${++stagingCounter}`;
    const staged = quoteIdent(stage);
    await tx.exec(`CREATE TEMP TABLE ${staged} AS SELECT ${columnList} FROM ${target} LIMIT 0`);
    try {
      await tx.appendRows(stage, columns, rows);
      const result = await tx.query<{ Count: bigint }>(
        `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM ${staged}${conflict}`,
      );
      return Number(result[0]?.Count ?? 0n);
    } finally {
      await tx.exec(`DROP TABLE IF EXISTS ${staged}`).catch(() => undefined);
    }
  });
}

/**
 * JSON text of a value with bigints as decimal strings (JSON columns: orders, configs, contexts).
 *
 * @example
 * ```ts
 * import { toJsonText } from "./insert.ts";
 * console.log(toJsonText({ index: 1n, token: "0xab" })); // {"index":"1","token":"0xab"}
 * ```
 */
export function toJsonText(value: unknown): string {
  // Most values hold no bigint (orders, contexts): V8's plain serializer is several times faster
  // than one calling a replacer for every value, so the replacer only runs when a bigint is met.
  try {
    return JSON.stringify(value);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(value, (_key, v) => typeof v === "bigint" ? v.toString() : v);
  }
}

/** Lowercases hex so equal addresses and hashes compare and join equal. */
export function lower<T extends string | null | undefined>(hex: T): T {
  return (typeof hex === "string" ? hex.toLowerCase() : hex) as T;
}
