/**
 * Runs Rain interpreter bytecode for the engine: the interpreter host seam, the bytecode cache and the
 * reference host on `@ethereumjs/evm`.
 *
 * @module
 */
export type {
  EvalEnv,
  EvalRequest,
  EvalResult,
  ExternalCallRequest,
  ExternalCallResult,
  ExternalState,
  InterpreterHost,
  StoreReader,
} from "./types.ts";
export {
  BytecodeCollisionError,
  type CodeKind,
  type DecodedRevert,
  type EvalErrorLocation,
  EvalHaltedError,
  EvalOutOfGasError,
  EvalRevertedError,
  ExternalStateUnavailableError,
  InvalidBytecodeEncodingError,
  MissingBytecodeError,
} from "./errors.ts";
export {
  type CodeArtifact,
  type CodeCache,
  type CodeCacheErrorType,
  type CodeEntry,
  createCodeCache,
} from "./code_cache.ts";
export {
  createInterpreterHost,
  type CreateInterpreterHostParameters,
  type Eval4ErrorType,
  type EvmInterpreterHost,
  type HostCallParameters,
  type HostHardfork,
  RAIN_STACK_TRACER,
} from "./host.ts";
export { externalStateUnavailable, noExternalState } from "./external_state.ts";
export {
  decodeEval4ResultBytes,
  encodeEval4Bytes,
  EVAL4_SELECTOR,
  STORE_GET_SELECTOR,
} from "./eval4_abi.ts";
