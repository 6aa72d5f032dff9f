/**
 * DuckDB files and memory databases through the native binding `@duckdb/node-api` (Deno needs
 * `--allow-read --allow-write --allow-ffi`). The only storage file that is Deno/Node-specific: it is
 * not re-exported by `mod.ts`, so browser code never loads it.
 *
 * @module
 */
import {
  type DuckDBAppender,
  DuckDBBlobValue,
  type DuckDBConnection,
  DuckDBDecimalValue,
  DuckDBInstance,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from "@duckdb/node-api";
import { resolve } from "node:path";
import { createDb, type Driver, type DriverConnection } from "./core.ts";
import { CorruptDatabaseError, DbOpenError } from "./errors.ts";
import { claimInProcess, releaseInProcess } from "./open_files.ts";
import { bytesToHex, hexToBytes, quoteString, toBigInt } from "./sql.ts";
import type { Db, DbKind, DbParam, DbRow, DbValue } from "./types.ts";

/** Options of {@link openDuckDbFile} and {@link openDuckDbMemory}. */
export type OpenDuckDbOptions = {
  /** DuckDB configuration options (`threads`, `memory_limit`, `access_mode`, …). */
  config?: Record<string, string>;
};

/**
 * WAL size that triggers a checkpoint on files, unless `config.checkpoint_threshold` says otherwise.
 * DuckDB's 16 MiB default checkpoints after nearly every 10k-log sync chunk (~15 MB of WAL), and a
 * checkpoint rewrites the primary-key indexes: ~150 ms a commit, more than the chunk's inserts.
 * The WAL stays durable either way; a larger one only takes longer to replay after a crash.
 */
const FILE_CHECKPOINT_THRESHOLD = "256MiB";

/**
 * Opens (creating when absent) a DuckDB database file with the native binding. Two opens of the same
 * path in one process share one database; it is closed when the last handle closes.
 *
 * @param path File path (resolved to an absolute path, reported as `db.path`); its directory must
 *   exist.
 * @returns A {@link Db} of kind `native-file`. Run `migrate(db)` before using the repository.
 * @throws {CorruptDatabaseError} when the file exists but is not a DuckDB database.
 * @throws {DbOpenError} when the file cannot be opened (missing directory, locked, permissions).
 *
 * @example
 * ```ts
 * import { migrate } from "./mod.ts";
 * import { openDuckDbFile } from "./native.ts";
 * const dir = await Deno.makeTempDir();
 * const db = await openDuckDbFile(`${dir}/sync.duckdb`);
 * await migrate(db);
 * await db.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openDuckDbFile(path: string, options: OpenDuckDbOptions = {}): Promise<Db> {
  return createDb(await openNativeFileDriver(path, options));
}

/**
 * The driver behind {@link openDuckDbFile}, for hosts that wrap it (the worker back end runs it in
 * its thread). Same path handling and errors as `openDuckDbFile`.
 *
 * @example
 * ```ts
 * import { createDb } from "./core.ts";
 * import { openNativeFileDriver } from "./native.ts";
 * const dir = await Deno.makeTempDir();
 * const db = createDb(await openNativeFileDriver(`${dir}/a.duckdb`));
 * await db.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openNativeFileDriver(
  path: string,
  options: OpenDuckDbOptions = {},
): Promise<Driver> {
  if (path === "" || path === ":memory:") {
    throw new DbOpenError("openDuckDbFile needs a file path; use openDuckDbMemory for memory", {
      kind: "native-file",
      path,
      reason: "not a file path",
    });
  }
  // DuckDB's instance cache is keyed by the path text: one spelling per file, or two instances
  // would write the same file.
  path = resolve(path);
  if (!claimInProcess(path)) {
    throw new DbOpenError(`${path} is open in a DuckDB worker of this process; close that first`, {
      kind: "native-file",
      path,
      reason: "open in a worker",
    });
  }
  let instance: DuckDBInstance;
  try {
    instance = await DuckDBInstance.fromCache(path, {
      checkpoint_threshold: FILE_CHECKPOINT_THRESHOLD,
      ...options.config,
    });
  } catch (error) {
    releaseInProcess(path);
    const reason = error instanceof Error ? error.message : String(error);
    if (/not a valid DuckDB database file/i.test(reason)) {
      throw new CorruptDatabaseError(`${path} is not a DuckDB database: ${reason}`, {
        path,
        reason,
      }, { cause: error });
    }
    throw new DbOpenError(`could not open DuckDB file ${path}: ${reason}`, {
      kind: "native-file",
      path,
      reason,
    }, { cause: error });
  }
  let driver: Driver;
  try {
    driver = await nativeDriver(instance, "native-file", path);
  } catch (error) {
    releaseInProcess(path);
    throw error;
  }
  return {
    ...driver,
    close: async () => {
      releaseInProcess(path);
      await driver.close();
    },
  };
}

/**
 * Opens a fresh in-memory DuckDB database with the native binding (same engine as files; handy for
 * tests and scratch work).
 *
 * @example
 * ```ts
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * console.log(await db.query("SELECT 42::UBIGINT AS answer")); // [{ answer: 42n }]
 * await db.close();
 * ```
 */
export async function openDuckDbMemory(options: OpenDuckDbOptions = {}): Promise<Db> {
  const instance = await DuckDBInstance.create(":memory:", options.config);
  return createDb(await nativeDriver(instance, "native-memory", ":memory:"));
}

async function nativeDriver(instance: DuckDBInstance, kind: DbKind, path: string): Promise<Driver> {
  const columns = new TableColumns();
  const main = new NativeConnection(await instance.connect(), columns);
  return {
    kind,
    path,
    main,
    connect: async () => new NativeConnection(await instance.connect(), columns),
    close: () => {
      instance.closeSync();
      return Promise.resolve();
    },
  };
}

/** DuckDB value → {@link DbValue}, by column type (the mapping documented on `DbValue`). */
function convertValue(value: DuckDBValue, type: DuckDBType): DbValue {
  if (value === null) return null;
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.VARCHAR:
      return value as DbValue;
    case DuckDBTypeId.BLOB:
      return value instanceof DuckDBBlobValue ? bytesToHex(value.bytes) : null;
    case DuckDBTypeId.DECIMAL:
      return value instanceof DuckDBDecimalValue ? value.toString() : null;
    default:
      return String(value);
  }
}

