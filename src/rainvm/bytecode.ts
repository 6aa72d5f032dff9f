/**
 * Rain's serialized bytecode: what the expression deployer's `parse2` returns and what
 * `IInterpreterV4.eval4` receives.
 *
 * ```text
 * [uint256 constantsLength][constant 0 … constant n-1 (32 bytes each)][uint256 bytecodeLength][bytecode]
 * bytecode = [sourceCount:1][relativeOffset:2 × sourceCount][source 0][source 1]…
 * source   = [opsCount:1][stackAllocation:1][inputs:1][outputs:1] then opsCount ops
 * op       = [opcode:1][ioByte:1 = inputs | outputs << 4][operand:2]
 * ```
 *
 * Offsets are relative to the first source. The stack allocation and outputs in each header are
 * what Rain's parser writes and its integrity check demands: the highest stack height reached
 * (starting from the source's inputs) and the final height.
 *
 * @module
 */
import type { Hex } from "viem";
import { VraindexError } from "../errors/mod.ts";

/** One 4-byte op. `operand` is the 16-bit operand; inputs/outputs form the IO byte. */
export type RainOp = {
  /** Index into the interpreter's opcode table (0–255). */
  readonly opcode: number;
  /** Stack items the op consumes (0–15). */
  readonly inputs: number;
  /** Stack items the op pushes (0–15). */
  readonly outputs: number;
  /** Low 16 bits of the op's operand (0–65535). */
  readonly operand: number;
};

/** One source to encode. `inputs` defaults to 0; `outputs` and `stackAllocation` are computed. */
export type RainSourceInput = {
  /** Stack items the caller passes in (0–255). Defaults to 0. */
  readonly inputs?: number;
  /** Expected final stack height; checked against the computed one when given. */
  readonly outputs?: number;
  /** Expected stack allocation; checked against the computed one when given. */
  readonly stackAllocation?: number;
  /** The ops, in execution order. */
  readonly ops: readonly RainOp[];
};

/** A program to encode: 32-byte constants and up to 255 sources. */
export type RainProgramInput = {
  /** 32-byte words, `0x` + 64 hex digits each. */
  readonly constants: readonly Hex[];
  /** Sources in index order (calculate-io is 0, handle-io 1 for orders). */
  readonly sources: readonly RainSourceInput[];
};

/** One decoded source: its header fields and ops. */
export type RainSource = {
  readonly inputs: number;
  readonly outputs: number;
  readonly stackAllocation: number;
  readonly ops: readonly RainOp[];
};

/** A decoded program. */
export type RainProgram = {
  readonly constants: readonly Hex[];
  readonly sources: readonly RainSource[];
};

/** Why a program cannot be encoded as Rain would emit it. */
export type InvalidRainProgramReason =
  | "InvalidConstant"
  | "FieldOutOfRange"
  | "TooManySources"
  | "TooManyOps"
  | "StackUnderflow"
  | "StackUnderflowHighwater"
  | "StackTooDeep"
  | "OutputsMismatch"
  | "StackAllocationMismatch"
  | "SourceOffsetOverflow";

/**
 * A program that Rain's parser could not have emitted (a field out of range, a stack that
 * underflows, a header that disagrees with the ops).
 *
 * @example
 * ```ts
 * import { encodeRainBytecode, InvalidRainProgramError } from "./bytecode.ts";
 * try {
 *   encodeRainBytecode({ constants: [], sources: [{ ops: [{ opcode: 71, inputs: 2, outputs: 0, operand: 0 }] }] });
 * } catch (error) {
 *   console.log(error instanceof InvalidRainProgramError && error.details.reason); // "StackUnderflow"
 * }
 * ```
 */
export class InvalidRainProgramError extends VraindexError<{
  readonly reason: InvalidRainProgramReason;
  readonly sourceIndex?: number;
  readonly opIndex?: number;
  readonly field?: string;
  readonly value?: number | string;
  readonly expected?: number;
}> {
  override readonly name = "InvalidRainProgramError";
}

/** Why bytes are not Rain serialized bytecode. Names mirror Rain's `ErrBytecode.sol` where one exists. */
export type MalformedRainBytecodeReason =
  | "InvalidHex"
  | "TruncatedConstants"
  | "TruncatedBytecodeLength"
  | "TruncatedBytecode"
  | "TrailingBytes"
  | "TruncatedHeaderOffsets"
  | "TruncatedHeader"
  | "StackSizingsNotMonotonic"
  | "TruncatedSource"
  | "UnexpectedTrailingOffsetBytes"
  | "UnexpectedSources";

/**
 * Bytes that are not well-formed Rain serialized bytecode. `offset` is the byte offset in the
 * serialized input where the problem was found.
 *
 * @example
 * ```ts
 * import { decodeRainBytecode, MalformedRainBytecodeError } from "./bytecode.ts";
 * try {
 *   decodeRainBytecode("0x00");
 * } catch (error) {
 *   console.log(error instanceof MalformedRainBytecodeError && error.details.reason); // "TruncatedConstants"
 * }
 * ```
 */
