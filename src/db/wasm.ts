/**
 * DuckDB in memory through duckdb-wasm, for browsers (and Deno/Node tests of the same code path).
 *
 * duckdb-wasm 1.32 loses data written to files under Deno/Node (the header is never written and the
 * WAL is not replayed), so this back end is for memory databases; files go through `native.ts`.
 *
 * @module
 */
import {
  Bool,
  type DataType,
  Float32,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  Table,
  tableToIPC,
  Type,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  type Vector,
  vectorFromArray,
} from "apache-arrow";
import { createDb, type Driver, type DriverConnection } from "./core.ts";
import { DbUnsupportedError } from "./errors.ts";
import { bytesToHex, quoteIdent, quoteString, scaledToDecimalString, sqlLiteral } from "./sql.ts";
import type { Db, DbParam, DbRow, DbValue } from "./types.ts";

/** The parts of an Arrow table (as duckdb-wasm returns them) that the conversion reads. */
export interface WasmArrowTable {
  /** Row count. */
  readonly numRows: number;
  /** Column names and Arrow types. */
  readonly schema: {
    readonly fields: readonly {
      readonly name: string;
      readonly type: {
        readonly typeId: number;
        readonly bitWidth?: number;
        readonly scale?: number;
      };
    }[];
  };
  /** Column `index` as a vector. */
  getChildAt(index: number): { get(index: number): unknown } | null;
}

/** A prepared statement of the blocking (`DuckDBConnection`) or worker (`AsyncDuckDBConnection`) API. */
export interface WasmPreparedStatement {
  /** Runs the statement with positional parameters. */
  query(...params: unknown[]): WasmArrowTable | Promise<WasmArrowTable>;
  /** Releases the statement. */
  close(): void | Promise<void>;
}

/** A duckdb-wasm connection, blocking or worker-based. */
export interface WasmConnection {
  /** Runs SQL (one or more statements) and returns the last result. */
  query(sql: string): WasmArrowTable | Promise<WasmArrowTable>;
  /** Prepares one statement. */
  prepare(sql: string): WasmPreparedStatement | Promise<WasmPreparedStatement>;
  /** Bulk load of an Arrow IPC stream into a new table; `appendRows` uses it when present. */
  insertArrowFromIPCStream?(
    buffer: Uint8Array,
    options: { name: string; create?: boolean },
  ): void | Promise<void>;
  /** Closes the connection. */
  close(): void | Promise<void>;
}

/** A duckdb-wasm database: the blocking bindings or a browser `AsyncDuckDB`. */
export interface WasmDatabase {
  /** Opens a connection. */
  connect(): WasmConnection | Promise<WasmConnection>;
}

/** Options of {@link openDuckDbWasm}. */
export type OpenDuckDbWasmOptions = {
  /**
   * An instantiated and opened duckdb-wasm database, e.g. a browser `AsyncDuckDB` built from its
   * worker bundle (Deno/Node: `openDuckDbWasmNode()` of the native entry loads the blocking build).
   */
  database?: WasmDatabase;
  /**
   * Switches off DuckDB's extension autoloading, which would fetch from the network (default true:
   * offline, an autoload hangs instead of failing).
   */
  offline?: boolean;
  /** Called by `close()` after the connections are closed (e.g. `() => asyncDb.terminate()`). */
  terminate?: () => void | Promise<void>;
};

/** Rows per INSERT statement of the literal fallback of `appendRows`. */
const INSERT_BATCH_ROWS = 1_000;

