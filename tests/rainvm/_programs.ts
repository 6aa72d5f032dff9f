/**
 * Test helpers for the native evaluator: Rain ops by word name at the opcode indices of Rain's
 * standard table (rain.interpreter 2780cdd6, `LibAllStandardOps`, written out independently of
 * `src/rainvm/tables.ts`), Float words from the `@rainlanguage/float` oracle, and request builders.
 */
import { Float as Oracle } from "@rainlanguage/float";
import { type Address, type Hex, pad, toHex } from "viem";
import type { EvalEnv, EvalRequest, StoreReader } from "../../src/evm/mod.ts";
import { encodeRainBytecode, type RainOp, type RainSourceInput } from "../../src/rainvm/mod.ts";

/** Opcode of each word in Rain's standard table (hand-copied from `LibAllStandardOps`). */
export const OPCODE = {
  stack: 0,
  constant: 1,
  extern: 2,
  context: 3,
  bitwiseAnd: 4,
  bitwiseCountOnes: 5,
  bitwiseDecode: 6,
  bitwiseEncode: 7,
  bitwiseOr: 8,
  shiftLeft: 9,
  shiftRight: 10,
  call: 11,
  hash: 12,
  uint256Erc20BalanceOf: 17,
  blockNumber: 23,
  blockTimestamp: 24,
  now: 25,
  chainId: 26,
  any: 27,
  binaryEqualTo: 28,
  conditions: 29,
  ensure: 30,
  equalTo: 31,
  every: 32,
  greaterThan: 33,
  greaterThanOrEqualTo: 34,
  if: 35,
  isZero: 36,
  lessThan: 37,
  lessThanOrEqualTo: 38,
  abs: 39,
  add: 40,
  avg: 41,
  ceil: 42,
  div: 43,
  e: 44,
  exp: 45,
  floor: 47,
  frac: 48,
  headroom: 50,
  inv: 51,
  max: 52,
  maxPositiveValue: 54,
  min: 55,
  mul: 58,
  power: 59,
  sub: 61,
  linearGrowth: 63,
  uint256Add: 64,
  uint256Div: 65,
  uint256MaxValue: 66,
  uint256Mul: 67,
  uint256Power: 68,
  uint256Sub: 69,
  get: 70,
  set: 71,
} as const;

/** One op. */
export const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});

/** Ops with the IO each word's integrity check demands. */
export const ops = {
  stack: (i: number): RainOp => op(OPCODE.stack, 0, 1, i),
  constant: (i: number): RainOp => op(OPCODE.constant, 0, 1, i),
  context: (column: number, row: number): RainOp => op(OPCODE.context, 0, 1, (row << 8) | column),
  call: (source: number, inputs: number, outputs: number): RainOp =>
    op(OPCODE.call, inputs, outputs, source),
  nary: (opcode: number, inputs: number): RainOp => op(opcode, inputs, 1),
  unary: (opcode: number): RainOp => op(opcode, 1, 1),
  binary: (opcode: number): RainOp => op(opcode, 2, 1),
  nullary: (opcode: number): RainOp => op(opcode, 0, 1),
  ensure: (): RainOp => op(OPCODE.ensure, 2, 0),
  if: (): RainOp => op(OPCODE.if, 3, 1),
  get: (): RainOp => op(OPCODE.get, 1, 1),
  set: (): RainOp => op(OPCODE.set, 2, 0),
  shiftLeft: (bits: number): RainOp => op(OPCODE.shiftLeft, 1, 1, bits),
  shiftRight: (bits: number): RainOp => op(OPCODE.shiftRight, 1, 1, bits),
  decode: (start: number, length: number): RainOp =>
    op(OPCODE.bitwiseDecode, 1, 1, (length << 8) | start),
  encode: (start: number, length: number): RainOp =>
    op(OPCODE.bitwiseEncode, 2, 1, (length << 8) | start),
} as const;

/** A uint256 as a word. */
export const word = (n: bigint | number): Hex => pad(toHex(BigInt(n)));

