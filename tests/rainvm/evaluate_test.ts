/**
 * The native evaluator on hand-assembled programs for the real Rainterpreter's opcode table, with
 * expectations derived independently: Float results from the `@rainlanguage/float` oracle, stack,
 * context, store and revert data from the contract rules (LibEval, LibOp*, LibMemoryKV).
 */
import assert from "node:assert/strict";
import { type Address, type Hex, keccak256, toFunctionSelector } from "viem";
import { EvalRevertedError } from "../../src/evm/mod.ts";
import {
  createOpcodeTable,
  evaluateNative,
  NativeUnsupportedError,
  RAIN_STANDARD_WORDS,
  RAINTERPRETER_2780CDD6_TABLE,
} from "../../src/rainvm/mod.ts";
import {
  ENV,
  errorStringData,
  float,
  intOrAString,
  mapStore,
  op,
  OPCODE,
  ops,
  oracle,
  oracle1,
  oracleCompare,
  panicData,
  program,
  request,
  single,
  word,
} from "./_programs.ts";

const INTERPRETER: Address = "0x3bF9bd9DA4784f75c92317e61c68493Ecc9aaBDC";
const STORE: Address = "0x1Aa775533E28B1D843e1A589034984E3a62005DC";
const table = RAINTERPRETER_2780CDD6_TABLE;
const c = ops.constant;

/** The same words with the Float semantics of `@rainlanguage/float` alpha.22 (the oracle). */
const legacy = createOpcodeTable({
  name: "legacy-float",
  codeHash: `0x${"11".repeat(32)}`,
  words: RAIN_STANDARD_WORDS,
  floatVersion: "f00888c",
});

function runLegacy(bytecode: Hex) {
  return evaluateNative({
    table: legacy,
    request: request(INTERPRETER, STORE, bytecode),
    env: ENV,
    store: mapStore(),
  });
}

/** What current Rain's `packLossy` does to a zero coefficient: the all-zero word. */
const canonical = (h: Hex): Hex => (BigInt(h) % (1n << 224n) === 0n ? word(0) : h);

function run(bytecode: Hex, extra: Parameters<typeof request>[3] = {}, store = mapStore()) {
  return evaluateNative({
    table,
    request: request(INTERPRETER, STORE, bytecode, extra),
    env: ENV,
    store,
  });
}

function revertData(fn: () => unknown): Hex {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof EvalRevertedError, `expected a revert, got ${error}`);
    assert.equal(error.details.interpreter, INTERPRETER);
    return error.details.data;
  }
  assert.fail("expected a revert");
}

function fallbackReason(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof NativeUnsupportedError, `expected a fallback, got ${error}`);
    return error.details.reason;
  }
  assert.fail("expected a fallback");
}

/** A Float whose coefficient is zero (any exponent). */
const floatZero = (h: Hex): boolean => BigInt(h) % (1n << 224n) === 0n;

/** `LibMemoryKV.toBytes32Array` order by the contract rule: lists 14..0, newest first. */
function rainKvOrder(insertions: readonly [Hex, Hex][]): Hex[] {
  const out: Hex[] = [];
  for (let list = 14; list >= 0; list--) {
    for (let i = insertions.length - 1; i >= 0; i--) {
      const [key, value] = insertions[i];
      if (Number(BigInt(keccak256(key)) % 15n) === list) out.push(key, value);
    }
  }
  return out;
}

