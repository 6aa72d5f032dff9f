/**
 * Arithmetic on packed Floats (`add`, `sub`, `mul`, `div`, `inv`, `abs`, `neg`, `floor`, `frac`)
 * and the same operations on unpacked fields for callers that keep values unpacked.
 *
 * @module
 */
import { addCore, characteristic, divCore, invCore, mantissa, mulCore, subCore } from "./core.ts";
import { POW10 } from "./constants.ts";
import { decode, encode, type MutableUnpacked, normalizeForPack } from "./pack.ts";
import type { Float, UnpackedFloat } from "./types.ts";

const P76 = POW10[76];
const res: MutableUnpacked = { coefficient: 0n, exponent: 0 };
const packed: MutableUnpacked = { coefficient: 0n, exponent: 0 };

function finish(op: string): Float {
  normalizeForPack(res.coefficient, res.exponent, op, packed);
  return encode(packed.coefficient, packed.exponent);
}

function finishUnpacked(op: string): UnpackedFloat {
  normalizeForPack(res.coefficient, res.exponent, op, packed);
  return { coefficient: packed.coefficient, exponent: packed.exponent };
}

/**
 * `a + b`, as `LibDecimalFloat.add`: when either side is zero the other is returned unchanged;
 * otherwise both are maximised, aligned and added, then packed (truncating toward zero).
 *
 * @example
 * ```ts
 * import { add, format, parse } from "./mod.ts";
 * console.log(format(add(parse("0.1"), parse("0.2")))); // "0.3"
 * ```
 */
export function add(a: Float, b: Float): Float {
  const x = decode(a, "add"), y = decode(b, "add");
  addCore(x.coefficient, x.exponent, y.coefficient, y.exponent, res);
  return finish("add");
}

/**
 * `a - b`, as `LibDecimalFloat.sub` (`a + minus(b)`).
 *
 * @example
 * ```ts
 * import { format, parse, sub } from "./mod.ts";
 * console.log(format(sub(parse("1"), parse("0.25")))); // "0.75"
 * ```
 */
export function sub(a: Float, b: Float): Float {
  const x = decode(a, "sub"), y = decode(b, "sub");
  subCore(x.coefficient, x.exponent, y.coefficient, y.exponent, res);
  return finish("sub");
}

/**
 * `a × b`, as `LibDecimalFloat.mul` (zero when either side is zero; the exact product otherwise,
 * truncated to fit).
 *
 * @example
 * ```ts
 * import { format, mul, parse } from "./mod.ts";
 * console.log(format(mul(parse("1.5"), parse("4")))); // "6"
 * ```
 */
export function mul(a: Float, b: Float): Float {
  const x = decode(a, "mul"), y = decode(b, "mul");
  mulCore(x.coefficient, x.exponent, y.coefficient, y.exponent, res);
  return finish("mul");
}

/**
 * `a ÷ b`, as `LibDecimalFloat.div`, truncating toward zero. `x / 0` throws `FloatError`
 * `MulDivOverflow` (as Rain's mulDiv does) and `0 / 0` a `Panic(0x12)`.
 *
 * @example
 * ```ts
 * import { div, format, parse } from "./mod.ts";
 * console.log(format(div(parse("1"), parse("4")))); // "0.25"
 * ```
 */
export function div(a: Float, b: Float): Float {
  const x = decode(a, "div"), y = decode(b, "div");
  divCore(x.coefficient, x.exponent, y.coefficient, y.exponent, res, "div");
  return finish("div");
}

/**
 * `1 ÷ a`, as `LibDecimalFloat.inv` (`div(1e76e-76, a)`).
 *
 * @example
 * ```ts
 * import { format, inv, parse } from "./mod.ts";
 * console.log(format(inv(parse("4")))); // "0.25"
 * ```
 */
export function inv(a: Float): Float {
  const x = decode(a, "inv");
  invCore(x.coefficient, x.exponent, res, "inv");
  return finish("inv");
}

/**
 * `-a`, as `LibDecimalFloat.minus` (the oracle's `neg`).
 *
 * @example
 * ```ts
 * import { format, neg, parse } from "./mod.ts";
 * console.log(format(neg(parse("2.5")))); // "-2.5"
 * ```
 */
export function neg(a: Float): Float {
  const x = decode(a, "neg");
  res.coefficient = -x.coefficient;
  res.exponent = x.exponent;
  return finish("neg");
}

/**
 * `|a|`, as `LibDecimalFloat.abs`.
 *
 * @example
 * ```ts
 * import { abs, format, parse } from "./mod.ts";
 * console.log(format(abs(parse("-2.5")))); // "2.5"
 * ```
 */
export function abs(a: Float): Float {
  const x = decode(a, "abs");
  res.coefficient = x.coefficient < 0n ? -x.coefficient : x.coefficient;
  res.exponent = x.exponent;
  return finish("abs");
}

/**
 * Integer part truncated toward zero, as `LibDecimalFloat.floor` (so `floor(-1.5)` is `-1`).
 * A non-negative exponent returns `a` unchanged; the exponent is kept otherwise.
 *
 * @example
 * ```ts
 * import { floor, format, parse } from "./mod.ts";
 * console.log(format(floor(parse("2.75")))); // "2"
 * ```
 */
