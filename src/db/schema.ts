/**
 * The one vraindex schema and its versioned migrations (see `docs/schema.md` for every table and
 * column).
 *
 * Conventions: addresses, hashes, `bytes32`, byte strings and packed Floats are lowercase `0x…` hex
 * `VARCHAR`s (exact, equal on both back ends, joinable without conversion); `uint256` amounts are
 * decimal `VARCHAR`s (they do not fit DuckDB's 128-bit integers); block numbers, chain ids and
 * timestamps are `UBIGINT`; log and transaction indices `UINTEGER`; structured values (orders,
 * contexts, snapshots) JSON text in `VARCHAR` (bigints as decimal strings) because duckdb-wasm has
 * no JSON type without fetching an extension.
 *
 * @module
 */
import { withTransaction } from "./core.ts";
import { CorruptDatabaseError, DbSchemaVersionError } from "./errors.ts";
import type { Db } from "./types.ts";

/** One schema change: applied once, in version order, inside the migration transaction. */
export type Migration = {
  /** Strictly increasing from 1. */
  readonly version: number;
  /** Short description, recorded in `schema_migrations`. */
  readonly name: string;
  /** Statements to run (DuckDB SQL; no transaction control). */
  readonly sql: string;
};

const V1_SQL = `
CREATE TABLE raw_events (
  chain_id UBIGINT NOT NULL,
  address VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  block_hash VARCHAR NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  tx_index UINTEGER NOT NULL,
  topic0 VARCHAR,
  topic1 VARCHAR,
  topic2 VARCHAR,
  topic3 VARCHAR,
  data VARCHAR NOT NULL,
  event_name VARCHAR,
  PRIMARY KEY (chain_id, address, block_number, log_index)
);

CREATE TABLE blocks (
  chain_id UBIGINT NOT NULL,
  block_number UBIGINT NOT NULL,
  block_hash VARCHAR NOT NULL,
  parent_hash VARCHAR NOT NULL,
  timestamp UBIGINT NOT NULL,
  PRIMARY KEY (chain_id, block_number)
);

CREATE TABLE order_events (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('add', 'remove')),
  sender VARCHAR NOT NULL,
  order_hash VARCHAR NOT NULL,
  owner VARCHAR NOT NULL,
  interpreter VARCHAR NOT NULL,
  store VARCHAR NOT NULL,
  bytecode VARCHAR NOT NULL,
  nonce VARCHAR NOT NULL,
  order_json VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE order_ios (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  order_hash VARCHAR NOT NULL,
  side VARCHAR NOT NULL CHECK (side IN ('input', 'output')),
  io_index UINTEGER NOT NULL,
  token VARCHAR NOT NULL,
  vault_id VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  PRIMARY KEY (chain_id, orderbook, order_hash, side, io_index)
);

CREATE TABLE takes (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  order_hash VARCHAR NOT NULL,
  order_owner VARCHAR NOT NULL,
  input_io_index UINTEGER NOT NULL,
  output_io_index UINTEGER NOT NULL,
  input_token VARCHAR,
  input_vault_id VARCHAR,
  output_token VARCHAR,
  output_vault_id VARCHAR,
  taker_input VARCHAR NOT NULL,
  taker_output VARCHAR NOT NULL,
  config_json VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE clears (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  after_clear_log_index UINTEGER NOT NULL,
  sender VARCHAR NOT NULL,
  alice_order_hash VARCHAR NOT NULL,
  alice_owner VARCHAR NOT NULL,
  bob_order_hash VARCHAR NOT NULL,
  bob_owner VARCHAR NOT NULL,
  alice_input_io_index UINTEGER NOT NULL,
  alice_output_io_index UINTEGER NOT NULL,
  bob_input_io_index UINTEGER NOT NULL,
  bob_output_io_index UINTEGER NOT NULL,
  alice_bounty_vault_id VARCHAR NOT NULL,
  bob_bounty_vault_id VARCHAR NOT NULL,
  alice_input_token VARCHAR,
  alice_input_vault_id VARCHAR,
  alice_output_token VARCHAR,
  alice_output_vault_id VARCHAR,
  bob_input_token VARCHAR,
  bob_input_vault_id VARCHAR,
  bob_output_token VARCHAR,
  bob_output_vault_id VARCHAR,
  alice_input VARCHAR NOT NULL,
  alice_output VARCHAR NOT NULL,
  bob_input VARCHAR NOT NULL,
  bob_output VARCHAR NOT NULL,
  alice_order_json VARCHAR NOT NULL,
  bob_order_json VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE deposits (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  token VARCHAR NOT NULL,
  vault_id VARCHAR NOT NULL,
  amount VARCHAR NOT NULL,
  amount_source VARCHAR NOT NULL CHECK (amount_source IN ('calldata', 'event')),
  exact BOOLEAN NOT NULL,
  amount_uint256 VARCHAR NOT NULL,
  decimals UTINYINT,
  balance_check VARCHAR CHECK (balance_check IN ('matched', 'mismatched', 'unavailable')),
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE withdrawals (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  token VARCHAR NOT NULL,
  vault_id VARCHAR NOT NULL,
  target_amount VARCHAR NOT NULL,
  withdraw_amount VARCHAR NOT NULL,
  withdraw_amount_uint256 VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE store_sets (
  chain_id UBIGINT NOT NULL,
  store VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  fqn VARCHAR NOT NULL,
  key VARCHAR NOT NULL,
  value VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, store, block_number, log_index)
);

CREATE TABLE contexts (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  order_hash VARCHAR,
  context_json VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE meta_events (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  subject VARCHAR NOT NULL,
  meta VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);

CREATE TABLE erc20_tokens (
  chain_id UBIGINT NOT NULL,
  address VARCHAR NOT NULL,
  decimals UTINYINT,
  decimals_status VARCHAR NOT NULL CHECK (decimals_status IN ('ok', 'reverted', 'override')),
  decimals_error VARCHAR,
  symbol VARCHAR,
  name VARCHAR,
  fetched_at_block UBIGINT,
  updated_at UBIGINT NOT NULL,
  PRIMARY KEY (chain_id, address),
  CHECK ((decimals_status = 'reverted') = (decimals IS NULL))
);

CREATE TABLE bytecode_artifacts (
  chain_id UBIGINT NOT NULL,
  address VARCHAR NOT NULL,
  kind VARCHAR NOT NULL,
  bytecode VARCHAR NOT NULL,
  code_hash VARCHAR NOT NULL,
  fetched_at_block UBIGINT NOT NULL,
  fetched_at_ts UBIGINT,
  PRIMARY KEY (chain_id, address, code_hash)
);

CREATE TABLE sync_cursors (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER,
  block_hash VARCHAR,
  timestamp UBIGINT,
  updated_at UBIGINT NOT NULL,
  PRIMARY KEY (chain_id, orderbook)
);

CREATE TABLE virtual_snapshots (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER,
  format VARCHAR,
  snapshot VARCHAR NOT NULL,
  checksum VARCHAR NOT NULL,
  created_at UBIGINT NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number)
);
`;

