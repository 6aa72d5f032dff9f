/**
 * Version-selectable Float rules. Rain's deployed contracts were built against several commits of
 * rain.math.float whose results differ in edge cases (zero packing, exponent underflow, division by
 * zero, `floor` of negatives). {@link floatOps} returns the operation set of one commit, with the
 * same signatures as the module's top-level functions (which stay on alpha.22, commit `f00888c`).
 *
 * The later commits share `LibDecimalFloatImplementation`'s arithmetic with `f00888c` for every
 * input that fits a packed Float (int224 coefficient, int32 exponent): the `maximize` guards at the
 * int256 exponent limits, the partial-maximisation division path and the int256 exponent-underflow
 * handling of `div` only trigger for int256-range exponents. What differs is `packLossy`, `div`'s
 * zero divisor and, at `1cf3969`, `floor`. Parsing and formatting are not versioned here.
 *
 * @module
 */
import { INT224_MAX, INT224_MIN, INT256_MAX, INT32_MAX, INT32_MIN, POW10 } from "./constants.ts";
import { addCore, characteristic, divCore, mantissa, mulCore, subCore } from "./core.ts";
import { inputError, rainError } from "./errors.ts";
import { decode, encode, type MutableUnpacked, normalizeForPack } from "./pack.ts";
import * as alpha22Arith from "./arith.ts";
import * as alpha22Fixed from "./fixed.ts";
import * as alpha22Pack from "./pack.ts";
import { eq, gt, gte, isZero, lt, lte, max, min } from "./compare.ts";
import type { Float, LossyResult, UnpackedFloat } from "./types.ts";

/**
 * A rain.math.float commit whose Float semantics vraindex reproduces:
 *
 * - `"f00888c"` — npm `@rainlanguage/float@0.0.0-alpha.22` (2025-09-03), the module's default.
 * - `"6358302"` — 2025-09-16 ("exponent-overflow-zero"): used by Rain's V5 orderbook
 *   (rain.orderbook branch `2025-10-03-vr-live-quote`) and its rain.interpreter `ff1d064d`.
 * - `"1cf3969"` — npm alpha.44 (2026-02-10): used by rain.interpreter `2780cdd6` (Rainterpreter)
 *   and by OrderBookV6 at rain.orderbook `247b3475d` (both through rain.interpreter.interface
 *   `58386557`).
 */
export type FloatVersion = "f00888c" | "6358302" | "1cf3969";

/** Every supported version, oldest first. */
export const FLOAT_VERSIONS: readonly FloatVersion[] = ["f00888c", "6358302", "1cf3969"];

/** The version the module's top-level functions implement (npm alpha.22). */
export const DEFAULT_FLOAT_VERSION: FloatVersion = "f00888c";

/**
 * The operations whose result depends on the rain.math.float version, plus the unchanged ones so a
 * caller can use one object. Signatures and errors as the module's top-level functions.
 */
export type FloatOps = {
  /** The version these operations implement. */
  readonly version: FloatVersion;
  readonly add: (a: Float, b: Float) => Float;
  readonly sub: (a: Float, b: Float) => Float;
  readonly mul: (a: Float, b: Float) => Float;
  readonly div: (a: Float, b: Float) => Float;
  readonly inv: (a: Float) => Float;
  readonly neg: (a: Float) => Float;
  readonly abs: (a: Float) => Float;
  readonly floor: (a: Float) => Float;
  readonly ceil: (a: Float) => Float;
  readonly frac: (a: Float) => Float;
  readonly min: (a: Float, b: Float) => Float;
  readonly max: (a: Float, b: Float) => Float;
  readonly eq: (a: Float, b: Float) => boolean;
  readonly lt: (a: Float, b: Float) => boolean;
  readonly lte: (a: Float, b: Float) => boolean;
  readonly gt: (a: Float, b: Float) => boolean;
  readonly gte: (a: Float, b: Float) => boolean;
  readonly isZero: (a: Float) => boolean;
  readonly fromFixedDecimal: (value: bigint, decimals: number) => Float;
  readonly fromFixedDecimalLossy: (value: bigint, decimals: number) => LossyResult<Float>;
  readonly toFixedDecimal: (float: Float, decimals: number) => bigint;
  readonly toFixedDecimalLossy: (float: Float, decimals: number) => LossyResult<bigint>;
  readonly packFloat: (coefficient: bigint, exponent: number | bigint) => Float;
  readonly packFloatLossy: (coefficient: bigint, exponent: number | bigint) => LossyResult<Float>;
  readonly addUnpacked: (a: UnpackedFloat, b: UnpackedFloat) => UnpackedFloat;
  readonly subUnpacked: (a: UnpackedFloat, b: UnpackedFloat) => UnpackedFloat;
  readonly mulUnpacked: (a: UnpackedFloat, b: UnpackedFloat) => UnpackedFloat;
  readonly divUnpacked: (a: UnpackedFloat, b: UnpackedFloat) => UnpackedFloat;
  readonly invUnpacked: (a: UnpackedFloat) => UnpackedFloat;
  /**
   * Rain's n-input words (`add`, `sub`, `mul`, `div` in `LibOpAdd` … `LibOpDiv`): the operation is
   * folded left over the unpacked values in int256 and the result is packed **once**, so
   * `addN([a, b, c])` can differ from `add(add(a, b), c)`. Needs at least two inputs.
   */
  readonly addN: (inputs: readonly Float[]) => Float;
  readonly subN: (inputs: readonly Float[]) => Float;
  readonly mulN: (inputs: readonly Float[]) => Float;
  readonly divN: (inputs: readonly Float[]) => Float;
};

