/**
 * The engine surface (Float, ABI, EVM host, bytecode codec, VirtualRaindex) uses no Deno-only API:
 * bundled for the browser, it runs a quote and a take in real headless Chromium and gets exactly
 * what Deno gets, and what the contract rules give by hand.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { findChromium, runInChromium } from "../_helpers/chromium.ts";
import { runScenario, type ScenarioResult } from "./scenario.ts";
import { float } from "../../mod.ts";

const entry = fileURLToPath(new URL("./_entry.ts", import.meta.url));

function assertByHand(result: ScenarioResult): void {
  // calculate-io `_ _: 10 2;` returns [2, 10]; max output = min(10, output vault 4) = 4.
  assert.equal(result.quote.exists, true);
  assert.equal(result.quote.maxOutput, "4");
  assert.equal(result.quote.ioRatio, "2");
  assert.equal(result.quote.context[2].length, 0, "column 2 is empty during calculate-io");
  assert.equal(BigInt(result.quote.context[3][1]), 18n, "input decimals as a plain integer");
  assert.equal(BigInt(result.quote.context[4][1]), 6n, "output decimals as a plain integer");
  // take with maximum input 3: taker input = min(4, 3) = 3, taker output = 2 × 3 = 6.
  assert.equal(result.take.totalTakerInput, "3");
  assert.equal(result.take.totalTakerOutput, "6");
  const [, , calculations, input, output] = result.take.handleIOContext as `0x${string}`[][];
  assert.ok(float.eq(calculations[0], float.parse("4")), "column 2 row 0 = outputMax");
  assert.ok(float.eq(calculations[1], float.parse("2")), "column 2 row 1 = ioRatio");
  assert.ok(float.eq(input[4], float.parse("6")), "input diff = taker output");
  assert.ok(float.eq(output[4], float.parse("3")), "output diff = taker input");
}

Deno.test({
  name: "engine runs in headless Chromium with the same results as in Deno",
  ignore: findChromium() === undefined && Deno.env.get("CI") !== "true",
  async fn() {
    const inDeno = await runScenario();
    assertByHand(inDeno);
    const text = await runInChromium(entry);
    assert.ok(!text.startsWith("ERROR"), text);
    const inBrowser = JSON.parse(text) as ScenarioResult;
    assert.deepEqual(inBrowser, inDeno);
  },
});
