/**
 * Opt-in (TESTING.md § 3b): `clear3` on Rain's real OrderBookV6 (anvil) vs the virtual engine's
 * `clear`, both sides running the real Rainterpreter: events (`ClearV3`, both `ContextV2`,
 * `AfterClearV2`, store `Set`s), vault balances (orders and the clearer's bounty vaults) and store
 * values after. The engine is rebuilt from the chain's logs and `vaultBalance2` before each clear.
 * Last, the whole history is synced into DuckDB, rebuilt from the typed tables and compared with
 * `vaultBalance2` at every block (and with a rebuild from the raw logs).
 *
 * Run with `VRAINDEX_RAIN_CODE_DIR` set (see docs/real-bytecode.md); otherwise ignored.
 */
import assert from "node:assert/strict";
import { type Address, encodeFunctionData, type Hex, maxUint256, pad, toHex } from "viem";
import {
  decodeRainError,
  interpreterStoreV3Abi,
  orderbookV6Abi,
  type OrderV4,
  qualifyNamespace,
  stateNamespace,
} from "../../src/abi/mod.ts";
import { eq, type Float, parse } from "../../src/float/mod.ts";
import {
  applyMutations,
  clearAndApplyState,
  getStoreValue,
  getVaultBalance,
  quote,
} from "../../src/engine/mod.ts";
import { compareSyncedHistory } from "./_synced.ts";
import { loadFixtureArtifact } from "../_helpers/fixtures.ts";
import {
  compareEventLists,
  createFloatLedger,
  decodeRaindexLogs,
  REAL_CODE_DIR,
  showFloat,
  startRealRaindex,
  virtualRaindexFromChain,
} from "../_helpers/real_chain.ts";

const word = (n: number): Hex => pad(toHex(n));

/**
 * Bit differences (equal value, different packing) between the chain and the engine, by `what`.
 * Empty since the engine does OrderBookV6's vault maths with its rain.math.float version (1cf3969,
 * exact zeros as bytes32(0)); docs/real-bytecode.md records the divergences this list once held.
 */
const KNOWN_BIT_DIVERGENCES: readonly string[] = [];
const KNOWN_VALUE_DIVERGENCES: readonly string[] = [];

