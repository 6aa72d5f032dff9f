import assert from "node:assert/strict";
import { getAddress, type Hex } from "viem";
import type { RaindexMutation, VaultDelta } from "../../src/engine/mod.ts";
import {
  decodeLogs,
  depositAmountKey,
  eventsToMutations,
  type EventsToMutationsOptions,
  type RaindexEventLog,
  type RawLog,
} from "../../src/events/mod.ts";
import { eq } from "../../src/float/mod.ts";
import {
  ALICE,
  blockHash,
  BOB,
  CLEARER,
  f,
  hashOf,
  type LogPosition,
  makeLog,
  makeOrder,
  ORDERBOOK,
  STORE,
  TAKER,
  type TestEventName,
  throwsNamed,
  TOKEN_A,
  TOKEN_B,
  tx,
  w,
} from "./_logs.ts";

const TA = getAddress(TOKEN_A);
const TB = getAddress(TOKEN_B);

function decode(logs: RawLog[]): RaindexEventLog[] {
  return decodeLogs(logs, { orderbook: ORDERBOOK, version: "v5" });
}

function convert(logs: RawLog[], options: Partial<EventsToMutationsOptions> = {}) {
  return eventsToMutations(decode(logs), { version: "v5", ...options });
}

function log(name: TestEventName, args: readonly unknown[], position: LogPosition = {}): RawLog {
  return makeLog(name, args, position);
}

/** The vault deltas of a batch list, flattened. */
function deltasOf(mutations: readonly RaindexMutation[]): VaultDelta[] {
  return mutations.flatMap((m) => m.type === "vaultDeltas" ? [...m.deltas] : []);
}

function assertDeltas(
  actual: readonly VaultDelta[],
  expected: { owner: Hex; token: Hex; vaultId: Hex; op: string; amount: string }[],
): void {
  assert.equal(actual.length, expected.length, JSON.stringify(actual));
  expected.forEach((e, i) => {
    const a = actual[i];
    assert.equal(a.owner.toLowerCase(), e.owner.toLowerCase(), `delta ${i} owner`);
    assert.equal(a.token.toLowerCase(), e.token.toLowerCase(), `delta ${i} token`);
    assert.equal(a.vaultId, e.vaultId, `delta ${i} vaultId`);
    assert.equal(a.op, e.op, `delta ${i} op`);
    assert.ok(eq(a.amount, f(e.amount)), `delta ${i} amount ${a.amount} != ${e.amount}`);
  });
}

const order = makeOrder();
const bobOrder = makeOrder({
  owner: BOB,
  inputs: [{ token: TOKEN_B, vaultId: w(7) }],
  outputs: [{ token: TOKEN_A, vaultId: w(8) }],
});

