/**
 * The `Db` behaviour both back ends share — serial calls per connection, transactions on their own
 * connection, error wrapping — written once over a small driver interface.
 *
 * @module
 */
import {
  clipSql,
  DbClosedError,
  DbQueryError,
  DbTransactionError,
  DbUnsupportedError,
} from "./errors.ts";
import type { Db, DbKind, DbParam, DbRow, DbValue } from "./types.ts";

/** One connection of a back end; errors it throws are raw, `createDb` wraps them. */
export interface DriverConnection {
  /**
   * True when the connection itself runs calls in the order they are made, so a call may be made
   * before the previous one finished (the worker back end queues them in its thread). Otherwise
   * `createDb` waits for each call before starting the next.
   */
  readonly ordered?: boolean;
  /** Runs one statement and returns its rows converted to {@link DbValue}s. */
  query(sql: string, params: readonly DbParam[]): Promise<DbRow[]>;
  /** Runs one or more statements, discarding results. */
  exec(sql: string): Promise<void>;
  /** Appends rows to a table (see `Db.appendRows`). */
  append(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number>;
  close(): Promise<void>;
}

/** A back end: its first connection, a way to open more, and how to shut it down. */
export interface Driver {
  readonly kind: DbKind;
  readonly path: string;
  readonly main: DriverConnection;
  connect(): Promise<DriverConnection>;
  /** Releases the database once every connection is closed. */
  close(): Promise<void>;
}

/**
 * Runs async calls one after another in call order (a connection is not re-entrant). On an
 * `ordered` connection each call starts at once, the connection keeping the order; `idle` still
 * waits for the last.
 */
class Serial {
  #tail: Promise<unknown> = Promise.resolve();
  constructor(readonly ordered = false) {}
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.ordered ? fn() : this.#tail.then(fn);
    this.#tail = result.then(() => undefined, () => undefined);
    return result;
  }
  idle(): Promise<unknown> {
    return this.#tail;
  }
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Wraps a driver into the public {@link Db}. */
export function createDb(driver: Driver): Db {
  return new RootDb(driver);
}

/** Operations on one driver connection, with call serialisation and error wrapping. */
class ConnectionOps {
  readonly serial: Serial;
  constructor(readonly driver: Driver, readonly connection: DriverConnection) {
    this.serial = new Serial(connection.ordered === true);
  }

  wrap(sql: string, error: unknown): Error {
    if (error instanceof DbQueryError || error instanceof DbUnsupportedError) return error;
    const reason = describeError(error);
    return new DbQueryError(`${this.driver.kind} query failed: ${reason}\n  in: ${clipSql(sql)}`, {
      sql: clipSql(sql),
      kind: this.driver.kind,
      reason,
    }, { cause: error });
  }

  exec(sql: string): Promise<void> {
    return this.serial.run(async () => {
      try {
        await this.connection.exec(sql);
      } catch (error) {
        throw this.wrap(sql, error);
      }
    });
  }

  query<T>(sql: string, params: readonly DbParam[]): Promise<T[]> {
    return this.serial.run(async () => {
      try {
        return await this.connection.query(sql, params) as T[];
      } catch (error) {
        throw this.wrap(sql, error);
      }
    });
  }

  append(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    return this.serial.run(async () => {
      if (rows.length === 0) return 0;
      try {
        return await this.connection.append(table, columns, rows);
      } catch (error) {
        throw this.wrap(`-- append ${rows.length} rows to ${table} (${columns.join(", ")})`, error);
      }
    });
  }
}

class RootDb implements Db {
  readonly kind: DbKind;
  readonly path: string;
  readonly inTransaction = false;
  readonly #driver: Driver;
  readonly #main: ConnectionOps;
  /** A connection kept for the next transaction: DuckDB connections are cheap but not free. */
  #spare: DriverConnection | undefined;
  #active: Promise<unknown> | undefined;
  #closed = false;

  constructor(driver: Driver) {
    this.#driver = driver;
    this.kind = driver.kind;
    this.path = driver.path;
    this.#main = new ConnectionOps(driver, driver.main);
  }

  #checkOpen(): void {
    if (this.#closed) {
      throw new DbClosedError(`database ${this.path} (${this.kind}) is closed`, {
        kind: this.kind,
        path: this.path,
      });
    }
  }

  async exec(sql: string): Promise<void> {
    this.#checkOpen();
    return await this.#main.exec(sql);
  }

  async query<T extends Record<string, unknown> = DbRow>(
    sql: string,
    params: readonly DbParam[] = [],
  ): Promise<T[]> {
    this.#checkOpen();
    return await this.#main.query<T>(sql, params);
  }

