/**
 * DuckDB files on a thread of their own. Under Deno, a native DuckDB call only makes progress when
 * the calling thread returns to its event loop, so a sync that decodes while the previous chunk is
 * written, or a rebuild that applies while the next chunk is read, gets no overlap in process. The
 * worker back end runs the native binding in a `node:worker_threads` worker and forwards every
 * call: statements are queued there in call order, and the caller's thread keeps working.
 *
 * @module
 */
import { resolve } from "node:path";
import { Worker } from "node:worker_threads";
import { createDb, type Driver, type DriverConnection } from "./core.ts";
import { CorruptDatabaseError, DbOpenError } from "./errors.ts";
import { claimForWorker, releaseFromWorker } from "./open_files.ts";
import type { OpenDuckDbOptions } from "./native.ts";
import type { Db, DbParam, DbRow, DbValue } from "./types.ts";
import type { WorkerError, WorkerRequest, WorkerResponse } from "./worker_protocol.ts";

/** Distributes `Omit` over the request union (each request minus its id). */
type Request = WorkerRequest extends infer R ? R extends WorkerRequest ? Omit<R, "id"> : never
  : never;

function errorFrom(error: WorkerError): Error {
  const details = error.details as Record<string, unknown> | undefined;
  if (error.name === "CorruptDatabaseError" && details !== undefined) {
    return new CorruptDatabaseError(error.message, details as { path: string; reason: string });
  }
  if (error.name === "DbOpenError" && details !== undefined) {
    return new DbOpenError(
      error.message,
      details as { kind: "native-file"; path: string; reason: string },
    );
  }
  const plain = new Error(error.message);
  plain.name = error.name;
  return plain;
}

/** The caller's end of the worker: numbered requests, answers matched by id. */
class Channel {
  readonly #worker: Worker;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  #nextId = 1;
  #failure: Error | undefined;

  constructor() {
    this.#worker = new Worker(new URL("./worker_host.ts", import.meta.url));
    // An idle worker must not keep the program alive; one with a request in flight must.
    this.#worker.unref();
    this.#worker.on("message", (response: WorkerResponse) => {
      const waiting = this.#pending.get(response.id);
      if (waiting === undefined) return;
      this.#settled(response.id);
      if (response.ok) waiting.resolve(response.value);
      else waiting.reject(errorFrom(response.error));
    });
    const fail = (error: Error) => {
      this.#failure ??= error;
      for (const [id, waiting] of this.#pending) {
        this.#settled(id);
        waiting.reject(error);
      }
    };
    this.#worker.on("error", (error: Error) => fail(error));
    this.#worker.on("exit", (code: number) => {
      fail(new Error(`the DuckDB worker exited (code ${code})`));
    });
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker.unref();
  }

  send<T>(request: Request): Promise<T> {
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    const id = this.#nextId++;
    return new Promise<T>((resolve, reject) => {
      if (this.#pending.size === 0) this.#worker.ref();
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  async terminate(): Promise<void> {
    this.#failure ??= new Error("the DuckDB worker was closed");
    await this.#worker.terminate();
  }
}

class WorkerConnection implements DriverConnection {
  readonly ordered = true;
  constructor(readonly channel: Channel, readonly id: number) {}

  query(sql: string, params: readonly DbParam[]): Promise<DbRow[]> {
    return this.channel.send<DbRow[]>({ op: "query", connection: this.id, sql, params });
  }

  async exec(sql: string): Promise<void> {
    await this.channel.send({ op: "exec", connection: this.id, sql });
  }

  append(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly DbValue[])[],
  ): Promise<number> {
    return this.channel.send<number>({ op: "append", connection: this.id, table, columns, rows });
  }

  async close(): Promise<void> {
    if (this.id === 0) return; // the first connection closes with the database
    await this.channel.send({ op: "disconnect", connection: this.id });
  }
}

/**
 * DuckDB's threads in the worker unless the caller says otherwise: one core fewer than the machine
 * has (at least one), since the calling thread is meant to keep computing meanwhile.
 */
function defaultThreads(): string {
  const cores = (globalThis.navigator as { hardwareConcurrency?: number } | undefined)
    ?.hardwareConcurrency ?? 2;
  return String(Math.max(1, cores - 1));
}

/**
 * Opens (creating when absent) a DuckDB database file in a worker thread: the same {@link Db}, the
 * same file format and errors as `openDuckDbFile`, with DuckDB's work off the calling thread. Use
 * it where a program computes while it reads or writes (sync, rebuilds); the calling thread only
 * pays for copying parameters and results between threads. A file open in a worker cannot also be
 * opened in process (or in a second worker) until it is closed.
 *
 * @param path File path (resolved to an absolute path); its directory must exist.
 * @returns A {@link Db} of kind `native-file`. Close it: a worker with requests in flight keeps the
 *   program alive.
 * @throws {CorruptDatabaseError} when the file exists but is not a DuckDB database.
 * @throws {DbOpenError} when the file cannot be opened, or is already open in this process.
 *
 * @example
 * ```ts
 * import { migrate } from "./mod.ts";
 * import { openDuckDbFileInWorker } from "./worker.ts";
 * const dir = await Deno.makeTempDir();
 * const db = await openDuckDbFileInWorker(`${dir}/sync.duckdb`);
 * await migrate(db);
 * console.log((await db.query("SELECT 42::UBIGINT AS answer"))[0]); // { answer: 42n }
 * await db.close();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openDuckDbFileInWorker(
  path: string,
  options: OpenDuckDbOptions = {},
): Promise<Db> {
  if (path === "" || path === ":memory:") {
    throw new DbOpenError("openDuckDbFileInWorker needs a file path", {
      kind: "native-file",
      path,
      reason: "not a file path",
    });
  }
  path = resolve(path);
  if (!claimForWorker(path)) {
    throw new DbOpenError(`${path} is already open in this process`, {
      kind: "native-file",
      path,
      reason: "already open",
    });
  }
  const channel = new Channel();
  try {
    await channel.send({
      op: "open",
      path,
      config: { threads: defaultThreads(), ...options.config },
    });
  } catch (error) {
    releaseFromWorker(path);
    await channel.terminate();
    throw error;
  }
  const driver: Driver = {
    kind: "native-file",
    path,
    main: new WorkerConnection(channel, 0),
    connect: async () =>
      new WorkerConnection(channel, await channel.send<number>({ op: "connect" })),
    close: async () => {
      try {
        await channel.send({ op: "close" });
      } finally {
        releaseFromWorker(path);
        await channel.terminate();
      }
    },
  };
  return createDb(driver);
}
