/**
 * `createHost`: each mode answers with the same results and errors (expectations from the
 * contract rules), and reports which back end ran through telemetry and stats.
 */
import assert from "node:assert/strict";
import type { Address } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import { createCodeCache, EvalRevertedError } from "../../src/evm/mod.ts";
import { createHost, type HostMode } from "../../src/rainvm/mod.ts";
import * as root from "../../mod.ts";
import { ENV, mapStore, op, OPCODE, ops, panicData, request, single, word } from "./_programs.ts";

const INTERPRETER: Address = "0x00000000000000000000000000000000000F1001";
const STORE: Address = "0x00000000000000000000000000000000000F2002";

function codeCache() {
  return createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
    { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
}

Deno.test("createHost picks the back end per instance", async (t) => {
  // `_ _: 10 2;` gives [2, 10] (top first); `uint256-div(7 0)` panics 0x12 (Solidity's checked
  // division); Float `add` is not a FixtureInterpreter word, so it always runs on the EVM, which
  // reverts for an opcode the fixture does not implement.
  const twoConstants = request(
    INTERPRETER,
    STORE,
    single([word(10), word(2)], [ops.constant(0), ops.constant(1)]),
  );
  const divByZero = request(
    INTERPRETER,
    STORE,
    single([word(0), word(7)], [ops.constant(0), ops.constant(1), op(OPCODE.uint256Div, 2, 1)]),
  );
  const floatAdd = request(
    INTERPRETER,
    STORE,
    single([word(1), word(2)], [ops.constant(0), ops.constant(1), op(OPCODE.add, 2, 1)]),
  );

  for (const mode of ["evm", "native", "verify"] as const satisfies readonly HostMode[]) {
    await t.step(`${mode}: same answers, telemetry says where they ran`, async () => {
      const host = createHost({ mode, codeCache: codeCache() });
      assert.equal(host.mode, mode);
      assert.deepEqual(await host.eval4(twoConstants, ENV, mapStore()), {
        stack: [word(2), word(10)],
        writes: [],
      });
      await assert.rejects(
        host.eval4(divByZero, ENV, mapStore()),
        (error: unknown) =>
          error instanceof EvalRevertedError && error.details.data === panicData(0x12),
      );
      const [many] = await host.evalMany([twoConstants], ENV, mapStore());
      assert.deepEqual(many.stack, [word(2), word(10)]);
      await assert.rejects(host.eval4(floatAdd, ENV, mapStore()));
      if (mode === "evm") {
        assert.deepEqual(host.telemetry, { native: 0, fallback: { total: 0, byReason: {} } });
        assert.equal(host.stats, undefined);
      } else {
        assert.equal(host.telemetry.native, 3);
        assert.deepEqual(host.telemetry.fallback.byReason, { "unsupported-word:add": 1 });
      }
      if (mode === "verify") assert.deepEqual(host.stats, { calls: 4, verified: 4 });
    });
  }

  await t.step("verify mode samples; bad modes and rates are rejected", async () => {
    const host = createHost({ mode: "verify", codeCache: codeCache(), sampleRate: 0 });
    await host.eval4(twoConstants, ENV, mapStore());
    assert.deepEqual(host.stats, { calls: 1, verified: 0 });
    assert.throws(
      () => createHost({ mode: "verify", codeCache: codeCache(), sampleRate: 2 }),
      RangeError,
    );
    assert.throws(
      () => createHost({ mode: "wasm" as HostMode, codeCache: codeCache() }),
      RangeError,
    );
  });

  await t.step("the root module exports the native surface without clashes", () => {
    assert.equal(root.createHost, createHost);
    assert.equal(typeof root.createNativeHost, "function");
    assert.equal(typeof root.createVerifyingHost, "function");
    assert.equal(typeof root.evaluateNative, "function");
    assert.equal(root.RAINTERPRETER_2780CDD6_TABLE.floatVersion, "1cf3969");
    assert.equal(root.FIXTURE_INTERPRETER_TABLE.floatVersion, root.float.DEFAULT_FLOAT_VERSION);
    assert.equal(new root.HostDivergenceError("x", {} as never).name, "HostDivergenceError");
    assert.equal(new root.NativeUnsupportedError("x", {} as never).name, "NativeUnsupportedError");
  });
});
