/**
 * Rebuilds a virtual orderbook from a synced DuckDB file alone: code from `bytecode_artifacts`,
 * events in (block, log index) order, exact deposit Floats from `deposits`, decimals from
 * `erc20_tokens`.
 */
import type { Address, Hex } from "viem";
import type { OrderbookVersion } from "../src/abi/mod.ts";
import { type Db, readEventsOrdered } from "../src/db/mod.ts";
import { applyMutations, createVirtualRaindex, type VirtualRaindex } from "../src/engine/mod.ts";
import {
  decodeLogs,
  type DepositAmount,
  eventsToMutations,
  type RawLog,
} from "../src/events/mod.ts";
import type { FloatVersion } from "../src/float/mod.ts";
import { loadCodeCache } from "../src/ingest/mod.ts";
import { createHost } from "../src/rainvm/mod.ts";

/** What to rebuild and how to evaluate. */
export type RebuildFromDbParameters = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly version: OrderbookVersion;
  readonly floatVersion?: FloatVersion;
  readonly hostMode?: "evm" | "native" | "verify";
};

/** Rebuilds the engine from `db`; returns it with the number of stored events applied. */
export async function rebuildFromDb(
  db: Db,
  parameters: RebuildFromDbParameters,
): Promise<{ engine: VirtualRaindex; events: number }> {
  const { chainId, orderbook, version } = parameters;
  const codeCache = await loadCodeCache(db, chainId);
  const host = createHost({ mode: parameters.hostMode ?? "native", codeCache });
  const engine = createVirtualRaindex({
    orderbook,
    chainId: BigInt(chainId),
    version,
    floatVersion: parameters.floatVersion,
    host,
  });
  const logs: RawLog[] = [];
  for await (const chunk of readEventsOrdered(db, chainId, orderbook)) {
    for (const r of chunk) {
      logs.push({
        chainId: r.chainId,
        address: r.address,
        blockNumber: r.blockNumber,
        blockHash: r.blockHash,
        logIndex: r.logIndex,
        transactionHash: r.transactionHash,
        transactionIndex: r.transactionIndex,
        topics: r.topics,
        data: r.data,
        ...(r.timestamp === null ? {} : { timestamp: r.timestamp }),
      });
    }
  }
  const deposits = await db.query<{ tx_hash: string; log_index: number; amount: Hex }>(
    "SELECT tx_hash, log_index, amount FROM deposits WHERE exact",
  );
  const depositAmounts = new Map<string, DepositAmount>(
    deposits.map((d) => [`${d.tx_hash}:${d.log_index}`, { amount: d.amount, source: "calldata" }]),
  );
  const tokens = await db.query<{ address: string; decimals: number }>(
    "SELECT address, decimals FROM erc20_tokens WHERE decimals IS NOT NULL",
  );
  const { batches } = eventsToMutations(decodeLogs(logs, { orderbook, version }), {
    version,
    orderbook,
    depositAmounts,
    tokenDecimals: new Map(tokens.map((t) => [t.address, t.decimals])),
  });
  for (const batch of batches) applyMutations(engine, batch.mutations);
  return { engine, events: logs.length };
}
