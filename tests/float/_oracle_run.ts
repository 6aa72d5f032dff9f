/** Runs one case on the oracle, `@rainlanguage/float@0.0.0-alpha.22` (Rain's own wasm build). */
import { Float as OracleFloat } from "@rainlanguage/float";
import { type Case, oracleErrorId, type Outcome } from "./_oracle.ts";

type WasmResult<T> = { value?: T; error?: { msg: string } };

function fromResult<T>(r: WasmResult<T>, map: (v: T) => string | boolean): Outcome {
  if (r.error) return { ok: false, error: oracleErrorId(r.error.msg) };
  return { ok: true, value: map(r.value as T) };
}

function hexOf(f: OracleFloat): string {
  const hex = f.asHex();
  f.free();
  return hex;
}

/** Runs a case on the oracle with the same outcome shape as `runNative`. */
export function runOracle(c: Case): Outcome {
  if (c.op === "parse") return fromResult(OracleFloat.parse(c.a), hexOf);
  if (c.op === "fromFixedDecimal") {
    return fromResult(OracleFloat.fromFixedDecimal(BigInt(c.a), c.decimals!), hexOf);
  }
  if (c.op === "fromFixedDecimalLossy") {
    return fromResult(OracleFloat.fromFixedDecimalLossy(BigInt(c.a), c.decimals!), hexOf);
  }
  if (c.op === "fromBigint") {
    try {
      return { ok: true, value: hexOf(OracleFloat.fromBigint(BigInt(c.a))) };
    } catch {
      return { ok: false, error: { name: "Input" } };
    }
  }
  const a = OracleFloat.fromHex(c.a as `0x${string}`).value;
  if (a === undefined) throw new Error(`oracle fromHex rejected ${c.a}`);
  const b = c.b === undefined ? undefined : OracleFloat.fromHex(c.b as `0x${string}`).value!;
  try {
    switch (c.op) {
      case "format":
        return fromResult(a.format(), (v) => String(v));
      case "add":
      case "sub":
      case "mul":
      case "div":
      case "min":
      case "max":
        return fromResult(a[c.op](b!), hexOf);
      case "lt":
      case "eq":
      case "lte":
      case "gt":
      case "gte":
        return fromResult(a[c.op](b!), (v) => v);
      case "inv":
      case "abs":
      case "neg":
      case "floor":
      case "frac":
        return fromResult(a[c.op](), hexOf);
      case "isZero":
        return fromResult(a.isZero(), (v) => v);
      case "toFixedDecimal":
        return fromResult(a.toFixedDecimal(c.decimals!), (v) => String(v));
      case "toFixedDecimalLossy":
        return fromResult(a.toFixedDecimalLossy(c.decimals!), (v) => String(v));
      case "toBigint":
        return { ok: true, value: a.toBigint().toString() };
      default:
        throw new Error(`unknown op ${c.op}`);
    }
  } finally {
    a.free();
    b?.free();
  }
}
