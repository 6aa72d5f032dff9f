import assert from "node:assert/strict";
import { encodeFunctionData, getAddress, type Hex } from "viem";
import {
  decodeDepositCalldata,
  decodeLogs,
  type DepositV2Event,
  eventsToMutations,
  matchDepositCalls,
} from "../../src/events/mod.ts";
import {
  ALICE,
  depositCall,
  f,
  makeLog,
  multicall,
  ORDERBOOK,
  testFunctionsAbi,
  throwsNamed,
  TOKEN_A,
  TOKEN_B,
  w,
} from "./_logs.ts";

const withdraw = encodeFunctionData({
  abi: testFunctionsAbi,
  functionName: "withdraw3",
  args: [TOKEN_A, w(1), f("1"), []],
});

Deno.test("decodeDepositCalldata", async (t) => {
  await t.step("direct deposit3 (V5) keeps the exact Float bits", () => {
    const input = depositCall("deposit3", TOKEN_A, w(1), f("1.0000001"));
    const calls = decodeDepositCalldata(input, "v5", ORDERBOOK);
    assert.deepEqual(calls, [
      { token: getAddress(TOKEN_A), vaultId: w(1), amount: f("1.0000001"), path: "" },
    ]);
  });
  await t.step("direct deposit4 (V6); deposit3 is not V6's function", () => {
    const v6 = depositCall("deposit4", TOKEN_B, w(2), f("3.5"));
    assert.deepEqual(decodeDepositCalldata(v6, "v6", ORDERBOOK).map((c) => c.amount), [f("3.5")]);
    assert.deepEqual(decodeDepositCalldata(v6, "v5", ORDERBOOK), []);
    const v5 = depositCall("deposit3", TOKEN_B, w(2), f("3.5"));
    assert.deepEqual(decodeDepositCalldata(v5, "v6", ORDERBOOK), []);
  });
  await t.step("inside multicall, in call order, other calls ignored, nested too", () => {
    const input = multicall([
      depositCall("deposit3", TOKEN_A, w(1), f("1")),
      withdraw,
      multicall([depositCall("deposit3", TOKEN_B, w(2), f("2"))]),
      depositCall("deposit3", TOKEN_A, w(3), f("3")),
    ]);
    const calls = decodeDepositCalldata(input, "v5", ORDERBOOK);
    assert.deepEqual(calls.map((c) => [c.token.toLowerCase(), c.vaultId, c.amount, c.path]), [
      [TOKEN_A, w(1), f("1"), "0"],
      [TOKEN_B, w(2), f("2"), "2.0"],
      [TOKEN_A, w(3), f("3"), "3"],
    ]);
  });
  await t.step("a transaction to another contract gives nothing", () => {
    const input = depositCall("deposit3", TOKEN_A, w(1), f("1"));
    const router = "0x00000000000000000000000000000000000000ee";
    assert.deepEqual(decodeDepositCalldata(input, "v5", ORDERBOOK, router), []);
    assert.equal(decodeDepositCalldata(input, "v5", ORDERBOOK, ORDERBOOK).length, 1);
    assert.deepEqual(decodeDepositCalldata("0x", "v5", ORDERBOOK), []);
    assert.deepEqual(decodeDepositCalldata(withdraw, "v5", ORDERBOOK), []);
  });
  await t.step("malformed deposit or multicall arguments → MalformedCalldataError", () => {
    const input = depositCall("deposit3", TOKEN_A, w(1), f("1"));
    const cut = input.slice(0, 10 + 64) as Hex;
    const error = throwsNamed(
      () => decodeDepositCalldata(cut, "v5", ORDERBOOK),
      "MalformedCalldataError",
    );
    assert.equal(error.details.function, "deposit3");
    const nested = multicall([withdraw, cut]);
    const inner = throwsNamed(
      () => decodeDepositCalldata(nested, "v5", ORDERBOOK),
      "MalformedCalldataError",
    );
    assert.equal(inner.details.path, "1");
  });
});

Deno.test("matchDepositCalls feeds eventsToMutations exact amounts", () => {
  const input = multicall([
    depositCall("deposit3", TOKEN_A, w(1), f("1.0000001")),
    depositCall("deposit3", TOKEN_B, w(2), f("0.5")),
  ]);
  const logs = [
    makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 1000001n], { logIndex: 0 }),
    makeLog("DepositV2", [ALICE, TOKEN_B, w(2), 500000000000000000n], { logIndex: 1 }),
  ];
  const events = decodeLogs(logs, { orderbook: ORDERBOOK, version: "v5" }) as DepositV2Event[];
  const calls = decodeDepositCalldata(input, "v5", ORDERBOOK);
  const depositAmounts = matchDepositCalls(events, calls);
  assert.equal(depositAmounts.size, 2);
  const result = eventsToMutations(events, {
    version: "v5",
    depositAmounts,
    tokenDecimals: { [TOKEN_A]: 6, [TOKEN_B]: 18 },
  });
  const deltas = result.batches[0].mutations.flatMap((m) =>
    m.type === "vaultDeltas" ? m.deltas : []
  );
  assert.deepEqual(deltas.map((d) => d.amount), [f("1.0000001"), f("0.5")]);
  assert.deepEqual(result.inexact, []);

  // Counts differ (one deposit came through another contract): nothing is paired.
  assert.equal(matchDepositCalls(events, calls.slice(0, 1)).size, 0);
  // Counts agree but the order does not: typed mismatch.
  const error = throwsNamed(
    () => matchDepositCalls(events, [calls[1], calls[0]]),
    "DepositAmountMismatchError",
  );
  assert.equal(error.details.field, "token");
});
