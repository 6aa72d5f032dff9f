/**
 * The `Db` contract, run identically against native file, native memory and wasm memory.
 */
import assert from "node:assert/strict";
import { type Db, DbClosedError, DbQueryError, DbTransactionError } from "../../src/db/mod.ts";
import { isVraindexError } from "../../src/errors/mod.ts";
import { BACKENDS, countRows, resetDb } from "./_backends.ts";

/** Table `c` recreated with its columns in another order than `(k, v, w)`. */
const RECREATED = "CREATE TABLE c (w VARCHAR, v VARCHAR, k INTEGER)";

/** An append naming `(k, v, w)` must land by name in the recreated `c` (its only row). */
async function assertAppendLandsByName(db: Db): Promise<void> {
  await db.appendRows("c", ["k", "v", "w"], [[3, "three", "trois"]]);
  assert.deepEqual(await db.query("SELECT w, v, k FROM c"), [{ w: "trois", v: "three", k: 3 }]);
}

for (const backend of BACKENDS) {
  Deno.test(`db contract (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      assert.equal(db.kind, backend.kind);
      assert.equal(db.inTransaction, false);

      await t.step("values map to the documented JS types", async () => {
        const rows = await db.query(`SELECT
          true AS bool, 7::INTEGER AS int, 4294967295::UINTEGER AS uint, (-9)::BIGINT AS big,
          18446744073709551615::UBIGINT AS ubig,
          170141183460469231731687303715884105727::HUGEINT AS huge,
          (-170141183460469231731687303715884105727)::HUGEINT AS neg_huge,
          1.5::DOUBLE AS dbl, 'it''s ∑' AS txt, '\\xAB\\x01'::BLOB AS blob,
          (-12.05)::DECIMAL(10, 2) AS dec, NULL::VARCHAR AS nothing, 255::UTINYINT AS small`);
        assert.deepEqual(rows, [{
          bool: true,
          int: 7,
          uint: 4294967295,
          big: -9n,
          ubig: 18446744073709551615n,
          huge: 170141183460469231731687303715884105727n,
          neg_huge: -170141183460469231731687303715884105727n,
          dbl: 1.5,
          txt: "it's ∑",
          blob: "0xab01",
          dec: "-12.05",
          nothing: null,
          small: 255,
        }]);
        assert.deepEqual(await db.query("SELECT count(*) AS n FROM range(3)"), [{ n: 3n }]);
      });

      await t.step("parameters bind exactly, including uint64 extremes", async () => {
        await resetDb(db);
        await db.exec(
          "CREATE TABLE p (a UBIGINT PRIMARY KEY, s VARCHAR, f BOOLEAN, n INTEGER); " +
            "INSERT INTO p VALUES (18446744073709551615, 'x''y', true, 1), (9007199254740993, NULL, false, 2)",
        );
        assert.deepEqual(
          await db.query("SELECT n FROM p WHERE a = $1", [18446744073709551615n]),
          [{ n: 1 }],
        );
        // 2^53 + 1 is not a double: a lossy binding would miss the row.
        assert.deepEqual(await db.query("SELECT n FROM p WHERE a = $1", [9007199254740993n]), [{
          n: 2,
        }]);
        assert.deepEqual(await db.query("SELECT n FROM p WHERE s = $1", ["x'y"]), [{ n: 1 }]);
        assert.deepEqual(await db.query("SELECT n FROM p WHERE f = $1 AND n = $2", [false, 2]), [{
          n: 2,
        }]);
        assert.deepEqual(await db.query("SELECT $1::UBIGINT IS NULL AS isnull", [null]), [{
          isnull: true,
        }]);
      });

      await t.step(
        "appendRows fills named columns, defaults the rest, keeps exact values",
        async () => {
          await resetDb(db);
          await db.exec(
            "CREATE TABLE a (k UBIGINT PRIMARY KEY, i UINTEGER, s VARCHAR, b BOOLEAN, " +
              "blob BLOB, d VARCHAR DEFAULT 'dflt', h HUGEINT)",
          );
          const n = await db.appendRows("a", ["k", "i", "s", "b", "blob", "h"], [
            [18446744073709551615n, 1, "o'ne", true, "0xdead", -(2n ** 100n)],
            [2n, 4294967295, null, false, null, null],
          ]);
          assert.equal(n, 2);
          assert.deepEqual(await db.query("SELECT * FROM a ORDER BY k"), [
            { k: 2n, i: 4294967295, s: null, b: false, blob: null, d: "dflt", h: null },
            {
              k: 18446744073709551615n,
              i: 1,
              s: "o'ne",
              b: true,
              blob: "0xdead",
              d: "dflt",
              h: -(2n ** 100n),
            },
          ]);
          assert.equal(await db.appendRows("a", ["k"], []), 0);
        },
      );

      await t.step("appendRows of plain columns keeps extremes and NULLs", async () => {
        // No BLOB/HUGEINT columns: on wasm this takes the Arrow IPC path, not literal INSERTs.
        await resetDb(db);
        await db.exec(
          "CREATE TABLE plain (k UBIGINT PRIMARY KEY, i UINTEGER, t UTINYINT, s VARCHAR, " +
            "b BOOLEAN, x DOUBLE, z BIGINT, d VARCHAR DEFAULT 'dflt')",
        );
        await db.appendRows("plain", ["k", "i", "t", "s", "b", "x", "z"], [
          [18446744073709551615n, 4294967295, 255, "é'\"", true, 0.1, -(2n ** 63n)],
          [0n, null, null, null, null, null, null],
        ]);
        assert.deepEqual(await db.query("SELECT * FROM plain ORDER BY k"), [
          { k: 0n, i: null, t: null, s: null, b: null, x: null, z: null, d: "dflt" },
          {
            k: 18446744073709551615n,
            i: 4294967295,
            t: 255,
            s: "é'\"",
            b: true,
            x: 0.1,
            z: -(2n ** 63n),
            d: "dflt",
          },
        ]);
      });

      await t.step("appendRows in bulk (5,000 rows) keeps every row", async () => {
        await resetDb(db);
        await db.exec("CREATE TABLE bulk (k UBIGINT PRIMARY KEY, v VARCHAR)");
        const rows = Array.from({ length: 5000 }, (_, i) => [BigInt(i), `v${i}`]);
        assert.equal(await db.appendRows("bulk", ["k", "v"], rows), 5000);
        assert.deepEqual(await db.query("SELECT count(*) AS n, sum(k) AS s FROM bulk"), [{
          n: 5000n,
          s: 4999n * 5000n / 2n,
        }]);
      });

      await t.step(
        "appendRows in bulk keeps NULL, empty, separator and non-ASCII texts apart",
        async () => {
          await resetDb(db);
          await db.exec(
            "CREATE TABLE texts (k UBIGINT, s VARCHAR, t VARCHAR, f BOOLEAN, n UINTEGER)",
          );
          // Every column shape a bulk append may meet, past the size of a literal insert.
          const awkward = ["", "\x1e", "a\x1fb", "∑ ünï", "\x1e\x1e", "x\x1f"];
          const rows = Array.from({ length: 300 }, (_, i) => [
            BigInt(i),
            i % 7 === 0 ? null : i % 5 === 0 ? "" : `s${i}-∑`,
            i % 50 < awkward.length ? awkward[i % 50] : i % 3 === 0 ? null : `t${i}`,
            i % 4 === 0 ? null : i % 2 === 0,
            i % 9 === 0 ? null : i * 1000,
          ]);
          assert.equal(await db.appendRows("texts", ["k", "s", "t", "f", "n"], rows), 300);
          const stored = await db.query("SELECT k, s, t, f, n FROM texts ORDER BY k");
          assert.deepEqual(stored.map((r) => [r.k, r.s, r.t, r.f, r.n]), rows);
        },
      );

      await t.step(
        "appendRows follows a table whose columns changed, also on another connection",
        async () => {
          await resetDb(db);
          await db.exec("CREATE TABLE c (k INTEGER, v VARCHAR)");
          await db.appendRows("c", ["k", "v"], [[1, "one"]]);
          // DDL on a transaction's connection, then an append on the first connection.
          await db.transaction(async (tx) => {
            await tx.query("ALTER TABLE c ADD COLUMN w VARCHAR");
          });
          await db.appendRows("c", ["k", "v", "w"], [[2, "two", "deux"]]);
          // Recreated with the columns in another order: values must land by name.
          await db.query("DROP TABLE c");
          await db.query(RECREATED);
          await assertAppendLandsByName(db);
        },
      );

      await t.step(
        "appendRows after a transaction that recreated the table, appended to meanwhile",
        async () => {
          await resetDb(db);
          await db.query("CREATE TABLE c (k INTEGER, v VARCHAR, w VARCHAR)");
          let release!: () => void;
          const gate = new Promise<void>((resolve) => release = resolve);
          let recreated!: () => void;
          const ready = new Promise<void>((resolve) => recreated = resolve);
          const recreating = db.transaction(async (tx) => {
            await tx.query("DROP TABLE c");
            await tx.query(RECREATED);
            recreated();
            await gate;
          });
          await ready;
          // Outside the transaction the old table is still the one seen, and appended to.
          await db.appendRows("c", ["k", "v", "w"], [[1, "one", "un"]]);
          release();
          await recreating;
          await assertAppendLandsByName(db);
        },
      );

      await t.step(
        "appendRows errors are DbQueryError (duplicate key, unknown column)",
        async () => {
          await resetDb(db);
          await db.exec("CREATE TABLE u (k INTEGER PRIMARY KEY)");
          await db.appendRows("u", ["k"], [[1]]);
          await assert.rejects(db.appendRows("u", ["k"], [[1]]), DbQueryError);
          await assert.rejects(db.appendRows("u", ["nope"], [[2]]), DbQueryError);
          assert.equal(await countRows(db, "u"), 1);
        },
      );

      await t.step("a failing statement is a DbQueryError with the SQL and the cause", async () => {
        const error = await db.query("SELEC 1").then(() => null, (e) => e);
        assert.ok(error instanceof DbQueryError);
        assert.equal(error.name, "DbQueryError");
        assert.equal(error.details.sql, "SELEC 1");
        assert.equal(error.details.kind, backend.kind);
        assert.ok(error.cause instanceof Error);
        assert.ok(isVraindexError(error, "DbQueryError"));
      });

      await t.step(
        "transaction commits what the callback wrote and returns its value",
        async () => {
          await resetDb(db);
          await db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)");
          const result = await db.transaction(async (tx) => {
            assert.equal(tx.inTransaction, true);
            await tx.exec("INSERT INTO t VALUES (1)");
            await tx.appendRows("t", ["k"], [[2], [3]]);
            return "done";
          });
          assert.equal(result, "done");
          assert.deepEqual(await db.query("SELECT k FROM t ORDER BY k"), [{ k: 1 }, { k: 2 }, {
            k: 3,
          }]);
        },
      );

      await t.step(
        "a transaction that throws leaves nothing and rethrows the same error",
        async () => {
          await resetDb(db);
          await db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)");
          const boom = new Error("boom");
          const error = await db.transaction(async (tx) => {
            await tx.exec("INSERT INTO t VALUES (1)");
            await tx.appendRows("t", ["k"], [[2], [3]]);
            throw boom;
          }).then(() => null, (e) => e);
          assert.equal(error, boom);
          assert.equal(await countRows(db, "t"), 0);
          // A statement failing inside the transaction rolls everything back too.
          await assert.rejects(
            db.transaction(async (tx) => {
              await tx.exec("INSERT INTO t VALUES (5)");
              await tx.exec("INSERT INTO t VALUES (5)");
            }),
            DbQueryError,
          );
          assert.equal(await countRows(db, "t"), 0);
        },
      );

      await t.step("uncommitted rows are invisible outside the transaction", async () => {
        await resetDb(db);
        await db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)");
        await db.transaction(async (tx) => {
          await tx.exec("INSERT INTO t VALUES (1)");
          assert.equal(await countRows(tx, "t"), 1);
          assert.equal(await countRows(db, "t"), 0);
        });
        assert.equal(await countRows(db, "t"), 1);
      });

      await t.step("nested, concurrent and stale transaction use is rejected", async () => {
        const nested = await db.transaction((tx) => tx.transaction(() => Promise.resolve(1)))
          .then(() => null, (e) => e);
        assert.ok(nested instanceof DbTransactionError);
        assert.equal(nested.details.reason, "nested");

        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        const first = db.transaction(() => gate);
        const second = await db.transaction(() => Promise.resolve()).then(() => null, (e) => e);
        assert.ok(second instanceof DbTransactionError);
        assert.equal(second.details.reason, "concurrent");
        release();
        await first;

        let leaked: typeof db | undefined;
        await db.transaction((tx) => {
          leaked = tx;
          return Promise.resolve();
        });
        const stale = await leaked!.query("SELECT 1").then(() => null, (e) => e);
        assert.ok(stale instanceof DbTransactionError);
        assert.equal(stale.details.reason, "finished");
        await assert.rejects(db.transaction((tx) => tx.close()), DbTransactionError);
        // After all that, transactions still work.
        assert.equal(await db.transaction(() => Promise.resolve(7)), 7);
      });
    } finally {
      await cleanup();
    }
    const closed = await db.query("SELECT 1").then(() => null, (e) => e);
    assert.ok(closed instanceof DbClosedError);
    await db.close(); // a second close is a no-op
  });
}
