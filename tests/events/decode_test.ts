import assert from "node:assert/strict";
import { getAddress } from "viem";
import {
  decodeLogs,
  decodeOrderbookLog,
  decodeStoreLog,
  MalformedLogError,
  UnknownEventError,
} from "../../src/events/mod.ts";
import {
  ALICE,
  BOB,
  CLEARER,
  f,
  hashOf,
  makeLog,
  makeOrder,
  ORDERBOOK,
  STORE,
  TAKER,
  throwsNamed,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_logs.ts";

const order = makeOrder({ bytecode: "0xdeadbeef" });
const bob = makeOrder({
  owner: BOB,
  inputs: [{ token: TOKEN_B, vaultId: w(7) }],
  outputs: [{ token: TOKEN_A, vaultId: w(8) }],
});
const checksummedOrder = (o: typeof order) => ({
  owner: getAddress(o.owner),
  evaluable: {
    interpreter: getAddress(o.evaluable.interpreter),
    store: getAddress(o.evaluable.store),
    bytecode: o.evaluable.bytecode,
  },
  validInputs: o.validInputs.map((io) => ({ token: getAddress(io.token), vaultId: io.vaultId })),
  validOutputs: o.validOutputs.map((io) => ({ token: getAddress(io.token), vaultId: io.vaultId })),
  nonce: o.nonce,
});

Deno.test("decodeOrderbookLog: every event round-trips from independently encoded logs", async (t) => {
  for (const version of ["v5", "v6"] as const) {
    await t.step(`${version}: AddOrderV3 / RemoveOrderV3 with position`, () => {
      for (const name of ["AddOrderV3", "RemoveOrderV3"] as const) {
        const log = makeLog(name, [ALICE, hashOf(order), order], {
          blockNumber: 42n,
          logIndex: 3,
          txNumber: 9,
          txIndex: 2,
        });
        const event = decodeOrderbookLog(log, version);
        assert.equal(event.type, name);
        assert.equal(event.blockNumber, 42n);
        assert.equal(event.logIndex, 3);
        assert.equal(event.txHash, log.transactionHash);
        assert.equal(event.txIndex, 2);
        assert.equal(event.chainId, 1);
        assert.equal(event.address, ORDERBOOK);
        assert.equal(event.blockHash, log.blockHash);
        assert.equal(event.timestamp, log.timestamp);
        assert.deepEqual(event.args, {
          sender: getAddress(ALICE),
          orderHash: hashOf(order),
          order: checksummedOrder(order),
        });
      }
    });
  }

  await t.step("DepositV2 and WithdrawV2", () => {
    const d = decodeOrderbookLog(makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1000001n]), "v5");
    assert.equal(d.type, "DepositV2");
    assert.deepEqual(d.args, {
      sender: getAddress(ALICE),
      token: getAddress(TOKEN_A),
      vaultId: w(1),
      depositAmountUint256: 1000001n,
    });
    const wd = decodeOrderbookLog(
      makeLog("WithdrawV2", [ALICE, TOKEN_A, w(1), f("5"), f("1.2345678"), 1234567n]),
      "v6",
    );
    assert.deepEqual(wd.args, {
      sender: getAddress(ALICE),
      token: getAddress(TOKEN_A),
      vaultId: w(1),
      targetAmount: f("5"),
      withdrawAmount: f("1.2345678"),
      withdrawAmountUint256: 1234567n,
    });
  });

  await t.step("TakeOrderV3 with signed context", () => {
    const config = {
      order,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      signedContext: [{ signer: BOB, context: [w(5), w(6)], signature: "0x1234" as const }],
    };
    const event = decodeOrderbookLog(
      makeLog("TakeOrderV3", [TAKER, config, f("3"), f("1.5")]),
      "v5",
    );
    assert.equal(event.type, "TakeOrderV3");
    if (event.type !== "TakeOrderV3") return;
    assert.equal(event.args.input, f("3"));
    assert.equal(event.args.output, f("1.5"));
    assert.equal(event.args.config.inputIOIndex, 0n);
    assert.deepEqual(event.args.config.order, checksummedOrder(order));
    assert.deepEqual(event.args.config.signedContext, [
      { signer: getAddress(BOB), context: [w(5), w(6)], signature: "0x1234" },
    ]);
  });

  await t.step("ClearV3 and AfterClearV2", () => {
    const clearConfig = {
      aliceInputIOIndex: 0n,
      aliceOutputIOIndex: 0n,
      bobInputIOIndex: 0n,
      bobOutputIOIndex: 0n,
      aliceBountyVaultId: w(11),
      bobBountyVaultId: w(12),
    };
    const c = decodeOrderbookLog(makeLog("ClearV3", [CLEARER, order, bob, clearConfig]), "v5");
    assert.equal(c.type, "ClearV3");
    if (c.type !== "ClearV3") return;
    assert.deepEqual(c.args.clearConfig, clearConfig);
    assert.deepEqual(c.args.bob, checksummedOrder(bob));
    const change = {
      aliceOutput: f("2"),
      bobOutput: f("3"),
      aliceInput: f("2.5"),
      bobInput: f("1"),
    };
    const a = decodeOrderbookLog(makeLog("AfterClearV2", [CLEARER, change]), "v5");
    assert.deepEqual(a.args, { sender: getAddress(CLEARER), clearStateChange: change });
  });

  await t.step("ContextV2, MetaV1_2 and the skip events", () => {
    const context = [[w(1), w(2)], [], [w(3)]];
    const ctx = decodeOrderbookLog(makeLog("ContextV2", [TAKER, context]), "v5");
    assert.deepEqual(ctx.args, { sender: getAddress(TAKER), context });
    const meta = decodeOrderbookLog(makeLog("MetaV1_2", [ALICE, hashOf(order), "0xff0a"]), "v6");
    assert.deepEqual(meta.args, {
      sender: getAddress(ALICE),
      subject: hashOf(order),
      meta: "0xff0a",
    });
    for (const name of ["OrderNotFound", "OrderZeroAmount", "OrderExceedsMaxRatio"] as const) {
      const e = decodeOrderbookLog(makeLog(name, [TAKER, ALICE, hashOf(order)]), "v5");
      assert.equal(e.type, name);
      assert.deepEqual(e.args, {
        sender: getAddress(TAKER),
        owner: getAddress(ALICE),
        orderHash: hashOf(order),
      });
    }
  });
});

