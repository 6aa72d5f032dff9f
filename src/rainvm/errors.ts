/**
 * Typed errors of the native evaluator and the verifying host.
 *
 * @module
 */
import type { Hex } from "viem";
import { VraindexError } from "../errors/mod.ts";

/**
 * Why the native evaluator hands an evaluation to the fallback host. Prefixed reasons carry the
 * word (`unsupported-word:extern`, `unsupported-operand:add`).
 */
export type FallbackReason =
  | "unknown-build"
  | "no-interpreter-code"
  | "no-store-code"
  | "malformed-bytecode"
  | "opcode-out-of-range"
  | "integrity"
  | "call-cycle"
  | "malformed-input"
  | "float-error"
  | "kv-memory"
  | "internal-error"
  | `unsupported-word:${string}`
  | `unsupported-operand:${string}`;

/**
 * The native evaluator cannot run this evaluation bit-exactly (unknown build, a word or operand
 * form it does not implement, bytecode Rain's integrity check would reject, a Float revert it does
 * not encode, …). The native host catches it and runs the evaluation on its fallback host.
 *
 * @example
 * ```ts
 * import { NativeUnsupportedError } from "./errors.ts";
 * const error = new NativeUnsupportedError("extern is not native", {
 *   reason: "unsupported-word:extern",
 * });
 * console.log(error.details.reason);
 * ```
 */
export class NativeUnsupportedError extends VraindexError<{
  readonly reason: FallbackReason;
  readonly sourceIndex?: number;
  readonly opIndex?: number;
}> {
  override readonly name = "NativeUnsupportedError";
}

/** How one host finished an evaluation, as compared by the verifying host. */
export type HostOutcome =
  | { readonly ok: true; readonly stack: readonly Hex[]; readonly writes: readonly Hex[] }
  | {
    readonly ok: false;
    /** The error's `name` (e.g. `"EvalRevertedError"`). */
    readonly error: string;
    /** Revert data, when the error is a revert. */
    readonly data?: Hex;
    readonly message: string;
  };

/**
 * The primary and reference hosts disagreed on one evaluation: different stack, different writes,
 * or one reverted (or reverted differently) where the other did not.
 *
 * @example
 * ```ts
 * import { HostDivergenceError } from "./errors.ts";
 * const error = new HostDivergenceError("stack differs", {
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   sourceIndex: 0,
 *   bytecode: "0x",
 *   differs: "stack",
 *   primary: { ok: true, stack: ["0x01"], writes: [] },
 *   reference: { ok: true, stack: ["0x02"], writes: [] },
 * });
 * console.log(error.details.differs); // "stack"
 * ```
 */
export class HostDivergenceError extends VraindexError<{
  readonly interpreter: string;
  readonly sourceIndex: number;
  readonly bytecode: Hex;
  readonly differs: "stack" | "writes" | "outcome" | "error";
  readonly primary: HostOutcome;
  readonly reference: HostOutcome;
}> {
  override readonly name = "HostDivergenceError";
}
