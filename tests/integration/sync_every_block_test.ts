/**
 * Sync fidelity at every block: a scripted fixture history on anvil is synced into a DuckDB file,
 * the virtual orderbook is rebuilt from that file block by block, and after each block every vault
 * touched so far equals `vaultBalance2` and every store slot written so far equals the store's `get`,
 * both read from the node at that same block (anvil keeps historical state).
 */
import assert from "node:assert/strict";
import type { Abi, Address, Hex } from "viem";
import { orderbookV5Abi } from "../../src/abi/mod.ts";
import { migrate } from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import { createVirtualRaindex, getStoreValue, getVaultBalance } from "../../src/engine/mod.ts";
import { createInterpreterHost } from "../../src/evm/mod.ts";
import { eq, type Float } from "../../src/float/mod.ts";
import {
  createRpcClient,
  loadCodeCache,
  replayStoredEvents,
  syncOrderbook,
} from "../../src/ingest/mod.ts";
import { startAnvil } from "../_helpers/anvil.ts";
import { loadFixtureArtifact } from "../_helpers/fixtures.ts";
import { runScenario } from "../ingest/_scenario.ts";
import { assertSameReplay } from "../ingest/_same_replay.ts";

const storeAbi = loadFixtureArtifact("FixtureStore").abi as Abi;

Deno.test("synced history equals the chain at every block (vaults and store)", async () => {
  const anvil = await startAnvil();
  const dir = await Deno.makeTempDir({ prefix: "vraindex-every-block-" });
  const db = await openDuckDbFile(`${dir}/sync.duckdb`);
  try {
    const scenario = await runScenario(anvil, 8);
    await migrate(db);
    await syncOrderbook(createRpcClient({ urls: [anvil.url] }), db, {
      orderbook: scenario.ob,
      version: "v5",
    });
    const chainId = anvil.chain.id;
    const engine = createVirtualRaindex({
      orderbook: scenario.ob,
      chainId: BigInt(chainId),
      // Our fixture orderbook's Solidity Float is bit-exact with rain.math.float f00888c.
      floatVersion: "f00888c",
      host: createInterpreterHost({ codeCache: await loadCodeCache(db, chainId) }),
    });

    // Vaults fed by a deposit through another contract hold the event's rounded amount (flagged
    // inexact by the sync); they are checked by the ingest tests, not here.
    const inexactOwner = scenario.forwarder.toLowerCase();
    const vaults = new Map<string, { owner: Address; token: Address; vaultId: Hex }>();
    const slots = new Map<string, { store: Address; namespace: Hex; key: Hex }>();
    let checkedBlocks = 0, vaultChecks = 0, storeChecks = 0, sameBits = 0;
    await replayStoredEvents(db, engine, {
      chainId,
      orderbook: scenario.ob,
      version: "v5",
      async onBlock(batch) {
        for (const m of batch.mutations) {
          if (m.type === "vaultDeltas") {
            for (const d of m.deltas) {
              if (d.owner.toLowerCase() === inexactOwner) continue;
              vaults.set(`${d.owner}:${d.token}:${d.vaultId}`.toLowerCase(), d);
            }
          } else if (m.type === "applyStore") {
            for (let i = 0; i < m.kvs.length; i += 2) {
              slots.set(`${m.store}:${m.namespace}:${m.kvs[i]}`.toLowerCase(), {
                store: m.store,
                namespace: m.namespace,
                key: m.kvs[i],
              });
            }
          }
        }
        for (const vault of vaults.values()) {
          const onchain = await anvil.publicClient.readContract({
            address: scenario.ob,
            abi: orderbookV5Abi,
            functionName: "vaultBalance2",
            args: [vault.owner, vault.token, vault.vaultId],
            blockNumber: batch.blockNumber,
          }) as Float;
          const virtual = getVaultBalance(engine, vault);
          assert.ok(
            eq(virtual, onchain),
            `block ${batch.blockNumber}, vault ${vault.owner}/${vault.token}/${vault.vaultId}: ` +
              `virtual ${virtual}, chain ${onchain}`,
          );
          if (virtual.toLowerCase() === onchain.toLowerCase()) sameBits++;
          vaultChecks++;
        }
        for (const slot of slots.values()) {
          const onchain = await anvil.publicClient.readContract({
            address: slot.store,
            abi: storeAbi,
            functionName: "get",
            args: [BigInt(slot.namespace), slot.key],
            blockNumber: batch.blockNumber,
          }) as Hex;
          assert.equal(
            getStoreValue(engine, slot).toLowerCase(),
            onchain.toLowerCase(),
            `block ${batch.blockNumber}, store slot ${slot.key}`,
          );
          storeChecks++;
        }
        checkedBlocks++;
      },
    });
    assert.ok(checkedBlocks >= 20, `${checkedBlocks} blocks with events`);
    assert.ok(vaultChecks > 100 && storeChecks > 10, `${vaultChecks} / ${storeChecks} checks`);
    // Same fixture Float version on both sides: every vault is bit-identical too.
    assert.equal(sameBits, vaultChecks, "bit-identical vaults");
    console.log(
      `${checkedBlocks} blocks: ${vaultChecks} vault checks, ${storeChecks} store checks`,
    );
    // The history above was replayed from the typed tables (the default); the raw logs, decoded
    // again, give the same batch at every block (clears, multicall and forwarded deposits too).
    const codeCache = await loadCodeCache(db, chainId);
    const same = await assertSameReplay(
      db,
      () =>
        createVirtualRaindex({
          orderbook: scenario.ob,
          chainId: BigInt(chainId),
          floatVersion: "f00888c",
          host: createInterpreterHost({ codeCache }),
        }),
      { chainId, orderbook: scenario.ob, version: "v5" },
    );
    assert.equal(same.blocks, checkedBlocks);
  } finally {
    await db.close();
    await anvil.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
