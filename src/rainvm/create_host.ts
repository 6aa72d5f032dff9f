/**
 * One call to get an interpreter host with the chosen back end, so an engine can pick per instance
 * whether evaluations run on the EVM, natively (EVM fallback), or natively checked against the EVM.
 *
 * @module
 */
import {
  type CodeCache,
  createInterpreterHost,
  type EvmInterpreterHost,
  type ExternalState,
  type InterpreterHost,
} from "../evm/mod.ts";
import {
  createNativeHost,
  createNativeHostTelemetry,
  type NativeHostTelemetry,
  type NativeInterpreterHost,
} from "./native_host.ts";
import type { OpcodeTable } from "./tables.ts";
import { createVerifyingHost, type VerifyingHostStats } from "./verifying_host.ts";

/**
 * Which back end answers evaluations:
 *
 * - `"evm"` — the EVM host (`createInterpreterHost`) only.
 * - `"native"` — the native evaluator for known builds, the EVM host for everything else.
 * - `"verify"` — the native host's answers, with a sampled fraction also run on the EVM host;
 *   any difference rejects with `HostDivergenceError`.
 */
export type HostMode = "evm" | "native" | "verify";

/** Options of {@link createHost}. */
export type CreateHostParameters = {
  readonly mode: HostMode;
  /** Interpreter and store code; the interpreter's code hash selects the native opcode table. */
  readonly codeCache: CodeCache;
  /** Answers calls to other contracts on the EVM host (ERC-20 reads, externs, …). */
  readonly externalState?: ExternalState;
  /** `"verify"` only: fraction of evaluations checked against the EVM, 0–1 (default 1). */
  readonly sampleRate?: number;
  /** Native opcode tables; default `DEFAULT_OPCODE_TABLES`. */
  readonly tables?: readonly OpcodeTable[];
};

/** The host {@link createHost} returns. */
export type SelectedInterpreterHost = InterpreterHost & {
  readonly mode: HostMode;
  /** The EVM host underneath (the fallback and reference), e.g. for raw `call`s such as `parse2`. */
  readonly evm: EvmInterpreterHost;
  /** How evaluations ran (native vs fallback by reason); all zero in `"evm"` mode. */
  readonly telemetry: NativeHostTelemetry;
  /** `"verify"` only: evaluations answered and checked. */
  readonly stats?: VerifyingHostStats;
};

/**
 * Creates an interpreter host with the back end `mode` names. Every mode gives the same results
 * and the same typed errors; only speed differs (and `"verify"` adds `HostDivergenceError`).
 *
 * @param parameters Mode, code cache, external state, verify sample rate, tables.
 * @returns The host, with the EVM host underneath and the native telemetry.
 * @throws RangeError for an unknown mode or a sample rate outside [0, 1].
 * @example
 * ```ts
 * import { createCodeCache } from "../evm/mod.ts";
 * import { createHost } from "./create_host.ts";
 * const host = createHost({ mode: "native", codeCache: createCodeCache() });
 * console.log(host.mode, host.telemetry.native); // "native" 0
 * ```
 */
export function createHost(parameters: CreateHostParameters): SelectedInterpreterHost {
  const { mode, codeCache } = parameters;
  const evm = createInterpreterHost({ codeCache, externalState: parameters.externalState });
  const telemetry = createNativeHostTelemetry();
  if (mode === "evm") {
    return {
      mode,
      evm,
      telemetry,
      eval4: (request, env, store) => evm.eval4(request, env, store),
      evalMany: (requests, env, store) => evm.evalMany(requests, env, store),
    };
  }
  if (mode !== "native" && mode !== "verify") {
    throw new RangeError(`createHost: mode ${String(mode)} is not "evm", "native" or "verify"`);
  }
  const native: NativeInterpreterHost = createNativeHost({
    fallback: evm,
    codeCache,
    tables: parameters.tables,
    telemetry,
  });
  if (mode === "native") {
    return {
      mode,
      evm,
      telemetry,
      eval4: (request, env, store) => native.eval4(request, env, store),
      evalMany: (requests, env, store) => native.evalMany(requests, env, store),
    };
  }
  const verifying = createVerifyingHost({
    primary: native,
    reference: evm,
    sampleRate: parameters.sampleRate,
  });
  return {
    mode,
    evm,
    telemetry,
    stats: verifying.stats,
    eval4: (request, env, store) => verifying.eval4(request, env, store),
    evalMany: (requests, env, store) => verifying.evalMany(requests, env, store),
  };
}
