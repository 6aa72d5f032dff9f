/**
 * Rain's decimal Float (rain.math.float) on plain bigint: the packed `bytes32` representation,
 * parse/format, arithmetic, comparisons and fixed-decimal conversions, bit-exact with Rain's
 * Solidity including which inputs fail and with which error.
 *
 * @module
 */
export type { Float, LossyResult, UnpackedFloat } from "./types.ts";
export {
  FloatError,
  type FloatErrorDetails,
  FloatInputError,
  type FloatInputErrorDetails,
  type RainFloatErrorName,
} from "./errors.ts";
export {
  FLOAT_HALF,
  FLOAT_MAX_NEGATIVE_VALUE,
  FLOAT_MAX_POSITIVE_VALUE,
  FLOAT_MIN_NEGATIVE_VALUE,
  FLOAT_MIN_POSITIVE_VALUE,
  FLOAT_ONE,
  FLOAT_TWO,
  FLOAT_ZERO,
  fromBigint,
  packFloat,
  packFloatLossy,
  packWord,
  toBigint,
  unpackFloat,
  unpackWord,
} from "./pack.ts";
export {
  abs,
  add,
  addUnpacked,
  ceil,
  div,
  divUnpacked,
  floor,
  frac,
  inv,
  invUnpacked,
  mul,
  mulUnpacked,
  neg,
  sub,
  subUnpacked,
} from "./arith.ts";
export { compareUnpacked, eq, gt, gte, isZero, lt, lte, max, min } from "./compare.ts";
export { parse } from "./parse.ts";
export { format } from "./format.ts";
export {
  fromFixedDecimal,
  fromFixedDecimalLossy,
  toFixedDecimal,
  toFixedDecimalLossy,
} from "./fixed.ts";
export {
  DEFAULT_FLOAT_VERSION,
  FLOAT_VERSIONS,
  type FloatOps,
  floatOps,
  type FloatVersion,
} from "./rules.ts";
