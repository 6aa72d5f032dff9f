/**
 * `deno task demo`, the main job on bundled default data: starts a local anvil, deploys our own
 * fixture contracts (a V5 orderbook, interpreter, store and tokens), plays a scripted history of
 * deposits, orders, takes, clears and withdrawals, syncs it over JSON-RPC into a DuckDB file, rebuilds
 * the virtual orderbook from that file alone, and prints virtual vs on-chain vault balances and quotes.
 * Exits 1 if any value differs.
 */
import type { Address, Hex } from "viem";
import { orderbookV5Abi, type OrderV4 } from "../src/abi/mod.ts";
import { migrate } from "../src/db/mod.ts";
import { openDuckDbFileInWorker } from "../src/db/worker.ts";
import { createVirtualRaindex, getVaultBalance, quote } from "../src/engine/mod.ts";
import { eq, type Float, format } from "../src/float/mod.ts";
import {
  createRpcClient,
  loadCodeCache,
  replayStoredEvents,
  syncOrderbook,
} from "../src/ingest/mod.ts";
import { createHost } from "../src/rainvm/mod.ts";
import { startAnvil } from "../tests/_helpers/anvil.ts";
import { runScenario } from "../tests/ingest/_scenario.ts";
import { fromFileUrl, join } from "./_paths.ts";

const ROUNDS = 12;
const root = fromFileUrl(new URL("..", import.meta.url));

function cell(text: string, width: number): string {
  return text.length >= width ? text.slice(0, width) : text + " ".repeat(width - text.length);
}

function short(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

if (import.meta.main) {
  const outDir = join(root, "out");
  Deno.mkdirSync(outDir, { recursive: true });
  const dbPath = join(outDir, "demo.duckdb");
  for (const path of [dbPath, `${dbPath}.wal`]) {
    try {
      Deno.removeSync(path);
    } catch { /* not there */ }
  }
  const anvil = await startAnvil();
  let mismatches = 0;
  try {
    console.log(`anvil on ${anvil.url}: deploying fixtures and playing ${ROUNDS} rounds…`);
    const scenario = await runScenario(anvil, ROUNDS);
    const head = await anvil.publicClient.getBlockNumber();

    const db = await openDuckDbFileInWorker(dbPath);
    try {
      await migrate(db);
      const started = performance.now();
      const synced = await syncOrderbook(createRpcClient({ urls: [anvil.url] }), db, {
        orderbook: scenario.ob,
        version: "v5",
      });
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `synced blocks ${synced.fromBlock}–${synced.toBlock} into ${dbPath}: ` +
          `${synced.orderbookEvents} orderbook events, ${synced.storeEvents} store sets, ` +
          `${synced.deposits} deposits (${synced.inexactDeposits} inexact) in ${
            seconds.toFixed(2)
          } s`,
      );

      // Rebuilt from the DuckDB file alone; the native evaluator runs the orders' bytecode.
      const chainId = anvil.chain.id;
      const engine = createVirtualRaindex({
        orderbook: scenario.ob,
        chainId: BigInt(chainId),
        version: "v5",
        // Our fixture orderbook's Solidity Float is bit-exact with rain.math.float f00888c.
        floatVersion: "f00888c",
        host: createHost({ mode: "native", codeCache: await loadCodeCache(db, chainId) }),
      });
      const { events } = await replayStoredEvents(db, engine, {
        chainId,
        orderbook: scenario.ob,
        version: "v5",
      });
      console.log(`rebuilt the virtual orderbook from ${events} stored events\n`);

      console.log("vault balances at block " + head);
      console.log(
        `${cell("owner", 14)}${cell("token", 14)}${cell("vault", 7)}${cell("on-chain", 22)}` +
          `${cell("virtual", 22)}match`,
      );
      for (const vault of scenario.vaults) {
        const onchain = await anvil.publicClient.readContract({
          address: scenario.ob,
          abi: orderbookV5Abi,
          functionName: "vaultBalance2",
          args: [vault.owner, vault.token, vault.vaultId],
          blockNumber: head,
        }) as Float;
        const virtual = getVaultBalance(engine, vault);
        const sameValue = eq(onchain, virtual);
        const sameBits = onchain.toLowerCase() === virtual.toLowerCase();
        const inexact = vault.owner.toLowerCase() === scenario.forwarder.toLowerCase();
        if (!sameValue && !inexact) mismatches++;
        console.log(
          `${cell(short(vault.owner), 14)}${cell(short(vault.token), 14)}` +
            `${cell(BigInt(vault.vaultId).toString(), 7)}${cell(format(onchain, 30), 22)}` +
            `${cell(format(virtual, 30), 22)}${
              sameBits
                ? "bits"
                : sameValue
                ? "value"
                : inexact
                ? "no (deposit through another contract: event amount, flagged inexact)"
                : "NO"
            }`,
        );
      }

      const [, bob] = scenario.accounts as Address[];
      console.log(`\nquotes (quote2 from ${short(bob)} vs the virtual quote)`);
      console.log(
        `${cell("order", 14)}${cell("on-chain max", 18)}${cell("virtual max", 18)}` +
          `${cell("on-chain ratio", 18)}${cell("virtual ratio", 18)}match`,
      );
      for (const order of scenario.orders as OrderV4[]) {
        const [exists, maxOutput, ratio] = await anvil.publicClient.readContract({
          address: scenario.ob,
          abi: orderbookV5Abi,
          functionName: "quote2",
          args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
          account: bob,
          blockNumber: head,
        }) as readonly [boolean, Hex, Hex];
        const virtual = await quote(engine, {
          order,
          inputIOIndex: 0,
          outputIOIndex: 0,
          counterparty: bob,
        });
        const same = virtual.exists === exists && eq(virtual.maxOutput, maxOutput as Float) &&
          eq(virtual.ioRatio, ratio as Float);
        if (!same) mismatches++;
        const label = exists ? short(virtual.orderHash) : `${short(virtual.orderHash)} ✝`;
        console.log(
          `${cell(label, 14)}${cell(format(maxOutput as Float, 30), 18)}` +
            `${cell(format(virtual.maxOutput, 30), 18)}${cell(format(ratio as Float, 30), 18)}` +
            `${cell(format(virtual.ioRatio, 30), 18)}${same ? "yes" : "NO"}`,
        );
      }
    } finally {
      await db.close();
    }
  } finally {
    await anvil.stop();
  }
  console.log(
    mismatches === 0
      ? "\nvirtual = on-chain for every vault and quote (✝ = removed order, quote2 says not live)"
      : `\n${mismatches} mismatch(es)`,
  );
  Deno.exit(mismatches === 0 ? 0 : 1);
}
