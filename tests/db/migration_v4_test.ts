/**
 * Schema version 4 on every back end: a version-3 database holding rows in every chain-event table
 * (written while their PRIMARY KEYs still existed) migrates with every row and column value kept,
 * and afterwards the writer still refuses to store a key twice.
 */
import assert from "node:assert/strict";
import { CHAIN_EVENT_KEYS, insertRawEvents, migrate, MIGRATIONS } from "../../src/db/mod.ts";
import { BACKENDS, countRows } from "./_backends.ts";
import { makeRawEvents, ORDERBOOK, STORE } from "./_fixtures.ts";

const word = (n: number) => `0x${n.toString(16).padStart(64, "0")}`;

/** One row for each chain-event table except `raw_events` (filled through the repository). */
const ROWS: Record<string, string> = {
  blocks: `(1, 5, '${word(5)}', '${word(4)}', 1700000060)`,
  order_events: `(1, '${ORDERBOOK}', 5, 0, '${word(9)}', 'add', '0x01', '${word(2)}', '0x01',
    '0x02', '0x03', '0x00', '${word(0)}', '{}')`,
  takes: `(1, '${ORDERBOOK}', 5, 1, '${word(9)}', '0x01', '${word(2)}', '0x01', 0, 0, NULL, NULL,
    NULL, NULL, '${word(3)}', '${word(4)}', '{}')`,
  clears: `(1, '${ORDERBOOK}', 5, 2, '${word(9)}', 3, '0x01', '${word(2)}', '0x01', '${word(3)}',
    '0x02', 0, 0, 0, 0, '${word(1)}', '${word(1)}', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
    '${word(5)}', '${word(6)}', '${word(7)}', '${word(8)}', '{}', '{}')`,
  deposits: `(1, '${ORDERBOOK}', 5, 4, '${word(9)}', '0x01', '0x02', '${word(1)}', '${word(5)}',
    'calldata-direct', true, '5', 6, NULL)`,
  withdrawals: `(1, '${ORDERBOOK}', 5, 5, '${word(9)}', '0x01', '0x02', '${word(1)}', '${word(5)}',
    '${word(5)}', '5')`,
  store_sets: `(1, '${STORE}', 5, 6, '${word(9)}', '${word(10)}', '${word(11)}', '${word(12)}')`,
  contexts: `(1, '${ORDERBOOK}', 5, 7, '${word(9)}', '0x01', NULL, '[]')`,
  meta_events: `(1, '${ORDERBOOK}', 5, 8, '${word(9)}', '0x01', '${word(1)}', '0x00')`,
  token_events: `(1, '${ORDERBOOK}', 5, 4294967295, NULL, 'seed-balance', '0x02', '0x01', NULL,
    '100')`,
};

for (const backend of BACKENDS) {
  Deno.test(`db schema version 4 (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await t.step("a version-3 database keeps every row of every chain-event table", async () => {
        // Versions 1–3 exactly as they shipped, recorded the way migrate records them.
        await db.exec(
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, " +
            "applied_at UBIGINT NOT NULL)",
        );
        for (const migration of MIGRATIONS.slice(0, 3)) {
          await db.exec(migration.sql);
          await db.exec(
            `INSERT INTO schema_migrations VALUES (${migration.version}, '${migration.name}', 0)`,
          );
        }
        const events = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 50n, perBlock: 3 });
        assert.equal(await insertRawEvents(db, events), events.length);
        for (const [table, values] of Object.entries(ROWS)) {
          await db.exec(`INSERT INTO ${table} VALUES ${values}`);
        }
        const before: Record<string, unknown[]> = {};
        for (const table of Object.keys(CHAIN_EVENT_KEYS)) {
          before[table] = await db.query(`SELECT * FROM ${table} ORDER BY ALL`);
          assert.ok(before[table].length > 0, `${table} has rows before`);
        }
        assert.deepEqual(await migrate(db), { from: 3, to: 4, applied: [4] });
        for (const table of Object.keys(CHAIN_EVENT_KEYS)) {
          assert.deepEqual(await db.query(`SELECT * FROM ${table} ORDER BY ALL`), before[table]);
        }
        // The writer keeps the key the index used to: the same logs again add nothing.
        assert.equal(await insertRawEvents(db, events), 0);
        assert.equal(await countRows(db, "raw_events"), events.length);
      });
    } finally {
      await cleanup();
    }
  });
}
