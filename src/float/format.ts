/**
 * Decimal string formatting, as `LibFormatDecimalFloat.toDecimalString` with the significant-figure
 * limit the oracle's `format()` passes (9): plain decimals up to the limit, scientific beyond.
 *
 * @module
 */
import { digits, INT256_MAX, INT256_MIN, POW10 } from "./constants.ts";
import { maximize } from "./core.ts";
import { panicError } from "./errors.ts";
import { decode, type MutableUnpacked } from "./pack.ts";
import type { Float } from "./types.ts";

const tmp: MutableUnpacked = { coefficient: 0n, exponent: 0 };

function countSigFigs(c: bigint, e: number): number {
  if (e < 0) {
    while (c % 10n === 0n) {
      c /= 10n;
      e++;
    }
  }
  let sigFigs = digits(c < 0n ? -c : c);
  if (e < 0) sigFigs = Math.max(sigFigs, -e);
  else if (e > 0) sigFigs += e;
  return sigFigs;
}

/**
 * Formats a Float as Rain's `toDecimalString(float, sigFigsLimit)` does; the default limit 9 is the
 * one the oracle's `format()` uses (`"0.1"`, `"123.45"`, `"1.2345678901e10"`).
 *
 * @example
 * ```ts
 * import { format, parse } from "./mod.ts";
 * console.log(format(parse("1234.5"))); // "1234.5"
 * console.log(format(parse("1e20"))); // "1e20"
 * ```
 */
export function format(float: Float, sigFigsLimit = 9): string {
  const { coefficient, exponent } = decode(float, "format");
  if (coefficient === 0n) return "0";
  let c = coefficient, e = exponent;
  const scientific = countSigFigs(c, e) > sigFigsLimit;
  let scaleExponent: number;
  let scale = 0n;
  if (scientific) {
    maximize(c, e, tmp);
    c = tmp.coefficient;
    e = tmp.exponent;
    scaleExponent = c / POW10[76] !== 0n ? 76 : 75;
    scale = POW10[scaleExponent];
  } else {
    if (e > 0) {
      // Checked int256 arithmetic in the Solidity.
      if (e > 76) throw panicError("format", 0x11);
      c *= POW10[e];
      if (c > INT256_MAX || c < INT256_MIN) throw panicError("format", 0x11);
      e = 0;
    }
    if (e < 0) {
      if (-e > 77) throw panicError("format", 0x11);
      scale = POW10[-e];
      scaleExponent = -e;
    } else {
      scaleExponent = e;
    }
  }
  let integral = scale !== 0n ? c / scale : c;
  let fractional = scale !== 0n ? c % scale : 0n;
  let isNeg = false;
  if (integral < 0n) {
    isNeg = true;
    integral = -integral;
  }
  if (fractional < 0n) {
    isNeg = true;
    fractional = -fractional;
  }
  let fractionalString = "";
  if (fractional !== 0n) {
    // Leading zeros: the fraction has fewer digits than the scale's exponent.
    const leading = scaleExponent - digits(fractional);
    let f = fractional.toString();
    let endIdx = f.length;
    while (f.charCodeAt(endIdx - 1) === 48) endIdx--;
    f = f.slice(0, endIdx);
    fractionalString = "." + "0".repeat(leading) + f;
  }
  const displayExponent = e + scaleExponent;
  const exponentString = displayExponent === 0 || !scientific ? "" : `e${displayExponent}`;
  return `${isNeg ? "-" : ""}${integral}${fractionalString}${exponentString}`;
}
