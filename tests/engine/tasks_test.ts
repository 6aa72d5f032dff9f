import assert from "node:assert/strict";
import { concatHex, type Hex, keccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { eq, packFloat } from "../../src/float/mod.ts";
import type { TaskV2 } from "../../src/abi/mod.ts";
import {
  applyMutations,
  fromSnapshot,
  getOrder,
  getStoreValue,
  getVaultBalance,
  simulateAddOrder,
  simulateDeposit,
  simulateEntask,
  simulateRemoveOrder,
  simulateWithdraw,
  snapshot,
} from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedCall } from "./_scripted_host.ts";
import {
  ALICE,
  aw,
  BOB,
  deposit,
  f,
  fqn,
  hashOf,
  INTERPRETER,
  makeEngine,
  makeOrder,
  ORDERBOOK,
  rejectsWith,
  STORE,
  TOKEN_B,
  w,
} from "./_fixtures.ts";

const seen: ScriptedCall[] = [];
const host = createScriptedHost({
  "0x77": [
    (
      call,
    ) => (seen.push(call),
      { stack: [f("1")], writes: [w(1), call.context.at(-1)!.at(-1) ?? w(0)] }),
  ],
  "0x78": [(call) => (seen.push(call), { stack: [], writes: [w(2), call.get(w(1))] })],
});
const task = (bytecode: Hex, signedContext: TaskV2["signedContext"] = []): TaskV2 => ({
  evaluable: { interpreter: INTERPRETER, store: STORE, bytecode },
  signedContext,
});

Deno.test("post tasks: deposit", async (t) => {
  const engine = makeEngine(host);
  seen.length = 0;
  const r = await simulateDeposit(engine, {
    sender: ALICE,
    token: TOKEN_B,
    vaultId: w(9),
    amount: f("1.0000001"),
    tasks: [task("0x77"), task("0x"), task("0x78")],
  });
  await t.step("pull rounds up to token units; event; vault grows by the Float", () => {
    assert.deepEqual(r.events.slice(0, 1), [{
      type: "DepositV2",
      sender: ALICE,
      token: TOKEN_B,
      vaultId: w(9),
      depositAmountUint256: 1_000_001n,
    }]);
    assert.equal(r.vaultChanges[0].after, f("1.0000001"), "0 + x keeps x's bits");
  });
  await t.step(
    "calling column [token, vaultId, before, after, decimals]; caller's namespace",
    () => {
      assert.equal(seen.length, 2, "empty-bytecode task skipped");
      assert.deepEqual(seen[0].context, [
        [aw(ALICE), aw(ORDERBOOK)],
        [aw(TOKEN_B), w(9), w(0), f("1.0000001"), w(6)],
      ]);
      assert.equal(seen[0].request.namespace, BigInt(fqn(ALICE)));
      assert.equal(seen[0].request.sourceIndex, 0);
      assert.deepEqual(r.tasks.map((x) => x.evaluated), [true, false, true]);
    },
  );
  await t.step("a later task sees an earlier task's writes", () => {
    assert.deepEqual(r.tasks[2].writes, [w(2), w(6)]);
  });
  await t.step("what-if only; mutations reproduce the change", () => {
    assert.equal(getVaultBalance(engine, { owner: ALICE, token: TOKEN_B, vaultId: w(9) }), w(0));
    const copy = fromSnapshot(snapshot(engine), { host });
    applyMutations(copy, r.mutations);
    assert.equal(
      getVaultBalance(copy, { owner: ALICE, token: TOKEN_B, vaultId: w(9) }),
      f("1.0000001"),
    );
    assert.equal(getStoreValue(copy, { store: STORE, owner: ALICE, key: w(2) }), w(6));
  });
  await t.step("zero amount rejects", async () => {
    await rejectsWith(
      () =>
        simulateDeposit(engine, { sender: ALICE, token: TOKEN_B, vaultId: w(9), amount: f("0") }),
      "ZeroDepositAmountError",
    );
  });
});

Deno.test("post tasks: withdraw", async (t) => {
  const balance = packFloat(30n, -1);
  const engine = makeEngine(host, [{
    type: "vaultDeltas",
    deltas: [{ owner: ALICE, token: TOKEN_B, vaultId: w(9), op: "set", amount: balance }],
  }]);
  seen.length = 0;
  await t.step(
    "target above balance withdraws the balance (its bits); column has 6 rows",
    async () => {
      const r = await simulateWithdraw(engine, {
        sender: ALICE,
        token: TOKEN_B,
        vaultId: w(9),
        targetAmount: f("5"),
        tasks: [task("0x77")],
      }, { apply: true });
      const event = r.events[0] as { withdrawAmount: Hex; withdrawAmountUint256: bigint };
      assert.equal(event.withdrawAmount, balance);
      assert.equal(event.withdrawAmountUint256, 3_000_000n);
      assert.deepEqual(seen[0].context[1].slice(0, 3), [aw(TOKEN_B), w(9), balance]);
      assert.ok(eq(seen[0].context[1][3], f("0")));
      assert.deepEqual(seen[0].context[1].slice(4), [f("5"), w(6)]);
      assert.ok(
        eq(getVaultBalance(engine, { owner: ALICE, token: TOKEN_B, vaultId: w(9) }), f("0")),
      );
    },
  );
  await t.step("empty vault: succeeds with amount 0", async () => {
    const r = await simulateWithdraw(engine, {
      sender: BOB,
      token: TOKEN_B,
      vaultId: w(1),
      targetAmount: f("1"),
    });
    assert.equal((r.events[0] as { withdrawAmountUint256: bigint }).withdrawAmountUint256, 0n);
    assert.deepEqual(r.transfers, []);
  });
  await t.step("zero target rejects", async () => {
    await rejectsWith(
      () =>
        simulateWithdraw(engine, {
          sender: ALICE,
          token: TOKEN_B,
          vaultId: w(9),
          targetAmount: f("0"),
        }),
      "ZeroWithdrawTargetAmountError",
    );
  });
});

