/**
 * The worker back end's own behaviour (the shared contract runs in the `BACKENDS` suites): one
 * opener per file per process, typed open errors across threads, data that outlives the worker,
 * statements queued ahead of their answers, and a program that ends without closing.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CorruptDatabaseError,
  DbOpenError,
  DbQueryError,
  insertRawEvents,
  migrate,
  readEventsOrdered,
} from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import { openDuckDbFileInWorker } from "../../src/db/worker.ts";
import { countRows } from "./_backends.ts";
import { makeRawEvents, ORDERBOOK } from "./_fixtures.ts";

const CONFIG = new URL("../../deno.json", import.meta.url).pathname;
const WORKER_MODULE = new URL("../../src/db/worker.ts", import.meta.url).href;

Deno.test("db worker back end", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "vraindex-db-worker-" });
  try {
    await t.step("a file is open in one place at a time, either way round", async () => {
      const path = join(dir, "guard.duckdb");
      const inWorker = await openDuckDbFileInWorker(path);
      await assert.rejects(openDuckDbFile(path), (error: unknown) => {
        assert.ok(error instanceof DbOpenError);
        assert.equal(error.details.reason, "open in a worker");
        return true;
      });
      await assert.rejects(openDuckDbFileInWorker(path), (error: unknown) => {
        assert.ok(error instanceof DbOpenError);
        assert.equal(error.details.reason, "already open");
        return true;
      });
      await inWorker.close();
      const inProcess = await openDuckDbFile(path);
      await assert.rejects(openDuckDbFileInWorker(path), DbOpenError);
      await inProcess.close();
      // Closed everywhere: the worker may have it again.
      await (await openDuckDbFileInWorker(path)).close();
    });

    await t.step("open errors keep their type and details across the thread", async () => {
      const path = join(dir, "not-duckdb.duckdb");
      await Deno.writeTextFile(path, "this is not a database ".repeat(400));
      await assert.rejects(openDuckDbFileInWorker(path), (error: unknown) => {
        assert.ok(error instanceof CorruptDatabaseError, String(error));
        assert.equal(error.details.path, path);
        return true;
      });
      await assert.rejects(
        openDuckDbFileInWorker(join(dir, "missing-dir", "x.duckdb")),
        (error: unknown) => error instanceof DbOpenError && error.details.kind === "native-file",
      );
      // A failed open releases the path.
      await Deno.remove(path);
      await (await openDuckDbFileInWorker(path)).close();
    });

    await t.step("rows written in the worker are read back in process after close", async () => {
      const path = join(dir, "handover.duckdb");
      const writer = await openDuckDbFileInWorker(path);
      await migrate(writer);
      const events = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 40n, perBlock: 3 });
      assert.equal(await insertRawEvents(writer, events), events.length);
      await writer.close();
      const reader = await openDuckDbFile(path);
      try {
        assert.equal(await countRows(reader, "raw_events"), events.length);
      } finally {
        await reader.close();
      }
    });

    await t.step(
      "statements issued together run in call order, failures stay their own",
      async () => {
        const db = await openDuckDbFileInWorker(join(dir, "order.duckdb"));
        try {
          await db.exec("CREATE TABLE t (i INTEGER PRIMARY KEY)");
          // Issued without waiting: the worker queues them, so each sees the ones before it.
          const results = await Promise.allSettled([
            db.query("INSERT INTO t VALUES (1)"),
            db.query("INSERT INTO t VALUES (1)"), // duplicate key: fails alone
            db.query("INSERT INTO t VALUES (2)"),
            db.query<{ n: bigint }>("SELECT count(*) AS n FROM t"),
          ]);
          assert.deepEqual(results.map((r) => r.status), [
            "fulfilled",
            "rejected",
            "fulfilled",
            "fulfilled",
          ]);
          assert.ok((results[1] as PromiseRejectedResult).reason instanceof DbQueryError);
          assert.equal((results[3] as PromiseFulfilledResult<{ n: bigint }[]>).value[0].n, 2n);
          // A transaction's statements, issued at once, still roll back together.
          await assert.rejects(
            db.transaction(async (tx) => {
              const first = tx.query("INSERT INTO t VALUES (3)");
              const second = tx.query("INSERT INTO t VALUES (2)"); // conflicts: aborts the whole
              await Promise.all([first, second]);
            }),
            DbQueryError,
          );
          assert.equal(await countRows(db, "t"), 2);
        } finally {
          await db.close();
        }
      },
    );

    await t.step("reads run ahead on the worker and return the same records", async () => {
      const path = join(dir, "ahead.duckdb");
      const events = makeRawEvents({ chainId: 1, fromBlock: 1n, toBlock: 300n, perBlock: 4 });
      const load = async (open: typeof openDuckDbFile) => {
        const db = await open(path);
        try {
          await migrate(db);
          await insertRawEvents(db, events);
          const chunks = await Array.fromAsync(
            readEventsOrdered(db, 1, ORDERBOOK, { chunkSize: 100 }),
          );
          return chunks.flat();
        } finally {
          await db.close();
        }
      };
      const viaWorker = await load(openDuckDbFileInWorker);
      const inProcess = await load(openDuckDbFile);
      assert.ok(viaWorker.length > 0);
      assert.deepEqual(viaWorker, inProcess);
    });

    await t.step("a program that never closes its worker database still ends", async () => {
      const path = join(dir, "unclosed.duckdb");
      const script = join(dir, "unclosed.ts");
      await Deno.writeTextFile(
        script,
        `import { openDuckDbFileInWorker } from ${JSON.stringify(WORKER_MODULE)};
const db = await openDuckDbFileInWorker(${JSON.stringify(path)});
await db.exec("CREATE TABLE t (i INTEGER)");
await db.exec("INSERT INTO t VALUES (7)");
console.log("done");
`,
      );
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", "--config", CONFIG, script],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
      const output = await child.output();
      clearTimeout(timer);
      assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
      assert.equal(new TextDecoder().decode(output.stdout).trim(), "done");
      // What it wrote is durable (the write-ahead log is replayed on open).
      const db = await openDuckDbFile(path);
      try {
        assert.equal(await countRows(db, "t"), 1);
      } finally {
        await db.close();
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
