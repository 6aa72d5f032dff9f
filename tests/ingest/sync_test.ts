/**
 * `syncOrderbook` on anvil with the fixture contracts: a scripted history (≥ 200 orderbook events
 * over ≥ 50 blocks) synced into a DuckDB file; rows compared with the receipts and with what the
 * scenario sent; a sync through a fault-injecting proxy equals the clean one; a hard failure names
 * method and block range; a reorg is detected, rolled back and re-synced to what a fresh sync of
 * the new chain stores.
 */
import assert from "node:assert/strict";
import { encodeFunctionData, type Hex, keccak256, pad } from "viem";
import { orderbookV5Abi } from "../../src/abi/mod.ts";
import { type Db, migrate } from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import { eq, type Float, parse } from "../../src/float/mod.ts";
import {
  createFileRpcCache,
  createRpcClient,
  EmptyBytecodeError,
  loadCodeCache,
  readCode,
  readTokenInfo,
  RpcRequestError,
  syncOrderbook,
} from "../../src/ingest/mod.ts";
import { startAnvil } from "../_helpers/anvil.ts";
import { loadFixtureArtifact } from "../_helpers/fixtures.ts";
import { assertSameDump, count, dumpDb } from "./_dump.ts";
import { startFaultProxyReady } from "./_proxy.ts";
import { runScenario, sendAndWait } from "./_scenario.ts";

async function openFresh(dir: string, name: string): Promise<Db> {
  const db = await openDuckDbFile(`${dir}/${name}.duckdb`);
  await migrate(db);
  return db;
}

