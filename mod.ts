/**
 * vraindex: run Rain orderbooks ("Raindex") virtually — Rain's decimal Float, the orderbook ABIs and
 * identities, an in-process interpreter host, Rain's bytecode layout and the virtual engine. Every
 * module exported here runs in browsers as well as in Deno.
 *
 * @example
 * ```ts
 * import { float } from "./mod.ts";
 * console.log(float.format(float.add(float.parse("0.2"), float.parse("0.7")))); // "0.9"
 * ```
 *
 * @module
 */
export * from "./src/errors/mod.ts";
/** Rain's decimal Float: `float.parse`, `float.add`, `float.min`, … on packed `bytes32` hex. */
export * as float from "./src/float/mod.ts";
export type { Float } from "./src/float/mod.ts";
export { FloatError, FloatInputError } from "./src/float/mod.ts";
export * from "./src/abi/mod.ts";
export * from "./src/evm/mod.ts";
export * from "./src/rainvm/mod.ts";
export * from "./src/engine/mod.ts";
export * from "./src/events/mod.ts";
export * from "./src/db/mod.ts";
export * from "./src/ingest/mod.ts";
