/**
 * The native eval loop: runs a compiled program the way `Rainterpreter.eval4` → `LibEval.eval4`
 * does, word for word, on 32-byte words held as lowercase hex. Synchronous (store reads go through
 * the synchronous `StoreReader`).
 *
 * @module
 */
import {
  type Abi,
  type Address,
  encodeAbiParameters,
  encodeErrorResult,
  type Hex,
  parseAbiParameters,
  toFunctionSelector,
} from "viem";
import { decodeRainError, rainErrorsAbi } from "../abi/mod.ts";
import type { EvalEnv, EvalRequest, EvalResult, StoreReader } from "../evm/mod.ts";
import { EvalRevertedError } from "../evm/mod.ts";
import {
  type Float,
  FLOAT_MAX_NEGATIVE_VALUE,
  FLOAT_MAX_POSITIVE_VALUE,
  FLOAT_MIN_NEGATIVE_VALUE,
  FLOAT_MIN_POSITIVE_VALUE,
  FLOAT_ONE,
  FLOAT_TWO,
  FloatError,
  type FloatOps,
  floatOps,
  packFloat,
} from "../float/mod.ts";
import { type CompiledProgram, compileProgram, W } from "./compile.ts";
import { NativeUnsupportedError } from "./errors.ts";
import { keccak256Hex } from "../abi/mod.ts";
import { createMemoryKV, type MemoryKV } from "./kv.ts";
import type { OpcodeTable } from "./tables.ts";

const ZERO: Hex = `0x${"0".repeat(64)}`;
const ONE: Hex = `0x${"0".repeat(63)}1`;
const MAX_UINT256 = (1n << 256n) - 1n;
const MAX_WORD: Hex = `0x${"f".repeat(64)}`;
const COEFFICIENT_ZEROS = "0".repeat(56);
const WORD_RE = /^0x[0-9a-fA-F]{64}$/;
/** Euler's number truncated to 67 significant digits, as Rain's `FLOAT_E` (e × 10^66, 10^-66). */
const FLOAT_E: Float = packFloat(
  2718281828459045235360287471352662497757247093699959574966967627724n,
  -66,
);

const PANIC = "0x4e487b71";
const ERROR_STRING = "0x08c379a0";
const ODD_SET_LENGTH = toFunctionSelector("function OddSetLength(uint256)");
const INPUTS_LENGTH_MISMATCH = toFunctionSelector("function InputsLengthMismatch(uint256,uint256)");
const SOURCE_INDEX_OUT_OF_BOUNDS = toFunctionSelector(
  "function SourceIndexOutOfBounds(uint256,bytes)",
);

// Orders are evaluated again and again over the same context (order hash, owner, counterparty),
// so `hash` inputs repeat; a bounded memo skips the keccak for them.
const HASH_MEMO_LIMIT = 4096;
const hashMemo = new Map<string, Hex>();

function hashWords(packed: string): Hex {
  let digest = hashMemo.get(packed);
  if (digest === undefined) {
    digest = keccak256Hex(packed);
    if (hashMemo.size >= HASH_MEMO_LIMIT) hashMemo.clear();
    hashMemo.set(packed, digest);
  }
  return digest;
}

