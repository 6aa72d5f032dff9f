/**
 * Opt-in (TESTING.md § 3b): Rainlang words that read rain.math.float's log tables (`sqrt`, `power`)
 * on the real OrderBookV6 + Rainterpreter (anvil) vs the virtual engine.
 *
 * The Rainterpreter build at rain.interpreter 2780cdd6 reads the tables with `EXTCODECOPY` from
 * `LibDecimalFloat.LOG_TABLES_ADDRESS` = 0x6421E8a2…3593; rain.math.float commit 38dd2ee says no
 * networks have code there (the tables were deployed elsewhere), so on chain those words compute
 * from zero bytes. The test checks the engine reproduces that, then etches the tables at that address
 * (built from the rain.math.float clone, hash-checked) and compares again.
 *
 * Run with `VRAINDEX_RAIN_CODE_DIR` set (see docs/real-bytecode.md); otherwise ignored.
 */
import assert from "node:assert/strict";
import { type Address, type Hex, maxUint256, pad, toHex } from "viem";
import { orderbookV6Abi, type OrderV4 } from "../../src/abi/mod.ts";
import { abs, eq, type Float, lt, mul, parse, sub } from "../../src/float/mod.ts";
import { quote } from "../../src/engine/mod.ts";
import { loadFixtureArtifact } from "../_helpers/fixtures.ts";
import {
  createFloatLedger,
  decodeRaindexLogs,
  loadLogTables,
  REAL_CODE_DIR,
  showFloat,
  startRealRaindex,
  virtualRaindexFromChain,
} from "../_helpers/real_chain.ts";

/**
 * Value differences (chain vs engine), by `what`. Empty: see docs/real-bytecode.md for the zero-bits
 * and log-table divergences fixed in the engine and the EVM host.
 */
const KNOWN_VALUE_DIVERGENCES: readonly string[] = [];