// Version 2: where each sync started and whether that start was after the orderbook's deployment
// (a resumed sync must not re-derive either from the events it happens to have stored), and the
// deposit amount sources split by how the calldata was found. DuckDB cannot alter a CHECK
// constraint, so `deposits` is rebuilt; rows from version 1 keep `calldata` (direct or multicall
// was not recorded then) and `sync_start`/`partial` stay NULL (unknown) on existing cursors.
const V2_SQL = `
ALTER TABLE sync_cursors ADD COLUMN sync_start UBIGINT;
ALTER TABLE sync_cursors ADD COLUMN partial BOOLEAN;

CREATE TABLE deposits_v2 (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR NOT NULL,
  sender VARCHAR NOT NULL,
  token VARCHAR NOT NULL,
  vault_id VARCHAR NOT NULL,
  amount VARCHAR NOT NULL,
  amount_source VARCHAR NOT NULL
    CHECK (amount_source IN ('calldata-direct', 'calldata-multicall', 'event', 'calldata')),
  exact BOOLEAN NOT NULL,
  amount_uint256 VARCHAR NOT NULL,
  decimals UTINYINT,
  balance_check VARCHAR CHECK (balance_check IN ('matched', 'mismatched', 'unavailable')),
  PRIMARY KEY (chain_id, orderbook, block_number, log_index)
);
INSERT INTO deposits_v2 SELECT * FROM deposits;
DROP TABLE deposits;
ALTER TABLE deposits_v2 RENAME TO deposits;
`;