Deno.test("eventsToMutations: each event family", async (t) => {
  await t.step("AddOrderV3 → setOrders live, with known decimals first", () => {
    const result = convert([log("AddOrderV3", [ALICE, hashOf(order), order])], {
      tokenDecimals: { [TOKEN_A.toUpperCase().replace("0X", "0x")]: 6 },
    });
    assert.equal(result.batches.length, 1);
    const [env, decimals, set] = result.batches[0].mutations;
    assert.deepEqual(env, {
      type: "setEnv",
      chainId: 1n,
      blockNumber: 100n,
      timestamp: 1_700_000_000n + 1200n,
    });
    assert.deepEqual(decimals, { type: "setTokenDecimals", tokens: [{ token: TA, decimals: 6 }] });
    assert.equal(set.type, "setOrders");
    if (set.type !== "setOrders") return;
    assert.equal(set.live, undefined);
    assert.equal(hashOf(set.orders[0]), hashOf(order));
    assert.deepEqual(result.missingDecimals, [TB]);
  });

  await t.step("RemoveOrderV3 → removeOrders; partialHistory → setOrders live false", () => {
    const logs = [log("RemoveOrderV3", [ALICE, hashOf(order), order])];
    const strict = convert(logs).batches[0].mutations;
    assert.deepEqual(strict.slice(1), [{ type: "removeOrders", orderHashes: [hashOf(order)] }]);
    const partial = convert(logs, { partialHistory: true }).batches[0].mutations;
    assert.equal(partial[1].type, "setOrders");
    if (partial[1].type === "setOrders") assert.equal(partial[1].live, false);
  });

  await t.step("DepositV2 with the calldata Float → increase by exactly it", () => {
    const logs = [log("DepositV2", [ALICE, TOKEN_A, w(1), 1000001n], { logIndex: 4, txNumber: 3 })];
    const depositAmounts = new Map([[
      depositAmountKey({ txHash: tx(3), logIndex: 4 }),
      { amount: f("1.0000001"), source: "calldata" as const },
    ]]);
    // 1.0000001 of a 6-decimals token pulls 1000001 units (rounded up): consistent.
    const result = convert(logs, { depositAmounts, tokenDecimals: { [TOKEN_A]: 6 } });
    const deltas = deltasOf(result.batches[0].mutations);
    assertDeltas(deltas, [{
      owner: ALICE,
      token: TOKEN_A,
      vaultId: w(1),
      op: "increase",
      amount: "1.0000001",
    }]);
    assert.equal(deltas[0].amount, f("1.0000001"), "calldata bits kept");
    assert.deepEqual(result.inexact, []);
  });

  await t.step("DepositV2 without calldata → uint256 at token decimals, flagged inexact", () => {
    const logs = [log("DepositV2", [ALICE, TOKEN_A, w(1), 1000001n])];
    const result = convert(logs, { tokenDecimals: new Map([[TOKEN_A, 6]]) });
    assertDeltas(deltasOf(result.batches[0].mutations), [
      { owner: ALICE, token: TOKEN_A, vaultId: w(1), op: "increase", amount: "1.000001" },
    ]);
    assert.equal(result.inexact.length, 1);
    assert.equal(result.inexact[0].decimals, 6);
    assert.equal(result.inexact[0].conversionLossless, true);
    assert.equal(result.inexact[0].event.logIndex, 0);
    assert.ok(eq(result.inexact[0].amount, f("1.000001")));
  });

  await t.step("DepositV2 fallback without decimals → DepositDecimalsMissingError", () => {
    const logs = [log("DepositV2", [ALICE, TOKEN_A, w(1), 5n], { logIndex: 9, blockNumber: 55n })];
    const error = throwsNamed(() => convert(logs), "DepositDecimalsMissingError");
    assert.equal(error.details.logIndex, 9);
    assert.equal(error.details.blockNumber, "55");
    assert.equal(String(error.details.token).toLowerCase(), TOKEN_A);
  });

  await t.step("calldata Float inconsistent with the logged uint256 → mismatch", () => {
    const logs = [log("DepositV2", [ALICE, TOKEN_A, w(1), 1000000n])];
    const key = depositAmountKey({ txHash: tx(0), logIndex: 0 });
    const error = throwsNamed(
      () =>
        convert(logs, {
          depositAmounts: new Map([[key, { amount: f("1.0000001"), source: "calldata" as const }]]),
          tokenDecimals: { [TOKEN_A]: 6 },
        }),
      "DepositAmountMismatchError",
    );
    assert.equal(error.details.field, "amount");
    assert.equal(error.details.expected, "1000000");
    assert.equal(error.details.actual, "1000001");
    throwsNamed(
      () =>
        convert(logs, {
          depositAmounts: new Map([[key, {
            amount: f("1"),
            source: "calldata" as const,
            vaultId: w(2),
          }]]),
        }),
      "DepositAmountMismatchError",
    );
  });

  await t.step("WithdrawV2 → decrease by withdrawAmount (not target, not uint256)", () => {
    const logs = [log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("5"), f("1.2345678"), 1234567n])];
    assertDeltas(deltasOf(convert(logs).batches[0].mutations), [
      { owner: ALICE, token: TOKEN_A, vaultId: w(1), op: "decrease", amount: "1.2345678" },
    ]);
  });

  await t.step("TakeOrderV3 → order input vault += output, output vault −= input", () => {
    const two = makeOrder({
      inputs: [{ token: TOKEN_B, vaultId: w(3) }, { token: TOKEN_A, vaultId: w(1) }],
      outputs: [{ token: TOKEN_A, vaultId: w(4) }, { token: TOKEN_B, vaultId: w(2) }],
    });
    const config = { order: two, inputIOIndex: 1n, outputIOIndex: 1n, signedContext: [] };
    // Taker input 4 (the order's output, token B), taker output 2 (the order's input, token A).
    const logs = [log("TakeOrderV3", [TAKER, config, f("4"), f("2")])];
    assertDeltas(deltasOf(convert(logs).batches[0].mutations), [
      { owner: ALICE, token: TOKEN_A, vaultId: w(1), op: "increase", amount: "2" },
      { owner: ALICE, token: TOKEN_B, vaultId: w(2), op: "decrease", amount: "4" },
    ]);
  });

  await t.step("TakeOrderV3 with an IO index out of range → InvalidEventDataError", () => {
    const config = { order, inputIOIndex: 1n, outputIOIndex: 0n, signedContext: [] };
    const error = throwsNamed(
      () => convert([log("TakeOrderV3", [TAKER, config, f("1"), f("1")])]),
      "InvalidEventDataError",
    );
    assert.match(String(error.details.reason), /inputIOIndex 1/);
  });

  await t.step("ClearV3 + AfterClearV2 → both orders' IO then the clearer's bounties", () => {
    const clearConfig = {
      aliceInputIOIndex: 0n,
      aliceOutputIOIndex: 0n,
      bobInputIOIndex: 0n,
      bobOutputIOIndex: 0n,
      aliceBountyVaultId: w(11),
      bobBountyVaultId: w(12),
    };
    // Alice sells 10 B for 5 A; bob sells 4.5 A for 9 B. Bounties: alice's output 10 − bob's
    // input 9 = 1 B; bob's output 4.5 − alice's input 4.5 = 0 A (credited anyway).
    const change = {
      aliceOutput: f("10"),
      bobOutput: f("4.5"),
      aliceInput: f("4.5"),
      bobInput: f("9"),
    };
    const logs = [
      log("ClearV3", [CLEARER, order, bobOrder, clearConfig], { logIndex: 0 }),
      log("ContextV2", [CLEARER, [[w(1)]]], { logIndex: 1 }),
      log("ContextV2", [CLEARER, [[w(2)]]], { logIndex: 2 }),
      log("AfterClearV2", [CLEARER, change], { logIndex: 3 }),
    ];
    const result = convert(logs);
    assertDeltas(deltasOf(result.batches[0].mutations), [
      { owner: ALICE, token: TOKEN_A, vaultId: w(1), op: "increase", amount: "4.5" },
      { owner: ALICE, token: TOKEN_B, vaultId: w(2), op: "decrease", amount: "10" },
      { owner: BOB, token: TOKEN_B, vaultId: w(7), op: "increase", amount: "9" },
      { owner: BOB, token: TOKEN_A, vaultId: w(8), op: "decrease", amount: "4.5" },
      { owner: CLEARER, token: TOKEN_B, vaultId: w(11), op: "increase", amount: "1" },
      { owner: CLEARER, token: TOKEN_A, vaultId: w(12), op: "increase", amount: "0" },
    ]);
    assert.equal(result.contexts.length, 2);
    assert.deepEqual(result.annotations.map((a) => a.logIndex), [1, 2]);
  });

  await t.step("store Set → applyStore; consecutive same-namespace Sets merged in order", () => {
    const ns = 0xabcdn;
    const logs = [
      log("Set", [ns, w(1), w(10)], { logIndex: 0 }),
      log("Set", [ns, w(2), w(20)], { logIndex: 1 }),
      log("Set", [ns + 1n, w(1), w(30)], { logIndex: 2 }),
      log("Set", [ns, w(1), w(40)], { logIndex: 3 }),
    ];
    const mutations = convert(logs).batches[0].mutations.slice(1);
    const nsWord = (n: bigint) => `0x${n.toString(16).padStart(64, "0")}`;
    assert.deepEqual(mutations, [
      {
        type: "applyStore",
        store: getAddress(STORE),
        namespace: nsWord(ns),
        kvs: [w(1), w(10), w(2), w(20)],
      },
      {
        type: "applyStore",
        store: getAddress(STORE),
        namespace: nsWord(ns + 1n),
        kvs: [w(1), w(30)],
      },
      { type: "applyStore", store: getAddress(STORE), namespace: nsWord(ns), kvs: [w(1), w(40)] },
    ]);
  });

  await t.step("annotations: no state change, kept in order", () => {
    const logs = [
      log("MetaV1_2", [ALICE, hashOf(order), "0x01"], { logIndex: 0 }),
      log("OrderNotFound", [TAKER, ALICE, hashOf(order)], { logIndex: 1 }),
      log("OrderZeroAmount", [TAKER, ALICE, hashOf(order)], { logIndex: 2 }),
      log("OrderExceedsMaxRatio", [TAKER, ALICE, hashOf(order)], { logIndex: 3 }),
      log("ContextV2", [TAKER, [[w(1)]]], { logIndex: 4 }),
    ];
    const result = convert(logs);
    assert.deepEqual(result.batches[0].mutations.map((m) => m.type), ["setEnv"]);
    assert.equal(result.batches[0].eventCount, 5);
    assert.deepEqual(result.annotations.map((a) => a.type), [
      "MetaV1_2",
      "OrderNotFound",
      "OrderZeroAmount",
      "OrderExceedsMaxRatio",
      "ContextV2",
    ]);
    assert.deepEqual(result.contexts.map((c) => c.logIndex), [4]);
  });
});

