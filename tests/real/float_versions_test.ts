/**
 * Opt-in (TESTING.md § 3b): `floatOps("1cf3969")` against Rain's real Float code, the Rainterpreter
 * of rain.interpreter `2780cdd6` (built with rain.math.float `1cf3969`, alpha.44), run in the EVM
 * host. Programs are assembled directly (constants = random packed Floats, ops = `constant` then
 * one Float word) so no parse is needed per case; the word opcodes are learnt once from the real
 * parser's output. Results are compared bit for bit, reverts by their full revert data.
 *
 * Extract the code first: `VRAINDEX_RAIN_CODE_DIR=/work/rain-code deno run -A scripts/rain_code.ts`.
 */
import assert from "node:assert/strict";
import { encodeErrorResult, type Hex, parseAbi } from "viem";
import { createInterpreterHost, type EvalEnv, EvalRevertedError } from "../../src/evm/mod.ts";
import { decodeRainBytecode, encodeRainBytecode, type RainOp } from "../../src/rainvm/bytecode.ts";
import { type Float, FloatError, floatOps, packFloat } from "../../src/float/mod.ts";
import { nearFloat, Rand, randomFloat, rawFloat } from "../float/_random.ts";
import { loadRainSuite, parseRainlang, RAIN_CODE_DIR } from "./_rain_code.ts";

const ENV: EvalEnv = { chainId: 137n, blockNumber: 1n, timestamp: 1_750_000_000n };
const v44 = floatOps("1cf3969");

const ERRORS = parseAbi([
  "error DivisionByZero(int256 signedCoefficient, int256 exponent)",
  "error ExponentOverflow(int256 signedCoefficient, int256 exponent)",
  "error CoefficientOverflow(int256 signedCoefficient, int256 exponent)",
  "error MaximizeOverflow(int256 signedCoefficient, int256 exponent)",
  "error MulDivOverflow(uint256 x, uint256 y, uint256 denominator)",
  "error NegativeFixedDecimalConversion(int256 signedCoefficient, int256 exponent)",
  "error LossyConversionToFloat(int256 signedCoefficient, int256 exponent)",
  "error LossyConversionFromFloat(int256 signedCoefficient, int256 exponent)",
  "error Panic(uint256 code)",
]);

/** The revert data Rain's Solidity would produce for a FloatError (independent ABI encoding). */
function revertData(error: FloatError): Hex {
  const { rainError, args, panicCode } = error.details;
  if (rainError === "Panic") {
    return encodeErrorResult({ abi: ERRORS, errorName: "Panic", args: [BigInt(panicCode!)] });
  }
  const values = Object.values(args).map((v) => BigInt(v));
  // deno-lint-ignore no-explicit-any
  return encodeErrorResult({ abi: ERRORS, errorName: rainError as any, args: values as any });
}

type Outcome = { ok: true; word: Hex } | { ok: false; data: Hex };

const BOOL_TRUE: Hex = `0x${"0".repeat(63)}1`;
const BOOL_FALSE: Hex = `0x${"0".repeat(64)}`;

type Word = {
  /** Rainlang name, used to learn the opcode from the real parser. */
  name: string;
  arity: number;
  expected: (inputs: Float[]) => Float;
};

const bool = (f: (a: Float, b: Float) => boolean) => (x: Float[]): Float =>
  f(x[0], x[1]) ? BOOL_TRUE : BOOL_FALSE;

const WORDS: Word[] = [
  { name: "add", arity: 2, expected: (x) => v44.add(x[0], x[1]) },
  { name: "sub", arity: 2, expected: (x) => v44.sub(x[0], x[1]) },
  { name: "mul", arity: 2, expected: (x) => v44.mul(x[0], x[1]) },
  { name: "div", arity: 2, expected: (x) => v44.div(x[0], x[1]) },
  { name: "min", arity: 2, expected: (x) => v44.min(x[0], x[1]) },
  { name: "max", arity: 2, expected: (x) => v44.max(x[0], x[1]) },
  { name: "less-than", arity: 2, expected: bool(v44.lt) },
  { name: "less-than-or-equal-to", arity: 2, expected: bool(v44.lte) },
  { name: "greater-than", arity: 2, expected: bool(v44.gt) },
  { name: "greater-than-or-equal-to", arity: 2, expected: bool(v44.gte) },
  { name: "equal-to", arity: 2, expected: bool(v44.eq) },
  { name: "floor", arity: 1, expected: (x) => v44.floor(x[0]) },
  { name: "ceil", arity: 1, expected: (x) => v44.ceil(x[0]) },
  { name: "frac", arity: 1, expected: (x) => v44.frac(x[0]) },
  { name: "inv", arity: 1, expected: (x) => v44.inv(x[0]) },
  { name: "abs", arity: 1, expected: (x) => v44.abs(x[0]) },
  { name: "is-zero", arity: 1, expected: (x) => (v44.isZero(x[0]) ? BOOL_TRUE : BOOL_FALSE) },
  { name: "add", arity: 3, expected: (x) => v44.addN(x) },
  { name: "sub", arity: 3, expected: (x) => v44.subN(x) },
  { name: "mul", arity: 3, expected: (x) => v44.mulN(x) },
  { name: "div", arity: 3, expected: (x) => v44.divN(x) },
  { name: "add", arity: 4, expected: (x) => v44.addN(x) },
];

