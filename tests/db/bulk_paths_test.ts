/**
 * The bulk paths on every back end: inserts of more than 32 rows travel as packed column texts, or
 * (chain-event tables on the native back ends) through the appender (exact values, NULL vs empty,
 * first-wins duplicates, idempotent re-runs, partial overlaps, the appender fallback for strings
 * holding the separators, tables without a block key), and
 * `readEventsOrdered` reads packed whole-block chunks equal to a plain ordered query.
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import {
  type Db,
  insertRawEvents,
  migrate,
  type RawEventInput,
  type RawEventRecord,
  readEventsOrdered,
} from "../../src/db/mod.ts";
import { insertIdempotent } from "../../src/db/insert.ts";
import { BACKENDS, resetDb } from "./_backends.ts";
import { b32, ORDERBOOK } from "./_fixtures.ts";

const MAX_U64 = 2n ** 64n - 1n;
const MAX_U256 = 2n ** 256n - 1n;

async function readAll(db: Db, sql: string): Promise<Record<string, unknown>[]> {
  return await db.query(sql);
}

/** Logs over blocks of uneven sizes (block b holds b % 7 + 1 logs; block 40 holds 30). */
function unevenEvents(): RawEventInput[] {
  const events: RawEventInput[] = [];
  for (let b = 1; b <= 60; b++) {
    const count = b === 40 ? 30 : b % 7 + 1;
    for (let i = 0; i < count; i++) {
      const topics: Hex[] = [b32(0xe0 + (i % 3)), b32(b), b32(i), b32(7)].slice(0, i % 5);
      events.push({
        chainId: 1,
        address: ORDERBOOK,
        blockNumber: BigInt(b),
        blockHash: b32(1000 + b),
        logIndex: i,
        transactionHash: b32(5000 + b * 100 + i),
        transactionIndex: i,
        topics,
        data: i % 4 === 0 ? "0x" : `0x${"ab".repeat(i + 1)}`,
        eventName: i % 3 === 0 ? null : `Event${i}`,
      });
    }
  }
  return events;
}

