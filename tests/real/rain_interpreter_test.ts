/**
 * Opt-in (TESTING.md § 3b): Rain's real Rainterpreter, store, parser and expression deployer, run in
 * the EVM host. Extract the code first:
 * `VRAINDEX_RAIN_CODE_DIR=/work/rain-code deno run -A scripts/rain_code.ts`.
 */
import assert from "node:assert/strict";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import { bytesToHex, getAddress, type Hex, hexToBytes, keccak256, pad, toHex } from "viem";
import { installEvmPatches, registerPatchedEvm } from "../../src/evm/patch.ts";
import {
  createInterpreterHost,
  type EvalEnv,
  type EvalRequest,
  EvalRevertedError,
  type StoreReader,
} from "../../src/evm/mod.ts";
import { decodeEval4Result, encodeEval4 } from "../../src/evm/eval4_abi.ts";
import fixtureInterpreter from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import { floatEquals, loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "./_rain_code.ts";

const ENV: EvalEnv = { chainId: 137n, blockNumber: 61_234_567n, timestamp: 1_750_000_000n };
const ORDERBOOK = "0x7242ce1ffe34297921c54cD7f9343c411E1E7759";
const NAMESPACE = 0x1234n;

function recordingStore(values: Map<string, Hex>): StoreReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get(store, namespace, key) {
      const id = `${store.toLowerCase()}/${namespace}/${key}`;
      reads.push(id);
      return values.get(id) ?? pad("0x00");
    },
  };
}

function pairs(writes: readonly Hex[]): Map<Hex, Hex> {
  assert.equal(writes.length % 2, 0);
  const map = new Map<Hex, Hex>();
  for (let i = 0; i < writes.length; i += 2) map.set(writes[i], writes[i + 1]);
  return map;
}

