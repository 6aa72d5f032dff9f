/**
 * Native-only behaviour: files across processes and reopen, Parquet export, open failures.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CorruptDatabaseError,
  DbOpenError,
  exportParquet,
  insertRawEvents,
  migrate,
  readCursor,
  readErc20Token,
  readEventsOrdered,
  readSchemaVersion,
  SCHEMA_VERSION,
} from "../../src/db/mod.ts";
import { openDuckDbFile, openDuckDbMemory } from "../../src/db/native.ts";
import { countRows } from "./_backends.ts";
import { addr, b32, makeRawEvents, ORDERBOOK, STORE } from "./_fixtures.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const WRITER = new URL("./_writer.ts", import.meta.url).pathname;

Deno.test("db native files", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "vraindex-db-native-" });
  try {
    await t.step("a file written by another process has all its data", async () => {
      const path = join(dir, "cross.duckdb");
      const blocks = 500;
      const child = await new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", CONFIG, WRITER, path, String(blocks)],
        stdout: "piped",
        stderr: "piped",
      }).output();
      assert.equal(child.code, 0, new TextDecoder().decode(child.stderr));
      assert.equal(new TextDecoder().decode(child.stdout).trim(), "written");
      // The child closed cleanly: one file, no write-ahead log left to replay.
      assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
        "cross.duckdb",
      ]);

      const db = await openDuckDbFile(path);
      try {
        assert.equal(await readSchemaVersion(db), SCHEMA_VERSION);
        assert.equal(await countRows(db, "raw_events"), blocks * 4);
        const cursor = await readCursor(db, 1, ORDERBOOK);
        assert.equal(cursor?.blockNumber, BigInt(blocks));
        assert.equal(cursor?.blockHash, b32(BigInt(blocks) * 1000n));
        const token = await readErc20Token(db, 1, addr(0x70c));
        assert.deepEqual([token?.decimals, token?.symbol, token?.name], [6, "USDC", "USD Coin"]);
        // Per block the writer emits orderbook, store, stranger, orderbook: 2 orderbook logs each.
        let seen = 0;
        let last = -1n;
        for await (const chunk of readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 300 })) {
          for (const event of chunk) {
            assert.equal(event.address, ORDERBOOK);
            const position = event.blockNumber * 10n + BigInt(event.logIndex);
            assert.ok(position > last);
            last = position;
            seen++;
          }
        }
        assert.equal(seen, blocks * 2);
      } finally {
        await db.close();
      }
    });

    await t.step("data survives close and reopen in the same process", async () => {
      const path = join(dir, "reopen.duckdb");
      const first = await openDuckDbFile(path);
      await migrate(first);
      const events = makeRawEvents({ chainId: 5, fromBlock: 1n, toBlock: 300n, perBlock: 2 });
      await insertRawEvents(first, events);
      // A second handle on the same path shares the open database.
      const second = await openDuckDbFile(path);
      assert.equal(await countRows(second, "raw_events"), 600);
      await first.close();
      assert.equal(await countRows(second, "raw_events"), 600);
      await second.close();
      const again = await openDuckDbFile(path);
      try {
        assert.equal(await countRows(again, "raw_events"), 600);
        assert.equal(await insertRawEvents(again, events), 0);
      } finally {
        await again.close();
      }
    });

    await t.step("parquet export reads back row for row", async () => {
      const db = await openDuckDbMemory();
      try {
        await migrate(db);
        const events = makeRawEvents({
          chainId: 1,
          fromBlock: 1n,
          toBlock: 400n,
          perBlock: 3,
          mix: true,
        });
        await insertRawEvents(db, events.toReversed());
        await insertRawEvents(
          db,
          makeRawEvents({ chainId: 2, fromBlock: 1n, toBlock: 3n, perBlock: 1 }),
        );
        const path = join(dir, "raw_events.parquet");
        assert.equal(await exportParquet(db, "raw_events", path, { chainId: 1 }), 1200);
        const back = await db.query(`SELECT * FROM read_parquet('${path}')`);
        const table = await db.query(
          "SELECT * FROM raw_events WHERE chain_id = 1 ORDER BY chain_id, address, block_number, log_index",
        );
        assert.equal(back.length, 1200);
        assert.deepEqual(back, table);
        assert.ok(back.some((r) => r.address === STORE));
        assert.equal(await exportParquet(db, "raw_events", path), 1203);
      } finally {
        await db.close();
      }
    });

    await t.step("a file that is not a DuckDB database is CorruptDatabaseError", async () => {
      const path = join(dir, "not-a-db.duckdb");
      await Deno.writeTextFile(path, "this is not a database\n".repeat(1000));
      const error = await openDuckDbFile(path).then(() => null, (e) => e);
      assert.ok(error instanceof CorruptDatabaseError);
      assert.equal(error.details.path, path);
    });

    await t.step("an unopenable path is DbOpenError", async () => {
      const path = join(dir, "missing-dir", "x.duckdb");
      const error = await openDuckDbFile(path).then(() => null, (e) => e);
      assert.ok(error instanceof DbOpenError);
      assert.equal(error.details.path, path);
      await assert.rejects(openDuckDbFile(":memory:"), DbOpenError);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
