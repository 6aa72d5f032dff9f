/**
 * The error base every vraindex module raises: a stable `name`, a message that says what and where,
 * and structured `details` for programs.
 *
 * @module
 */

/** JSON-safe details attached to every vraindex error. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

/**
 * Base class of every error vraindex raises. Subclasses set a stable `name` (e.g.
 * `"MissingBytecodeError"`) and put the facts a program needs (addresses, blocks, indices) in
 * `details`.
 *
 * @example
 * ```ts
 * import { VraindexError } from "./mod.ts";
 * class ExampleError extends VraindexError<{ address: string }> {
 *   override readonly name = "ExampleError";
 * }
 * const error = new ExampleError("no code at 0x01", { address: "0x01" });
 * console.log(error.name, error.details.address);
 * ```
 */
export class VraindexError<D extends ErrorDetails = ErrorDetails> extends Error {
  override readonly name: string = "VraindexError";
  /** Structured facts about the failure. */
  readonly details: D;

  /** Creates the error with a human message, structured details and an optional cause. */
  constructor(message: string, details: D, options?: { cause?: unknown }) {
    super(message, options);
    this.details = details;
  }
}

/**
 * True when `error` is a vraindex error with the given `name`.
 *
 * @example
 * ```ts
 * import { isVraindexError, VraindexError } from "./mod.ts";
 * console.log(isVraindexError(new VraindexError("x", {}), "VraindexError")); // true
 * ```
 */
export function isVraindexError(error: unknown, name?: string): error is VraindexError {
  return error instanceof VraindexError && (name === undefined || error.name === name);
}
