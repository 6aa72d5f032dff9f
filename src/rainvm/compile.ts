/**
 * Turns serialized Rain bytecode into what the native eval loop runs: per source, handler ids and
 * full 24-bit operands, checked the way Rain's deploy-time integrity check
 * (`LibIntegrityCheck.integrityCheck2` and each word's `integrity`) checks them. Bytecode that
 * check would reject never runs natively: Rain's eval loop trusts it and would read arbitrary
 * memory, which only the EVM reproduces.
 *
 * @module
 */
import type { Hex } from "viem";
import { decodeRainBytecode, type RainProgram } from "./bytecode.ts";
import type { FallbackReason } from "./errors.ts";
import { type OpcodeTable, RAIN_STANDARD_WORDS } from "./tables.ts";

/** Handler ids: the word's index in Rain's standard table. */
export const W = Object.fromEntries(RAIN_STANDARD_WORDS.map((word, i) => [word, i])) as Record<
  string,
  number
>;

/** One source, ready to run. */
export type CompiledSource = {
  readonly inputs: number;
  readonly outputs: number;
  readonly allocation: number;
  /** Handler id per op (index into Rain's standard words). */
  readonly handlers: Uint8Array;
  /** Full operand per op: `ioByte << 16 | operand16`, as Rain's words see it. */
  readonly operands: Uint32Array;
};

/** A program the native evaluator can run (per source: run natively, or why not). */
export type CompiledProgram = {
  readonly constants: readonly Hex[];
  readonly sources: readonly CompiledSource[];
  /** Per source: why evaluating it (or a source it calls) must fall back; undefined if native. */
  readonly fallback: readonly (FallbackReason | undefined)[];
  /** Whole-program fallback (bytecode not decodable); overrides `fallback`. */
  readonly malformed?: FallbackReason;
  /** One reusable stack per source (evaluation is synchronous, so never shared in flight). */
  readonly stacks: Hex[][];
  /** The serialized bytecode (for `SourceIndexOutOfBounds`, which carries the inner bytecode). */
  readonly serialized: Hex;
};

const tableHandlers = new WeakMap<OpcodeTable, Int16Array>();

function handlersOf(table: OpcodeTable): Int16Array {
  let ids = tableHandlers.get(table);
  if (ids === undefined) {
    ids = new Int16Array(table.words.length).fill(-1);
    table.native.forEach((word, i) => {
      if (word !== undefined && W[word] !== undefined) ids![i] = W[word];
    });
    tableHandlers.set(table, ids);
  }
  return ids;
}

/** Per-op integrity: the op's declared IO must equal what the word computes. */
function integrityIO(
  handler: number,
  operand: number,
  program: RainProgram,
  state: { stackIndex: number; readHighwater: number },
): [number, number] | undefined {
  const n = (operand >> 16) & 0x0f;
  const low = operand & 0xffff;
  switch (handler) {
    case W.stack:
      if (low >= state.stackIndex) return undefined;
      if (low > state.readHighwater) state.readHighwater = low;
      return [0, 1];
    case W.constant:
      return low < program.constants.length ? [0, 1] : undefined;
    case W["bitwise-shift-left"]:
    case W["bitwise-shift-right"]:
      return low === 0 || low > 255 ? undefined : [1, 1];
    case W["bitwise-decode"]:
    case W["bitwise-encode"]: {
      const start = operand & 0xff, length = (operand >> 8) & 0xff;
      if (length === 0 || start + length > 256) return undefined;
      return handler === W["bitwise-encode"] ? [2, 1] : [1, 1];
    }
    case W.call: {
      if (low >= program.sources.length) return undefined;
      const callee = program.sources[low];
      const outputs = operand >>> 20;
      if (callee.outputs < outputs) return undefined;
      return [callee.inputs, outputs];
    }
    case W.hash:
      return [n, 1];
    case W.any:
    case W.every:
      return [n > 0 ? n : 1, 1];
    case W.conditions:
      return [n > 2 ? n : 2, 1];
    case W.add:
    case W.sub:
    case W.mul:
    case W.div:
    case W.max:
    case W.min:
    case W["uint256-add"]:
    case W["uint256-div"]:
    case W["uint256-mul"]:
    case W["uint256-power"]:
    case W["uint256-sub"]:
      return [n > 1 ? n : 2, 1];
    case W.context:
    case W["block-number"]:
    case W["block-timestamp"]:
    case W.now:
    case W["chain-id"]:
    case W.e:
    case W["max-negative-value"]:
    case W["max-positive-value"]:
    case W["min-negative-value"]:
    case W["min-positive-value"]:
    case W["uint256-max-value"]:
      return [0, 1];
    case W["bitwise-count-ones"]:
    case W["is-zero"]:
    case W.abs:
    case W.ceil:
    case W.floor:
    case W.frac:
    case W.headroom:
    case W.inv:
    case W.get:
      return [1, 1];
    case W["bitwise-and"]:
    case W["bitwise-or"]:
    case W["binary-equal-to"]:
    case W["equal-to"]:
    case W["greater-than"]:
    case W["greater-than-or-equal-to"]:
    case W["less-than"]:
    case W["less-than-or-equal-to"]:
    case W.avg:
      return [2, 1];
    case W.ensure:
    case W.set:
      return [2, 0];
    case W.if:
    case W["linear-growth"]:
      return [3, 1];
    default:
      return undefined;
  }
}

