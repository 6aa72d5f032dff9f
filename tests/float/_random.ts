/** Seeded generators of Float test inputs (own PRNG, so every run sees the same cases). */
import { prng } from "../_helpers/prng.ts";
export { prng };

/** Random source with helpers. */
export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = prng(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  /** A random bigint with exactly `n` decimal digits (n ≥ 1). */
  digits(n: number): bigint {
    let s = String(this.int(1, 9));
    for (let i = 1; i < n; i++) s += String(this.int(0, 9));
    return BigInt(s);
  }
  /** A random bigint in `[0, 2^bits)`. */
  bits(bits: number): bigint {
    let v = 0n;
    for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(this.int(0, 65535));
    return v & ((1n << BigInt(bits)) - 1n);
  }
  digitString(n: number): string {
    let s = "";
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}

const INT224_MAX = (1n << 223n) - 1n;
const TWO_224 = 1n << 224n;

/** Packs raw fields into a hex word without normalising (so non-normalised inputs occur). */
export function rawFloat(coefficient: bigint, exponent: number): `0x${string}` {
  const c = coefficient < 0n ? coefficient + TWO_224 : coefficient;
  const e = (exponent >>> 0).toString(16).padStart(8, "0");
  return `0x${e}${c.toString(16).padStart(56, "0")}`;
}

/** A random coefficient in int224 across magnitudes, including the extremes. */
export function randomCoefficient(r: Rand): bigint {
  const kind = r.int(0, 9);
  let c: bigint;
  switch (kind) {
    case 0:
      c = 0n;
      break;
    case 1:
      c = BigInt(r.int(1, 20));
      break;
    case 2:
    case 3:
      c = r.digits(r.int(1, 20));
      break;
    case 4:
    case 5:
      c = r.digits(r.int(20, 67));
      break;
    case 6:
      c = INT224_MAX - BigInt(r.int(0, 3));
      break;
    case 7: // powers of ten and round numbers (many trailing zeros)
      c = BigInt(r.int(1, 99)) * 10n ** BigInt(r.int(0, 64));
      break;
    case 8: // maximised-looking coefficients
      c = r.digits(r.int(60, 67));
      break;
    default:
      c = r.bits(r.int(1, 223));
  }
  if (c > INT224_MAX) c = INT224_MAX;
  if (r.bool(0.4)) c = -c;
  if (kind === 6 && r.bool(0.3)) c = -(INT224_MAX + 1n) + BigInt(r.int(0, 2));
  return c;
}

/** A random exponent across int32, weighted to the useful range. */
export function randomExponent(r: Rand): number {
  const kind = r.int(0, 9);
  switch (kind) {
    case 0:
      return 0;
    case 1:
    case 2:
      return r.int(-20, 20);
    case 3:
    case 4:
      return r.int(-90, 90);
    case 5:
      return r.int(-100000, 100000);
    case 6:
      return 2147483647 - r.int(0, 150);
    case 7:
      return -2147483648 + r.int(0, 150);
    case 8:
      return r.int(-2147483648, 2147483647);
    default:
      return r.int(-40, 10);
  }
}

/** A random packed Float (not necessarily normalised). */
export function randomFloat(r: Rand): `0x${string}` {
  if (r.bool(0.03)) return rawFloat(0n, 0);
  if (r.bool(0.02)) {
    return `0x${r.bits(256).toString(16).padStart(64, "0")}`;
  }
  return rawFloat(randomCoefficient(r), randomExponent(r));
}

/** A second operand near the first (same or close exponent) so comparisons and sums are close. */
export function nearFloat(r: Rand, a: `0x${string}`): `0x${string}` {
  const e = (parseInt(a.slice(2, 10), 16) | 0) + r.int(-3, 3);
  let c = BigInt("0x" + a.slice(10));
  if (c > INT224_MAX) c -= TWO_224;
  const k = r.int(0, 4);
  if (k === 0) return a;
  if (k === 1) return rawFloat(c, Math.max(-2147483648, Math.min(2147483647, e)));
  if (k === 2 && c !== 0n) {
    // Same value, different representation.
    const m = r.int(1, 5);
    const scaled = c * 10n ** BigInt(m);
    const ee = (parseInt(a.slice(2, 10), 16) | 0) - m;
    if (scaled <= INT224_MAX && scaled >= -INT224_MAX - 1n && ee >= -2147483648) {
      return rawFloat(scaled, ee);
    }
  }
  if (k === 3) return rawFloat(-c > INT224_MAX ? INT224_MAX : -c, parseInt(a.slice(2, 10), 16) | 0);
  return randomFloat(r);
}

const JUNK = ["-", ".", "e", "E", "+", " ", "x", "0", "1", "--", "..", "ee", "é", "\u0000", "_"];

/** A random decimal string: mostly valid literals across sizes, some corrupted. */
export function randomDecimalString(r: Rand): string {
  let s = "";
  if (r.bool(0.4)) s += "-";
  const intDigits = r.pick([1, 1, 2, 5, 10, 18, 30, 50, 67, 68, 70, 77, 78, 80]);
  s += r.bool(0.2) ? "0" : r.digitString(intDigits);
  if (r.bool(0.6)) {
    const fracDigits = r.pick([1, 2, 6, 18, 30, 60, 67, 68, 70, 80, 260]);
    s += "." + r.digitString(fracDigits);
    if (r.bool(0.2)) s += "000";
  }
  if (r.bool(0.4)) {
    s += r.bool(0.8) ? "e" : "E";
    if (r.bool(0.5)) s += "-";
    s += String(r.pick([0, 1, 5, 18, 76, 77, 100, 2147483647, 2147483648, 99999999999]));
  }
  if (r.bool(0.25)) {
    // Corrupt: insert, delete or append junk.
    const pos = r.int(0, s.length);
    const k = r.int(0, 2);
    if (k === 0) s = s.slice(0, pos) + r.pick(JUNK) + s.slice(pos);
    else if (k === 1) s = s.slice(0, pos) + s.slice(pos + 1);
    else s += r.pick(JUNK);
  }
  return s;
}

/** A random uint256 fixed-point amount across magnitudes. */
export function randomFixedValue(r: Rand): bigint {
  const k = r.int(0, 6);
  if (k === 0) return 0n;
  if (k === 1) return BigInt(r.int(1, 1000000));
  if (k === 2) return r.digits(r.int(1, 40));
  if (k === 3) return r.digits(r.int(40, 77));
  if (k === 4) return (1n << 256n) - 1n - BigInt(r.int(0, 20));
  if (k === 5) return (1n << 255n) + BigInt(r.int(-5, 5)) * 10n + BigInt(r.int(0, 9));
  return r.bits(r.int(1, 256)) * (r.bool(0.3) ? 10n ** BigInt(r.int(0, 10)) : 1n) %
    (1n << 256n);
}
