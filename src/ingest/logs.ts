/**
 * `eth_getLogs` over a block range in adaptive windows: a window that the node refuses ("too many
 * results", a range limit) or that keeps timing out is halved; a window that comes back light is
 * doubled for the next request.
 *
 * @module
 */
import type { Address } from "viem";
import { RpcRequestError } from "./errors.ts";
import type { RpcClient } from "./rpc.ts";

/** The adaptive window of a log scan; share one per address set across calls so it learns. */
export type LogWindow = {
  /** Current size in blocks. */
  size: bigint;
  /** Smallest size (default 1). */
  readonly min: bigint;
  /** Largest size. */
  readonly max: bigint;
  /** A response with fewer logs than this lets the window double (default 2 000). */
  readonly growBelow: number;
};

/**
 * Creates an adaptive log window.
 *
 * @example
 * ```ts
 * import { createLogWindow } from "./mod.ts";
 * const window = createLogWindow({ initial: 2_000n, max: 100_000n });
 * console.log(window.size); // 2000n
 * ```
 */
export function createLogWindow(
  options: { initial?: bigint; min?: bigint; max?: bigint; growBelow?: number } = {},
): LogWindow {
  const max = options.max ?? 100_000n;
  const min = options.min ?? 1n;
  const initial = options.initial ?? 2_000n;
  return {
    size: initial < min ? min : initial > max ? max : initial,
    min,
    max,
    growBelow: options.growBelow ?? 2_000,
  };
}

/** A log as the node returns it (0x quantities). */
export type RpcLog = {
  address: string;
  blockNumber: string;
  blockHash: string;
  logIndex: string;
  transactionHash: string;
  transactionIndex: string;
  topics: string[];
  data: string;
  removed?: boolean;
};

/** Parameters of {@link getLogsAdaptive}. */
export type GetLogsAdaptiveParameters = {
  /** Emitting contracts. */
  address: Address | readonly Address[];
  fromBlock: bigint;
  toBlock: bigint;
  /** The adaptive window (mutated as it learns). */
  window: LogWindow;
  /** Responses for ranges ending at or below this block are immutable and may be cached. */
  finalizedBlock?: bigint;
  /** Chain id, for cache keys. */
  chainId: number;
  /** Retries of one window before it is halved (default 2). */
  retriesPerWindow?: number;
};

/** Messages nodes use to refuse a range as too large. */
const TOO_LARGE =
  /too many|more than \d+|limit|exceed|range|response size|too large|query timeout|timed out|timeout/i;

/**
 * Fetches every log of `address` in `[fromBlock, toBlock]`, in node order, splitting the range as
 * the node demands.
 *
 * @param rpc The JSON-RPC client.
 * @param parameters Address(es), range, the shared window.
 * @returns The logs, ordered by block then log index.
 * @throws {RpcRequestError} When even a one-block window fails; names the method and range.
 * @example
 * ```ts
 * import { createLogWindow, createRpcClient, getLogsAdaptive } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const logs = await getLogsAdaptive(rpc, {
 *   chainId: 31337,
 *   address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   fromBlock: 0n,
 *   toBlock: 100n,
 *   window: createLogWindow(),
 * });
 * console.log(logs.length);
 * ```
 */
export async function getLogsAdaptive(
  rpc: RpcClient,
  parameters: GetLogsAdaptiveParameters,
): Promise<RpcLog[]> {
  const { window, fromBlock, toBlock, chainId } = parameters;
  const addresses = (Array.isArray(parameters.address) ? parameters.address : [parameters.address])
    .map((a: string) => a.toLowerCase()).sort();
  const out: RpcLog[] = [];
  if (addresses.length === 0 || fromBlock > toBlock) return out;
  let start = fromBlock;
  while (start <= toBlock) {
    const end = start + window.size - 1n < toBlock ? start + window.size - 1n : toBlock;
    const cacheable = parameters.finalizedBlock !== undefined && end <= parameters.finalizedBlock;
    let logs: RpcLog[];
    try {
      logs = await rpc.request<RpcLog[]>(
        "eth_getLogs",
        [{
          address: addresses.length === 1 ? addresses[0] : addresses,
          fromBlock: hex(start),
          toBlock: hex(end),
        }],
        {
          blockRange: { fromBlock: start, toBlock: end },
          retries: parameters.retriesPerWindow ?? 2,
          fatal: (error) => TOO_LARGE.test(error.message),
          ...(cacheable
            ? { cacheKey: `logs:${chainId}:${addresses.join(",")}:${start}:${end}` }
            : {}),
        },
      );
    } catch (error) {
      const shrinkable = error instanceof RpcRequestError &&
        (error.details.kind === "exhausted" ||
          error.details.kind === "rpc-error" && TOO_LARGE.test(error.message));
      if (shrinkable && end > start) {
        const half = (end - start + 1n) / 2n;
        window.size = half < window.min ? window.min : half;
        continue;
      }
      throw error;
    }
    if (!Array.isArray(logs)) {
      throw new RpcRequestError(
        `eth_getLogs [${start}, ${end}] returned ${typeof logs}, not an array`,
        {
          method: "eth_getLogs",
          params: `[{fromBlock:${hex(start)},toBlock:${hex(end)}}]`,
          url: "",
          kind: "invalid-response",
          attempts: 1,
          fromBlock: start.toString(),
          toBlock: end.toString(),
        },
      );
    }
    for (const log of logs) if (!log.removed) out.push(log);
    if (logs.length < window.growBelow && end - start + 1n >= window.size) {
      const doubled = window.size * 2n;
      window.size = doubled > window.max ? window.max : doubled;
    }
    start = end + 1n;
  }
  out.sort((a, b) => {
    const d = BigInt(a.blockNumber) - BigInt(b.blockNumber);
    return d !== 0n ? (d < 0n ? -1 : 1) : Number(BigInt(a.logIndex) - BigInt(b.logIndex));
  });
  return out;
}

/**
 * The JSON-RPC quantity (`0x`, no leading zeros) of a block number.
 *
 * @example
 * ```ts
 * import { hex } from "./logs.ts";
 * console.log(hex(255n)); // "0xff"
 * ```
 */
export function hex(value: bigint | number): string {
  return `0x${value.toString(16)}`;
}