// Version 3: the V6 token model (vaultless orders). One row per ERC-20 fact about a tracked
// (token, account) pair: a `Transfer` or `Approval(owner, orderbook, …)` log, or a seed read with
// `balanceOf`/`allowance` at the end of block `block_number` (seeds carry no log: their `log_index`
// is 4294967295, so they sort after every log of their block, and `tx_hash` is NULL). A `Transfer`
// is one row: `account` = from, `counterparty` = to; an `Approval`: owner and spender.
const V3_SQL = `
CREATE TABLE token_events (
  chain_id UBIGINT NOT NULL,
  orderbook VARCHAR NOT NULL,
  block_number UBIGINT NOT NULL,
  log_index UINTEGER NOT NULL,
  tx_hash VARCHAR,
  kind VARCHAR NOT NULL
    CHECK (kind IN ('transfer', 'approval', 'seed-balance', 'seed-allowance')),
  token VARCHAR NOT NULL,
  account VARCHAR NOT NULL,
  counterparty VARCHAR,
  amount VARCHAR NOT NULL,
  PRIMARY KEY (chain_id, orderbook, block_number, log_index, kind, token, account)
);
`;

// Version 4: the chain-event tables lose their PRIMARY KEY indexes. Their keys — a chain position
// (block, log index) and its emitter — are kept by the writer instead: `insertIdempotent` checks the
// batch's block range in the same transaction and inserts only rows whose key is not stored. The
// ART index cost every insert ~2–3 µs a row and every checkpoint a rewrite of the whole index (a
// 10k-log sync chunk: ~25 ms of ~70 ms for `raw_events` alone). Each table is rebuilt from its
// latest shipped definition (below, taken from the migration that created it) with the key line
// removed, so columns, types, NOT NULL and CHECK constraints stay exactly as they were.
const KEYLESS_TABLES: readonly { table: string; from: string; name: string }[] = [
  { table: "raw_events", from: V1_SQL, name: "raw_events" },
  { table: "blocks", from: V1_SQL, name: "blocks" },
  { table: "order_events", from: V1_SQL, name: "order_events" },
  { table: "takes", from: V1_SQL, name: "takes" },
  { table: "clears", from: V1_SQL, name: "clears" },
  { table: "deposits", from: V2_SQL, name: "deposits_v2" },
  { table: "withdrawals", from: V1_SQL, name: "withdrawals" },
  { table: "store_sets", from: V1_SQL, name: "store_sets" },
  { table: "contexts", from: V1_SQL, name: "contexts" },
  { table: "meta_events", from: V1_SQL, name: "meta_events" },
  { table: "token_events", from: V3_SQL, name: "token_events" },
];

