/**
 * Creating an engine.
 *
 * @module
 */
import type { Address } from "viem";
import { floatOps, type FloatVersion } from "../float/mod.ts";
import type { ExternalState, InterpreterHost } from "../evm/mod.ts";
import type { EngineVersionNotImplementedError } from "./errors.ts";
import { ORDERBOOK_FLOAT_VERSION, rulesFor } from "./rules.ts";
import { createState } from "./state.ts";
import type { OrderbookVersion, VirtualRaindex } from "./types.ts";
import { normalizeAddress } from "./words.ts";

/** Parameters of `createVirtualRaindex`. */
export type CreateVirtualRaindexParameters = {
  /** Orderbook address. */
  readonly orderbook: Address;
  /** Chain id evaluations see until a `setEnv` mutation changes it (default 1). */
  readonly chainId?: bigint;
  /** Block number and timestamp to start from (default 0). */
  readonly blockNumber?: bigint;
  /** Block timestamp in seconds (default 0). */
  readonly timestamp?: bigint;
  /**
   * Orderbook rules: `v5` (default, `IOrderBookV5`) or `v6` (`IRaindexV6`: `takeOrders4`, vaultless
   * IOs on the token model, `ZeroVaultId`). Use `detectOrderbookVersion` to tell a deployment's.
   */
  readonly version?: OrderbookVersion;
  /**
   * rain.math.float version of the orderbook build, for vault and take maths; default: the one
   * Rain's contracts of `version` use (`ORDERBOOK_FLOAT_VERSION`).
   */
  readonly floatVersion?: FloatVersion;
  /** Runs Rain bytecode (EVM host, native evaluator, or a test host). */
  readonly host: InterpreterHost;
  /** Answers ERC-1271 signature checks; without it contract signers cannot be verified. */
  readonly externalState?: ExternalState;
};

/** Errors `createVirtualRaindex` can raise. */
export type CreateVirtualRaindexErrorType = EngineVersionNotImplementedError;

/**
 * Creates an empty virtual orderbook. Feed it with `applyMutations`, then `quote`, `takeOrders`,
 * `clear` and the post-task simulations read it.
 *
 * @param parameters orderbook address, version, host and optional external state.
 * @returns the engine handle.
 * @example
 * ```ts
 * import { createVirtualRaindex } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("no host")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(engine.version); // "v5"
 * ```
 */
export function createVirtualRaindex(parameters: CreateVirtualRaindexParameters): VirtualRaindex {
  const version = parameters.version ?? "v5";
  rulesFor(version);
  return {
    orderbook: normalizeAddress(parameters.orderbook, "orderbook"),
    version,
    float: floatOps(parameters.floatVersion ?? ORDERBOOK_FLOAT_VERSION[version]),
    host: parameters.host,
    externalState: parameters.externalState,
    state: createState({
      chainId: parameters.chainId ?? 1n,
      blockNumber: parameters.blockNumber ?? 0n,
      timestamp: parameters.timestamp ?? 0n,
    }),
    namespaces: new Map(),
  };
}
