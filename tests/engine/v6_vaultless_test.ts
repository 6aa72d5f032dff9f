import assert from "node:assert/strict";
import type { Address, Hex } from "viem";
import { eq, format } from "../../src/float/mod.ts";
import {
  applyMutations,
  clear,
  clearAndApplyState,
  createVirtualRaindex,
  fromSnapshot,
  getAllowance,
  getTokenBalance,
  getVaultBalance,
  quote,
  type RaindexMutation,
  snapshot,
  snapshotToJson,
  takeOrders4,
  takeOrders4AndApplyState,
  tokenModelExternalState,
} from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedSource } from "./_scripted_host.ts";
import {
  ALICE,
  BOB,
  CAROL,
  deposit,
  f,
  makeOrder,
  ORDERBOOK,
  rejectsWith,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_fixtures.ts";
import { e, makeV6Engine } from "./_v6.ts";

const MAX = (1n << 256n) - 1n;
const noop: ScriptedSource = () => ({ stack: [] });
const fixed = (ratio: string, max: string): ScriptedSource => () => ({ stack: [f(ratio), f(max)] });
const V0 = w(0);

/** Alice's vaultless order: buys A (vault 0), sells B (vault 0). */
function vaultless(bytecode: Hex, nonce = 0) {
  return makeOrder({
    bytecode,
    nonce,
    inputs: [{ token: TOKEN_A, vaultId: V0 }],
    outputs: [{ token: TOKEN_B, vaultId: V0 }],
  });
}

function balances(...entries: [Address, Address, bigint][]): RaindexMutation {
  return {
    type: "setTokenBalances",
    balances: entries.map(([token, account, amount]) => ({
      token,
      account,
      amount: amount.toString(),
    })),
  };
}

function allowances(...entries: [Address, Address, bigint][]): RaindexMutation {
  return {
    type: "setAllowances",
    allowances: entries.map(([token, owner, amount]) => ({ token, owner, amount })),
  };
}

Deno.test("vaultless balance = min(balanceOf, allowance) with token decimals", async (t) => {
  const host = createScriptedHost({ "0x01": [fixed("2", "1000"), noop] });
  const order = vaultless("0x01");
  const q = (engine: ReturnType<typeof makeV6Engine>) =>
    quote(engine, { order, inputIOIndex: 0, outputIOIndex: 0, counterparty: TAKER });
  await t.step("allowance-limited", async () => {
    const engine = makeV6Engine(host, [
      { type: "setOrders", orders: [order] },
      balances([TOKEN_B, ALICE, 5n * e(6)], [TOKEN_A, ALICE, 0n]),
      allowances([TOKEN_B, ALICE, 3n * e(6)], [TOKEN_A, ALICE, 0n]),
    ]);
    const r = await q(engine);
    assert.equal(format(r.maxOutput), "3");
    // Column 4 row 3 is the output's vaultless balance: min(5, 3) = 3.
    assert.ok(eq(r.context[4][3] as never, f("3")));
    assert.ok(eq(getVaultBalance(engine, { owner: ALICE, token: TOKEN_B, vaultId: V0 }), f("3")));
  });
  await t.step("balance-limited, max allowance (lossy conversion)", async () => {
    const engine = makeV6Engine(host, [
      { type: "setOrders", orders: [order] },
      balances([TOKEN_B, ALICE, 2_500000n], [TOKEN_A, ALICE, 0n]),
      allowances([TOKEN_B, ALICE, MAX], [TOKEN_A, ALICE, 0n]),
    ]);
    const r = await q(engine);
    assert.equal(format(r.maxOutput), "2.5");
  });
  await t.step(
    "a plain approve (allowance mutation, no orderbook event) changes the quote",
    async () => {
      const engine = makeV6Engine(host, [
        { type: "setOrders", orders: [order] },
        balances([TOKEN_B, ALICE, 5n * e(6)], [TOKEN_A, ALICE, 0n]),
        allowances([TOKEN_B, ALICE, 3n * e(6)], [TOKEN_A, ALICE, 0n]),
      ]);
      assert.equal(format((await q(engine)).maxOutput), "3");
      applyMutations(engine, [allowances([TOKEN_B, ALICE, 1_250000n])]);
      assert.equal(format((await q(engine)).maxOutput), "1.25");
      applyMutations(engine, [allowances([TOKEN_B, ALICE, 0n])]);
      assert.ok(eq((await q(engine)).maxOutput, f("0")));
    },
  );
  await t.step("an untracked pair is an error, never a silent zero", async () => {
    const engine = makeV6Engine(host, [
      { type: "setOrders", orders: [order] },
      balances([TOKEN_B, ALICE, 5n * e(6)]),
    ]);
    const err = await rejectsWith(() => q(engine), "TokenBalanceNotTrackedError");
    assert.equal(err.details.kind, "balance");
    assert.equal(err.details.token, TOKEN_A);
  });
});

/**
 * Two vaultless orders of alice (B for A at ratio 2): order 1 offers at most 2 B, order 2 up to
 * 1000. Alice holds 5 B, allows 3 B (or max), holds 0 A and allows max A. The orderbook holds
 * `obA` A and 0 B; the taker holds 10 A, allows 6 A.
 */
function twoVaultless(options: { obA: bigint; allowanceB: bigint }) {
  const host = createScriptedHost({
    "0x01": [fixed("2", "2"), noop],
    "0x02": [fixed("2", "1000"), noop],
  });
  const o1 = vaultless("0x01", 1);
  const o2 = vaultless("0x02", 2);
  const engine = makeV6Engine(host, [
    { type: "setOrders", orders: [o1, o2] },
    balances(
      [TOKEN_B, ALICE, 5n * e(6)],
      [TOKEN_A, ALICE, 0n],
      [TOKEN_A, ORDERBOOK, options.obA],
      [TOKEN_B, ORDERBOOK, 0n],
      [TOKEN_A, TAKER, 10n * e(18)],
    ),
    allowances(
      [TOKEN_B, ALICE, options.allowanceB],
      [TOKEN_A, ALICE, MAX],
      [TOKEN_A, TAKER, 6n * e(18)],
    ),
  ]);
  const config = {
    taker: TAKER,
    minimumIO: f("0"),
    maximumIO: f("10"),
    maximumIORatio: f("10"),
    IOIsInput: true,
    orders: [
      { order: o1, inputIOIndex: 0n, outputIOIndex: 0n },
      { order: o2, inputIOIndex: 0n, outputIOIndex: 0n },
    ],
  };
  return { engine, config, host };
}

Deno.test("vaultless take: tokens move inside the loop, seen by a later order", async (t) => {
  const { engine, config } = twoVaultless({ obA: 6n * e(18), allowanceB: 3n * e(6) });
  const before = snapshotToJson(snapshot(engine));
  // Order 1: balance min(5, 3) = 3; outputMax min(2, 3) = 2; takerInput 2 B, takerOutput 4 A.
  //   push 4 A to alice (orderbook 6 → 2), pull 2 B from alice (balance 5 → 3, allowance 3 → 1).
  // Order 2: balance min(3, 1) = 1 → outputMax 1; takerInput 1 B, takerOutput 2 A.
  //   push 2 A (orderbook 2 → 0), pull 1 B (balance 3 → 2, allowance 1 → 0).
  // Then push 3 B to the taker (orderbook B 0 + 3 − 3 = 0), pull 6 A (orderbook A 0 → 6).
  const r = await takeOrders4(engine, config);
  await t.step("totals and the second order's reduced max", () => {
    assert.ok(eq(r.totalTakerInput, f("3")));
    assert.ok(eq(r.totalTakerOutput, f("6")));
    assert.ok(eq(r.taken[0].outputMax, f("2")));
    assert.ok(eq(r.taken[1].outputMax, f("1")));
  });
  await t.step("order 2's context sees order 1's push and pull", () => {
    const c1 = r.taken[0].calculateContext;
    const c2 = r.taken[1].calculateContext;
    assert.ok(eq(c1[3][3] as never, f("0"))); // alice's A before: 0
    assert.ok(eq(c2[3][3] as never, f("4"))); // after order 1's push of 4 A
    assert.ok(eq(c1[4][3] as never, f("3")));
    assert.ok(eq(c2[4][3] as never, f("1")));
    assert.equal(c1[3][2], V0);
  });
  await t.step("movements in order; no vault changes", () => {
    assert.deepEqual(r.transfers.map((x) => [x.direction, x.token, x.account, x.amount]), [
      ["push", TOKEN_A, ALICE, 4n * e(18)],
      ["pull", TOKEN_B, ALICE, 2n * e(6)],
      ["push", TOKEN_A, ALICE, 2n * e(18)],
      ["pull", TOKEN_B, ALICE, 1n * e(6)],
      ["push", TOKEN_B, TAKER, 3n * e(6)],
      ["pull", TOKEN_A, TAKER, 6n * e(18)],
    ]);
    assert.deepEqual(r.vaultChanges, []);
  });
  await t.step("read-only", () => assert.equal(snapshotToJson(snapshot(engine)), before));
  await t.step("committed: token model after the take", async () => {
    await takeOrders4AndApplyState(engine, config);
    assert.equal(getTokenBalance(engine, TOKEN_B, ALICE), 2n * e(6));
    assert.equal(getAllowance(engine, TOKEN_B, ALICE), 0n);
    assert.equal(getTokenBalance(engine, TOKEN_A, ALICE), 6n * e(18));
    assert.equal(getAllowance(engine, TOKEN_A, ALICE), MAX);
    assert.equal(getTokenBalance(engine, TOKEN_A, ORDERBOOK), 6n * e(18));
    assert.equal(getTokenBalance(engine, TOKEN_B, ORDERBOOK), 0n);
    assert.equal(getTokenBalance(engine, TOKEN_A, TAKER), 4n * e(18));
    assert.equal(getAllowance(engine, TOKEN_A, TAKER), 0n);
    // The taker's B balance was never tracked, so it stays untracked.
    assert.equal(getTokenBalance(engine, TOKEN_B, TAKER), undefined);
  });
  await t.step(
    "the result's mutations replay to the same state; snapshots round-trip",
    async () => {
      const fresh = twoVaultless({ obA: 6n * e(18), allowanceB: 3n * e(6) });
      const res = await takeOrders4(fresh.engine, fresh.config);
      applyMutations(fresh.engine, JSON.parse(JSON.stringify(res.mutations)));
      const snap = snapshotToJson(snapshot(fresh.engine));
      assert.equal(snap, snapshotToJson(snapshot(engine)));
      const restored = fromSnapshot(snap, { host: fresh.host });
      assert.equal(snapshotToJson(snapshot(restored)), snap);
      assert.equal(getTokenBalance(restored, TOKEN_A, ORDERBOOK), 6n * e(18));
    },
  );
});

Deno.test("vaultless take: limits and failures", async (t) => {
  await t.step("a max allowance is never decremented", async () => {
    const { engine, config } = twoVaultless({ obA: 6n * e(18), allowanceB: MAX });
    // Balance-limited now: order 1 takes 2 (5 → 3), order 2 min(1000, 3) = 3 but the taker's
    // remaining input is 8: takes 3 (3 → 0). Pushes 4 + 6 = 10 A > the orderbook's 6 A.
    await rejectsWith(() => takeOrders4(engine, config), "InsufficientTokenBalanceError");
    const capped = { ...config, maximumIO: f("4") };
    // Order 1: 2 B for 4 A; order 2: min(3, remaining 2) = 2 B for 4 A: pushes 8 A > 6.
    await rejectsWith(() => takeOrders4(engine, capped), "InsufficientTokenBalanceError");
    applyMutations(engine, [
      balances([TOKEN_A, ORDERBOOK, 8n * e(18)]),
      allowances([TOKEN_A, TAKER, MAX]),
    ]);
    await takeOrders4AndApplyState(engine, { ...capped, minimumIO: f("4") });
    assert.equal(getAllowance(engine, TOKEN_B, ALICE), MAX);
    assert.equal(getTokenBalance(engine, TOKEN_B, ALICE), 1n * e(6));
  });
  await t.step(
    "the orderbook's holdings too low for the in-loop push revert the take",
    async () => {
      const { engine, config } = twoVaultless({ obA: 3n * e(18), allowanceB: 3n * e(6) });
      const before = snapshotToJson(snapshot(engine));
      const err = await rejectsWith(
        () => takeOrders4(engine, config),
        "InsufficientTokenBalanceError",
      );
      // The first push (4 A, order 1) already fails: the taker pays only after the loop.
      assert.deepEqual(err.details, {
        token: TOKEN_A,
        account: ORDERBOOK,
        balance: 3n * e(18),
        needed: 4n * e(18),
      });
      await rejectsWith(
        () => takeOrders4AndApplyState(engine, config),
        "InsufficientTokenBalanceError",
      );
      assert.equal(snapshotToJson(snapshot(engine)), before);
    },
  );
  await t.step("untracked orderbook holdings are an error for a vaultless push", async () => {
    const { engine, config } = twoVaultless({ obA: 6n * e(18), allowanceB: 3n * e(6) });
    const snap = snapshot(engine);
    const stripped = {
      ...snap,
      tokenBalances: snap.tokenBalances!.filter((b) =>
        !(b.account.toLowerCase() === ORDERBOOK && b.token.toLowerCase() === TOKEN_A)
      ),
    };
    const host = createScriptedHost({
      "0x01": [fixed("2", "2"), noop],
      "0x02": [fixed("2", "1000"), noop],
    });
    const err = await rejectsWith(
      () => takeOrders4(fromSnapshot(stripped, { host }), config),
      "TokenBalanceNotTrackedError",
    );
    assert.equal(err.details.account, ORDERBOOK);
  });
  await t.step("pull rounds up, push truncates", async () => {
    // Ratio 1/3 in C-less terms: alice sells B (6 decimals) at ratio 0.3333333 A per B.
    const host = createScriptedHost({ "0x03": [fixed("0.3333333", "1000"), noop] });
    const order = vaultless("0x03");
    const engine = makeV6Engine(host, [
      { type: "setOrders", orders: [order] },
      balances([TOKEN_B, ALICE, 5n * e(6)], [TOKEN_A, ALICE, 0n], [TOKEN_A, ORDERBOOK, e(18)]),
      allowances([TOKEN_B, ALICE, 5n * e(6)], [TOKEN_A, ALICE, MAX]),
    ]);
    // IOIsInput false, maximumIO 0.1 A: takerOutput = min(0.3333333 × 5, 0.1) = 0.1 A;
    // takerInput = 0.1 / 0.3333333 = 0.30000003000000300… B: pulled from alice rounded up to
    // 0.300001 B (300001 units); 0.1 A pushed to alice exactly.
    const r = await takeOrders4(engine, {
      taker: TAKER,
      minimumIO: f("0"),
      maximumIO: f("0.1"),
      maximumIORatio: f("1"),
      IOIsInput: false,
      orders: [{ order, inputIOIndex: 0n, outputIOIndex: 0n }],
    });
    assert.deepEqual(r.transfers.map((x) => [x.direction, x.account, x.amount]), [
      ["push", ALICE, e(17)],
      ["pull", ALICE, 300001n],
      ["push", TAKER, 300000n],
      ["pull", TAKER, e(17)],
    ]);
  });
});

Deno.test("vaultless clear: a vault-0 bounty is pushed straight to the clearer", async (t) => {
  // Alice sells B for A at 0.5 A/B, max 10 B; bob sells A for B at 1 B/A, max 10 A.
  // aliceInput = 10 × 0.5 = 5 A (≤ bob's 10), aliceOutput = 10 B;
  // bobInput = 10 × 1 = 10 B (≤ alice's 10), bobOutput = 10 A.
  // Bounties: alice's 10 − 10 = 0 B, bob's 10 − 5 = 5 A → pushed to carol (the clearer).
  const host = createScriptedHost({
    "0x0a": [fixed("0.5", "10"), noop],
    "0x0b": [fixed("1", "10"), noop],
  });
  const alice = makeOrder({ bytecode: "0x0a" });
  const bob = makeOrder({
    owner: BOB,
    bytecode: "0x0b",
    inputs: [{ token: TOKEN_B, vaultId: w(3) }],
    outputs: [{ token: TOKEN_A, vaultId: w(4) }],
  });
  const setup: RaindexMutation[] = [
    { type: "setOrders", orders: [alice, bob] },
    deposit(ALICE, TOKEN_B, w(2), "10"),
    deposit(BOB, TOKEN_A, w(4), "10"),
    balances([TOKEN_A, ORDERBOOK, 100n * e(18)], [TOKEN_A, CAROL, 0n]),
  ];
  const clearConfig = {
    aliceInputIOIndex: 0n,
    aliceOutputIOIndex: 0n,
    bobInputIOIndex: 0n,
    bobOutputIOIndex: 0n,
    aliceBountyVaultId: V0,
    bobBountyVaultId: V0,
  };
  await t.step("v6: pushed, no bounty vault", async () => {
    const engine = makeV6Engine(host, setup);
    const r = await clear(engine, { clearer: CAROL, alice, bob, clearConfig });
    assert.ok(eq(r.bobBounty!, f("5")));
    assert.ok(eq(r.aliceBounty!, f("0")));
    assert.deepEqual(r.transfers.map((x) => [x.direction, x.token, x.account, x.amount]), [
      ["push", TOKEN_A, CAROL, 5n * e(18)],
    ]);
    assert.equal(r.vaultChanges.length, 4);
    assert.ok(r.vaultChanges.every((c) => c.owner !== CAROL));
    await clearAndApplyState(engine, { clearer: CAROL, alice, bob, clearConfig });
    assert.equal(getTokenBalance(engine, TOKEN_A, CAROL), 5n * e(18));
    assert.equal(getTokenBalance(engine, TOKEN_A, ORDERBOOK), 95n * e(18));
  });
  await t.step("v5: the same clear credits the clearer's vault 0", async () => {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
    applyMutations(engine, [
      {
        type: "setTokenDecimals",
        tokens: [{ token: TOKEN_A, decimals: 18 }, { token: TOKEN_B, decimals: 6 }],
      },
      ...setup,
    ]);
    const r = await clearAndApplyState(engine, { clearer: CAROL, alice, bob, clearConfig });
    assert.deepEqual(r.transfers, []);
    assert.ok(eq(getVaultBalance(engine, { owner: CAROL, token: TOKEN_A, vaultId: V0 }), f("5")));
  });
});

Deno.test("tokenModelExternalState: balanceOf/allowance of tracked pairs from the live model", async (t) => {
  const BALANCE_OF = "0x70a08231";
  const ALLOWANCE = "0xdd62ed3e";
  const pad = (a: Address) => a.slice(2).toLowerCase().padStart(64, "0");
  const seen: bigint[] = [];
  const fallbackCalls: Hex[] = [];
  const external = tokenModelExternalState({
    call(request) {
      fallbackCalls.push(request.data);
      return { returnData: w(77) };
    },
  });
  // The order reads alice's B balance and allowance through external state (as an expression's
  // `erc20-balance-of` would), and offers 2 B at ratio 2.
  const reading: ScriptedSource = async (call) => {
    const bal = await external.call({
      to: TOKEN_B,
      from: ORDERBOOK,
      data: `${BALANCE_OF}${pad(ALICE)}`,
      env: call.env,
    });
    const allow = await external.call({
      to: TOKEN_B,
      from: ORDERBOOK,
      data: `${ALLOWANCE}${pad(ALICE)}${pad(ORDERBOOK)}`,
      env: call.env,
    });
    seen.push(BigInt(bal.returnData), BigInt(allow.returnData));
    return { stack: [f("2"), f("2")] };
  };
  const host = createScriptedHost({ "0x01": [reading, noop] });
  const o1 = vaultless("0x01", 1);
  const o2 = vaultless("0x01", 2);
  const engine = makeV6Engine(host, [
    { type: "setOrders", orders: [o1, o2] },
    balances([TOKEN_B, ALICE, 5n * e(6)], [TOKEN_A, ALICE, 0n], [TOKEN_A, ORDERBOOK, 8n * e(18)]),
    allowances([TOKEN_B, ALICE, 3n * e(6)], [TOKEN_A, ALICE, MAX]),
  ]);
  await takeOrders4(engine, {
    taker: TAKER,
    minimumIO: f("0"),
    maximumIO: f("10"),
    maximumIORatio: f("10"),
    IOIsInput: true,
    orders: [
      { order: o1, inputIOIndex: 0n, outputIOIndex: 0n },
      { order: o2, inputIOIndex: 0n, outputIOIndex: 0n },
    ],
  });
  await t.step("order 2 sees order 1's pull (5 → 3 B, allowance 3 → 1)", () => {
    assert.deepEqual(seen, [5n * e(6), 3n * e(6), 3n * e(6), 1n * e(6)]);
  });
  await t.step(
    "untracked pairs, other spenders and calls outside an evaluation fall back",
    async () => {
      const env = { chainId: 1n, blockNumber: 1n, timestamp: 1n };
      const outside = await external.call({
        to: TOKEN_B,
        from: ORDERBOOK,
        data: `${BALANCE_OF}${pad(ALICE)}`,
        env,
      });
      assert.equal(outside.returnData, w(77));
      assert.equal(fallbackCalls.length, 1);
    },
  );
});
