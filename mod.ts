/**
 * vraindex: run Rain orderbooks ("Raindex") virtually — Float, ABIs, an in-process interpreter host
 * and the virtual engine.
 *
 * @module
 */
export * from "./src/errors/mod.ts";
export * from "./src/float/mod.ts";
export * from "./src/abi/mod.ts";
export * from "./src/evm/mod.ts";
export * from "./src/engine/mod.ts";
