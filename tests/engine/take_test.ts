import assert from "node:assert/strict";
import type { Hex } from "viem";
import { eq, packFloat } from "../../src/float/mod.ts";
import {
  applyMutations,
  fromSnapshot,
  getStoreValue,
  getVaultBalance,
  type RaindexEvent,
  snapshot,
  takeOrders,
  takeOrdersAndApplyState,
  type TakeOrdersParameters,
} from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedSource } from "./_scripted_host.ts";
import {
  ALICE,
  aw,
  BOB,
  deposit,
  f,
  fqn,
  hashOf,
  makeEngine,
  makeOrder,
  ORDERBOOK,
  rejectsWith,
  STORE,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  TOKEN_C,
  w,
} from "./_fixtures.ts";

const noop: ScriptedSource = () => ({ stack: [] });
const fixed = (ratio: string, max: string): ScriptedSource => () => ({ stack: [f(ratio), f(max)] });

function params(
  orders: TakeOrdersParameters["orders"],
  limits: Partial<TakeOrdersParameters> = {},
) {
  return {
    taker: TAKER,
    minimumInput: f("0"),
    maximumInput: f("1000"),
    maximumIORatio: f("1000"),
    orders,
    ...limits,
  } satisfies TakeOrdersParameters;
}

function types(events: readonly RaindexEvent[]): string[] {
  return events.map((e) => e.type);
}

Deno.test("takeOrders: partial fills over two orders (hand-derived)", async (t) => {
  const host = createScriptedHost({
    "0x01": [fixed("2", "10"), () => ({ stack: [], writes: [w(11), f("1")] })],
    "0x02": [fixed("3", "5"), noop],
  });
  const o1 = makeOrder({ bytecode: "0x01" });
  const o2 = makeOrder({ owner: BOB, bytecode: "0x02" });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1, o2] },
    deposit(ALICE, TOKEN_B, w(2), "6"),
    deposit(BOB, TOKEN_B, w(2), "100"),
  ]);
  const before = JSON.stringify(snapshot(engine));
  const config = params([
    { order: o1, inputIOIndex: 0n, outputIOIndex: 0n },
    { order: o2, inputIOIndex: 0n, outputIOIndex: 0n },
  ], { maximumInput: f("8"), maximumIORatio: f("3"), minimumInput: f("7") });
  const r = await takeOrders(engine, config);

  await t.step("totals", () => {
    // o1: outputMax = min(10, vault 6) = 6; takerInput = min(6, 8) = 6; takerOutput = 2 × 6 = 12.
    // o2: outputMax = min(5, 100) = 5; takerInput = min(5, remaining 2) = 2; takerOutput = 3 × 2 = 6.
    assert.ok(eq(r.totalTakerInput, f("8")));
    assert.ok(eq(r.totalTakerOutput, f("18")));
    assert.equal(r.taken.length, 2);
    assert.ok(eq(r.taken[0].takerInput, f("6")));
    assert.ok(eq(r.taken[0].takerOutput, f("12")));
    assert.ok(eq(r.taken[1].takerInput, f("2")));
    assert.ok(eq(r.taken[1].takerOutput, f("6")));
  });
  await t.step("event order mirrors the chain", () => {
    assert.deepEqual(types(r.events), [
      "ContextV2",
      "TakeOrderV3",
      "ContextV2",
      "TakeOrderV3",
      "Set",
    ]);
    const take = r.events[1] as Extract<RaindexEvent, { type: "TakeOrderV3" }>;
    assert.equal(take.sender, TAKER);
    assert.equal(take.config.order, o1);
    const set = r.events[4] as Extract<RaindexEvent, { type: "Set" }>;
    assert.equal(set.namespace, BigInt(fqn(ALICE)));
    assert.equal(set.key, w(11));
  });
  await t.step("handle-io context (ContextV2)", () => {
    const ctx = r.taken[0].handleIOContext;
    assert.deepEqual(ctx[0], [aw(TAKER), aw(ORDERBOOK)]);
    assert.deepEqual(ctx[1], [hashOf(o1), aw(ALICE), aw(TAKER)]);
    assert.ok(eq(ctx[2][0], f("6")) && eq(ctx[2][1], f("2")) && ctx[2].length === 2);
    assert.deepEqual(ctx.slice(3).map((c) => c.slice(0, 4)), [
      [aw(TOKEN_A), w(18), w(1), w(0)],
      [aw(TOKEN_B), w(6), w(2), f("6")],
    ]);
    assert.ok(eq(ctx[3][4], f("12")), "input diff = taker output");
    assert.ok(eq(ctx[4][4], f("6")), "output diff = taker input");
    const logged = r.events[0] as Extract<RaindexEvent, { type: "ContextV2" }>;
    assert.deepEqual(logged.context, ctx);
    assert.deepEqual(r.taken[0].calculateContext[2], [], "calculate-io saw an empty column 2");
  });
  await t.step("vault changes: input += then output -=", () => {
    assert.deepEqual(
      r.vaultChanges.map((c) => [c.owner, c.token, c.op]),
      [[ALICE, TOKEN_A, "increase"], [ALICE, TOKEN_B, "decrease"], [BOB, TOKEN_A, "increase"], [
        BOB,
        TOKEN_B,
        "decrease",
      ]],
    );
    assert.ok(eq(r.vaultChanges[1].after, f("0")));
    assert.ok(eq(r.vaultChanges[3].after, f("98")));
  });
  await t.step("transfers: push B truncated to 6 decimals, pull A to 18", () => {
    assert.deepEqual(r.transfers.map((x) => [x.direction, x.token, x.amount]), [
      ["push", TOKEN_B, 8_000_000n],
      ["pull", TOKEN_A, 18n * 10n ** 18n],
    ]);
  });
  await t.step("read-only: state unchanged", () => {
    assert.equal(JSON.stringify(snapshot(engine)), before);
  });
  await t.step("apply: same result committed; mutations reproduce it", async () => {
    const copy = fromSnapshot(snapshot(engine), { host });
    const applied = await takeOrdersAndApplyState(engine, config);
    assert.ok(eq(applied.totalTakerOutput, f("18")));
    assert.ok(
      eq(getVaultBalance(engine, { owner: ALICE, token: TOKEN_A, vaultId: w(1) }), f("12")),
    );
    assert.ok(eq(getVaultBalance(engine, { owner: BOB, token: TOKEN_B, vaultId: w(2) }), f("98")));
    assert.equal(getStoreValue(engine, { store: STORE, owner: ALICE, key: w(11) }), f("1"));
    applyMutations(copy, applied.mutations);
    assert.equal(JSON.stringify(snapshot(copy)), JSON.stringify(snapshot(engine)));
  });
});

