/**
 * V6 sync fidelity with vaultless orders: a scripted `FixtureOrderBookV6` history on anvil is synced
 * into DuckDB (small log windows, so vaultless pairs appear mid-history and are seeded there), a v6
 * engine is rebuilt from the file, and at every synced block every vault touched so far (vault id 0
 * included: the vaultless balance) equals `vaultBalance2`, and every tracked token balance and
 * allowance equals `balanceOf`/`allowance`, all read from the node at that block. At the head, the
 * virtual quote of every live order equals `quote2` called by a named counterparty. A sync resumed
 * halfway stores the same logs, a reorg rolls back the orphaned branch's token facts, and a direct
 * `transfer` to the orderbook (which the logs cannot tell from a pull) shows up as drift.
 */
import assert from "node:assert/strict";
import type { Abi, Address, Hex } from "viem";
import { orderbookV6Abi, type OrderV4 } from "../../src/abi/mod.ts";
import { migrate, readTokenEvents } from "../../src/db/mod.ts";
import { openDuckDbFile, openDuckDbMemory } from "../../src/db/native.ts";
import {
  createVirtualRaindex,
  getAllowance,
  getTokenBalance,
  getVaultBalance,
  quote,
} from "../../src/engine/mod.ts";
import { createInterpreterHost } from "../../src/evm/mod.ts";
import { eq, type Float } from "../../src/float/mod.ts";
import {
  createRpcClient,
  loadCodeCache,
  replayStoredEvents,
  syncOrderbook,
} from "../../src/ingest/mod.ts";
import { startAnvil } from "../_helpers/anvil.ts";
import { runV6Scenario, tokenAbi, ZERO } from "./_v6_scenario.ts";
import { assertSameReplay } from "../ingest/_same_replay.ts";

const obAbi = orderbookV6Abi as Abi;
const lower = (a: string) => a.toLowerCase();

