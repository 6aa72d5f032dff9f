/**
 * Repository functions on every back end: idempotent inserts, cursor atomicity, reorg rollback,
 * ordered reads, tokens, bytecode and snapshots.
 */
import assert from "node:assert/strict";
import { keccak256 } from "viem";
import {
  advanceCursor,
  CorruptDatabaseError,
  DbCursorError,
  DbQueryError,
  DbTransactionError,
  DbUnsupportedError,
  exportParquet,
  insertBlocks,
  insertBytecodeArtifacts,
  insertClears,
  insertContexts,
  insertDeposits,
  insertMetaEvents,
  insertOrderEvents,
  insertRawEvents,
  insertStoreSets,
  insertTakes,
  insertWithdrawals,
  migrate,
  type RawEventInput,
  type RawEventRecord,
  readBlocks,
  readBytecodeArtifacts,
  readCursor,
  readDeposits,
  readErc20Token,
  readEventsOrdered,
  readLatestVirtualSnapshot,
  rollbackAfter,
  upsertErc20Token,
  writeSyncBatch,
  writeVirtualSnapshot,
} from "../../src/db/mod.ts";
import type { Db } from "../../src/db/mod.ts";
import { BACKENDS, countRows, resetDb } from "./_backends.ts";
import {
  addr,
  b32,
  makeOrder,
  makeRawEvents,
  ORDERBOOK,
  OTHER_ORDERBOOK,
  STORE,
  STRANGER,
} from "./_fixtures.ts";

async function fresh(db: Db): Promise<void> {
  await resetDb(db);
  await migrate(db);
}

function ref(blockNumber: bigint, logIndex: number, orderbook = ORDERBOOK) {
  return { chainId: 1, orderbook, blockNumber, logIndex, txHash: b32(blockNumber * 7n) };
}

/** What readEventsOrdered should yield for fixture logs, derived from the fixture alone. */
function expectedOrdered(
  events: readonly RawEventInput[],
  addresses: readonly string[],
  timestamps: ReadonlyMap<bigint, bigint>,
): RawEventRecord[] {
  return events
    .filter((e) => addresses.includes(e.address))
    .toSorted((a, b) =>
      a.blockNumber === b.blockNumber
        ? a.logIndex - b.logIndex
        : a.blockNumber < b.blockNumber
        ? -1
        : 1
    )
    .map((e) => ({
      chainId: e.chainId,
      address: e.address,
      blockNumber: e.blockNumber,
      blockHash: e.blockHash,
      logIndex: e.logIndex,
      transactionHash: e.transactionHash,
      transactionIndex: e.transactionIndex,
      topics: [...e.topics],
      data: e.data,
      eventName: e.eventName ?? null,
      timestamp: timestamps.get(e.blockNumber) ?? null,
    }));
}

async function collect(iterable: AsyncIterable<RawEventRecord[]>): Promise<{
  rows: RawEventRecord[];
  chunks: number[];
}> {
  const rows: RawEventRecord[] = [];
  const chunks: number[] = [];
  for await (const chunk of iterable) {
    chunks.push(chunk.length);
    rows.push(...chunk);
  }
  return { rows, chunks };
}

