import assert from "node:assert/strict";
import type { Hex } from "viem";
import { eq } from "../../src/float/mod.ts";
import {
  clear,
  clearAndApplyState,
  type ClearParameters,
  getVaultBalance,
  snapshot,
} from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedSource } from "./_scripted_host.ts";
import {
  ALICE,
  aw,
  BOB,
  CAROL,
  deposit,
  f,
  hashOf,
  makeEngine,
  makeOrder,
  ORDERBOOK,
  rejectsWith,
  TOKEN_A,
  TOKEN_B,
  TOKEN_C,
  w,
} from "./_fixtures.ts";

const CLEARER = CAROL;
const config = {
  aliceInputIOIndex: 0n,
  aliceOutputIOIndex: 0n,
  bobInputIOIndex: 0n,
  bobOutputIOIndex: 0n,
  aliceBountyVaultId: w(7),
  bobBountyVaultId: w(8),
};

function setup(aliceRatio: string, bobRatio: string, aliceVaultB = "10", bobVaultA = "30") {
  const contexts: Record<string, (readonly (readonly Hex[])[])[]> = { alice: [], bob: [] };
  const src = (who: string, ratio: string, max: string): ScriptedSource[] => [
    (call) => (contexts[who].push(call.context), { stack: [f(ratio), f(max)] }),
    (call) => (contexts[who].push(call.context), { stack: [] }),
  ];
  const host = createScriptedHost({
    "0x0a": src("alice", aliceRatio, "10"),
    "0x0b": src("bob", bobRatio, "30"),
  });
  const alice = makeOrder({ owner: ALICE, bytecode: "0x0a" });
  const bob = makeOrder({
    owner: BOB,
    bytecode: "0x0b",
    inputs: [{ token: TOKEN_B, vaultId: w(1) }],
    outputs: [{ token: TOKEN_A, vaultId: w(2) }],
  });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [alice, bob] },
    deposit(ALICE, TOKEN_B, w(2), aliceVaultB),
    deposit(BOB, TOKEN_A, w(2), bobVaultA),
  ]);
  const parameters: ClearParameters = { clearer: CLEARER, alice, bob, clearConfig: config };
  return { engine, host, alice, bob, parameters, contexts };
}

Deno.test("clear: amounts, capping by the other side and bounties (hand-derived)", async (t) => {
  const { engine, alice, bob, parameters, contexts, host } = setup("2", "0.4");
  const before = JSON.stringify(snapshot(engine));
  const r = await clear(engine, parameters);
  // alice: outputMax 10 (vault 10), input 10 × 2 = 20 ≤ bob's 30 → input 20, output 10.
  // bob: outputMax 30, input 30 × 0.4 = 12 > alice's 10 → input 10, output 10 / 0.4 = 25.
  // bounties: alice 10 − 10 = 0 (B), bob 25 − 20 = 5 (A).
  await t.step("clear state change", () => {
    const c = r.clearStateChange!;
    assert.ok(eq(c.aliceInput, f("20")) && eq(c.aliceOutput, f("10")));
    assert.ok(eq(c.bobInput, f("10")) && eq(c.bobOutput, f("25")));
    assert.ok(eq(r.aliceBounty!, f("0")) && eq(r.bobBounty!, f("5")));
  });
  await t.step("events", () => {
    assert.deepEqual(r.events.filter((e) => e.type !== "Set").map((e) => e.type), [
      "ClearV3",
      "ContextV2",
      "ContextV2",
      "AfterClearV2",
    ]);
  });
  await t.step("counterparties are the other owners; column 0 is the clearer", () => {
    const [aliceCalc] = contexts.alice;
    const [bobCalc] = contexts.bob;
    assert.deepEqual(aliceCalc[0], [aw(CLEARER), aw(ORDERBOOK)]);
    assert.deepEqual(aliceCalc[1], [hashOf(alice), aw(ALICE), aw(BOB)]);
    assert.deepEqual(bobCalc[1], [hashOf(bob), aw(BOB), aw(ALICE)]);
    assert.deepEqual(aliceCalc[2], []);
  });
  await t.step("handle-io alice then bob, with diffs", () => {
    const order = host.calls.map((c) => `${c.request.bytecode}:${c.request.sourceIndex}`);
    assert.deepEqual(order, ["0x0a:0", "0x0b:0", "0x0a:1", "0x0b:1"]);
    const aliceHandle = contexts.alice[1];
    assert.ok(eq(aliceHandle[3][4], f("20")) && eq(aliceHandle[4][4], f("10")));
    const bobHandle = contexts.bob[1];
    assert.ok(eq(bobHandle[2][0], f("30")) && eq(bobHandle[2][1], f("0.4")));
    assert.ok(eq(bobHandle[3][4], f("10")) && eq(bobHandle[4][4], f("25")));
  });
  await t.step("vault changes incl. zero bounty to the clearer", () => {
    assert.deepEqual(r.vaultChanges.map((v) => [v.owner, v.token, v.vaultId, v.op]), [
      [ALICE, TOKEN_A, w(1), "increase"],
      [ALICE, TOKEN_B, w(2), "decrease"],
      [BOB, TOKEN_B, w(1), "increase"],
      [BOB, TOKEN_A, w(2), "decrease"],
      [CLEARER, TOKEN_B, w(7), "increase"],
      [CLEARER, TOKEN_A, w(8), "increase"],
    ]);
    assert.equal(JSON.stringify(snapshot(engine)), before, "clear is read-only");
  });
  await t.step("clearAndApplyState commits", async () => {
    await clearAndApplyState(engine, parameters);
    const bal = (owner: typeof ALICE, token: typeof TOKEN_A, vaultId: Hex) =>
      getVaultBalance(engine, { owner, token, vaultId });
    assert.ok(eq(bal(ALICE, TOKEN_A, w(1)), f("20")));
    assert.ok(eq(bal(ALICE, TOKEN_B, w(2)), f("0")));
    assert.ok(eq(bal(BOB, TOKEN_B, w(1)), f("10")));
    assert.ok(eq(bal(BOB, TOKEN_A, w(2)), f("5")));
    assert.ok(eq(bal(CLEARER, TOKEN_A, w(8)), f("5")));
  });
});