Deno.test("eventsToMutations: ordering and blocks", async (t) => {
  await t.step("sorted by (blockNumber, logIndex), one batch per block, setEnv first", () => {
    const logs = [
      log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("1"), f("1"), 1n], {
        blockNumber: 12n,
        logIndex: 1,
      }),
      log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("2"), f("2"), 2n], {
        blockNumber: 10n,
        logIndex: 5,
      }),
      log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("3"), f("3"), 3n], {
        blockNumber: 12n,
        logIndex: 0,
      }),
      log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("4"), f("4"), 4n], {
        blockNumber: 10n,
        logIndex: 2,
      }),
    ];
    const { batches } = convert(logs);
    assert.deepEqual(batches.map((b) => b.blockNumber), [10n, 12n]);
    assert.deepEqual(batches.map((b) => b.blockHash), [blockHash(10n), blockHash(12n)]);
    assert.deepEqual(batches.map((b) => b.mutations[0]), [
      { type: "setEnv", chainId: 1n, blockNumber: 10n, timestamp: 1_700_000_120n },
      { type: "setEnv", chainId: 1n, blockNumber: 12n, timestamp: 1_700_000_144n },
    ]);
    assert.deepEqual(batches.map((b) => deltasOf(b.mutations).map((d) => d.amount)), [
      [f("4"), f("2")],
      [f("3"), f("1")],
    ]);
  });

  await t.step("duplicate position → DuplicateLogPositionError", () => {
    const a = log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("1"), f("1"), 1n], { logIndex: 3 });
    const b = log("Set", [1n, w(1), w(2)], { logIndex: 3 });
    const error = throwsNamed(() => convert([a, b]), "DuplicateLogPositionError");
    assert.equal(error.details.logIndex, 3);
    assert.deepEqual(error.details.types, ["WithdrawV2", "Set"]);
  });

  await t.step("timestamps: blocks map, log, missing, conflicting", () => {
    const noTs = log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("1"), f("1"), 1n], { timestamp: null });
    const fromMap = convert([noTs], { blocks: new Map([[100n, 555n]]) });
    assert.equal(fromMap.batches[0].timestamp, 555n);
    const error = throwsNamed(() => convert([noTs]), "MissingBlockTimestampError");
    assert.equal(error.details.blockNumber, "100");
    const withTs = log("WithdrawV2", [ALICE, TOKEN_A, w(1), f("1"), f("1"), 1n], { timestamp: 7n });
    const conflict = throwsNamed(
      () => convert([withTs], { blocks: new Map([[100n, 8n]]) }),
      "ConflictingBlockDataError",
    );
    assert.equal(conflict.details.field, "timestamp");
  });

  await t.step("conflicting block hash within a block", () => {
    const a = log("Set", [1n, w(1), w(2)], { logIndex: 0 });
    const b = { ...log("Set", [1n, w(1), w(2)], { logIndex: 1 }), blockHash: w(5) };
    const error = throwsNamed(() => convert([a, b]), "ConflictingBlockDataError");
    assert.equal(error.details.field, "blockHash");
  });

  await t.step("orderbook option rejects another orderbook's events", () => {
    const other = log("DepositV2", [ALICE, TOKEN_A, w(1), 1n], {
      address: "0x00000000000000000000000000000000000000cd",
    });
    const events = decodeLogs([other], { orderbook: other.address, version: "v5" });
    throwsNamed(
      () => eventsToMutations(events, { version: "v5", orderbook: ORDERBOOK }),
      "InvalidEventDataError",
    );
  });

  await t.step("decimals are emitted once, at the first order that uses the token", () => {
    const second = makeOrder({ nonce: w(1) });
    const logs = [
      log("AddOrderV3", [ALICE, hashOf(order), order], { blockNumber: 1n }),
      log("AddOrderV3", [ALICE, hashOf(second), second], { blockNumber: 2n }),
    ];
    const result = convert(logs, { tokenDecimals: { [TOKEN_A]: 6, [TOKEN_B]: 18 } });
    assert.deepEqual(result.batches.map((b) => b.mutations.map((m) => m.type)), [
      ["setEnv", "setTokenDecimals", "setOrders"],
      ["setEnv", "setOrders"],
    ]);
    assert.deepEqual(result.missingDecimals, []);
  });
});

