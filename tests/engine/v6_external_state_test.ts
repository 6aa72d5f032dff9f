/**
 * The token-model seam through the EVM host: the fixture interpreter's `uint256-erc20-balance-of`
 * word calls the token, the host hands the call to `tokenModelExternalState`, which answers from
 * the engine's token model as the running take has changed it.
 */
import assert from "node:assert/strict";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import { format } from "../../src/float/mod.ts";
import { createCodeCache, createInterpreterHost } from "../../src/evm/mod.ts";
import { encodeRainBytecode, type RainOp } from "../../src/rainvm/mod.ts";
import { type RaindexEvent, takeOrders4, tokenModelExternalState } from "../../src/engine/mod.ts";
import {
  ALICE,
  aw,
  f,
  INTERPRETER,
  makeOrder,
  ORDERBOOK,
  STORE,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_fixtures.ts";
import { e, makeV6Engine } from "./_v6.ts";

const OP = { constant: 1, balanceOf: 17, set: 71 };
const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});
const constant = (i: number) => op(OP.constant, 0, 1, i);
// First argument on top: push alice, then the token.
const balanceOfAlice = [constant(1), constant(0), op(OP.balanceOf, 2, 1)];
const set = () => op(OP.set, 2, 0);

// constants: 0 token B, 1 alice, 2 ratio 2, 3 max 2, 4 key 201, 5 key 202
const BYTECODE = encodeRainBytecode({
  constants: [aw(TOKEN_B), aw(ALICE), f("2"), f("2"), w(201), w(202)],
  sources: [
    { ops: [...balanceOfAlice, constant(4), set(), constant(3), constant(2)] },
    { ops: [...balanceOfAlice, constant(5), set()] },
  ],
});

Deno.test("tokenModelExternalState through the EVM host and the fixture interpreter", async (t) => {
  const codeCache = createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
    { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
  const host = createInterpreterHost({ codeCache, externalState: tokenModelExternalState() });
  const io = {
    inputs: [{ token: TOKEN_A, vaultId: w(0) }],
    outputs: [{ token: TOKEN_B, vaultId: w(0) }],
  };
  const o1 = makeOrder({ bytecode: BYTECODE, nonce: 1, ...io });
  const o2 = makeOrder({ bytecode: BYTECODE, nonce: 2, ...io });
  const engine = makeV6Engine(host, [
    { type: "setOrders", orders: [o1, o2] },
    {
      type: "setTokenBalances",
      balances: [
        { token: TOKEN_B, account: ALICE, amount: (5n * e(6)).toString() },
        { token: TOKEN_A, account: ALICE, amount: "0" },
        { token: TOKEN_A, account: ORDERBOOK, amount: (6n * e(18)).toString() },
      ],
    },
    {
      type: "setAllowances",
      allowances: [
        { token: TOKEN_B, owner: ALICE, amount: (3n * e(6)).toString() },
        { token: TOKEN_A, owner: ALICE, amount: "0" },
      ],
    },
  ]);
  // o1: balance min(5, 3) = 3 B, outputMax min(2, 3) = 2 → pulls 2 B (alice 5 → 3, allowance 1).
  // o2: balance min(3, 1) = 1 → outputMax 1 → pulls 1 B (alice 3 → 2).
  // Writes: o1's calculate-io saw 5 B, o2's saw 3 B; both handle-ios (after the loop) see 2 B.
  const r = await takeOrders4(engine, {
    taker: TAKER,
    minimumIO: f("3"),
    maximumIO: f("10"),
    maximumIORatio: f("10"),
    IOIsInput: true,
    orders: [o1, o2].map((order) => ({ order, inputIOIndex: 0n, outputIOIndex: 0n })),
  });
  await t.step("the second order's max follows the first's pull", () => {
    assert.equal(r.taken.length, 2);
    assert.equal(format(r.taken[0].outputMax), "2");
    assert.equal(format(r.taken[1].outputMax), "1");
  });
  await t.step("balanceOf seen in calculate-io and handle-io, in log order", () => {
    const sets = r.events.filter((x): x is Extract<RaindexEvent, { type: "Set" }> =>
      x.type === "Set"
    );
    assert.deepEqual(sets.map((s) => [s.key, BigInt(s.value)]), [
      [w(201), 5n * e(6)],
      [w(202), 2n * e(6)],
      [w(201), 3n * e(6)],
      [w(202), 2n * e(6)],
    ]);
  });
});
