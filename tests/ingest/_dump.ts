/**
 * Canonical dumps of a synced database for comparisons between two syncs of the same chain
 * (clean vs faulty, interrupted vs uninterrupted, reorged vs fresh). Columns that depend on wall
 * time or on how the range was chunked (`updated_at`, chunk-end-only blocks, `fetched_at_block`)
 * are left out.
 */
import type { Db } from "../../src/db/mod.ts";

const TABLES: Record<string, string> = {
  raw_events: "SELECT * FROM raw_events ORDER BY chain_id, address, block_number, log_index",
  order_events: "SELECT * FROM order_events ORDER BY block_number, log_index",
  order_ios: "SELECT * FROM order_ios ORDER BY order_hash, side, io_index",
  takes: "SELECT * FROM takes ORDER BY block_number, log_index",
  clears: "SELECT * FROM clears ORDER BY block_number, log_index",
  deposits: "SELECT * FROM deposits ORDER BY block_number, log_index",
  withdrawals: "SELECT * FROM withdrawals ORDER BY block_number, log_index",
  store_sets: "SELECT * FROM store_sets ORDER BY store, block_number, log_index",
  contexts: "SELECT * FROM contexts ORDER BY block_number, log_index",
  meta_events: "SELECT * FROM meta_events ORDER BY block_number, log_index",
  erc20_tokens:
    "SELECT chain_id, address, decimals, decimals_status, symbol, name FROM erc20_tokens ORDER BY address",
  bytecode_artifacts:
    "SELECT chain_id, address, kind, bytecode, code_hash FROM bytecode_artifacts ORDER BY address",
  // Blocks that hold a stored log (chunk-end blocks depend on the chunking).
  log_blocks: `SELECT * FROM blocks WHERE block_number IN (SELECT block_number FROM raw_events)
    ORDER BY block_number`,
  cursor: "SELECT chain_id, orderbook, block_number, log_index, block_hash FROM sync_cursors",
};

/** Every table's rows as JSON text (bigints as strings), by table. */
export async function dumpDb(db: Db): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, sql] of Object.entries(TABLES)) {
    const rows = await db.query(sql);
    out[name] = JSON.stringify(rows, (_k, v) => typeof v === "bigint" ? v.toString() : v);
  }
  return out;
}

/** Row count of a table. */
export async function count(db: Db, table: string, where = "TRUE"): Promise<number> {
  const rows = await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`);
  return Number(rows[0].n);
}

/** Asserts two dumps are equal table by table, naming the first table and row that differ. */
export function assertSameDump(
  actual: Record<string, string>,
  expected: Record<string, string>,
): void {
  for (const table of Object.keys(expected)) {
    if (actual[table] === expected[table]) continue;
    const a = JSON.parse(actual[table]) as unknown[];
    const e = JSON.parse(expected[table]) as unknown[];
    const i = a.findIndex((row, k) => JSON.stringify(row) !== JSON.stringify(e[k]));
    const at = i === -1 ? Math.min(a.length, e.length) : i;
    throw new Error(
      `table ${table} differs: ${a.length} rows vs ${e.length} expected; first difference at row ` +
        `${at}:\n  actual   ${JSON.stringify(a[at]).slice(0, 600)}\n  expected ${
          JSON.stringify(e[at]).slice(0, 600)
        }`,
    );
  }
}