Deno.test("eventsToMutations: clear pairing errors", async (t) => {
  const clearConfig = {
    aliceInputIOIndex: 0n,
    aliceOutputIOIndex: 0n,
    bobInputIOIndex: 0n,
    bobOutputIOIndex: 0n,
    aliceBountyVaultId: w(11),
    bobBountyVaultId: w(12),
  };
  const change = { aliceOutput: f("1"), bobOutput: f("1"), aliceInput: f("1"), bobInput: f("1") };
  const clear = (p: LogPosition) => log("ClearV3", [CLEARER, order, bobOrder, clearConfig], p);
  const after = (p: LogPosition, sender = CLEARER) => log("AfterClearV2", [sender, change], p);

  await t.step("ClearV3 at the end without AfterClearV2", () => {
    const error = throwsNamed(() => convert([clear({ logIndex: 2 })]), "UnpairedClearEventError");
    assert.equal(error.details.event, "ClearV3");
    assert.equal(error.details.logIndex, 2);
  });
  await t.step("ClearV3 whose transaction ends first", () => {
    const logs = [clear({ logIndex: 0, txNumber: 1 }), after({ logIndex: 1, txNumber: 2 })];
    const error = throwsNamed(() => convert(logs), "UnpairedClearEventError");
    assert.equal(error.details.event, "ClearV3");
  });
  await t.step("AfterClearV2 without ClearV3", () => {
    const error = throwsNamed(() => convert([after({ logIndex: 4 })]), "UnpairedClearEventError");
    assert.equal(error.details.event, "AfterClearV2");
  });
  await t.step("senders differ", () => {
    const logs = [clear({ logIndex: 0 }), after({ logIndex: 1 }, TAKER)];
    throwsNamed(() => convert(logs), "UnpairedClearEventError");
  });
  await t.step("two clears in one transaction pair in order", () => {
    const logs = [
      clear({ logIndex: 0 }),
      after({ logIndex: 1 }),
      clear({ logIndex: 2 }),
      after({ logIndex: 3 }),
    ];
    assert.equal(deltasOf(convert(logs).batches[0].mutations).length, 12);
  });
  await t.step("negative bounty is data the contract cannot emit", () => {
    const bad = { aliceOutput: f("1"), bobOutput: f("1"), aliceInput: f("1"), bobInput: f("2") };
    const logs = [clear({ logIndex: 0 }), log("AfterClearV2", [CLEARER, bad], { logIndex: 1 })];
    const error = throwsNamed(() => convert(logs), "InvalidEventDataError");
    assert.match(String(error.details.reason), /negative bounty/);
  });
});

