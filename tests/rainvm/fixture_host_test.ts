/**
 * The native host against the EVM host running vraindex's `FixtureInterpreter` (our own Solidity,
 * Rain's opcode indices): the same programs must give identical stacks, writes and revert data;
 * what the fixture table does not run natively goes to the EVM host, counted in telemetry. Also
 * the verifying host.
 */
import assert from "node:assert/strict";
import type { Address, Hex } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import {
  createCodeCache,
  createInterpreterHost,
  type EvalRequest,
  type EvalResult,
  EvalRevertedError,
  type InterpreterHost,
  type StoreReader,
} from "../../src/evm/mod.ts";
import {
  createNativeHost,
  createVerifyingHost,
  FIXTURE_INTERPRETER_TABLE,
  HostDivergenceError,
} from "../../src/rainvm/mod.ts";
import {
  ENV,
  errorStringData,
  intOrAString,
  mapStore,
  op,
  OPCODE,
  ops,
  panicData,
  program,
  request,
  single,
  word,
} from "./_programs.ts";
import { FIXTURE_TREE_WORDS, generateExpressions, generateProgram, prng } from "./_random.ts";

const INTERPRETER: Address = "0x00000000000000000000000000000000000F1001";
const STORE: Address = "0x00000000000000000000000000000000000F2002";
const c = ops.constant;