Deno.test("native evaluator: stack, inputs, context, calls", async (t) => {
  await t.step("`_ _: 10 2;` returns top first", () => {
    assert.deepEqual(run(single([word(10), word(2)], [c(0), c(1)])), {
      stack: [word(2), word(10)],
      writes: [],
    });
  });

  await t.step("inputs seed the stack with inputs[0] on top; `stack` reads from the bottom", () => {
    const bytecode = program([], [{ inputs: 2, ops: [ops.stack(0), ops.stack(1)] }]);
    // Stack bottom-up: inputs[1], inputs[0], then copies of index 0 (inputs[1]) and 1 (inputs[0]).
    const result = run(bytecode, { inputs: [word(7), word(8)] });
    assert.deepEqual(result.stack, [word(7), word(8), word(7), word(8)]);
  });

  await t.step("wrong input count reverts InputsLengthMismatch(expected, actual)", () => {
    const bytecode = program([], [{ inputs: 1, ops: [] }]);
    const selector = toFunctionSelector("function InputsLengthMismatch(uint256,uint256)");
    assert.equal(
      revertData(() => run(bytecode, { inputs: [] })),
      `${selector}${word(1).slice(2)}${word(0).slice(2)}`,
    );
  });

  await t.step("source index past the end reverts SourceIndexOutOfBounds(index, bytecode)", () => {
    const bytecode = single([word(1)], [c(0)]);
    // The error carries the inner bytecode: the serialized bytes after the constants and length.
    const inner = bytecode.slice(2 + 64 + 64 + 64);
    const data = revertData(() => run(bytecode, { sourceIndex: 3 }));
    const selector = toFunctionSelector("function SourceIndexOutOfBounds(uint256,bytes)");
    const length = inner.length / 2;
    assert.equal(
      data,
      `${selector}${word(3).slice(2)}${word(0x40).slice(2)}${word(length).slice(2)}${
        inner.padEnd(Math.ceil(length / 32) * 64, "0")
      }`,
    );
  });

  await t.step("odd overlay reverts OddSetLength(length)", () => {
    const selector = toFunctionSelector("function OddSetLength(uint256)");
    assert.equal(
      revertData(() => run(single([], []), { stateOverlay: [word(1)] })),
      `${selector}${word(1).slice(2)}`,
    );
  });

  await t.step(
    "context<column row> reads context[column][row]; out of range is Panic(0x32)",
    () => {
      const context = [[word(1), word(2)], [word(3)]];
      const bytecode = single([], [ops.context(0, 1), ops.context(1, 0)]);
      assert.deepEqual(run(bytecode, { context }).stack, [word(3), word(2)]);
      assert.equal(
        revertData(() => run(single([], [ops.context(1, 1)]), { context })),
        panicData(0x32),
      );
      assert.equal(
        revertData(() => run(single([], [ops.context(2, 0)]), { context })),
        panicData(0x32),
      );
    },
  );

  await t.step("call: caller's top input is the callee's bottom; outputs keep their order", () => {
    // Source 1 has 2 inputs and returns [bottom, top] as its 2 outputs plus a constant on top.
    const bytecode = program([word(1), word(2), word(9)], [
      { ops: [c(0), c(1), ops.call(1, 2, 3)] },
      { inputs: 2, ops: [ops.stack(0), ops.stack(1), c(2)] },
    ]);
    // Caller pushes 1 then 2 (top). Callee stack bottom-up: 2, 1, then copies 2, 1, then 9.
    // The top 3 callee items (2, 1, 9; 9 on top) land on the caller in the same order.
    assert.deepEqual(run(bytecode).stack, [word(9), word(1), word(2)]);
  });

  await t.step("block words come from the env", () => {
    const bytecode = single([], [
      ops.nullary(OPCODE.blockNumber),
      ops.nullary(OPCODE.blockTimestamp),
      ops.nullary(OPCODE.now),
      ops.nullary(OPCODE.chainId),
    ]);
    assert.deepEqual(run(bytecode).stack, [
      word(ENV.chainId),
      word(ENV.timestamp),
      word(ENV.timestamp),
      word(ENV.blockNumber),
    ]);
  });

  await t.step("hash(a b c) is keccak256 of the words, first argument first", () => {
    const [a, b, d] = [word(1), word(2), word(3)];
    // Rainlang `hash(a b d)` pushes d, b, a so that a is on top.
    const bytecode = single([d, b, a], [c(0), c(1), c(2), ops.nary(OPCODE.hash, 3)]);
    assert.deepEqual(run(bytecode).stack, [keccak256(`0x${a.slice(2)}${b.slice(2)}${d.slice(2)}`)]);
    assert.deepEqual(run(single([], [ops.nary(OPCODE.hash, 0)])).stack, [keccak256("0x")]);
  });
});