function expectedOutcome(word: Word, inputs: Float[]): Outcome {
  try {
    return { ok: true, word: word.expected(inputs) };
  } catch (error) {
    if (error instanceof FloatError) return { ok: false, data: revertData(error) };
    throw error;
  }
}

/** Edge words: zeros (canonical and not), ±1, int224 limits, exponent limits, tiny and huge. */
function edgeFloats(): Float[] {
  const I224 = (1n << 223n) - 1n;
  const out: Float[] = [
    rawFloat(0n, 0),
    rawFloat(0n, 5),
    rawFloat(0n, -18),
    rawFloat(0n, 2147483647),
    rawFloat(0n, -2147483648),
    rawFloat(1n, 0),
    rawFloat(-1n, 0),
    rawFloat(5n, -1),
    rawFloat(-15n, -1),
    rawFloat(10n ** 18n, -18),
    rawFloat(I224, 0),
    rawFloat(-I224 - 1n, 0),
    rawFloat(I224, 2147483647),
    rawFloat(-I224 - 1n, 2147483647),
    rawFloat(1n, 2147483647),
    rawFloat(1n, -2147483648),
    rawFloat(-1n, -2147483648),
    rawFloat(I224, -2147483648),
    rawFloat(123456789n, -2147483640),
    rawFloat(987654321n, 2147483600),
    rawFloat(3n, -80),
    rawFloat(-3n, -77),
    rawFloat(7n, -76),
    rawFloat(-25n, -1),
  ];
  return out.concat([packFloat(123n, -2), packFloat(-123n, -2)]);
}

function negOrRandom(r: Rand, a: Float): Float {
  try {
    return v44.neg(a);
  } catch {
    return randomFloat(r);
  }
}