for (const backend of BACKENDS) {
  Deno.test(`db repository (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await t.step("raw events: re-inserting the same rows adds nothing", async () => {
        await fresh(db);
        // 600 rows take the bulk path (staging + appender), 10 the literal path.
        const big = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 200n, perBlock: 3 });
        const small = makeRawEvents({ chainId: 1, fromBlock: 201n, toBlock: 205n, perBlock: 2 });
        assert.equal(await insertRawEvents(db, big), 600);
        assert.equal(await insertRawEvents(db, small), 10);
        assert.equal(await insertRawEvents(db, big), 0);
        assert.equal(await insertRawEvents(db, small), 0);
        // An overlapping batch adds exactly the new rows; duplicates inside a batch count once.
        const overlap = makeRawEvents({ chainId: 1, fromBlock: 150n, toBlock: 250n, perBlock: 3 });
        assert.equal(await insertRawEvents(db, [...overlap, ...overlap.slice(0, 5)]), 3 * 45 + 5);
        assert.equal(await countRows(db, "raw_events"), 600 + 10 + 3 * 45 + 5);
        // The same position on another chain is a different row.
        assert.equal(await insertRawEvents(db, small.map((e) => ({ ...e, chainId: 2 }))), 10);
        // A big batch repeating its own rows, into a range nothing is stored in yet: once each.
        const fresh3 = makeRawEvents({ chainId: 3, fromBlock: 1n, toBlock: 100n, perBlock: 3 });
        assert.equal(await insertRawEvents(db, [...fresh3, ...fresh3.slice(0, 50)]), 300);
        assert.equal(await countRows(db, "raw_events", "chain_id = 3"), 300);
        // A big batch on a chain that has rows in the same blocks elsewhere (chain 1): all new.
        const chain4 = big.map((e) => ({ ...e, chainId: 4 }));
        assert.equal(await insertRawEvents(db, chain4), 600);
        assert.equal(await insertRawEvents(db, chain4), 0);
      });

      await t.step("raw events round-trip: topics, lowercase hex, names", async () => {
        await fresh(db);
        const log: RawEventInput = {
          chainId: 137,
          address: "0x00000000000000000000000000000000000000AA",
          blockNumber: 2n ** 63n + 5n,
          blockHash: `0x${"Ab".repeat(32)}`,
          logIndex: 4294967295,
          transactionHash: `0x${"cD".repeat(32)}`,
          transactionIndex: 3,
          topics: [b32(1), b32(2), b32(3)],
          data: "0xDEADbeef",
          eventName: null,
        };
        await insertRawEvents(db, [log]);
        const rows = await db.query("SELECT * FROM raw_events");
        assert.deepEqual(rows, [{
          chain_id: 137n,
          address: "0x00000000000000000000000000000000000000aa",
          block_number: 2n ** 63n + 5n,
          block_hash: `0x${"ab".repeat(32)}`,
          log_index: 4294967295,
          tx_hash: `0x${"cd".repeat(32)}`,
          tx_index: 3,
          topic0: b32(1),
          topic1: b32(2),
          topic2: b32(3),
          topic3: null,
          data: "0xdeadbeef",
          event_name: null,
        }]);
      });

      await t.step("decoded events: every family stored once, derived columns right", async () => {
        await fresh(db);
        const order = makeOrder(1);
        const orderHash = b32(0xabc);
        const add = { ...ref(10n, 0), kind: "add" as const, sender: order.owner, orderHash, order };
        const remove = {
          ...ref(12n, 1),
          kind: "remove" as const,
          sender: order.owner,
          orderHash,
          order,
        };
        const readd = {
          ...ref(14n, 0),
          kind: "add" as const,
          sender: order.owner,
          orderHash,
          order,
        };
        assert.equal(await insertOrderEvents(db, [add, remove]), 2);
        assert.equal(await insertOrderEvents(db, [add, remove, readd]), 1);
        assert.deepEqual(
          await db.query(
            "SELECT side, io_index, token, vault_id, block_number, log_index FROM order_ios " +
              "ORDER BY side, io_index",
          ),
          [
            {
              side: "input",
              io_index: 0,
              token: addr(0x3001),
              vault_id: b32(1),
              block_number: 10n,
              log_index: 0,
            },
            {
              side: "output",
              io_index: 0,
              token: addr(0x3002),
              vault_id: b32(1),
              block_number: 10n,
              log_index: 0,
            },
            {
              side: "output",
              io_index: 1,
              token: addr(0x3003),
              vault_id: b32(2),
              block_number: 10n,
              log_index: 0,
            },
          ],
        );
        const stored = await db.query<{ order_json: string; kind: string; store: string }>(
          "SELECT kind, store, order_json FROM order_events ORDER BY block_number",
        );
        assert.deepEqual(stored.map((r) => r.kind), ["add", "remove", "add"]);
        assert.equal(stored[0].store, STORE);
        assert.deepEqual(JSON.parse(stored[0].order_json), order);

        const take = {
          ...ref(11n, 2),
          sender: addr(0x7a),
          orderHash,
          config: { order, inputIOIndex: 0n, outputIOIndex: 1n, signedContext: [] },
          takerInput: b32(5),
          takerOutput: b32(6),
        };
        assert.equal(await insertTakes(db, [take]), 1);
        assert.equal(await insertTakes(db, [take]), 0);
        assert.deepEqual(
          await db.query(
            "SELECT input_token, input_vault_id, output_token, output_vault_id, taker_input, " +
              "taker_output, order_owner FROM takes",
          ),
          [{
            input_token: addr(0x3001),
            input_vault_id: b32(1),
            output_token: addr(0x3003),
            output_vault_id: b32(2),
            taker_input: b32(5),
            taker_output: b32(6),
            order_owner: order.owner,
          }],
        );

        const bob = makeOrder(2);
        const clear = {
          ...ref(11n, 5),
          afterClearLogIndex: 8,
          sender: addr(0xc1),
          alice: order,
          aliceOrderHash: orderHash,
          bob,
          bobOrderHash: b32(0xb0b),
          clearConfig: {
            aliceInputIOIndex: 0n,
            aliceOutputIOIndex: 0n,
            bobInputIOIndex: 0n,
            bobOutputIOIndex: 1n,
            aliceBountyVaultId: b32(7),
            bobBountyVaultId: b32(8),
          },
          clearStateChange: {
            aliceOutput: b32(21),
            bobOutput: b32(22),
            aliceInput: b32(23),
            bobInput: b32(24),
          },
        };
        assert.equal(await insertClears(db, [clear, clear]), 1);
        assert.deepEqual(
          await db.query(
            "SELECT after_clear_log_index, alice_output_token, bob_output_token, " +
              "bob_output_vault_id, alice_input, bob_output FROM clears",
          ),
          [{
            after_clear_log_index: 8,
            alice_output_token: addr(0x3002),
            bob_output_token: addr(0x3003),
            bob_output_vault_id: b32(3),
            alice_input: b32(23),
            bob_output: b32(22),
          }],
        );

        const deposit = {
          ...ref(3n, 0),
          sender: addr(1),
          token: addr(0x3001),
          vaultId: b32(1),
          amount: b32(99),
          amountSource: "event" as const,
          exact: false,
          amountUint256: 2n ** 255n + 1n,
          decimals: 6,
          balanceCheck: "unavailable" as const,
        };
        assert.equal(await insertDeposits(db, [deposit, deposit]), 1);
        assert.deepEqual(
          await db.query("SELECT amount_source, exact, amount_uint256, decimals FROM deposits"),
          [{
            amount_source: "event",
            exact: false,
            amount_uint256: (2n ** 255n + 1n).toString(),
            decimals: 6,
          }],
        );
        assert.deepEqual(await readDeposits(db, 1, ORDERBOOK), [{
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 3n,
          logIndex: 0,
          txHash: b32(21),
          sender: addr(1),
          token: addr(0x3001),
          vaultId: b32(1),
          amount: b32(99),
          amountSource: "event",
          exact: false,
          amountUint256: 2n ** 255n + 1n,
          decimals: 6,
          balanceCheck: "unavailable",
        }]);
        assert.deepEqual(await readDeposits(db, 1, ORDERBOOK, { fromBlock: 4n }), []);
        assert.deepEqual(await readDeposits(db, 1, OTHER_ORDERBOOK), []);
        await assert.rejects(
          insertDeposits(db, [{ ...deposit, ...ref(3n, 1), amountSource: "guess" as "event" }]),
          DbQueryError,
        );

        const withdrawal = {
          ...ref(4n, 0),
          sender: addr(1),
          token: addr(0x3001),
          vaultId: b32(1),
          targetAmount: b32(10),
          withdrawAmount: b32(9),
          withdrawAmountUint256: 9_000_000n,
        };
        assert.equal(await insertWithdrawals(db, [withdrawal]), 1);
        assert.equal(await insertWithdrawals(db, [withdrawal]), 0);

        const set = {
          chainId: 1,
          store: STORE,
          blockNumber: 4n,
          logIndex: 1,
          txHash: b32(4),
          fqn: 2n ** 256n - 1n,
          key: b32(1),
          value: b32(2),
        };
        assert.equal(await insertStoreSets(db, [set, set]), 1);
        assert.deepEqual(await db.query("SELECT fqn FROM store_sets"), [{
          fqn: `0x${"f".repeat(64)}`,
        }]);

        const context = {
          ...ref(11n, 1),
          sender: addr(0x7a),
          context: [[b32(1), b32(2)], [orderHash, order.owner, addr(0x7a)]],
        };
        assert.equal(await insertContexts(db, [context]), 1);
        assert.deepEqual(await db.query("SELECT order_hash FROM contexts"), [{
          order_hash: orderHash,
        }]);
        const meta = {
          ...ref(10n, 1),
          sender: addr(1),
          subject: orderHash,
          meta: "0xff0a" as const,
        };
        assert.equal(await insertMetaEvents(db, [meta, meta]), 1);
      });

      await t.step("a transaction that throws leaves no rows and no cursor", async () => {
        await fresh(db);
        const events = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 100n, perBlock: 5 });
        await assert.rejects(
          db.transaction(async (tx) => {
            await insertRawEvents(tx, events);
            await advanceCursor(tx, { chainId: 1, orderbook: ORDERBOOK, blockNumber: 100n });
            throw new Error("crash after writing");
          }),
          /crash after writing/,
        );
        assert.equal(await countRows(db, "raw_events"), 0);
        assert.equal(await readCursor(db, 1, ORDERBOOK), null);
      });

      await t.step("the cursor commits with its data or not at all", async () => {
        await fresh(db);
        const events = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 10n, perBlock: 2 });
        const bad = {
          ...ref(5n, 0),
          sender: addr(1),
          token: addr(2),
          vaultId: b32(1),
          amount: b32(1),
          amountSource: "calldata-direct" as const,
          exact: true,
          amountUint256: 1n,
          decimals: 300, // not a uint8: the insert fails
        };
        await assert.rejects(
          writeSyncBatch(db, {
            rawEvents: events,
            deposits: [bad],
            cursor: { chainId: 1, orderbook: ORDERBOOK, blockNumber: 10n },
          }),
          DbQueryError,
        );
        assert.equal(await countRows(db, "raw_events"), 0);
        assert.equal(await readCursor(db, 1, ORDERBOOK), null);

        const result = await writeSyncBatch(db, {
          rawEvents: events,
          deposits: [{ ...bad, decimals: 18 }],
          cursor: {
            chainId: 1,
            orderbook: ORDERBOOK,
            blockNumber: 10n,
            blockHash: b32(10_000),
            timestamp: 1_700_000_010n,
          },
        });
        assert.deepEqual(result.inserted, { raw_events: 20, deposits: 1 });
        const cursor = await readCursor(db, 1, ORDERBOOK);
        assert.ok(cursor);
        assert.deepEqual({ ...cursor, updatedAt: 0 }, {
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 10n,
          logIndex: null,
          blockHash: b32(10_000),
          timestamp: 1_700_000_010n,
          syncStart: null,
          partial: null,
          updatedAt: 0,
        });
        // Re-running the same batch stores nothing new and keeps the cursor.
        const again = await writeSyncBatch(db, {
          rawEvents: events,
          cursor: { chainId: 1, orderbook: ORDERBOOK, blockNumber: 10n },
        });
        assert.deepEqual(again.inserted, { raw_events: 0 });
      });

      await t.step("advanceCursor: only inside a transaction, only forwards", async () => {
        await fresh(db);
        const outside = await advanceCursor(db, {
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 1n,
        }).then(() => null, (e) => e);
        assert.ok(outside instanceof DbTransactionError);
        assert.equal(outside.details.reason, "required");

        const at = (blockNumber: bigint, logIndex: number | null) =>
          db.transaction((tx) =>
            advanceCursor(tx, { chainId: 1, orderbook: ORDERBOOK, blockNumber, logIndex })
          );
        await at(10n, 3);
        await at(10n, 3); // same position: allowed
        await at(10n, null); // the whole block is after any of its logs
        const back = await at(10n, 7).then(() => null, (e) => e);
        assert.ok(back instanceof DbCursorError);
        assert.deepEqual(back.details.current, { blockNumber: "10", logIndex: null });
        await assert.rejects(at(9n, null), DbCursorError);
        await at(11n, 0);
        assert.equal((await readCursor(db, 1, ORDERBOOK))?.blockNumber, 11n);
      });

      await t.step("rollbackAfter removes exactly the rows above the fork", async () => {
        await fresh(db);
        const chain1 = makeRawEvents({
          chainId: 1,
          fromBlock: 1n,
          toBlock: 20n,
          perBlock: 3,
          mix: true,
        });
        const chain2 = makeRawEvents({ chainId: 2, fromBlock: 1n, toBlock: 20n, perBlock: 3 });
        const headers = (chainId: number) =>
          Array.from({ length: 20 }, (_, i) => ({
            chainId,
            blockNumber: BigInt(i + 1),
            blockHash: b32(BigInt(i + 1) * 1000n),
            parentHash: b32(BigInt(i) * 1000n),
            timestamp: 1_700_000_000n + BigInt(i + 1) * 12n,
          }));
        const order = makeOrder(3);
        const orderEvents = [5n, 11n, 15n].map((block, i) => ({
          ...ref(block, 0),
          kind: "add" as const,
          sender: order.owner,
          orderHash: b32(100 + i),
          order,
        }));
        const sets = [4n, 10n, 11n, 19n].map((block) => ({
          chainId: 1,
          store: STORE,
          blockNumber: block,
          logIndex: 1,
          txHash: b32(block),
          fqn: b32(1),
          key: b32(block),
          value: b32(1),
        }));
        await writeSyncBatch(db, {
          rawEvents: [...chain1, ...chain2],
          blocks: [...headers(1), ...headers(2)],
          orderEvents,
          storeSets: sets,
          bytecode: [
            {
              chainId: 1,
              address: addr(0xc0de),
              kind: "interpreter",
              bytecode: "0x01",
              fetchedAtBlock: 8n,
            },
            {
              chainId: 1,
              address: addr(0xc0de),
              kind: "interpreter",
              bytecode: "0x02",
              fetchedAtBlock: 12n,
            },
          ],
        });
        for (
          const [chainId, orderbook, blockNumber] of [
            [1, ORDERBOOK, 20n],
            [1, OTHER_ORDERBOOK, 9n],
            [2, ORDERBOOK, 20n],
          ] as const
        ) {
          await db.transaction((tx) => advanceCursor(tx, { chainId, orderbook, blockNumber }));
        }
        await writeVirtualSnapshot(db, {
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 5n,
          snapshot: "{}",
        });
        await writeVirtualSnapshot(db, {
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 15n,
          snapshot: "{}",
        });

        const result = await rollbackAfter(db, 1, ORDERBOOK, 10n);
        assert.deepEqual(result.deleted, {
          raw_events: 30,
          blocks: 10,
          order_events: 2,
          order_ios: 6, // 3 IOs each for the orders first added at blocks 11 and 15
          takes: 0,
          clears: 0,
          deposits: 0,
          withdrawals: 0,
          store_sets: 2,
          contexts: 0,
          meta_events: 0,
          bytecode_artifacts: 1,
          virtual_snapshots: 1,
          token_events: 0,
        });
        assert.deepEqual(result.cursorsMoved, [ORDERBOOK]);
        assert.deepEqual({ ...result.cursor!, updatedAt: 0 }, {
          chainId: 1,
          orderbook: ORDERBOOK,
          blockNumber: 10n,
          logIndex: null,
          blockHash: b32(10_000),
          timestamp: 1_700_000_000n + 120n,
          syncStart: null,
          partial: null,
          updatedAt: 0,
        });
        assert.equal((await readCursor(db, 1, OTHER_ORDERBOOK))?.blockNumber, 9n);
        assert.equal((await readCursor(db, 2, ORDERBOOK))?.blockNumber, 20n);
        assert.equal(await countRows(db, "raw_events", "chain_id = 1"), 30);
        assert.equal(await countRows(db, "raw_events", "chain_id = 1 AND block_number > 10"), 0);
        assert.equal(await countRows(db, "raw_events", "chain_id = 2"), 60);
        assert.equal(await countRows(db, "blocks", "chain_id = 2"), 20);
        assert.equal(await countRows(db, "store_sets"), 2);
        const kept = await readBlocks(db, 1, 0n, 100n);
        assert.deepEqual(
          kept.map((b) => [b.blockNumber, b.blockHash]),
          Array.from({ length: 10 }, (_, i) => [BigInt(i + 1), b32(BigInt(i + 1) * 1000n)]),
        );
        assert.equal((await readLatestVirtualSnapshot(db, 1, ORDERBOOK))?.blockNumber, 5n);
      });

      await t.step(
        "readEventsOrdered streams the orderbook's and its stores' logs in order",
        async () => {
          await fresh(db);
          const events = makeRawEvents({
            chainId: 1,
            fromBlock: 1n,
            toBlock: 60n,
            perBlock: 7,
            mix: true,
          });
          // Stored out of order: the read must sort.
          const shuffled = events.toReversed();
          await insertRawEvents(db, shuffled.slice(0, 200));
          await insertRawEvents(db, shuffled.slice(200));
          await insertRawEvents(
            db,
            makeRawEvents({ chainId: 2, fromBlock: 1n, toBlock: 5n, perBlock: 4 }),
          );
          const timestamps = new Map<bigint, bigint>();
          for (let block = 1n; block <= 30n; block++) timestamps.set(block, 1_000n + block);
          await insertBlocks(
            db,
            [...timestamps].map(([blockNumber, timestamp]) => ({
              chainId: 1,
              blockNumber,
              blockHash: b32(blockNumber * 1000n),
              parentHash: b32((blockNumber - 1n) * 1000n),
              timestamp,
            })),
          );
          // Without an order using STORE, only the orderbook's own logs come back.
          const ownOnly = await collect(readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 50 }));
          assert.deepEqual(ownOnly.rows, expectedOrdered(events, [ORDERBOOK], timestamps));

          await insertOrderEvents(db, [{
            ...ref(1n, 0),
            kind: "add",
            sender: addr(1),
            orderHash: b32(1),
            order: makeOrder(1),
          }]);
          const all = await collect(readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 16 }));
          const expected = expectedOrdered(events, [ORDERBOOK, STORE], timestamps);
          assert.equal(expected.length, 60 * 5); // 7 logs per block: 3 orderbook, 2 store, 2 stranger
          assert.deepEqual(all.rows, expected);
          assert.ok(all.rows.every((r) => r.address !== STRANGER));
          // Chunks are whole blocks: a block goes to chunk ⌊(logs up to its end − 1) / 16⌋
          // (5 logs a block: 3 blocks, then alternately 3 and 4 blocks, … summing to 300).
          const sizes: number[] = [];
          let through = 0;
          for (let block = 1n; block <= 60n; block++) {
            const n = expected.filter((e) => e.blockNumber === block).length;
            through += n;
            const part = Math.floor((through - 1) / 16);
            sizes[part] = (sizes[part] ?? 0) + n;
          }
          assert.deepEqual(all.chunks, sizes.filter((n) => n !== undefined));
          assert.ok(all.chunks.every((n) => n % 5 === 0), "no block is split");

          const window = await collect(
            readEventsOrdered(db, 1, ORDERBOOK, { fromBlock: 10n, toBlock: 12n, chunkSize: 4 }),
          );
          assert.deepEqual(
            window.rows,
            expected.filter((e) => e.blockNumber >= 10n && e.blockNumber <= 12n),
          );
          const noStores = await collect(
            readEventsOrdered(db, 1, ORDERBOOK, { includeStores: false }),
          );
          assert.deepEqual(noStores.rows, ownOnly.rows);
          assert.deepEqual(await collect(readEventsOrdered(db, 1, OTHER_ORDERBOOK)), {
            rows: [],
            chunks: [],
          });
        },
      );

      await t.step("erc20 tokens: failures recorded, overrides sticky, no silent 18", async () => {
        await fresh(db);
        const token = addr(0x70c);
        await upsertErc20Token(db, {
          chainId: 1,
          address: token,
          decimals: null,
          decimalsStatus: "reverted",
          decimalsError: "execution reverted",
          fetchedAtBlock: 5n,
        });
        const reverted = await readErc20Token(db, 1, token);
        assert.equal(reverted?.decimals, null);
        assert.equal(reverted?.decimalsStatus, "reverted");
        assert.equal(reverted?.decimalsError, "execution reverted");
        // "ok" without decimals, or "reverted" with decimals, break the table's rule.
        await assert.rejects(
          upsertErc20Token(db, {
            chainId: 1,
            address: token,
            decimals: null,
            decimalsStatus: "ok",
          }),
          DbQueryError,
        );
        await upsertErc20Token(db, {
          chainId: 1,
          address: token,
          decimals: 6,
          decimalsStatus: "override",
        });
        await upsertErc20Token(db, {
          chainId: 1,
          address: token,
          decimals: 18,
          decimalsStatus: "ok",
          symbol: "X",
        });
        const kept = await readErc20Token(db, 1, token);
        assert.equal(kept?.decimals, 6);
        assert.equal(kept?.decimalsStatus, "override");
        assert.equal(await readErc20Token(db, 1, addr(0x70d)), null);
        assert.equal(await readErc20Token(db, 2, token), null);
      });

      await t.step("bytecode: hashed on write, checked on read", async () => {
        await fresh(db);
        const address = addr(0xc0de);
        const input = {
          chainId: 1,
          address,
          kind: "store" as const,
          bytecode: "0x6001600055" as const,
          fetchedAtBlock: 10n,
          fetchedAtTs: 1_700_000_000n,
        };
        assert.equal(await insertBytecodeArtifacts(db, [input]), 1);
        assert.equal(await insertBytecodeArtifacts(db, [{ ...input, fetchedAtBlock: 20n }]), 0);
        const [artifact] = await readBytecodeArtifacts(db, 1, address);
        assert.equal(artifact.codeHash, keccak256("0x6001600055"));
        assert.equal(artifact.fetchedAtBlock, 10n);
        assert.deepEqual(await readBytecodeArtifacts(db, 2), []);
        await db.exec("UPDATE bytecode_artifacts SET bytecode = '0x6002600055'");
        await assert.rejects(readBytecodeArtifacts(db, 1), CorruptDatabaseError);
      });

      await t.step("snapshots: latest at or before a block, checksum enforced", async () => {
        await fresh(db);
        const write = (blockNumber: bigint, snapshot: string) =>
          writeVirtualSnapshot(db, { chainId: 1, orderbook: ORDERBOOK, blockNumber, snapshot });
        await write(10n, '{"v":10}');
        await write(20n, '{"v":20}');
        await write(20n, '{"v":21}'); // rewritten
        assert.equal((await readLatestVirtualSnapshot(db, 1, ORDERBOOK))?.snapshot, '{"v":21}');
        assert.equal(
          (await readLatestVirtualSnapshot(db, 1, ORDERBOOK, 19n))?.snapshot,
          '{"v":10}',
        );
        assert.equal(await readLatestVirtualSnapshot(db, 1, ORDERBOOK, 9n), null);
        await db.exec(
          "UPDATE virtual_snapshots SET snapshot = '{\"v\":99}' WHERE block_number = 20",
        );
        await assert.rejects(readLatestVirtualSnapshot(db, 1, ORDERBOOK), CorruptDatabaseError);
      });

      if (backend.kind === "wasm-memory") {
        await t.step("exportParquet is refused on wasm", async () => {
          await assert.rejects(
            exportParquet(db, "raw_events", "/tmp/never.parquet"),
            DbUnsupportedError,
          );
        });
      }
    } finally {
      await cleanup();
    }
  });
}