function hosts() {
  const codeCache = createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
    { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
  const evm = createInterpreterHost({ codeCache });
  const native = createNativeHost({ fallback: evm, codeCache });
  return { codeCache, evm, native };
}

type Outcome = { ok: true; result: EvalResult } | { ok: false; name: string; data?: Hex };

async function outcome(host: InterpreterHost, req: EvalRequest, store: StoreReader) {
  try {
    return { ok: true, result: await host.eval4(req, ENV, store) } as Outcome;
  } catch (error) {
    return {
      ok: false,
      name: (error as Error).name,
      data: error instanceof EvalRevertedError ? error.details.data : undefined,
    } as Outcome;
  }
}

Deno.test("native host vs EVM host on FixtureInterpreter", async (t) => {
  const { evm, native, codeCache } = hosts();
  const req = (bytecode: Hex, extra: Partial<EvalRequest> = {}) =>
    request(INTERPRETER, STORE, bytecode, extra);

  await t.step("the fixture's code hash selects the fixture table", () => {
    assert.equal(native.tableFor(INTERPRETER), FIXTURE_INTERPRETER_TABLE);
    assert.equal(codeCache.get(INTERPRETER)?.codeHash, FIXTURE_INTERPRETER_TABLE.codeHash);
  });

  // Hand-written programs; each expectation is derived from the contract rules and checked on
  // both hosts.
  const store = { [word(5)]: word(77), [word(6)]: word(88) };
  const cases: { name: string; req: EvalRequest; expect: EvalResult | Hex }[] = [
    {
      name: "two constants, top first",
      req: req(single([word(10), word(2)], [c(0), c(1)])),
      expect: { stack: [word(2), word(10)], writes: [] },
    },
    {
      name: "context reads and block words",
      req: req(
        single([], [
          ops.context(1, 0),
          ops.context(0, 1),
          ops.nullary(OPCODE.blockNumber),
          ops.nullary(OPCODE.chainId),
        ]),
        { context: [[word(1), word(2)], [word(3)]] },
      ),
      expect: { stack: [word(ENV.chainId), word(ENV.blockNumber), word(2), word(3)], writes: [] },
    },
    {
      name: "context out of range",
      req: req(single([], [ops.context(0, 2)]), { context: [[word(1), word(2)]] }),
      expect: panicData(0x32),
    },
    {
      name: "get caches reads; set; overlay",
      req: req(
        single([word(5), word(6), word(9)], [
          c(0),
          ops.get(),
          c(2),
          c(1),
          ops.set(),
          c(1),
          ops.get(),
          c(0),
          ops.get(),
        ]),
        { stateOverlay: [word(1), word(2)] },
      ),
      expect: {
        stack: [word(77), word(9), word(77)],
        writes: [], // filled below from the rule
      },
    },
    {
      name: "ensure reverts with its reason",
      req: req(single([intOrAString("no"), word(0)], [c(0), c(1), ops.ensure()])),
      expect: errorStringData("no"),
    },
    {
      name: "uint256 overflow panics",
      req: req(
        single([word((1n << 256n) - 1n), word(1)], [c(0), c(1), ops.nary(OPCODE.uint256Add, 2)]),
      ),
      expect: panicData(0x11),
    },
    {
      name: "call with inputs and outputs",
      req: req(
        program([word(1), word(2), word(9)], [
          { ops: [c(0), c(1), ops.call(1, 2, 3)] },
          { inputs: 2, ops: [ops.stack(0), ops.stack(1), c(2)] },
        ]),
      ),
      expect: { stack: [word(9), word(1), word(2)], writes: [] },
    },
    {
      name: "inputs",
      req: req(program([], [{ inputs: 2, ops: [ops.stack(1)] }]), { inputs: [word(4), word(5)] }),
      expect: { stack: [word(4), word(4), word(5)], writes: [] },
    },
  ];

  for (const testCase of cases) {
    await t.step(testCase.name, async () => {
      const nativeStore = mapStore(store), evmStore = mapStore(store);
      const a = await outcome(native, testCase.req, nativeStore);
      const b = await outcome(evm, testCase.req, evmStore);
      assert.deepEqual(a, b);
      assert.deepEqual(nativeStore.reads, evmStore.reads);
      if (typeof testCase.expect === "string") {
        assert.equal(a.ok, false);
        assert.equal((a as { data?: Hex }).data, testCase.expect);
      } else {
        assert.ok(a.ok);
        assert.deepEqual(a.result.stack, testCase.expect.stack);
        if (
          testCase.expect.writes.length > 0 || testCase.name !== "get caches reads; set; overlay"
        ) {
          assert.deepEqual(a.result.writes, testCase.expect.writes);
        } else {
          // Three keys (overlay 1, read 5, set 6): every pair present once, values as set/read.
          const pairs = new Map<Hex, Hex>();
          for (let i = 0; i < a.result.writes.length; i += 2) {
            pairs.set(a.result.writes[i], a.result.writes[i + 1]);
          }
          assert.deepEqual(
            pairs,
            new Map([[word(1), word(2)], [word(5), word(77)], [word(6), word(9)]]),
          );
        }
      }
    });
  }
  assert.equal(native.telemetry.fallback.total, 0);
  assert.equal(native.telemetry.native, cases.length);

  await t.step("200 random programs over the fixture's words agree", async () => {
    const random = prng(20260501);
    const before = native.telemetry.native;
    let reverted = 0;
    for (let i = 0; i < 200; i++) {
      const generated = generateProgram(random, {
        words: FIXTURE_TREE_WORDS,
        contextColumns: 3,
        contextRows: 3,
        maxDepth: 3,
      });
      const bytecode = single(generated.constants, generated.ops);
      const context = Array.from(
        { length: 3 },
        () => Array.from({ length: 3 }, () => word(BigInt(Math.floor(random() * 4)))),
      );
      const values: Record<string, Hex> = {};
      for (let k = 0; k < 4; k++) values[word(k)] = word(BigInt(Math.floor(random() * 3)));
      const r = req(bytecode, { context });
      const a = await outcome(native, r, mapStore(values));
      const b = await outcome(evm, r, mapStore(values));
      assert.deepEqual(a, b, `program ${i}: ${generated.rainlang}`);
      if (!a.ok) reverted++;
    }
    // Every random program ran natively; some of them reverted (both hosts alike).
    assert.equal(native.telemetry.native - before, 200);
    assert.ok(reverted > 0 && reverted < 200, `${reverted} reverted`);
  });

  await t.step("60 random two-source programs (call, stack reads, inputs) agree", async () => {
    const random = prng(99);
    const before = native.telemetry.native;
    for (let i = 0; i < 60; i++) {
      const inputs = 1 + Math.floor(random() * 3);
      const calleeOutputs = 1 + Math.floor(random() * 2);
      const outputs = 1 + Math.floor(random() * calleeOutputs);
      const constants: Hex[] = [];
      const options = {
        words: FIXTURE_TREE_WORDS,
        contextColumns: 2,
        contextRows: 2,
        maxDepth: 2,
        stackLeaves: inputs,
      };
      const callee = generateExpressions(random, options, calleeOutputs, constants);
      const caller = [
        ...generateExpressions(random, { ...options, stackLeaves: 0 }, inputs, constants),
        ops.call(1, inputs, outputs),
        ...generateExpressions(random, { ...options, stackLeaves: 0 }, 1, constants),
      ];
      const bytecode = program(constants, [{ ops: caller }, { inputs, ops: callee }]);
      const context = [[word(1), word(0)], [word(3), word(2)]];
      for (const [sourceIndex, given] of [[0, 0], [1, inputs]]) {
        const r = req(bytecode, {
          context,
          sourceIndex,
          inputs: Array.from({ length: given }, (_, k) => word(k)),
        });
        const a = await outcome(native, r, mapStore({ [word(1)]: word(5) }));
        const b = await outcome(evm, r, mapStore({ [word(1)]: word(5) }));
        assert.deepEqual(a, b, `program ${i} source ${sourceIndex}`);
      }
    }
    assert.equal(native.telemetry.native - before, 120);
  });

  await t.step(
    "words outside the fixture table fall back and revert as the fixture does",
    async () => {
      // Float `add` (opcode 40) is a Rain word the fixture does not implement.
      const r = req(single([word(1), word(2)], [c(0), c(1), op(OPCODE.add, 2, 1)]));
      const before = native.telemetry.fallback.byReason["unsupported-word:add"] ?? 0;
      const a = await outcome(native, r, mapStore());
      const b = await outcome(evm, r, mapStore());
      assert.deepEqual(a, b);
      assert.equal(a.ok, false);
      assert.equal(native.telemetry.fallback.byReason["unsupported-word:add"], before + 1);
    },
  );

  await t.step("evalMany keeps order across native and fallback requests", async () => {
    const nativeReq = req(single([word(3)], [c(0)]));
    const fallbackReq = req(single([word(1), word(2)], [c(0), c(1), op(OPCODE.add, 2, 1)]));
    const results = await native.evalMany([nativeReq, nativeReq], ENV, mapStore());
    assert.deepEqual(results.map((x) => x.stack), [[word(3)], [word(3)]]);
    await assert.rejects(
      native.evalMany([nativeReq, fallbackReq, nativeReq], ENV, mapStore()),
      (error: unknown) => error instanceof EvalRevertedError,
    );
  });

  await t.step("unknown builds and missing code go to the fallback host", async () => {
    const before = native.telemetry.fallback.byReason["no-interpreter-code"] ?? 0;
    const r = request("0x00000000000000000000000000000000000F9999", STORE, single([], []));
    const a = await outcome(native, r, mapStore());
    const b = await outcome(evm, r, mapStore());
    assert.deepEqual(a, b);
    assert.equal(a.ok ? "" : a.name, "MissingBytecodeError");
    assert.equal(native.telemetry.fallback.byReason["no-interpreter-code"], before + 1);

    const { codeCache: cache2 } = hosts();
    const other = createNativeHost({ fallback: evm, codeCache: cache2, tables: [] });
    await other.eval4(req(single([word(3)], [c(0)])), ENV, mapStore());
    assert.deepEqual(other.telemetry.fallback.byReason, { "unknown-build": 1 });
  });
});

Deno.test("verifying host", async (t) => {
  const { evm, native } = hosts();
  const bytecode = single([word(10), word(2)], [c(0), c(1)]);
  const r = request(INTERPRETER, STORE, bytecode);

  await t.step("agreeing hosts: the primary's answer, every call verified", async () => {
    const host = createVerifyingHost({ primary: native, reference: evm, sampleRate: 1 });
    assert.deepEqual((await host.eval4(r, ENV, mapStore())).stack, [word(2), word(10)]);
    const bad = request(INTERPRETER, STORE, single([], [ops.context(0, 0)]));
    await assert.rejects(host.eval4(bad, ENV, mapStore()), EvalRevertedError);
    assert.deepEqual(host.stats, { calls: 2, verified: 2 });
  });

  await t.step("a different stack, writes or revert throws HostDivergenceError", async () => {
    const liar = (mutate: (x: EvalResult) => EvalResult): InterpreterHost => ({
      eval4: async (q, e, s) => mutate(await evm.eval4(q, e, s)),
      evalMany: () => Promise.reject(new Error("unused")),
    });
    const cases: [InterpreterHost, string][] = [
      [liar((x) => ({ ...x, stack: [word(3), word(10)] })), "stack"],
      [liar((x) => ({ ...x, writes: [word(1), word(1)] })), "writes"],
      [{
        eval4: () =>
          Promise.reject(
            new EvalRevertedError("x", {
              interpreter: INTERPRETER,
              sourceIndex: 0,
              block: 0n,
              data: "0x",
            }),
          ),
        evalMany: () => Promise.reject(new Error("unused")),
      }, "outcome"],
    ];
    for (const [primary, differs] of cases) {
      const host = createVerifyingHost({ primary, reference: evm });
      await assert.rejects(
        host.eval4(r, ENV, mapStore()),
        (error: unknown) =>
          error instanceof HostDivergenceError && error.details.differs === differs &&
          error.details.reference.ok === true,
      );
    }
  });

  await t.step("sampling: rate 0 never consults the reference", async () => {
    const reference: InterpreterHost = {
      eval4: () => Promise.reject(new Error("reference must not run")),
      evalMany: () => Promise.reject(new Error("reference must not run")),
    };
    const host = createVerifyingHost({ primary: native, reference, sampleRate: 0 });
    await host.evalMany([r, r], ENV, mapStore());
    assert.deepEqual(host.stats, { calls: 2, verified: 0 });
    const half = createVerifyingHost({
      primary: native,
      reference: evm,
      sampleRate: 0.5,
      random: (() => {
        let i = 0;
        return () => (i++ % 2 === 0 ? 0.1 : 0.9);
      })(),
    });
    await half.evalMany([r, r, r, r], ENV, mapStore());
    assert.deepEqual(half.stats, { calls: 4, verified: 2 });
  });
});