/** Arrow types for the DuckDB column types the Arrow path of `appendRows` carries exactly. */
const ARROW_TYPES: Record<string, { make: () => DataType; coerce: (v: DbValue) => unknown }> = {
  UBIGINT: { make: () => new Uint64(), coerce: (v) => BigInt(v as bigint) },
  BIGINT: { make: () => new Int64(), coerce: (v) => BigInt(v as bigint) },
  UINTEGER: { make: () => new Uint32(), coerce: Number },
  INTEGER: { make: () => new Int32(), coerce: Number },
  USMALLINT: { make: () => new Uint16(), coerce: Number },
  SMALLINT: { make: () => new Int16(), coerce: Number },
  UTINYINT: { make: () => new Uint8(), coerce: Number },
  TINYINT: { make: () => new Int8(), coerce: Number },
  DOUBLE: { make: () => new Float64(), coerce: Number },
  FLOAT: { make: () => new Float32(), coerce: Number },
  BOOLEAN: { make: () => new Bool(), coerce: Boolean },
  VARCHAR: { make: () => new Utf8(), coerce: String },
};

let arrowStageCounter = 0;

/**
 * Opens an in-memory DuckDB database on duckdb-wasm.
 *
 * In a browser pass `database` (an `AsyncDuckDB` you instantiated from its worker bundle, opened on
 * `:memory:` or OPFS). Without it (Deno/Node) the blocking build is loaded and extension autoloading
 * is switched off: extensions are fetched from the network, which is not reachable everywhere and
 * would otherwise hang a query such as `COPY … (FORMAT parquet)` instead of failing it.
 *
 * @example
 * ```ts
 * import { migrate, openDuckDbWasm } from "./mod.ts";
 * const db = await openDuckDbWasm();
 * await migrate(db);
 * console.log(await db.query("SELECT count(*) AS n FROM raw_events")); // [{ n: 0n }]
 * await db.close();
 * ```
 */
export async function openDuckDbWasm(options: OpenDuckDbWasmOptions = {}): Promise<Db> {
  const database = options.database;
  if (database === undefined) {
    throw new DbUnsupportedError(
      "openDuckDbWasm needs a `database` (a browser AsyncDuckDB); in Deno or Node use " +
        "openDuckDbWasmNode() from the package's native entry",
      { kind: "wasm-memory", operation: "openDuckDbWasm" },
    );
  }
  const main = new WasmDriverConnection(await database.connect());
  if (options.offline ?? true) {
    await main.exec(
      "SET autoinstall_known_extensions = false; SET autoload_known_extensions = false",
    );
  }
  const driver: Driver = {
    kind: "wasm-memory",
    path: ":memory:",
    main,
    connect: async () => new WasmDriverConnection(await database.connect()),
    close: async () => {
      await options.terminate?.();
    },
  };
  return createDb(driver);
}

type Convert = (value: unknown) => DbValue;

function converterFor(type: WasmArrowTable["schema"]["fields"][number]["type"]): Convert {
  switch (type.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Bool:
    case Type.Utf8:
    case Type.LargeUtf8:
      return (value) => (value ?? null) as DbValue;
    case Type.Null:
      return () => null;
    case Type.Decimal: {
      // duckdb-wasm hands HUGEINT over as Decimal(38, 0).
      const scale = type.scale ?? 0;
      return (value) => {
        if (value === null || value === undefined) return null;
        // Arrow's BigNum prints its exact unscaled integer (its bigint conversion is lossy here).
        const unscaled = BigInt(String(value));
        return scale === 0 ? unscaled : scaledToDecimalString(unscaled, scale);
      };
    }
    case Type.Binary:
    case Type.LargeBinary:
      return (value) => value instanceof Uint8Array ? bytesToHex(value) : null;
    default:
      return (value) => value === null || value === undefined ? null : String(value);
  }
}

function tableToRows(table: WasmArrowTable): DbRow[] {
  const fields = table.schema.fields;
  const rows: DbRow[] = new Array(table.numRows);
  for (let r = 0; r < table.numRows; r++) rows[r] = {};
  fields.forEach((field, c) => {
    const column = table.getChildAt(c);
    const convert = converterFor(field.type);
    for (let r = 0; r < table.numRows; r++) {
      rows[r][field.name] = column ? convert(column.get(r)) : null;
    }
  });
  return rows;
}

