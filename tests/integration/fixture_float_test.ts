/**
 * Differential test of the fixture orderbook's Float library (`LibFixtureFloat.sol`, through
 * `FixtureFloatHarness`) against Rain's own Float, the npm oracle `@rainlanguage/float`: same packed
 * bits for every result, same Rain error name or Solidity panic code for every failure, on
 * hand-picked edges and a few thousand seeded random inputs. Runs the harness in-process on
 * `@ethereumjs/evm` (no node needed).
 */
import assert from "node:assert/strict";
import { Float } from "@rainlanguage/float";
import { createEVM } from "@ethereumjs/evm";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createAddressFromString } from "@ethereumjs/util";
import {
  type Abi,
  bytesToHex,
  decodeErrorResult,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  hexToBytes,
} from "viem";

type Artifact = { abi: Abi; deployedBytecode: Hex };
const harness: Artifact = JSON.parse(
  Deno.readTextFileSync(
    new URL("../../fixtures/artifacts/FixtureFloatHarness.json", import.meta.url),
  ),
);

/** Outcome of one operation on either side: a value rendered as text, or an error name. */
type Outcome = { ok: true; value: string } | { ok: false; error: string };

const HARNESS = createAddressFromString("0x00000000000000000000000000000000000f1047");

async function makeHarness() {
  const evm = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
  });
  await evm.stateManager.putCode(HARNESS, hexToBytes(harness.deployedBytecode));
  return async (fn: string, args: readonly unknown[]): Promise<Outcome> => {
    const data = encodeFunctionData({ abi: harness.abi, functionName: fn, args });
    const result = await evm.runCall({ to: HARNESS, data: hexToBytes(data), gasLimit: 5_000_000n });
    const out = bytesToHex(result.execResult.returnValue);
    if (result.execResult.exceptionError) {
      if (out === "0x") {
        return { ok: false, error: `halt:${result.execResult.exceptionError.error}` };
      }
      const decoded = decodeErrorResult({ abi: harness.abi, data: out });
      if (decoded.errorName === "Panic") {
        return { ok: false, error: `Panic(0x${(decoded.args?.[0] as bigint).toString(16)})` };
      }
      return { ok: false, error: decoded.errorName };
    }
    const value = decodeFunctionResult({ abi: harness.abi, functionName: fn, data: out });
    return { ok: true, value: render(value) };
  };
}

function render(value: unknown): string {
  if (Array.isArray(value)) return value.map(render).join(",");
  if (typeof value === "bigint") return value.toString();
  return String(value).toLowerCase();
}

/** Maps the oracle's error text to the Rain error name or panic code it reports. */
function oracleError(msg: string): string {
  const named = /Decimal Float error: (\w+)\(/.exec(msg);
  if (named) return named[1];
  const panic = /0x4e487b71([0-9a-f]{64})/.exec(msg);
  if (panic) return `Panic(0x${BigInt(`0x${panic[1]}`).toString(16)})`;
  return `oracle:${msg}`;
}

type Wasm<T> = { value: T; error: undefined } | { value: undefined; error: { msg: string } };

function oracle<T>(result: Wasm<T>, show: (value: T) => string): Outcome {
  if (result.error) return { ok: false, error: oracleError(result.error.msg) };
  return { ok: true, value: show(result.value as T) };
}

const fromHex = (hex: Hex): Float => {
  const result = Float.fromHex(hex);
  if (result.error) throw new Error(`oracle rejected ${hex}: ${result.error.msg}`);
  return result.value;
};
const hexOf = (f: Float): string => f.asHex().toLowerCase();

/** Packs (coefficient, exponent) the way Rain lays out a Float (int224 low, int32 high). */
function pack(coefficient: bigint, exponent: bigint): Hex {
  const c = BigInt.asUintN(224, coefficient);
  const e = BigInt.asUintN(32, exponent);
  return `0x${((e << 224n) | c).toString(16).padStart(64, "0")}`;
}

/** xorshift128+ on bigints: reproducible across runs and platforms. */
function rng(seed: bigint) {
  let s0 = seed | 1n, s1 = (seed * 0x9e3779b97f4a7c15n) & 0xffffffffffffffffn | 1n;
  const next64 = (): bigint => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= (x << 23n) & 0xffffffffffffffffn;
    s1 = x ^ y ^ (x >> 17n) ^ (y >> 26n);
    return (s1 + y) & 0xffffffffffffffffn;
  };
  const below = (n: number): number => Number(next64() % BigInt(n));
  const digits = (count: number): bigint => {
    let v = 0n;
    for (let i = 0; i < count; i++) v = v * 10n + BigInt(below(10));
    return v;
  };
  return { next64, below, digits };
}

function randomFloat(r: ReturnType<typeof rng>): Hex {
  const kind = r.below(20);
  if (kind === 0) return pack(0n, BigInt(r.below(200) - 100)); // zeros with exponent bits
  if (kind === 1) {
    const edges = [(1n << 223n) - 1n, -(1n << 223n), 1n, -1n];
    return pack(edges[r.below(edges.length)], BigInt(r.below(80) - 40));
  }
  const length = [1, 2, 3, 6, 9, 18, 19, 20, 37, 38, 60, 67][r.below(12)];
  let c = r.digits(length);
  if (c >= 1n << 223n) c = c % (1n << 223n);
  if (r.below(3) === 0) c = -c;
  let e: bigint;
  const band = r.below(10);
  if (band < 6) e = BigInt(r.below(61) - 30);
  else if (band < 9) e = BigInt(r.below(301) - 150);
  else e = r.below(2) === 0 ? BigInt(2 ** 31 - 1 - r.below(90)) : BigInt(-(2 ** 31) + r.below(90));
  return pack(c, e);
}