Deno.test("takeOrders: skips (dead, max ratio, zero amount) and their events", async () => {
  const host = createScriptedHost({
    "0x01": [fixed("2.5", "10"), noop],
    "0x02": [fixed("2", "10"), noop],
    "0x03": [fixed("1", "10"), noop],
    "0x04": [fixed("2", "4"), noop],
  });
  const tooExpensive = makeOrder({ bytecode: "0x01" });
  const dead = makeOrder({ bytecode: "0x02", nonce: 1 });
  const empty = makeOrder({ owner: BOB, bytecode: "0x03" });
  const good = makeOrder({ bytecode: "0x04", nonce: 2 });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [tooExpensive, dead, empty, good] },
    { type: "removeOrders", orderHashes: [hashOf(dead)] },
    deposit(ALICE, TOKEN_B, w(2), "50"),
  ]);
  const r = await takeOrders(
    engine,
    params(
      [tooExpensive, dead, empty, good].map((order) => ({
        order,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
      })),
      {
        maximumIORatio: f("2"),
      },
    ),
  );
  assert.deepEqual(types(r.events), [
    "OrderExceedsMaxRatio",
    "OrderNotFound",
    "OrderZeroAmount",
    "ContextV2",
    "TakeOrderV3",
  ]);
  assert.deepEqual(r.events.slice(0, 3).map((e) => "orderHash" in e ? e.orderHash : ""), [
    hashOf(tooExpensive),
    hashOf(dead),
    hashOf(empty),
  ]);
  // ratio equal to the maximum is not a skip: good takes min(4, 1000) = 4 at 2 → 8.
  assert.equal(r.taken.length, 1);
  assert.equal(r.taken[0].index, 3);
  assert.ok(eq(r.totalTakerInput, f("4")));
  assert.ok(eq(r.totalTakerOutput, f("8")));
  // The dead order was never evaluated.
  assert.equal(host.calls.filter((c) => c.request.bytecode === "0x02").length, 0);
});