/** A decimal string as a packed Float, parsed by the oracle. */
export function float(text: string): Hex {
  const parsed = Oracle.parse(text);
  if (parsed.error) throw new Error(`oracle cannot parse ${text}: ${parsed.error.msg}`);
  const value = parsed.value!;
  const hex = value.asHex();
  value.free();
  return hex;
}

/** `a <op> b` on the oracle, as a packed Float. */
export function oracle(
  operation: "add" | "sub" | "mul" | "div" | "min" | "max",
  a: Hex,
  b: Hex,
): Hex {
  const x = Oracle.fromHex(a).value!, y = Oracle.fromHex(b).value!;
  const r = x[operation](y);
  x.free();
  y.free();
  if (r.error) throw new Error(`oracle ${operation} failed: ${r.error.msg}`);
  const hex = r.value!.asHex();
  r.value!.free();
  return hex;
}

/** A unary oracle operation, as a packed Float. */
export function oracle1(operation: "abs" | "floor" | "frac" | "inv" | "neg", a: Hex): Hex {
  const x = Oracle.fromHex(a).value!;
  const r = x[operation]();
  x.free();
  if (r.error) throw new Error(`oracle ${operation} failed: ${r.error.msg}`);
  const hex = r.value!.asHex();
  r.value!.free();
  return hex;
}

/** A comparison on the oracle. */
export function oracleCompare(
  operation: "lt" | "lte" | "gt" | "gte" | "eq",
  a: Hex,
  b: Hex,
): boolean {
  const x = Oracle.fromHex(a).value!, y = Oracle.fromHex(b).value!;
  const r = x[operation](y);
  x.free();
  y.free();
  return r.value!;
}

/** `Error(string)` revert data, encoded by hand: selector, offset 0x20, length, padded text. */
export function errorStringData(text: string): Hex {
  const bytes = new TextEncoder().encode(text);
  let body = "";
  for (const b of bytes) body += b.toString(16).padStart(2, "0");
  const padded = bytes.length === 0 ? "" : body.padEnd(Math.ceil(bytes.length / 32) * 64, "0");
  return `0x08c379a0${"20".padStart(64, "0")}${
    bytes.length.toString(16).padStart(64, "0")
  }${padded}`;
}

/** `Panic(code)` revert data. */
export const panicData = (code: number): Hex => `0x4e487b71${code.toString(16).padStart(64, "0")}`;

/** Rain's `IntOrAString` V3 for a short string, as the parser builds string literals. */
export function intOrAString(text: string): Hex {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > 31) throw new Error("too long");
  let body = "";
  for (const b of bytes) body += b.toString(16).padStart(2, "0");
  const low = (0xe0 | bytes.length).toString(16);
  return `0x${(body + low).padStart(64, "0")}`;
}

/** Encodes a program. */
export const program = (constants: readonly Hex[], sources: readonly RainSourceInput[]): Hex =>
  encodeRainBytecode({ constants, sources });

/** A single-source program. */
export const single = (constants: readonly Hex[], sourceOps: readonly RainOp[]): Hex =>
  program(constants, [{ ops: sourceOps }]);

export const ENV: EvalEnv = { chainId: 42161n, blockNumber: 300n, timestamp: 1_720_000_000n };
export const NAMESPACE = 0xfeedn;

/** A store view over `values` (keyed by key word), recording the keys it is asked for. */
export function mapStore(values: Record<string, Hex> = {}): StoreReader & { reads: Hex[] } {
  const reads: Hex[] = [];
  return {
    reads,
    get(_store, _namespace, key) {
      reads.push(key);
      return values[key] ?? word(0);
    },
  };
}

/** An `EvalRequest` with defaults (no context, inputs or overlay; source 0). */
export function request(
  interpreter: Address,
  store: Address,
  bytecode: Hex,
  extra: Partial<EvalRequest> = {},
): EvalRequest {
  return {
    interpreter,
    store,
    namespace: NAMESPACE,
    bytecode,
    sourceIndex: 0,
    context: [],
    inputs: [],
    stateOverlay: [],
    ...extra,
  };
}