Deno.test("LibFixtureFloat is bit-exact with @rainlanguage/float", async (t) => {
  const call = await makeHarness();

  const binary = {
    add: (a: Float, b: Float) => oracle(a.add(b), hexOf),
    sub: (a: Float, b: Float) => oracle(a.sub(b), hexOf),
    mul: (a: Float, b: Float) => oracle(a.mul(b), hexOf),
    div: (a: Float, b: Float) => oracle(a.div(b), hexOf),
    min: (a: Float, b: Float) => oracle(a.min(b), hexOf),
    lt: (a: Float, b: Float) => oracle(a.lt(b), String),
    gt: (a: Float, b: Float) => oracle(a.gt(b), String),
    eq: (a: Float, b: Float) => oracle(a.eq(b), String),
  } as const;

  async function checkBinary(op: keyof typeof binary, a: Hex, b: Hex): Promise<void> {
    const expected = binary[op](fromHex(a), fromHex(b));
    const actual = await call(op, [a, b]);
    assert.deepEqual(actual, expected, `${op}(${a}, ${b})`);
  }

  const expectedToFixed = (a: Hex, decimals: number): Outcome => {
    const f = fromHex(a);
    const lossy = oracle(f.toFixedDecimalLossy(decimals), (v) => String(v));
    if (!lossy.ok) return lossy;
    const exact = f.toFixedDecimal(decimals);
    const lossless = exact.error === undefined;
    if (exact.error) assert.equal(oracleError(exact.error.msg), "LossyConversionFromFloat");
    return { ok: true, value: `${lossy.value},${lossless}` };
  };

  async function checkConversions(a: Hex, decimals: number): Promise<void> {
    const expected = expectedToFixed(a, decimals);
    assert.deepEqual(await call("toFixedDecimalLossy", [a, decimals]), expected, `toFixed(${a})`);
    const up: Outcome = expected.ok
      ? {
        ok: true,
        value: String(
          BigInt(expected.value.split(",")[0]) + (expected.value.endsWith("true") ? 0n : 1n),
        ),
      }
      : expected;
    assert.deepEqual(await call("toFixedDecimalRoundUp", [a, decimals]), up, `roundUp(${a})`);
    assert.deepEqual(
      await call("isZero", [a]),
      oracle(fromHex(a).isZero(), String),
      `isZero(${a})`,
    );
  }

  async function checkFromFixed(value: bigint, decimals: number): Promise<void> {
    const expected = oracle(Float.fromFixedDecimal(value, decimals), hexOf);
    const actual = await call("fromFixedDecimalLossless", [value, decimals]);
    assert.deepEqual(actual, expected, `fromFixed(${value}, ${decimals})`);
  }

  await t.step("hand-picked edges", async () => {
    const one: Hex = pack(1n, 0n);
    const minusOne = pack(-1n, 0n);
    const zero: Hex = `0x${"0".repeat(64)}`;
    const half = pack(5n, -1n);
    const max = pack((1n << 223n) - 1n, 2n ** 31n - 1n);
    const tiny = pack(1n, -(2n ** 31n));
    // 1 - 1 keeps the maximized exponent in the zero's bits.
    assert.deepEqual(await call("sub", [one, one]), {
      ok: true,
      value: "0xffffffb400000000000000000000000000000000000000000000000000000000",
    });
    for (
      const [a, b] of [
        [one, zero],
        [zero, one],
        [one, minusOne],
        [half, half],
        [max, max],
        [
          tiny,
          tiny,
        ],
        [one, max],
        [max, tiny],
        [zero, zero],
        [minusOne, half],
      ] as [Hex, Hex][]
    ) {
      for (const op of Object.keys(binary) as (keyof typeof binary)[]) await checkBinary(op, a, b);
    }
    for (const decimals of [0, 6, 18, 255]) {
      for (const a of [one, zero, half, minusOne, max, tiny, pack(10000001n, -7n)]) {
        await checkConversions(a, decimals);
      }
    }
    const big = [0n, 1n, 10n ** 18n, 2n ** 255n - 1n, 2n ** 255n, 2n ** 256n - 1n, 2n ** 256n - 6n];
    for (const value of [...big, 10n ** 67n, 10n ** 68n]) {
      for (const decimals of [0, 6, 18, 255]) await checkFromFixed(value, decimals);
    }
  });

  await t.step("seeded random arithmetic and comparisons (2400 cases)", async () => {
    const r = rng(0x5eed_f10a7n);
    const ops = Object.keys(binary) as (keyof typeof binary)[];
    for (let i = 0; i < 2400; i++) {
      const a = randomFloat(r);
      // Half the pairs share an exponent band with `a` so sums cancel and compare closely.
      const b = r.below(2) === 0 ? randomFloat(r) : (() => {
        const e = BigInt.asIntN(32, BigInt(a) >> 224n) + BigInt(r.below(5) - 2);
        const c = BigInt.asIntN(224, BigInt(a)) + BigInt(r.below(5) - 2);
        return pack(r.below(4) === 0 ? -c : c, e);
      })();
      await checkBinary(ops[i % ops.length], a, b);
    }
  });

  await t.step("seeded random fixed-decimal conversions (1200 cases)", async () => {
    const r = rng(0xdec1_4a15n);
    for (let i = 0; i < 600; i++) {
      await checkConversions(randomFloat(r), [0, 6, 8, 18, 77, 255][r.below(6)]);
    }
    for (let i = 0; i < 600; i++) {
      const length = 1 + r.below(78);
      let value = r.digits(length);
      if (value >= 1n << 256n) value = value % (1n << 256n);
      if (r.below(4) === 0) value = value * 10n ** BigInt(r.below(8)) % (1n << 256n);
      await checkFromFixed(value, [0, 6, 18, 255][r.below(4)]);
    }
  });
});