type Append = (appender: DuckDBAppender, value: DbValue) => void;

function appenderFor(type: DuckDBType): Append {
  switch (type.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return (a, v) => a.appendBoolean(Boolean(v));
    case DuckDBTypeId.TINYINT:
      return (a, v) => a.appendTinyInt(Number(v));
    case DuckDBTypeId.SMALLINT:
      return (a, v) => a.appendSmallInt(Number(v));
    case DuckDBTypeId.INTEGER:
      return (a, v) => a.appendInteger(Number(v));
    case DuckDBTypeId.UTINYINT:
      return (a, v) => a.appendUTinyInt(Number(v));
    case DuckDBTypeId.USMALLINT:
      return (a, v) => a.appendUSmallInt(Number(v));
    case DuckDBTypeId.UINTEGER:
      return (a, v) => a.appendUInteger(Number(v));
    case DuckDBTypeId.BIGINT:
      return (a, v) => a.appendBigInt(toBigInt(v));
    case DuckDBTypeId.UBIGINT:
      return (a, v) => a.appendUBigInt(toBigInt(v));
    case DuckDBTypeId.HUGEINT:
      return (a, v) => a.appendHugeInt(toBigInt(v));
    case DuckDBTypeId.UHUGEINT:
      return (a, v) => a.appendUHugeInt(toBigInt(v));
    case DuckDBTypeId.FLOAT:
      return (a, v) => a.appendFloat(Number(v));
    case DuckDBTypeId.DOUBLE:
      return (a, v) => a.appendDouble(Number(v));
    case DuckDBTypeId.VARCHAR:
      return (a, v) => a.appendVarchar(String(v));
    case DuckDBTypeId.BLOB:
      return (a, v) => a.appendBlob(hexToBytes(String(v)));
    default:
      return (a, v) => a.appendValue(v, type);
  }
}

