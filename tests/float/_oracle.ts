/**
 * Test helpers: maps the oracle's (`@rainlanguage/float`) error messages to Rain error identities
 * and runs one operation on either implementation with a uniform outcome shape.
 */
import { toFunctionSelector } from "viem";
import * as F from "../../src/float/mod.ts";

/** What an operation produced: a value (hex, string, boolean or bigint as string) or an error. */
export type Outcome =
  | { ok: true; value: string | boolean }
  | { ok: false; error: ErrorId };

/** An error's identity: Rain error name (or `Panic:0x12`, `Input`) and the arguments if known. */
export type ErrorId = { name: string; args?: Record<string, string> };

// Rain custom errors the parse path returns by selector (rain.math.float + rain.string).
const SELECTOR_NAMES: Record<string, string> = Object.fromEntries(
  [
    "ParseEmptyDecimalString(uint256)",
    "ParseDecimalOverflow(uint256)",
    "MalformedDecimalPoint(uint256)",
    "MalformedExponentDigits(uint256)",
    "ParseDecimalPrecisionLoss(uint256)",
    "ParseDecimalFloatExcessCharacters()",
  ].map((sig) => [toFunctionSelector(`function ${sig}`), sig.slice(0, sig.indexOf("("))]),
);

/** Maps one oracle error message to an error identity. */
export function oracleErrorId(msg: string): ErrorId {
  let m = /^Decimal Float error: (\w+)\(\w+ \{ (.*) \}\)$/.exec(msg);
  if (m) {
    const args: Record<string, string> = {};
    for (const part of m[2].split(", ")) {
      const [k, v] = part.split(": ");
      args[k] = v;
    }
    return { name: m[1], args };
  }
  m = /^Decimal Float error: (\w+)$/.exec(msg);
  if (m) return { name: m[1] };
  m = /^Decimal Float error selector: Err\((0x[0-9a-f]{8})\)$/.exec(msg);
  if (m) return { name: SELECTOR_NAMES[m[1]] ?? `selector ${m[1]}` };
  m = /^Decimal Float error selector: Ok\((\w+)\)$/.exec(msg);
  if (m) return { name: m[1] };
  m = /^Float execution reverted with output: 0x4e487b71([0-9a-f]{64})$/.exec(msg);
  if (m) return { name: `Panic:0x${BigInt("0x" + m[1]).toString(16).padStart(2, "0")}` };
  // The npm binding's own rejection of inputs a uint256 cannot hold ("invalid digit: -", …).
  return { name: "Input" };
}

/** Maps one of our thrown errors to an error identity. */
export function nativeErrorId(error: unknown): ErrorId {
  if (error instanceof F.FloatError) {
    if (error.details.rainError === "Panic") {
      return { name: `Panic:0x${error.details.panicCode!.toString(16).padStart(2, "0")}` };
    }
    return { name: error.details.rainError, args: { ...error.details.args } };
  }
  if (error instanceof F.FloatInputError) return { name: "Input" };
  throw error;
}

/** The inputs of one case, as in `fixtures/float_vectors.json`. */
export type Case = { op: string; a: string; b?: string; decimals?: number };

/** Runs a case on the native implementation. */
export function runNative(c: Case): Outcome {
  try {
    const a = c.a as F.Float, b = c.b as F.Float, d = c.decimals!;
    let value: string | boolean;
    switch (c.op) {
      case "parse":
        value = F.parse(c.a);
        break;
      case "format":
        value = F.format(a);
        break;
      case "add":
      case "sub":
      case "mul":
      case "div":
      case "min":
      case "max":
        value = F[c.op](a, b);
        break;
      case "lt":
      case "eq":
      case "lte":
      case "gt":
      case "gte":
        value = F[c.op](a, b);
        break;
      case "inv":
      case "abs":
      case "neg":
      case "floor":
      case "frac":
        value = F[c.op](a);
        break;
      case "isZero":
        value = F.isZero(a);
        break;
      case "toFixedDecimal":
        value = F.toFixedDecimal(a, d).toString();
        break;
      case "toFixedDecimalLossy":
        value = F.toFixedDecimalLossy(a, d).value.toString();
        break;
      case "fromFixedDecimal":
        value = F.fromFixedDecimal(BigInt(c.a), d);
        break;
      case "fromFixedDecimalLossy":
        value = F.fromFixedDecimalLossy(BigInt(c.a), d).value;
        break;
      case "toBigint":
        value = F.toBigint(a).toString();
        break;
      case "fromBigint":
        value = F.fromBigint(BigInt(c.a));
        break;
      default:
        throw new Error(`unknown op ${c.op}`);
    }
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: nativeErrorId(error) };
  }
}

/** Compares two outcomes; returns a description of the mismatch or `undefined`. */
export function mismatch(expected: Outcome, actual: Outcome): string | undefined {
  if (expected.ok !== actual.ok) {
    return `expected ${JSON.stringify(expected)} got ${JSON.stringify(actual)}`;
  }
  if (expected.ok && actual.ok) {
    return expected.value === actual.value
      ? undefined
      : `expected ${expected.value} got ${actual.value}`;
  }
  if (!expected.ok && !actual.ok) {
    if (expected.error.name !== actual.error.name) {
      return `expected error ${expected.error.name} got ${actual.error.name}`;
    }
    // Compare arguments whenever the oracle reported them.
    if (expected.error.args) {
      for (const [k, v] of Object.entries(expected.error.args)) {
        if (actual.error.args?.[k] !== v) {
          return `error ${expected.error.name} arg ${k}: expected ${v} got ${
            actual.error.args?.[k]
          }`;
        }
      }
    }
  }
  return undefined;
}