  async appendRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    this.#checkOpen();
    return await this.#main.append(table, columns, rows);
  }

  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    if (this.#closed) {
      return Promise.reject(
        new DbClosedError(`database ${this.path} (${this.kind}) is closed`, {
          kind: this.kind,
          path: this.path,
        }),
      );
    }
    if (this.#active) {
      // Waiting here would deadlock a callback that (wrongly) opens a transaction on the outer
      // handle; writers are serialised by their callers (the registry), so refuse instead.
      return Promise.reject(
        new DbTransactionError(
          `a transaction is already open on ${this.path} (${this.kind}); nested or concurrent ` +
            "transactions on one handle are not supported",
          { kind: this.kind, reason: "concurrent" },
        ),
      );
    }
    const run = this.#runTransaction(fn);
    this.#active = run;
    const clear = () => {
      if (this.#active === run) this.#active = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  async #runTransaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> {
    let connection = this.#spare;
    this.#spare = undefined;
    try {
      connection ??= await this.#driver.connect();
    } catch (error) {
      throw new DbTransactionError(
        `could not open a connection for a transaction: ${describeError(error)}`,
        { kind: this.kind, reason: "begin" },
        { cause: error },
      );
    }
    const ops = new ConnectionOps(this.#driver, connection);
    let healthy = true;
    try {
      try {
        await ops.exec("BEGIN TRANSACTION");
      } catch (error) {
        healthy = false;
        throw new DbTransactionError(
          `could not begin a transaction: ${describeError(error)}`,
          { kind: this.kind, reason: "begin" },
          { cause: error },
        );
      }
      const tx = new TxDb(this.kind, this.path, ops);
      let result: T;
      try {
        result = await fn(tx);
      } catch (error) {
        tx.finish();
        try {
          await ops.exec("ROLLBACK");
        } catch {
          // DuckDB has already aborted a transaction whose statement failed; the original error
          // is the one worth reporting.
        }
        throw error;
      }
      tx.finish();
      try {
        await ops.exec("COMMIT");
      } catch (error) {
        try {
          await ops.exec("ROLLBACK");
        } catch { /* already rolled back by the failed commit */ }
        throw new DbTransactionError(
          `could not commit a transaction: ${describeError(error)}`,
          { kind: this.kind, reason: "commit" },
          { cause: error },
        );
      }
      return result;
    } finally {
      await ops.serial.idle();
      if (healthy && !this.#closed && this.#spare === undefined) this.#spare = connection;
      else await connection.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const active = this.#active;
    this.#closed = true;
    if (active) await active.catch(() => undefined);
    await this.#main.serial.idle();
    const spare = this.#spare;
    this.#spare = undefined;
    if (spare) await spare.close().catch(() => undefined);
    await this.#driver.main.close().catch(() => undefined);
    await this.#driver.close();
  }
}

/** The handle a transaction callback receives: same connection until the transaction ends. */
class TxDb implements Db {
  readonly inTransaction = true;
  #finished = false;
  constructor(readonly kind: DbKind, readonly path: string, readonly ops: ConnectionOps) {}

  finish(): void {
    this.#finished = true;
  }

  #checkLive(): void {
    if (this.#finished) {
      throw new DbTransactionError(
        `the transaction on ${this.path} (${this.kind}) has ended; its handle cannot be used`,
        { kind: this.kind, reason: "finished" },
      );
    }
  }

  async exec(sql: string): Promise<void> {
    this.#checkLive();
    return await this.ops.exec(sql);
  }

  async query<T extends Record<string, unknown> = DbRow>(
    sql: string,
    params: readonly DbParam[] = [],
  ): Promise<T[]> {
    this.#checkLive();
    return await this.ops.query<T>(sql, params);
  }

  async appendRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    this.#checkLive();
    return await this.ops.append(table, columns, rows);
  }

  transaction<T>(_fn: (tx: Db) => Promise<T>): Promise<T> {
    return Promise.reject(
      new DbTransactionError(
        `nested transaction on ${this.path} (${this.kind}): DuckDB has no savepoints; run the ` +
          "inner work on the handle you already have",
        { kind: this.kind, reason: "nested" },
      ),
    );
  }

  close(): Promise<void> {
    return Promise.reject(
      new DbTransactionError("close the database handle, not the transaction's", {
        kind: this.kind,
        reason: "close",
      }),
    );
  }
}

/**
 * Runs `fn` in a transaction: on `db` itself when it already is a transaction handle, otherwise in
 * a new one — so repository functions compose inside a caller's transaction.
 *
 * @example
 * ```ts
 * import { withTransaction } from "./core.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await withTransaction(db, (tx) => tx.exec("CREATE TABLE t (a INTEGER)"));
 * await db.close();
 * ```
 */
export function withTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return db.inTransaction ? fn(db) : db.transaction(fn);
}

/** Rejects a call made outside a transaction where atomicity with other writes is the point. */
export function requireTransaction(db: Db, operation: string): void {
  if (!db.inTransaction) {
    throw new DbTransactionError(
      `${operation} must run inside db.transaction(...) together with the data it covers`,
      { kind: db.kind, reason: "required" },
    );
  }
}
