/**
 * `writeIngestChunk` queues every table's insert at once: a failure still rolls the whole chunk
 * back (no row, no cursor), the error reported is the one that caused it, and the cursor records
 * the sync start and partial flag.
 */
import assert from "node:assert/strict";
import { migrate, readCursor } from "../../src/db/mod.ts";
import { openDuckDbMemory } from "../../src/db/native.ts";
import { writeIngestChunk } from "../../src/ingest/mod.ts";
import { chunkOf, decode, makeRpcLogs, OB } from "../../bench/_synthetic_logs.ts";

Deno.test("writeIngestChunk", async (t) => {
  const db = await openDuckDbMemory();
  try {
    await migrate(db);
    const count = async (table: string) =>
      Number((await db.query<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`))[0].n);

    await t.step("a deposit without an amount fails the chunk with its own error", async () => {
      const chunk = chunkOf(decode(makeRpcLogs(0, 100)));
      assert.ok(chunk.deposits.length > 0);
      const broken = { ...chunk, deposits: [{ ...chunk.deposits[0], amount: null }] };
      await assert.rejects(writeIngestChunk(db, broken), { name: "DepositResolutionError" });
      for (const table of ["raw_events", "blocks", "takes", "deposits", "sync_cursors"]) {
        assert.equal(await count(table), 0, table);
      }
    });

    await t.step("a database error fails the chunk with that error", async () => {
      const chunk = chunkOf(decode(makeRpcLogs(0, 100)));
      // A block number past UBIGINT fails the blocks insert; tables queued after it fail too
      // (aborted transaction) but the blocks error is the one reported.
      const broken = {
        ...chunk,
        blocks: [...chunk.blocks, { ...chunk.blocks[0], number: 2n ** 64n }],
      };
      await assert.rejects(writeIngestChunk(db, broken), (error: Error) => {
        assert.equal(error.name, "DbQueryError");
        assert.match(error.message, /blocks/);
        return true;
      });
      assert.equal(await count("raw_events"), 0);
    });

    await t.step("a clean chunk stores every table and the cursor with its start", async () => {
      const chunk = chunkOf(decode(makeRpcLogs(0, 100)));
      await writeIngestChunk(db, { ...chunk, syncStart: 1n, partial: true });
      assert.equal(await count("raw_events"), 100);
      assert.equal(await count("takes"), 20); // one log in five
      assert.equal(await count("store_sets"), 20);
      const cursor = await readCursor(db, 1, OB);
      assert.equal(cursor?.blockNumber, 10n);
      assert.equal(cursor?.syncStart, 1n);
      assert.equal(cursor?.partial, true);
      const [{ source }] = await db.query<{ source: string }>(
        "SELECT DISTINCT amount_source AS source FROM deposits",
      );
      assert.equal(source, "calldata-direct");
    });
  } finally {
    await db.close();
  }
});
