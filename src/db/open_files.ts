/**
 * Which DuckDB files this process holds open, and how: in process (`openDuckDbFile`, which shares
 * one instance per path) or in a worker (`openDuckDbFileInWorker`, an instance of its own). Two
 * instances on one file in one process would both write it — DuckDB's file lock does not stop a
 * second opener in the same process — so each opener refuses a path the other holds.
 *
 * @module
 */

const inProcess = new Map<string, number>();
const inWorker = new Set<string>();

/**
 * Records an in-process open of `path` (absolute); false when a worker holds it.
 *
 * @example
 * ```ts
 * import { claimInProcess, releaseInProcess } from "./open_files.ts";
 * console.log(claimInProcess("/tmp/a.duckdb")); // true
 * releaseInProcess("/tmp/a.duckdb");
 * ```
 */
export function claimInProcess(path: string): boolean {
  if (inWorker.has(path)) return false;
  inProcess.set(path, (inProcess.get(path) ?? 0) + 1);
  return true;
}

/**
 * Forgets one in-process open of `path`.
 *
 * @example
 * ```ts
 * import { claimForWorker, claimInProcess, releaseInProcess } from "./open_files.ts";
 * claimInProcess("/tmp/b.duckdb");
 * releaseInProcess("/tmp/b.duckdb");
 * console.log(claimForWorker("/tmp/b.duckdb")); // true
 * ```
 */
export function releaseInProcess(path: string): void {
  const count = inProcess.get(path) ?? 0;
  if (count <= 1) inProcess.delete(path);
  else inProcess.set(path, count - 1);
}

/**
 * Records that a worker opens `path` (absolute); false when anything in this process holds it.
 *
 * @example
 * ```ts
 * import { claimForWorker, claimInProcess, releaseFromWorker } from "./open_files.ts";
 * console.log(claimForWorker("/tmp/c.duckdb"), claimInProcess("/tmp/c.duckdb")); // true false
 * releaseFromWorker("/tmp/c.duckdb");
 * ```
 */
export function claimForWorker(path: string): boolean {
  if (inWorker.has(path) || inProcess.has(path)) return false;
  inWorker.add(path);
  return true;
}

/**
 * Forgets a worker's hold on `path`.
 *
 * @example
 * ```ts
 * import { claimForWorker, releaseFromWorker } from "./open_files.ts";
 * claimForWorker("/tmp/d.duckdb");
 * releaseFromWorker("/tmp/d.duckdb");
 * console.log(claimForWorker("/tmp/d.duckdb")); // true
 * ```
 */
export function releaseFromWorker(path: string): void {
  inWorker.delete(path);
}
