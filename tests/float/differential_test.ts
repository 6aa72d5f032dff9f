import assert from "node:assert/strict";
import * as F from "../../src/float/mod.ts";
import { type Case, mismatch, runNative } from "./_oracle.ts";
import { runOracle } from "./_oracle_run.ts";
import {
  nearFloat,
  Rand,
  randomDecimalString,
  randomFixedValue,
  randomFloat,
  rawFloat,
} from "./_random.ts";

const BINARY = ["add", "sub", "mul", "div", "min", "max", "lt", "eq", "lte", "gt", "gte"] as const;
const UNARY = ["inv", "abs", "neg", "floor", "frac", "isZero", "format", "toBigint"] as const;
const FIXED_TO = ["toFixedDecimal", "toFixedDecimalLossy"] as const;
const FIXED_FROM = ["fromFixedDecimal", "fromFixedDecimalLossy"] as const;

function check(c: Case, failures: string[]): void {
  const why = mismatch(runOracle(c), runNative(c));
  if (why) failures.push(`${JSON.stringify(c)}: ${why}`);
}

/** The lossless flag of the lossy forms agrees with whether the oracle's lossless form succeeds. */
function checkLosslessFlag(c: Case, failures: string[]): void {
  if (c.op === "toFixedDecimalLossy") {
    let flag: boolean;
    try {
      flag = F.toFixedDecimalLossy(c.a as F.Float, c.decimals!).lossless;
    } catch {
      return;
    }
    const strict = runOracle({ ...c, op: "toFixedDecimal" });
    const oracleFlag = strict.ok || strict.error.name !== "LossyConversionFromFloat";
    if (flag !== oracleFlag) failures.push(`${JSON.stringify(c)}: lossless flag ${flag}`);
  } else if (c.op === "fromFixedDecimalLossy") {
    let flag: boolean;
    try {
      flag = F.fromFixedDecimalLossy(BigInt(c.a), c.decimals!).lossless;
    } catch {
      return;
    }
    const strict = runOracle({ ...c, op: "fromFixedDecimal" });
    if (flag !== strict.ok) failures.push(`${JSON.stringify(c)}: lossless flag ${flag}`);
  }
}

const INT224_MAX = (1n << 223n) - 1n;
const INT224_MIN = -(1n << 223n);
const EDGE_FLOATS: string[] = [
  F.FLOAT_ZERO,
  F.FLOAT_ONE,
  rawFloat(0n, -5),
  rawFloat(0n, 2147483647),
  rawFloat(-1n, 0),
  rawFloat(1n, -18),
  rawFloat(1n, 18),
  rawFloat(10n ** 18n, -18),
  rawFloat(INT224_MAX, 0),
  rawFloat(INT224_MIN, 0),
  rawFloat(INT224_MAX, 2147483647),
  rawFloat(INT224_MIN, 2147483647),
  rawFloat(INT224_MAX, -2147483648),
  rawFloat(INT224_MIN, -2147483648),
  rawFloat(1n, -2147483648),
  rawFloat(-1n, -2147483648),
  rawFloat(1n, 2147483647),
  rawFloat(-1n, 2147483647),
  rawFloat(1n, -76),
  rawFloat(1n, -77),
  rawFloat(1n, 76),
  rawFloat(1n, 77),
  rawFloat(25n, -1),
  rawFloat(-25n, -1),
  rawFloat(10n ** 66n, -66),
  rawFloat(-(10n ** 66n), -66),
];
const EDGE_STRINGS = [
  "0",
  "-0",
  "1",
  "-1",
  "0.1",
  "0.2",
  "0.3",
  "1e-18",
  "1e18",
  "1.5",
  "-1.5",
  "123.456e-7",
  "1E5",
  "0.000000000000000001",
  "1000000000000000000",
  "3.333333333333333333333333333333333",
  "13479973333575319897333507543509815336818572211270286240551805124607", // int224 max
  "13479973333575319897333507543509815336818572211270286240551805124608",
  "-13479973333575319897333507543509815336818572211270286240551805124608",
  "-13479973333575319897333507543509815336818572211270286240551805124609",
  "57896044618658097711785492504343953926634992332820282019728792003956564819967",
  "57896044618658097711785492504343953926634992332820282019728792003956564819968",
  "-57896044618658097711785492504343953926634992332820282019728792003956564819968",
  "115792089237316195423570985008687907853269984665640564039457584007913129639935",
  "115792089237316195423570985008687907853269984665640564039457584007913129639936",
  "1e2147483647",
  "1e2147483648",
  "1e-2147483648",
  "1e-2147483649",
  "0e99999999999",
  "1e-57896044618658097711785492504343953926634992332820282019728792003956564819968",
  "1.5e-57896044618658097711785492504343953926634992332820282019728792003956564819968",
  "1e57896044618658097711785492504343953926634992332820282019728792003956564819967",
  "123456789012345678901234567890123456789012345678901234567890123456789e57896044618658097711785492504343953926634992332820282019728792003956564819967",
  "1e-57896044618658097711785492504343953926634992332820282019728792003956564819969",
  "1" + "0".repeat(70) + "e-2147483650",
  "-1" + "0".repeat(70) + "e-2147483652",
  "1" + "0".repeat(70) + "e2147483640",
  "0." + "0".repeat(300) + "1",
  "0." + "0".repeat(250) + "1",
  "1." + "0".repeat(67) + "1",
  "0." + "1".repeat(67),
  "0." + "1".repeat(68),
  "",
  "-",
  "--1",
  "-1-",
  ".5",
  "1.",
  "1e",
  "1e-",
  "1e--5",
  "1.-5",
  "1..2",
  "1.2.3",
  "1e5e5",
  " 1",
  "1 ",
  "+1",
  "abc",
  "1x",
  "0x10",
  "１",
  "1_000",
];

