/**
 * vraindex's Deno/Node-only surface: DuckDB files through the native binding. Browser code imports
 * `mod.ts`, which never loads a native module; programs that work with files import this entry too.
 *
 * @example
 * ```ts
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * console.log((await db.query("select 42 as answer"))[0]);
 * await db.close();
 * ```
 *
 * @module
 */
export { openDuckDbFile, openDuckDbMemory, type OpenDuckDbOptions } from "./src/db/native.ts";
export { loadDuckDbWasmBlocking, openDuckDbWasmNode } from "./src/db/wasm_node.ts";
export { openDuckDbFileInWorker } from "./src/db/worker.ts";