Deno.test({
  name: "real Rainterpreter in the EVM host (opt-in)",
  ignore: RAIN_CODE_DIR === undefined,
  async fn(t) {
    const suite = loadRainSuite();
    const host = createInterpreterHost({ codeCache: suite.codeCache });
    const emptyStore = recordingStore(new Map());

    await t.step("the extracted code is the build its pointers file names", () => {
      for (const contract of [suite.interpreter, suite.store, suite.parser, suite.deployer]) {
        assert.equal(keccak256(contract.runtimeCode), contract.runtimeCodeHash);
        assert.equal(suite.codeCache.get(contract.address)?.codeHash, contract.runtimeCodeHash);
      }
    });

    const evalOf = async (
      rainlang: string,
      extra: Partial<EvalRequest> = {},
    ): Promise<EvalRequest> => ({
      interpreter: suite.interpreter.address,
      store: suite.store.address,
      namespace: NAMESPACE,
      bytecode: await parseRainlang(host, suite, rainlang),
      sourceIndex: 0,
      context: [],
      inputs: [],
      stateOverlay: [],
      caller: ORDERBOOK,
      ...extra,
    });

    await t.step("`_ _: 10 2;` returns [2, 10] (top first)", async () => {
      const result = await host.eval4(await evalOf("_ _: 10 2;"), ENV, emptyStore);
      assert.equal(result.stack.length, 2);
      assert.ok(floatEquals(result.stack[0], 2n));
      assert.ok(floatEquals(result.stack[1], 10n));
      assert.deepEqual(result.writes, []);
    });

    await t.step("`_: add(1 2);` is Float 3 by value; 0.2 + 0.7 is exactly 0.9", async () => {
      const three = await host.eval4(await evalOf("_: add(1 2);"), ENV, emptyStore);
      assert.ok(floatEquals(three.stack[0], 3n), three.stack[0]);
      const nine = await host.eval4(await evalOf("_: add(0.2 0.7);"), ENV, emptyStore);
      assert.ok(floatEquals(nine.stack[0], 9n, 1n), nine.stack[0]);
      assert.equal(floatEquals(nine.stack[0], 8n, 1n), false);
    });

    await t.step("block-number, block-timestamp and chain-id come from the env", async () => {
      const result = await host.eval4(
        await evalOf("_ _ _: block-number() block-timestamp() chain-id();"),
        ENV,
        emptyStore,
      );
      // Top first: chain-id was pushed last.
      assert.ok(floatEquals(result.stack[0], 137n), result.stack[0]);
      assert.ok(floatEquals(result.stack[1], 1_750_000_000n), result.stack[1]);
      assert.ok(floatEquals(result.stack[2], 61_234_567n), result.stack[2]);
    });

    await t.step("store get reads through the store; read keys come back in writes", async () => {
      const key5 = pad(toHex(5));
      const values = new Map<string, Hex>([[
        `${suite.store.address.toLowerCase()}/${NAMESPACE}/${key5}`,
        pad(toHex(7)),
      ]]);
      const store = recordingStore(values);
      const result = await host.eval4(await evalOf("_: get(5), :set(6 9);"), ENV, store);
      assert.ok(floatEquals(result.stack[0], 7n));
      assert.deepEqual(store.reads, [`${suite.store.address.toLowerCase()}/${NAMESPACE}/${key5}`]);
      const writes = pairs(result.writes);
      assert.equal(writes.size, 2);
      assert.ok(floatEquals(writes.get(key5)!, 7n));
      assert.ok(floatEquals(writes.get(pad(toHex(6)))!, 9n));
    });

    await t.step(
      "a key set earlier in the same eval is read from memory, not the store",
      async () => {
        const store = recordingStore(new Map());
        const result = await host.eval4(await evalOf(":set(1 2), _: get(1);"), ENV, store);
        assert.ok(floatEquals(result.stack[0], 2n));
        assert.deepEqual(store.reads, []);
        assert.equal(pairs(result.writes).size, 1);
      },
    );

    await t.step("context reads follow [column][row]; an empty column reverts", async () => {
      const context: Hex[][] = [[pad(ORDERBOOK), pad(toHex(11))], [pad(toHex(12))]];
      const result = await host.eval4(
        await evalOf("_ _: context<0 1>() context<1 0>();", { context }),
        ENV,
        emptyStore,
      );
      assert.deepEqual(result.stack, [pad(toHex(12)), pad(toHex(11))]);
      await assert.rejects(
        host.eval4(await evalOf("_: context<2 0>();", { context: [[], [], []] }), ENV, emptyStore),
        (error: unknown) =>
          error instanceof EvalRevertedError && error.details.error?.name === "Panic" &&
          error.details.error.args[0] === 0x32n,
      );
    });

    await t.step("a failed ensure is an EvalRevertedError with its reason", async () => {
      await assert.rejects(
        host.eval4(await evalOf(':ensure(0 "too low");'), ENV, emptyStore),
        (error: unknown) => {
          assert.ok(error instanceof EvalRevertedError);
          assert.equal(error.details.error?.name, "Error");
          assert.deepEqual(error.details.error?.args, ["too low"]);
          assert.equal(error.details.interpreter, getAddress(suite.interpreter.address));
          assert.equal(error.details.block, ENV.blockNumber);
          return true;
        },
      );
      // A passing ensure leaves nothing on the stack.
      const ok = await host.eval4(await evalOf(':ensure(1 "fine"), _: 5;'), ENV, emptyStore);
      assert.ok(floatEquals(ok.stack[0], 5n));
    });

    await t.step("Float errors are decoded by name (division by zero)", async () => {
      await assert.rejects(
        host.eval4(await evalOf("_: div(1 0);"), ENV, emptyStore),
        (error: unknown) =>
          error instanceof EvalRevertedError && error.details.error?.name === "DivisionByZero",
      );
    });

    await t.step("patched and unpatched @ethereumjs/evm agree on data and gas", async () => {
      await installEvmPatches();
      const programs = [
        "_ _: 10 2;",
        "_: add(1 2);",
        "_: mul(div(10 3) sub(7 2.5) max(1 2) min(3 4) add(0.1 0.2));",
        "_ _: block-number() block-timestamp();",
        ':ensure(0 "no");',
        "_: div(1 0);",
      ];
      for (const program of programs) {
        const data = hexToBytes(encodeEval4(await evalOf(program)));
        const outcomes = [];
        for (const patched of [false, true]) {
          const evm = await createEVM({
            common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
          });
          if (patched) registerPatchedEvm(evm, 1n);
          const to = new EvmAddress(hexToBytes(suite.interpreter.address));
          await evm.stateManager.putCode(to, hexToBytes(suite.interpreter.runtimeCode));
          const result = await evm.runCall({
            to,
            data,
            gasLimit: 30_000_000n,
            isStatic: true,
            block: {
              header: {
                number: ENV.blockNumber,
                timestamp: ENV.timestamp,
                coinbase: new EvmAddress(new Uint8Array(20)),
                difficulty: 0n,
                prevRandao: new Uint8Array(32),
                gasLimit: 30_000_000n,
                baseFeePerGas: 0n,
                getBlobGasPrice: () => 1n,
              },
            },
          });
          outcomes.push({
            returned: bytesToHex(result.execResult.returnValue),
            gasUsed: result.execResult.executionGasUsed,
            error: result.execResult.exceptionError?.error,
          });
        }
        assert.deepEqual(outcomes[1], outcomes[0], program);
        if (outcomes[0].error === undefined) {
          const viaHost = await host.eval4(await evalOf(program), ENV, emptyStore);
          assert.deepEqual(viaHost, decodeEval4Result(outcomes[0].returned), program);
        }
      }
    });

    await t.step("FixtureInterpreter agrees with Rainterpreter on parsed programs", async () => {
      const fixtureAddress = "0x00000000000000000000000000000000000F1001";
      suite.codeCache.upsert({
        address: fixtureAddress,
        kind: "interpreter",
        bytecode: fixtureInterpreter.deployedBytecode,
      });
      const key5 = pad(toHex(5));
      const values = new Map<string, Hex>([[
        `${suite.store.address.toLowerCase()}/${NAMESPACE}/${key5}`,
        pad(toHex(7)),
      ]]);
      const context: Hex[][] = [[pad(ORDERBOOK), pad(toHex(11))], [pad(toHex(12))]];
      const programs = [
        "_ _: 10 2;",
        "_ _ _: block-number() block-timestamp() chain-id();",
        "_: get(5), :set(6 9), :set(1 2), _: get(1);",
        "_ _: context<0 1>() context<1 0>();",
      ];
      for (const program of programs) {
        const request = await evalOf(program, { context });
        const real = await host.eval4(request, ENV, recordingStore(values));
        const fixture = await host.eval4(
          { ...request, interpreter: fixtureAddress },
          ENV,
          recordingStore(values),
        );
        assert.deepEqual(fixture, real, program);
      }
    });

    await t.step("a parse error from the deployer is decoded too", async () => {
      await assert.rejects(
        parseRainlang(host, suite, "_: not-a-word();"),
        (error: unknown) =>
          error instanceof EvalRevertedError && error.details.error?.name === "UnknownWord",
      );
    });
  },
});
