/**
 * Rain interpreter bytecode: its serialized layout and vraindex's native evaluator — an
 * `InterpreterHost` that runs known Rainterpreter builds in-process, bit-exact, with the EVM host
 * as fallback, a verifying host that checks it against the EVM, and `createHost` to pick a back end.
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
export {
  createOpcodeTable,
  DEFAULT_OPCODE_TABLES,
  FIXTURE_INTERPRETER_CODE_HASH,
  FIXTURE_INTERPRETER_TABLE,
  FIXTURE_WORDS,
  NATIVE_WORDS,
  type OpcodeTable,
  RAIN_STANDARD_WORDS,
  RAINTERPRETER_2780CDD6_CODE_HASH,
  RAINTERPRETER_2780CDD6_TABLE,
} from "./tables.ts";
export { evaluateNative, type EvaluateNativeParameters } from "./evaluate.ts";
export {
  createNativeHost,
  type CreateNativeHostParameters,
  createNativeHostTelemetry,
  type NativeHostTelemetry,
  type NativeInterpreterHost,
} from "./native_host.ts";
export {
  createVerifyingHost,
  type CreateVerifyingHostParameters,
  type VerifyingHostStats,
  type VerifyingInterpreterHost,
} from "./verifying_host.ts";
export {
  createHost,
  type CreateHostParameters,
  type HostMode,
  type SelectedInterpreterHost,
} from "./create_host.ts";
export {
  type FallbackReason,
  HostDivergenceError,
  type HostOutcome,
  NativeUnsupportedError,
} from "./errors.ts";