Deno.test("eventsToMutations: V6 vault id 0 moves tokens, not vaults", () => {
  const vaultless = makeOrder({
    inputs: [{ token: TOKEN_A, vaultId: w(0) }],
    outputs: [{ token: TOKEN_B, vaultId: w(2) }],
  });
  const config = { order: vaultless, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] };
  const logs = [log("TakeOrderV3", [TAKER, config, f("4"), f("2")])];
  const v6 = eventsToMutations(decodeLogs(logs, { orderbook: ORDERBOOK, version: "v6" }), {
    version: "v6",
  });
  assertDeltas(deltasOf(v6.batches[0].mutations), [
    { owner: ALICE, token: TOKEN_B, vaultId: w(2), op: "decrease", amount: "4" },
  ]);
  assert.equal(v6.vaultless.length, 1);
  assert.equal(v6.vaultless[0].op, "increase");
  assert.equal(v6.vaultless[0].owner.toLowerCase(), ALICE);
  assert.ok(eq(v6.vaultless[0].amount, f("2")));
  // V5 has no vaultless IOs: vault 0 is a vault like any other.
  assert.equal(deltasOf(convert(logs).batches[0].mutations).length, 2);
  // V6 deposits to vault 0 revert on chain (ZeroVaultId), so such a log is invalid data.
  const deposit = log("DepositV2", [ALICE, TOKEN_A, w(0), 1n]);
  throwsNamed(
    () =>
      eventsToMutations(decodeLogs([deposit], { orderbook: ORDERBOOK, version: "v6" }), {
        version: "v6",
        tokenDecimals: { [TOKEN_A]: 0 },
      }),
    "InvalidEventDataError",
  );
});
