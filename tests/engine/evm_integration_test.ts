/**
 * The engine through the reference EVM host running the fixture interpreter (Rain's bytecode layout
 * and opcode indices): context layout read back with `context` ops, store reads through the
 * virtual store, writes applied at handle-io.
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import { eq } from "../../src/float/mod.ts";
import { createCodeCache, createInterpreterHost } from "../../src/evm/mod.ts";
import { encodeRainBytecode, type RainOp } from "../../src/rainvm/mod.ts";
import {
  fromSnapshot,
  getStoreValue,
  quote,
  snapshot,
  takeOrdersAndApplyState,
} from "../../src/engine/mod.ts";
import {
  ALICE,
  aw,
  deposit,
  f,
  fqn,
  hashOf,
  INTERPRETER,
  makeEngine,
  makeOrder,
  rejectsWith,
  STORE,
  TAKER,
  TOKEN_B,
  w,
} from "./_fixtures.ts";

const OP = { constant: 1, context: 3, get: 70, set: 71 };
const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});
const constant = (i: number) => op(OP.constant, 0, 1, i);
const context = (column: number, row: number) => op(OP.context, 0, 1, column | (row << 8));
const get = () => op(OP.get, 1, 1);
const set = () => op(OP.set, 2, 0);

const codeCache = createCodeCache([
  { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
  { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
]);

// constants: 0 = max output 10, 1 = store key of the ratio, 2 = key for the sender, 3/4 = handle-io keys
const constants: Hex[] = [f("10"), w(101), w(102), w(103), w(104)];
const calculateIO: RainOp[] = [
  // Context words first, so they end up below the two results.
  context(1, 0),
  context(1, 2),
  context(3, 1),
  context(4, 3),
  // set(key 102, msg.sender)
  context(0, 0),
  constant(2),
  set(),
  constant(0),
  // ratio = get(101): a store read through the store contract
  constant(1),
  get(),
];
const handleIO: RainOp[] = [
  context(4, 4),
  constant(3),
  set(),
  context(2, 1),
  constant(4),
  set(),
];
const BYTECODE = encodeRainBytecode({
  constants,
  sources: [{ ops: calculateIO }, { ops: handleIO }],
});
const READS_COLUMN_2 = encodeRainBytecode({
  constants: [],
  sources: [{ ops: [context(2, 0), context(2, 0)] }, { ops: [] }],
});

function pairs(writes: readonly Hex[]): Map<Hex, Hex> {
  const map = new Map<Hex, Hex>();
  for (let i = 0; i < writes.length; i += 2) map.set(writes[i], writes[i + 1]);
  return map;
}

Deno.test("engine on the EVM host with the fixture interpreter", async (t) => {
  const host = createInterpreterHost({ codeCache });
  const order = makeOrder({ bytecode: BYTECODE });
  const hash = hashOf(order);
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [order, makeOrder({ bytecode: READS_COLUMN_2, nonce: 1 })] },
    deposit(ALICE, TOKEN_B, w(2), "4"),
    { type: "applyStore", store: STORE, namespace: fqn(ALICE), kvs: [w(101), f("1.5")] },
  ]);

  await t.step("quote: stack order, context read back, store read, writes", async () => {
    const r = await quote(engine, {
      orderHash: hash,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    assert.equal(r.ioRatio, f("1.5"), "ratio read from the virtual store under alice's namespace");
    assert.equal(r.maxOutput, f("4"), "min(10, vault 4)");
    // top first: ratio, max, then the context words in reverse push order.
    assert.deepEqual(r.stack, [f("1.5"), f("10"), f("4"), w(18), aw(TAKER), hash]);
    const writes = pairs(r.writes);
    assert.equal(writes.get(w(102)), aw(TAKER), "set(102, msg.sender)");
    assert.equal(writes.get(w(101)), f("1.5"), "get caches what it read into the writes");
  });
  await t.step("column 2 is empty during calculate-io (reading it reverts)", async () => {
    const other = makeOrder({ bytecode: READS_COLUMN_2, nonce: 1 });
    await rejectsWith(
      () =>
        quote(engine, { order: other, inputIOIndex: 0n, outputIOIndex: 0n, counterparty: TAKER }),
      "EvalRevertedError",
    );
  });
  await t.step(
    "take: handle-io sees column 2 and the diffs; writes land in the store",
    async () => {
      const restored = fromSnapshot(snapshot(engine), { host, codeCache });
      const r = await takeOrdersAndApplyState(restored, {
        taker: TAKER,
        minimumInput: f("0"),
        maximumInput: f("3"),
        maximumIORatio: f("2"),
        orders: [{ order, inputIOIndex: 0n, outputIOIndex: 0n }],
      });
      // takerInput = min(4, 3) = 3, takerOutput = 1.5 × 3 = 4.5
      assert.ok(eq(r.totalTakerInput, f("3")));
      assert.ok(eq(r.totalTakerOutput, f("4.5")));
      const value = (key: Hex) => getStoreValue(restored, { store: STORE, owner: ALICE, key });
      assert.ok(eq(value(w(103)), f("3")), "handle-io read the output diff (taker input)");
      assert.equal(value(w(104)), f("1.5"), "handle-io read column 2 row 1 (ratio)");
      assert.equal(value(w(102)), aw(TAKER), "calculate-io writes applied before handle-io");
      assert.equal(
        getStoreValue(engine, { store: STORE, owner: ALICE, key: w(103) }),
        w(0),
        "original untouched",
      );
    },
  );
});
