/**
 * Versioned migrations on every back end: from empty, re-run, too-new, foreign tables.
 */
import assert from "node:assert/strict";
import {
  CHAIN_EVENT_KEYS,
  CorruptDatabaseError,
  DbSchemaVersionError,
  migrate,
  MIGRATIONS,
  readSchemaVersion,
  SCHEMA_VERSION,
} from "../../src/db/mod.ts";
import { BACKENDS, resetDb } from "./_backends.ts";

/** Every table the schema documents (docs/schema.md), and nothing else. */
const EXPECTED_TABLES = [
  "blocks",
  "bytecode_artifacts",
  "clears",
  "contexts",
  "deposits",
  "erc20_tokens",
  "meta_events",
  "order_events",
  "order_ios",
  "raw_events",
  "schema_migrations",
  "store_sets",
  "sync_cursors",
  "takes",
  "token_events",
  "virtual_snapshots",
  "withdrawals",
];

for (const backend of BACKENDS) {
  Deno.test(`db schema migrations (${backend.name})`, async (t) => {
    const { db, cleanup } = await backend.open();
    try {
      await t.step("an empty database migrates to the current version", async () => {
        assert.equal(await readSchemaVersion(db), 0);
        const result = await migrate(db);
        assert.deepEqual(result, {
          from: 0,
          to: SCHEMA_VERSION,
          applied: MIGRATIONS.map((m) => m.version),
        });
        assert.equal(await readSchemaVersion(db), SCHEMA_VERSION);
        const tables = await db.query<{ table_name: string }>(
          "SELECT table_name FROM duckdb_tables() WHERE NOT temporary ORDER BY table_name",
        );
        assert.deepEqual(tables.map((r) => r.table_name), EXPECTED_TABLES);
        const recorded = await db.query<{ version: number; name: string }>(
          "SELECT version, name FROM schema_migrations ORDER BY version",
        );
        assert.deepEqual(recorded, MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
      });

      await t.step(
        "chain-event tables have no index; their NOT NULL and CHECK constraints remain",
        async () => {
          const keyed = await db.query<{ table_name: string }>(
            `SELECT DISTINCT table_name FROM duckdb_constraints()
             WHERE constraint_type = 'PRIMARY KEY' ORDER BY table_name`,
          );
          const names = keyed.map((r) => r.table_name);
          for (const table of Object.keys(CHAIN_EVENT_KEYS)) {
            assert.ok(!names.includes(table), `${table} has no PRIMARY KEY`);
          }
          // Tables written with ON CONFLICT keep theirs.
          for (const table of ["order_ios", "erc20_tokens", "bytecode_artifacts", "sync_cursors"]) {
            assert.ok(names.includes(table), `${table} keeps its PRIMARY KEY`);
          }
          await assert.rejects(
            db.exec(
              "INSERT INTO raw_events VALUES (1, '0xaa', 1, '0xbb', 0, '0xcc', 0, NULL, NULL, NULL, " +
                "NULL, NULL, NULL)",
            ),
            /NOT NULL/i,
          );
          await assert.rejects(
            db.exec(
              "INSERT INTO order_events VALUES (1, '0xaa', 1, 0, '0xcc', 'sideways', '0x', '0x', " +
                "'0x', '0x', '0x', '0x', '0x', '{}')",
            ),
            /CHECK/i,
          );
        },
      );

      await t.step("re-running applies nothing and changes nothing", async () => {
        const result = await migrate(db);
        assert.deepEqual(result, { from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
        const count = await db.query<{ n: bigint }>("SELECT count(*) AS n FROM schema_migrations");
        assert.equal(count[0].n, BigInt(MIGRATIONS.length));
      });

      await t.step(
        "a database from a newer schema is refused with DbSchemaVersionError",
        async () => {
          await db.exec(
            `INSERT INTO schema_migrations VALUES (${SCHEMA_VERSION + 1}, 'from the future', 0)`,
          );
          const error = await migrate(db).then(() => null, (e) => e);
          assert.ok(error instanceof DbSchemaVersionError);
          assert.deepEqual(error.details, { found: SCHEMA_VERSION + 1, supported: SCHEMA_VERSION });
        },
      );

      await t.step(
        "vraindex tables without a migrations record are CorruptDatabaseError",
        async () => {
          await resetDb(db);
          await db.exec("CREATE TABLE raw_events (x INTEGER)");
          const error = await migrate(db).then(() => null, (e) => e);
          assert.ok(error instanceof CorruptDatabaseError);
          assert.equal(error.details.table, "raw_events");
          // The failed migration left nothing behind.
          const tables = await db.query<{ table_name: string }>(
            "SELECT table_name FROM duckdb_tables() WHERE NOT temporary",
          );
          assert.deepEqual(tables.map((r) => r.table_name), ["raw_events"]);
        },
      );

      await t.step("a migration that fails midway is rolled back entirely", async () => {
        await resetDb(db);
        // A view named like v1's last table makes its last CREATE TABLE fail after the rest ran.
        await db.exec("CREATE VIEW virtual_snapshots AS SELECT 1 AS x");
        await assert.rejects(migrate(db));
        assert.equal(await readSchemaVersion(db), 0);
        const tables = await db.query<{ table_name: string }>(
          "SELECT table_name FROM duckdb_tables() WHERE NOT temporary",
        );
        assert.deepEqual(tables, []);
        await db.exec("DROP VIEW virtual_snapshots");
        assert.equal((await migrate(db)).to, SCHEMA_VERSION);
      });
    } finally {
      await cleanup();
    }
  });
}
