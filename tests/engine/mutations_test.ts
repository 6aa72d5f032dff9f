import assert from "node:assert/strict";
import { eq, packFloat } from "../../src/float/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  getEnv,
  getOrder,
  getStoreValue,
  getTokenDecimals,
  getVaultBalance,
  listOrderHashes,
  parseRaindexMutations,
  type RaindexMutation,
  snapshot,
} from "../../src/engine/mod.ts";
import { createScriptedHost } from "./_scripted_host.ts";
import {
  ALICE,
  BOB,
  f,
  fqn,
  hashOf,
  makeEngine,
  makeOrder,
  ORDERBOOK,
  STORE,
  throwsWith,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_fixtures.ts";

const host = createScriptedHost({});
const vault = { owner: ALICE, token: TOKEN_A, vaultId: w(1) };
const delta = (op: "increase" | "decrease" | "set", amount: string): RaindexMutation => ({
  type: "vaultDeltas",
  deltas: [{ ...vault, op, amount: f(amount) }],
});

Deno.test("mutations: each kind", async (t) => {
  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });

  await t.step("setEnv (bigint or decimal string; omitted fields kept)", () => {
    applyMutations(engine, [{
      type: "setEnv",
      chainId: "10",
      blockNumber: 5n,
      timestamp: "1700000000",
    }]);
    applyMutations(engine, [{ type: "setEnv", blockNumber: "6" }]);
    assert.deepEqual(getEnv(engine), { chainId: 10n, blockNumber: 6n, timestamp: 1700000000n });
  });
  await t.step("setOrders: live by default, replace, live false", () => {
    const o = makeOrder({ bytecode: "0x01" });
    applyMutations(engine, [{ type: "setOrders", orders: [o] }]);
    assert.equal(getOrder(engine, hashOf(o))?.live, true);
    applyMutations(engine, [{
      type: "setOrders",
      orders: [makeOrder({ bytecode: "0x02" })],
      live: false,
    }]);
    assert.equal(getOrder(engine, hashOf(makeOrder({ bytecode: "0x02" })))?.live, false);
    assert.deepEqual(listOrderHashes(engine, { live: true }), [hashOf(o)]);
    assert.equal(listOrderHashes(engine).length, 2);
  });
  await t.step("removeOrders keeps the body, dead", () => {
    const o = makeOrder({ bytecode: "0x01" });
    applyMutations(engine, [{ type: "removeOrders", orderHashes: [hashOf(o)] }]);
    assert.deepEqual(getOrder(engine, hashOf(o)), {
      order: getOrder(engine, hashOf(o))!.order,
      live: false,
    });
    assert.equal(getOrder(engine, hashOf(o))!.order.evaluable.bytecode, "0x01");
    applyMutations(engine, [{ type: "setOrders", orders: [o] }]);
    assert.equal(getOrder(engine, hashOf(o))?.live, true, "re-adding makes it live again");
  });
  await t.step("vaultDeltas: increase, decrease, set", () => {
    applyMutations(engine, [delta("increase", "1.5"), delta("increase", "2.25")]);
    assert.ok(eq(getVaultBalance(engine, vault), f("3.75")));
    applyMutations(engine, [delta("decrease", "0.75")]);
    assert.ok(eq(getVaultBalance(engine, vault), f("3")));
    applyMutations(engine, [delta("set", "42")]);
    assert.equal(getVaultBalance(engine, vault), f("42"));
  });
  await t.step("an increase of a zero vault keeps the amount's bits (Float add)", () => {
    const odd = packFloat(150n, -2);
    applyMutations(engine, [{
      type: "vaultDeltas",
      deltas: [{ owner: BOB, token: TOKEN_B, vaultId: w(3), op: "increase", amount: odd }],
    }]);
    assert.equal(getVaultBalance(engine, { owner: BOB, token: TOKEN_B, vaultId: w(3) }), odd);
  });
  await t.step("applyStore: pairs in order, later wins, zero deletes", () => {
    applyMutations(engine, [{
      type: "applyStore",
      store: STORE,
      namespace: fqn(ALICE),
      kvs: [w(1), w(2), w(1), w(3)],
    }]);
    assert.equal(getStoreValue(engine, { store: STORE, owner: ALICE, key: w(1) }), w(3));
    assert.equal(getStoreValue(engine, { store: STORE, namespace: fqn(ALICE), key: w(1) }), w(3));
    applyMutations(engine, [{
      type: "applyStore",
      store: STORE,
      namespace: fqn(ALICE),
      kvs: [w(1), w(0)],
    }]);
    assert.equal(snapshot(engine).store.length, 0);
  });
  await t.step("setTokenDecimals", () => {
    applyMutations(engine, [{
      type: "setTokenDecimals",
      tokens: [{ token: TOKEN_A, decimals: 0 }],
    }]);
    assert.equal(getTokenDecimals(engine, TOKEN_A), 0);
  });
  await t.step("batch (nested) counts leaves", () => {
    const r = applyMutations(engine, [{
      type: "batch",
      mutations: [{ type: "setEnv", timestamp: 1n }, {
        type: "batch",
        mutations: [{ type: "setEnv", blockNumber: 7n }],
      }],
    }]);
    assert.equal(r.applied, 2);
    assert.equal(getEnv(engine).blockNumber, 7n);
  });
});

