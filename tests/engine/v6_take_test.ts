import assert from "node:assert/strict";
import { eq, floatOps } from "../../src/float/mod.ts";
import {
  getVaultBalance,
  quote,
  simulateAddOrder,
  simulateDeposit,
  simulateWithdraw,
  snapshot,
  takeOrders,
  takeOrders4,
  takeOrders4AndApplyState,
  type TakeOrders4Parameters,
} from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedSource } from "./_scripted_host.ts";
import {
  ALICE,
  BOB,
  deposit,
  f,
  makeEngine,
  makeOrder,
  rejectsWith,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_fixtures.ts";
import { makeV6Engine } from "./_v6.ts";

const noop: ScriptedSource = () => ({ stack: [] });
const fixed = (ratio: string, max: string): ScriptedSource => () => ({ stack: [f(ratio), f(max)] });

function params(
  orders: TakeOrders4Parameters["orders"],
  limits: Partial<TakeOrders4Parameters> = {},
): TakeOrders4Parameters {
  return {
    taker: TAKER,
    minimumIO: f("0"),
    maximumIO: f("1000"),
    maximumIORatio: f("1000"),
    IOIsInput: true,
    orders,
    ...limits,
  };
}

function twoOrders() {
  const host = createScriptedHost({
    "0x01": [fixed("2", "10"), noop],
    "0x02": [fixed("3", "5"), noop],
  });
  const o1 = makeOrder({ bytecode: "0x01" });
  const o2 = makeOrder({ owner: BOB, bytecode: "0x02" });
  const engine = makeV6Engine(host, [
    { type: "setOrders", orders: [o1, o2] },
    deposit(ALICE, TOKEN_B, w(2), "6"),
    deposit(BOB, TOKEN_B, w(2), "100"),
  ]);
  const orders = [
    { order: o1, inputIOIndex: 0n, outputIOIndex: 0n },
    { order: o2, inputIOIndex: 0n, outputIOIndex: 0n },
  ];
  return { engine, orders, o1, o2 };
}

Deno.test("takeOrders4: IOIsInput true limits taker input (hand-derived)", async (t) => {
  const { engine, orders } = twoOrders();
  await t.step("totals and per-order amounts", async () => {
    // o1: outputMax = min(10, vault 6) = 6; takerInput = min(6, 8) = 6; takerOutput = 2 × 6 = 12.
    // o2: outputMax = min(5, 100) = 5; takerInput = min(5, 2) = 2; takerOutput = 3 × 2 = 6.
    const r = await takeOrders4(engine, params(orders, { maximumIO: f("8") }));
    assert.ok(eq(r.totalTakerInput, f("8")));
    assert.ok(eq(r.totalTakerOutput, f("18")));
    assert.deepEqual(r.taken.map((o) => [o.index]), [[0], [1]]);
    assert.ok(eq(r.taken[1].takerInput, f("2")));
    assert.ok(eq(r.taken[1].takerOutput, f("6")));
  });
  await t.step("MinimumIO is checked on the total taker input", async () => {
    const err = await rejectsWith(
      () => takeOrders4(engine, params(orders, { maximumIO: f("8"), minimumIO: f("9") })),
      "MinimumIOError",
    );
    assert.ok(eq(err.details.actualIO as never, f("8")));
    assert.ok(eq(err.details.minimumIO as never, f("9")));
    assert.equal(err.details.IOIsInput, true);
  });
});

Deno.test("takeOrders4: IOIsInput false limits taker output (hand-derived)", async (t) => {
  const { engine, orders } = twoOrders();
  const before = JSON.stringify(snapshot(engine));
  // o1: outputMax 6, ratio 2 → orderMaxInput = 12; takerOutput = min(12, 15) = 12;
  //     takerInput = 12 / 2 = 6; remaining = 3.
  // o2: outputMax 5, ratio 3 → orderMaxInput = 15; takerOutput = min(15, 3) = 3;
  //     takerInput = 3 / 3 = 1; remaining = 0.
  const r = await takeOrders4(engine, params(orders, { maximumIO: f("15"), IOIsInput: false }));
  await t.step("totals", () => {
    assert.ok(eq(r.totalTakerInput, f("7")));
    assert.ok(eq(r.totalTakerOutput, f("15")));
    assert.ok(eq(r.taken[0].takerOutput, f("12")));
    assert.ok(eq(r.taken[0].takerInput, f("6")));
    assert.ok(eq(r.taken[1].takerOutput, f("3")));
    assert.ok(eq(r.taken[1].takerInput, f("1")));
  });
  await t.step("recordVaultIO(input = takerOutput, output = takerInput)", () => {
    const ctx = r.taken[0].handleIOContext;
    assert.ok(eq(ctx[3][4] as never, f("12")));
    assert.ok(eq(ctx[4][4] as never, f("6")));
    const changes = r.vaultChanges.map((c) => [c.owner, c.token, c.op]);
    assert.deepEqual(changes, [
      [ALICE, TOKEN_A, "increase"],
      [ALICE, TOKEN_B, "decrease"],
      [BOB, TOKEN_A, "increase"],
      [BOB, TOKEN_B, "decrease"],
    ]);
    assert.ok(eq(r.vaultChanges[3].after, f("99")));
  });
  await t.step("the taker is pushed 7 B and pulled 15 A", () => {
    assert.deepEqual(r.transfers.map((x) => [x.direction, x.token, x.amount]), [
      ["push", TOKEN_B, 7_000000n],
      ["pull", TOKEN_A, 15n * 10n ** 18n],
    ]);
  });
  await t.step("read-only", () => assert.equal(JSON.stringify(snapshot(engine)), before));
  await t.step("MinimumIO on the total taker output", async () => {
    const err = await rejectsWith(
      () =>
        takeOrders4(
          engine,
          params(orders, { maximumIO: f("15"), minimumIO: f("16"), IOIsInput: false }),
        ),
      "MinimumIOError",
    );
    assert.ok(eq(err.details.actualIO as never, f("15")));
    assert.equal(err.details.IOIsInput, false);
  });
  await t.step("the division truncates (favours the order)", async () => {
    // o1 alone: takerOutput = min(12, 1) = 1; takerInput = 1 / 2 = 0.5 exactly; with ratio 3
    // (o2 alone) takerInput = 1 / 3, truncated: 3 × it < 1.
    const third = await takeOrders4(
      engine,
      params([orders[1]], { maximumIO: f("1"), IOIsInput: false }),
    );
    const ops = floatOps("1cf3969");
    assert.ok(eq(third.totalTakerOutput, f("1")));
    assert.ok(ops.lt(ops.mul(f("3"), third.totalTakerInput), f("1")));
    assert.ok(ops.gt(third.totalTakerInput, f("0.333333333333333333333333333333333333")));
  });
  await t.step("commit applies the same vault changes", async () => {
    const copy = makeV6Engine(
      createScriptedHost({
        "0x01": [fixed("2", "10"), noop],
        "0x02": [fixed("3", "5"), noop],
      }),
      [
        { type: "setOrders", orders: orders.map((o) => o.order) },
        deposit(ALICE, TOKEN_B, w(2), "6"),
        deposit(BOB, TOKEN_B, w(2), "100"),
      ],
    );
    await takeOrders4AndApplyState(copy, params(orders, { maximumIO: f("15"), IOIsInput: false }));
    assert.ok(eq(getVaultBalance(copy, { owner: ALICE, token: TOKEN_A, vaultId: w(1) }), f("12")));
    assert.ok(eq(getVaultBalance(copy, { owner: ALICE, token: TOKEN_B, vaultId: w(2) }), f("0")));
    assert.ok(eq(getVaultBalance(copy, { owner: BOB, token: TOKEN_A, vaultId: w(1) }), f("3")));
    assert.ok(eq(getVaultBalance(copy, { owner: BOB, token: TOKEN_B, vaultId: w(2) }), f("99")));
  });
});

Deno.test("takeOrders4: typed errors", async (t) => {
  await t.step("ZeroMaximumIO", async () => {
    const { engine, orders } = twoOrders();
    const err = await rejectsWith(
      () => takeOrders4(engine, params(orders, { maximumIO: f("0") })),
      "ZeroMaximumIOError",
    );
    assert.ok(eq(err.details.maximumIO as never, f("0")));
    await rejectsWith(
      () => takeOrders4(engine, params(orders, { maximumIO: f("-1"), IOIsInput: false })),
      "ZeroMaximumIOError",
    );
  });
  await t.step("NoOrders", async () => {
    const { engine } = twoOrders();
    await rejectsWith(() => takeOrders4(engine, params([])), "NoOrdersError");
  });
  await t.step("ratio 0 with IOIsInput false reverts the whole take: DivisionByZero", async () => {
    const host = createScriptedHost({ "0x03": [fixed("0", "5"), noop] });
    const order = makeOrder({ bytecode: "0x03" });
    const engine = makeV6Engine(host, [
      { type: "setOrders", orders: [order] },
      deposit(ALICE, TOKEN_B, w(2), "6"),
    ]);
    const cfg = [{ order, inputIOIndex: 0n, outputIOIndex: 0n }];
    const err = await rejectsWith(
      () => takeOrders4(engine, params(cfg, { IOIsInput: false })),
      "FloatError",
    );
    assert.equal(err.details.rainError, "DivisionByZero");
    // With IOIsInput the same order is a free take: takerInput 5, takerOutput 0 × 5 = 0.
    const free = await takeOrders4(engine, params(cfg));
    assert.ok(eq(free.totalTakerInput, f("5")));
    assert.ok(eq(free.totalTakerOutput, f("0")));
  });
  await t.step("version mismatch both ways", async () => {
    const { engine, orders } = twoOrders();
    const err = await rejectsWith(
      () =>
        takeOrders(engine, {
          taker: TAKER,
          minimumInput: f("0"),
          maximumInput: f("1"),
          maximumIORatio: f("1"),
          orders,
        }),
      "OrderbookVersionMismatchError",
    );
    assert.equal(err.details.expected, "v5");
    assert.equal(err.details.actual, "v6");
    const v5 = makeEngine(createScriptedHost({}));
    await rejectsWith(() => takeOrders4(v5, params(orders)), "OrderbookVersionMismatchError");
  });
});

Deno.test("addOrder4 / deposit4 / withdraw4 rules on a v6 engine", async (t) => {
  const cfg = {
    evaluable: makeOrder({ bytecode: "0x05" }).evaluable,
    validInputs: [{ token: TOKEN_A, vaultId: w(1) }],
    validOutputs: [{ token: TOKEN_B, vaultId: w(2) }],
    nonce: w(0),
    secret: w(0),
    meta: "0x" as const,
  };
  await t.step(
    "an order without handle-io is added and quotes; its takes fail in the interpreter",
    async () => {
      // Program 0x05 has only a calculate-io source.
      const host = createScriptedHost({ "0x05": [fixed("2", "3")] });
      const engine = makeV6Engine(host, [deposit(ALICE, TOKEN_B, w(2), "10")]);
      const added = await simulateAddOrder(engine, { sender: ALICE, config: cfg }, { apply: true });
      assert.equal(added.stateChanged, true);
      const order = makeOrder({ bytecode: "0x05" });
      const q = await quote(engine, {
        order,
        inputIOIndex: 0,
        outputIOIndex: 0,
        counterparty: TAKER,
      });
      assert.equal(q.exists, true);
      assert.ok(eq(q.maxOutput, f("3")));
      const before = JSON.stringify(snapshot(engine));
      const err = await rejectsWith(
        () => takeOrders4(engine, params([{ order, inputIOIndex: 0n, outputIOIndex: 0n }])),
        "ScriptedSourceMissingError",
      );
      assert.match(err.message, /SourceIndexOutOfBounds/);
      assert.equal(JSON.stringify(snapshot(engine)), before);
    },
  );
  await t.step("no inputs / no outputs", async () => {
    const engine = makeV6Engine(createScriptedHost({}));
    const e1 = await rejectsWith(
      () => simulateAddOrder(engine, { sender: ALICE, config: { ...cfg, validInputs: [] } }),
      "OrderNoIOError",
    );
    assert.equal(e1.details.side, "input");
    const e2 = await rejectsWith(
      () => simulateAddOrder(engine, { sender: ALICE, config: { ...cfg, validOutputs: [] } }),
      "OrderNoIOError",
    );
    assert.equal(e2.details.side, "output");
  });
  await t.step("deposit4/withdraw4 reject vault id 0 before the zero-amount check", async () => {
    const engine = makeV6Engine(createScriptedHost({}));
    for (const amount of [f("0"), f("1")]) {
      const d = await rejectsWith(
        () => simulateDeposit(engine, { sender: ALICE, token: TOKEN_B, vaultId: w(0), amount }),
        "ZeroVaultIdError",
      );
      assert.deepEqual(d.details, { sender: ALICE, token: TOKEN_B });
      await rejectsWith(
        () =>
          simulateWithdraw(engine, {
            sender: ALICE,
            token: TOKEN_B,
            vaultId: w(0),
            targetAmount: amount,
          }),
        "ZeroVaultIdError",
      );
    }
    await rejectsWith(
      () =>
        simulateDeposit(engine, { sender: ALICE, token: TOKEN_B, vaultId: w(1), amount: f("0") }),
      "ZeroDepositAmountError",
    );
    // On a v5 engine vault 0 is an ordinary vault.
    const v5 = makeEngine(createScriptedHost({}));
    const r = await simulateDeposit(v5, {
      sender: ALICE,
      token: TOKEN_B,
      vaultId: w(0),
      amount: f("1"),
    });
    assert.ok(eq(r.vaultChanges[0].after, f("1")));
  });
});