Deno.test("native evaluator: store get/set and write order", async (t) => {
  await t.step("get reads the store once, caches, and the read key comes back in writes", () => {
    const key = word(5);
    const store = mapStore({ [key]: word(77) });
    const bytecode = single([key], [c(0), ops.get(), c(0), ops.get()]);
    const result = run(bytecode, {}, store);
    assert.deepEqual(result.stack, [word(77), word(77)]);
    assert.deepEqual(result.writes, [key, word(77)]);
    assert.deepEqual(store.reads, [key]);
  });

  await t.step("set then get does not read the store; later set updates in place", () => {
    const store = mapStore();
    // set(1 2) set(1 3) get(1): Rainlang pushes value then key so the key is on top.
    const bytecode = single([word(1), word(2), word(3)], [
      c(1),
      c(0),
      ops.set(),
      c(2),
      c(0),
      ops.set(),
      c(0),
      ops.get(),
    ]);
    const result = run(bytecode, {}, store);
    assert.deepEqual(result.stack, [word(3)]);
    assert.deepEqual(result.writes, [word(1), word(3)]);
    assert.deepEqual(store.reads, []);
  });

  await t.step("writes follow LibMemoryKV order over many keys (overlay first)", () => {
    const constants: Hex[] = [];
    const sourceOps = [];
    const insertions: [Hex, Hex][] = [[word(1000), word(1)], [word(1001), word(2)]];
    for (let i = 0; i < 20; i++) {
      constants.push(word(100 + i), word(200 + i));
      sourceOps.push(c(2 * i + 1), c(2 * i), ops.set());
      insertions.push([word(100 + i), word(200 + i)]);
    }
    // Update an overlay key: keeps its place.
    constants.push(word(1000), word(5));
    sourceOps.push(c(41), c(40), ops.set());
    insertions[0] = [word(1000), word(5)];
    const result = run(single(constants, sourceOps), {
      stateOverlay: [word(1000), word(1), word(1001), word(2)],
    });
    assert.deepEqual(result.writes, rainKvOrder(insertions));
    assert.equal(result.writes.length, 44);
  });
});

Deno.test("native evaluator: logic words", async (t) => {
  const zero = word(0), one = word(1);
  // A Float zero with a non-zero exponent is still zero (coefficient bits only).
  const zeroE5 = `0x00000005${"0".repeat(56)}` as Hex;

  await t.step("any / every pick as the contract rules say", () => {
    // any(a b d) with a on top: first non-zero from the top, else the deepest item's bits.
    const any = (items: Hex[]) =>
      run(
        single([...items].reverse(), [
          ...items.map((_, i) => c(i)),
          ops.nary(OPCODE.any, items.length),
        ]),
      ).stack[0];
    const every = (items: Hex[]) =>
      run(
        single([...items].reverse(), [
          ...items.map((_, i) => c(i)),
          ops.nary(OPCODE.every, items.length),
        ]),
      ).stack[0];
    assert.equal(any([zero, word(3), word(4)]), word(3));
    assert.equal(any([zero, zeroE5]), zeroE5);
    assert.equal(every([word(1), word(2), word(3)]), word(3));
    assert.equal(every([word(1), zeroE5, word(3)]), zero);
  });

  await t.step("if / is-zero / binary-equal-to", () => {
    const iff = (cond: Hex) =>
      run(single([word(3), word(2), cond], [c(0), c(1), c(2), ops.if()])).stack[0];
    assert.equal(iff(one), word(2));
    assert.equal(iff(zeroE5), word(3));
    assert.deepEqual(run(single([zeroE5], [c(0), ops.unary(OPCODE.isZero)])).stack, [one]);
    assert.deepEqual(run(single([word(5)], [c(0), ops.unary(OPCODE.isZero)])).stack, [zero]);
    // 1 and 1.0 are equal Floats but different words.
    // 1 packed as (1, 0) and as (10, -1).
    const pair = [float("1"), `0xffffffff${"0".repeat(54)}0a` as Hex];
    assert.notEqual(pair[0], pair[1]);
    assert.deepEqual(run(single(pair, [c(0), c(1), ops.binary(OPCODE.binaryEqualTo)])).stack, [
      zero,
    ]);
    assert.deepEqual(run(single(pair, [c(0), c(1), ops.binary(OPCODE.equalTo)])).stack, [one]);
  });

  await t.step("Float comparisons match the oracle (first argument on top)", () => {
    const values = ["-2", "0", "0.5", "1", "1.0", "3e10", "-1e-20"].map(float);
    const cases = [
      [OPCODE.lessThan, "lt"],
      [OPCODE.lessThanOrEqualTo, "lte"],
      [OPCODE.greaterThan, "gt"],
      [OPCODE.greaterThanOrEqualTo, "gte"],
      [OPCODE.equalTo, "eq"],
    ] as const;
    for (const a of values) {
      for (const b of values) {
        for (const [opcode, name] of cases) {
          const got = run(single([b, a], [c(0), c(1), ops.binary(opcode)])).stack[0];
          assert.equal(got, oracleCompare(name, a, b) ? one : zero, `${name}(${a} ${b})`);
        }
      }
    }
  });

  await t.step("ensure reverts Error(reason) on a zero condition", () => {
    const bytecode = single([intOrAString("boom"), zeroE5], [c(0), c(1), ops.ensure()]);
    assert.equal(revertData(() => run(bytecode)), errorStringData("boom"));
    const passes = single([intOrAString("boom"), one, word(4)], [c(0), c(1), ops.ensure(), c(2)]);
    assert.deepEqual(run(passes).stack, [word(4)]);
  });

  await t.step("conditions: first true pair's value; all false reverts with the reason", () => {
    // conditions(0 a 1 b): pairs from the top.
    const bytecode = (items: Hex[]) =>
      single([...items].reverse(), [
        ...items.map((_, i) => c(i)),
        ops.nary(OPCODE.conditions, items.length),
      ]);
    assert.deepEqual(run(bytecode([zero, word(10), one, word(20)])).stack, [word(20)]);
    assert.deepEqual(run(bytecode([one, word(10), one, word(20)])).stack, [word(10)]);
    assert.equal(
      revertData(() => run(bytecode([zero, word(10), zero, word(20), intOrAString("none")]))),
      errorStringData("none"),
    );
    assert.equal(revertData(() => run(bytecode([zero, word(10)]))), errorStringData(""));
  });
});

