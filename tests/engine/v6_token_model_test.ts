/** Token-model mutations: validation, OpenZeppelin-like transfer semantics, atomicity. */
import assert from "node:assert/strict";
import {
  applyMutations,
  getAllowance,
  getTokenBalance,
  parseRaindexMutations,
  snapshot,
  snapshotToJson,
} from "../../src/engine/mod.ts";
import { createScriptedHost } from "./_scripted_host.ts";
import { ALICE, BOB, ORDERBOOK, throwsWith, TOKEN_A } from "./_fixtures.ts";
import { makeV6Engine } from "./_v6.ts";

const MAX = (1n << 256n) - 1n;

Deno.test("token model mutations", async (t) => {
  const engine = makeV6Engine(createScriptedHost({}), [
    {
      type: "setTokenBalances",
      balances: [{ token: TOKEN_A, account: ALICE, amount: "100" }, {
        token: TOKEN_A,
        account: ORDERBOOK,
        amount: 0n,
      }],
    },
    {
      type: "setAllowances",
      allowances: [{ token: TOKEN_A, owner: ALICE, amount: "30" }, {
        token: TOKEN_A,
        owner: BOB,
        amount: MAX.toString(),
      }],
    },
  ]);
  await t.step("set and read; a tracked zero is not untracked", () => {
    assert.equal(getTokenBalance(engine, TOKEN_A, ALICE), 100n);
    assert.equal(getTokenBalance(engine, TOKEN_A, ORDERBOOK), 0n);
    assert.equal(getTokenBalance(engine, TOKEN_A, BOB), undefined);
    assert.equal(getAllowance(engine, TOKEN_A, ALICE), 30n);
  });
  await t.step("a pull spends the allowance, then moves tracked balances", () => {
    applyMutations(engine, [{
      type: "tokenTransfers",
      transfers: [{
        token: TOKEN_A,
        from: ALICE,
        to: ORDERBOOK,
        amount: "20",
        spendAllowance: true,
      }],
    }]);
    assert.equal(getAllowance(engine, TOKEN_A, ALICE), 10n);
    assert.equal(getTokenBalance(engine, TOKEN_A, ALICE), 80n);
    assert.equal(getTokenBalance(engine, TOKEN_A, ORDERBOOK), 20n);
  });
  await t.step("a max allowance stays max; an untracked side is left alone", () => {
    applyMutations(engine, [{
      type: "tokenTransfers",
      transfers: [{ token: TOKEN_A, from: BOB, to: ORDERBOOK, amount: "7", spendAllowance: true }],
    }]);
    assert.equal(getAllowance(engine, TOKEN_A, BOB), MAX);
    assert.equal(getTokenBalance(engine, TOKEN_A, BOB), undefined);
    assert.equal(getTokenBalance(engine, TOKEN_A, ORDERBOOK), 27n);
  });
  await t.step("allowance checked before balance; the batch is atomic", () => {
    const before = snapshotToJson(snapshot(engine));
    const e1 = throwsWith(
      () =>
        applyMutations(engine, [
          { type: "setTokenBalances", balances: [{ token: TOKEN_A, account: BOB, amount: "1" }] },
          {
            type: "tokenTransfers",
            transfers: [{
              token: TOKEN_A,
              from: ALICE,
              to: BOB,
              amount: "11",
              spendAllowance: true,
            }],
          },
        ]),
      "InsufficientAllowanceError",
    );
    assert.deepEqual(e1.details, { token: TOKEN_A, owner: ALICE, allowance: 10n, needed: 11n });
    const e2 = throwsWith(
      () =>
        applyMutations(engine, [{
          type: "tokenTransfers",
          transfers: [{ token: TOKEN_A, from: ORDERBOOK, to: ALICE, amount: "28" }],
        }]),
      "InsufficientTokenBalanceError",
    );
    assert.equal(e2.details.balance, 27n);
    assert.equal(snapshotToJson(snapshot(engine)), before);
  });
  await t.step("validation", () => {
    throwsWith(
      () =>
        parseRaindexMutations([{
          type: "setTokenBalances",
          balances: [{ token: TOKEN_A, account: ALICE, amount: "-1" }],
        }]),
      "InvalidMutationError",
    );
    throwsWith(
      () =>
        applyMutations(engine, [{
          type: "setAllowances",
          allowances: [{ token: TOKEN_A, owner: ALICE, amount: (MAX + 1n).toString() }],
        }]),
      "InvalidMutationError",
    );
    const [m] = parseRaindexMutations([{
      type: "tokenTransfers",
      transfers: [{ token: TOKEN_A, from: ALICE, to: BOB, amount: "5" }],
    }]);
    assert.equal(m.type, "tokenTransfers");
  });
  await t.step("snapshots carry the model only when it tracks something", () => {
    const snap = snapshot(engine);
    assert.equal(snap.tokenBalances?.length, 2); // alice, orderbook (bob's seed was rolled back)
    assert.equal(snap.allowances?.length, 2);
    const empty = snapshot(makeV6Engine(createScriptedHost({})));
    assert.equal("tokenBalances" in empty, false);
    assert.equal("allowances" in empty, false);
  });
});

Deno.test("vaultDeltas on vault 0 are rejected on a v6 engine", () => {
  const engine = makeV6Engine(createScriptedHost({}));
  const e = throwsWith(
    () =>
      applyMutations(engine, [{
        type: "vaultDeltas",
        deltas: [{
          owner: ALICE,
          token: TOKEN_A,
          vaultId: `0x${"0".repeat(64)}`,
          op: "set",
          amount: `0x${"0".repeat(63)}1`,
        }],
      }]),
    "InvalidMutationError",
  );
  assert.equal(e.details.reason, "vaultless");
});
