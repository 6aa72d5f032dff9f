/**
 * The version seam: which functions each version has, and what is shared.
 */
import assert from "node:assert/strict";
import {
  isOrderbookVersion,
  orderbookAbi,
  orderbookFunctionNames,
  type OrderbookVersion,
  orderbookVersions,
  UnsupportedOrderbookVersionError,
} from "../../src/abi/mod.ts";

function names(version: OrderbookVersion, type: string): string[] {
  return (orderbookAbi(version) as readonly { type: string; name?: string }[])
    .filter((item) => item.type === type)
    .map((item) => item.name!);
}

Deno.test("orderbookAbi picks the version's functions", async (t) => {
  await t.step("v5 has the V5 names and none of V6's", () => {
    const functions = names("v5", "function");
    for (
      const name of ["addOrder3", "deposit3", "withdraw3", "takeOrders3", "quote2", "multicall"]
    ) {
      assert.ok(functions.includes(name), name);
    }
    for (const name of ["addOrder4", "deposit4", "withdraw4", "takeOrders4"]) {
      assert.ok(!functions.includes(name), name);
    }
  });
  await t.step("v6 has the V6 names and none of V5's", () => {
    const functions = names("v6", "function");
    for (const name of ["addOrder4", "deposit4", "withdraw4", "takeOrders4", "clear3", "entask2"]) {
      assert.ok(functions.includes(name), name);
    }
    for (const name of ["addOrder3", "deposit3", "withdraw3", "takeOrders3"]) {
      assert.ok(!functions.includes(name), name);
    }
  });
  await t.step("events are the same in both versions", () => {
    assert.deepEqual(names("v5", "event"), names("v6", "event"));
    assert.equal(names("v5", "event").length, 12);
  });
  await t.step("renamed errors", () => {
    assert.ok(names("v5", "error").includes("MinimumInput"));
    assert.ok(names("v5", "error").includes("ZeroMaximumInput"));
    assert.ok(!names("v5", "error").includes("ZeroVaultId"));
    assert.ok(names("v6", "error").includes("MinimumIO"));
    assert.ok(names("v6", "error").includes("ZeroMaximumIO"));
    assert.ok(names("v6", "error").includes("ZeroVaultId"));
    assert.ok(!names("v6", "error").includes("MinimumInput"));
  });
});

Deno.test("orderbookFunctionNames", () => {
  assert.deepEqual(orderbookFunctionNames("v5"), {
    addOrder: "addOrder3",
    deposit: "deposit3",
    withdraw: "withdraw3",
    takeOrders: "takeOrders3",
  });
  assert.deepEqual(orderbookFunctionNames("v6"), {
    addOrder: "addOrder4",
    deposit: "deposit4",
    withdraw: "withdraw4",
    takeOrders: "takeOrders4",
  });
  for (const version of orderbookVersions) {
    const functions = names(version, "function");
    for (const name of Object.values(orderbookFunctionNames(version))) {
      assert.ok(functions.includes(name), `${version} ${name}`);
    }
  }
});

Deno.test("unsupported versions", async (t) => {
  await t.step("isOrderbookVersion", () => {
    assert.equal(isOrderbookVersion("v5"), true);
    assert.equal(isOrderbookVersion("v6"), true);
    assert.equal(isOrderbookVersion("v4"), false);
    assert.equal(isOrderbookVersion(5), false);
  });
  await t.step("typed error from orderbookAbi and orderbookFunctionNames", () => {
    const check = (error: unknown) =>
      error instanceof UnsupportedOrderbookVersionError &&
      error.name === "UnsupportedOrderbookVersionError" && error.details.version === "v7";
    assert.throws(() => orderbookAbi("v7" as OrderbookVersion), check);
    assert.throws(() => orderbookFunctionNames("v7" as OrderbookVersion), check);
  });
});