/** `readEventsOrdered`'s records by a plain row query (the reference). */
async function reference(db: Db, from: bigint, to: bigint): Promise<RawEventRecord[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT e.*, b.timestamp FROM raw_events e LEFT JOIN blocks b
       ON b.chain_id = e.chain_id AND b.block_number = e.block_number
     WHERE e.block_number BETWEEN $1 AND $2 ORDER BY e.block_number, e.log_index`,
    [from, to],
  );
  return rows.map((r) => ({
    chainId: Number(r.chain_id),
    address: r.address as Hex,
    blockNumber: r.block_number as bigint,
    blockHash: r.block_hash as Hex,
    logIndex: r.log_index as number,
    transactionHash: r.tx_hash as Hex,
    transactionIndex: r.tx_index as number,
    topics: [r.topic0, r.topic1, r.topic2, r.topic3].filter((t) => t !== null) as Hex[],
    data: r.data as Hex,
    eventName: r.event_name as string | null,
    timestamp: r.timestamp as bigint | null,
  }));
}

for (const backend of BACKENDS) {
  Deno.test(`db bulk paths (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await t.step("packed inserts keep every value exact", async () => {
        await resetDb(db);
        await db.exec(
          "CREATE TABLE w (chain_id UBIGINT, block_number UBIGINT, i UINTEGER, amount VARCHAR, " +
            "note VARCHAR, flag BOOLEAN, small UTINYINT, PRIMARY KEY (chain_id, block_number, i))",
        );
        const rows = Array.from({ length: 100 }, (_, i) => [
          1n,
          i === 99 ? MAX_U64 : BigInt(i),
          i,
          (MAX_U256 - BigInt(i)).toString(),
          i % 3 === 0 ? null : i % 3 === 1 ? "" : `it's "${i}", ok`,
          i % 2 === 0,
          i === 98 ? null : 255 - i,
        ]);
        const columns = ["chain_id", "block_number", "i", "amount", "note", "flag", "small"];
        const key = ["chain_id", "block_number", "i"];
        assert.equal(await insertIdempotent(db, "w", columns, rows, key), 100);
        const back = await readAll(db, "SELECT * FROM w ORDER BY i");
        assert.deepEqual(back.map((r) => columns.map((c) => r[c])), rows);
      });

      await t.step(
        "duplicates: first wins, re-runs insert nothing, overlaps only the new",
        async () => {
          await resetDb(db);
          await db.exec(
            "CREATE TABLE w (chain_id UBIGINT, block_number UBIGINT, v VARCHAR, " +
              "PRIMARY KEY (chain_id, block_number))",
          );
          const columns = ["chain_id", "block_number", "v"];
          const key = ["chain_id", "block_number"];
          const batch = Array.from({ length: 50 }, (_, i) => [1n, BigInt(i % 40), `first ${i}`]);
          assert.equal(await insertIdempotent(db, "w", columns, batch, key), 40);
          const firsts = await readAll(db, "SELECT v FROM w WHERE block_number = 5");
          assert.deepEqual(firsts, [{ v: "first 5" }]);
          assert.equal(await insertIdempotent(db, "w", columns, batch, key), 0);
          const overlap = Array.from({ length: 60 }, (_, i) => [1n, BigInt(20 + i), `second ${i}`]);
          assert.equal(await insertIdempotent(db, "w", columns, overlap, key), 40);
          const kept = await readAll(db, "SELECT v FROM w WHERE block_number = 25");
          assert.deepEqual(kept, [{ v: "first 25" }]);
          assert.equal((await readAll(db, "SELECT count(*) AS n FROM w"))[0].n, 80n);
          // No block key: conflicts are left to ON CONFLICT DO NOTHING.
          await db.exec("CREATE TABLE plain (a INTEGER PRIMARY KEY, b VARCHAR)");
          const plain = Array.from({ length: 40 }, (_, i) => [i % 35, `p${i}`]);
          assert.equal(await insertIdempotent(db, "plain", ["a", "b"], plain), 35);
          assert.equal(await insertIdempotent(db, "plain", ["a", "b"], plain), 0);
        },
      );

      await t.step("large batches are split into bounded statements", async () => {
        await resetDb(db);
        await db.exec(
          "CREATE TABLE big (chain_id UBIGINT, block_number UBIGINT, v VARCHAR, " +
            "PRIMARY KEY (chain_id, block_number))",
        );
        await db.exec("CREATE TABLE loose (a INTEGER PRIMARY KEY, v VARCHAR)");
        // 9,000 rows of 300 characters: more rows than one statement takes, and (on wasm) more
        // text than one statement's parameters may hold.
        const rows = Array.from(
          { length: 9000 },
          (_, i) => [1n, BigInt(i), `${i}:`.padEnd(300, "x")],
        );
        const key = ["chain_id", "block_number"];
        assert.equal(
          await insertIdempotent(db, "big", ["chain_id", "block_number", "v"], rows, key),
          9000,
        );
        assert.equal(
          await insertIdempotent(db, "big", ["chain_id", "block_number", "v"], rows, key),
          0,
        );
        const [sum] = await readAll(
          db,
          "SELECT count(*) AS n, sum(length(v)) AS chars, max(block_number) AS top FROM big",
        );
        assert.deepEqual(sum, { n: 9000n, chars: 2_700_000n, top: 8999n });
        // Without a block key, a repeat in a later statement still loses to the first.
        const loose = rows.map((row, i) => [i % 8500, row[2]]);
        assert.equal(await insertIdempotent(db, "loose", ["a", "v"], loose), 8500);
        const [kept] = await readAll(db, "SELECT v FROM loose WHERE a = 10");
        assert.equal(kept.v, rows[10][2]);
      });

      await t.step("strings holding the separators go through the fallback", async () => {
        await resetDb(db);
        await db.exec("CREATE TABLE s (a INTEGER PRIMARY KEY, b VARCHAR)");
        const rows = Array.from({ length: 40 }, (_, i) => [i, i === 7 ? "x\x1fy\x1ez" : `v${i}`]);
        assert.equal(await insertIdempotent(db, "s", ["a", "b"], rows), 40);
        const back = await readAll(db, "SELECT b FROM s WHERE a = 7");
        assert.deepEqual(back, [{ b: "x\x1fy\x1ez" }]);
        assert.equal(await insertIdempotent(db, "s", ["a", "b"], rows), 0);
        // U+001E inside a string packs fine; a string that is exactly U+001E (the NULL mark)
        // does not, and must not read back as NULL.
        const marks = Array.from({ length: 40 }, (_, i) => [
          100 + i,
          i === 3 ? "a\x1eb" : i === 4 ? "\x1e" : i === 5 ? "" : `m${i}`,
        ]);
        assert.equal(await insertIdempotent(db, "s", ["a", "b"], marks), 40);
        const back2 = await readAll(
          db,
          "SELECT a, b FROM s WHERE a BETWEEN 103 AND 105 ORDER BY a",
        );
        assert.deepEqual(back2, [{ a: 103, b: "a\x1eb" }, { a: 104, b: "\x1e" }, {
          a: 105,
          b: "",
        }]);
      });

      await t.step(
        "readEventsOrdered: whole-block chunks equal to a plain ordered query",
        async () => {
          await resetDb(db);
          await migrate(db);
          const events = unevenEvents();
          assert.equal(await insertRawEvents(db, events), events.length);
          // Timestamps for even blocks only: odd ones read as null.
          await db.exec(
            "INSERT INTO blocks SELECT 1, i, '0x00', '0x00', 1700000000 + i FROM range(2, 61, 2) t(i)",
          );
          const chunks: RawEventRecord[][] = [];
          for await (const chunk of readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 25 })) {
            chunks.push(chunk);
          }
          assert.deepEqual(chunks.flat(), await reference(db, 0n, MAX_U64));
          for (let c = 1; c < chunks.length; c++) {
            const before = chunks[c - 1][chunks[c - 1].length - 1].blockNumber;
            assert.ok(chunks[c][0].blockNumber > before, "a block is never split between chunks");
          }
          assert.ok(chunks.some((chunk) => chunk.length >= 30), "the 30-log block is one chunk");
          const bounded: RawEventRecord[] = [];
          for await (
            const chunk of readEventsOrdered(db, 1, ORDERBOOK, { fromBlock: 10n, toBlock: 41n })
          ) bounded.push(...chunk);
          assert.deepEqual(bounded, await reference(db, 10n, 41n));
        },
      );

      await t.step(
        "readEventsOrdered: a value holding a separator is read row by row",
        async () => {
          await db.exec(
            `UPDATE raw_events SET event_name = 'odd' || chr(30) || 'name' WHERE block_number = 12
             AND log_index = 1`,
          );
          const all: RawEventRecord[] = [];
          for await (const chunk of readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 25 })) {
            all.push(...chunk);
          }
          assert.deepEqual(all, await reference(db, 0n, MAX_U64));
          assert.ok(all.some((e) => e.eventName === "odd\x1ename"));
        },
      );

      await t.step(
        "readEventsOrdered: a large chunk comes in whole-block pieces; a bad row late in it reads the rest row by row",
        async () => {
          await resetDb(db);
          await migrate(db);
          // 700 blocks of 3 logs: one 2,100-log chunk, yielded in pieces of about 1,000.
          const events: RawEventInput[] = [];
          for (let b = 1; b <= 700; b++) {
            for (let i = 0; i < 3; i++) {
              events.push({
                chainId: 1,
                address: ORDERBOOK,
                blockNumber: BigInt(b),
                blockHash: b32(1000 + b),
                logIndex: i,
                transactionHash: b32(5000 + b * 10 + i),
                transactionIndex: i,
                topics: [b32(0xe0)],
                data: `0x${"cd".repeat(i + 1)}`,
                eventName: "Event",
              });
            }
          }
          assert.equal(await insertRawEvents(db, events), events.length);
          const read = async () => {
            const chunks: RawEventRecord[][] = [];
            for await (const chunk of readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 5000 })) {
              chunks.push(chunk);
            }
            return chunks;
          };
          const pieces = await read();
          assert.deepEqual(pieces.flat(), await reference(db, 0n, MAX_U64));
          assert.ok(pieces.length >= 2, `${pieces.length} pieces`);
          for (let c = 1; c < pieces.length; c++) {
            const before = pieces[c - 1][pieces[c - 1].length - 1].blockNumber;
            assert.ok(pieces[c][0].blockNumber > before, "a block is never split between pieces");
          }
          // A separator inside a value in the second piece's blocks: what was yielded stands,
          // the rest of the chunk is read row by row, nothing is lost or repeated.
          await db.exec(
            `UPDATE raw_events SET event_name = 'late' || chr(30) || 'name' WHERE block_number = 600
             AND log_index = 2`,
          );
          const mended = (await read()).flat();
          assert.deepEqual(mended, await reference(db, 0n, MAX_U64));
          assert.ok(mended.some((e) => e.eventName === "late\x1ename"));
        },
      );
    } finally {
      await cleanup();
    }
  });
}