Deno.test("decodeStoreLog: Set", () => {
  const log = makeLog("Set", [123n, w(4), f("2.5")], { logIndex: 7 });
  const event = decodeStoreLog(log);
  assert.equal(event.type, "Set");
  assert.equal(event.address, STORE);
  assert.equal(event.logIndex, 7);
  assert.deepEqual(event.args, { namespace: 123n, key: w(4), value: f("2.5") });
});

Deno.test("decode errors", async (t) => {
  await t.step("unknown topic 0 names the log", () => {
    const log = {
      ...makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n], { logIndex: 5, blockNumber: 77n }),
      topics: [w(99)],
    };
    const error = throwsNamed(() => decodeOrderbookLog(log, "v5"), "UnknownEventError");
    assert.ok(error instanceof UnknownEventError);
    assert.equal(error.details.topic0, w(99));
    assert.equal(error.details.logIndex, 5);
    assert.equal(error.details.blockNumber, "77");
    assert.equal(error.details.address, ORDERBOOK);
  });
  await t.step("a store Set is unknown to the orderbook ABI and vice versa", () => {
    throwsNamed(
      () => decodeOrderbookLog(makeLog("Set", [1n, w(1), w(2)]), "v5"),
      "UnknownEventError",
    );
    throwsNamed(
      () => decodeStoreLog(makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n])),
      "UnknownEventError",
    );
  });
  await t.step("no topics", () => {
    const log = { ...makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n]), topics: [] };
    const error = throwsNamed(() => decodeOrderbookLog(log, "v5"), "UnknownEventError");
    assert.equal(error.details.topic0, null);
  });
  await t.step("truncated data is malformed, with the decode cause", () => {
    const good = makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n]);
    const log = { ...good, data: good.data.slice(0, 2 + 64 * 3) as `0x${string}` };
    const error = throwsNamed(() => decodeOrderbookLog(log, "v5"), "MalformedLogError");
    assert.ok(error instanceof MalformedLogError);
    assert.equal(error.details.event, "DepositV2");
    assert.ok(error.cause instanceof Error);
  });
  await t.step("a dynamic offset pointing past the data is malformed", () => {
    const good = makeLog("AddOrderV3", [ALICE, hashOf(order), order]);
    const log = {
      ...good,
      data: `${good.data.slice(0, 2 + 128)}${"f".repeat(64)}${
        good.data.slice(2 + 192)
      }` as `0x${string}`,
    };
    throwsNamed(() => decodeOrderbookLog(log, "v5"), "MalformedLogError");
  });
  await t.step("extra (indexed) topics are malformed", () => {
    const good = makeLog("Set", [1n, w(1), w(2)]);
    const log = { ...good, topics: [...good.topics, w(1)] };
    const error = throwsNamed(() => decodeStoreLog(log), "MalformedLogError");
    assert.match(String(error.details.reason), /1 topic/);
  });
  await t.step("unsupported version", () => {
    throwsNamed(
      () => decodeOrderbookLog(makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n]), "v4" as "v5"),
      "UnsupportedOrderbookVersionError",
    );
  });
});