/** The `CREATE TABLE name (…)` statement of `sql`, renamed to `rename`, without its PRIMARY KEY. */
function keylessCopy(sql: string, name: string, rename: string): string {
  const start = sql.indexOf(`CREATE TABLE ${name} (`);
  const end = sql.indexOf("\n);", start);
  if (start < 0 || end < 0) throw new Error(`schema: no CREATE TABLE ${name}`);
  const lines = sql.slice(start, end).split("\n").slice(1)
    .filter((line) => !line.trim().startsWith("PRIMARY KEY"));
  const body = lines.join("\n").replace(/,\s*$/, "");
  return `CREATE TABLE ${rename} (\n${body}\n);`;
}

const V4_SQL = KEYLESS_TABLES.map(({ table, from, name }) =>
  `${keylessCopy(from, name, `${table}_v4`)}
INSERT INTO ${table}_v4 SELECT * FROM ${table};
DROP TABLE ${table};
ALTER TABLE ${table}_v4 RENAME TO ${table};`
).join("\n");

/**
 * The key of each chain-event table, kept by the writer since schema version 4 (no index): what
 * `insertIdempotent` deduplicates on, and the order `exportParquet` writes rows in.
 *
 * @example
 * ```ts
 * import { CHAIN_EVENT_KEYS } from "./mod.ts";
 * console.log(CHAIN_EVENT_KEYS.blocks); // ["chain_id", "block_number"]
 * ```
 */
export const CHAIN_EVENT_KEYS: Readonly<Record<string, readonly string[]>> = {
  raw_events: ["chain_id", "address", "block_number", "log_index"],
  blocks: ["chain_id", "block_number"],
  order_events: ["chain_id", "orderbook", "block_number", "log_index"],
  takes: ["chain_id", "orderbook", "block_number", "log_index"],
  clears: ["chain_id", "orderbook", "block_number", "log_index"],
  deposits: ["chain_id", "orderbook", "block_number", "log_index"],
  withdrawals: ["chain_id", "orderbook", "block_number", "log_index"],
  store_sets: ["chain_id", "store", "block_number", "log_index"],
  contexts: ["chain_id", "orderbook", "block_number", "log_index"],
  meta_events: ["chain_id", "orderbook", "block_number", "log_index"],
  token_events: ["chain_id", "orderbook", "block_number", "log_index", "kind", "token", "account"],
};

/**
 * Every migration, oldest first. Never edit one that has shipped: add the next version.
 *
 * @example
 * ```ts
 * import { MIGRATIONS } from "./mod.ts";
 * console.log(MIGRATIONS.map((m) => m.version)); // [1, 2, 3, 4]
 * ```
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: "initial schema", sql: V1_SQL },
  { version: 2, name: "sync start and partial flag; deposit amount sources", sql: V2_SQL },
  { version: 3, name: "V6 token model: transfers, approvals and seeds", sql: V3_SQL },
  { version: 4, name: "chain-event tables keyed by the writer, without index", sql: V4_SQL },
];

/**
 * The schema version this code writes and reads.
 *
 * @example
 * ```ts
 * import { SCHEMA_VERSION } from "./mod.ts";
 * console.log(SCHEMA_VERSION); // 4
 * ```
 */
export const SCHEMA_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1].version;

/** How a chain table's rows relate to chain history; `rollbackAfter` uses it. */
export type ChainTable = {
  readonly table: string;
  /** Column holding the block a row belongs to. */
  readonly blockColumn: string;
};

/**
 * Tables whose rows come from a given block of a chain: every one of them loses its rows above the
 * fork point in `rollbackAfter`. `sync_cursors` is moved back rather than deleted.
 *
 * @example
 * ```ts
 * import { CHAIN_TABLES } from "./mod.ts";
 * console.log(CHAIN_TABLES.map((t) => t.table).includes("store_sets")); // true
 * ```
 */
