/**
 * One engine scenario that runs unchanged in Deno and, bundled, in headless Chromium: the fixture
 * interpreter in the reference EVM host, an order `_ _: 10 2;` with a store-driven handle-io, a quote
 * and a read-only take. Imports only the package's public surface and JSON artifacts.
 */
import type { Address, Hex } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import {
  applyMutations,
  createCodeCache,
  createInterpreterHost,
  createVirtualRaindex,
  encodeRainBytecode,
  float,
  type OrderV4,
  quote,
  takeOrders,
} from "../../mod.ts";

const ORDERBOOK: Address = "0x00000000000000000000000000000000000000ab";
const INTERPRETER: Address = "0x1000000000000000000000000000000000000001";
const STORE: Address = "0x2000000000000000000000000000000000000002";
const ALICE: Address = "0xa11ce00000000000000000000000000000000001";
const TAKER: Address = "0x7a4e400000000000000000000000000000000004";
const TOKEN_IN: Address = "0xaaaa000000000000000000000000000000000001";
const TOKEN_OUT: Address = "0xbbbb000000000000000000000000000000000002";
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;

/** What the scenario reports: plain strings, so Deno and the browser can be compared exactly. */
export type ScenarioResult = {
  readonly quote: { exists: boolean; maxOutput: string; ioRatio: string; context: string[][] };
  readonly take: { totalTakerInput: string; totalTakerOutput: string; handleIOContext: string[][] };
};

/** Runs the scenario and returns its results with Floats formatted as decimal strings. */
export async function runScenario(): Promise<ScenarioResult> {
  const codeCache = createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
    { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
  const host = createInterpreterHost({ codeCache });
  // Opcodes are Rain's indices (docs/fixtures.md): 1 = constant, 3 = context, 71 = set.
  const bytecode = encodeRainBytecode({
    constants: [float.parse("10"), float.parse("2"), word(7)],
    sources: [
      {
        ops: [{ opcode: 1, inputs: 0, outputs: 1, operand: 0 }, {
          opcode: 1,
          inputs: 0,
          outputs: 1,
          operand: 1,
        }],
      },
      {
        ops: [
          // handle-io: set(7, the output vault diff) — context column 4, row 4 (row in the high byte).
          { opcode: 3, inputs: 0, outputs: 1, operand: 0x0404 },
          { opcode: 1, inputs: 0, outputs: 1, operand: 2 },
          { opcode: 71, inputs: 2, outputs: 0, operand: 0 },
        ],
      },
    ],
  });
  const order: OrderV4 = {
    owner: ALICE,
    evaluable: { interpreter: INTERPRETER, store: STORE, bytecode },
    validInputs: [{ token: TOKEN_IN, vaultId: word(1) }],
    validOutputs: [{ token: TOKEN_OUT, vaultId: word(2) }],
    nonce: word(0),
  };
  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
  applyMutations(engine, [
    { type: "setEnv", chainId: 137n, blockNumber: 100n, timestamp: 1_700_000_000n },
    {
      type: "setTokenDecimals",
      tokens: [{ token: TOKEN_IN, decimals: 18 }, { token: TOKEN_OUT, decimals: 6 }],
    },
    { type: "setOrders", orders: [order] },
    {
      type: "vaultDeltas",
      deltas: [{
        owner: ALICE,
        token: TOKEN_OUT,
        vaultId: word(2),
        op: "increase",
        amount: float.parse("4"),
      }],
    },
  ]);
  const quoted = await quote(engine, {
    order,
    inputIOIndex: 0,
    outputIOIndex: 0,
    counterparty: TAKER,
  });
  const taken = await takeOrders(engine, {
    taker: TAKER,
    minimumInput: float.parse("0"),
    maximumInput: float.parse("3"),
    maximumIORatio: float.parse("100"),
    orders: [{ order, inputIOIndex: 0, outputIOIndex: 0 }],
  });
  return {
    quote: {
      exists: quoted.exists,
      maxOutput: float.format(quoted.maxOutput),
      ioRatio: float.format(quoted.ioRatio),
      context: quoted.context.map((column) => [...column]),
    },
    take: {
      totalTakerInput: float.format(taken.totalTakerInput),
      totalTakerOutput: float.format(taken.totalTakerOutput),
      handleIOContext: (taken.taken[0]?.handleIOContext ?? []).map((column) => [...column]),
    },
  };
}
