/**
 * Opt-in (VRAINDEX_RAIN_CODE_DIR): the engine on Rain's real Rainterpreter and RainterpreterStore,
 * with orders written in Rainlang and parsed by the real expression deployer — context layout,
 * stack order, store reads, handle-io writes.
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import { eq } from "../../src/float/mod.ts";
import { createInterpreterHost } from "../../src/evm/mod.ts";
import {
  getStoreValue,
  quote,
  snapshot,
  takeOrders,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import { loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "../real/_rain_code.ts";
import {
  ALICE,
  aw,
  deposit,
  f,
  fqn,
  makeEngine,
  rejectsWith,
  TAKER,
  TOKEN_B,
  w,
} from "./_fixtures.ts";
import type { OrderV4 } from "../../src/abi/mod.ts";

Deno.test({
  name: "engine on Rain's real interpreter (opt-in)",
  ignore: RAIN_CODE_DIR === undefined,
  async fn(t) {
    const suite = loadRainSuite();
    const host = createInterpreterHost({ codeCache: suite.codeCache });
    const order = async (rainlang: string, nonce: number): Promise<OrderV4> => ({
      owner: ALICE,
      evaluable: {
        interpreter: suite.interpreter.address,
        store: suite.store.address,
        bytecode: await parseRainlang(host, suite, rainlang),
      },
      validInputs: [{ token: "0xaaaa000000000000000000000000000000000001", vaultId: w(1) }],
      validOutputs: [{ token: TOKEN_B, vaultId: w(2) }],
      nonce: w(nonce),
    });
    const main = await order(
      "hash counterparty max ratio: context<1 0>() context<1 2>() 10 get(7), :set(8 block-timestamp());" +
        ":set(9 context<4 4>()), :set(10 context<2 0>());",
      0,
    );
    const readsColumn2 = await order("_ _: context<2 0>() 1;:;", 1);
    const noHandleIO = await order("_ _: 10 1;", 2);
    const store = suite.store.address;
    const engine: VirtualRaindex = makeEngine(host, [
      { type: "setOrders", orders: [main, readsColumn2, noHandleIO] },
      deposit(ALICE, TOKEN_B, w(2), "4"),
      { type: "applyStore", store, namespace: fqn(ALICE), kvs: [w(7), f("1.5")] },
    ]);

    await t.step(
      "quote: ratio from the store, max capped, context words on the stack",
      async () => {
        const r = await quote(engine, {
          order: main,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        });
        assert.equal(r.stack.length, 4);
        assert.ok(eq(r.ioRatio, f("1.5")));
        assert.ok(eq(r.maxOutput, f("4")), "min(10, vault 4)");
        assert.equal(r.stack[2], aw(TAKER));
        assert.equal(r.stack[3], r.orderHash);
        const writes = new Map<Hex, Hex>();
        for (let i = 0; i < r.writes.length; i += 2) writes.set(r.writes[i], r.writes[i + 1]);
        assert.ok(eq(writes.get(w(8))!, f("1700000000")), "block-timestamp from the engine env");
      },
    );
    await t.step("column 2 is empty during calculate-io", async () => {
      await rejectsWith(
        () =>
          quote(engine, {
            order: readsColumn2,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            counterparty: TAKER,
          }),
        "EvalRevertedError",
      );
    });
    await t.step(
      "take: handle-io reads the diff and column 2; writes reach the store",
      async () => {
        const before = JSON.stringify(snapshot(engine));
        const r = await takeOrders(engine, {
          taker: TAKER,
          minimumInput: f("0"),
          maximumInput: f("3"),
          maximumIORatio: f("2"),
          orders: [{ order: main, inputIOIndex: 0n, outputIOIndex: 0n }],
        });
        assert.ok(eq(r.totalTakerInput, f("3")));
        assert.ok(eq(r.totalTakerOutput, f("4.5")));
        const set = new Map(r.storeWrites.map((s) => [s.key, s.value]));
        assert.ok(eq(set.get(w(9))!, f("3")));
        assert.ok(eq(set.get(w(10))!, f("4")));
        assert.equal(JSON.stringify(snapshot(engine)), before);
        assert.ok(eq(getStoreValue(engine, { store, owner: ALICE, key: w(7) }), f("1.5")));
      },
    );
    await t.step("an order without handle-io quotes fine but its take reverts", async () => {
      const q = await quote(engine, {
        order: noHandleIO,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        counterparty: TAKER,
      });
      assert.ok(eq(q.maxOutput, f("4")));
      await rejectsWith(
        () =>
          takeOrders(engine, {
            taker: TAKER,
            minimumInput: f("0"),
            maximumInput: f("1"),
            maximumIORatio: f("2"),
            orders: [{ order: noHandleIO, inputIOIndex: 0n, outputIOIndex: 0n }],
          }),
        "EvalRevertedError",
      );
    });
  },
});