export class MalformedRainBytecodeError extends VraindexError<{
  readonly reason: MalformedRainBytecodeReason;
  readonly offset: number;
  readonly sourceIndex?: number;
}> {
  override readonly name = "MalformedRainBytecodeError";
}

/** The errors `encodeRainBytecode` raises. */
export type EncodeRainBytecodeErrorType = InvalidRainProgramError;
/** The errors `decodeRainBytecode` raises. */
export type DecodeRainBytecodeErrorType = MalformedRainBytecodeError;

const WORD_HEX = /^0x[0-9a-fA-F]{64}$/;

function checkField(
  value: number,
  max: number,
  field: string,
  sourceIndex: number,
  opIndex?: number,
): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InvalidRainProgramError(
      `${field} ${value} is not an integer in 0..${max} (source ${sourceIndex}${
        opIndex === undefined ? "" : `, op ${opIndex}`
      })`,
      { reason: "FieldOutOfRange", sourceIndex, opIndex, field, value },
    );
  }
}

/**
 * Stack allocation and final height of a source, computed as Rain's integrity check does: the
 * height starts at `inputs`, each op pops its inputs then pushes its outputs; no op may consume
 * the source's inputs or the results of an earlier multi-output op (the "highwater").
 * Opcode-specific rules (e.g. `stack` reads moving the highwater) are not applied.
 *
 * @example
 * ```ts
 * import { computeStackSizing } from "./bytecode.ts";
 * const constant = (i: number) => ({ opcode: 1, inputs: 0, outputs: 1, operand: i });
 * console.log(computeStackSizing({ ops: [constant(0), constant(1)] })); // { stackAllocation: 2, outputs: 2 }
 * ```
 */
export function computeStackSizing(
  source: RainSourceInput,
  sourceIndex = 0,
): { stackAllocation: number; outputs: number } {
  const inputs = source.inputs ?? 0;
  checkField(inputs, 0xff, "inputs", sourceIndex);
  let height = inputs;
  let max = inputs;
  let highwater = inputs;
  source.ops.forEach((op, opIndex) => {
    checkField(op.opcode, 0xff, "opcode", sourceIndex, opIndex);
    checkField(op.inputs, 0x0f, "op inputs", sourceIndex, opIndex);
    checkField(op.outputs, 0x0f, "op outputs", sourceIndex, opIndex);
    checkField(op.operand, 0xffff, "operand", sourceIndex, opIndex);
    if (op.inputs > height) {
      throw new InvalidRainProgramError(
        `op ${opIndex} of source ${sourceIndex} pops ${op.inputs} items from a stack of ${height}`,
        { reason: "StackUnderflow", sourceIndex, opIndex, value: op.inputs, expected: height },
      );
    }
    height -= op.inputs;
    if (height < highwater) {
      throw new InvalidRainProgramError(
        `op ${opIndex} of source ${sourceIndex} consumes immutable stack items (height ${height} < highwater ${highwater})`,
        {
          reason: "StackUnderflowHighwater",
          sourceIndex,
          opIndex,
          value: height,
          expected: highwater,
        },
      );
    }
    height += op.outputs;
    if (height > max) max = height;
    if (op.outputs > 1) highwater = height;
  });
  if (max > 0xff) {
    throw new InvalidRainProgramError(
      `source ${sourceIndex} needs a stack of ${max} items; Rain's header holds at most 255`,
      { reason: "StackTooDeep", sourceIndex, value: max },
    );
  }
  return { stackAllocation: max, outputs: height };
}

function hexOf(bytes: Uint8Array): Hex {
  let out = "0x";
  for (const byte of bytes) out += byte.toString(16).padStart(2, "0");
  return out as Hex;
}

/**
 * Encodes a program in Rain's serialized bytecode layout, computing each source's header as
 * Rain's parser does.
 *
 * @param program Constants and sources.
 * @returns The serialized bytes, ready for `EvalV4.bytecode` or an order's `EvaluableV4.bytecode`.
 * @throws InvalidRainProgramError when the program is one Rain's parser could not emit.
 *
 * @example
 * ```ts
 * import { encodeRainBytecode } from "./bytecode.ts";
 * // `_ _: 10 2;` with constants 10 and 2 (Floats with exponent 0 are the plain integers).
 * const ten = `0x${"0".repeat(62)}0a` as const;
 * const two = `0x${"0".repeat(62)}02` as const;
 * const hex = encodeRainBytecode({
 *   constants: [ten, two],
 *   sources: [{ ops: [
 *     { opcode: 1, inputs: 0, outputs: 1, operand: 0 },
 *     { opcode: 1, inputs: 0, outputs: 1, operand: 1 },
 *   ] }],
 * });
 * // count 01, offset 0000, header [ops 2, allocation 2, inputs 0, outputs 2], two `constant` ops
 * console.log(hex.slice(-30)); // "010000" + "02020002" + "01100000" + "01100001"
 * ```
 */
