/**
 * The EVM interpreter host against `@ethereumjs/evm` used naively.
 *
 * - `eval4 (hand-made)`: a hand-assembled interpreter (a 200-step loop of wide `MSTORE`s, block
 *   fields, an eval4 result): the host vs a fresh EVM per call (baseline) vs one reused, unpatched
 *   EVM.
 * - `per-call overhead`: an unknown selector on a 24 KB contract (a few dozen steps): the host vs the
 *   same call on one reused `@ethereumjs/evm` as-is (baseline).
 * - With `VRAINDEX_RAIN_CODE_DIR` set (see `scripts/rain_code.ts`): the real Rainterpreter on
 *   `_ _: 10 2;` and on a 12-word Float expression, and the overhead group on the real 23.7 KB
 *   Rainterpreter.
 *
 * `deno bench -A bench/evm.bench.ts`
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import { type Address, type Hex, hexToBytes } from "viem";
import {
  createCodeCache,
  createInterpreterHost,
  type EvalRequest,
  type EvmInterpreterHost,
} from "../src/evm/mod.ts";
import { encodeEval4 } from "../src/evm/eval4_abi.ts";
import { assemble, push, returnEval4FromMemory } from "../tests/evm/_asm.ts";
import { loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "../tests/real/_rain_code.ts";

const INTERPRETER: Address = "0x0000000000000000000000000000000000001001";
const BIG_CONTRACT: Address = "0x0000000000000000000000000000000000003003";
const STORE: Address = "0x0000000000000000000000000000000000002002";
const ENV = { chainId: 1n, blockNumber: 19_000_000n, timestamp: 1_700_000_000n };
const STORE_VIEW = { get: (): Hex => `0x${"00".repeat(32)}` };

/** 40 iterations of a wide MSTORE loop, then returns [NUMBER, TIMESTAMP] as an eval4 result. */
const HAND_MADE = assemble([
  push(0),
  { label: "loop" },
  "DUP1",
  push("0x9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95", 32),
  "MUL",
  "DUP2",
  push(0x20),
  "MUL",
  "MSTORE",
  push(1),
  "ADD",
  "DUP1",
  push(40),
  "GT",
  { ref: "loop" },
  "JUMPI",
  "POP",
  "NUMBER",
  push(0),
  "MSTORE",
  "TIMESTAMP",
  push(0x20),
  "MSTORE",
  ...returnEval4FromMemory([0, 0x20], []),
]);

/** A selector dispatcher in front of ~24 KB of code: an unknown selector reverts after ~15 steps. */
function bigContract(): Hex {
  const head = assemble([
    push(0),
    "CALLDATALOAD",
    push(0xe0),
    "SHR",
    push("0xd04dfe23"),
    "EQ",
    { ref: "body" },
    "JUMPI",
    push(0),
    push(0),
    "REVERT",
    { label: "body" },
  ]);
  // PUSH2 x POP JUMPDEST: pushes and jump destinations for the analysis to walk through.
  const filler = "61abcd505b".repeat(4_800);
  return `${head}${filler}00` as Hex;
}

function hostRequest(interpreter: Address, bytecode: Hex = "0x"): EvalRequest {
  return {
    interpreter,
    store: STORE,
    namespace: 1n,
    bytecode,
    sourceIndex: 0,
    context: [],
    inputs: [],
    stateOverlay: [],
  };
}

function blockOf() {
  return {
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
  };
}

/** `@ethereumjs/evm` without vraindex's host: a fresh instance per call, or one reused. */
async function plainEvm(code: Record<string, Hex>) {
  const evm = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
  });
  for (const [address, bytecode] of Object.entries(code)) {
    await evm.stateManager.putCode(
      new EvmAddress(hexToBytes(address as Hex)),
      hexToBytes(bytecode),
    );
  }
  return evm;
}

async function plainCall(
  evm: Awaited<ReturnType<typeof plainEvm>>,
  to: Address,
  data: Uint8Array,
): Promise<void> {
  await evm.runCall({
    to: new EvmAddress(hexToBytes(to)),
    data,
    gasLimit: 30_000_000n,
    isStatic: true,
    skipNonceIncrement: true,
    block: blockOf(),
  });
}

function defineEvalGroup(
  group: string,
  host: EvmInterpreterHost,
  request: EvalRequest,
  code: Record<string, Hex>,
): void {
  const data = hexToBytes(encodeEval4(request));
  Deno.bench({
    name: `${group}: fresh @ethereumjs/evm per call`,
    group,
    baseline: true,
    async fn() {
      await plainCall(await plainEvm(code), request.interpreter, data);
    },
  });
  let reused: Promise<Awaited<ReturnType<typeof plainEvm>>> | undefined;
  Deno.bench({
    name: `${group}: one reused @ethereumjs/evm as-is`,
    group,
    async fn() {
      reused ??= plainEvm(code);
      await plainCall(await reused, request.interpreter, data);
    },
  });
  Deno.bench({
    name: `${group}: vraindex host eval4`,
    group,
    async fn() {
      await host.eval4(request, ENV, STORE_VIEW);
    },
  });
}

function defineOverheadGroup(
  group: string,
  host: EvmInterpreterHost,
  to: Address,
  code: Record<string, Hex>,
): void {
  const data = hexToBytes("0x12345678");
  let reused: Promise<Awaited<ReturnType<typeof plainEvm>>> | undefined;
  Deno.bench({
    name: `${group}: reused @ethereumjs/evm as-is`,
    group,
    baseline: true,
    async fn() {
      reused ??= plainEvm(code);
      await plainCall(await reused, to, data);
    },
  });
  Deno.bench({
    name: `${group}: vraindex host`,
    group,
    async fn() {
      await host.call({ to, data: "0x12345678" }).catch(() => undefined);
    },
  });
}

const big = bigContract();
const handHost = createInterpreterHost({
  codeCache: createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: HAND_MADE },
    { address: BIG_CONTRACT, kind: "contract", bytecode: big },
    { address: STORE, kind: "store", bytecode: "0xfe" },
  ]),
});
defineEvalGroup("eval4 (hand-made)", handHost, hostRequest(INTERPRETER), {
  [INTERPRETER]: HAND_MADE,
});
defineOverheadGroup(
  `per-call overhead (${(big.length - 2) / 2} B synthetic)`,
  handHost,
  BIG_CONTRACT,
  { [BIG_CONTRACT]: big },
);

if (RAIN_CODE_DIR !== undefined) {
  const suite = loadRainSuite();
  const host = createInterpreterHost({ codeCache: suite.codeCache });
  const code = { [suite.interpreter.address]: suite.interpreter.runtimeCode };
  const real = (bytecode: Hex): EvalRequest => ({
    ...hostRequest(suite.interpreter.address, bytecode),
    store: suite.store.address,
  });
  defineEvalGroup(
    "Rainterpreter `_ _: 10 2;`",
    host,
    real(await parseRainlang(host, suite, "_ _: 10 2;")),
    code,
  );
  defineEvalGroup(
    "Rainterpreter 12-word Float expression",
    host,
    real(
      await parseRainlang(
        host,
        suite,
        "_: add(mul(div(10 3) sub(7 2.5)) max(1 2) min(3 4) add(0.1 0.2) mul(1.5 2) " +
          "sub(100 0.001) div(1 7) max(0.5 0.25) min(9 8));",
      ),
    ),
    code,
  );
  defineOverheadGroup(
    `per-call overhead (Rainterpreter, ${(suite.interpreter.runtimeCode.length - 2) / 2} B)`,
    host,
    suite.interpreter.address,
    code,
  );
}
