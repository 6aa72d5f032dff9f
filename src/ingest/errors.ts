/**
 * Typed errors of the ingestion layer (RPC → DuckDB).
 *
 * @module
 */
import { VraindexError } from "../errors/mod.ts";

/** Why an RPC request failed for good. */
export type RpcFailureKind =
  /** Every attempt hit a transient failure (time-out, 429, 5xx, reset, truncated body). */
  | "exhausted"
  /** The node answered with a JSON-RPC error that retrying cannot fix. */
  | "rpc-error"
  /** The node answered something that is not a JSON-RPC response. */
  | "invalid-response";

/**
 * An RPC request failed for good: names the method, a short summary of its parameters, the URL
 * tried last, the block range it covered (when it had one) and the cause.
 *
 * @example
 * ```ts
 * import { RpcRequestError } from "./mod.ts";
 * const error = new RpcRequestError("eth_getLogs [10, 20] failed: HTTP 503", {
 *   method: "eth_getLogs",
 *   params: "[{fromBlock:0xa,toBlock:0x14}]",
 *   url: "http://127.0.0.1:8545",
 *   kind: "exhausted",
 *   attempts: 6,
 *   fromBlock: "10",
 *   toBlock: "20",
 * });
 * console.log(error.name, error.details.method);
 * ```
 */
export class RpcRequestError extends VraindexError<{
  method: string;
  /** Parameters, summarised (long hex clipped). */
  params: string;
  /** The URL of the last attempt. */
  url: string;
  kind: RpcFailureKind;
  attempts: number;
  /** JSON-RPC error code, for `rpc-error`. */
  code?: number;
  /** First block of the range the request covered, decimal. */
  fromBlock?: string;
  /** Last block of the range the request covered, decimal. */
  toBlock?: string;
}> {
  override readonly name = "RpcRequestError";
}

/**
 * An interpreter or store address the orders use has no code at the synced block.
 *
 * @example
 * ```ts
 * import { EmptyBytecodeError } from "./mod.ts";
 * const error = new EmptyBytecodeError("no code at 0x01", {
 *   address: "0x0000000000000000000000000000000000000001",
 *   kind: "store",
 *   blockNumber: "12",
 * });
 * console.log(error.name);
 * ```
 */
export class EmptyBytecodeError extends VraindexError<{
  address: string;
  kind: "interpreter" | "store";
  blockNumber: string;
}> {
  override readonly name = "EmptyBytecodeError";
}

/**
 * The sync configuration (flags or config file) is invalid.
 *
 * @example
 * ```ts
 * import { SyncConfigError } from "./mod.ts";
 * console.log(new SyncConfigError("--rpc is required", { issues: ["rpc: required"] }).name);
 * ```
 */
export class SyncConfigError extends VraindexError<{ issues: string[]; file?: string }> {
  override readonly name = "SyncConfigError";
}

/**
 * The chain the node serves contradicts the stored history in a way a rollback cannot repair: the
 * fork point is deeper than the configured reorg depth, or the node's chain id changed.
 *
 * @example
 * ```ts
 * import { ReorgTooDeepError } from "./mod.ts";
 * const error = new ReorgTooDeepError("fork deeper than 64 blocks below 1000", {
 *   chainId: 1,
 *   orderbook: "0x0000000000000000000000000000000000000001",
 *   cursorBlock: "1000",
 *   depth: 64,
 * });
 * console.log(error.name);
 * ```
 */
export class ReorgTooDeepError extends VraindexError<{
  chainId: number;
  orderbook: string;
  cursorBlock: string;
  depth: number;
}> {
  override readonly name = "ReorgTooDeepError";
}

/**
 * A deposit's exact Float could not be recovered and its fallback check failed or could not run;
 * also raised when a transaction's calldata and its logs disagree.
 *
 * @example
 * ```ts
 * import { DepositResolutionError } from "./mod.ts";
 * const error = new DepositResolutionError("deposit calldata does not match the log", {
 *   transactionHash: "0x01",
 *   logIndex: 3,
 *   reason: "mismatch",
 * });
 * console.log(error.name);
 * ```
 */
export class DepositResolutionError extends VraindexError<{
  transactionHash: string;
  logIndex: number;
  reason: string;
}> {
  override readonly name = "DepositResolutionError";
}