export function encodeRainBytecode(program: RainProgramInput): Hex {
  const { constants, sources } = program;
  constants.forEach((constant, index) => {
    if (typeof constant !== "string" || !WORD_HEX.test(constant)) {
      throw new InvalidRainProgramError(
        `constant ${index} is not a 32-byte hex word: ${String(constant)}`,
        { reason: "InvalidConstant", field: `constants[${index}]`, value: String(constant) },
      );
    }
  });
  if (sources.length > 0xff) {
    throw new InvalidRainProgramError(`${sources.length} sources; at most 255 fit the header`, {
      reason: "TooManySources",
      value: sources.length,
    });
  }
  const headerLength = 1 + 2 * sources.length;
  let sourcesLength = 0;
  const sized = sources.map((source, sourceIndex) => {
    if (source.ops.length > 0xff) {
      throw new InvalidRainProgramError(
        `source ${sourceIndex} has ${source.ops.length} ops; at most 255 fit the header`,
        { reason: "TooManyOps", sourceIndex, value: source.ops.length },
      );
    }
    const sizing = computeStackSizing(source, sourceIndex);
    if (source.outputs !== undefined && source.outputs !== sizing.outputs) {
      throw new InvalidRainProgramError(
        `source ${sourceIndex} ends with ${sizing.outputs} stack items, not the ${source.outputs} declared`,
        { reason: "OutputsMismatch", sourceIndex, value: source.outputs, expected: sizing.outputs },
      );
    }
    if (source.stackAllocation !== undefined && source.stackAllocation !== sizing.stackAllocation) {
      throw new InvalidRainProgramError(
        `source ${sourceIndex} needs a stack of ${sizing.stackAllocation}, not the ${source.stackAllocation} declared`,
        {
          reason: "StackAllocationMismatch",
          sourceIndex,
          value: source.stackAllocation,
          expected: sizing.stackAllocation,
        },
      );
    }
    const offset = sourcesLength;
    if (offset > 0xffff) {
      throw new InvalidRainProgramError(
        `source ${sourceIndex} starts ${offset} bytes after the first; offsets are 16-bit`,
        { reason: "SourceOffsetOverflow", sourceIndex, value: offset },
      );
    }
    sourcesLength += 4 + 4 * source.ops.length;
    return { source, sizing, offset };
  });

  const bytecodeLength = headerLength + sourcesLength;
  const out = new Uint8Array(32 + 32 * constants.length + 32 + bytecodeLength);
  const view = new DataView(out.buffer);
  const writeLength = (at: number, value: number) => view.setUint32(at + 28, value);
  writeLength(0, constants.length);
  constants.forEach((constant, i) => {
    for (let b = 0; b < 32; b++) {
      out[32 + 32 * i + b] = parseInt(constant.slice(2 + 2 * b, 4 + 2 * b), 16);
    }
  });
  const codeStart = 32 + 32 * constants.length + 32;
  writeLength(codeStart - 32, bytecodeLength);
  out[codeStart] = sources.length;
  const sourcesStart = codeStart + headerLength;
  sized.forEach(({ source, sizing, offset }, i) => {
    view.setUint16(codeStart + 1 + 2 * i, offset);
    const at = sourcesStart + offset;
    out[at] = source.ops.length;
    out[at + 1] = sizing.stackAllocation;
    out[at + 2] = source.inputs ?? 0;
    out[at + 3] = sizing.outputs;
    source.ops.forEach((op, k) => {
      const opAt = at + 4 + 4 * k;
      out[opAt] = op.opcode;
      out[opAt + 1] = op.inputs | (op.outputs << 4);
      view.setUint16(opAt + 2, op.operand);
    });
  });
  return hexOf(out);
}

function malformed(
  reason: MalformedRainBytecodeReason,
  offset: number,
  message: string,
  sourceIndex?: number,
): MalformedRainBytecodeError {
  return new MalformedRainBytecodeError(`${message} (at byte ${offset})`, {
    reason,
    offset,
    sourceIndex,
  });
}

function bytesOfHex(hex: string): Uint8Array {
  if (typeof hex !== "string" || !/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    throw malformed("InvalidHex", 0, "serialized bytecode is not 0x-prefixed hex of whole bytes");
  }
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 + 2 * i, 4 + 2 * i), 16);
  return out;
}

/** Reads a 32-byte big-endian length word; lengths beyond 2^53 are reported as Infinity. */
function readLength(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let i = 0; i < 32; i++) {
    value = value * 256 + bytes[at + i];
    if (value > Number.MAX_SAFE_INTEGER) return Infinity;
  }
  return value;
}

