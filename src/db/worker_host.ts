/**
 * The thread behind `openDuckDbFileInWorker`: opens the file with the native binding and runs
 * requests in the order they arrive. Its event loop does nothing else, so each DuckDB call's
 * completion is picked up at once while the caller's thread keeps working.
 *
 * @module
 */
import { parentPort } from "node:worker_threads";
import type { Driver, DriverConnection } from "./core.ts";
import type { DbRow } from "./types.ts";
import { openNativeFileDriver } from "./native.ts";
import type { WorkerError, WorkerRequest, WorkerResponse } from "./worker_protocol.ts";

const port = parentPort;
if (port === null) throw new Error("worker_host.ts runs as a worker thread");

let driver: Driver | undefined;
const connections = new Map<number, DriverConnection>();
let nextConnection = 1;

function errorOf(error: unknown): WorkerError {
  if (error instanceof Error) {
    const details = (error as { details?: unknown }).details;
    return details === undefined
      ? { name: error.name, message: error.message }
      : { name: error.name, message: error.message, details };
  }
  return { name: "Error", message: String(error) };
}

function connection(id: number): DriverConnection {
  const found = connections.get(id);
  if (found === undefined) throw new Error(`no connection ${id} in the DuckDB worker`);
  return found;
}

async function run(request: WorkerRequest): Promise<DbRow[] | number | null> {
  switch (request.op) {
    case "open": {
      driver = await openNativeFileDriver(
        request.path,
        request.config === undefined ? {} : { config: request.config },
      );
      connections.set(0, driver.main);
      return null;
    }
    case "connect": {
      if (driver === undefined) throw new Error("the DuckDB worker has no open database");
      const id = nextConnection++;
      connections.set(id, await driver.connect());
      return id;
    }
    case "query":
      return await connection(request.connection).query(request.sql, request.params);
    case "exec":
      await connection(request.connection).exec(request.sql);
      return null;
    case "append":
      return await connection(request.connection).append(
        request.table,
        request.columns,
        request.rows,
      );
    case "disconnect": {
      const closing = connection(request.connection);
      connections.delete(request.connection);
      await closing.close();
      return null;
    }
    case "close": {
      for (const [id, open] of connections) {
        if (id !== 0) await open.close().catch(() => undefined);
      }
      await driver?.main.close().catch(() => undefined);
      connections.clear();
      await driver?.close();
      driver = undefined;
      return null;
    }
  }
}

// One request at a time, in arrival order: the caller's per-connection ordering is kept, and a
// transaction's statements never interleave with another connection's mid-statement.
let tail: Promise<void> = Promise.resolve();
port.on("message", (request: WorkerRequest) => {
  tail = tail.then(async () => {
    let response: WorkerResponse;
    try {
      response = { id: request.id, ok: true, value: await run(request) };
    } catch (error) {
      response = { id: request.id, ok: false, error: errorOf(error) };
    }
    port.postMessage(response);
  });
});
