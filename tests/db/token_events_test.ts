/**
 * Schema version 3 on every back end: `token_events` stores V6 token-model facts idempotently,
 * reads them in application order (seeds after the logs of their block) and is rolled back with
 * the other chain tables.
 */
import assert from "node:assert/strict";
import {
  insertTokenEvents,
  migrate,
  readTokenEvents,
  rollbackAfter,
  SEED_LOG_INDEX,
  type TokenEventRow,
} from "../../src/db/mod.ts";
import { BACKENDS } from "./_backends.ts";

const ORDERBOOK = "0x00000000000000000000000000000000000000aa";
const TOKEN = "0x00000000000000000000000000000000000000bb";
const OWNER = "0x00000000000000000000000000000000000000cc";
const word = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

const rows: TokenEventRow[] = [
  {
    blockNumber: 5n,
    logIndex: 3,
    txHash: word(5),
    kind: "transfer",
    token: TOKEN,
    account: OWNER,
    counterparty: ORDERBOOK,
    amount: 2n ** 255n + 7n,
  },
  {
    blockNumber: 5n,
    logIndex: SEED_LOG_INDEX,
    txHash: null,
    kind: "seed-balance",
    token: TOKEN,
    account: OWNER,
    counterparty: null,
    amount: 100n,
  },
  {
    blockNumber: 4n,
    logIndex: SEED_LOG_INDEX,
    txHash: null,
    kind: "seed-allowance",
    token: TOKEN,
    account: OWNER,
    counterparty: null,
    amount: 2n ** 256n - 1n,
  },
  {
    blockNumber: 9n,
    logIndex: 0,
    txHash: word(9),
    kind: "approval",
    token: TOKEN,
    account: OWNER,
    counterparty: ORDERBOOK,
    amount: 0n,
  },
];

for (const backend of BACKENDS) {
  Deno.test(`db token_events (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await migrate(db);
      await t.step("inserts once, reads in (block, log index) order", async () => {
        assert.equal(await insertTokenEvents(db, 1, ORDERBOOK, rows), 4);
        assert.equal(await insertTokenEvents(db, 1, ORDERBOOK, rows), 0);
        const read = await readTokenEvents(db, 1, ORDERBOOK);
        assert.deepEqual(read.map((r) => [r.blockNumber, r.kind]), [
          [4n, "seed-allowance"],
          [5n, "transfer"],
          [5n, "seed-balance"],
          [9n, "approval"],
        ]);
        assert.equal(read[1].amount, 2n ** 255n + 7n);
        assert.equal(read[0].amount, 2n ** 256n - 1n);
        assert.equal(read[1].counterparty, ORDERBOOK);
        assert.equal(read[2].txHash, null);
        assert.equal((await readTokenEvents(db, 1, ORDERBOOK, { toBlock: 4n })).length, 1);
        assert.equal((await readTokenEvents(db, 2, ORDERBOOK)).length, 0);
      });
      await t.step("a rollback drops rows above the fork", async () => {
        const result = await rollbackAfter(db, 1, ORDERBOOK, 5n);
        assert.equal(result.deleted.token_events, 1);
        assert.deepEqual((await readTokenEvents(db, 1, ORDERBOOK)).map((r) => r.blockNumber), [
          4n,
          5n,
          5n,
        ]);
      });
    } finally {
      await cleanup();
    }
  });
}