/**
 * Each table's column names in order, shared by one database's connections: the appender fills
 * whole rows in that order, and asking DuckDB for it is a statement per append. A statement that
 * may change a table (DDL, a search-path change) forgets them all, and so does the end of a
 * transaction that ran one (another connection may have read the old columns meanwhile).
 */
class TableColumns {
  readonly #byTable = new Map<string, string[]>();

  async of(connection: DuckDBConnection, table: string): Promise<string[]> {
    const known = this.#byTable.get(table);
    if (known !== undefined) return known;
    const info = await connection.runAndReadAll(
      `SELECT name FROM pragma_table_info(${quoteString(table)}) ORDER BY cid`,
    );
    const names = info.getColumns()[0]?.map(String) ?? [];
    if (names.length > 0) this.#byTable.set(table, names);
    return names;
  }

  forgetAll(): void {
    this.#byTable.clear();
  }
}

const DDL = /\b(CREATE|ALTER|DROP|ATTACH|DETACH|IMPORT|USE|SET\s+(SCHEMA|SEARCH_PATH))\b/i;
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;

class NativeConnection implements DriverConnection {
  /** Whether this connection ran DDL since its cached columns were last forgotten. */
  #changedTables = false;

  constructor(readonly connection: DuckDBConnection, readonly columns: TableColumns) {}

  /** Forgets the cached columns when `sql` may change a table or ends a transaction that did. */
  #forgetFor(sql: string): void {
    if (DDL.test(sql)) {
      this.columns.forgetAll();
      this.#changedTables = true;
    } else if (this.#changedTables && TRANSACTION_END.test(sql)) {
      this.columns.forgetAll();
      this.#changedTables = false;
    }
  }

  async query(sql: string, params: readonly DbParam[]): Promise<DbRow[]> {
    this.#forgetFor(sql);
    const reader = params.length === 0
      ? await this.connection.runAndReadAll(sql)
      : await this.connection.runAndReadAll(sql, params as DuckDBValue[]);
    const names = reader.columnNames();
    // One pass over DuckDB's vectors: materialising DuckDBValues first would double the cost.
    const columns = reader.convertColumns<DbValue>(convertValue);
    const rowCount = reader.currentRowCount;
    const rows: DbRow[] = new Array(rowCount);
    for (let r = 0; r < rowCount; r++) {
      const row: DbRow = {};
      for (let c = 0; c < names.length; c++) row[names[c]] = columns[c][r];
      rows[r] = row;
    }
    return rows;
  }

  async exec(sql: string): Promise<void> {
    this.#forgetFor(sql);
    await this.connection.run(sql);
  }

  async append(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    // The appender fills whole rows in the table's column order; map the caller's columns onto it.
    let tableColumns = await this.columns.of(this.connection, table);
    const appender = await this.connection.createAppender(table);
    if (appender.columnCount !== tableColumns.length) {
      this.columns.forgetAll();
      tableColumns = await this.columns.of(this.connection, table);
    }
    const positions = tableColumns.map((name) => columns.indexOf(name));
    const unknown = columns.filter((name) => !tableColumns.includes(name));
    if (unknown.length > 0) {
      appender.closeSync();
      throw new Error(`table ${table} has no column(s) ${unknown.join(", ")}`);
    }
    try {
      const appends = tableColumns.map((_, i) => appenderFor(appender.columnType(i)));
      for (const row of rows) {
        if (row.length !== columns.length) {
          throw new Error(`row has ${row.length} values for ${columns.length} columns`);
        }
        for (let c = 0; c < positions.length; c++) {
          const p = positions[c];
          if (p < 0) {
            appender.appendDefault();
            continue;
          }
          const value = row[p];
          if (value === null || value === undefined) appender.appendNull();
          else appends[c](appender, value);
        }
        appender.endRow();
      }
      appender.flushSync();
    } catch (error) {
      // Drop what is buffered so closing does not try to flush the bad rows again.
      try {
        appender.clear();
        appender.closeSync();
      } catch { /* the append error is the one to report */ }
      throw error;
    }
    appender.closeSync();
    return rows.length;
  }

  close(): Promise<void> {
    this.connection.closeSync();
    return Promise.resolve();
  }
}
