/**
 * Calldata and return data of `IInterpreterV4.eval4`, for hosts that run the interpreter.
 *
 * @module
 */
import {
  BaseError,
  decodeFunctionData,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
} from "viem";
import { AbiDecodeError, AbiEncodeError } from "./errors.ts";
import { interpreterV4Abi } from "./interpreter.ts";
import type { EvalV4 } from "./structs.ts";

/** What `eval4` returns: the final stack (top first) and the flat key/value writes. */
export type Eval4Result = {
  /** Stack items, top of stack first (`stack[0]` is the last value the source pushed). */
  stack: readonly Hex[];
  /** Flat `[key, value, key, value, …]` pairs for the store. */
  writes: readonly Hex[];
};

function reasonOf(error: unknown): string {
  return error instanceof BaseError ? error.shortMessage : String(error);
}

/**
 * Calldata of `eval4(evalV4)`.
 *
 * @param evalV4 The evaluation request.
 * @returns `0x` + selector + ABI-encoded `EvalV4`.
 * @throws {AbiEncodeError} When a field cannot be encoded.
 *
 * @example
 * ```ts
 * import { encodeEval4Call } from "./eval4.ts";
 * const data = encodeEval4Call({
 *   store: "0x3333333333333333333333333333333333333333",
 *   namespace: 1n,
 *   bytecode: "0x",
 *   sourceIndex: 0n,
 *   context: [],
 *   inputs: [],
 *   stateOverlay: [],
 * });
 * console.log(data.slice(0, 10));
 * ```
 */
export function encodeEval4Call(evalV4: EvalV4): Hex {
  try {
    return encodeFunctionData({ abi: interpreterV4Abi, functionName: "eval4", args: [evalV4] });
  } catch (error) {
    throw new AbiEncodeError("EvalV4", reasonOf(error), { cause: error });
  }
}

/**
 * Decodes `eval4` calldata back into an `EvalV4`.
 *
 * @param data Calldata starting with the `eval4` selector.
 * @returns The evaluation request.
 * @throws {AbiDecodeError} When the selector is not `eval4`'s or the data is malformed.
 *
 * @example
 * ```ts
 * import { decodeEval4Call, encodeEval4Call } from "./eval4.ts";
 * const request = {
 *   store: "0x3333333333333333333333333333333333333333",
 *   namespace: 7n,
 *   bytecode: "0x01",
 *   sourceIndex: 1n,
 *   context: [],
 *   inputs: [],
 *   stateOverlay: [],
 * } as const;
 * console.log(decodeEval4Call(encodeEval4Call(request)).namespace); // 7n
 * ```
 */
export function decodeEval4Call(data: Hex): EvalV4 {
  try {
    const { args } = decodeFunctionData({ abi: interpreterV4Abi, data });
    return args[0];
  } catch (error) {
    throw new AbiDecodeError("eval4 calldata", data, { cause: error });
  }
}

/**
 * Decodes the return data of `eval4` into `{ stack, writes }`.
 *
 * @param data Return data of a successful `eval4` call.
 * @returns The stack (top first) and the writes.
 * @throws {AbiDecodeError} When the data is not two ABI-encoded `bytes32[]`.
 *
 * @example
 * ```ts
 * import { decodeEval4Result } from "./eval4.ts";
 * const word = (n: number) => n.toString(16).padStart(64, "0");
 * // Two empty arrays: offsets 0x40 and 0x60, then two zero lengths.
 * const data = `0x${word(0x40)}${word(0x60)}${word(0)}${word(0)}` as const;
 * console.log(decodeEval4Result(data)); // { stack: [], writes: [] }
 * ```
 */
export function decodeEval4Result(data: Hex): Eval4Result {
  try {
    const [stack, writes] = decodeFunctionResult({
      abi: interpreterV4Abi,
      functionName: "eval4",
      data,
    });
    return { stack, writes };
  } catch (error) {
    throw new AbiDecodeError("eval4 result", data, { cause: error });
  }
}
