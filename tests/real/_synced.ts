/**
 * Opt-in helper: a real OrderBookV6 history synced into DuckDB (`syncOrderbook`), rebuilt from the
 * typed tables (`replayStoredEvents`' default) and compared with `vaultBalance2` at every synced
 * block, into the test's Float ledger; then the same history rebuilt from the raw logs must give
 * the same batch at every block.
 */
import type { Address, Hex } from "viem";
import { orderbookV6Abi } from "../../src/abi/mod.ts";
import { migrate } from "../../src/db/mod.ts";
import { openDuckDbMemory } from "../../src/db/native.ts";
import { createVirtualRaindex, getVaultBalance } from "../../src/engine/mod.ts";
import { createInterpreterHost } from "../../src/evm/mod.ts";
import {
  createRpcClient,
  loadCodeCache,
  replayStoredEvents,
  syncOrderbook,
} from "../../src/ingest/mod.ts";
import { assertSameReplay } from "../ingest/_same_replay.ts";
import type { FloatLedger, RealRaindex } from "../_helpers/real_chain.ts";

/** Syncs, rebuilds and compares; returns what was compared. */
export async function compareSyncedHistory(
  chain: RealRaindex,
  orderbook: Address,
  ledger: FloatLedger,
): Promise<{ blocks: number; logs: number; vaults: number; checks: number }> {
  const db = await openDuckDbMemory();
  try {
    await migrate(db);
    await syncOrderbook(createRpcClient({ urls: [chain.url] }), db, { orderbook, version: "v6" });
    const chainId = chain.chain.id;
    const codeCache = await loadCodeCache(db, chainId);
    const fresh = () =>
      createVirtualRaindex({
        orderbook,
        chainId: BigInt(chainId),
        version: "v6",
        host: createInterpreterHost({ codeCache }),
      });
    const engine = fresh();
    const vaults = new Map<string, { owner: Address; token: Address; vaultId: Hex }>();
    let checks = 0;
    await replayStoredEvents(db, engine, {
      chainId,
      orderbook,
      version: "v6",
      async onBlock(batch) {
        for (const m of batch.mutations) {
          if (m.type !== "vaultDeltas") continue;
          for (const d of m.deltas) {
            // Vault 0 moves tokens, not a vault (vaultless orders): the token model's tests.
            if (BigInt(d.vaultId) === 0n) continue;
            vaults.set(`${d.owner}:${d.token}:${d.vaultId}`.toLowerCase(), d);
          }
        }
        for (const v of vaults.values()) {
          const onChain = await chain.publicClient.readContract({
            address: orderbook,
            abi: orderbookV6Abi,
            functionName: "vaultBalance2",
            args: [v.owner, v.token, v.vaultId],
            blockNumber: batch.blockNumber,
          }) as Hex;
          ledger.compare(
            `synced block ${batch.blockNumber} vault ${v.owner}/${v.token}/${v.vaultId}`,
            onChain,
            getVaultBalance(engine, v),
          );
          checks++;
        }
      },
    });
    const same = await assertSameReplay(db, fresh, { chainId, orderbook, version: "v6" });
    console.log(
      `synced history: ${same.blocks} blocks, ${same.events} logs, ${vaults.size} vaults, ` +
        `${checks} vault checks; typed tables = raw logs at every block`,
    );
    return { blocks: same.blocks, logs: same.events, vaults: vaults.size, checks };
  } finally {
    await db.close();
  }
}