Deno.test("native evaluator: Float maths against the oracle", async (t) => {
  const values = ["0", "1", "-1", "0.1", "0.2", "2.5", "-7.25", "1e30", "123456789.987654321", "3"]
    .map(float);

  await t.step("add / sub / mul / div / min / max (a on top)", () => {
    const cases = [
      [OPCODE.add, "add"],
      [OPCODE.sub, "sub"],
      [OPCODE.mul, "mul"],
      [OPCODE.div, "div"],
      [OPCODE.min, "min"],
      [OPCODE.max, "max"],
    ] as const;
    for (const a of values) {
      for (const b of values) {
        for (const [opcode, name] of cases) {
          if (name === "div" && b === float("0")) continue;
          const code = single([b, a], [c(0), c(1), ops.nary(opcode, 2)]);
          const expected = oracle(name, a, b);
          assert.equal(runLegacy(code).stack[0], expected, `legacy ${name}(${a} ${b})`);
          // min/max return an input as is; arithmetic packs, so zero is the zero word.
          const current = name === "min" || name === "max" ? expected : canonical(expected);
          assert.equal(run(code).stack[0], current, `${name}(${a} ${b})`);
        }
      }
    }
  });

  await t.step("min / max over 4 inputs fold pairwise", () => {
    const items = ["3", "-1", "2.5", "-1.0"].map(float);
    const code = (opcode: number) =>
      single([...items].reverse(), [...items.map((_, i) => c(i)), ops.nary(opcode, 4)]);
    const fold = (name: "min" | "max") =>
      items.slice(1).reduce((acc, x) => oracle(name, acc, x), items[0]);
    assert.equal(run(code(OPCODE.min)).stack[0], fold("min"));
    assert.equal(run(code(OPCODE.max)).stack[0], fold("max"));
  });

  await t.step("abs / floor / frac / inv", () => {
    const cases = [
      [OPCODE.abs, "abs"],
      [OPCODE.floor, "floor"],
      [OPCODE.frac, "frac"],
      [OPCODE.inv, "inv"],
    ] as const;
    for (const a of values) {
      for (const [opcode, name] of cases) {
        if (name === "inv" && a === float("0")) continue;
        const code = single([a], [c(0), ops.unary(opcode)]);
        const expected = oracle1(name, a);
        assert.equal(runLegacy(code).stack[0], expected, `legacy ${name}(${a})`);
        if (name !== "floor") {
          assert.equal(run(code).stack[0], canonical(expected), `${name}(${a})`);
        }
      }
    }
  });

  await t.step("floor rounds toward negative infinity in current Rain", () => {
    // By value: floor(x) - expected is zero; integers (exponent ≥ 0) come back unchanged.
    const cases: [string, string][] = [
      ["2.5", "2"],
      ["-2.5", "-3"],
      ["-0.5", "-1"],
      ["-7.25", "-8"],
      ["0.5", "0"],
      ["-3", "-3"],
      ["-123456789.987654321", "-123456790"],
    ];
    for (const [x, expected] of cases) {
      const got = run(single([float(x)], [c(0), ops.unary(OPCODE.floor)])).stack[0];
      assert.ok(floatZero(oracle("sub", got, float(expected))), `floor(${x}) = ${got}`);
    }
    assert.equal(run(single([float("0.5")], [c(0), ops.unary(OPCODE.floor)])).stack[0], word(0));
    assert.equal(run(single([float("-3")], [c(0), ops.unary(OPCODE.floor)])).stack[0], float("-3"));
  });

  await t.step("avg, linear-growth, headroom, ceil by their definitions", () => {
    const [a, b, d] = [float("2.5"), float("-7.25"), float("3")];
    assert.equal(
      run(single([b, a], [c(0), c(1), ops.binary(OPCODE.avg)])).stack[0],
      oracle("div", oracle("add", a, b), float("2")),
    );
    // linear-growth(base rate t) = base + rate × t.
    assert.equal(
      run(single([d, b, a], [c(0), c(1), c(2), op(OPCODE.linearGrowth, 3, 1)])).stack[0],
      oracle("add", a, oracle("mul", b, d)),
    );
    // ceil(2.5) = 3 and headroom(2.5) = 0.5 by value; headroom of an integer is 1.
    assert.ok(
      floatZero(
        oracle("sub", run(single([a], [c(0), ops.unary(OPCODE.ceil)])).stack[0], float("3")),
      ),
    );
    assert.ok(floatZero(
      oracle("sub", run(single([a], [c(0), ops.unary(OPCODE.headroom)])).stack[0], float("0.5")),
    ));
    assert.equal(run(single([d], [c(0), ops.unary(OPCODE.headroom)])).stack[0], float("1"));
  });

  await t.step("e is Euler's number to 67 digits", () => {
    assert.ok(floatZero(oracle(
      "sub",
      run(single([], [ops.nullary(OPCODE.e)])).stack[0],
      float("2.718281828459045235360287471352662497757247093699959574966967627724"),
    )));
  });

  await t.step("Float reverts produce Rain's revert data natively", () => {
    const [one, zero, two] = [float("1"), float("0"), float("2")];
    // LibDecimalFloatImplementation.div (rain.math.float 1cf3969): a zero divisor reverts
    // DivisionByZero(signedCoefficientA, exponentA) with the dividend as unpacked (1 = 1e0).
    const divisionByZero = (coefficient: bigint, exponent: bigint): Hex =>
      `${toFunctionSelector("function DivisionByZero(int256,int256)")}${
        word(BigInt.asUintN(256, coefficient)).slice(2)
      }${word(BigInt.asUintN(256, exponent)).slice(2)}`;
    assert.equal(
      revertData(() => run(single([zero, one], [c(0), c(1), ops.nary(OPCODE.div, 2)]))),
      divisionByZero(1n, 0n),
    );
    // `inv(0)` is `div(1e76, -76, 0, 0)`.
    assert.equal(
      revertData(() => run(single([zero], [c(0), ops.unary(OPCODE.inv)]))),
      divisionByZero(10n ** 76n, -76n),
    );
    // alpha.22 has no zero-divisor check: its mulDiv by a zero denominator reverts MulDivOverflow.
    assert.ok(
      revertData(() => runLegacy(single([zero, one], [c(0), c(1), ops.nary(OPCODE.div, 2)])))
        .startsWith(toFunctionSelector("function MulDivOverflow(uint256,uint256,uint256)")),
    );
    // n-ary div: the zero divisor is met after 2 ÷ 1 = 2, unpacked (the maximised 2e75, -75).
    const data = revertData(() =>
      run(single([zero, one, two], [c(0), c(1), c(2), ops.nary(OPCODE.div, 3)]))
    );
    assert.ok(data.startsWith(toFunctionSelector("function DivisionByZero(int256,int256)")));
  });

  await t.step("n-ary add / sub / mul / div run natively and pack once", () => {
    const byValue = (got: Hex, expected: string, what: string) =>
      assert.ok(floatZero(oracle("sub", got, float(expected))), `${what} = ${got}`);
    const nary = (opcode: number, items: string[]) =>
      run(
        single(items.map(float).reverse(), [
          ...items.map((_, i) => c(i)),
          ops.nary(opcode, items.length),
        ]),
      )
        .stack[0];
    byValue(nary(OPCODE.add, ["1", "2", "3"]), "6", "add(1 2 3)");
    byValue(nary(OPCODE.sub, ["10", "1", "2", "3"]), "4", "sub(10 1 2 3)");
    byValue(nary(OPCODE.mul, ["2", "3", "4"]), "24", "mul(2 3 4)");
    byValue(nary(OPCODE.div, ["24", "2", "3"]), "4", "div(24 2 3)");
    // Unpacked, 1 + 1e-70 keeps the 1e-70 (1e76 + 1e6 at exponent -76 fits int256), so the sum
    // minus 1 is 1e-70; packing after each step (67 digits) would lose it and give zero.
    const once = nary(OPCODE.add, ["1", "1e-70", "-1"]);
    assert.ok(!floatZero(once));
    byValue(once, "1e-70", "add(1 1e-70 -1)");
    const pairwise = run(
      // add(1 1e-70) packs to 1; adding -1 gives zero.
      single([float("1e-70"), float("1"), float("-1")], [
        c(0),
        c(1),
        ops.nary(OPCODE.add, 2),
        c(2),
        ops.nary(OPCODE.add, 2),
      ]),
    ).stack[0];
    assert.ok(floatZero(pairwise), `add(add(1 1e-70) -1) = ${pairwise}`);
  });
});