Deno.test("post tasks: add and remove order", async (t) => {
  const engine = makeEngine(host);
  const body = makeOrder({ owner: BOB, bytecode: "0x01" });
  const config = { ...body, secret: w(0), meta: "0xff0a89c674ee7874" as Hex };
  const hash = hashOf(body);
  await t.step("add: AddOrderV3, MetaV1_2, calling column [orderHash, owner]", async () => {
    seen.length = 0;
    const r = await simulateAddOrder(engine, { sender: BOB, config, tasks: [task("0x77")] }, {
      apply: true,
    });
    assert.equal(r.stateChanged, true);
    assert.deepEqual(r.events.map((e) => e.type), ["AddOrderV3", "MetaV1_2", "Set"]);
    assert.deepEqual(seen[0].context, [[aw(BOB), aw(ORDERBOOK)], [hash, aw(BOB)]]);
    assert.equal(getOrder(engine, hash)?.live, true);
    assert.equal(getStoreValue(engine, { store: STORE, owner: BOB, key: w(1) }), aw(BOB));
  });
  await t.step("adding a live order changes nothing and runs no task", async () => {
    seen.length = 0;
    const r = await simulateAddOrder(engine, { sender: BOB, config, tasks: [task("0x77")] });
    assert.equal(r.stateChanged, false);
    assert.equal(seen.length, 0);
    assert.deepEqual(r.events, []);
  });
  await t.step("no inputs / no outputs rejects", async () => {
    const a = await rejectsWith(
      () => simulateAddOrder(engine, { sender: BOB, config: { ...config, validInputs: [] } }),
      "OrderNoIOError",
    );
    assert.equal(a.details.side, "input");
    const b = await rejectsWith(
      () => simulateAddOrder(engine, { sender: BOB, config: { ...config, validOutputs: [] } }),
      "OrderNoIOError",
    );
    assert.equal(b.details.side, "output");
  });
  await t.step("meta without Rain's magic rejects (NotRainMetaV1)", async () => {
    await rejectsWith(
      () =>
        simulateAddOrder(engine, {
          sender: BOB,
          config: { ...config, nonce: w(77), meta: "0x1234" },
        }),
      "NotRainMetaV1Error",
    );
  });
  await t.step("remove: only the owner", async () => {
    await rejectsWith(
      () => simulateRemoveOrder(engine, { sender: ALICE, order: body }),
      "NotOrderOwnerError",
    );
  });
  await t.step("remove: live → dead with tasks; again → no change", async () => {
    seen.length = 0;
    const r = await simulateRemoveOrder(
      engine,
      { sender: BOB, order: body, tasks: [task("0x77")] },
      { apply: true },
    );
    assert.equal(r.stateChanged, true);
    assert.deepEqual(seen[0].context[1], [hash, aw(BOB)]);
    assert.equal(getOrder(engine, hash)?.live, false);
    const again = await simulateRemoveOrder(engine, {
      sender: BOB,
      order: body,
      tasks: [task("0x77")],
    });
    assert.equal(again.stateChanged, false);
  });
});

Deno.test("post tasks: entask has no calling column; signers follow the base column", async () => {
  const engine = makeEngine(host, [deposit(ALICE, TOKEN_B, w(1), "1")]);
  const signer = privateKeyToAccount(`0x${"33".repeat(32)}`);
  const words = [w(5), w(6)];
  const signature = await signer.signMessage({ message: { raw: keccak256(concatHex(words)) } });
  seen.length = 0;
  const r = await simulateEntask(engine, {
    sender: ALICE,
    tasks: [task("0x77", [{ signer: signer.address, context: words, signature }])],
  });
  assert.deepEqual(seen[0].context, [[aw(ALICE), aw(ORDERBOOK)], [aw(signer.address)], words]);
  assert.deepEqual(r.events.map((e) => e.type), ["Set"], "entask2 logs no orderbook event");
  assert.deepEqual(r.storeWrites.map((s) => [s.namespace, s.key, s.value]), [[
    fqn(ALICE),
    w(1),
    w(6),
  ]]);
});