type Core = (ca: bigint, ea: number, cb: bigint, eb: number, out: MutableUnpacked) => void;
type Pack = (
  c: bigint,
  e: number,
  op: string,
  out: MutableUnpacked,
  bigExponent?: bigint,
) => boolean;

const P76 = POW10[76];
const res: MutableUnpacked = { coefficient: 0n, exponent: 0 };
const packed: MutableUnpacked = { coefficient: 0n, exponent: 0 };

/**
 * `packLossy` from `6358302` on (LibDecimalFloat.sol `packLossy`): a zero coefficient packs as
 * `bytes32(0)` whatever its exponent; an exponent below int32 packs as zero (not lossless); one
 * above int32 reverts `ExponentOverflow` with the values **before** truncation.
 */
function packLossyV2(
  c: bigint,
  e: number,
  op: string,
  out: MutableUnpacked,
  bigExponent?: bigint,
): boolean {
  let lossless = true;
  let pc = c, pe = e;
  if (c > INT224_MAX || c < INT224_MIN) {
    lossless = false;
    // Truncation only: an exponent of zero cannot overflow, so this never throws.
    normalizeForPack(c, 0, op, out);
    pc = out.coefficient;
    pe = e + out.exponent;
  } else if (c === 0n) {
    out.coefficient = 0n;
    out.exponent = 0;
    return true;
  }
  if (pe > INT32_MAX || pe < INT32_MIN) {
    if (pe < 0) {
      out.coefficient = 0n;
      out.exponent = 0;
      return false;
    }
    throw rainError(op, "ExponentOverflow", { signedCoefficient: c, exponent: bigExponent ?? e });
  }
  out.coefficient = pc;
  out.exponent = pe;
  return lossless;
}

/** alpha.22's `packLossy` (reverts `ExponentOverflow` with the truncated values). */
const packLossyV1: Pack = normalizeForPack;

function divByZero(op: string, c: bigint, e: number): never {
  throw rainError(op, "DivisionByZero", { signedCoefficient: c, exponent: e });
}

/** `LibDecimalFloatImplementation.div` from `6358302` on: a zero divisor reverts first. */
function divCoreV2(ca: bigint, ea: number, cb: bigint, eb: number, out: MutableUnpacked): void {
  if (cb === 0n) divByZero("div", ca, ea);
  divCore(ca, ea, cb, eb, out, "div");
}

function divCoreV1(ca: bigint, ea: number, cb: bigint, eb: number, out: MutableUnpacked): void {
  divCore(ca, ea, cb, eb, out, "div");
}

/** `floor` up to `6358302`: truncation toward zero, exponent kept. */
function floorTrunc(c: bigint, e: number, out: MutableUnpacked): void {
  out.coefficient = characteristic(c, e);
  out.exponent = e;
}

/**
 * `floor` at `1cf3969` (LibDecimalFloat.sol `floor`): a negative value with a fractional part has
 * one subtracted from its integer part (`LibDecimalFloatImplementation.sub(i, e, 1e76, -76)`).
 */
function floorTrue(c: bigint, e: number, out: MutableUnpacked): void {
  const i = characteristic(c, e);
  if (c < 0n && mantissa(c, e) !== 0n) {
    subCore(i, e, P76, -76, out);
  } else {
    out.coefficient = i;
    out.exponent = e;
  }
}

function checkFixedInput(value: bigint, decimals: number, op: string): void {
  if (typeof value !== "bigint" || value < 0n || value >= 1n << 256n) {
    throw inputError(op, "value", value, "expected a uint256 bigint");
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw inputError(op, "decimals", decimals, "expected a uint8");
  }
}