Deno.test("V6 sync with vaultless orders equals the chain at every block", async (t) => {
  const anvil = await startAnvil();
  const dir = await Deno.makeTempDir({ prefix: "vraindex-v6-sync-" });
  const db = await openDuckDbFile(`${dir}/sync.duckdb`);
  try {
    const s = await runV6Scenario(anvil);
    const { bob, carol } = s.accounts;
    const client = anvil.publicClient;
    const rpc = createRpcClient({ urls: [anvil.url] });
    const chainId = anvil.chain.id;
    await migrate(db);
    const head = await client.getBlockNumber();
    const synced = await syncOrderbook(rpc, db, {
      orderbook: s.ob,
      version: "v6",
      window: { initial: 4n, max: 4n },
    });

    await t.step("the sync tracks the vaultless pairs and reports no drift", async () => {
      assert.equal(synced.cursor, head);
      assert.deepEqual(synced.tokenDrift, []);
      // carol × {USDC, WETH} and the orderbook × {USDC, WETH}.
      assert.equal(synced.trackedTokenPairs, 4);
      const facts = await readTokenEvents(db, chainId, s.ob);
      const seeds = facts.filter((f) => f.kind.startsWith("seed"));
      assert.deepEqual(
        seeds.map((f) => `${f.kind} ${lower(f.token)} ${lower(f.account)}`).sort(),
        [
          `seed-allowance ${lower(s.usdc)} ${lower(carol)}`,
          `seed-allowance ${lower(s.weth)} ${lower(carol)}`,
          `seed-balance ${lower(s.usdc)} ${lower(carol)}`,
          `seed-balance ${lower(s.usdc)} ${lower(s.ob)}`,
          `seed-balance ${lower(s.weth)} ${lower(carol)}`,
          `seed-balance ${lower(s.weth)} ${lower(s.ob)}`,
        ].sort(),
      );
      // Seeds are what the chain said at their block.
      for (const seed of seeds) {
        const chain = await client.readContract({
          address: seed.token,
          abi: tokenAbi,
          functionName: seed.kind === "seed-balance" ? "balanceOf" : "allowance",
          args: seed.kind === "seed-balance" ? [seed.account] : [seed.account, s.ob],
          blockNumber: seed.blockNumber,
        }) as bigint;
        assert.equal(seed.amount, chain, `${seed.kind} ${seed.account}`);
      }
      // The plain approve and the third party's transfers were stored.
      assert.ok(facts.some((f) => f.kind === "approval" && f.amount === 2_500_000n));
      assert.ok(facts.some((f) => f.kind === "transfer" && f.amount === 1_000_000n));
      assert.ok(facts.some((f) => f.kind === "transfer" && f.amount === 200_000n));
    });

    const engine = createVirtualRaindex({
      orderbook: s.ob,
      chainId: BigInt(chainId),
      version: "v6",
      // The fixture's Solidity Float is bit-exact with rain.math.float f00888c.
      floatVersion: "f00888c",
      host: createInterpreterHost({ codeCache: await loadCodeCache(db, chainId) }),
    });

    await t.step("every block: vaults, vaultless balances, token balances", async () => {
      const vaults = new Map<string, { owner: Address; token: Address; vaultId: Hex }>();
      const balances = new Map<string, { token: Address; account: Address }>();
      const allowances = new Map<string, { token: Address; account: Address }>();
      let vaultChecks = 0, tokenChecks = 0, vaultlessChecks = 0, quoteChecks = 0;
      const orders: OrderV4[] = [];
      let checkedBlocks = 0;
      const check = async (block: bigint) => {
        for (const vault of vaults.values()) {
          const onchain = await client.readContract({
            address: s.ob,
            abi: obAbi,
            functionName: "vaultBalance2",
            args: [vault.owner, vault.token, vault.vaultId],
            blockNumber: block,
          }) as Float;
          const virtual = getVaultBalance(engine, vault);
          assert.ok(
            eq(virtual, onchain),
            `block ${block}, vault ${vault.owner}/${vault.token}/${vault.vaultId}: ` +
              `virtual ${virtual}, chain ${onchain}`,
          );
          vaultChecks++;
          if (vault.vaultId === ZERO) vaultlessChecks++;
        }
        for (const [kind, pairs] of [["balance", balances], ["allowance", allowances]] as const) {
          for (const p of pairs.values()) {
            const onchain = await client.readContract({
              address: p.token,
              abi: tokenAbi,
              functionName: kind === "balance" ? "balanceOf" : "allowance",
              args: kind === "balance" ? [p.account] : [p.account, s.ob],
              blockNumber: block,
            }) as bigint;
            const virtual = kind === "balance"
              ? getTokenBalance(engine, p.token, p.account)
              : getAllowance(engine, p.token, p.account);
            assert.equal(virtual, onchain, `block ${block}, ${kind} ${p.token}/${p.account}`);
            tokenChecks++;
          }
        }
        checkedBlocks++;
      };
      let last: bigint | null = null;
      await replayStoredEvents(db, engine, {
        chainId,
        orderbook: s.ob,
        version: "v6",
        async onBlock(batch) {
          // Blocks without a stored fact keep the previous block's state: check them too.
          if (last !== null) {
            for (let b = last + 1n; b < batch.blockNumber; b++) await check(b);
          }
          for (const m of batch.mutations) {
            if (m.type === "vaultDeltas") {
              for (const d of m.deltas) {
                vaults.set(lower(`${d.owner}:${d.token}:${d.vaultId}`), d);
              }
            } else if (m.type === "setOrders") {
              for (const order of m.orders) orders.push(order);
              for (const order of m.orders) {
                for (const io of [...order.validInputs, ...order.validOutputs]) {
                  if (io.vaultId !== ZERO) continue;
                  const vault = { owner: order.owner, token: io.token, vaultId: ZERO };
                  vaults.set(lower(`${order.owner}:${io.token}:${ZERO}`), vault);
                }
              }
            } else if (m.type === "setTokenBalances") {
              for (const b of m.balances) {
                balances.set(lower(`${b.token}:${b.account}`), b);
              }
            } else if (m.type === "setAllowances") {
              for (const a of m.allowances) {
                allowances.set(lower(`${a.token}:${a.owner}`), {
                  token: a.token,
                  account: a.owner,
                });
              }
            }
          }
          await check(batch.blockNumber);
          // The engine's env is this block's (setEnv leads each batch): quotes compare exactly here.
          for (const order of orders) {
            const [exists, maxOutput, ioRatio] = await client.readContract({
              address: s.ob,
              abi: obAbi,
              functionName: "quote2",
              args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
              account: bob,
              blockNumber: batch.blockNumber,
            }) as readonly [boolean, Hex, Hex];
            const virtual = await quote(engine, {
              order,
              inputIOIndex: 0n,
              outputIOIndex: 0n,
              counterparty: bob,
            });
            assert.equal(virtual.exists, exists, `block ${batch.blockNumber}: exists`);
            assert.ok(
              eq(virtual.maxOutput, maxOutput) && eq(virtual.ioRatio, ioRatio),
              `block ${batch.blockNumber}: quote ${virtual.maxOutput}/${virtual.ioRatio} vs ` +
                `${maxOutput}/${ioRatio}`,
            );
            quoteChecks++;
          }
          last = batch.blockNumber;
        },
      });
      assert.ok(last !== null);
      for (let b = (last as bigint) + 1n; b <= head; b++) await check(b);
      assert.ok(vaultlessChecks > 20, `${vaultlessChecks} vaultless checks`);
      assert.ok(vaultChecks > 50 && tokenChecks > 100, `${vaultChecks} / ${tokenChecks}`);
      assert.ok(quoteChecks > 20, `${quoteChecks} quote checks`);
      // alice's 3 vaults and carol's 2 vaultless (token, owner) pairs.
      assert.equal(vaults.size, 5);
      console.log(
        `${checkedBlocks} blocks: ${vaultChecks} vault checks (${vaultlessChecks} vaultless), ` +
          `${tokenChecks} token checks, ${quoteChecks} quotes`,
      );
    });

    await t.step("head: every live order's quote equals quote2 from bob", async () => {
      let live = 0;
      for (const order of s.orders) {
        const parameters = { order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] };
        const [exists, maxOutput, ioRatio] = await client.readContract({
          address: s.ob,
          abi: obAbi,
          functionName: "quote2",
          args: [parameters],
          account: bob,
        }) as readonly [boolean, Hex, Hex];
        const virtual = await quote(engine, {
          order,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: bob,
        });
        assert.equal(virtual.exists, exists);
        if (!exists) continue;
        live++;
        assert.ok(eq(virtual.maxOutput, maxOutput), `maxOutput ${virtual.maxOutput} ${maxOutput}`);
        assert.ok(eq(virtual.ioRatio, ioRatio), `ioRatio ${virtual.ioRatio} ${ioRatio}`);
      }
      assert.equal(live, s.orders.length);
    });

    await t.step("the typed tables replay as the raw logs do, block by block", async () => {
      const codeCache = await loadCodeCache(db, chainId);
      const same = await assertSameReplay(
        db,
        () =>
          createVirtualRaindex({
            orderbook: s.ob,
            chainId: BigInt(chainId),
            version: "v6",
            floatVersion: "f00888c",
            host: createInterpreterHost({ codeCache }),
          }),
        { chainId, orderbook: s.ob, version: "v6" },
      );
      assert.ok(same.blocks > 10, `${same.blocks} blocks`);
    });

    await t.step("a sync resumed halfway stores the same facts", async () => {
      const other = await openDuckDbMemory();
      try {
        await migrate(other);
        const mid = (s.deployBlock + head) / 2n;
        const first = await syncOrderbook(rpc, other, {
          orderbook: s.ob,
          version: "v6",
          toBlock: mid,
        });
        assert.equal(first.cursor, mid);
        const second = await syncOrderbook(rpc, other, {
          orderbook: s.ob,
          version: "v6",
          toBlock: head,
          window: { initial: 3n, max: 3n },
        });
        assert.deepEqual(second.tokenDrift, []);
        // Seeds follow the chunking, so each database keeps the logs after its own seeds: past
        // the later seed of the two, the stored logs are the same.
        const facts = [
          await readTokenEvents(other, chainId, s.ob),
          await readTokenEvents(db, chainId, s.ob),
        ];
        let lastSeed = 0n;
        for (const f of facts.flat()) {
          if (f.kind.startsWith("seed") && f.blockNumber > lastSeed) lastSeed = f.blockNumber;
        }
        const [a, b] = facts.map((list) => list.filter((f) => f.blockNumber > lastSeed));
        assert.ok(a.length > 5, `${a.length} logs after block ${lastSeed}`);
        assert.deepEqual(a, b);
      } finally {
        await other.close();
      }
    });

    await t.step("reorg: token facts of the orphaned branch are rolled back", async () => {
      const snapshot = await anvil.snapshot();
      // Branch A: carol sends dave 300000 USDC units and re-approves; synced.
      await s.send(2, s.usdc, tokenAbi, "transfer", [s.accounts.dave, 300_000n]);
      await s.send(2, s.usdc, tokenAbi, "approve", [s.ob, 333_333n]);
      const a = await syncOrderbook(rpc, db, { orderbook: s.ob, version: "v6" });
      assert.deepEqual(a.tokenDrift, []);
      assert.ok((await readTokenEvents(db, chainId, s.ob)).some((f) => f.amount === 300_000n));
      // Branch B replaces them with a transfer from dave, on more blocks.
      assert.equal(await anvil.revert(snapshot), true);
      await anvil.mine();
      await s.send(3, s.usdc, tokenAbi, "transfer", [carol, 50_000n]);
      await anvil.mine();
      await anvil.mine();
      const b = await syncOrderbook(rpc, db, { orderbook: s.ob, version: "v6" });
      assert.notEqual(b.reorgForkBlock, null);
      assert.equal(b.cursor, await client.getBlockNumber());
      assert.deepEqual(b.tokenDrift, []);
      const facts = await readTokenEvents(db, chainId, s.ob);
      assert.ok(!facts.some((f) => f.amount === 300_000n || f.amount === 333_333n));
      assert.ok(facts.some((f) => f.kind === "transfer" && f.amount === 50_000n));
    });

    await t.step("a direct transfer to the orderbook is reported as drift", async () => {
      await s.send(2, s.usdc, tokenAbi, "approve", [s.ob, 1_000_000n]);
      await s.send(2, s.usdc, tokenAbi, "transfer", [s.ob, 100_000n]);
      const again = await syncOrderbook(rpc, db, { orderbook: s.ob, version: "v6" });
      // The logs read the transfer as the orderbook's pull: the model spends 100000 of carol's
      // allowance, the chain does not; balances stay exact.
      assert.deepEqual(
        again.tokenDrift.map((d) => [lower(d.token), lower(d.account), d.kind, d.model, d.chain]),
        [[lower(s.usdc), lower(carol), "allowance", 900_000n, 1_000_000n]],
      );
      assert.equal(again.tokenDrift[0].blockNumber, await client.getBlockNumber());
    });
  } finally {
    await db.close();
    await anvil.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
