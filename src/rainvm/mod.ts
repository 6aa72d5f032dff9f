/**
 * Rain interpreter bytecode: its serialized layout (and, later, vraindex's native evaluator).
 *
 * @module
 */
export {
  computeStackSizing,
  decodeRainBytecode,
  encodeRainBytecode,
  InvalidRainProgramError,
  MalformedRainBytecodeError,
} from "./bytecode.ts";
export type {
  DecodeRainBytecodeErrorType,
  EncodeRainBytecodeErrorType,
  InvalidRainProgramReason,
  MalformedRainBytecodeReason,
  RainOp,
  RainProgram,
  RainProgramInput,
  RainSource,
  RainSourceInput,
} from "./bytecode.ts";
