/**
 * The native evaluator against the EVM host (baseline) on the same `eval4` requests.
 *
 * - `fixture …`: `FixtureInterpreter` programs (our own Solidity, Rain's opcodes): a 1-word
 *   program (`context<1 0>()`) and a 15-word one (hash, get/set, every/ensure, if/is-zero, uint256
 *   maths over the context).
 * - With `VRAINDEX_RAIN_CODE_DIR` set (see `scripts/rain_code.ts`): the real Rainterpreter on a
 *   1-word Rainlang expression and on a 14-word Float expression with store reads and writes
 *   (also over 10,000 different context values, so that `hash` and the KV key lists miss their
 *   memos).
 *
 * `deno bench -A bench/rainvm.bench.ts`
 */
import type { Address, Hex } from "viem";
import interpreterArtifact from "../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import {
  type CodeCache,
  createCodeCache,
  createInterpreterHost,
  type EvalRequest,
  type InterpreterHost,
} from "../src/evm/mod.ts";
import { createNativeHost, encodeRainBytecode, type RainOp } from "../src/rainvm/mod.ts";
import { loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "../tests/real/_rain_code.ts";

const ENV = { chainId: 137n, blockNumber: 61_000_000n, timestamp: 1_750_000_000n };
const word = (n: bigint): Hex => `0x${n.toString(16).padStart(64, "0")}`;
const STORE_VIEW = { get: (): Hex => word(41n) };
const CONTEXT: Hex[][] = [[word(5n), word(3n)], [word(7n)]];

function defineGroup(
  group: string,
  evm: InterpreterHost,
  native: InterpreterHost,
  request: EvalRequest,
): void {
  Deno.bench({
    name: "EVM host",
    group,
    baseline: true,
    async fn() {
      await evm.eval4(request, ENV, STORE_VIEW);
    },
  });
  Deno.bench({
    name: "native host",
    group,
    async fn() {
      await native.eval4(request, ENV, STORE_VIEW);
    },
  });
}

function hostsFor(codeCache: CodeCache) {
  const evm = createInterpreterHost({ codeCache });
  const native = createNativeHost({ fallback: evm, codeCache });
  return { evm, native };
}

// Fixture programs.
{
  const interpreter: Address = "0x00000000000000000000000000000000000F1001";
  const store: Address = "0x00000000000000000000000000000000000F2002";
  const codeCache = createCodeCache([
    { address: interpreter, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
    { address: store, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
  const { evm, native } = hostsFor(codeCache);
  const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
    opcode,
    inputs,
    outputs,
    operand,
  });
  const constant = (i: number) => op(1, 0, 1, i);
  const context = (column: number, row: number) => op(3, 0, 1, (row << 8) | column);
  const request = (ops: RainOp[], constants: Hex[]): EvalRequest => ({
    interpreter,
    store,
    namespace: 1n,
    bytecode: encodeRainBytecode({ constants, sources: [{ ops }] }),
    sourceIndex: 0,
    context: CONTEXT,
    inputs: [],
    stateOverlay: [],
  });
  const reason = `0x${"0".repeat(62)}e0` as Hex;
  // :set(hash(c00) uint256-add(get(hash(c00)) 1)), :ensure(every(c01 1) ""),
  // _: if(is-zero(c00) 1 uint256-mul(c00 2));
  const fifteen = request([
    constant(0), // 1
    context(0, 0),
    op(12, 1, 1), // hash
    op(70, 1, 1), // get
    op(64, 2, 1), // uint256-add
    context(0, 0),
    op(12, 1, 1), // hash
    op(71, 2, 0), // set
    constant(2), // reason
    constant(0),
    context(0, 1),
    op(32, 2, 1), // every
    op(30, 2, 0), // ensure
    constant(1), // 2
    context(0, 0),
    op(67, 2, 1), // uint256-mul
    constant(0),
    context(0, 0),
    op(36, 1, 1), // is-zero
    op(35, 3, 1), // if
  ], [word(1n), word(2n), reason]);
  // Both hosts must agree before timing them.
  const a = await native.eval4(fifteen, ENV, STORE_VIEW);
  const b = await evm.eval4(fifteen, ENV, STORE_VIEW);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("fixture hosts disagree");
  defineGroup("fixture 1-word", evm, native, request([context(1, 0)], []));
  defineGroup("fixture 15-word", evm, native, fifteen);
}

if (RAIN_CODE_DIR !== undefined) {
  const suite = loadRainSuite();
  const { evm, native } = hostsFor(suite.codeCache);
  const request = async (rainlang: string): Promise<EvalRequest> => ({
    interpreter: suite.interpreter.address,
    store: suite.store.address,
    namespace: 1n,
    bytecode: await parseRainlang(evm, suite, rainlang),
    sourceIndex: 0,
    context: CONTEXT,
    inputs: [],
    stateOverlay: [],
  });
  const fourteen = await request(
    "amount: context<0 0>(), price: context<0 1>(), io: mul(price 1.01), " +
      ':ensure(greater-than(amount 0) "zero"), ' +
      ":set(hash(amount) add(get(hash(amount)) amount)), " +
      "max-out: min(amount 1000), _ _: max-out if(less-than(io 2) io div(2 io));",
  );
  const a = await native.eval4(fourteen, ENV, STORE_VIEW);
  const b = await evm.eval4(fourteen, ENV, STORE_VIEW);
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error("real hosts disagree");
  if (native.telemetry.fallback.total !== 0) throw new Error("real expression fell back");
  defineGroup("Rainterpreter 1-word", evm, native, await request("_: context<1 0>();"));
  defineGroup("Rainterpreter 14-word", evm, native, fourteen);
  // The same expression over 10,000 different amounts: more distinct `hash` inputs and KV keys
  // than the evaluator's memos hold, so every hash is computed.
  const varied = Array.from({ length: 10_000 }, (_, i) => ({
    ...fourteen,
    context: [[word(BigInt(i + 1)), word(3n)], [word(7n)]],
  }));
  let next = 0;
  Deno.bench({
    name: "EVM host",
    group: "Rainterpreter 14-word, uncached hashes",
    baseline: true,
    async fn() {
      await evm.eval4(varied[next++ % varied.length], ENV, STORE_VIEW);
    },
  });
  Deno.bench({
    name: "native host",
    group: "Rainterpreter 14-word, uncached hashes",
    async fn() {
      await native.eval4(varied[next++ % varied.length], ENV, STORE_VIEW);
    },
  });
}
