/**
 * Schema version 2 on every back end: a version-1 database with data migrates without losing a
 * row, old deposit sources and unknown cursor starts stay as they were, and new writes record the
 * three deposit sources and the sync start / partial flag (kept once recorded).
 */
import assert from "node:assert/strict";
import {
  advanceCursor,
  type DepositInput,
  insertDeposits,
  migrate,
  MIGRATIONS,
  readCursor,
  readDeposits,
  readSchemaVersion,
} from "../../src/db/mod.ts";
import { BACKENDS } from "./_backends.ts";

const ORDERBOOK = "0x00000000000000000000000000000000000000aa";
const word = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

function deposit(logIndex: number, amountSource: DepositInput["amountSource"]): DepositInput {
  return {
    chainId: 1,
    orderbook: ORDERBOOK,
    blockNumber: 7n,
    logIndex,
    txHash: word(7),
    sender: "0x00000000000000000000000000000000000000c3",
    token: "0x00000000000000000000000000000000000000a1",
    vaultId: word(1),
    amount: word(5),
    amountSource,
    exact: amountSource !== "event",
    amountUint256: 5n,
    decimals: 6,
  };
}

for (const backend of BACKENDS) {
  Deno.test(`db schema version 2 (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await t.step("a version-1 database with rows migrates to 2 keeping them", async () => {
        // Version 1 exactly as it shipped: its migration, recorded the way migrate records it.
        await db.exec(
          "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, " +
            "applied_at UBIGINT NOT NULL)",
        );
        await db.exec(MIGRATIONS[0].sql);
        await db.exec("INSERT INTO schema_migrations VALUES (1, 'initial schema', 0)");
        await db.exec(
          `INSERT INTO deposits VALUES (1, '${ORDERBOOK}', 7, 0, '${word(7)}', '0x00', '0x01',
             '${word(1)}', '${word(5)}', 'calldata', true, '5', 6, NULL)`,
        );
        await db.exec(
          `INSERT INTO sync_cursors VALUES (1, '${ORDERBOOK}', 9, NULL, NULL, NULL, 123)`,
        );
        assert.deepEqual(await migrate(db), { from: 1, to: 4, applied: [2, 3, 4] });
        assert.equal(await readSchemaVersion(db), 4);
        const [old] = await readDeposits(db, 1, ORDERBOOK);
        assert.equal(old.amountSource, "calldata");
        assert.equal(old.exact, true);
        assert.equal(old.amount, word(5));
        const cursor = await readCursor(db, 1, ORDERBOOK);
        assert.equal(cursor?.blockNumber, 9n);
        assert.equal(cursor?.syncStart, null);
        assert.equal(cursor?.partial, null);
      });

      await t.step("deposits record direct, multicall and event sources", async () => {
        assert.equal(
          await insertDeposits(db, [
            deposit(1, "calldata-direct"),
            deposit(2, "calldata-multicall"),
            deposit(3, "event"),
          ]),
          3,
        );
        const sources = (await readDeposits(db, 1, ORDERBOOK)).map((d) => d.amountSource);
        assert.deepEqual(sources, ["calldata", "calldata-direct", "calldata-multicall", "event"]);
        await assert.rejects(
          insertDeposits(db, [deposit(4, "calldata-guess" as DepositInput["amountSource"])]),
        );
      });

      await t.step("the first recorded sync start and partial flag stay", async () => {
        const other = "0x00000000000000000000000000000000000000bb";
        await db.transaction((tx) =>
          advanceCursor(tx, {
            chainId: 1,
            orderbook: other,
            blockNumber: 20n,
            syncStart: 10n,
            partial: true,
          })
        );
        await db.transaction((tx) =>
          advanceCursor(tx, {
            chainId: 1,
            orderbook: other,
            blockNumber: 30n,
            syncStart: 25n,
            partial: false,
          })
        );
        await db.transaction((tx) =>
          advanceCursor(tx, { chainId: 1, orderbook: other, blockNumber: 40n })
        );
        const cursor = await readCursor(db, 1, other);
        assert.equal(cursor?.blockNumber, 40n);
        assert.equal(cursor?.syncStart, 10n);
        assert.equal(cursor?.partial, true);
        // A version-1 cursor learns its start from the first write that gives one.
        await db.transaction((tx) =>
          advanceCursor(tx, {
            chainId: 1,
            orderbook: ORDERBOOK,
            blockNumber: 12n,
            syncStart: 3n,
            partial: false,
          })
        );
        const legacy = await readCursor(db, 1, ORDERBOOK);
        assert.equal(legacy?.syncStart, 3n);
        assert.equal(legacy?.partial, false);
      });
    } finally {
      await cleanup();
    }
  });
}
