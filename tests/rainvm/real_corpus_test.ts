/**
 * Opt-in (needs `VRAINDEX_RAIN_CODE_DIR`, see `scripts/rain_code.ts`): a corpus of Rainlang
 * expressions over the words the native evaluator runs, parsed by Rain's real expression deployer
 * (`parse2`) and evaluated with random contexts and store contents on the native host and on the
 * EVM host running the real `Rainterpreter` + `RainterpreterStore`. Stack, writes, store reads and
 * revert data must be identical; the test prints what ran natively and what fell back.
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import {
  createInterpreterHost,
  type EvalRequest,
  type EvalResult,
  EvalRevertedError,
  type InterpreterHost,
  type StoreReader,
} from "../../src/evm/mod.ts";
import { decodeRainError } from "../../src/abi/mod.ts";
import {
  createNativeHost,
  decodeRainBytecode,
  RAINTERPRETER_2780CDD6_TABLE,
} from "../../src/rainvm/mod.ts";
import { loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "../real/_rain_code.ts";
import { ENV, float, mapStore, word } from "./_programs.ts";
import { FIXTURE_TREE_WORDS, FLOAT_TREE_WORDS, generateProgram, prng } from "./_random.ts";

/** Hand-picked expressions: every native word, edge cases, reverts, multi-source calls. */
const HANDWRITTEN: readonly string[] = [
  "_: 1;",
  "_ _: 10 2;",
  "_: add(0.1 0.2);",
  "_: sub(1 0.25);",
  "_: mul(1.5 4);",
  "_: div(1 3);",
  "_: div(-1 3);",
  "_: div(1 0);",
  "_: inv(0);",
  "_: inv(3);",
  "_: abs(-2.5);",
  "_: floor(-2.5);",
  "_: ceil(-2.5);",
  "_: ceil(2.000001);",
  "_: frac(-2.75);",
  "_: headroom(2.25);",
  "_: headroom(7);",
  "_: avg(1 2);",
  "_: avg(-1e18 3e-18);",
  "_: linear-growth(100 0.05 12);",
  "_: e();",
  "_: max-positive-value();",
  "_: min-positive-value();",
  "_: max-negative-value();",
  "_: min-negative-value();",
  "_: add(max-positive-value() max-positive-value());",
  "_: mul(max-positive-value() 10);",
  "_: max(1 5 3 2);",
  "_: min(1 5 -3 2);",
  "_: min(1 1.0);",
  "_: max(1.0 1);",
  "_: equal-to(1 1.0);",
  "_: binary-equal-to(1 1.0);",
  "_: less-than(-1 0);",
  "_: less-than-or-equal-to(2 2);",
  "_: greater-than(1e-30 0);",
  "_: greater-than-or-equal-to(-0.5 -0.4);",
  "_: add(1 2 3);",
  "_: mul(2 3 4);",
  "_: any(0 0 3);",
  "_: any(0 0);",
  "_: every(1 2 0);",
  "_: every(1 2 3);",
  "_: if(1 2 3);",
  "_: if(0 2 3);",
  "_: if(is-zero(0) 5 6);",
  "_: conditions(0 1 1 2);",
  "_: conditions(0 1 0 2);",
  '_: conditions(0 1 0 2 "none matched");',
  ':ensure(0 "nope");',
  ':ensure(1 "fine"), _: 7;',
  "_: hash();",
  "_: hash(1 2 3);",
  "_: hash(context<0 0>() context<1 1>());",
  "_: uint256-add(0x01 0x02 0x03);",
  "_: uint256-sub(0x01 0x02);",
  "_: uint256-mul(uint256-max-value() 0x02);",
  "_: uint256-div(0x07 0x00);",
  "_: uint256-div(0x64 0x07 0x02);",
  "_: uint256-power(0x02 0xff);",
  "_: uint256-power(0x02 0x0100);",
  "_: uint256-power(0x00 0x00);",
  "_: bitwise-and(0xf0f0 0x0ff0);",
  "_: bitwise-or(0xf0f0 0x0ff0);",
  "_: bitwise-count-ones(uint256-max-value());",
  "_: bitwise-shift-left<255>(0x01);",
  "_: bitwise-shift-right<4>(0xff00);",
  "_: bitwise-decode<4 8>(0xabcd);",
  "_: bitwise-encode<8 8>(0xff 0x00);",
  "_: bitwise-encode<0 256>(0x01 0x02);",
  "_: block-number(), _: block-timestamp(), _: chain-id(), _: now();",
  "_: context<0 0>();",
  "_: context<2 2>();",
  "_: context<3 0>();",
  "_: context<0 9>();",
  ":set(1 2), :set(3 4), _: get(5), _: get(1);",
  ":set(1 2), :set(1 3), _: get(1);",
  "_: get(0), _: get(1), _: get(2), _: get(3), _: get(0);",
  ":set(context<0 0>() context<0 1>()), _: get(context<0 0>());",
  ":set(0x01 1), :set(0x02 2), :set(0x03 3), :set(0x04 4), :set(0x05 5), :set(0x06 6), " +
  ":set(0x07 7), :set(0x08 8), :set(0x09 9), :set(0x0a 10), :set(0x0b 11), :set(0x0c 12), " +
  ":set(0x0d 13), :set(0x0e 14), :set(0x0f 15), :set(0x10 16), :set(0x11 17), _: 1;",
  "a: 5, b: call<1>(a), _: b; x:, y: mul(x 2);",
  "a b: call<1>(2 3), _: add(a b); x y:, s: sub(x y), p: mul(x y);",
  "_: call<1>(); _: call<2>(); _: 42;",
  "a: 3, b: stack<0>(), _: add(a b);",
  // n-ary Float maths (unpacked between steps, packed once) and Float reverts.
  "_: add(1 1e-70 -1);",
  "_: sub(1 1e-70 1 -1e-70);",
  "_: sub(10 1 2 3 4);",
  "_: mul(1.5 2.5 -3.5 4.5);",
  "_: mul(max-positive-value() 10 0.1);",
  "_: mul(1e30 1e30 1e30 1e-90);",
  "_: div(1 3 3);",
  "_: div(-1 7 11 13);",
  "_: div(1 0 3);",
  "_: div(6 2 0);",
  "_: div(0 0);",
  "_: add(max-positive-value() max-positive-value() max-negative-value());",
  "_: mul(max-positive-value() max-positive-value() min-positive-value());",
  "_: div(min-positive-value() max-positive-value() 10);",
  "_: div(max-positive-value() min-positive-value());",
  "_: inv(min-positive-value());",
  "_: sub(max-negative-value() max-positive-value());",
  "_: avg(max-positive-value() max-positive-value());",
  "_: linear-growth(max-positive-value() max-positive-value() 2);",
  "_: headroom(max-negative-value());",
  "_: add(1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);",
];

