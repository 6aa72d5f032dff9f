/**
 * External-state sources for the host: the default has none, so any call leaving the interpreter
 * and its store fails the evaluation with a typed error instead of reading an empty account.
 *
 * @module
 */
import type { Hex } from "viem";
import { ExternalStateUnavailableError } from "./errors.ts";
import type { ExternalCallRequest, ExternalState } from "./types.ts";

/**
 * An external-state source that answers nothing: every call throws
 * `ExternalStateUnavailableError` naming the address, selector and block.
 *
 * @returns The source.
 * @example
 * ```ts
 * import { noExternalState } from "./mod.ts";
 * const source = noExternalState();
 * try {
 *   source.call({
 *     to: "0x0000000000000000000000000000000000000001",
 *     from: "0x0000000000000000000000000000000000000002",
 *     data: "0x70a08231",
 *     env: { chainId: 1n, blockNumber: 5n, timestamp: 0n },
 *   });
 * } catch (error) {
 *   console.log((error as Error).name); // ExternalStateUnavailableError
 * }
 * ```
 */
export function noExternalState(): ExternalState {
  return {
    call(request: ExternalCallRequest): never {
      throw externalStateUnavailable(request);
    },
  };
}

/**
 * Builds the `ExternalStateUnavailableError` for a call no source could answer.
 *
 * @param request The call.
 * @returns The error (not thrown).
 * @example
 * ```ts
 * import { externalStateUnavailable } from "./mod.ts";
 * const error = externalStateUnavailable({
 *   to: "0x0000000000000000000000000000000000000001",
 *   from: "0x0000000000000000000000000000000000000002",
 *   data: "0x",
 *   env: { chainId: 1n, blockNumber: 5n, timestamp: 0n },
 * });
 * console.log(error.details.selector); // undefined
 * ```
 */
export function externalStateUnavailable(
  request: ExternalCallRequest,
): ExternalStateUnavailableError {
  const selector = request.data.length >= 10 ? request.data.slice(0, 10) as Hex : undefined;
  return new ExternalStateUnavailableError(
    `no external state for a call to ${request.to}` +
      (selector === undefined ? "" : ` (selector ${selector})`) +
      ` from ${request.from} at block ${request.env.blockNumber}`,
    selector === undefined
      ? { address: request.to, block: request.env.blockNumber }
      : { address: request.to, selector, block: request.env.blockNumber },
  );
}