function word(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

/** Float `isZero`: the low 224 bits (the coefficient) are zero, whatever the exponent. */
function isZero(value: Hex): boolean {
  return value.endsWith(COEFFICIENT_ZEROS);
}

/** A word from the caller (context, inputs, overlay, store): 32 bytes, normalised to lowercase. */
function normalize(value: unknown, what: string): Hex {
  if (typeof value === "string" && WORD_RE.test(value)) return value.toLowerCase() as Hex;
  throw new NativeUnsupportedError(`${what} is not a 32-byte hex word: ${String(value)}`, {
    reason: "malformed-input",
  });
}

/** Revert data a `revert` carrying `IntOrAString` V3 `reason` produces: `Error(string)`. */
function errorStringData(reason: Hex): Hex {
  const body = reason.slice(2);
  const length = parseInt(body.slice(62), 16) & 0x1f;
  // The text is the `length` bytes just above the low byte.
  const text = body.slice(62 - 2 * length, 62);
  const padded = text.padEnd(Math.ceil(length / 32) * 64, "0");
  return `${ERROR_STRING}${"20".padStart(64, "0")}${
    length.toString(16).padStart(64, "0")
  }${padded}` as Hex;
}

function panicData(code: number): Hex {
  return `${PANIC}${code.toString(16).padStart(64, "0")}` as Hex;
}

type ErrorItem = Extract<(typeof rainErrorsAbi)[number], { readonly type: "error" }>;
let errorsByName: Map<string, ErrorItem> | undefined;

/**
 * The revert data Rain's Solidity produces for a Float failure: the rain.math.float custom error
 * ABI-encoded from the `FloatError`'s arguments (which carry the Solidity values), or
 * `Panic(code)`. `undefined` when the error or one of its arguments is not known here.
 */
function floatRevertData(error: FloatError): Hex | undefined {
  const { rainError, args, panicCode } = error.details;
  if (rainError === "Panic") return panicCode === undefined ? undefined : panicData(panicCode);
  if (errorsByName === undefined) {
    errorsByName = new Map();
    for (const item of rainErrorsAbi) {
      if (!errorsByName.has(item.name)) errorsByName.set(item.name, item);
    }
  }
  const item = errorsByName.get(rainError);
  if (item === undefined) return undefined;
  const values: bigint[] = [];
  for (const input of item.inputs) {
    const value = args[input.name];
    if (value === undefined || !/^u?int\d+$/.test(input.type)) return undefined;
    values.push(BigInt(value));
  }
  try {
    return encodeErrorResult({ abi: [item] as Abi, errorName: item.name, args: values });
  } catch {
    return undefined;
  }
}

/** Thrown inside the loop; the caller turns it into `EvalRevertedError` with its location. */
class Revert {
  constructor(readonly data: Hex) {}
}

type Frame = {
  readonly program: CompiledProgram;
  readonly context: readonly (readonly Hex[])[];
  readonly env: EvalEnv;
  readonly storeReader: StoreReader;
  readonly store: Address;
  readonly namespace: bigint;
  readonly kv: MemoryKV;
  readonly float: FloatOps;
};

function contextRead(frame: Frame, operand: number): Hex {
  const column = frame.context[operand & 0xff];
  // Rain reads `context[i][j]` with Solidity's bounds checks: out of range is `Panic(0x32)`.
  if (column === undefined) throw new Revert(panicData(0x32));
  const value = column[(operand >> 8) & 0xff];
  if (value === undefined) throw new Revert(panicData(0x32));
  return normalize(value, "context word");
}

function uintFold(handler: number, stack: Hex[], h: number, n: number): bigint {
  let a = BigInt(stack[h - 1]);
  for (let i = 2; i <= n; i++) {
    const b = BigInt(stack[h - i]);
    switch (handler) {
      case W["uint256-add"]:
        a += b;
        if (a > MAX_UINT256) throw new Revert(panicData(0x11));
        break;
      case W["uint256-sub"]:
        if (b > a) throw new Revert(panicData(0x11));
        a -= b;
        break;
      case W["uint256-mul"]:
        a *= b;
        if (a > MAX_UINT256) throw new Revert(panicData(0x11));
        break;
      case W["uint256-div"]:
        if (b === 0n) throw new Revert(panicData(0x12));
        a /= b;
        break;
      default: // uint256-power: Solidity's checked exponentiation panics iff the result overflows.
        if (a >= 2n && b > 0n) {
          if (b > 256n) throw new Revert(panicData(0x11));
          a = a ** b;
          if (a > MAX_UINT256) throw new Revert(panicData(0x11));
        } else {
          a = b === 0n ? 1n : a;
        }
    }
  }
  return a;
}

/** The inputs of an n-ary word, first (top of the stack) first. */
function naryInputs(stack: readonly Hex[], h: number, n: number): Float[] {
  const inputs: Float[] = new Array(n);
  for (let i = 0; i < n; i++) inputs[i] = stack[h - 1 - i];
  return inputs;
}

function countOnes(value: bigint): bigint {
  let count = 0n;
  while (value !== 0n) {
    value &= value - 1n;
    count++;
  }
  return count;
}

function runSource(frame: Frame, sourceIndex: number, h: number): number {
  const { program } = frame;
  const source = program.sources[sourceIndex];
  const stack = program.stacks[sourceIndex];
  const handlers = source.handlers;
  const operands = source.operands;
  const constants = program.constants;
  const count = handlers.length;
  const F = frame.float;
  for (let k = 0; k < count; k++) {
    const operand = operands[k];
    switch (handlers[k]) {
      case W.stack:
        stack[h] = stack[operand & 0xffff];
        h++;
        break;
      case W.constant:
        stack[h++] = constants[operand & 0xffff];
        break;
      case W.context:
        stack[h++] = contextRead(frame, operand);
        break;
      case W["bitwise-and"]:
        stack[h - 2] = word(BigInt(stack[h - 1]) & BigInt(stack[h - 2]));
        h--;
        break;
      case W["bitwise-or"]:
        stack[h - 2] = word(BigInt(stack[h - 1]) | BigInt(stack[h - 2]));
        h--;
        break;
      case W["bitwise-count-ones"]:
        stack[h - 1] = word(countOnes(BigInt(stack[h - 1])));
        break;
      case W["bitwise-decode"]: {
        const start = BigInt(operand & 0xff), length = BigInt((operand >> 8) & 0xff);
        stack[h - 1] = word((BigInt(stack[h - 1]) >> start) & ((1n << length) - 1n));
        break;
      }
      case W["bitwise-encode"]: {
        const start = BigInt(operand & 0xff), length = BigInt((operand >> 8) & 0xff);
        const mask = (1n << length) - 1n;
        const source = BigInt(stack[h - 1]);
        let target = BigInt(stack[h - 2]);
        target &= ~(mask << start) & MAX_UINT256;
        target |= ((source & mask) << start) & MAX_UINT256;
        stack[h - 2] = word(target);
        h--;
        break;
      }
      case W["bitwise-shift-left"]:
        stack[h - 1] = word((BigInt(stack[h - 1]) << BigInt(operand & 0xffff)) & MAX_UINT256);
        break;
      case W["bitwise-shift-right"]:
        stack[h - 1] = word(BigInt(stack[h - 1]) >> BigInt(operand & 0xffff));
        break;
      case W.call: {
        const callee = operand & 0xffff;
        const inputs = (operand >> 16) & 0x0f;
        const outputs = operand >>> 20;
        const calleeStack = program.stacks[callee];
        // The caller's top input becomes the callee's bottom item.
        for (let i = 0; i < inputs; i++) calleeStack[i] = stack[h - 1 - i];
        h -= inputs;
        const ch = runSource(frame, callee, inputs);
        for (let i = 0; i < outputs; i++) stack[h + i] = calleeStack[ch - outputs + i];
        h += outputs;
        break;
      }
      case W.hash: {
        const n = (operand >> 16) & 0x0f;
        let packed = "0x";
        for (let i = 1; i <= n; i++) packed += stack[h - i].slice(2);
        h -= n;
        stack[h++] = hashWords(packed);
        break;
      }
      case W["block-number"]:
        stack[h++] = word(frame.env.blockNumber);
        break;
      case W["block-timestamp"]:
      case W.now:
        stack[h++] = word(frame.env.timestamp);
        break;
      case W["chain-id"]:
        stack[h++] = word(frame.env.chainId);
        break;
      case W.any:
      case W.every: {
        const n = (operand >> 16) & 0x0f;
        const any = handlers[k] === W.any;
        let result = stack[h - n];
        for (let i = 1; i <= n; i++) {
          const item = stack[h - i];
          if (isZero(item) !== any) {
            result = any ? item : ZERO;
            break;
          }
        }
        h -= n - 1;
        stack[h - 1] = result;
        break;
      }
      case W["binary-equal-to"]:
        stack[h - 2] = stack[h - 1] === stack[h - 2] ? ONE : ZERO;
        h--;
        break;
      case W.conditions: {
        const n = (operand >> 16) & 0x0f;
        const odd = n % 2;
        let result: Hex | undefined;
        let lastZero = false;
        for (let i = 0; i < n - odd; i += 2) {
          lastZero = isZero(stack[h - 1 - i]);
          if (!lastZero) {
            result = stack[h - 2 - i];
            break;
          }
        }
        if (lastZero) throw new Revert(errorStringData(odd === 1 ? stack[h - n] : ZERO));
        h -= n - 1;
        if (result !== undefined) stack[h - 1] = result;
        break;
      }
      case W.ensure: {
        const condition = stack[h - 1], reason = stack[h - 2];
        h -= 2;
        if (isZero(condition)) throw new Revert(errorStringData(reason));
        break;
      }
      case W["equal-to"]:
        stack[h - 2] = F.eq(stack[h - 1], stack[h - 2]) ? ONE : ZERO;
        h--;
        break;
      case W["greater-than"]:
        stack[h - 2] = F.gt(stack[h - 1], stack[h - 2]) ? ONE : ZERO;
        h--;
        break;
      case W["greater-than-or-equal-to"]:
        stack[h - 2] = F.gte(stack[h - 1], stack[h - 2]) ? ONE : ZERO;
        h--;
        break;
      case W["less-than"]:
        stack[h - 2] = F.lt(stack[h - 1], stack[h - 2]) ? ONE : ZERO;
        h--;
        break;
      case W["less-than-or-equal-to"]:
        stack[h - 2] = F.lte(stack[h - 1], stack[h - 2]) ? ONE : ZERO;
        h--;
        break;
      case W.if:
        stack[h - 3] = isZero(stack[h - 1]) ? stack[h - 3] : stack[h - 2];
        h -= 2;
        break;
      case W["is-zero"]:
        stack[h - 1] = isZero(stack[h - 1]) ? ONE : ZERO;
        break;
      case W.abs:
        stack[h - 1] = F.abs(stack[h - 1]);
        break;
      case W.add: {
        const n = (operand >> 16) & 0x0f;
        if (n === 2) {
          stack[h - 2] = F.add(stack[h - 1], stack[h - 2]);
        } else {
          stack[h - n] = F.addN(naryInputs(stack, h, n));
        }
        h -= n - 1;
        break;
      }
      case W.sub: {
        const n = (operand >> 16) & 0x0f;
        if (n === 2) {
          stack[h - 2] = F.sub(stack[h - 1], stack[h - 2]);
        } else {
          stack[h - n] = F.subN(naryInputs(stack, h, n));
        }
        h -= n - 1;
        break;
      }
      case W.mul: {
        const n = (operand >> 16) & 0x0f;
        if (n === 2) {
          stack[h - 2] = F.mul(stack[h - 1], stack[h - 2]);
        } else {
          stack[h - n] = F.mulN(naryInputs(stack, h, n));
        }
        h -= n - 1;
        break;
      }
      case W.div: {
        const n = (operand >> 16) & 0x0f;
        if (n === 2) {
          stack[h - 2] = F.div(stack[h - 1], stack[h - 2]);
        } else {
          stack[h - n] = F.divN(naryInputs(stack, h, n));
        }
        h -= n - 1;
        break;
      }
      case W.avg:
        stack[h - 2] = F.div(F.add(stack[h - 1], stack[h - 2]), FLOAT_TWO);
        h--;
        break;
      case W.ceil:
        stack[h - 1] = F.ceil(stack[h - 1]);
        break;
      case W.floor:
        stack[h - 1] = F.floor(stack[h - 1]);
        break;
      case W.frac:
        stack[h - 1] = F.frac(stack[h - 1]);
        break;
      case W.headroom: {
        const a = stack[h - 1];
        const room = F.sub(F.ceil(a), a);
        stack[h - 1] = isZero(room) ? FLOAT_ONE : room;
        break;
      }
      case W.inv:
        stack[h - 1] = F.inv(stack[h - 1]);
        break;
      case W.max:
      case W.min: {
        const n = (operand >> 16) & 0x0f;
        const pick = handlers[k] === W.max ? F.max : F.min;
        let a = pick(stack[h - 1], stack[h - 2]);
        for (let i = 3; i <= n; i++) a = pick(a, stack[h - i]);
        h -= n - 1;
        stack[h - 1] = a;
        break;
      }
      case W.e:
        stack[h++] = FLOAT_E;
        break;
      case W["max-negative-value"]:
        stack[h++] = FLOAT_MAX_NEGATIVE_VALUE;
        break;
      case W["max-positive-value"]:
        stack[h++] = FLOAT_MAX_POSITIVE_VALUE;
        break;
      case W["min-negative-value"]:
        stack[h++] = FLOAT_MIN_NEGATIVE_VALUE;
        break;
      case W["min-positive-value"]:
        stack[h++] = FLOAT_MIN_POSITIVE_VALUE;
        break;
      case W["linear-growth"]:
        stack[h - 3] = F.add(stack[h - 1], F.mul(stack[h - 2], stack[h - 3]));
        h -= 2;
        break;
      case W["uint256-add"]:
      case W["uint256-sub"]:
      case W["uint256-mul"]:
      case W["uint256-div"]:
      case W["uint256-power"]: {
        const n = (operand >> 16) & 0x0f;
        const result = uintFold(handlers[k], stack, h, n);
        h -= n - 1;
        stack[h - 1] = word(result);
        break;
      }
      case W["uint256-max-value"]:
        stack[h++] = MAX_WORD;
        break;
      case W.get: {
        const key = stack[h - 1];
        let value = frame.kv.get(key);
        if (value === undefined) {
          // A miss reads the store and caches the value, so read keys come back in the writes.
          value = normalize(
            frame.storeReader.get(frame.store, frame.namespace, key),
            "store value",
          );
          frame.kv.set(key, value);
        }
        stack[h - 1] = value;
        break;
      }
      case W.set:
        frame.kv.set(stack[h - 1], stack[h - 2]);
        h -= 2;
        break;
      default:
        throw new NativeUnsupportedError(`handler ${handlers[k]} has no native implementation`, {
          reason: "internal-error",
          sourceIndex,
          opIndex: k,
        });
    }
  }
  return h;
}

const KV_ENTRIES_WITHOUT_CHECK = 64;

/**
 * Rain's memory KV stores 16-bit pointers and reverts `MemoryKVOverflow` once an entry would sit
 * past 64 KiB of memory, which depends on everything the call put in memory before. Evaluations
 * that might come near that limit (by a generous estimate) are left to the EVM.
 */
function checkKvMemory(request: EvalRequest, entries: number): void {
  let words = request.inputs.length + request.stateOverlay.length + request.context.length;
  for (const column of request.context) words += column.length;
  // Calldata is decoded into memory (bytecode, context, inputs, overlay), then the stacks and the
  // entries (3 words each); doubled for copies, plus slack for Solidity's scratch allocations.
  const estimate = 2 * ((request.bytecode.length - 2) / 2 + 32 * words) + 96 * entries + 8192;
  if (estimate > 0xffff) {
    throw new NativeUnsupportedError(`${entries} key/value entries may overflow Rain's memory KV`, {
      reason: "kv-memory",
    });
  }
}

const PROGRAM_CACHE_LIMIT = 4096;
const programCaches = new WeakMap<OpcodeTable, Map<Hex, CompiledProgram>>();

/**
 * The compiled form of `bytecode` for `table`, from a per-table cache.
 *
 * @example
 * ```ts
 * import { programFor } from "./evaluate.ts";
 * import { RAINTERPRETER_2780CDD6_TABLE } from "./tables.ts";
 * console.log(programFor(RAINTERPRETER_2780CDD6_TABLE, "0x00").malformed); // "malformed-bytecode"
 * ```
 */
export function programFor(table: OpcodeTable, bytecode: Hex): CompiledProgram {
  let cache = programCaches.get(table);
  if (cache === undefined) {
    cache = new Map();
    programCaches.set(table, cache);
  }
  let program = cache.get(bytecode);
  if (program === undefined) {
    program = compileProgram(table, bytecode.toLowerCase() as Hex);
    if (cache.size >= PROGRAM_CACHE_LIMIT) cache.clear();
    cache.set(bytecode, program);
  }
  return program;
}

/** What `evaluateNative` needs besides the request. */
export type EvaluateNativeParameters = {
  /** Opcode table of the interpreter build the request is sent to. */
  readonly table: OpcodeTable;
  readonly request: EvalRequest;
  readonly env: EvalEnv;
  readonly store: StoreReader;
  /** Address reported in revert errors; defaults to `request.interpreter`. */
  readonly interpreter?: Address;
};

function revertError(
  data: Hex,
  interpreter: Address,
  sourceIndex: number,
  env: EvalEnv,
): EvalRevertedError {
  const decoded = decodeRainError(data);
  const where = { interpreter, sourceIndex, block: env.blockNumber };
  return new EvalRevertedError(
    `${interpreter} reverted` +
      (decoded === undefined ? ` with ${data}` : ` with ${decoded.name}`) +
      ` (source ${sourceIndex}, block ${env.blockNumber})`,
    decoded === undefined ? { ...where, data } : { ...where, data, error: decoded },
  );
}

/**
 * Runs one `eval4` natively: same stack (top first) and writes as `Rainterpreter.eval4`, same
 * revert data for the reverts it reproduces.
 *
 * @param parameters Table, request, block environment and store view.
 * @returns The final stack and the key/value writes.
 * @throws EvalRevertedError where Rain reverts (`OddSetLength`, `SourceIndexOutOfBounds`,
 * `InputsLengthMismatch`, context `Panic(0x32)`, uint256 `Panic(0x11/0x12)`, `ensure`/`conditions`
 * `Error(string)`, and the Float errors of the table's rain.math.float version such as
 * `DivisionByZero(int256,int256)` and `ExponentOverflow(int256,int256)`).
 * @throws NativeUnsupportedError when the evaluation must run on the EVM instead.
 * @example
 * ```ts
 * import { encodeRainBytecode } from "./bytecode.ts";
 * import { evaluateNative } from "./evaluate.ts";
 * import { RAINTERPRETER_2780CDD6_TABLE } from "./tables.ts";
 * const result = evaluateNative({
 *   table: RAINTERPRETER_2780CDD6_TABLE,
 *   request: {
 *     interpreter: "0x3bF9bd9DA4784f75c92317e61c68493Ecc9aaBDC",
 *     store: "0x1Aa775533E28B1D843e1A589034984E3a62005DC",
 *     namespace: 0n,
 *     bytecode: encodeRainBytecode({ constants: [], sources: [{ ops: [{ opcode: 26, inputs: 0, outputs: 1, operand: 0 }] }] }),
 *     sourceIndex: 0,
 *     context: [],
 *     inputs: [],
 *     stateOverlay: [],
 *   },
 *   env: { chainId: 1n, blockNumber: 0n, timestamp: 0n },
 *   store: { get: () => `0x${"00".repeat(32)}` },
 * });
 * console.log(result.stack); // [chain id 1 as a word]
 * ```
 */
export function evaluateNative(parameters: EvaluateNativeParameters): EvalResult {
  const { table, request, env } = parameters;
  const interpreter = parameters.interpreter ?? request.interpreter;
  const program = programFor(table, request.bytecode);
  if (program.malformed !== undefined) {
    throw new NativeUnsupportedError(`bytecode is not well-formed Rain bytecode`, {
      reason: program.malformed,
    });
  }
  const sourceIndex = request.sourceIndex;
  if (!Number.isSafeInteger(sourceIndex) || sourceIndex < 0) {
    throw new NativeUnsupportedError(`source index ${sourceIndex} is not a uint256`, {
      reason: "malformed-input",
    });
  }
  try {
    // Same order of checks as `Rainterpreter.eval4` then `LibEval.eval4`.
    const overlay = request.stateOverlay;
    if (overlay.length % 2 !== 0) {
      throw new Revert(`${ODD_SET_LENGTH}${overlay.length.toString(16).padStart(64, "0")}` as Hex);
    }
    const kv = createMemoryKV();
    for (let i = 0; i < overlay.length; i += 2) {
      kv.set(normalize(overlay[i], "overlay key"), normalize(overlay[i + 1], "overlay value"));
    }
    const source = program.sources[sourceIndex];
    if (source === undefined) {
      const inner = `0x${program.serialized.slice(2 + 128 + 64 * program.constants.length)}` as Hex;
      throw new Revert(
        `${SOURCE_INDEX_OUT_OF_BOUNDS}${
          encodeAbiParameters(parseAbiParameters("uint256, bytes"), [BigInt(sourceIndex), inner])
            .slice(2)
        }` as Hex,
      );
    }
    const inputs = request.inputs;
    if (inputs.length !== source.inputs) {
      throw new Revert(
        `${INPUTS_LENGTH_MISMATCH}${source.inputs.toString(16).padStart(64, "0")}${
          inputs.length.toString(16).padStart(64, "0")
        }` as Hex,
      );
    }
    const reason = program.fallback[sourceIndex];
    if (reason !== undefined) {
      throw new NativeUnsupportedError(`source ${sourceIndex} cannot run natively: ${reason}`, {
        reason,
        sourceIndex,
      });
    }
    const stack = program.stacks[sourceIndex];
    // `inputs[0]` is the top of the stack.
    for (let i = 0; i < inputs.length; i++) {
      stack[inputs.length - 1 - i] = normalize(inputs[i], "input");
    }
    const frame: Frame = {
      program,
      context: request.context,
      env,
      storeReader: parameters.store,
      store: request.store,
      namespace: request.namespace,
      kv,
      float: floatOps(table.floatVersion),
    };
    const h = runSource(frame, sourceIndex, inputs.length);
    if (kv.size() > KV_ENTRIES_WITHOUT_CHECK) checkKvMemory(request, kv.size());
    const outputs = source.outputs;
    const result: Hex[] = new Array(outputs);
    for (let i = 0; i < outputs; i++) result[i] = stack[h - 1 - i];
    return { stack: result, writes: kv.toArray() };
  } catch (error) {
    if (error instanceof Revert) throw revertError(error.data, interpreter, sourceIndex, env);
    if (error instanceof FloatError) {
      const data = floatRevertData(error);
      if (data !== undefined) throw revertError(data, interpreter, sourceIndex, env);
      // A Float error vraindex cannot encode: the EVM produces the exact revert data.
      throw new NativeUnsupportedError(`Float ${error.details.op} reverted natively`, {
        reason: "float-error",
        sourceIndex,
      }, { cause: error });
    }
    throw error;
  }
}