const FLOAT_LEAVES = ["0.5", "-1.25", "1e18", "3.14159", "1e-18", "100", "-7", "2.5e-3"];

type Outcome =
  | { ok: true; result: EvalResult; reads: Hex[] }
  | { ok: false; name: string; data?: Hex; reads: Hex[] };

async function outcome(
  host: InterpreterHost,
  request: EvalRequest,
  store: StoreReader & { reads: Hex[] },
): Promise<Outcome> {
  try {
    const result = await host.eval4(request, ENV, store);
    return { ok: true, result, reads: store.reads };
  } catch (error) {
    return {
      ok: false,
      name: (error as Error).name,
      data: error instanceof EvalRevertedError ? error.details.data : undefined,
      reads: store.reads,
    };
  }
}

Deno.test({
  name: "native evaluator vs the real Rainterpreter on a Rainlang corpus (opt-in)",
  ignore: RAIN_CODE_DIR === undefined,
  async fn(t) {
    const suite = loadRainSuite();
    const evm = createInterpreterHost({ codeCache: suite.codeCache });
    const native = createNativeHost({ fallback: evm, codeCache: suite.codeCache });
    assert.equal(native.tableFor(suite.interpreter.address), RAINTERPRETER_2780CDD6_TABLE);

    const random = prng(0x5eed);
    const corpus: string[] = [...HANDWRITTEN];
    for (let i = 0; corpus.length < HANDWRITTEN.length + 240; i++) {
      corpus.push(
        generateProgram(random, {
          words: [...FIXTURE_TREE_WORDS, ...FLOAT_TREE_WORDS],
          rainlangLeaves: FLOAT_LEAVES,
          contextColumns: 3,
          contextRows: 3,
          maxDepth: 3,
        }, true).rainlang,
      );
    }
    // And 80 more whose Float add/sub/mul/div take 2–4 inputs.
    const naryFloatWords = FLOAT_TREE_WORDS.map((spec) =>
      ["add", "sub", "mul", "div"].includes(spec.name) ? { ...spec, max: 4 } : spec
    );
    for (let i = 0; i < 80; i++) {
      corpus.push(
        generateProgram(random, {
          words: [...FIXTURE_TREE_WORDS, ...naryFloatWords],
          rainlangLeaves: FLOAT_LEAVES,
          contextColumns: 3,
          contextRows: 3,
          maxDepth: 3,
        }, true).rainlang,
      );
    }

    const divergences: string[] = [];
    const stats = { parsed: 0, parseFailed: 0, evaluations: 0, otherSources: 0, reverted: 0 };
    const revertNames: Record<string, number> = {};
    const countRevert = (a: Outcome) => {
      if (a.ok) return;
      stats.reverted++;
      const name = a.data === undefined ? a.name : (decodeRainError(a.data)?.name ?? a.data);
      revertNames[name] = (revertNames[name] ?? 0) + 1;
    };
    const compare = async (
      request: EvalRequest,
      values: Record<string, Hex>,
      label: string,
    ): Promise<Outcome> => {
      const fallbacksBefore = native.telemetry.fallback.total;
      const a = await outcome(native, request, mapStore(values));
      const b = await outcome(evm, request, mapStore(values));
      // A fallback re-reads what the abandoned native attempt read; only results compare.
      if (native.telemetry.fallback.total !== fallbacksBefore) b.reads = a.reads;
      try {
        assert.deepEqual(a, b);
      } catch {
        divergences.push(`${label}\n  native ${JSON.stringify(a)}\n  evm    ${JSON.stringify(b)}`);
      }
      return a;
    };
    const contextValues = [word(0), word(1), word(2), float("0.5"), float("-3"), float("1e18")];
    await t.step(
      `${corpus.length} expressions: identical stack, writes, reads, reverts`,
      async () => {
        for (const rainlang of corpus) {
          let bytecode: Hex;
          try {
            bytecode = await parseRainlang(evm, suite, rainlang);
          } catch {
            stats.parseFailed++;
            continue;
          }
          stats.parsed++;
          // Two random contexts and stores per expression.
          for (let round = 0; round < 2; round++) {
            const context = Array.from(
              { length: 3 },
              () =>
                Array.from(
                  { length: 3 },
                  () => contextValues[Math.floor(random() * contextValues.length)],
                ),
            );
            const values: Record<string, Hex> = {};
            for (let k = 0; k < 4; k++) {
              if (random() < 0.7) values[word(k)] = contextValues[Math.floor(random() * 6)];
            }
            const overlay = random() < 0.2 ? [word(1), word(9)] : [];
            const request: EvalRequest = {
              interpreter: suite.interpreter.address,
              store: suite.store.address,
              namespace: 0xabcn,
              bytecode,
              sourceIndex: 0,
              context,
              inputs: [],
              stateOverlay: overlay,
            };
            const a = await compare(request, values, rainlang);
            stats.evaluations++;
            countRevert(a);
          }
          // Every other source with inputs (one past the end too), and wrong input counts.
          const sources = decodeRainBytecode(bytecode).sources;
          for (let index = 1; index <= sources.length; index++) {
            const inputs = sources[index]?.inputs ?? 0;
            for (const count of index < sources.length ? [inputs, inputs + 1] : [0]) {
              const request: EvalRequest = {
                interpreter: suite.interpreter.address,
                store: suite.store.address,
                namespace: 0xabcn,
                bytecode,
                sourceIndex: index,
                context: [[word(1)]],
                inputs: Array.from(
                  { length: count },
                  () => contextValues[Math.floor(random() * 6)],
                ),
                stateOverlay: random() < 0.3 ? [word(2)] : [],
              };
              const a = await compare(
                request,
                {},
                `${rainlang} (source ${index}, ${count} inputs)`,
              );
              stats.evaluations++;
              stats.otherSources++;
              countRevert(a);
            }
          }
        }
        assert.ok(stats.parsed >= 200, `only ${stats.parsed} expressions parsed`);
        assert.deepEqual(
          divergences,
          [],
          `${divergences.length} divergences:\n${divergences.join("\n")}`,
        );
      },
    );

    console.log(
      `corpus: ${stats.parsed} parsed (${stats.parseFailed} rejected by the parser), ` +
        `${stats.evaluations} evaluations (${stats.otherSources} of other sources), ` +
        `${stats.reverted} reverted on both hosts (${JSON.stringify(revertNames)}); ` +
        `native ${native.telemetry.native}, fallback ${
          JSON.stringify(native.telemetry.fallback.byReason)
        }`,
    );
    // The corpus is over native words, n-ary Float maths and Float reverts included: nothing may
    // fall back.
    assert.deepEqual(native.telemetry.fallback.byReason, {});
    assert.equal(native.telemetry.native, stats.evaluations);
  },
});