Deno.test("takeOrders: later calculations see vault changes but not store writes", async () => {
  const reads: { phase: string; value: Hex; balance?: Hex }[] = [];
  let n = 0;
  const program: ScriptedSource[] = [
    (call) => {
      n++;
      reads.push({ phase: `calc${n}`, value: call.get(w(1)), balance: call.context[4][3] });
      return { stack: [f("1"), f("5")], writes: [w(1), f(String(n))] };
    },
    (call) => {
      reads.push({ phase: "handle", value: call.get(w(1)) });
      return { stack: [], writes: [w(2), call.get(w(1))] };
    },
  ];
  const host = createScriptedHost({ "0x01": program });
  // Same owner, same store and vaults: one namespace shared by both orders.
  const o1 = makeOrder({ bytecode: "0x01", nonce: 1 });
  const o2 = makeOrder({ bytecode: "0x01", nonce: 2 });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1, o2] },
    deposit(ALICE, TOKEN_B, w(2), "8"),
  ]);
  const r = await takeOrdersAndApplyState(
    engine,
    params([{ order: o1, inputIOIndex: 0n, outputIOIndex: 0n }, {
      order: o2,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
    }]),
  );
  assert.deepEqual(reads.map((x) => x.phase), ["calc1", "calc2", "handle", "handle"]);
  assert.equal(reads[0].value, w(0));
  assert.equal(reads[1].value, w(0), "o2's calculation does not see o1's calculate-io write");
  assert.ok(eq(reads[0].balance!, f("8")));
  assert.ok(eq(reads[1].balance!, f("3")), "o2 sees o1's vault decrease (8 - 5)");
  assert.equal(reads[2].value, f("1"), "o1 handle-io sees its own calculate writes");
  assert.equal(reads[3].value, f("2"), "o2's calculate writes land after o1's handle-io");
  // o2: outputMax = min(5, 3) = 3.
  assert.ok(eq(r.taken[1].takerInput, f("3")));
  assert.deepEqual(r.storeWrites.map((s) => [s.key, s.value]), [
    [w(1), f("1")],
    [w(2), f("1")],
    [w(1), f("2")],
    [w(2), f("2")],
  ]);
  assert.equal(getStoreValue(engine, { store: STORE, owner: ALICE, key: w(2) }), f("2"));
});

Deno.test("takeOrders: typed errors leave state unchanged", async (t) => {
  const host = createScriptedHost({
    "0x01": [fixed("1", "5"), noop],
    "0x02": [fixed("1", "5")],
    "0x03": [() => ({ stack: [f("1")] })],
  });
  const o1 = makeOrder({ bytecode: "0x01" });
  const noHandle = makeOrder({ owner: BOB, bytecode: "0x02" });
  const broken = makeOrder({ owner: BOB, bytecode: "0x03", nonce: 3 });
  const otherInput = makeOrder({
    owner: BOB,
    bytecode: "0x01",
    inputs: [{ token: TOKEN_C, vaultId: w(1) }],
  });
  const selfTrade = makeOrder({
    owner: BOB,
    bytecode: "0x01",
    inputs: [{ token: TOKEN_B, vaultId: w(1) }],
    outputs: [{ token: TOKEN_B, vaultId: w(2) }],
  });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1, noHandle, broken, otherInput] },
    deposit(ALICE, TOKEN_B, w(2), "10"),
    deposit(BOB, TOKEN_B, w(2), "10"),
  ]);
  const before = JSON.stringify(snapshot(engine));
  const take = (p: TakeOrdersParameters) => takeOrdersAndApplyState(engine, p);
  const one = (order = o1) => ({ order, inputIOIndex: 0n, outputIOIndex: 0n });

  await t.step("NoOrders", async () => {
    await rejectsWith(() => take(params([])), "NoOrdersError");
  });
  await t.step("ZeroMaximumInput (0 and negative)", async () => {
    await rejectsWith(
      () => take(params([one()], { maximumInput: f("0") })),
      "ZeroMaximumInputError",
    );
    await rejectsWith(
      () => take(params([one()], { maximumInput: f("-1") })),
      "ZeroMaximumInputError",
    );
  });
  await t.step("MinimumInput", async () => {
    const e = await rejectsWith(
      () => take(params([one()], { minimumInput: f("5.5") })),
      "MinimumInputError",
    );
    assert.ok(eq(e.details.input as Hex, f("5")));
  });
  await t.step("TokenMismatch (input token differs from the first order's)", async () => {
    const e = await rejectsWith(() => take(params([one(), one(otherInput)])), "TokenMismatchError");
    assert.equal(e.details.orderIndex, 1);
  });
  await t.step("TokenMismatch wins over a bad output index (|| short-circuits)", async () => {
    await rejectsWith(
      () => take(params([one(), { order: otherInput, inputIOIndex: 0n, outputIOIndex: 7n }])),
      "TokenMismatchError",
    );
  });
  await t.step("IO index panic", async () => {
    await rejectsWith(
      () => take(params([one(), { order: o1, inputIOIndex: 0n, outputIOIndex: 1n }])),
      "IOIndexOutOfRangeError",
    );
  });
  await t.step("TokenSelfTrade", async () => {
    await rejectsWith(() => take(params([one(selfTrade)])), "TokenSelfTradeError");
  });
  await t.step("calculate-io failure fails the take (not a skip)", async () => {
    await rejectsWith(() => take(params([one(), one(broken)])), "UnsupportedCalculateOutputsError");
  });
  await t.step("missing handle-io source reverts after the loop", async () => {
    await rejectsWith(() => take(params([one(), one(noHandle)])), "ScriptedSourceMissingError");
  });
  await t.step("state unchanged after every failure", () => {
    assert.equal(JSON.stringify(snapshot(engine)), before);
  });
  await t.step("orders after the budget runs out are never checked", async () => {
    const r = await take(params([one(), one(otherInput)], { maximumInput: f("5") }));
    assert.equal(r.taken.length, 1);
    assert.ok(eq(r.totalTakerInput, f("5")));
  });
});

