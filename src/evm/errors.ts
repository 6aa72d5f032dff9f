/**
 * Typed errors of the bytecode cache and the EVM interpreter host.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { DecodedRainError } from "../abi/mod.ts";
import { VraindexError } from "../errors/mod.ts";

/** What a code artifact is used for: run as an interpreter, served as a store, or plain code. */
export type CodeKind = "interpreter" | "store" | "contract";

/**
 * Bytecode given to the code cache is empty or not `0x`-prefixed even-length hex.
 *
 * @example
 * ```ts
 * import { createCodeCache, InvalidBytecodeEncodingError } from "./mod.ts";
 * try {
 *   createCodeCache().upsert({ address: "0x0000000000000000000000000000000000000001", kind: "store", bytecode: "0x" });
 * } catch (error) {
 *   console.log(error instanceof InvalidBytecodeEncodingError); // true
 * }
 * ```
 */
export class InvalidBytecodeEncodingError extends VraindexError<{
  address: string;
  kind?: CodeKind;
  reason: "empty" | "malformed" | "address";
}> {
  override readonly name = "InvalidBytecodeEncodingError";
}

/**
 * The code cache already holds different code (or another kind) at this address.
 *
 * @example
 * ```ts
 * import { BytecodeCollisionError, createCodeCache } from "./mod.ts";
 * const cache = createCodeCache();
 * const address = "0x0000000000000000000000000000000000000001";
 * cache.upsert({ address, kind: "store", bytecode: "0x00" });
 * try {
 *   cache.upsert({ address, kind: "store", bytecode: "0x01" });
 * } catch (error) {
 *   console.log(error instanceof BytecodeCollisionError); // true
 * }
 * ```
 */
export class BytecodeCollisionError extends VraindexError<{
  address: Address;
  existingCodeHash: Hex;
  newCodeHash: Hex;
  existingKind: CodeKind;
  newKind: CodeKind;
}> {
  override readonly name = "BytecodeCollisionError";
}

/**
 * No code is cached for an address the host must run (interpreter) or serve (store).
 *
 * @example
 * ```ts
 * import { createCodeCache, MissingBytecodeError } from "./mod.ts";
 * try {
 *   createCodeCache().require("0x0000000000000000000000000000000000000001", "interpreter");
 * } catch (error) {
 *   console.log(error instanceof MissingBytecodeError); // true
 * }
 * ```
 */
export class MissingBytecodeError extends VraindexError<{
  address: Address;
  kind: CodeKind;
  /** Kind cached at that address when it differs from the one asked for. */
  cachedKind?: CodeKind;
}> {
  override readonly name = "MissingBytecodeError";
}

/**
 * An evaluation called a contract the host has no code or state for, and no external-state source
 * answered. The whole evaluation fails (never a silent empty account).
 *
 * @example
 * ```ts
 * import { ExternalStateUnavailableError } from "./mod.ts";
 * const error = new ExternalStateUnavailableError("no external state for 0x…01", {
 *   address: "0x0000000000000000000000000000000000000001",
 *   selector: "0x70a08231",
 *   block: 1n,
 * });
 * console.log(error.details.selector);
 * ```
 */
export class ExternalStateUnavailableError extends VraindexError<{
  address: Address;
  /** First 4 bytes of the call data, when there are 4. */
  selector?: Hex;
  /** Storage slot, when a source that reads storage could not answer. */
  slot?: Hex;
  block: bigint;
}> {
  override readonly name = "ExternalStateUnavailableError";
}

/** Where a failed evaluation ran, attached to every evaluation error. */
export type EvalErrorLocation = {
  readonly interpreter: Address;
  readonly sourceIndex: number;
  readonly block: bigint;
};

/** A revert decoded against the known Rain errors (`decodeRainError` of the ABI module). */
export type DecodedRevert = DecodedRainError;

/**
 * The evaluation reverted. `details.data` is the raw revert data; `details.error` its decoding when
 * the selector is a known Rain (or Solidity `Error`/`Panic`) error.
 *
 * @example
 * ```ts
 * import { EvalRevertedError } from "./mod.ts";
 * const error = new EvalRevertedError("reverted", {
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   sourceIndex: 0,
 *   block: 1n,
 *   data: "0x",
 * });
 * console.log(error.details.error?.name); // undefined: empty revert
 * ```
 */
export class EvalRevertedError extends VraindexError<
  EvalErrorLocation & { data: Hex; error?: DecodedRevert }
> {
  override readonly name = "EvalRevertedError";
}

/**
 * The evaluation ran out of gas at the host's gas limit.
 *
 * @example
 * ```ts
 * import { EvalOutOfGasError } from "./mod.ts";
 * const error = new EvalOutOfGasError("out of gas", {
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   sourceIndex: 0,
 *   block: 1n,
 *   gasLimit: 30_000_000n,
 * });
 * console.log(error.details.gasLimit);
 * ```
 */
export class EvalOutOfGasError extends VraindexError<EvalErrorLocation & { gasLimit: bigint }> {
  override readonly name = "EvalOutOfGasError";
}

/**
 * The evaluation halted exceptionally for a reason other than revert or out-of-gas (invalid opcode,
 * stack underflow, invalid jump, …), or returned data that is not an `eval4` result.
 *
 * @example
 * ```ts
 * import { EvalHaltedError } from "./mod.ts";
 * const error = new EvalHaltedError("invalid opcode", {
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   sourceIndex: 0,
 *   block: 1n,
 *   reason: "invalid opcode",
 * });
 * console.log(error.details.reason);
 * ```
 */
export class EvalHaltedError extends VraindexError<EvalErrorLocation & { reason: string }> {
  override readonly name = "EvalHaltedError";
}
