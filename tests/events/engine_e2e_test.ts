import assert from "node:assert/strict";
import type { Address, Hex } from "viem";
import {
  applyMutations,
  createVirtualRaindex,
  getEnv,
  getOrder,
  getStoreValue,
  getTokenDecimals,
  getVaultBalance,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import {
  decodeDepositCalldata,
  decodeLogs,
  type DepositV2Event,
  eventsToMutations,
  filterStoreSets,
  matchDepositCalls,
  ownerNamespaces,
  ownersOf,
} from "../../src/events/mod.ts";
import { eq } from "../../src/float/mod.ts";
import type { InterpreterHost } from "../../src/evm/mod.ts";
import {
  ALICE,
  BOB,
  CLEARER,
  depositCall,
  f,
  fqn,
  hashOf,
  makeLog,
  makeOrder,
  ORDERBOOK,
  STORE,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  tx,
  w,
} from "./_logs.ts";

// Applying chain-derived mutations never evaluates Rain code (post tasks' writes arrive as store
// Sets), so a host that refuses to run proves it.
const host = {
  eval4: () => Promise.reject(new Error("no evaluation expected")),
  evalMany: () => Promise.reject(new Error("no evaluation expected")),
} as unknown as InterpreterHost;

function balance(engine: VirtualRaindex, owner: Address, token: Address, vaultId: Hex): string {
  return getVaultBalance(engine, { owner, token, vaultId });
}

Deno.test("events → mutations → engine: vault balances, orders, store, env", () => {
  const alice = makeOrder(); // receives A (vault 1), sends B (vault 2)
  const bob = makeOrder({
    owner: BOB,
    inputs: [{ token: TOKEN_B, vaultId: w(7) }],
    outputs: [{ token: TOKEN_A, vaultId: w(8) }],
  });
  const clearConfig = {
    aliceInputIOIndex: 0n,
    aliceOutputIOIndex: 0n,
    bobInputIOIndex: 0n,
    bobOutputIOIndex: 0n,
    aliceBountyVaultId: w(11),
    bobBountyVaultId: w(12),
  };
  const logs = [
    // Block 1: both orders, alice deposits 10 B (calldata known), bob 5 A (event only).
    makeLog("AddOrderV3", [ALICE, hashOf(alice), alice], { blockNumber: 1n, logIndex: 0 }),
    makeLog("AddOrderV3", [BOB, hashOf(bob), bob], { blockNumber: 1n, logIndex: 1, txNumber: 1 }),
    makeLog("DepositV2", [ALICE, TOKEN_B, w(2), 10n * 10n ** 18n], {
      blockNumber: 1n,
      logIndex: 2,
      txNumber: 2,
    }),
    makeLog("DepositV2", [BOB, TOKEN_A, w(8), 5_000_000n], {
      blockNumber: 1n,
      logIndex: 3,
      txNumber: 3,
    }),
    // Block 2: a taker takes 4 B from alice paying 2 A.
    makeLog("ContextV2", [TAKER, [[w(1)]]], { blockNumber: 2n, logIndex: 0, txNumber: 4 }),
    makeLog("TakeOrderV3", [
      TAKER,
      {
        order: alice,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        signedContext: [],
      },
      f("4"),
      f("2"),
    ], { blockNumber: 2n, logIndex: 1, txNumber: 4 }),
    // Block 3: a clear (alice sends 3 B, gets 1.5 A; bob sends 1.5 A, gets 2.5 B) and a store
    // write under alice's namespace, plus one under a stranger's (filtered out).
    makeLog("ClearV3", [CLEARER, alice, bob, clearConfig], {
      blockNumber: 3n,
      logIndex: 0,
      txNumber: 5,
    }),
    makeLog("AfterClearV2", [CLEARER, {
      aliceOutput: f("3"),
      bobOutput: f("1.5"),
      aliceInput: f("1.5"),
      bobInput: f("2.5"),
    }], { blockNumber: 3n, logIndex: 1, txNumber: 5 }),
    makeLog("Set", [BigInt(fqn(ALICE)), w(1), f("42")], {
      blockNumber: 3n,
      logIndex: 2,
      txNumber: 5,
    }),
    makeLog("Set", [BigInt(fqn(TAKER)), w(1), f("13")], {
      blockNumber: 3n,
      logIndex: 3,
      txNumber: 6,
    }),
    // Block 4: alice withdraws what is left of B (target 5, got 3); bob removes his order.
    makeLog("WithdrawV2", [ALICE, TOKEN_B, w(2), f("5"), f("3"), 3n * 10n ** 18n], {
      blockNumber: 4n,
      logIndex: 0,
      txNumber: 7,
    }),
    makeLog("RemoveOrderV3", [BOB, hashOf(bob), bob], {
      blockNumber: 4n,
      logIndex: 1,
      txNumber: 8,
    }),
  ];
  const decoded = decodeLogs(logs, { orderbook: ORDERBOOK, version: "v5" });
  const events = filterStoreSets(decoded, ownerNamespaces(ownersOf(decoded), ORDERBOOK));
  assert.equal(events.length, logs.length - 1);

  const deposits = events.filter((e): e is DepositV2Event =>
    e.type === "DepositV2" && e.txHash === tx(2)
  );
  const calls = decodeDepositCalldata(
    depositCall("deposit3", TOKEN_B, w(2), f("10")),
    "v5",
    ORDERBOOK,
  );
  const result = eventsToMutations(events, {
    version: "v5",
    orderbook: ORDERBOOK,
    depositAmounts: matchDepositCalls(deposits, calls),
    tokenDecimals: { [TOKEN_A]: 6, [TOKEN_B]: 18 },
  });
  assert.deepEqual(result.inexact.map((d) => d.event.logIndex), [3]);
  assert.deepEqual(result.batches.map((b) => b.blockNumber), [1n, 2n, 3n, 4n]);

  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
  for (const batch of result.batches) applyMutations(engine, batch.mutations);

  // Hand-derived: alice A1 = 2 + 1.5; B2 = 10 − 4 − 3 − 3; bob B7 = 2.5, A8 = 5 − 1.5;
  // clearer B11 = 3 − 2.5, A12 = 1.5 − 1.5.
  const expected: [Address, Address, Hex, string][] = [
    [ALICE, TOKEN_A, w(1), "3.5"],
    [ALICE, TOKEN_B, w(2), "0"],
    [BOB, TOKEN_B, w(7), "2.5"],
    [BOB, TOKEN_A, w(8), "3.5"],
    [CLEARER, TOKEN_B, w(11), "0.5"],
    [CLEARER, TOKEN_A, w(12), "0"],
  ];
  for (const [owner, token, vaultId, amount] of expected) {
    const actual = balance(engine, owner, token, vaultId);
    assert.ok(eq(actual as Hex, f(amount)), `${owner} ${token} ${vaultId}: ${actual} != ${amount}`);
  }
  assert.equal(getOrder(engine, hashOf(alice))?.live, true);
  assert.equal(getOrder(engine, hashOf(bob))?.live, false);
  assert.equal(getStoreValue(engine, { store: STORE, namespace: fqn(ALICE), key: w(1) }), f("42"));
  assert.equal(getStoreValue(engine, { store: STORE, namespace: fqn(TAKER), key: w(1) }), w(0));
  assert.equal(getTokenDecimals(engine, TOKEN_A), 6);
  assert.equal(getTokenDecimals(engine, TOKEN_B), 18);
  assert.deepEqual(getEnv(engine), {
    chainId: 1n,
    blockNumber: 4n,
    timestamp: 1_700_000_000n + 4n * 12n,
  });
});