Deno.test("mutations: atomic — any error leaves the state unchanged", async (t) => {
  const engine = makeEngine(host, [delta("increase", "5")]);
  const before = JSON.stringify(snapshot(engine));
  const cases: [string, RaindexMutation[], string][] = [
    [
      "vault going negative",
      [{ type: "setEnv", blockNumber: 999n }, delta("decrease", "5.01")],
      "NegativeVaultBalanceError",
    ],
    [
      "negative increase",
      [delta("increase", "1"), delta("increase", "-1")],
      "NegativeVaultBalanceChangeError",
    ],
    ["negative set", [delta("set", "-1")], "NegativeVaultBalanceError"],
    ["unknown order removal", [{ type: "setOrders", orders: [makeOrder({ bytecode: "0x09" })] }, {
      type: "removeOrders",
      orderHashes: [w(1)],
    }], "OrderNotFoundError"],
    [
      "bad decimals",
      [{ type: "setTokenDecimals", tokens: [{ token: TOKEN_B, decimals: 256 }] }],
      "InvalidMutationError",
    ],
    [
      "odd kvs",
      [{ type: "applyStore", store: STORE, namespace: fqn(ALICE), kvs: [w(1)] }],
      "InvalidMutationError",
    ],
    [
      "bad word",
      [{ type: "applyStore", store: STORE, namespace: "0x12", kvs: [] }],
      "InvalidMutationError",
    ],
    ["negative env", [{ type: "setEnv", blockNumber: -1n }], "InvalidMutationError"],
    ["unknown type", [{ type: "nope" } as unknown as RaindexMutation], "InvalidMutationError"],
    ["error deep in a batch", [delta("increase", "1"), {
      type: "batch",
      mutations: [delta("increase", "1"), { type: "batch", mutations: [delta("decrease", "100")] }],
    }], "NegativeVaultBalanceError"],
  ];
  for (const [name, mutations, error] of cases) {
    await t.step(name, () => {
      throwsWith(() => applyMutations(engine, mutations), error);
      assert.equal(JSON.stringify(snapshot(engine)), before);
    });
  }
});

Deno.test("mutations: parseRaindexMutations validates JSON input", async (t) => {
  await t.step("round trip through JSON", () => {
    const mutations: RaindexMutation[] = [
      { type: "setEnv", blockNumber: "12" },
      { type: "setOrders", orders: [makeOrder({ bytecode: "0x01" })] },
      { type: "batch", mutations: [delta("increase", "1")] },
    ];
    const parsed = parseRaindexMutations(JSON.parse(JSON.stringify(mutations)));
    assert.deepEqual(parsed, mutations);
    const a = makeEngine(host, parsed);
    const b = makeEngine(host, mutations);
    assert.equal(JSON.stringify(snapshot(a)), JSON.stringify(snapshot(b)));
  });
  await t.step("rejects with a path", () => {
    const e = throwsWith(
      () =>
        parseRaindexMutations([{
          type: "vaultDeltas",
          deltas: [{ ...vault, op: "add", amount: w(1) }],
        }]),
      "InvalidMutationError",
    );
    assert.match(String(e.details.path), /^0\.deltas\.0\.op/);
  });
});

Deno.test("mutations: setOrders with the orderbook's own hashes", async (t) => {
  const o1 = makeOrder({ bytecode: "0x01", nonce: 1 });
  const o2 = makeOrder({ bytecode: "0x02", nonce: 2 });

  await t.step("the given hashes key the orders (hashOf checks them independently)", () => {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
    applyMutations(engine, [{
      type: "setOrders",
      orders: [o1, o2],
      orderHashes: [hashOf(o1).toUpperCase().replace("0X", "0x") as `0x${string}`, hashOf(o2)],
    }]);
    assert.deepEqual(listOrderHashes(engine).sort(), [hashOf(o1), hashOf(o2)].sort());
    assert.equal(getOrder(engine, hashOf(o1))?.live, true);
  });

  await t.step("a hash per order, each a 32-byte word, or the batch is rejected whole", () => {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
    const short = throwsWith(
      () =>
        applyMutations(engine, [{
          type: "setOrders",
          orders: [o1, o2],
          orderHashes: [hashOf(o1)],
        }]),
      "InvalidMutationError",
    );
    assert.equal(short.details.reason, "length");
    const bad = throwsWith(
      () => applyMutations(engine, [{ type: "setOrders", orders: [o1], orderHashes: ["0x1234"] }]),
      "InvalidMutationError",
    );
    assert.equal(bad.details.path, "0.orderHashes.0");
    assert.deepEqual(listOrderHashes(engine), []);
    throwsWith(
      () => parseRaindexMutations([{ type: "setOrders", orders: [], orderHashes: ["0x12"] }]),
      "InvalidMutationError",
    );
  });
});