Deno.test("native evaluator: uint256 and bitwise words", async (t) => {
  const MAX = (1n << 256n) - 1n;
  const fold = (opcode: number, items: bigint[]) =>
    run(
      single([...items].reverse().map(word), [
        ...items.map((_, i) => c(i)),
        ops.nary(opcode, items.length),
      ]),
    );

  await t.step("checked uint256 arithmetic, first argument on top", () => {
    assert.deepEqual(fold(OPCODE.uint256Add, [1n, 2n, 3n]).stack, [word(6)]);
    assert.deepEqual(fold(OPCODE.uint256Sub, [10n, 3n, 2n]).stack, [word(5)]);
    assert.deepEqual(fold(OPCODE.uint256Mul, [4n, 5n]).stack, [word(20)]);
    assert.deepEqual(fold(OPCODE.uint256Div, [20n, 3n]).stack, [word(6)]);
    assert.deepEqual(fold(OPCODE.uint256Power, [3n, 5n]).stack, [word(243)]);
    assert.deepEqual(fold(OPCODE.uint256Power, [0n, 0n]).stack, [word(1)]);
    assert.deepEqual(fold(OPCODE.uint256Power, [2n, 255n]).stack, [word(1n << 255n)]);
    assert.equal(revertData(() => fold(OPCODE.uint256Add, [MAX, 1n])), panicData(0x11));
    assert.equal(revertData(() => fold(OPCODE.uint256Sub, [1n, 2n])), panicData(0x11));
    assert.equal(
      revertData(() => fold(OPCODE.uint256Mul, [1n << 200n, 1n << 56n])),
      panicData(0x11),
    );
    assert.equal(revertData(() => fold(OPCODE.uint256Div, [1n, 0n])), panicData(0x12));
    assert.equal(revertData(() => fold(OPCODE.uint256Power, [2n, 256n])), panicData(0x11));
    assert.deepEqual(run(single([], [ops.nullary(OPCODE.uint256MaxValue)])).stack, [word(MAX)]);
  });

  await t.step("bitwise and/or/count/shift/decode/encode", () => {
    const [a, b] = [0xf0f0n, 0x0ff0n];
    assert.deepEqual(fold(OPCODE.bitwiseAnd, [a, b]).stack, [word(a & b)]);
    assert.deepEqual(fold(OPCODE.bitwiseOr, [a, b]).stack, [word(a | b)]);
    assert.deepEqual(run(single([word(a)], [c(0), ops.unary(OPCODE.bitwiseCountOnes)])).stack, [
      word(8),
    ]);
    assert.deepEqual(run(single([word(MAX)], [c(0), ops.shiftLeft(255)])).stack, [
      word(1n << 255n),
    ]);
    assert.deepEqual(run(single([word(MAX)], [c(0), ops.shiftRight(255)])).stack, [word(1)]);
    // decode<start=4 length=8>(0xabcd) = (0xabcd >> 4) & 0xff = 0xbc.
    assert.deepEqual(run(single([word(0xabcd)], [c(0), ops.decode(4, 8)])).stack, [word(0xbc)]);
    // encode<8 8>(source=0x1ff target=0xffff) replaces bits 8..15 of target with 0xff.
    assert.deepEqual(
      run(single([word(0xffff), word(0x1ff)], [c(0), c(1), ops.encode(8, 8)])).stack,
      [word(0xffff)],
    );
    assert.deepEqual(
      run(single([word(0x1234), word(0xab)], [c(0), c(1), ops.encode(4, 8)])).stack,
      [word(0x1ab4)],
    );
  });
});

