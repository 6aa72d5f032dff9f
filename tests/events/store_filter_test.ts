import assert from "node:assert/strict";
import {
  decodeLogs,
  eventsToMutations,
  filterStoreSets,
  ownerNamespaces,
  ownersOf,
} from "../../src/events/mod.ts";
import {
  ALICE,
  BOB,
  CLEARER,
  fqn,
  hashOf,
  makeLog,
  makeOrder,
  ORDERBOOK,
  TAKER,
  w,
} from "./_logs.ts";

Deno.test("store filtering by owner namespaces", async (t) => {
  await t.step("ownerNamespaces = keccak256(abi.encode(owner, orderbook)), per owner", () => {
    const fqns = ownerNamespaces([makeOrder(), makeOrder({ nonce: w(9) }), BOB], ORDERBOOK);
    assert.deepEqual([...fqns].sort(), [fqn(ALICE), fqn(BOB)].sort());
  });
  await t.step("ownersOf collects order owners from adds, takes and clears", () => {
    const alice = makeOrder();
    const bob = makeOrder({ owner: BOB });
    const clearConfig = {
      aliceInputIOIndex: 0n,
      aliceOutputIOIndex: 0n,
      bobInputIOIndex: 0n,
      bobOutputIOIndex: 0n,
      aliceBountyVaultId: w(1),
      bobBountyVaultId: w(2),
    };
    const events = decodeLogs([
      makeLog("AddOrderV3", [ALICE, hashOf(alice), alice], { logIndex: 0 }),
      makeLog("ClearV3", [CLEARER, alice, bob, clearConfig], { logIndex: 1 }),
      makeLog("OrderNotFound", [TAKER, CLEARER, hashOf(alice)], { logIndex: 2 }),
    ], { orderbook: ORDERBOOK, version: "v5" });
    assert.deepEqual(ownersOf(events).map((a) => a.toLowerCase()), [ALICE, BOB]);
  });
  await t.step("filterStoreSets keeps owners' Sets and all orderbook events", () => {
    const other = "0x0000000000000000000000000000000000000fff";
    const events = decodeLogs([
      makeLog("Set", [BigInt(fqn(ALICE)), w(1), w(2)], { logIndex: 0 }),
      makeLog("Set", [BigInt(fqn(other)), w(1), w(3)], { logIndex: 1 }),
      makeLog("Set", [BigInt(fqn(ALICE, other)), w(1), w(4)], { logIndex: 2 }),
      makeLog("OrderNotFound", [TAKER, ALICE, w(0)], { logIndex: 3 }),
    ], { orderbook: ORDERBOOK, version: "v5" });
    const kept = filterStoreSets(events, ownerNamespaces([ALICE], ORDERBOOK));
    assert.deepEqual(kept.map((e) => e.logIndex), [0, 3]);
    const applied = eventsToMutations(kept, { version: "v5" }).batches[0].mutations;
    assert.deepEqual(applied.slice(1).map((m) => m.type === "applyStore" ? m.namespace : m.type), [
      fqn(ALICE),
    ]);
  });
});
