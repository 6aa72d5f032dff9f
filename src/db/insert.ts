/**
 * Idempotent inserts shared by the repository: re-inserting a row whose key is already stored is a
 * no-op, so a re-run sync never duplicates.
 *
 * @module
 */
import { withTransaction } from "./core.ts";
import { quoteIdent, sqlLiteral } from "./sql.ts";
import type { Db, DbValue } from "./types.ts";

/** Up to this many rows go in one literal INSERT; more go through a staging table and the appender. */
const LITERAL_INSERT_ROWS = 256;

let stagingCounter = 0;

/**
 * Inserts rows, skipping any whose primary key is already present (and duplicates within `rows`:
 * the first wins). Small batches are one `INSERT … ON CONFLICT DO NOTHING`; large ones run in a
 * transaction (the caller's, when `db` is one) and are appended in bulk: straight into the table
 * when `key` (the primary key) includes `chain_id` and `block_number`, the batch has no repeated
 * key and the table holds no row of those chains in the batch's block range — the usual case of a
 * sync moving forward — otherwise into a temporary staging table moved with one `INSERT … SELECT …
 * ON CONFLICT DO NOTHING`.
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
  const target = quoteIdent(table);
  const columnList = columns.map(quoteIdent).join(", ");
  if (rows.length <= LITERAL_INSERT_ROWS) {
    const values = rows.map((row) => `(${row.map(sqlLiteral).join(", ")})`).join(", ");
    const result = await db.query<{ Count: bigint }>(
      `INSERT INTO ${target} (${columnList}) VALUES ${values} ON CONFLICT DO NOTHING`,
    );
    return Number(result[0]?.Count ?? 0n);
  }
  return await withTransaction(db, async (tx) => {
    if (key && await cannotConflict(tx, target, columns, rows, key)) {
      return await tx.appendRows(table, columns, rows);
    }
    const stage = `vraindex_stage_${table}_${++stagingCounter}`;
    const staged = quoteIdent(stage);
    await tx.exec(`CREATE TEMP TABLE ${staged} AS SELECT ${columnList} FROM ${target} LIMIT 0`);
    try {
      await tx.appendRows(stage, columns, rows);
      const result = await tx.query<{ Count: bigint }>(
        `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM ${staged} ` +
          "ON CONFLICT DO NOTHING",
      );
      return Number(result[0]?.Count ?? 0n);
    } finally {
      await tx.exec(`DROP TABLE IF EXISTS ${staged}`).catch(() => undefined);
    }
  });
}

/**
 * True when no row of `rows` can collide with a stored row or another row of the batch: the key
 * holds `chain_id` and `block_number`, keys are distinct within the batch, and the table has no row
 * of those chains within the batch's block range (a collision would need one).
 */
async function cannotConflict(
  tx: Db,
  target: string,
  columns: readonly string[],
  rows: readonly (readonly DbValue[])[],
  key: readonly string[],
): Promise<boolean> {
  const chainAt = columns.indexOf("chain_id");
  const blockAt = columns.indexOf("block_number");
  const keyAt = key.map((name) => columns.indexOf(name));
  if (chainAt < 0 || blockAt < 0 || !key.includes("chain_id") || !key.includes("block_number")) {
    return false;
  }
  if (keyAt.some((i) => i < 0)) return false;
  const seen = new Set<string>();
  const ranges = new Map<string, { min: bigint; max: bigint }>();
  for (const row of rows) {
    const id = keyAt.map((i) => String(row[i])).join("\u0000");
    if (seen.has(id)) return false;
    seen.add(id);
    const chain = String(row[chainAt]);
    const block = BigInt(row[blockAt] as bigint);
    const range = ranges.get(chain);
    if (!range) ranges.set(chain, { min: block, max: block });
    else if (block < range.min) range.min = block;
    else if (block > range.max) range.max = block;
  }
  const where = [...ranges].map(([chain, { min, max }]) =>
    `(chain_id = ${BigInt(chain)} AND block_number BETWEEN ${min} AND ${max})`
  ).join(" OR ");
  const found = await tx.query<{ hit: number }>(
    `SELECT 1 AS hit FROM ${target} WHERE ${where} LIMIT 1`,
  );
  return found.length === 0;
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
  return JSON.stringify(value, (_key, v) => typeof v === "bigint" ? v.toString() : v);
}

/** Lowercases hex so equal addresses and hashes compare and join equal. */
export function lower<T extends string | null | undefined>(hex: T): T {
  return (typeof hex === "string" ? hex.toLowerCase() : hex) as T;
}