Deno.test("float differential vs @rainlanguage/float@0.0.0-alpha.22", async (t) => {
  await t.step("hand-picked edges: parse of edge strings", () => {
    const failures: string[] = [];
    for (const s of EDGE_STRINGS) check({ op: "parse", a: s }, failures);
    assert.deepEqual(failures, []);
  });

  await t.step("hand-picked edges: every op on every pair of edge floats", () => {
    const failures: string[] = [];
    let n = 0;
    for (const a of EDGE_FLOATS) {
      for (const op of UNARY) (check({ op, a }, failures), n++);
      for (const b of EDGE_FLOATS) for (const op of BINARY) (check({ op, a, b }, failures), n++);
      for (const decimals of [0, 6, 18, 77, 255]) {
        for (const op of FIXED_TO) (check({ op, a, decimals }, failures), n++);
      }
    }
    for (const v of [0n, 1n, 10n ** 18n, (1n << 223n) - 1n, 1n << 223n, (1n << 255n) - 1n]) {
      for (const extra of [0n, 1n, 10n]) {
        for (const decimals of [0, 18, 255]) {
          for (const op of FIXED_FROM) {
            check({ op, a: String(v + extra), decimals }, failures);
            n++;
          }
        }
      }
    }
    for (const v of [(1n << 256n) - 1n, (1n << 256n) - 6n, (1n << 255n) + 10n]) {
      for (const op of FIXED_FROM) check({ op, a: String(v), decimals: 3 }, failures);
    }
    assert.equal(
      n,
      EDGE_FLOATS.length * (UNARY.length + EDGE_FLOATS.length * BINARY.length + 10) + 108,
    );
    assert.deepEqual(failures.slice(0, 10), []);
  });

  await t.step("hand-picked edges: 0.1 + 0.2 and 1 / 3", () => {
    assert.equal(F.format(F.add(F.parse("0.1"), F.parse("0.2"))), "0.3");
    assert.ok(F.eq(F.add(F.parse("0.2"), F.parse("0.7")), F.parse("0.9")));
    const failures: string[] = [];
    check({ op: "div", a: F.parse("1"), b: F.parse("3") }, failures);
    check({ op: "add", a: F.parse("0.1"), b: F.parse("0.2") }, failures);
    assert.deepEqual(failures, []);
  });

  await t.step("boundary families: 12,000 cases at Rain's thresholds", () => {
    const r = new Rand(777);
    const failures: string[] = [];
    const big = () =>
      (r.bool() ? 1n : -1n) * (INT224_MAX - BigInt(r.int(0, 1000)) * 10n ** BigInt(r.int(0, 60)));
    const anyExp = () => r.int(-200, 200);
    for (let i = 0; i < 2000; i++) {
      // Exponents exactly around the 76-digit alignment / rescale limits.
      const ea = anyExp();
      const a = rawFloat(big(), ea);
      const gap = r.pick([75, 76, 77, 78, 66, 67, 68, 9, 10, 11]);
      const b = rawFloat(r.bool() ? big() : BigInt(r.int(-9, 9)), ea + (r.bool() ? gap : -gap));
      check({ op: r.pick(BINARY), a, b }, failures);
      // Products near int256 / int224 limits.
      check({
        op: r.pick(["mul", "div"]),
        a: rawFloat(big(), anyExp()),
        b: rawFloat(big(), anyExp()),
      }, failures);
      // Results whose exponent lands right at the int32 limits.
      const top = 2147483647 - r.int(0, 80), bottom = -2147483648 + r.int(0, 80);
      check({
        op: r.pick(["add", "mul", "div", "sub"]),
        a: rawFloat(big(), r.bool() ? top : bottom),
        b: rawFloat(big(), r.int(-80, 80)),
      }, failures);
      check({
        op: r.pick(["inv", "neg", "abs", "floor", "frac", "format"]),
        a: rawFloat(big(), r.bool() ? top : bottom),
      }, failures);
      // Fixed-point conversions around the 10^77 scale and uint256 limits.
      const fe = r.int(-80, 80);
      check({
        op: r.pick(FIXED_TO),
        a: rawFloat(BigInt(r.int(1, 20)) * 10n ** BigInt(r.int(0, 60)), fe),
        decimals: r.int(0, 80),
      }, failures);
      // Decimal strings with 66-69 fraction digits and integer parts near the rescale limit.
      const intPart = r.pick(["0", "1", "13", "134", "9".repeat(r.int(1, 5))]);
      const fracLen = r.pick([65, 66, 67, 68, 69]);
      check({
        op: "parse",
        a: `${r.bool() ? "-" : ""}${intPart}.${r.digitString(fracLen - 1)}${r.int(1, 9)}`,
      }, failures);
    }
    assert.deepEqual(failures.slice(0, 10), []);
  });

  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  const perSeed = 6000;
  for (const seed of seeds) {
    await t.step(`seed ${seed}: ${perSeed} random cases across all operations`, () => {
      const r = new Rand(seed);
      const failures: string[] = [];
      for (let i = 0; i < perSeed; i++) {
        const kind = r.int(0, 9);
        if (kind <= 3) {
          const a = randomFloat(r);
          const b = r.bool(0.5) ? nearFloat(r, a) : randomFloat(r);
          check({ op: r.pick(BINARY), a, b }, failures);
        } else if (kind === 4) {
          check({ op: r.pick(UNARY), a: randomFloat(r) }, failures);
        } else if (kind === 5) {
          check({ op: "parse", a: randomDecimalString(r) }, failures);
        } else if (kind === 6) {
          // Round trip through a valid parse so format sees realistic values too.
          const p = runNative({ op: "parse", a: randomDecimalString(r) });
          const a = p.ok ? String(p.value) : randomFloat(r);
          check({ op: "format", a }, failures);
        } else if (kind === 7) {
          const c: Case = {
            op: r.pick(FIXED_TO),
            a: randomFloat(r),
            decimals: r.bool(0.8) ? r.int(0, 36) : r.int(0, 255),
          };
          check(c, failures);
          checkLosslessFlag(c, failures);
        } else if (kind === 8) {
          const c: Case = {
            op: r.pick(FIXED_FROM),
            a: String(randomFixedValue(r)),
            decimals: r.bool(0.8) ? r.int(0, 36) : r.int(0, 255),
          };
          check(c, failures);
          checkLosslessFlag(c, failures);
        } else {
          const a = randomFloat(r);
          if (r.bool()) check({ op: "toBigint", a }, failures);
          else {check(
              { op: "fromBigint", a: String(r.bool(0.9) ? BigInt(a) : -BigInt(a)) },
              failures,
            );}
        }
      }
      assert.deepEqual(failures.slice(0, 10), []);
    });
  }
});