Deno.test("native evaluator: what falls back", async (t) => {
  await t.step("words that call other contracts or need log tables", () => {
    assert.equal(
      fallbackReason(() =>
        run(single([word(1), word(2)], [c(0), c(1), op(OPCODE.uint256Erc20BalanceOf, 2, 1)]))
      ),
      "unsupported-word:uint256-erc20-balance-of",
    );
    assert.equal(
      fallbackReason(() => run(single([word(1), word(2)], [c(0), c(1), op(OPCODE.power, 2, 1)]))),
      "unsupported-word:power",
    );
    assert.equal(
      fallbackReason(() => run(single([word(1)], [c(0), op(OPCODE.exp, 1, 1)]))),
      "unsupported-word:exp",
    );
  });

  await t.step("only sources that reach an unsupported word fall back", () => {
    const bytecode = program([word(1), word(2)], [
      { ops: [c(0)] },
      { ops: [c(0), c(1), op(OPCODE.uint256Erc20BalanceOf, 2, 1)] },
      { ops: [ops.call(1, 0, 1)] },
    ]);
    assert.deepEqual(run(bytecode).stack, [word(1)]);
    assert.match(fallbackReason(() => run(bytecode, { sourceIndex: 1 })), /^unsupported-word:/);
    assert.match(fallbackReason(() => run(bytecode, { sourceIndex: 2 })), /^unsupported-word:/);
  });

  await t.step("bytecode Rain's integrity check rejects, cycles, opcodes past the table", () => {
    // `constant` reading past the constants.
    assert.equal(fallbackReason(() => run(single([], [c(0)]))), "integrity");
    // An op whose IO byte disagrees with the word (is-zero declared 2 inputs).
    assert.equal(
      fallbackReason(() => run(single([word(1), word(2)], [c(0), c(1), op(OPCODE.isZero, 2, 1)]))),
      "integrity",
    );
    const recursive = program([], [{ ops: [ops.call(0, 0, 0)] }]);
    assert.equal(fallbackReason(() => run(recursive)), "call-cycle");
    assert.equal(fallbackReason(() => run(single([], [op(72, 0, 1)]))), "opcode-out-of-range");
    assert.equal(fallbackReason(() => run("0x00")), "malformed-bytecode");
  });
});
