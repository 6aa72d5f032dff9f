/**
 * Messages between a worker-backed `Db` (`worker.ts`) and the thread that runs DuckDB
 * (`worker_host.ts`). Every request carries an id; the host answers each, in the order it ran them.
 *
 * @module
 */
import type { DbParam, DbRow, DbValue } from "./types.ts";

/** A request to the DuckDB thread. Connection 0 is the database's first connection. */
export type WorkerRequest =
  | {
    readonly id: number;
    readonly op: "open";
    readonly path: string;
    readonly config?: Record<string, string>;
  }
  | { readonly id: number; readonly op: "connect" }
  | {
    readonly id: number;
    readonly op: "query";
    readonly connection: number;
    readonly sql: string;
    readonly params: readonly DbParam[];
  }
  | { readonly id: number; readonly op: "exec"; readonly connection: number; readonly sql: string }
  | {
    readonly id: number;
    readonly op: "append";
    readonly connection: number;
    readonly table: string;
    readonly columns: readonly string[];
    readonly rows: readonly (readonly DbValue[])[];
  }
  | { readonly id: number; readonly op: "disconnect"; readonly connection: number }
  | { readonly id: number; readonly op: "close" };

/** An error as it crosses threads: its class name, message and structured details. */
export type WorkerError = {
  readonly name: string;
  readonly message: string;
  readonly details?: unknown;
};

/** The answer to one request. */
export type WorkerResponse =
  | {
    readonly id: number;
    readonly ok: true;
    readonly value: DbRow[] | number | null;
  }
  | { readonly id: number; readonly ok: false; readonly error: WorkerError };