class WasmDriverConnection implements DriverConnection {
  constructor(readonly connection: WasmConnection) {}

  async query(sql: string, params: readonly DbParam[]): Promise<DbRow[]> {
    if (params.length === 0) return tableToRows(await this.connection.query(sql));
    const statement = await this.connection.prepare(sql);
    try {
      // duckdb-wasm passes parameters through JSON, which has no bigint: send the exact decimal
      // text and let the parameter's SQL type convert it.
      const values = params.map((p) => typeof p === "bigint" ? p.toString() : p);
      return tableToRows(await statement.query(...values));
    } finally {
      await statement.close();
    }
  }

  async exec(sql: string): Promise<void> {
    await this.connection.query(sql);
  }

  async append(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    for (const row of rows) {
      if (row.length !== columns.length) {
        throw new Error(`row has ${row.length} values for ${columns.length} columns`);
      }
    }
    const info = tableToRows(
      await this.connection.query(
        `SELECT name, type FROM pragma_table_info(${quoteString(table)})`,
      ),
    );
    const types = new Map(info.map((c) => [String(c.name), String(c.type)]));
    const unknown = columns.filter((name) => !types.has(name));
    if (unknown.length > 0) {
      throw new Error(`table ${table} has no column(s) ${unknown.join(", ")}`);
    }
    const arrowTypes = columns.map((name) => ARROW_TYPES[types.get(name)!]);
    if (this.connection.insertArrowFromIPCStream && arrowTypes.every((t) => t !== undefined)) {
      await this.#appendArrow(table, columns, rows, arrowTypes);
    } else {
      await this.#appendLiterals(table, columns, rows, types);
    }
    return rows.length;
  }

  /**
   * Bulk path: one Arrow IPC stream into a scratch table, then one INSERT … SELECT. (duckdb-wasm's
   * `insertArrowTable` silently inserts nothing with an ESM apache-arrow table; the IPC stream
   * works.)
   */
  async #appendArrow(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
    arrowTypes: readonly (typeof ARROW_TYPES)[string][],
  ): Promise<void> {
    const vectors: Record<string, Vector> = {};
    columns.forEach((name, c) => {
      const { make, coerce } = arrowTypes[c];
      const values = rows.map((row) =>
        row[c] === null || row[c] === undefined ? null : coerce(row[c])
      );
      vectors[name] = vectorFromArray(values, make()) as Vector;
    });
    const stage = `vraindex_arrow_stage_${++arrowStageCounter}`;
    const columnList = columns.map(quoteIdent).join(", ");
    await this.connection.insertArrowFromIPCStream!(tableToIPC(new Table(vectors), "stream"), {
      name: stage,
      create: true,
    });
    try {
      await this.connection.query(
        `INSERT INTO ${quoteIdent(table)} (${columnList}) SELECT ${columnList} FROM ${
          quoteIdent(stage)
        }`,
      );
    } finally {
      await this.connection.query(`DROP TABLE IF EXISTS ${quoteIdent(stage)}`);
    }
  }

  /** Fallback for column types Arrow would not carry exactly (BLOB, HUGEINT, DECIMAL…). */
  async #appendLiterals(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
    types: ReadonlyMap<string, string>,
  ): Promise<void> {
    const head = `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(", ")}) VALUES `;
    // BLOB columns take `0x…` hex like the native appender does, not the hex text's own bytes.
    const literal = columns.map((name) =>
      types.get(name) === "BLOB"
        ? (v: DbValue) => v === null ? "NULL" : `from_hex(${quoteString(String(v).slice(2))})`
        : sqlLiteral
    );
    for (let start = 0; start < rows.length; start += INSERT_BATCH_ROWS) {
      const parts: string[] = [];
      for (const row of rows.slice(start, start + INSERT_BATCH_ROWS)) {
        parts.push(`(${row.map((v, i) => literal[i](v ?? null)).join(", ")})`);
      }
      await this.connection.query(head + parts.join(", "));
    }
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
