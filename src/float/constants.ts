/**
 * Numeric limits and the powers-of-ten table shared by the Float internals.
 *
 * @module
 */

/** `type(int256).max`. */
export const INT256_MAX: bigint = (1n << 255n) - 1n;
/** `type(int256).min`. */
export const INT256_MIN: bigint = -(1n << 255n);
/** `2^255`, the magnitude of `type(int256).min`. */
export const TWO_255: bigint = 1n << 255n;
/** `type(uint256).max`. */
export const UINT256_MAX: bigint = (1n << 256n) - 1n;
/** `type(int224).max`. */
export const INT224_MAX: bigint = (1n << 223n) - 1n;
/** `type(int224).min`. */
export const INT224_MIN: bigint = -(1n << 223n);
/** `2^224`, to turn a negative coefficient into its two's complement field. */
export const TWO_224: bigint = 1n << 224n;
/** `type(int32).max`. */
export const INT32_MAX = 2147483647;
/** `type(int32).min`. */
export const INT32_MIN = -2147483648;

/** `POW10[i] = 10^i` for `i` in `[0, 80]`. */
export const POW10: readonly bigint[] = (() => {
  const table: bigint[] = [];
  let p = 1n;
  for (let i = 0; i <= 80; i++) {
    table.push(p);
    p *= 10n;
  }
  return table;
})();

/** Number of decimal digits of a positive bigint. */
export function digits(a: bigint): number {
  if (a < 9007199254740992n) {
    const n = Number(a);
    let d = 1;
    let t = 10;
    while (n >= t) {
      d++;
      t *= 10;
    }
    return d;
  }
  // A double estimate is off by at most one around exact powers of ten; one comparison fixes it.
  let d = Math.floor(Math.log10(Number(a))) + 1;
  if (a < POW10[d - 1]) d--;
  else if (a >= POW10[d]) d++;
  return d;
}