function checkSource(
  table: OpcodeTable,
  handlers: Int16Array,
  program: RainProgram,
  index: number,
): { source: CompiledSource; reason?: FallbackReason } {
  const header = program.sources[index];
  const ops = header.ops;
  const ids = new Uint8Array(ops.length);
  const operands = new Uint32Array(ops.length);
  const source = {
    inputs: header.inputs,
    outputs: header.outputs,
    allocation: header.stackAllocation,
    handlers: ids,
    operands,
  };
  const state = { stackIndex: header.inputs, readHighwater: header.inputs };
  let max = header.inputs;
  let reason: FallbackReason | undefined;
  for (let k = 0; k < ops.length; k++) {
    const op = ops[k];
    const operand = (((op.inputs | (op.outputs << 4)) << 16) | op.operand) >>> 0;
    operands[k] = operand;
    if (op.opcode >= table.words.length) {
      reason ??= "opcode-out-of-range";
      continue;
    }
    const handler = handlers[op.opcode];
    if (handler < 0) {
      reason ??= `unsupported-word:${table.words[op.opcode]}`;
      continue;
    }
    ids[k] = handler;
    if (reason !== undefined) continue;
    const io = integrityIO(handler, operand, program, state);
    if (io === undefined || io[0] !== op.inputs || io[1] !== op.outputs) {
      reason = "integrity";
      continue;
    }
    if (io[0] > state.stackIndex) {
      reason = "integrity";
      continue;
    }
    state.stackIndex -= io[0];
    if (state.stackIndex < state.readHighwater) {
      reason = "integrity";
      continue;
    }
    state.stackIndex += io[1];
    if (state.stackIndex > max) max = state.stackIndex;
    if (io[1] > 1) state.readHighwater = state.stackIndex;
  }
  if (
    reason === undefined && (max !== header.stackAllocation || state.stackIndex !== header.outputs)
  ) {
    reason = "integrity";
  }
  return { source, reason };
}

/**
 * Compiles serialized bytecode against an opcode table. Never throws: whatever cannot run natively
 * is recorded as a fallback reason (for the whole program or per source).
 *
 * @param table The build's opcode table.
 * @param serialized Serialized bytecode as `eval4` receives it.
 * @returns The compiled program.
 * @example
 * ```ts
 * import { compileProgram } from "./compile.ts";
 * import { encodeRainBytecode } from "./bytecode.ts";
 * import { RAINTERPRETER_2780CDD6_TABLE } from "./tables.ts";
 * const bytecode = encodeRainBytecode({ constants: [], sources: [{ ops: [{ opcode: 23, inputs: 0, outputs: 1, operand: 0 }] }] });
 * console.log(compileProgram(RAINTERPRETER_2780CDD6_TABLE, bytecode).fallback); // [undefined]
 * ```
 */
export function compileProgram(table: OpcodeTable, serialized: Hex): CompiledProgram {
  let program: RainProgram;
  try {
    program = decodeRainBytecode(serialized);
  } catch {
    return {
      constants: [],
      sources: [],
      fallback: [],
      malformed: "malformed-bytecode",
      stacks: [],
      serialized,
    };
  }
  const handlers = handlersOf(table);
  const checked = program.sources.map((_, i) => checkSource(table, handlers, program, i));
  const sources = checked.map((c) => c.source);
  // A source runs natively only if every source it can reach through `call` does; a cycle would
  // recurse forever on chain (out of gas), so it falls back too.
  const fallback: (FallbackReason | undefined)[] = new Array(sources.length);
  const visiting = new Uint8Array(sources.length);
  const resolve = (i: number): FallbackReason | undefined => {
    if (visiting[i] === 2) return fallback[i];
    if (visiting[i] === 1) return "call-cycle";
    visiting[i] = 1;
    let reason = checked[i].reason;
    if (reason === undefined) {
      const { handlers: ids, operands } = sources[i];
      for (let k = 0; k < ids.length && reason === undefined; k++) {
        if (ids[k] === W.call) reason = resolve(operands[k] & 0xffff);
      }
    }
    visiting[i] = 2;
    fallback[i] = reason;
    return reason;
  };
  for (let i = 0; i < sources.length; i++) resolve(i);
  return {
    constants: program.constants,
    sources,
    fallback,
    stacks: sources.map((s) => new Array<Hex>(s.allocation)),
    serialized,
  };
}