Deno.test("decodeLogs routes by address and keeps order", () => {
  const logs = [
    makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n], { logIndex: 0 }),
    makeLog("Set", [1n, w(1), w(2)], { logIndex: 1 }),
    makeLog("WithdrawV2", [ALICE, TOKEN_A, w(1), f("1"), f("1"), 1n], { logIndex: 2 }),
  ];
  const events = decodeLogs(logs, {
    orderbook: ORDERBOOK.toUpperCase().replace("0X", "0x") as `0x${string}`,
    version: "v5",
  });
  assert.deepEqual(events.map((e) => e.type), ["DepositV2", "Set", "WithdrawV2"]);
});

Deno.test("decoding an order named again: equal orders are shared and frozen, others are not", () => {
  const take = (o: typeof order, signer: `0x${string}`) =>
    makeLog("TakeOrderV3", [
      TAKER,
      {
        order: o,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        // A signed context before the order's tail changes where the order sits in the data.
        signedContext: [{ signer, context: [w(5)], signature: "0x1234" as const }],
      },
      f("3"),
      f("1.5"),
    ]);
  const first = decodeOrderbookLog(take(order, BOB), "v5");
  const again = decodeOrderbookLog(take(order, ALICE), "v5");
  const other = decodeOrderbookLog(take(makeOrder({ bytecode: "0xdeadbeee" }), BOB), "v5");
  if (
    first.type !== "TakeOrderV3" || again.type !== "TakeOrderV3" || other.type !== "TakeOrderV3"
  ) {
    throw new Error("expected takes");
  }
  assert.deepEqual(first.args.config.order, checksummedOrder(order));
  assert.equal(again.args.config.order, first.args.config.order);
  assert.ok(Object.isFrozen(first.args.config.order));
  assert.ok(Object.isFrozen(first.args.config.order.validInputs[0]));
  assert.throws(() => (first.args.config.order.validInputs as unknown[]).push({}), TypeError);
  // One byte of bytecode differs: a different order, decoded on its own.
  assert.notEqual(other.args.config.order, first.args.config.order);
  assert.equal(other.args.config.order.evaluable.bytecode, "0xdeadbeee");
  // The signed contexts are each log's own.
  assert.equal(first.args.config.signedContext[0].signer, getAddress(BOB));
  assert.equal(again.args.config.signedContext[0].signer, getAddress(ALICE));
});

Deno.test("decodeLogs takes stored rows whose unknown timestamp is null", () => {
  const { timestamp: _, ...withoutTimestamp } = makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1n]);
  const [event] = decodeLogs([{ ...withoutTimestamp, timestamp: null }], {
    orderbook: ORDERBOOK,
    version: "v5",
  });
  assert.equal(event.type, "DepositV2");
  assert.ok(!("timestamp" in event), "no timestamp field rather than a null one");
});
