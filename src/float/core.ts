/**
 * The arithmetic of `LibDecimalFloatImplementation` on unpacked fields (`bigint` coefficient,
 * `number` exponent), step for step, with the int256 wrap/overflow checks turned into range checks.
 * Results go to a caller-supplied out-object to keep hot paths allocation-free.
 *
 * @module
 */
import { digits, INT256_MAX, INT256_MIN, POW10, TWO_255 } from "./constants.ts";
import { panicError, rainError } from "./errors.ts";
import type { MutableUnpacked } from "./pack.ts";

const P75 = POW10[75];
const P76 = POW10[76];

/**
 * `maximize`: scales the coefficient by the largest power of ten that keeps it in int256 while
 * reaching at least 1e75 (zero maximises to `(0, 0)`). Inputs are int224-sized coefficients.
 */
export function maximize(c: bigint, e: number, out: MutableUnpacked): void {
  if (c === 0n) {
    out.coefficient = 0n;
    out.exponent = 0;
    return;
  }
  const neg = c < 0n;
  const a = neg ? -c : c;
  let m = a >= P75 ? 0 : 76 - digits(a);
  // One more order of magnitude if it still fits int256 (Rain's "try * 10" step).
  const scaled = a * POW10[m + 1];
  if (neg ? scaled <= TWO_255 : scaled <= INT256_MAX) m++;
  out.coefficient = m === 0 ? c : c * POW10[m];
  out.exponent = e - m;
}

const tmpA: MutableUnpacked = { coefficient: 0n, exponent: 0 };
const tmpB: MutableUnpacked = { coefficient: 0n, exponent: 0 };

/** `add`: Rain's aligned addition of two maximised operands. */
export function addCore(
  ca: bigint,
  ea: number,
  cb: bigint,
  eb: number,
  out: MutableUnpacked,
): void {
  if (ca === 0n || cb === 0n) {
    if (ca === 0n) {
      out.coefficient = cb;
      out.exponent = eb;
    } else {
      out.coefficient = ca;
      out.exponent = ea;
    }
    return;
  }
  maximize(ca, ea, tmpA);
  maximize(cb, eb, tmpB);
  let xa = tmpA.coefficient, xe = tmpA.exponent, ya = tmpB.coefficient, ye = tmpB.exponent;
  if (ye > xe) {
    const t = xa;
    xa = ya;
    ya = t;
    const te = xe;
    xe = ye;
    ye = te;
  }
  const diff = xe - ye;
  if (diff > 76) {
    out.coefficient = xa;
    out.exponent = xe;
    return;
  }
  if (diff !== 0) ya = ya / POW10[diff];
  const c = xa + ya;
  if (c > INT256_MAX || c < INT256_MIN) {
    out.coefficient = xa / 10n + ya / 10n;
    out.exponent = xe + 1;
  } else {
    out.coefficient = c;
    out.exponent = xe;
  }
}

/** `sub`: `add(a, minus(b))`. */
export function subCore(
  ca: bigint,
  ea: number,
  cb: bigint,
  eb: number,
  out: MutableUnpacked,
): void {
  addCore(ca, ea, -cb, eb, out);
}

/** `unabsUnsignedMulOrDivLossy`: restores the sign, dropping a digit when beyond int256. */
function unabs(neg: boolean, r: bigint, e: number, out: MutableUnpacked): void {
  if (r > INT256_MAX) {
    if (neg && r === TWO_255) {
      out.coefficient = INT256_MIN;
      out.exponent = e;
    } else {
      out.coefficient = neg ? -(r / 10n) : r / 10n;
      out.exponent = e + 1;
    }
  } else {
    out.coefficient = neg ? -r : r;
    out.exponent = e;
  }
}

const SHIFT_256 = 256n;

/** `mul`: full product, scaled down by 10^(digits of its high 256 bits). */
export function mulCore(
  ca: bigint,
  ea: number,
  cb: bigint,
  eb: number,
  out: MutableUnpacked,
): void {
  if (ca === 0n || cb === 0n) {
    out.coefficient = 0n;
    out.exponent = 0;
    return;
  }
  const negA = ca < 0n, negB = cb < 0n;
  const prod = (negA ? -ca : ca) * (negB ? -cb : cb);
  const high = prod >> SHIFT_256;
  if (high === 0n) {
    unabs(negA !== negB, prod, ea + eb, out);
  } else {
    const adjust = digits(high);
    unabs(negA !== negB, prod / POW10[adjust], ea + eb + adjust, out);
  }
}

/** `div`: both maximised, numerator scaled by 1e76 or 1e75, then OpenZeppelin-style mulDiv. */
export function divCore(
  ca: bigint,
  ea: number,
  cb: bigint,
  eb: number,
  out: MutableUnpacked,
  op: string,
): void {
  if (ca === 0n && cb !== 0n) {
    out.coefficient = 0n;
    out.exponent = 0;
    return;
  }
  maximize(ca, ea, tmpA);
  maximize(cb, eb, tmpB);
  const xa = tmpA.coefficient, xb = tmpB.coefficient;
  const negA = xa < 0n, negB = xb < 0n;
  const absA = negA ? -xa : xa, absB = negB ? -xb : xb;
  let scale = P76, adjust = 76;
  if (absB < P76) {
    scale = P75;
    adjust = 75;
  }
  const e = tmpA.exponent - adjust - tmpB.exponent;
  const prod = absA * scale;
  const high = prod >> SHIFT_256;
  if (high === 0n) {
    if (absB === 0n) throw panicError(op, 0x12);
  } else if (high >= absB) {
    throw rainError(op, "MulDivOverflow", { x: absA, y: scale, denominator: absB });
  }
  unabs(negA !== negB, prod / absB, e, out);
}

/** `inv`: `div(1e76, -76, c, e)`. */
export function invCore(c: bigint, e: number, out: MutableUnpacked, op: string): void {
  divCore(P76, -76, c, e, out, op);
}

/**
 * `compareRescale` followed by the comparison of the rescaled coefficients: returns -1, 0 or 1.
 * Faithful to Rain, including its shortcut when the exponents are more than 76 apart or the rescale
 * overflows int256 (the larger-exponent side is then compared with zero).
 */
export function compareCore(ca: bigint, ea: number, cb: bigint, eb: number): number {
  if (ea === eb || ca === 0n || cb === 0n || (ca < 0n) !== (cb < 0n)) {
    return ca < cb ? -1 : ca > cb ? 1 : 0;
  }
  let x: bigint, y: bigint;
  if (ea > eb) {
    const diff = ea - eb;
    const r = diff > 76 ? 0n : ca * POW10[diff];
    if (diff > 76 || r > INT256_MAX || r < INT256_MIN) {
      x = ca;
      y = 0n;
    } else {
      x = r;
      y = cb;
    }
  } else {
    const diff = eb - ea;
    const r = diff > 76 ? 0n : cb * POW10[diff];
    if (diff > 76 || r > INT256_MAX || r < INT256_MIN) {
      x = 0n;
      y = cb;
    } else {
      x = ca;
      y = r;
    }
  }
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `characteristicMantissa`: integer part (truncated toward zero) of a float. */
export function characteristic(c: bigint, e: number): bigint {
  if (e >= 0) return c;
  if (e < -76) return 0n;
  return c - (c % POW10[-e]);
}

/** The mantissa (fractional part, sign of the input) of `characteristicMantissa`. */
export function mantissa(c: bigint, e: number): bigint {
  if (e >= 0) return 0n;
  if (e < -76) return c;
  return c % POW10[-e];
}