function checkPackInput(c: bigint, exponent: number | bigint, op: string): number {
  if (typeof c !== "bigint" || c > INT256_MAX || c < -(1n << 255n)) {
    throw inputError(op, "coefficient", c, "expected an int256 bigint");
  }
  if (typeof exponent === "bigint") {
    // Beyond ±2^52 the exponent is far outside int32 either way; a number keeps the sign.
    if (exponent > 1n << 52n) return 2 ** 53;
    if (exponent < -(1n << 52n)) return -(2 ** 53);
    return Number(exponent);
  }
  if (!Number.isSafeInteger(exponent)) {
    throw inputError(op, "exponent", exponent, "expected a safe integer");
  }
  return exponent;
}

function buildOps(version: FloatVersion, v2: boolean, trueFloor: boolean): FloatOps {
  const pack: Pack = v2 ? packLossyV2 : packLossyV1;
  const divC: Core = v2 ? divCoreV2 : divCoreV1;
  const finish = (op: string): Float => {
    pack(res.coefficient, res.exponent, op, packed);
    return encode(packed.coefficient, packed.exponent);
  };
  const finishUnpacked = (op: string): UnpackedFloat => {
    pack(res.coefficient, res.exponent, op, packed);
    return { coefficient: packed.coefficient, exponent: packed.exponent };
  };
  const binary = (core: Core, op: string) => (a: Float, b: Float): Float => {
    const x = decode(a, op), y = decode(b, op);
    core(x.coefficient, x.exponent, y.coefficient, y.exponent, res);
    return finish(op);
  };
  const binaryUnpacked = (core: Core, op: string) => (a: UnpackedFloat, b: UnpackedFloat) => {
    core(a.coefficient, a.exponent, b.coefficient, b.exponent, res);
    return finishUnpacked(op);
  };
  const nary = (core: Core, op: string) => (inputs: readonly Float[]): Float => {
    if (inputs.length < 2) throw inputError(op, "inputs", inputs.length, "expected at least 2");
    const first = decode(inputs[0], op);
    let c = first.coefficient, e = first.exponent;
    for (let i = 1; i < inputs.length; i++) {
      const y = decode(inputs[i], op);
      core(c, e, y.coefficient, y.exponent, res);
      c = res.coefficient;
      e = res.exponent;
    }
    return finish(op);
  };
  const invCore = (c: bigint, e: number, out: MutableUnpacked): void => {
    if (c === 0n && v2) divByZero("inv", P76, -76);
    divCore(P76, -76, c, e, out, "inv");
  };
  const unary =
    (fn: (c: bigint, e: number, out: MutableUnpacked) => void, op: string) => (a: Float): Float => {
      const x = decode(a, op);
      fn(x.coefficient, x.exponent, res);
      return finish(op);
    };
  const fromFixed = (value: bigint, decimals: number, op: string): [bigint, number, boolean] => {
    checkFixedInput(value, decimals, op);
    if (value > INT256_MAX) return [value / 10n, 1 - decimals, value % 10n === 0n];
    return [value, -decimals, true];
  };
  return {
    version,
    add: binary(addCore, "add"),
    sub: binary(subCore, "sub"),
    mul: binary(mulCore, "mul"),
    div: binary(divC, "div"),
    inv: unary(invCore, "inv"),
    neg: unary((c, e, out) => {
      out.coefficient = -c;
      out.exponent = e;
    }, "neg"),
    abs: unary((c, e, out) => {
      out.coefficient = c < 0n ? -c : c;
      out.exponent = e;
    }, "abs"),
    floor: (a: Float): Float => {
      const x = decode(a, "floor");
      if (x.exponent >= 0) return a;
      (trueFloor ? floorTrue : floorTrunc)(x.coefficient, x.exponent, res);
      return finish("floor");
    },
    ceil: (a: Float): Float => {
      const x = decode(a, "ceil");
      return alpha22Arith.ceilCore(x.coefficient, x.exponent, res) ? finish("ceil") : a;
    },
    frac: unary((c, e, out) => {
      out.coefficient = mantissa(c, e);
      out.exponent = e;
    }, "frac"),
    min,
    max,
    eq,
    lt,
    lte,
    gt,
    gte,
    isZero,
    fromFixedDecimal: (value, decimals) => {
      const op = "fromFixedDecimal";
      const [c, e, lossless] = fromFixed(value, decimals, op);
      if (!lossless) {
        throw rainError(op, "LossyConversionToFloat", { signedCoefficient: c, exponent: e });
      }
      if (!pack(c, e, op, packed)) {
        throw rainError(op, "CoefficientOverflow", { signedCoefficient: c, exponent: e });
      }
      return encode(packed.coefficient, packed.exponent);
    },
    fromFixedDecimalLossy: (value, decimals) => {
      const op = "fromFixedDecimalLossy";
      const [c, e, lossless] = fromFixed(value, decimals, op);
      const packLossless = pack(c, e, op, packed);
      return {
        value: encode(packed.coefficient, packed.exponent),
        lossless: lossless && packLossless,
      };
    },
    toFixedDecimal: alpha22Fixed.toFixedDecimal,
    toFixedDecimalLossy: alpha22Fixed.toFixedDecimalLossy,
    packFloat: (coefficient, exponent) => {
      const op = "packFloat";
      const e = checkPackInput(coefficient, exponent, op);
      const big = typeof exponent === "bigint" ? exponent : undefined;
      if (!pack(coefficient, e, op, packed, big)) {
        throw rainError(op, "CoefficientOverflow", {
          signedCoefficient: coefficient,
          exponent: typeof exponent === "bigint" ? exponent : e,
        });
      }
      return encode(packed.coefficient, packed.exponent);
    },
    packFloatLossy: (coefficient, exponent) => {
      const op = "packFloatLossy";
      const e = checkPackInput(coefficient, exponent, op);
      const big = typeof exponent === "bigint" ? exponent : undefined;
      const lossless = pack(coefficient, e, op, packed, big);
      return { value: encode(packed.coefficient, packed.exponent), lossless };
    },
    addUnpacked: binaryUnpacked(addCore, "add"),
    subUnpacked: binaryUnpacked(subCore, "sub"),
    mulUnpacked: binaryUnpacked(mulCore, "mul"),
    divUnpacked: binaryUnpacked(divC, "div"),
    invUnpacked: (a: UnpackedFloat): UnpackedFloat => {
      invCore(a.coefficient, a.exponent, res);
      return finishUnpacked("inv");
    },
    addN: nary(addCore, "add"),
    subN: nary(subCore, "sub"),
    mulN: nary(mulCore, "mul"),
    divN: nary(divC, "div"),
  };
}