Deno.test("clear: typed errors and dead orders", async (t) => {
  await t.step("NegativeBounty (bob asks more than alice gives)", async () => {
    // bob: 30 × 0.6 = 18 > 10 → input 10, output 10 / 0.6 ≈ 16.67 < alice's input 20.
    const { engine, parameters } = setup("2", "0.6");
    const before = JSON.stringify(snapshot(engine));
    await rejectsWith(() => clearAndApplyState(engine, parameters), "NegativeBountyError");
    assert.equal(JSON.stringify(snapshot(engine)), before);
  });
  await t.step("ClearZeroAmount is checked after both handle-ios", async () => {
    const { engine, parameters, host } = setup("2", "0.4", "0", "0");
    await rejectsWith(() => clear(engine, parameters), "ClearZeroAmountError");
    assert.equal(host.calls.filter((c) => c.request.sourceIndex === 1).length, 2);
  });
  await t.step("SameOwner", async () => {
    const { engine, parameters, alice } = setup("2", "0.4");
    await rejectsWith(
      () => clear(engine, { ...parameters, bob: { ...alice, nonce: w(9) } }),
      "SameOwnerError",
    );
  });
  await t.step("TokenMismatch", async () => {
    const { engine, parameters, bob } = setup("2", "0.4");
    const bobC = { ...bob, validInputs: [{ token: TOKEN_C, vaultId: w(1) }] };
    await rejectsWith(() => clear(engine, { ...parameters, bob: bobC }), "TokenMismatchError");
  });
  await t.step("TokenSelfTrade (alice's pair)", async () => {
    const { engine, parameters, alice, bob } = setup("2", "0.4");
    const aliceSelf = { ...alice, validInputs: [{ token: TOKEN_B, vaultId: w(1) }] };
    const bobSelf = { ...bob, validOutputs: [{ token: TOKEN_B, vaultId: w(2) }] };
    await rejectsWith(
      () => clear(engine, { ...parameters, alice: aliceSelf, bob: bobSelf }),
      "TokenSelfTradeError",
    );
  });
  await t.step("dead alice: OrderNotFound for alice only, nothing evaluated", async () => {
    const { engine, parameters, alice, host } = setup("2", "0.4");
    const deadAlice = { ...alice, nonce: w(5) };
    const r = await clear(engine, {
      ...parameters,
      alice: deadAlice,
      bob: { ...parameters.bob, nonce: w(6) },
    });
    assert.equal(r.cleared, false);
    assert.deepEqual(r.events.map((e) => e.type), ["OrderNotFound"]);
    assert.equal((r.events[0] as { orderHash: Hex }).orderHash, hashOf(deadAlice));
    assert.equal(host.calls.length, 0);
  });
  await t.step("dead bob", async () => {
    const { engine, parameters, bob } = setup("2", "0.4");
    const deadBob = { ...bob, nonce: w(6) };
    const r = await clear(engine, { ...parameters, bob: deadBob });
    assert.deepEqual(r.events.map((e) => [e.type, (e as { owner?: string }).owner]), [[
      "OrderNotFound",
      BOB,
    ]]);
  });
});

Deno.test("clear: a zero ratio that must be divided by reverts (Float division by zero)", async () => {
  // bob's max output is negative (-1): alice's input 10 × 0 = 0 > -1, so alice's output = -1 / 0.
  const host = createScriptedHost({
    "0x0a": [() => ({ stack: [f("0"), f("10")] }), () => ({ stack: [] })],
    "0x0b": [() => ({ stack: [f("1"), f("-1")] }), () => ({ stack: [] })],
  });
  const alice = makeOrder({ owner: ALICE, bytecode: "0x0a" });
  const bob = makeOrder({
    owner: BOB,
    bytecode: "0x0b",
    inputs: [{ token: TOKEN_B, vaultId: w(1) }],
    outputs: [{ token: TOKEN_A, vaultId: w(2) }],
  });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [alice, bob] },
    deposit(ALICE, TOKEN_B, w(2), "10"),
    deposit(BOB, TOKEN_A, w(2), "10"),
  ]);
  await rejectsWith(
    () => clear(engine, { clearer: CLEARER, alice, bob, clearConfig: config }),
    "FloatError",
  );
});