Deno.test("takeOrders: all skipped with minimum 0 succeeds and moves nothing", async () => {
  const host = createScriptedHost({ "0x01": [fixed("1", "5"), noop] });
  const o1 = makeOrder({ bytecode: "0x01" });
  const engine = makeEngine(host, [{ type: "setOrders", orders: [o1] }]);
  const r = await takeOrders(engine, params([{ order: o1, inputIOIndex: 0n, outputIOIndex: 0n }]));
  assert.deepEqual(types(r.events), ["OrderZeroAmount"]);
  assert.equal(r.totalTakerInput, w(0));
  assert.equal(r.totalTakerOutput, w(0));
  assert.deepEqual(r.transfers, []);
});

Deno.test("takeOrders: pull rounds up, push truncates to token decimals", async () => {
  // The order sells A (18 decimals) for C (0 decimals) at 0.25 C per A.
  const host = createScriptedHost({ "0x01": [fixed("0.25", "10"), noop] });
  const o1 = makeOrder({
    bytecode: "0x01",
    inputs: [{ token: TOKEN_C, vaultId: w(1) }],
    outputs: [{ token: TOKEN_A, vaultId: w(2) }],
  });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1] },
    deposit(ALICE, TOKEN_A, w(2), "10"),
  ]);
  const r = await takeOrders(
    engine,
    params([{ order: o1, inputIOIndex: 0n, outputIOIndex: 0n }], { maximumInput: f("9") }),
  );
  // takerInput = min(10, 9) = 9 A; takerOutput = 0.25 × 9 = 2.25 C → pull 3 units of C.
  assert.deepEqual(r.transfers.map((x) => [x.direction, x.token, x.amount]), [
    ["push", TOKEN_A, 9n * 10n ** 18n],
    ["pull", TOKEN_C, 3n],
  ]);
});

Deno.test("takeOrders: takerInput = outputMax.min(remaining) keeps remaining's bits on a tie", async () => {
  // outputMax 5 as (5, 0); maximum input 5 as (50, -1): equal values, different bits.
  const host = createScriptedHost({ "0x01": [fixed("1", "5"), noop] });
  const o1 = makeOrder({ bytecode: "0x01" });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1] },
    deposit(ALICE, TOKEN_B, w(2), "100"),
  ]);
  const remaining = packFloat(50n, -1);
  const r = await takeOrders(
    engine,
    params([{ order: o1, inputIOIndex: 0n, outputIOIndex: 0n }], { maximumInput: remaining }),
  );
  assert.equal(r.taken[0].outputMax, f("5"));
  assert.equal(r.taken[0].takerInput, remaining);
});

Deno.test("takeOrders: a negative ratio reverts in recordVaultIO; odd writes revert at store.set", async (t) => {
  const host = createScriptedHost({
    "0x01": [fixed("-1", "5"), noop],
    "0x02": [() => ({ stack: [f("1"), f("5")], writes: [w(1), w(2), w(3)] }), noop],
  });
  const negative = makeOrder({ bytecode: "0x01" });
  const odd = makeOrder({ bytecode: "0x02", nonce: 1 });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [negative, odd] },
    deposit(ALICE, TOKEN_B, w(2), "10"),
  ]);
  const before = JSON.stringify(snapshot(engine));
  await t.step("NegativeVaultBalanceChange (input = -1 × 5)", async () => {
    const e = await rejectsWith(
      () =>
        takeOrdersAndApplyState(
          engine,
          params([{ order: negative, inputIOIndex: 0n, outputIOIndex: 0n }]),
        ),
      "NegativeVaultBalanceChangeError",
    );
    assert.ok(eq(e.details.amount as Hex, f("-5")));
  });
  await t.step("OddSetLength from calculate-io writes at handle-io", async () => {
    await rejectsWith(
      () =>
        takeOrdersAndApplyState(
          engine,
          params([{ order: odd, inputIOIndex: 0n, outputIOIndex: 0n }]),
        ),
      "OddSetLengthError",
    );
  });
  await t.step("state unchanged", () => assert.equal(JSON.stringify(snapshot(engine)), before));
});
