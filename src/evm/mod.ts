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