Deno.test({
  name: "floatOps('1cf3969') equals the real Rainterpreter bit for bit (opt-in)",
  ignore: RAIN_CODE_DIR === undefined,
  async fn(t) {
    const suite = loadRainSuite();
    const host = createInterpreterHost({ codeCache: suite.codeCache });
    const store = { get: (): Hex => BOOL_FALSE };

    // Learn the opcodes (and the argument order) from the real parser.
    const opcodes = new Map<string, number>();
    let constantOpcode = -1;
    for (const word of WORDS) {
      if (opcodes.has(word.name)) continue;
      const args = word.arity === 1 ? "7" : "7 8";
      const program = decodeRainBytecode(
        await parseRainlang(host, suite, `_: ${word.name}(${args});`),
      );
      const ops = program.sources[0].ops;
      opcodes.set(word.name, ops[ops.length - 1].opcode);
      constantOpcode = ops[0].opcode;
    }

    const evaluate = async (programs: { word: Word; inputs: Float[] }[]): Promise<Outcome[]> => {
      const constants: Hex[] = [];
      const ops: RainOp[] = [];
      for (const { word, inputs } of programs) {
        // The first argument must end on top of the stack: push the last one first.
        for (let i = inputs.length - 1; i >= 0; i--) {
          ops.push({ opcode: constantOpcode, inputs: 0, outputs: 1, operand: constants.length });
          constants.push(inputs[i]);
        }
        ops.push({
          opcode: opcodes.get(word.name)!,
          inputs: inputs.length,
          outputs: 1,
          operand: 0,
        });
      }
      const bytecode = encodeRainBytecode({ constants, sources: [{ ops }] });
      try {
        const result = await host.eval4(
          {
            interpreter: suite.interpreter.address,
            store: suite.store.address,
            namespace: 1n,
            bytecode,
            sourceIndex: 0,
            context: [],
            inputs: [],
            stateOverlay: [],
          },
          ENV,
          store,
        );
        // Stack comes back top first: the last program's result first.
        return result.stack.slice().reverse().map((word) => ({ ok: true, word }));
      } catch (error) {
        if (error instanceof EvalRevertedError && programs.length === 1) {
          return [{ ok: false, data: error.details.data }];
        }
        if (error instanceof EvalRevertedError) {
          // Somewhere in the batch a revert the model did not predict: run one by one.
          const out: Outcome[] = [];
          for (const p of programs) out.push(...await evaluate([p]));
          return out;
        }
        throw error;
      }
    };

    let checked = 0, reverts = 0;
    const mismatches: string[] = [];
    const run = async (cases: { word: Word; inputs: Float[] }[]): Promise<void> => {
      const expected = cases.map((c) => expectedOutcome(c.word, c.inputs));
      const okCases: number[] = [];
      for (let i = 0; i < cases.length; i++) {
        if (expected[i].ok) okCases.push(i);
      }
      const actual: (Outcome | undefined)[] = new Array(cases.length);
      // Predicted successes in batches of 40 (one eval each); predicted reverts one by one.
      for (let i = 0; i < okCases.length; i += 40) {
        const batch = okCases.slice(i, i + 40);
        const outcomes = await evaluate(batch.map((k) => cases[k]));
        batch.forEach((k, j) => (actual[k] = outcomes[j]));
      }
      for (let i = 0; i < cases.length; i++) {
        if (!expected[i].ok) actual[i] = (await evaluate([cases[i]]))[0];
      }
      for (let i = 0; i < cases.length; i++) {
        checked++;
        const e = expected[i], a = actual[i]!;
        if (!a.ok) reverts++;
        if (JSON.stringify(e) !== JSON.stringify(a)) {
          mismatches.push(
            `${cases[i].word.name}/${cases[i].word.arity}(${cases[i].inputs.join(", ")}): ` +
              `expected ${JSON.stringify(e)}, real ${JSON.stringify(a)}`,
          );
        }
      }
    };

    await t.step("sanity: sub(3 1) is 2 and div(1 0) reverts DivisionByZero(1, 0)", async () => {
      const sub = WORDS.find((w) => w.name === "sub")!;
      const [r] = await evaluate([{ word: sub, inputs: [rawFloat(3n, 0), rawFloat(1n, 0)] }]);
      assert.deepEqual(r, { ok: true, word: v44.sub(rawFloat(3n, 0), rawFloat(1n, 0)) });
      assert.ok(v44.eq((r as { word: Float }).word, rawFloat(2n, 0)));
      const div = WORDS.find((w) => w.name === "div")!;
      const [d] = await evaluate([{ word: div, inputs: [rawFloat(1n, 0), rawFloat(0n, 0)] }]);
      assert.deepEqual(d, {
        ok: false,
        data: encodeErrorResult({ abi: ERRORS, errorName: "DivisionByZero", args: [1n, 0n] }),
      });
    });

    await t.step("every word on every pair of edge words", async () => {
      const edges = edgeFloats();
      const cases: { word: Word; inputs: Float[] }[] = [];
      for (const word of WORDS) {
        if (word.arity === 1) {
          for (const a of edges) cases.push({ word, inputs: [a] });
        } else if (word.arity === 2) {
          for (const a of edges) for (const b of edges) cases.push({ word, inputs: [a, b] });
        }
      }
      await run(cases);
      assert.deepEqual(mismatches.slice(0, 10), []);
    });

    await t.step("seeded random words, n-ary words, cancellation and near pairs", async () => {
      for (const seed of [1, 2, 3, 4]) {
        const r = new Rand(0xf10a7 + seed);
        const cases: { word: Word; inputs: Float[] }[] = [];
        for (let i = 0; i < 1500; i++) {
          const word = r.pick(WORDS);
          const a = randomFloat(r);
          const inputs: Float[] = [a];
          for (let k = 1; k < word.arity; k++) {
            const kind = r.int(0, 3);
            if (kind === 0) inputs.push(nearFloat(r, a));
            else if (kind === 1) inputs.push(negOrRandom(r, a)); // cancellation
            else inputs.push(randomFloat(r));
          }
          cases.push({ word, inputs });
        }
        await run(cases);
      }
      assert.deepEqual(mismatches.slice(0, 10), []);
    });

    await t.step("counts", () => {
      console.log(`checked ${checked} cases against the real Rainterpreter, ${reverts} reverts`);
      assert.ok(checked > 6000);
      assert.ok(reverts > 0);
      assert.equal(mismatches.length, 0);
    });
  },
});