Deno.test({
  name: "real Rainterpreter log-table words (sqrt, power) on OrderBookV6 vs the engine (opt-in)",
  ignore: REAL_CODE_DIR === undefined,
  async fn(t) {
    const chain = await startRealRaindex();
    const ledger = createFloatLedger();
    try {
      const [deployer, alice, taker] = chain.walletClients;
      const OB = chain.orderbook.address;
      const TAKER = taker.account.address;
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
      const tables = await loadLogTables();
      await t.step("the interpreter build reads the tables at the address rebuilt here", () => {
        assert.ok(
          chain.interpreter.runtimeCode.toLowerCase().includes(
            `73${tables.address.slice(2).toLowerCase()}`,
          ),
          `PUSH20 ${tables.address} not in the Rainterpreter runtime`,
        );
      });

      const tokenA = await chain.deploy(token, ["Six", "SIX", 6, false]);
      const tokenB = await chain.deploy(token, ["Eighteen", "EIGHTEEN", 18, false]);
      await send(deployer, {
        address: tokenA,
        abi: token.abi,
        functionName: "mint",
        args: [alice.account.address, 10n ** 12n],
      });
      await send(alice, {
        address: tokenA,
        abi: token.abi,
        functionName: "approve",
        args: [OB, maxUint256],
      });
      await send(alice, {
        address: OB,
        abi: orderbookV6Abi,
        functionName: "deposit4",
        args: [tokenA, pad(toHex(1)), parse("1000"), []],
      });
      const programs = {
        "sqrt/power": "_ _: sqrt(16) power(10 2);:;",
        "power fractional": "_ _: 500 power(2 0.5);:;",
      } as const;
      const orders: Record<string, OrderV4> = {};
      for (const [i, [name, rainlang]] of Object.entries(programs).entries()) {
        const receipt = await send(alice, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "addOrder4",
          args: [{
            evaluable: {
              interpreter: chain.interpreter.address,
              store: chain.store.address,
              bytecode: await chain.parseRainlang(rainlang),
            },
            validInputs: [{ token: tokenB, vaultId: pad(toHex(1)) }],
            validOutputs: [{ token: tokenA, vaultId: pad(toHex(1)) }],
            nonce: pad(toHex(i + 1)),
            secret: pad(toHex(0)),
            meta: "0x",
          }, []],
        });
        const added = decodeRaindexLogs(receipt.logs, chain).find((l) => l.type === "AddOrderV3");
        assert.ok(added);
        orders[name] = added.order as OrderV4;
      }

      const compareQuotes = async (
        label: string,
        extraCode: readonly Address[],
        primeHost = false,
      ) => {
        const head = await chain.publicClient.getBlockNumber();
        const built = await virtualRaindexFromChain(chain, head, { extraCode });
        // A raw call to the tables makes the host install their code into its EVM state.
        if (primeHost) await built.host.call({ to: tables.address, data: "0x" });
        const out: Record<string, { maxOutput: Hex; ioRatio: Hex }> = {};
        for (const [name, order] of Object.entries(orders)) {
          const [, maxOutput, ioRatio] = await chain.publicClient.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "quote2",
            args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
            account: TAKER,
            blockNumber: head,
          }) as [boolean, Hex, Hex];
          const virtual = await quote(built.engine, {
            order,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            counterparty: TAKER,
          });
          ledger.compare(`${label} ${name} maxOutput`, maxOutput, virtual.maxOutput);
          ledger.compare(`${label} ${name} ioRatio`, ioRatio, virtual.ioRatio);
          console.log(
            `${label} ${name}: chain maxOutput ${showFloat(maxOutput)} ioRatio ${
              showFloat(ioRatio)
            }; engine maxOutput ${showFloat(virtual.maxOutput)} ioRatio ${
              showFloat(virtual.ioRatio)
            }`,
          );
          out[name] = { maxOutput, ioRatio };
        }
        return out;
      };

      await t.step(
        "no code at the tables address (as on live networks): zeros on both",
        async () => {
          const quotes = await compareQuotes("no tables", [tables.address]);
          // sqrt(16) and power(10 2) read zero bytes: both come out 0, not 4 and 100.
          assert.ok(eq(quotes["sqrt/power"].maxOutput as Float, parse("0")));
          assert.ok(eq(quotes["sqrt/power"].ioRatio as Float, parse("0")));
          assert.deepEqual(ledger.unexpectedValues(KNOWN_VALUE_DIVERGENCES), []);
        },
      );

      await t.step(
        "tables etched at that address: the chain computes ≈4, 100, ≈1.414",
        async () => {
          await chain.rpc("anvil_setCode", [tables.address, tables.runtimeCode]);
          await chain.mine();
          const quotes = await compareQuotes("tables, cached", [tables.address]);
          // Rain's sqrt/power interpolate 4-digit log tables: approximations, within 0.1%.
          const near = (value: Hex, target: string) =>
            lt(abs(sub(value as Float, parse(target))), mul(parse(target), parse("0.001")));
          assert.ok(
            near(quotes["sqrt/power"].maxOutput, "4"),
            showFloat(quotes["sqrt/power"].maxOutput),
          );
          assert.ok(eq(quotes["sqrt/power"].ioRatio as Float, parse("100")));
          assert.ok(near(quotes["power fractional"].ioRatio, "1.41421356"));
          assert.deepEqual(ledger.unexpectedValues(KNOWN_VALUE_DIVERGENCES), []);
        },
      );

      await t.step(
        "diagnosis: once the host has called the tables address, the engine matches",
        async () => {
          await compareQuotes("tables, host primed", [tables.address], true);
          assert.deepEqual(ledger.unexpectedValues(KNOWN_VALUE_DIVERGENCES), []);
        },
      );

      await t.step("divergences are exactly the documented ones", () => {
        console.log(
          `${ledger.count} Float comparisons: ${ledger.bits.length} bit-only differences,` +
            ` ${ledger.values.length} value differences`,
        );
        for (const m of ledger.values) console.log(`VALUE DIVERGENCE ${m.text}`);
        for (const d of ledger.bits) {
          console.log(
            `BIT DIVERGENCE ${d.what}: value ${d.value} chain ${d.chain} engine ${d.engine}`,
          );
        }
        assert.deepEqual(
          [...new Set(ledger.values.map((m) => m.what))].sort(),
          [...KNOWN_VALUE_DIVERGENCES].sort(),
        );
        assert.deepEqual(ledger.bits, []);
      });
    } finally {
      await chain.stop();
    }
  },
});
