/**
 * duckdb-wasm's blocking build under Deno or Node (in memory): the same `Db` a browser gets, for
 * tests and tools that run both back ends. Browsers pass their own `AsyncDuckDB` to
 * `openDuckDbWasm` instead; this file is reached only through the package's native entry.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import type { Db } from "./types.ts";
import { openDuckDbWasm, type WasmDatabase } from "./wasm.ts";

/**
 * Loads and opens the blocking Node build of `@duckdb/duckdb-wasm` with its bundled `.wasm` files.
 *
 * @returns An opened in-memory duckdb-wasm database.
 * @example
 * ```ts
 * import { loadDuckDbWasmBlocking } from "./wasm_node.ts";
 * const database = await loadDuckDbWasmBlocking();
 * console.log(typeof database.connect); // "function"
 * ```
 */
export async function loadDuckDbWasmBlocking(): Promise<WasmDatabase> {
  const duckdb = await import("@duckdb/duckdb-wasm/blocking");
  const local = (url: string): string => url.startsWith("file:") ? fileURLToPath(url) : url;
  // Literal specifiers, so `deno publish` can rewrite them without the import map.
  const bundles = {
    mvp: {
      mainModule: local(import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm")),
      mainWorker: "",
    },
    eh: {
      mainModule: local(import.meta.resolve("@duckdb/duckdb-wasm/dist/duckdb-eh.wasm")),
      mainWorker: "",
    },
  };
  const bindings = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await bindings.instantiate(() => {});
  bindings.open({
    path: ":memory:",
    query: { castBigIntToDouble: false, castDecimalToDouble: false },
  });
  return bindings as unknown as WasmDatabase;
}

/**
 * An in-memory duckdb-wasm `Db` under Deno or Node.
 *
 * @returns The database handle; close it when done.
 * @example
 * ```ts
 * import { openDuckDbWasmNode } from "./wasm_node.ts";
 * const db = await openDuckDbWasmNode();
 * console.log(db.kind); // "wasm-memory"
 * await db.close();
 * ```
 */
export async function openDuckDbWasmNode(): Promise<Db> {
  return await openDuckDbWasm({ database: await loadDuckDbWasmBlocking() });
}
