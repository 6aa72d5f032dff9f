/** Fixtures of the V6 engine tests: a `v6` engine with decimals A=18, B=6, C=0. */
import {
  applyMutations,
  createVirtualRaindex,
  type RaindexMutation,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import type { ExternalState, InterpreterHost } from "../../src/evm/mod.ts";
import { ORDERBOOK, TOKEN_A, TOKEN_B, TOKEN_C } from "./_fixtures.ts";

/** `v6` engine with decimals A=18, B=6, C=0 and env (chain 137, block 100, ts 1700000000). */
export function makeV6Engine(
  host: InterpreterHost,
  extra: readonly RaindexMutation[] = [],
  externalState?: ExternalState,
): VirtualRaindex {
  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host, externalState, version: "v6" });
  applyMutations(engine, [
    { type: "setEnv", chainId: 137n, blockNumber: 100n, timestamp: 1700000000n },
    {
      type: "setTokenDecimals",
      tokens: [
        { token: TOKEN_A, decimals: 18 },
        { token: TOKEN_B, decimals: 6 },
        { token: TOKEN_C, decimals: 0 },
      ],
    },
    ...extra,
  ]);
  return engine;
}

/** 10^n as a bigint. */
export function e(n: number): bigint {
  return 10n ** BigInt(n);
}