export const CHAIN_TABLES: readonly ChainTable[] = [
  { table: "raw_events", blockColumn: "block_number" },
  { table: "blocks", blockColumn: "block_number" },
  { table: "order_events", blockColumn: "block_number" },
  { table: "order_ios", blockColumn: "block_number" },
  { table: "takes", blockColumn: "block_number" },
  { table: "clears", blockColumn: "block_number" },
  { table: "deposits", blockColumn: "block_number" },
  { table: "withdrawals", blockColumn: "block_number" },
  { table: "store_sets", blockColumn: "block_number" },
  { table: "contexts", blockColumn: "block_number" },
  { table: "meta_events", blockColumn: "block_number" },
  { table: "bytecode_artifacts", blockColumn: "fetched_at_block" },
  { table: "virtual_snapshots", blockColumn: "block_number" },
  { table: "token_events", blockColumn: "block_number" },
];

const MIGRATIONS_DDL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version INTEGER PRIMARY KEY,
  name VARCHAR NOT NULL,
  applied_at UBIGINT NOT NULL
)`;

/** What {@link migrate} did. */
export type MigrateResult = {
  /** Version before (0 for an empty database). */
  from: number;
  /** Version after: {@link SCHEMA_VERSION}. */
  to: number;
  /** Versions applied by this call, in order (empty when already current). */
  applied: number[];
};

/**
 * The schema version recorded in a database: 0 when it has no `schema_migrations` table.
 *
 * @example
 * ```ts
 * import { migrate, readSchemaVersion } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * console.log(await readSchemaVersion(db)); // 0
 * await migrate(db);
 * console.log(await readSchemaVersion(db)); // 4
 * await db.close();
 * ```
 */
export async function readSchemaVersion(db: Db): Promise<number> {
  const tables = await db.query<{ n: bigint }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'schema_migrations' AND NOT temporary",
  );
  if (tables[0].n === 0n) return 0;
  const rows = await db.query<{ v: number | null }>(
    "SELECT max(version) AS v FROM schema_migrations",
  );
  return rows[0]?.v ?? 0;
}

/**
 * Brings a database to {@link SCHEMA_VERSION}: applies every pending migration in one transaction
 * (all or none) and records each in `schema_migrations`. Idempotent.
 *
 * @throws {DbSchemaVersionError} when the database records a version newer than this code knows.
 * @throws {CorruptDatabaseError} when vraindex tables exist without a migrations record.
 *
 * @example
 * ```ts
 * import { migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * console.log(await migrate(db)); // { from: 0, to: 4, applied: [1, 2, 3, 4] }
 * console.log(await migrate(db)); // { from: 4, to: 4, applied: [] }
 * await db.close();
 * ```
 */
export function migrate(db: Db): Promise<MigrateResult> {
  return withTransaction(db, async (tx) => {
    const from = await readSchemaVersion(tx);
    if (from > SCHEMA_VERSION) {
      throw new DbSchemaVersionError(
        `database ${db.path} has schema version ${from}; this vraindex supports up to ` +
          `${SCHEMA_VERSION}: upgrade vraindex instead of opening it with an older one`,
        { found: from, supported: SCHEMA_VERSION },
      );
    }
    if (from === 0) {
      const existing = await tx.query<{ table_name: string }>(
        "SELECT table_name FROM duckdb_tables() WHERE NOT temporary AND table_name IN " +
          `(${CHAIN_TABLES.map((t) => `'${t.table}'`).join(", ")}, 'sync_cursors')`,
      );
      if (existing.length > 0) {
        throw new CorruptDatabaseError(
          `database ${db.path} has vraindex tables (${
            existing.map((r) => r.table_name).join(", ")
          }) but no schema_migrations record: not created by vraindex, or damaged`,
          { path: db.path, table: existing[0].table_name, reason: "tables without migrations" },
        );
      }
    }
    await tx.exec(MIGRATIONS_DDL);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue;
      await tx.exec(migration.sql);
      await tx.query("INSERT INTO schema_migrations VALUES ($1, $2, $3)", [
        migration.version,
        migration.name,
        BigInt(Date.now()),
      ]);
      applied.push(migration.version);
    }
    return { from, to: SCHEMA_VERSION, applied };
  });
}
