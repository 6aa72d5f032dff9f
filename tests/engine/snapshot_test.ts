import assert from "node:assert/strict";
import { type Address, getAddress, type Hex } from "viem";
import {
  applyMutations,
  createSnapshotBundle,
  fromSnapshot,
  getOrder,
  listOrderHashes,
  openSnapshotBundle,
  quote,
  type RaindexMutation,
  snapshot,
  snapshotToJson,
  takeOrdersAndApplyState,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import { createCodeCache } from "../../src/evm/mod.ts";
import { createScriptedHost } from "./_scripted_host.ts";
import {
  ALICE,
  BOB,
  CAROL,
  f,
  fqn,
  INTERPRETER,
  makeEngine,
  makeOrder,
  STORE,
  TAKER,
  throwsWith,
  TOKEN_A,
  TOKEN_B,
  TOKEN_C,
  w,
} from "./_fixtures.ts";
import { prng } from "../_helpers/prng.ts";

const host = createScriptedHost({
  "0x01": [(call) => ({
    stack: [call.get(w(1)) === w(0) ? f("1") : call.get(w(1)), f("50")],
    writes: [w(2), `0x${call.env.blockNumber.toString(16).padStart(64, "0")}`],
  }), (call) => ({ stack: [], writes: [w(3), call.context[4][4]] })],
});

Deno.test("snapshot: canonical JSON for equal states", async (t) => {
  const o1 = makeOrder({ bytecode: "0x01" });
  const o2 = makeOrder({ owner: BOB, bytecode: "0x01" });
  const forward: RaindexMutation[] = [
    { type: "setOrders", orders: [o1, o2] },
    {
      type: "vaultDeltas",
      deltas: [{ owner: ALICE, token: TOKEN_B, vaultId: w(2), op: "increase", amount: f("3") }],
    },
    { type: "applyStore", store: STORE, namespace: fqn(ALICE), kvs: [w(1), f("2"), w(3), w(4)] },
  ];
  const upper = (a: Address) => `0x${a.slice(2).toUpperCase()}` as Address;
  const backward: RaindexMutation[] = [
    {
      type: "applyStore",
      store: upper(STORE),
      namespace: fqn(ALICE),
      kvs: [w(3), w(4), w(1), f("2")],
    },
    {
      type: "vaultDeltas",
      deltas: [{
        owner: upper(ALICE),
        token: upper(TOKEN_B),
        vaultId: w(2),
        op: "increase",
        amount: f("3"),
      }],
    },
    { type: "setOrders", orders: [o2, { ...o1, owner: upper(ALICE) }] },
  ];
  await t.step("insertion order and address case do not matter", () => {
    const a = snapshotToJson(snapshot(makeEngine(host, forward)));
    const b = snapshotToJson(snapshot(makeEngine(host, backward)));
    assert.equal(a, b);
    assert.equal(
      JSON.stringify(snapshot(makeEngine(host, forward))),
      a,
      "snapshot() is already canonical",
    );
  });
  await t.step("JSON-safe: bigints as decimal strings, checksummed addresses", () => {
    const s = snapshot(makeEngine(host, forward));
    assert.equal(s.env.chainId, "137");
    assert.equal(s.vaults[0].owner, getAddress(ALICE));
    assert.equal(s.format, "vraindex/engine-snapshot");
    assert.equal(s.version, 1);
  });
});

Deno.test("snapshot: corrupt input is rejected with typed errors", async (t) => {
  const engine = makeEngine(host, [{
    type: "setOrders",
    orders: [makeOrder({ bytecode: "0x01" })],
  }]);
  const good = JSON.parse(snapshotToJson(snapshot(engine)));
  const cases: [string, unknown][] = [
    ["not JSON", "{"],
    ["wrong version", { ...good, version: 2 }],
    ["wrong format", { ...good, format: "x" }],
    ["bad env", { ...good, env: { ...good.env, blockNumber: "-1" } }],
    ["order body does not hash to its key", {
      ...good,
      orders: [{ ...good.orders[0], hash: w(1) }],
    }],
    ["duplicate order", { ...good, orders: [good.orders[0], good.orders[0]] }],
    ["uppercase word", {
      ...good,
      orders: [{ ...good.orders[0], hash: good.orders[0].hash.toUpperCase() }],
    }],
  ];
  for (const [name, input] of cases) {
    await t.step(name, () => {
      const e = throwsWith(
        () => fromSnapshot(typeof input === "string" ? input : JSON.stringify(input), { host }),
        "InvalidSnapshotError",
      );
      assert.ok((e.details.issues as string[]).length > 0);
    });
  }
  await t.step("the good one restores", () => {
    assert.equal(snapshotToJson(snapshot(fromSnapshot(good, { host }))), snapshotToJson(good));
  });
});

Deno.test("snapshot: code cache must hold every live order's interpreter and store", async (t) => {
  const other: Address = "0x3000000000000000000000000000000000000003";
  const o1 = makeOrder({ bytecode: "0x01" });
  const o2 = {
    ...makeOrder({ owner: BOB, bytecode: "0x01" }),
    evaluable: { interpreter: other, store: STORE, bytecode: "0x01" as Hex },
  };
  const dead = {
    ...makeOrder({ owner: CAROL, bytecode: "0x01" }),
    evaluable: { interpreter: TOKEN_C, store: TOKEN_C, bytecode: "0x01" as Hex },
  };
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [o1, o2] },
    { type: "setOrders", orders: [dead], live: false },
  ]);
  const snap = snapshot(engine);
  await t.step("all missing addresses listed at once (dead orders need none)", () => {
    const cache = createCodeCache();
    cache.upsert({ address: STORE, kind: "store", bytecode: "0x00" });
    const e = throwsWith(
      () => fromSnapshot(snap, { host, codeCache: cache }),
      "SnapshotBytecodeMissingError",
    );
    const missing = e.details.missing as { address: string; kind: string; orderHashes: string[] }[];
    assert.deepEqual(missing.map((m) => [m.address.toLowerCase(), m.kind]), [
      [INTERPRETER.toLowerCase(), "interpreter"],
      [other, "interpreter"],
    ]);
  });
  await t.step("a complete cache restores; a bundle carries the code hashes", () => {
    const cache = createCodeCache();
    cache.upsert({ address: STORE, kind: "store", bytecode: "0x00" });
    cache.upsert({ address: INTERPRETER, kind: "interpreter", bytecode: "0x01" });
    cache.upsert({ address: other, kind: "interpreter", bytecode: "0x02" });
    const restored = fromSnapshot(snap, { host, codeCache: cache });
    assert.equal(snapshotToJson(snapshot(restored)), snapshotToJson(snap));
    const bundle = createSnapshotBundle(engine, { codeCache: cache });
    assert.equal(bundle.code.length, 3);
    assert.ok(bundle.code.every((c) => c.codeHash !== null));
    assert.equal(bundle.meta.liveOrders, 2);
    assert.equal(bundle.meta.knownOrders, 3);
    const opened = openSnapshotBundle(JSON.stringify(bundle), { host, codeCache: cache });
    assert.equal(snapshotToJson(snapshot(opened)), snapshotToJson(snap));
    const otherCache = createCodeCache();
    otherCache.upsert({ address: STORE, kind: "store", bytecode: "0x00" });
    otherCache.upsert({ address: INTERPRETER, kind: "interpreter", bytecode: "0x01" });
    otherCache.upsert({ address: other, kind: "interpreter", bytecode: "0x03" });
    throwsWith(
      () => openSnapshotBundle(bundle, { host, codeCache: otherCache }),
      "InvalidSnapshotError",
    );
    throwsWith(
      () => openSnapshotBundle({ ...bundle, meta: { ...bundle.meta, chainId: "1" } }, { host }),
      "InvalidSnapshotError",
    );
  });
});