Deno.test({
  name: "real OrderBookV6 clear3 vs the virtual engine's clear (opt-in)",
  ignore: REAL_CODE_DIR === undefined,
  async fn(t) {
    const chain = await startRealRaindex();
    const ledger = createFloatLedger();
    try {
      const [deployer, alice, clearer, bob] = chain.walletClients;
      const ALICE = alice.account.address;
      const BOB = bob.account.address;
      const CLEARER = clearer.account.address;
      const OB = chain.orderbook.address;
      const token = loadFixtureArtifact("FixtureToken");
      const send = async (
        wallet: typeof deployer,
        request: { address: Address; abi: unknown; functionName: string; args: unknown[] },
      ) => {
        // deno-lint-ignore no-explicit-any
        const hash = await wallet.writeContract(request as any);
        const receipt = await chain.publicClient.waitForTransactionReceipt({
          hash,
          timeout: 20_000,
        });
        assert.equal(receipt.status, "success", `${request.functionName} reverted`);
        return receipt;
      };

      const tokenA = await chain.deploy(token, ["Six", "SIX", 6, false]);
      const tokenB = await chain.deploy(token, ["Eighteen", "EIGHTEEN", 18, false]);
      for (const wallet of [alice, bob]) {
        for (const tok of [tokenA, tokenB]) {
          await send(deployer, {
            address: tok,
            abi: token.abi,
            functionName: "mint",
            args: [wallet.account.address, 10n ** 30n],
          });
          await send(wallet, {
            address: tok,
            abi: token.abi,
            functionName: "approve",
            args: [OB, maxUint256],
          });
        }
      }
      const deposits = [
        [alice, tokenA, word(1), "100.0000001"],
        [bob, tokenB, word(1), "40"],
        [alice, tokenA, word(2), "60"],
        [bob, tokenB, word(2), "10"],
      ] as const;
      for (const [wallet, tok, vaultId, amount] of deposits) {
        await send(wallet, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "deposit4",
          args: [tok, vaultId, parse(amount), []],
        });
      }

      // Alice sells A for B, Bob sells B for A. Handle-io records diffs and context addresses.
      const specs = [
        {
          name: "alice 1",
          wallet: alice,
          vault: word(1),
          sells: tokenA,
          buys: tokenB,
          rainlang: "_ _: 100 0.5;:set(1 context<4 4>()), :set(2 context<1 2>());",
        },
        {
          name: "bob 1",
          wallet: bob,
          vault: word(1),
          sells: tokenB,
          buys: tokenA,
          rainlang: "_ _: 40 1.8;:set(1 context<3 4>()), :set(2 context<0 0>());",
        },
        {
          name: "alice 2",
          wallet: alice,
          vault: word(2),
          sells: tokenA,
          buys: tokenB,
          rainlang: "count: get(9), _: 50, _: add(0.3 count);:set(9 add(get(9) 0.1));",
        },
        {
          name: "bob 2",
          wallet: bob,
          vault: word(2),
          sells: tokenB,
          buys: tokenA,
          rainlang: "_ _: 7 3;:set(3 context<2 0>()), :set(4 context<2 1>());",
        },
      ] as const;
      const orders: Record<string, OrderV4> = {};
      for (const [i, spec] of specs.entries()) {
        const receipt = await send(spec.wallet, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "addOrder4",
          args: [{
            evaluable: {
              interpreter: chain.interpreter.address,
              store: chain.store.address,
              bytecode: await chain.parseRainlang(spec.rainlang),
            },
            validInputs: [{ token: spec.buys, vaultId: spec.vault }],
            validOutputs: [{ token: spec.sells, vaultId: spec.vault }],
            nonce: word(i + 1),
            secret: word(0),
            meta: "0x",
          }, []],
        });
        const added = decodeRaindexLogs(receipt.logs, chain).find((l) => l.type === "AddOrderV3");
        assert.ok(added);
        orders[spec.name] = added.order as OrderV4;
      }

      const vaultsToCheck = [
        ...specs.flatMap((s) => [
          { owner: s.wallet.account.address, token: s.sells, vaultId: s.vault },
          { owner: s.wallet.account.address, token: s.buys, vaultId: s.vault },
        ]),
        { owner: CLEARER, token: tokenA, vaultId: word(11) },
        { owner: CLEARER, token: tokenB, vaultId: word(12) },
      ];

      const clearAndCompare = async (label: string, aliceName: string, bobName: string) => {
        const head = await chain.publicClient.getBlockNumber();
        const built = await virtualRaindexFromChain(chain, head);
        // The clearer's bounty vaults are no order's vaults: seed them from vaultBalance2 too.
        for (const vault of vaultsToCheck.slice(-2)) {
          const balance = await chain.publicClient.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "vaultBalance2",
            args: [vault.owner, vault.token, vault.vaultId],
          }) as Hex;
          applyMutations(built.engine, [{
            type: "vaultDeltas",
            deltas: [{ ...vault, op: "set", amount: balance }],
          }]);
        }
        // Quotes first (counterparty = the other order's owner is what a clear uses; quote2 uses
        // the caller): compare each from the other owner.
        for (const [name, from] of [[aliceName, BOB], [bobName, ALICE]] as const) {
          const [, maxOutput, ioRatio] = await chain.publicClient.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "quote2",
            args: [{
              order: orders[name],
              inputIOIndex: 0n,
              outputIOIndex: 0n,
              signedContext: [],
            }],
            account: from,
            blockNumber: head,
          }) as [boolean, Hex, Hex];
          const virtual = await quote(built.engine, {
            order: orders[name],
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            counterparty: from,
          });
          ledger.compare(`${label} quote ${name} maxOutput`, maxOutput, virtual.maxOutput);
          ledger.compare(`${label} quote ${name} ioRatio`, ioRatio, virtual.ioRatio);
        }
        const timestamp = 2_100_000_000n + head;
        applyMutations(built.engine, [{ type: "setEnv", blockNumber: head + 1n, timestamp }]);
        const clearConfig = {
          aliceInputIOIndex: 0n,
          aliceOutputIOIndex: 0n,
          bobInputIOIndex: 0n,
          bobOutputIOIndex: 0n,
          aliceBountyVaultId: word(11),
          bobBountyVaultId: word(12),
        };
        const args = [orders[aliceName], orders[bobName], clearConfig, [], []] as const;
        // Dry run on chain first: a revert there must be the engine's error too.
        const response = await fetch(chain.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "eth_call",
            params: [{
              from: CLEARER,
              to: OB,
              data: encodeFunctionData({ abi: orderbookV6Abi, functionName: "clear3", args }),
            }, "latest"],
          }),
        });
        const dryRun = await response.json();
        let engineError: Error | undefined;
        const result = await clearAndApplyState(built.engine, {
          clearer: CLEARER,
          alice: orders[aliceName],
          bob: orders[bobName],
          clearConfig,
        }).catch((error: Error) => {
          engineError = error;
          return undefined;
        });
        if (dryRun.error !== undefined) {
          const chainError = decodeRainError(dryRun.error.data as Hex);
          console.log(
            `${label}: chain reverts ${chainError?.name}(${chainError?.args?.join(", ")});` +
              ` engine ${engineError?.name}: ${engineError?.message}`,
          );
          assert.equal(engineError?.name, `${chainError?.name}Error`, `${label}: error`);
          return undefined;
        }
        if (engineError !== undefined) throw engineError;
        assert.ok(result);
        await chain.rpc("evm_setNextBlockTimestamp", [`0x${timestamp.toString(16)}`]);
        const receipt = await send(clearer, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "clear3",
          args: [...args],
        });
        const chainEvents = decodeRaindexLogs(receipt.logs, chain);
        compareEventLists(label, chainEvents, result.events, ledger);
        const after = chainEvents.find((e) => e.type === "AfterClearV2")?.clearStateChange as
          | Record<string, Hex>
          | undefined;
        assert.ok(after);
        console.log(
          `${label}: aliceOutput ${showFloat(after.aliceOutput)} bobOutput ${
            showFloat(after.bobOutput)
          } aliceInput ${showFloat(after.aliceInput)} bobInput ${showFloat(after.bobInput)};` +
            ` engine bounties ${showFloat(result.aliceBounty!)} / ${showFloat(result.bobBounty!)}`,
        );
        for (const vault of vaultsToCheck) {
          const onChain = await chain.publicClient.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "vaultBalance2",
            args: [vault.owner, vault.token, vault.vaultId],
          }) as Hex;
          const who = vault.owner === ALICE ? "alice" : vault.owner === BOB ? "bob" : "clearer";
          ledger.compare(
            `${label} vault ${who} ${vault.token === tokenA ? "A" : "B"} ${BigInt(vault.vaultId)}`,
            onChain,
            getVaultBalance(built.engine, vault),
          );
        }
        for (const owner of [ALICE, BOB]) {
          for (const key of [1, 2, 3, 4, 9]) {
            const onChain = await chain.publicClient.readContract({
              address: chain.store.address,
              abi: interpreterStoreV3Abi,
              functionName: "get",
              args: [qualifyNamespace(stateNamespace(owner), OB), word(key)],
            }) as Hex;
            const virtual = getStoreValue(built.engine, {
              store: chain.store.address,
              owner,
              key: word(key),
            });
            ledger.compare(
              `${label} store ${owner === ALICE ? "alice" : "bob"} ${key}`,
              onChain,
              virtual,
            );
          }
        }
        assert.deepEqual(ledger.unexpectedValues(KNOWN_VALUE_DIVERGENCES), []);
        return after;
      };

      await t.step(
        "clear 1: bob's output caps alice (input 40, output 80; bob 72/40)",
        async () => {
          const after = await clearAndCompare("clear 1", "alice 1", "bob 1");
          assert.ok(after);
          // Hand derivation from the clear rule (DOMAIN.md § clear3).
          assert.ok(eq(after.aliceInput as Float, parse("40")));
          assert.ok(eq(after.aliceOutput as Float, parse("80")));
          assert.ok(eq(after.bobInput as Float, parse("72")));
          assert.ok(eq(after.bobOutput as Float, parse("40")));
        },
      );

      await t.step("clear 2: non-terminating division (7 / 0.3) and a store counter", async () => {
        const after = await clearAndCompare("clear 2", "alice 2", "bob 2");
        assert.ok(after);
        assert.ok(eq(after.aliceInput as Float, parse("7")));
        assert.ok(eq(after.bobInput as Float, parse("21")));
      });

      await t.step(
        "clear 3: ratio now 0.4, alice outputs 7.5 < bob's input 9: NegativeBounty on both",
        async () => {
          assert.equal(await clearAndCompare("clear 3", "alice 2", "bob 2"), undefined);
        },
      );

      await t.step("clear 4: bob's vault 1 is drained: ClearZeroAmount on both", async () => {
        assert.equal(await clearAndCompare("clear 4", "alice 1", "bob 1"), undefined);
      });

      await t.step("clear 5: bob refills his drained vault, the pair clears again", async () => {
        await send(bob, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "deposit4",
          args: [tokenB, word(1), parse("2.5"), []],
        });
        const after = await clearAndCompare("clear 5", "alice 1", "bob 1");
        assert.ok(after);
        // Alice: 20.0000001 A left × 0.5 = 10.00000005 > bob's 2.5, so input 2.5, output 5;
        // bob: 2.5 × 1.8 = 4.5 A ≤ 20.0000001.
        assert.ok(eq(after.aliceInput as Float, parse("2.5")));
        assert.ok(eq(after.aliceOutput as Float, parse("5")));
        assert.ok(eq(after.bobInput as Float, parse("4.5")));
      });

      await t.step(
        "the history synced into DuckDB and rebuilt (typed tables) = the chain at every block",
        async () => {
          const synced = await compareSyncedHistory(chain, OB, ledger);
          // Four deposits' vaults, the orders' other vaults and the clearer's bounty vaults.
          assert.ok(synced.vaults >= 6 && synced.checks > 20, JSON.stringify(synced));
          assert.deepEqual(ledger.unexpectedValues(KNOWN_VALUE_DIVERGENCES), []);
        },
      );

      await t.step("bit-level differences are exactly the documented ones", () => {
        for (const d of ledger.bits) {
          console.log(
            `BIT DIVERGENCE ${d.what}: value ${d.value} chain ${d.chain} engine ${d.engine}`,
          );
        }
        console.log(
          `${ledger.count} Float comparisons: ${ledger.bits.length} bit-only differences,` +
            ` ${ledger.values.length} value differences`,
        );
        for (const m of ledger.values) console.log(`VALUE DIVERGENCE ${m.text}`);
        assert.deepEqual(
          [...new Set(ledger.bits.map((d) => d.what))].sort(),
          [...KNOWN_BIT_DIVERGENCES].sort(),
        );
        assert.deepEqual(
          [...new Set(ledger.values.map((m) => m.what))].sort(),
          [...KNOWN_VALUE_DIVERGENCES].sort(),
        );
        // Every bit difference is a zero: bytes32(0) on chain, a zero coefficient with a non-zero
        // exponent from the engine's Float.
        for (const d of ledger.bits) {
          assert.equal(d.chain, pad("0x00"), d.what);
          assert.equal(BigInt(d.engine) & ((1n << 224n) - 1n), 0n, d.what);
        }
      });
    } finally {
      await chain.stop();
    }
  },
});