export function floor(a: Float): Float {
  const x = decode(a, "floor");
  if (x.exponent >= 0) return a;
  res.coefficient = characteristic(x.coefficient, x.exponent);
  res.exponent = x.exponent;
  return finish("floor");
}

/**
 * Smallest integer ≥ `a`, as `LibDecimalFloat.ceil`: a non-negative exponent or an integral value
 * returns `a` unchanged; a positive fraction is truncated and one is added (through Rain's `add`,
 * so the result is maximised); a negative fraction is truncated toward zero.
 *
 * @example
 * ```ts
 * import { ceil, format, parse } from "./mod.ts";
 * console.log(format(ceil(parse("2.25")))); // "3"
 * console.log(format(ceil(parse("-2.25")))); // "-2"
 * ```
 */
export function ceil(a: Float): Float {
  const x = decode(a, "ceil");
  return ceilCore(x.coefficient, x.exponent, res) ? finish("ceil") : a;
}

/**
 * `ceil`'s arithmetic on an unpacked value into `out`, shared by every Float version (they differ
 * only in how the result packs). Returns false when the value is already whole and is returned
 * unchanged, bits included.
 */
export function ceilCore(coefficient: bigint, exponent: number, out: MutableUnpacked): boolean {
  if (exponent >= 0) return false;
  const m = mantissa(coefficient, exponent);
  if (m === 0n) return false;
  const c = characteristic(coefficient, exponent);
  if (m > 0n) {
    addCore(c, exponent, P76, -76, out);
  } else {
    out.coefficient = c;
    out.exponent = exponent;
  }
  return true;
}

/**
 * Fractional part (with the sign of `a`), as `LibDecimalFloat.frac`; the exponent is kept.
 *
 * @example
 * ```ts
 * import { format, frac, parse } from "./mod.ts";
 * console.log(format(frac(parse("2.75")))); // "0.75"
 * ```
 */
export function frac(a: Float): Float {
  const x = decode(a, "frac");
  res.coefficient = mantissa(x.coefficient, x.exponent);
  res.exponent = x.exponent;
  return finish("frac");
}

/**
 * `add` on unpacked fields: same result as `unpackFloat(add(packFloat(a), packFloat(b)))` without
 * the hex round trip. Inputs must be in the packed ranges (int224 coefficient, int32 exponent).
 *
 * @example
 * ```ts
 * import { addUnpacked } from "./mod.ts";
 * console.log(addUnpacked({ coefficient: 1n, exponent: 0 }, { coefficient: 1n, exponent: 0 }));
 * ```
 */
export function addUnpacked(a: UnpackedFloat, b: UnpackedFloat): UnpackedFloat {
  addCore(a.coefficient, a.exponent, b.coefficient, b.exponent, res);
  return finishUnpacked("add");
}

/**
 * `sub` on unpacked fields (see {@link addUnpacked}).
 *
 * @example
 * ```ts
 * import { subUnpacked } from "./mod.ts";
 * console.log(subUnpacked({ coefficient: 3n, exponent: 0 }, { coefficient: 1n, exponent: 0 }));
 * ```
 */
export function subUnpacked(a: UnpackedFloat, b: UnpackedFloat): UnpackedFloat {
  subCore(a.coefficient, a.exponent, b.coefficient, b.exponent, res);
  return finishUnpacked("sub");
}

/**
 * `mul` on unpacked fields (see {@link addUnpacked}).
 *
 * @example
 * ```ts
 * import { mulUnpacked } from "./mod.ts";
 * console.log(mulUnpacked({ coefficient: 3n, exponent: 0 }, { coefficient: 2n, exponent: 0 }));
 * ```
 */
export function mulUnpacked(a: UnpackedFloat, b: UnpackedFloat): UnpackedFloat {
  mulCore(a.coefficient, a.exponent, b.coefficient, b.exponent, res);
  return finishUnpacked("mul");
}

/**
 * `div` on unpacked fields (see {@link addUnpacked}).
 *
 * @example
 * ```ts
 * import { divUnpacked } from "./mod.ts";
 * console.log(divUnpacked({ coefficient: 1n, exponent: 0 }, { coefficient: 4n, exponent: 0 }));
 * ```
 */
export function divUnpacked(a: UnpackedFloat, b: UnpackedFloat): UnpackedFloat {
  divCore(a.coefficient, a.exponent, b.coefficient, b.exponent, res, "div");
  return finishUnpacked("div");
}

/**
 * `inv` on unpacked fields (see {@link addUnpacked}).
 *
 * @example
 * ```ts
 * import { invUnpacked } from "./mod.ts";
 * console.log(invUnpacked({ coefficient: 4n, exponent: 0 }));
 * ```
 */
export function invUnpacked(a: UnpackedFloat): UnpackedFloat {
  invCore(a.coefficient, a.exponent, res, "inv");
  return finishUnpacked("inv");
}