async function quotesOf(engine: VirtualRaindex): Promise<string> {
  const out: unknown[] = [];
  for (const hash of listOrderHashes(engine)) {
    const r = await quote(engine, {
      orderHash: hash,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    out.push(r);
  }
  return JSON.stringify(out, (_k, v) => typeof v === "bigint" ? v.toString() : v);
}

Deno.test("snapshot: property — restore at random points gives identical quotes and snapshots", async () => {
  let takesOk = 0;
  for (const seed of [1, 2, 3, 42, 1234]) {
    const rand = prng(seed);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const owners = [ALICE, BOB, CAROL];
    const tokens = [TOKEN_A, TOKEN_B];
    const orders = owners.flatMap((owner) =>
      [0, 1].map((nonce) =>
        makeOrder({
          owner,
          bytecode: "0x01",
          nonce,
          inputs: [{ token: TOKEN_A, vaultId: w(nonce) }],
          outputs: [{ token: TOKEN_B, vaultId: w(nonce) }],
        })
      )
    );
    const engine = makeEngine(host);
    let restoredChecks = 0;
    for (let step = 0; step < 60; step++) {
      const r = rand();
      let m: RaindexMutation;
      if (r < 0.2) m = { type: "setOrders", orders: [pick(orders)] };
      else if (r < 0.3) {
        const live = listOrderHashes(engine);
        m = live.length === 0
          ? { type: "setEnv", timestamp: BigInt(step) }
          : { type: "removeOrders", orderHashes: [pick(live)] };
      } else if (r < 0.6) {
        m = {
          type: "vaultDeltas",
          deltas: [{
            owner: pick(owners),
            token: pick(tokens),
            vaultId: w(Math.floor(rand() * 2)),
            op: pick(["increase", "decrease", "set"] as const),
            amount: f((rand() * 100).toFixed(Math.floor(rand() * 6))),
          }],
        };
      } else if (r < 0.85) {
        m = {
          type: "applyStore",
          store: STORE,
          namespace: fqn(pick(owners)),
          kvs: [w(1 + Math.floor(rand() * 2)), rand() < 0.2 ? w(0) : f((rand() * 10).toFixed(2))],
        };
      } else {m = {
          type: "setEnv",
          blockNumber: BigInt(step),
          timestamp: BigInt(1700000000 + step * 12),
        };}
      const before = snapshotToJson(snapshot(engine));
      try {
        applyMutations(engine, [m]);
      } catch (error) {
        // Only an overdrawn vault may fail here, and then nothing may change.
        assert.equal((error as Error).name, "NegativeVaultBalanceError");
        assert.equal(snapshotToJson(snapshot(engine)), before);
      }
      if (rand() < 0.25) {
        const json = snapshotToJson(snapshot(engine));
        const restored = fromSnapshot(json, { host });
        assert.equal(
          snapshotToJson(snapshot(restored)),
          json,
          `seed ${seed} step ${step}: snapshot`,
        );
        assert.equal(
          await quotesOf(restored),
          await quotesOf(engine),
          `seed ${seed} step ${step}: quotes`,
        );
        // The same take on both gives the same result and the same state afterwards.
        const live = listOrderHashes(engine, { live: true });
        if (live.length > 0) {
          const orderHash = pick(live);
          const maximumInput = f((rand() * 20 + 1).toFixed(3));
          const take = async (e: VirtualRaindex): Promise<string> => {
            try {
              const r = await takeOrdersAndApplyState(e, {
                taker: TAKER,
                minimumInput: f("0"),
                maximumInput,
                maximumIORatio: f("1000000"),
                orders: [{
                  order: getOrder(e, orderHash)!.order,
                  inputIOIndex: 0n,
                  outputIOIndex: 0n,
                }],
              });
              return JSON.stringify(r, (_k, v) => typeof v === "bigint" ? v.toString() : v);
            } catch (error) {
              return (error as Error).name;
            }
          };
          const taken = await take(restored);
          assert.equal(taken, await take(engine), `seed ${seed} step ${step}: take`);
          if (taken.startsWith("{")) takesOk++;
          assert.equal(snapshotToJson(snapshot(restored)), snapshotToJson(snapshot(engine)));
        }
        restoredChecks++;
      }
    }
    assert.ok(restoredChecks > 3, `seed ${seed}: too few restore points (${restoredChecks})`);
  }
  assert.ok(takesOk > 3, `too few successful takes (${takesOk})`);
});