Deno.test("syncOrderbook on anvil: scripted history, faults, reorg", async (t) => {
  const anvil = await startAnvil();
  const dir = await Deno.makeTempDir({ prefix: "vraindex-ingest-" });
  const dbs: Db[] = [];
  try {
    const scenario = await runScenario(anvil, 30);
    const head = await anvil.publicClient.getBlockNumber();
    const chainId = anvil.chain.id;
    const clean = await openFresh(dir, "clean");
    dbs.push(clean);
    const rpc = createRpcClient({ urls: [anvil.url] });
    const obLower = scenario.ob.toLowerCase();

    await t.step("the scenario is big enough", () => {
      assert.ok(scenario.obEventNames.length >= 200, `${scenario.obEventNames.length} events`);
      assert.ok(head - scenario.deployBlock >= 50n, `${head - scenario.deployBlock} blocks`);
    });

    await t.step("sync into a DuckDB file: rows match the receipts", async () => {
      const result = await syncOrderbook(rpc, clean, {
        orderbook: scenario.ob,
        version: "v5",
        window: { initial: 16n, max: 64n },
      });
      assert.equal(result.cursor, head);
      assert.equal(result.fromBlock, scenario.deployBlock, "starts at the deployment block");
      assert.equal(result.partial, false);
      assert.ok(result.chunks > 3, `${result.chunks} chunks`);
      assert.equal(result.orderbookEvents, scenario.obEventNames.length);

      // Every orderbook log, by event name, as the receipts had them.
      const expected = new Map<string, number>();
      for (const name of scenario.obEventNames) expected.set(name, (expected.get(name) ?? 0) + 1);
      const stored = await clean.query<{ event_name: string; n: bigint }>(
        "SELECT event_name, count(*) AS n FROM raw_events WHERE address = $1 GROUP BY 1",
        [obLower],
      );
      assert.deepEqual(
        Object.fromEntries(stored.map((r) => [r.event_name, Number(r.n)])),
        Object.fromEntries(expected),
      );
      // Decoded tables agree with the raw counts.
      assert.equal(await count(clean, "takes"), expected.get("TakeOrderV3"));
      assert.equal(await count(clean, "clears"), expected.get("ClearV3"));
      assert.equal(await count(clean, "deposits"), expected.get("DepositV2"));
      assert.equal(await count(clean, "withdrawals"), expected.get("WithdrawV2"));
      assert.equal(await count(clean, "contexts"), expected.get("ContextV2"));
      assert.equal(
        await count(clean, "order_events"),
        (expected.get("AddOrderV3") ?? 0) + (expected.get("RemoveOrderV3") ?? 0),
      );
      // Every Set the store logged was in an owner's namespace of this orderbook.
      assert.equal(await count(clean, "store_sets"), scenario.storeSets);
      assert.ok(scenario.storeSets > 0);
    });

    await t.step("exact deposits: calldata Floats, multicall, forwarder fallback", async () => {
      const rows = await clean.query<{
        tx_hash: string;
        log_index: number;
        amount: Hex;
        amount_source: string;
        exact: boolean;
        sender: string;
        vault_id: string;
        balance_check: string | null;
      }>("SELECT * FROM deposits ORDER BY block_number, log_index");
      assert.equal(rows.length, scenario.deposits.length);
      // Deposits were sent in order, and a multicall's in call order: rows pair up one to one.
      let more = 0;
      rows.forEach((row, i) => {
        const want = scenario.deposits[i];
        assert.equal(row.tx_hash, want.txHash.toLowerCase());
        assert.equal(row.sender, want.owner.toLowerCase());
        assert.equal(row.vault_id, want.vaultId.toLowerCase());
        if (want.via === "forwarder") {
          assert.equal(row.amount_source, "event");
          assert.equal(row.exact, false);
        } else {
          // The transaction's own record of how it called the orderbook (the scenario sent it).
          assert.equal(
            row.amount_source,
            want.via === "multicall" ? "calldata-multicall" : "calldata-direct",
          );
          assert.equal(row.exact, true);
          // Bit for bit the Float that was sent.
          assert.equal(row.amount, want.amount.toLowerCase());
          assert.equal(row.balance_check, null);
        }
        if (want.amount.toLowerCase() === parse("5.0000001")) more++;
      });
      assert.ok(more > 0, "deposits with more precision than the token");
      assert.ok(scenario.deposits.some((d) => d.via === "multicall"));
      // Forwarder: 2.5 USDC → event 2500000 units = 2.5, the vault holds 2.5: matched. 1.0000001
      // USDC → the pull rounds up to 1000001 units = 1.000001, the vault holds 1.0000001:
      // mismatched (hand-derived from DOMAIN.md's rounding rule).
      const forwarded = rows.filter((r) => r.amount_source === "event");
      assert.equal(forwarded.length, 2);
      assert.ok(eq(forwarded[0].amount as Float, parse("2.5")));
      assert.equal(forwarded[0].balance_check, "matched");
      assert.ok(eq(forwarded[1].amount as Float, parse("1.000001")));
      assert.equal(forwarded[1].balance_check, "mismatched");
    });

    await t.step("tokens: decimals, symbols, a reverting decimals()", async () => {
      const rows = await clean.query<{
        address: string;
        decimals: number | null;
        decimals_status: string;
        decimals_error: string | null;
        symbol: string | null;
      }>("SELECT * FROM erc20_tokens ORDER BY address");
      const by = new Map(rows.map((r) => [r.address, r]));
      assert.equal(rows.length, 4);
      assert.deepEqual(
        [
          by.get(scenario.usdc.toLowerCase())?.decimals,
          by.get(scenario.usdc.toLowerCase())?.symbol,
        ],
        [6, "USDC"],
      );
      assert.equal(by.get(scenario.weth.toLowerCase())?.decimals, 18);
      assert.equal(by.get(scenario.zero.toLowerCase())?.decimals, 0);
      assert.equal(by.get(scenario.zero.toLowerCase())?.decimals_status, "ok");
      const broken = by.get(scenario.broken.toLowerCase())!;
      assert.equal(broken.decimals, null);
      assert.equal(broken.decimals_status, "reverted");
      assert.match(broken.decimals_error ?? "", /revert/);
      assert.equal(broken.symbol, "BRK");

      const overridden = await readTokenInfo(rpc, {
        chainId,
        token: scenario.broken,
        blockNumber: head,
        override: 18,
      });
      assert.equal(overridden.decimals, 18);
      assert.equal(overridden.decimalsStatus, "override");
    });

    await t.step("bytecode artifacts and loadCodeCache", async () => {
      const rows = await clean.query<{ address: string; kind: string; code_hash: string }>(
        "SELECT address, kind, code_hash FROM bytecode_artifacts ORDER BY kind",
      );
      const hashOf = (name: string) => keccak256(loadFixtureArtifact(name).deployedBytecode as Hex);
      assert.deepEqual(rows, [
        {
          address: scenario.interpreter.toLowerCase(),
          kind: "interpreter",
          code_hash: hashOf("FixtureInterpreter"),
        },
        { address: scenario.store.toLowerCase(), kind: "store", code_hash: hashOf("FixtureStore") },
      ]);
      const cache = await loadCodeCache(clean, chainId);
      assert.equal(cache.size, 2);
      assert.equal((await loadCodeCache(clean)).size, 2, "the only chain stored");
      assert.equal((await loadCodeCache(clean, 1)).size, 0, "another chain has no code");
      assert.equal(
        cache.require(scenario.interpreter, "interpreter").codeHash,
        hashOf("FixtureInterpreter"),
      );
      assert.equal(cache.require(scenario.store, "store").codeHash, hashOf("FixtureStore"));
      await assert.rejects(
        readCode(rpc, {
          chainId,
          address: scenario.accounts[5] ?? scenario.accounts[0],
          kind: "store",
          blockNumber: head,
        }),
        EmptyBytecodeError,
      );
    });

    await t.step("blocks and cursor", async () => {
      const cursor = await clean.query<{ block_number: bigint; block_hash: string }>(
        "SELECT block_number, block_hash FROM sync_cursors",
      );
      const headBlock = await anvil.publicClient.getBlock({ blockNumber: head });
      assert.deepEqual(cursor, [{ block_number: head, block_hash: headBlock.hash }]);
      const [start] = await clean.query<{ sync_start: bigint; partial: boolean }>(
        "SELECT sync_start, partial FROM sync_cursors",
      );
      assert.deepEqual(start, { sync_start: scenario.deployBlock, partial: false });
      const blocks = await clean.query<
        { block_number: bigint; block_hash: string; timestamp: bigint }
      >(
        `SELECT DISTINCT b.block_number, b.block_hash, b.timestamp FROM blocks b
         JOIN raw_events e ON e.block_number = b.block_number ORDER BY 1`,
      );
      assert.equal(
        blocks.length,
        Number(
          (await clean.query<{ n: bigint }>(
            "SELECT count(DISTINCT block_number) AS n FROM raw_events",
          ))[0].n,
        ),
        "every block with a log has its header",
      );
      for (const b of blocks.slice(0, 10)) {
        const node = await anvil.publicClient.getBlock({ blockNumber: b.block_number });
        assert.equal(b.block_hash, node.hash);
        assert.equal(b.timestamp, node.timestamp);
      }
    });

    const cleanDump = await dumpDb(clean);

    await t.step("a second sync changes nothing", async () => {
      const again = await syncOrderbook(rpc, clean, { orderbook: scenario.ob, version: "v5" });
      assert.equal(again.chunks, 0);
      assertSameDump(await dumpDb(clean), cleanDump);
    });

    await t.step("a start after the deployment is recorded and kept on resume", async () => {
      const late = await openFresh(dir, "late");
      dbs.push(late);
      const from = scenario.deployBlock + 5n;
      const first = await syncOrderbook(rpc, late, {
        orderbook: scenario.ob,
        version: "v5",
        fromBlock: from,
        window: { initial: 4n, max: 4n },
        maxChunks: 2,
      });
      assert.equal(first.partial, true);
      assert.ok(first.cursor < head, "stopped part way");
      const recorded = () =>
        late.query<{ sync_start: bigint; partial: boolean }>(
          "SELECT sync_start, partial FROM sync_cursors",
        );
      assert.deepEqual(await recorded(), [{ sync_start: from, partial: true }]);
      // The resumed run is not told where the history started: the cursor is.
      const resumed = await syncOrderbook(rpc, late, { orderbook: scenario.ob, version: "v5" });
      assert.equal(resumed.partial, true);
      assert.equal(resumed.cursor, head);
      assert.deepEqual(await recorded(), [{ sync_start: from, partial: true }]);
    });

    await t.step("a decimals override given later fills a reverting token", async () => {
      const copy = await openFresh(dir, "override");
      dbs.push(copy);
      await syncOrderbook(rpc, copy, { orderbook: scenario.ob, version: "v5" });
      const again = await syncOrderbook(rpc, copy, {
        orderbook: scenario.ob,
        version: "v5",
        decimalsOverrides: { [scenario.broken]: 18 },
      });
      assert.equal(again.chunks, 0);
      const [row] = await copy.query<{ decimals: number; decimals_status: string }>(
        "SELECT decimals, decimals_status FROM erc20_tokens WHERE address = $1",
        [scenario.broken.toLowerCase()],
      );
      assert.deepEqual(row, { decimals: 18, decimals_status: "override" });
    });

    await t.step("through a faulty proxy the result is the same", async () => {
      const proxy = await startFaultProxyReady(anvil.url, {
        status503: 0.08,
        status429: 0.08,
        truncate: 0.08,
        reset: 0.06,
        delay: 0.04,
        delayMs: 400,
        maxLogRange: 24,
      }, 7);
      try {
        const faulty = await openFresh(dir, "faulty");
        dbs.push(faulty);
        const flaky = createRpcClient({
          urls: [proxy.url],
          retries: 12,
          backoffMs: 2,
          maxBackoffMs: 20,
          timeoutMs: 200,
          concurrency: 3,
        });
        const result = await syncOrderbook(flaky, faulty, {
          orderbook: scenario.ob,
          version: "v5",
          window: { initial: 100n, max: 400n },
        });
        assert.equal(result.cursor, head);
        for (const kind of ["503", "429", "truncate", "reset", "delay", "too-many"]) {
          assert.ok((proxy.injected.get(kind) ?? 0) > 0, `injected ${kind}`);
        }
        assert.ok(flaky.stats.retries > 0);
        assertSameDump(await dumpDb(faulty), cleanDump);
      } finally {
        await proxy.close();
      }
    });

    await t.step("the on-disk cache answers immutable requests on a second sync", async () => {
      const cacheDir = `${dir}/cache`;
      const first = await openFresh(dir, "cached1");
      const second = await openFresh(dir, "cached2");
      dbs.push(first, second);
      // finalityDepth 0: every block below the head counts as final for the cache.
      const options = { orderbook: scenario.ob, version: "v5" as const, finalityDepth: 0n };
      await syncOrderbook(
        createRpcClient({ urls: [anvil.url], cache: createFileRpcCache(cacheDir) }),
        first,
        options,
      );
      const proxy = await startFaultProxyReady(anvil.url, {});
      try {
        const cached = createRpcClient({ urls: [proxy.url], cache: createFileRpcCache(cacheDir) });
        await syncOrderbook(cached, second, options);
        assert.equal(proxy.counts.get("eth_getLogs") ?? 0, 0);
        assert.equal(proxy.counts.get("eth_getTransactionByHash") ?? 0, 0);
        assert.equal(proxy.counts.get("eth_getBlockByNumber") ?? 0, 0);
        assert.ok(cached.stats.cacheHits > 0);
      } finally {
        await proxy.close();
      }
      assertSameDump(await dumpDb(second), await dumpDb(first));
      assertSameDump(await dumpDb(second), cleanDump);
    });

    await t.step("failover: a dead first URL hands over to the second", async () => {
      const proxy = await startFaultProxyReady(anvil.url, { status503: 1 });
      try {
        const failover = createRpcClient({ urls: [proxy.url, anvil.url], backoffMs: 1 });
        const other = await openFresh(dir, "failover");
        dbs.push(other);
        const result = await syncOrderbook(failover, other, {
          orderbook: scenario.ob,
          version: "v5",
        });
        assert.equal(result.cursor, head);
        assert.ok(failover.stats.failovers > 0);
        assertSameDump(await dumpDb(other), cleanDump);
      } finally {
        await proxy.close();
      }
    });

    await t.step("a hard failure names the method and the block range", async () => {
      const proxy = await startFaultProxyReady(anvil.url, { outage: ["eth_getLogs"] });
      try {
        const broken = await openFresh(dir, "broken");
        dbs.push(broken);
        const failing = createRpcClient({ urls: [proxy.url], retries: 1, backoffMs: 1 });
        const error = await syncOrderbook(failing, broken, {
          orderbook: scenario.ob,
          version: "v5",
          window: { initial: 4n },
        }).then(() => null, (e) => e);
        assert.ok(error instanceof RpcRequestError, String(error));
        assert.equal(error.details.method, "eth_getLogs");
        assert.equal(error.details.kind, "exhausted");
        assert.equal(error.details.fromBlock, error.details.toBlock, "shrunk to one block");
        assert.equal(error.details.fromBlock, String(scenario.deployBlock));
        assert.match(
          error.message,
          /^eth_getLogs \[\d+, \d+\] failed at http:\/\/127\.0\.0\.1:\d+: .*HTTP 503/,
        );
        assert.equal(await count(broken, "sync_cursors"), 0, "nothing committed");
      } finally {
        await proxy.close();
      }
    });

    await t.step(
      "a failure mid-sync leaves no write behind: the retry on the same handle resumes",
      async () => {
        const proxy = await startFaultProxyReady(anvil.url, {
          // After a few chunks every eth_getLogs fails: the sync stops while a chunk's write may
          // still be in flight.
          before: (method) => {
            if (method === "eth_getLogs" && (proxy.counts.get("eth_getLogs") ?? 0) >= 7) {
              proxy.setPlan({ outage: ["eth_getLogs"] });
            }
          },
        });
        try {
          const interrupted = await openFresh(dir, "interrupted");
          dbs.push(interrupted);
          const failing = createRpcClient({ urls: [proxy.url], retries: 0, backoffMs: 1 });
          // Commits made slow, so that a chunk's write is still in flight when the next chunk's
          // fetch fails; `open` counts the transactions not yet finished.
          let open = 0;
          const slowCommits: Db = {
            kind: interrupted.kind,
            path: interrupted.path,
            inTransaction: false,
            exec: (sql) => interrupted.exec(sql),
            query: (sql, params) => interrupted.query(sql, params),
            appendRows: (table, columns, rows) => interrupted.appendRows(table, columns, rows),
            transaction: (fn) => {
              open++;
              return interrupted.transaction(async (tx) => {
                const result = await fn(tx);
                await new Promise((resolve) => setTimeout(resolve, 150));
                return result;
              }).finally(() => open--);
            },
            close: () => interrupted.close(),
          };
          const error = await syncOrderbook(failing, slowCommits, {
            orderbook: scenario.ob,
            version: "v5",
            window: { initial: 4n, max: 4n },
          }).then(() => null, (e) => e);
          assert.ok(error instanceof RpcRequestError, String(error));
          assert.equal(open, 0, "no write is still running when the error arrives");
          // The chunks fetched before the failure are committed by the time the error arrives.
          const [cursor] = await interrupted.query<{ block_number: bigint }>(
            "SELECT block_number FROM sync_cursors",
          );
          assert.ok(cursor !== undefined && cursor.block_number < head, "some chunks, not all");
          // Retried at once on the same handle: no transaction is left open, nothing is repeated.
          const resumed = await syncOrderbook(createRpcClient({ urls: [anvil.url] }), interrupted, {
            orderbook: scenario.ob,
            version: "v5",
          });
          assert.equal(resumed.cursor, head);
          assert.equal(resumed.fromBlock, cursor.block_number + 1n);
          assertSameDump(await dumpDb(interrupted), cleanDump);
        } finally {
          await proxy.close();
        }
      },
    );

    await t.step("reorg: detected, rolled back, re-synced", async () => {
      const [alice] = scenario.accounts;
      const usdcDeposit = (amount: string, vault: number) =>
        encodeFunctionData({
          abi: orderbookV5Abi,
          functionName: "deposit3",
          args: [scenario.usdc, pad(`0x${vault.toString(16)}` as Hex), parse(amount), []],
        });
      const snapshot = await anvil.snapshot();
      // Branch A: three deposits, synced.
      for (const amount of ["1.5", "2.5", "3.5"]) {
        await sendAndWait(anvil, alice, scenario.ob, usdcDeposit(amount, 11));
      }
      const headA = await anvil.publicClient.getBlockNumber();
      await syncOrderbook(rpc, clean, { orderbook: scenario.ob, version: "v5" });
      assert.equal(await count(clean, "deposits", "vault_id = '" + pad("0xb") + "'"), 3);
      // Branch B replaces them: other amounts, another vault, more blocks.
      assert.equal(await anvil.revert(snapshot), true);
      await anvil.mine();
      for (const amount of ["7", "8"]) {
        await sendAndWait(anvil, alice, scenario.ob, usdcDeposit(amount, 12));
      }
      await anvil.mine();
      await anvil.mine();
      const headB = await anvil.publicClient.getBlockNumber();
      assert.ok(headB >= headA);
      const reorgs: bigint[] = [];
      const result = await syncOrderbook(rpc, clean, {
        orderbook: scenario.ob,
        version: "v5",
        onReorg: (r) => reorgs.push(r.forkBlock),
      });
      assert.equal(reorgs.length, 1);
      assert.ok(reorgs[0] <= head, `fork ${reorgs[0]} at or below the common head ${head}`);
      assert.equal(result.reorgForkBlock, reorgs[0]);
      assert.equal(result.cursor, headB);
      assert.equal(await count(clean, "deposits", "vault_id = '" + pad("0xb") + "'"), 0);
      assert.equal(await count(clean, "deposits", "vault_id = '" + pad("0xc") + "'"), 2);
      // Same rows as a fresh sync of branch B.
      const fresh = await openFresh(dir, "fresh");
      dbs.push(fresh);
      await syncOrderbook(rpc, fresh, { orderbook: scenario.ob, version: "v5" });
      assertSameDump(await dumpDb(clean), await dumpDb(fresh));
    });
  } finally {
    for (const db of dbs) await db.close();
    await anvil.stop();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("syncOrderbook: a reorg in the middle of a run is rolled back", async () => {
  const anvil = await startAnvil();
  const dir = await Deno.makeTempDir({ prefix: "vraindex-ingest-reorg-" });
  const dbs: Db[] = [];
  let proxy: Awaited<ReturnType<typeof startFaultProxyReady>> | undefined;
  try {
    const scenario = await runScenario(anvil, 3);
    const [alice] = scenario.accounts;
    const deposit = (amount: string, vault: number) =>
      sendAndWait(
        anvil,
        alice,
        scenario.ob,
        encodeFunctionData({
          abi: orderbookV5Abi,
          functionName: "deposit3",
          args: [scenario.usdc, pad(`0x${vault.toString(16)}` as Hex), parse(amount), []],
        }),
      );
    const fork = await anvil.publicClient.getBlockNumber();
    const snapshot = await anvil.snapshot();
    for (let i = 0; i < 12; i++) await deposit(`1.${i + 1}`, 21);
    // When the sync asks for logs above fork + 4 (some of branch A already written), the chain
    // switches to branch B: other deposits, more blocks.
    let switched = false;
    proxy = await startFaultProxyReady(anvil.url, {
      before: async (method, params) => {
        if (switched || method !== "eth_getLogs") return;
        const from = BigInt((params[0] as { fromBlock: string }).fromBlock);
        if (from <= fork + 4n) return;
        switched = true;
        await anvil.revert(snapshot);
        for (let i = 0; i < 16; i++) await deposit(`2.${i + 1}`, 22);
      },
    });
    const rpc = createRpcClient({ urls: [proxy.url] });
    const db = await openFresh(dir, "midrun");
    dbs.push(db);
    const result = await syncOrderbook(rpc, db, {
      orderbook: scenario.ob,
      version: "v5",
      window: { initial: 2n, max: 2n },
    });
    assert.ok(switched, "the chain was switched during the sync");
    assert.ok(
      result.reorgForkBlock !== null && result.reorgForkBlock <= fork,
      `rolled back to ${result.reorgForkBlock}, at or below the fork ${fork}`,
    );
    const head = await anvil.publicClient.getBlockNumber();
    assert.equal(result.cursor, head);
    assert.equal(
      await count(db, "deposits", "vault_id = '" + pad("0x15") + "'"),
      0,
      "branch A gone",
    );
    assert.equal(await count(db, "deposits", "vault_id = '" + pad("0x16") + "'"), 16);
    const fresh = await openFresh(dir, "fresh");
    dbs.push(fresh);
    await syncOrderbook(createRpcClient({ urls: [anvil.url] }), fresh, {
      orderbook: scenario.ob,
      version: "v5",
    });
    assertSameDump(await dumpDb(db), await dumpDb(fresh));
  } finally {
    await proxy?.close();
    for (const db of dbs) await db.close();
    await anvil.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