// alpha.22: the module's own functions (no wrapper, no per-call cost), plus the n-ary words.
const ALPHA22_NARY = buildOps("f00888c", false, false);
const OPS: Record<FloatVersion, FloatOps> = {
  f00888c: Object.freeze({
    ...ALPHA22_NARY,
    add: alpha22Arith.add,
    sub: alpha22Arith.sub,
    mul: alpha22Arith.mul,
    div: alpha22Arith.div,
    inv: alpha22Arith.inv,
    neg: alpha22Arith.neg,
    abs: alpha22Arith.abs,
    floor: alpha22Arith.floor,
    ceil: alpha22Arith.ceil,
    frac: alpha22Arith.frac,
    fromFixedDecimal: alpha22Fixed.fromFixedDecimal,
    fromFixedDecimalLossy: alpha22Fixed.fromFixedDecimalLossy,
    packFloat: alpha22Pack.packFloat,
    packFloatLossy: alpha22Pack.packFloatLossy,
    addUnpacked: alpha22Arith.addUnpacked,
    subUnpacked: alpha22Arith.subUnpacked,
    mulUnpacked: alpha22Arith.mulUnpacked,
    divUnpacked: alpha22Arith.divUnpacked,
    invUnpacked: alpha22Arith.invUnpacked,
  }),
  "6358302": Object.freeze(buildOps("6358302", true, false)),
  "1cf3969": Object.freeze(buildOps("1cf3969", true, true)),
};

/**
 * The Float operations of one rain.math.float version. Pick the version the Rain build you are
 * reproducing was compiled with (see {@link FloatVersion}); the returned object is shared and
 * frozen, so look it up once.
 *
 * @example
 * ```ts
 * import { floatOps, parse } from "./mod.ts";
 * const v44 = floatOps("1cf3969");
 * console.log(v44.sub(parse("1"), parse("1"))); // 0x000…000 (alpha.22 gives 0xffffffb4…)
 * ```
 */
export function floatOps(version: FloatVersion = DEFAULT_FLOAT_VERSION): FloatOps {
  const ops = OPS[version];
  if (ops === undefined) {
    throw inputError(
      "floatOps",
      "version",
      version,
      `expected one of ${FLOAT_VERSIONS.join(", ")}`,
    );
  }
  return ops;
}
