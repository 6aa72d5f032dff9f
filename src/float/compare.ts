/**
 * Comparisons (`eq`, `lt`, `lte`, `gt`, `gte`), `min`/`max` and `isZero`, as `LibDecimalFloat`
 * does them (by value, through `compareRescale`).
 *
 * @module
 */
import { compareCore } from "./core.ts";
import { decode } from "./pack.ts";
import type { Float, UnpackedFloat } from "./types.ts";

function cmp(a: Float, b: Float, op: string): number {
  const x = decode(a, op), y = decode(b, op);
  return compareCore(x.coefficient, x.exponent, y.coefficient, y.exponent);
}

/**
 * Numeric equality (`1e2` equals `10e1`; every zero equals every zero).
 *
 * @example
 * ```ts
 * import { eq, packFloat } from "./mod.ts";
 * console.log(eq(packFloat(1n, 2), packFloat(100n, 0))); // true
 * ```
 */
export function eq(a: Float, b: Float): boolean {
  return cmp(a, b, "eq") === 0;
}

/**
 * `a < b` by value.
 *
 * @example
 * ```ts
 * import { lt, parse } from "./mod.ts";
 * console.log(lt(parse("1"), parse("2"))); // true
 * ```
 */
export function lt(a: Float, b: Float): boolean {
  return cmp(a, b, "lt") < 0;
}

/**
 * `a <= b` by value.
 *
 * @example
 * ```ts
 * import { lte, parse } from "./mod.ts";
 * console.log(lte(parse("2"), parse("2"))); // true
 * ```
 */
export function lte(a: Float, b: Float): boolean {
  return cmp(a, b, "lte") <= 0;
}

/**
 * `a > b` by value.
 *
 * @example
 * ```ts
 * import { gt, parse } from "./mod.ts";
 * console.log(gt(parse("3"), parse("2"))); // true
 * ```
 */
export function gt(a: Float, b: Float): boolean {
  return cmp(a, b, "gt") > 0;
}

/**
 * `a >= b` by value.
 *
 * @example
 * ```ts
 * import { gte, parse } from "./mod.ts";
 * console.log(gte(parse("2"), parse("3"))); // false
 * ```
 */
export function gte(a: Float, b: Float): boolean {
  return cmp(a, b, "gte") >= 0;
}

/**
 * The smaller value; on equal values the **second** argument's bits (`a < b ? a : b`).
 *
 * @example
 * ```ts
 * import { min, parse } from "./mod.ts";
 * console.log(min(parse("1"), parse("2")) === parse("1")); // true
 * ```
 */
export function min(a: Float, b: Float): Float {
  return cmp(a, b, "min") < 0 ? a : b;
}

/**
 * The larger value; on equal values the **second** argument's bits (`a > b ? a : b`).
 *
 * @example
 * ```ts
 * import { max, parse } from "./mod.ts";
 * console.log(max(parse("1"), parse("2")) === parse("2")); // true
 * ```
 */
export function max(a: Float, b: Float): Float {
  return cmp(a, b, "max") > 0 ? a : b;
}

/**
 * True when the coefficient is zero, whatever the exponent.
 *
 * @example
 * ```ts
 * import { FLOAT_ZERO, isZero } from "./mod.ts";
 * console.log(isZero(FLOAT_ZERO)); // true
 * ```
 */
export function isZero(a: Float): boolean {
  return decode(a, "isZero").coefficient === 0n;
}

/**
 * Three-way numeric comparison on unpacked fields (-1, 0, 1), the primitive behind every comparison.
 *
 * @example
 * ```ts
 * import { compareUnpacked } from "./mod.ts";
 * console.log(compareUnpacked({ coefficient: 1n, exponent: 1 }, { coefficient: 10n, exponent: 0 })); // 0
 * ```
 */
export function compareUnpacked(a: UnpackedFloat, b: UnpackedFloat): -1 | 0 | 1 {
  return compareCore(a.coefficient, a.exponent, b.coefficient, b.exponent) as -1 | 0 | 1;
}