// ---------------------------------------------------------------------------------------------
// Second oracle: rain.math.float's own LibDecimalFloat at each commit, compiled in memory with
// solc-js behind a small harness (written here; nothing from Rain is stored), run in @ethereumjs/evm.

const FLOAT_GIT = Deno.env.get("VRAINDEX_RAIN_FLOAT_GIT") ??
  "/work/.mirror/rainlanguage+rain.math.float/repo";

const HARNESS = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.25;
import {LibDecimalFloat, Float} from "src/lib/LibDecimalFloat.sol";
import {LibDecimalFloatImplementation as I} from "src/lib/implementation/LibDecimalFloatImplementation.sol";
contract FloatHarness {
  using LibDecimalFloat for Float;
  function add(Float a, Float b) external pure returns (Float) { return a.add(b); }
  function sub(Float a, Float b) external pure returns (Float) { return a.sub(b); }
  function mul(Float a, Float b) external pure returns (Float) { return a.mul(b); }
  function div(Float a, Float b) external pure returns (Float) { return a.div(b); }
  function min(Float a, Float b) external pure returns (Float) { return a.min(b); }
  function max(Float a, Float b) external pure returns (Float) { return a.max(b); }
  function lt(Float a, Float b) external pure returns (bool) { return a.lt(b); }
  function lte(Float a, Float b) external pure returns (bool) { return a.lte(b); }
  function gt(Float a, Float b) external pure returns (bool) { return a.gt(b); }
  function gte(Float a, Float b) external pure returns (bool) { return a.gte(b); }
  function eq(Float a, Float b) external pure returns (bool) { return a.eq(b); }
  function minus(Float a) external pure returns (Float) { return a.minus(); }
  function abs(Float a) external pure returns (Float) { return a.abs(); }
  function inv(Float a) external pure returns (Float) { return a.inv(); }
  function floor(Float a) external pure returns (Float) { return a.floor(); }
  function ceil(Float a) external pure returns (Float) { return a.ceil(); }
  function frac(Float a) external pure returns (Float) { return a.frac(); }
  function isZero(Float a) external pure returns (bool) { return a.isZero(); }
  function packLossy(int256 c, int256 e) external pure returns (Float, bool) {
    return LibDecimalFloat.packLossy(c, e);
  }
  function packLossless(int256 c, int256 e) external pure returns (Float) {
    return LibDecimalFloat.packLossless(c, e);
  }
  function fromFixedLossy(uint256 v, uint8 d) external pure returns (Float, bool) {
    return LibDecimalFloat.fromFixedDecimalLossyPacked(v, d);
  }
  function fromFixed(uint256 v, uint8 d) external pure returns (Float) {
    return LibDecimalFloat.fromFixedDecimalLosslessPacked(v, d);
  }
  function toFixedLossy(Float a, uint8 d) external pure returns (uint256, bool) {
    return a.toFixedDecimalLossy(d);
  }
  function toFixed(Float a, uint8 d) external pure returns (uint256) {
    return a.toFixedDecimalLossless(d);
  }
  // The interpreter's n-input words: fold in int256, pack once (rain.interpreter LibOpAdd...).
  function fold(uint256 op, Float[] calldata xs) external pure returns (Float) {
    (int256 c, int256 e) = xs[0].unpack();
    for (uint256 i = 1; i < xs.length; i++) {
      (int256 cb, int256 eb) = xs[i].unpack();
      if (op == 0) (c, e) = I.add(c, e, cb, eb);
      else if (op == 1) (c, e) = I.sub(c, e, cb, eb);
      else if (op == 2) (c, e) = I.mul(c, e, cb, eb);
      else (c, e) = I.div(c, e, cb, eb);
    }
    (Float r,) = LibDecimalFloat.packLossy(c, e);
    return r;
  }
}
`;

const HARNESS_ABI = parseAbi([
  "function add(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function sub(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function mul(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function div(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function min(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function max(bytes32 a, bytes32 b) pure returns (bytes32)",
  "function lt(bytes32 a, bytes32 b) pure returns (bool)",
  "function lte(bytes32 a, bytes32 b) pure returns (bool)",
  "function gt(bytes32 a, bytes32 b) pure returns (bool)",
  "function gte(bytes32 a, bytes32 b) pure returns (bool)",
  "function eq(bytes32 a, bytes32 b) pure returns (bool)",
  "function minus(bytes32 a) pure returns (bytes32)",
  "function abs(bytes32 a) pure returns (bytes32)",
  "function inv(bytes32 a) pure returns (bytes32)",
  "function floor(bytes32 a) pure returns (bytes32)",
  "function ceil(bytes32 a) pure returns (bytes32)",
  "function frac(bytes32 a) pure returns (bytes32)",
  "function isZero(bytes32 a) pure returns (bool)",
  "function packLossy(int256 c, int256 e) pure returns (bytes32, bool)",
  "function packLossless(int256 c, int256 e) pure returns (bytes32)",
  "function fromFixedLossy(uint256 v, uint8 d) pure returns (bytes32, bool)",
  "function fromFixed(uint256 v, uint8 d) pure returns (bytes32)",
  "function toFixedLossy(bytes32 a, uint8 d) pure returns (uint256, bool)",
  "function toFixed(bytes32 a, uint8 d) pure returns (uint256)",
  "function fold(uint256 op, bytes32[] xs) pure returns (bytes32)",
]);

function gitShow(commit: string, path: string): string | undefined {
  const { code, stdout } = new Deno.Command("git", {
    args: ["--git-dir", FLOAT_GIT, "show", `${commit}:${path}`],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  return code === 0 ? new TextDecoder().decode(stdout) : undefined;
}

/** Runtime code of the harness over LibDecimalFloat at `commit` (cached outside the repo). */
async function harnessRuntime(commit: string): Promise<Hex> {
  const cacheFile = `${RAIN_CODE_DIR}/float-harness-${commit}.json`;
  try {
    return JSON.parse(Deno.readTextFileSync(cacheFile)).runtimeCode;
  } catch { /* not cached yet */ }
  const { default: solc } = await import("solc");
  const input = {
    language: "Solidity",
    sources: { "FloatHarness.sol": { content: HARNESS } },
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { "FloatHarness.sol": { FloatHarness: ["evm.deployedBytecode.object"] } },
    },
  };
  const findImports = (path: string) => {
    const contents = gitShow(commit, path);
    return contents === undefined ? { error: `not found: ${path}` } : { contents };
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length > 0) throw new Error(JSON.stringify(errors, null, 1));
  const runtimeCode: Hex = `0x${
    output.contracts["FloatHarness.sol"].FloatHarness.evm.deployedBytecode.object
  }`;
  Deno.writeTextFileSync(cacheFile, JSON.stringify({ commit, runtimeCode }));
  return runtimeCode;
}

type HarnessCase = {
  fn: string;
  args: readonly unknown[];
  /** The vraindex side: the value(s) the harness function returns. */
  expected: () => unknown;
};

function harnessCases(ops: ReturnType<typeof floatOps>, seed: number, n: number): HarnessCase[] {
  const r = new Rand(seed);
  const edges = edgeFloats();
  const float = (): Float => (r.bool(0.15) ? r.pick(edges) : randomFloat(r));
  const cases: HarnessCase[] = [];
  const binary = [
    "add",
    "sub",
    "mul",
    "div",
    "min",
    "max",
    "lt",
    "lte",
    "gt",
    "gte",
    "eq",
  ] as const;
  const unary = ["minus", "abs", "inv", "floor", "ceil", "frac", "isZero"] as const;
  const I256 = (1n << 255n) - 1n;
  for (let i = 0; i < n; i++) {
    const kind = r.int(0, 9);
    if (kind <= 3) {
      const fn = r.pick(binary);
      const a = float();
      const b = r.bool(0.25) ? nearFloat(r, a) : r.bool(0.1) ? negOrRandom(r, a) : float();
      cases.push({ fn, args: [a, b], expected: () => ops[fn](a, b) });
    } else if (kind <= 5) {
      const fn = r.pick(unary);
      const a = float();
      cases.push({ fn, args: [a], expected: () => (fn === "minus" ? ops.neg(a) : ops[fn](a)) });
    } else if (kind === 6) {
      const op = r.int(0, 3);
      const xs = [float(), float(), float()];
      if (r.bool(0.3)) xs[2] = negOrRandom(r, xs[0]);
      const fns = [ops.addN, ops.subN, ops.mulN, ops.divN];
      cases.push({ fn: "fold", args: [BigInt(op), xs], expected: () => fns[op](xs) });
    } else if (kind === 7) {
      // Coefficients up to int256, exponents inside, at and beyond int32.
      const c = r.bool(0.1) ? 0n : r.bool(0.5) ? r.digits(r.int(1, 76)) : r.digits(r.int(60, 76));
      const coefficient = (r.bool() ? -c : c) > I256 ? I256 : r.bool() ? -c : c;
      const exponent = BigInt(
        r.pick([0, r.int(-100, 100), 2147483647 - r.int(0, 20), -2147483648 + r.int(0, 20)]) +
          r.pick([0, 0, r.int(-80, 80)]),
      ) * (r.bool(0.02) ? 1n << 100n : 1n);
      if (r.bool()) {
        cases.push({
          fn: "packLossy",
          args: [coefficient, exponent],
          expected: () => {
            const { value, lossless } = ops.packFloatLossy(coefficient, exponent);
            return [value, lossless];
          },
        });
      } else {
        cases.push({
          fn: "packLossless",
          args: [coefficient, exponent],
          expected: () => ops.packFloat(coefficient, exponent),
        });
      }
    } else {
      const decimals = r.pick([0, 6, 18, r.int(0, 255)]);
      if (r.bool()) {
        const value = r.bool(0.1) ? 0n : r.bool(0.1) ? (1n << 256n) - BigInt(r.int(1, 30)) : r
          .digits(r.int(1, 77));
        const lossy = r.bool();
        cases.push({
          fn: lossy ? "fromFixedLossy" : "fromFixed",
          args: [value, decimals],
          expected: () => {
            if (!lossy) return ops.fromFixedDecimal(value, decimals);
            const { value: v, lossless } = ops.fromFixedDecimalLossy(value, decimals);
            return [v, lossless];
          },
        });
      } else {
        const a = float();
        const lossy = r.bool();
        cases.push({
          fn: lossy ? "toFixedLossy" : "toFixed",
          args: [a, decimals],
          expected: () => {
            if (!lossy) return ops.toFixedDecimal(a, decimals);
            const { value, lossless } = ops.toFixedDecimalLossy(a, decimals);
            return [value, lossless];
          },
        });
      }
    }
  }
  return cases;
}

Deno.test({
  name: "floatOps(v) equals LibDecimalFloat compiled at v (opt-in, solc-js in memory)",
  ignore: RAIN_CODE_DIR === undefined,
  async fn(t) {
    const { Common, Hardfork, Mainnet } = await import("@ethereumjs/common");
    const { createEVM } = await import("@ethereumjs/evm");
    const { Address } = await import("@ethereumjs/util");
    const { bytesToHex, encodeFunctionData, encodeFunctionResult, hexToBytes } = await import(
      "viem"
    );
    for (const version of ["f00888c", "6358302", "1cf3969"] as const) {
      await t.step(`rain.math.float ${version}`, async () => {
        const runtime = await harnessRuntime(version);
        const evm = await createEVM({
          common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
        });
        const to = new Address(hexToBytes(`0x${"f1".repeat(20)}`));
        await evm.stateManager.putCode(to, hexToBytes(runtime));
        const ops = floatOps(version);
        let checked = 0, reverts = 0;
        const mismatches: string[] = [];
        for (const seed of [1, 2, 3]) {
          for (const c of harnessCases(ops, 0xdec0 + seed, 2500)) {
            let expected: Hex;
            try {
              const value = c.expected();
              expected = encodeFunctionResult(
                {
                  abi: HARNESS_ABI,
                  functionName: c.fn,
                  // deno-lint-ignore no-explicit-any
                  result: value as any,
                } as Parameters<typeof encodeFunctionResult>[0],
              );
            } catch (error) {
              if (!(error instanceof FloatError)) throw error;
              expected = revertData(error);
            }
            const data = encodeFunctionData(
              {
                abi: HARNESS_ABI,
                functionName: c.fn,
                // deno-lint-ignore no-explicit-any
                args: c.args as any,
              } as Parameters<typeof encodeFunctionData>[0],
            );
            const result = await evm.runCall({
              to,
              data: hexToBytes(data),
              gasLimit: 10_000_000n,
              isStatic: true,
            });
            const exec = result.execResult;
            if (exec.exceptionError !== undefined) reverts++;
            const actual = bytesToHex(exec.returnValue);
            checked++;
            if (actual !== expected && mismatches.length < 10) {
              mismatches.push(
                `${c.fn}(${c.args.join(", ")}): expected ${expected}, real ${actual}`,
              );
            }
          }
        }
        console.log(`${version}: ${checked} cases, ${reverts} reverts`);
        assert.deepEqual(mismatches, []);
        assert.ok(reverts > 100);
      });
    }
  },
});
