/**
 * Orderbook version detection from runtime code: hand-built dispatchers, the fixture orderbooks'
 * deployed code, and `eth_getCode` on anvil (before and after deployment).
 */
import assert from "node:assert/strict";
import { type Hex, keccak256, toBytes } from "viem";
import {
  detectOrderbookVersion,
  orderbookVersionFromCode,
  pushedSelectors,
  versionOnlySelectors,
} from "../../src/abi/mod.ts";
import { deployArtifact, startAnvil } from "../_helpers/anvil.ts";

// Canonical signatures written out by hand from the interfaces (IOrderBookV5 / IRaindexV6).
const ORDER = "(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32)";
const TAKE_ORDER = `(${ORDER},uint256,uint256,(address,bytes32[],bytes)[])`;
const TASKS = "((address,address,bytes),(address,bytes32[],bytes)[])[]";
const ORDER_CONFIG =
  "((address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32,bytes32,bytes)";
const SIGS = {
  takeOrders3: `takeOrders3((bytes32,bytes32,bytes32,${TAKE_ORDER}[],bytes))`,
  takeOrders4: `takeOrders4((bytes32,bytes32,bytes32,bool,${TAKE_ORDER}[],bytes))`,
  deposit3: `deposit3(address,bytes32,bytes32,${TASKS})`,
  deposit4: `deposit4(address,bytes32,bytes32,${TASKS})`,
  addOrder4: `addOrder4(${ORDER_CONFIG},${TASKS})`,
  quote2: `quote2((${ORDER},uint256,uint256,(address,bytes32[],bytes)[]))`,
};
const sel = (signature: string): string => keccak256(toBytes(signature)).slice(2, 10);

/** A dispatcher fragment: `DUP1 PUSH4 <selector> EQ PUSH2 0x0100 JUMPI` per selector. */
function dispatcher(...selectors: string[]): Hex {
  return `0x6000355f1c${selectors.map((s) => `8063${s}1461010057`).join("")}00`;
}

Deno.test("version-only selectors match the hand-written signatures", () => {
  assert.equal(versionOnlySelectors.v6.get(`0x${sel(SIGS.takeOrders4)}`), "takeOrders4");
  assert.equal(versionOnlySelectors.v6.get(`0x${sel(SIGS.deposit4)}`), "deposit4");
  assert.equal(versionOnlySelectors.v6.get(`0x${sel(SIGS.addOrder4)}`), "addOrder4");
  assert.equal(versionOnlySelectors.v5.get(`0x${sel(SIGS.takeOrders3)}`), "takeOrders3");
  assert.equal(versionOnlySelectors.v5.get(`0x${sel(SIGS.deposit3)}`), "deposit3");
  // Shared functions belong to neither list.
  assert.equal(versionOnlySelectors.v5.has(`0x${sel(SIGS.quote2)}`), false);
  assert.equal(versionOnlySelectors.v6.has(`0x${sel(SIGS.quote2)}`), false);
});

Deno.test("orderbookVersionFromCode on hand-built bytecode", async (t) => {
  await t.step("V6 dispatcher", () => {
    const code = dispatcher(sel(SIGS.quote2), sel(SIGS.takeOrders4), sel(SIGS.deposit4));
    assert.equal(orderbookVersionFromCode(code), "v6");
  });
  await t.step("V5 dispatcher", () => {
    assert.equal(orderbookVersionFromCode(dispatcher(sel(SIGS.takeOrders3))), "v5");
  });
  await t.step("a selector inside a PUSH32 immediate is data, not a push", () => {
    // PUSH32 whose bytes contain 0x63 + takeOrders3's selector, then a V6 push.
    const hidden = `63${sel(SIGS.takeOrders3)}`.padEnd(64, "0");
    const code = `0x7f${hidden}63${sel(SIGS.takeOrders4)}00` as Hex;
    assert.deepEqual([...pushedSelectors(code)], [`0x${sel(SIGS.takeOrders4)}`]);
    assert.equal(orderbookVersionFromCode(code), "v6");
  });
  await t.step("a selector with a leading zero byte pushed by PUSH3 counts", () => {
    assert.deepEqual([...pushedSelectors("0x62abcdef00")], ["0x00abcdef"]);
  });
  await t.step("neither, both, empty", () => {
    assert.throws(
      () => orderbookVersionFromCode(dispatcher(sel(SIGS.quote2))),
      (e: Error & { details: { v5: string[]; v6: string[] } }) =>
        e.name === "UnknownOrderbookVersionError" && e.details.v5.length === 0 &&
        e.details.v6.length === 0,
    );
    assert.throws(
      () => orderbookVersionFromCode(dispatcher(sel(SIGS.takeOrders3), sel(SIGS.takeOrders4))),
      (e: Error & { details: { v5: string[]; v6: string[] } }) =>
        e.name === "UnknownOrderbookVersionError" && e.details.v5[0] === "takeOrders3" &&
        e.details.v6[0] === "takeOrders4",
    );
    assert.throws(() => orderbookVersionFromCode("0x"), { name: "NoOrderbookCodeError" });
  });
});

function artifact(name: string): { deployedBytecode: Hex } | undefined {
  try {
    return JSON.parse(
      Deno.readTextFileSync(new URL(`../../fixtures/artifacts/${name}.json`, import.meta.url)),
    );
  } catch {
    return undefined;
  }
}

Deno.test("fixture orderbooks' deployed code", async (t) => {
  await t.step("FixtureOrderBook (V5) detects as v5", () => {
    assert.equal(orderbookVersionFromCode(artifact("FixtureOrderBook")!.deployedBytecode), "v5");
  });
  const v6 = artifact("FixtureOrderBookV6");
  await t.step({
    name: "FixtureOrderBookV6 detects as v6",
    ignore: v6 === undefined,
    fn: () => assert.equal(orderbookVersionFromCode(v6!.deployedBytecode), "v6"),
  });
});

Deno.test("detectOrderbookVersion over eth_getCode on anvil", async (t) => {
  const anvil = await startAnvil();
  try {
    const before = await anvil.publicClient.getBlockNumber();
    const address = await deployArtifact(anvil, "FixtureOrderBook");
    await t.step("latest: v5", async () => {
      assert.equal(await detectOrderbookVersion(anvil.publicClient, address), "v5");
    });
    await t.step("before deployment: no code", async () => {
      await assert.rejects(
        () => detectOrderbookVersion(anvil.publicClient, address, { blockNumber: before }),
        (e: Error & { details: { blockNumber?: bigint } }) =>
          e.name === "NoOrderbookCodeError" && e.details.blockNumber === before,
      );
    });
  } finally {
    await anvil.stop();
  }
});