/**
 * Decodes Rain serialized bytecode, validating it structurally the way Rain's
 * `LibBytecode.checkNoOOBPointers` does (sources contiguous and in order, headers monotonic:
 * inputs ≤ outputs ≤ stack allocation) and requiring the lengths to cover the input exactly.
 * Ops are not interpreted, so any opcode is accepted.
 *
 * @param hex Serialized bytecode, `0x`-prefixed.
 * @returns The constants and, per source, its header fields and ops.
 * @throws MalformedRainBytecodeError naming what is wrong and where.
 *
 * @example
 * ```ts
 * import { decodeRainBytecode, encodeRainBytecode } from "./bytecode.ts";
 * const hex = encodeRainBytecode({ constants: [], sources: [{ ops: [{ opcode: 23, inputs: 0, outputs: 1, operand: 0 }] }] });
 * console.log(decodeRainBytecode(hex).sources[0]); // { inputs: 0, outputs: 1, stackAllocation: 1, ops: [...] }
 * ```
 */
export function decodeRainBytecode(hex: Hex): RainProgram {
  const bytes = bytesOfHex(hex);
  if (bytes.length < 32) throw malformed("TruncatedConstants", 0, "no constants length word");
  const constantsLength = readLength(bytes, 0);
  if (32 + 32 * constantsLength > bytes.length) {
    throw malformed(
      "TruncatedConstants",
      0,
      `${constantsLength} constants do not fit in ${bytes.length} bytes`,
    );
  }
  const constants: Hex[] = [];
  for (let i = 0; i < constantsLength; i++) {
    constants.push(hexOf(bytes.subarray(32 + 32 * i, 64 + 32 * i)));
  }
  const lengthAt = 32 + 32 * constantsLength;
  if (lengthAt + 32 > bytes.length) {
    throw malformed("TruncatedBytecodeLength", lengthAt, "no bytecode length word");
  }
  const codeLength = readLength(bytes, lengthAt);
  const codeStart = lengthAt + 32;
  if (codeStart + codeLength > bytes.length) {
    throw malformed(
      "TruncatedBytecode",
      codeStart,
      `bytecode of ${codeLength} bytes does not fit`,
    );
  }
  if (codeStart + codeLength < bytes.length) {
    throw malformed(
      "TrailingBytes",
      codeStart + codeLength,
      `${bytes.length - codeStart - codeLength} bytes after the bytecode`,
    );
  }
  const code = bytes.subarray(codeStart);
  const count = code.length === 0 ? 0 : code[0];
  if (count === 0) {
    if (code.length > 1) {
      throw malformed("UnexpectedSources", codeStart, "bytes after a source count of 0");
    }
    return { constants, sources: [] };
  }
  const sourcesStart = 1 + 2 * count;
  if (sourcesStart > code.length) {
    throw malformed("TruncatedHeaderOffsets", codeStart, `${count} source offsets do not fit`);
  }
  // Walk from the last source back, as Rain does: each source must end where the next begins.
  const sources: RainSource[] = new Array(count);
  let end = code.length;
  for (let i = count - 1; i >= 0; i--) {
    const relative = (code[1 + 2 * i] << 8) | code[2 + 2 * i];
    const at = sourcesStart + relative;
    if (at + 4 > end) {
      throw malformed("TruncatedHeader", codeStart + at, `source ${i} header runs past its end`, i);
    }
    const [opsCount, stackAllocation, inputs, outputs] = code.subarray(at, at + 4);
    if (inputs > outputs || outputs > stackAllocation) {
      throw malformed(
        "StackSizingsNotMonotonic",
        codeStart + at,
        `source ${i} header has inputs ${inputs}, outputs ${outputs}, allocation ${stackAllocation}`,
        i,
      );
    }
    if (at + 4 + 4 * opsCount !== end) {
      throw malformed(
        "TruncatedSource",
        codeStart + at,
        `source ${i} declares ${opsCount} ops but spans ${end - at - 4} bytes`,
        i,
      );
    }
    const ops: RainOp[] = [];
    for (let k = 0; k < opsCount; k++) {
      const opAt = at + 4 + 4 * k;
      ops.push({
        opcode: code[opAt],
        inputs: code[opAt + 1] & 0x0f,
        outputs: code[opAt + 1] >> 4,
        operand: (code[opAt + 2] << 8) | code[opAt + 3],
      });
    }
    sources[i] = { inputs, outputs, stackAllocation, ops };
    end = at;
  }
  if (end !== sourcesStart) {
    throw malformed(
      "UnexpectedTrailingOffsetBytes",
      codeStart + sourcesStart,
      `${end - sourcesStart} bytes between the offsets and the first source`,
    );
  }
  return { constants, sources };
}
