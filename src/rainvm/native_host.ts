/**
 * The native interpreter host: an `InterpreterHost` that runs evaluations in-process when it knows
 * the interpreter build (by runtime code hash) and every word the evaluation reaches, and hands
 * the whole evaluation to a fallback host (normally the EVM host) otherwise.
 *
 * @module
 */
import type {
  CodeCache,
  EvalEnv,
  EvalRequest,
  EvalResult,
  InterpreterHost,
  StoreReader,
} from "../evm/mod.ts";
import { type FallbackReason, NativeUnsupportedError } from "./errors.ts";
import { evaluateNative } from "./evaluate.ts";
import { DEFAULT_OPCODE_TABLES, type OpcodeTable } from "./tables.ts";

/** Counts of how evaluations ran. Mutated in place by the host. */
export type NativeHostTelemetry = {
  /** Evaluations answered natively (results and reverts). */
  native: number;
  fallback: {
    /** Evaluations handed to the fallback host. */
    total: number;
    /** The same, by reason. */
    byReason: Record<string, number>;
  };
};

/** Options of `createNativeHost`. */
export type CreateNativeHostParameters = {
  /** Host for everything the native evaluator does not run (normally `createInterpreterHost`). */
  readonly fallback: InterpreterHost;
  /** The code cache the fallback host uses; interpreter code hashes select the opcode table. */
  readonly codeCache: CodeCache;
  /** Opcode tables by build; default `DEFAULT_OPCODE_TABLES` (Rainterpreter HEAD, fixture). */
  readonly tables?: readonly OpcodeTable[];
  /** Telemetry object to count into; a fresh one is created when omitted. */
  readonly telemetry?: NativeHostTelemetry;
};

/** The native host: an `InterpreterHost` with its telemetry. */
export type NativeInterpreterHost = InterpreterHost & {
  readonly telemetry: NativeHostTelemetry;
  /** The table that would run requests to `interpreter`, if its build is known. */
  tableFor(interpreter: string): OpcodeTable | undefined;
};

/**
 * Creates empty telemetry counters.
 *
 * @returns `{ native: 0, fallback: { total: 0, byReason: {} } }`.
 * @example
 * ```ts
 * import { createNativeHostTelemetry } from "./native_host.ts";
 * console.log(createNativeHostTelemetry().native); // 0
 * ```
 */
export function createNativeHostTelemetry(): NativeHostTelemetry {
  return { native: 0, fallback: { total: 0, byReason: {} } };
}

type Attempt =
  | { readonly kind: "result"; readonly result: EvalResult }
  | { readonly kind: "error"; readonly error: unknown }
  | { readonly kind: "fallback"; readonly reason: FallbackReason };

/**
 * Creates the native host.
 *
 * @param parameters Fallback host, code cache, tables and telemetry.
 * @returns The host; `eval4` and `evalMany` behave as the fallback's would (same results, same
 * typed errors), only faster.
 * @example
 * ```ts
 * import { createCodeCache, createInterpreterHost } from "../evm/mod.ts";
 * import { createNativeHost } from "./native_host.ts";
 * const codeCache = createCodeCache();
 * const host = createNativeHost({ fallback: createInterpreterHost({ codeCache }), codeCache });
 * console.log(host.telemetry); // { native: 0, fallback: { total: 0, byReason: {} } }
 * ```
 */
export function createNativeHost(parameters: CreateNativeHostParameters): NativeInterpreterHost {
  const { fallback, codeCache } = parameters;
  const telemetry = parameters.telemetry ?? createNativeHostTelemetry();
  const tables = new Map<string, OpcodeTable>();
  for (const table of parameters.tables ?? DEFAULT_OPCODE_TABLES) {
    tables.set(table.codeHash.toLowerCase(), table);
  }

  function tableFor(interpreter: string): OpcodeTable | undefined {
    const entry = codeCache.get(interpreter);
    return entry?.kind === "interpreter" ? tables.get(entry.codeHash) : undefined;
  }

  function attempt(request: EvalRequest, env: EvalEnv, store: StoreReader): Attempt {
    const entry = codeCache.get(request.interpreter);
    if (entry === undefined || entry.kind !== "interpreter") {
      return { kind: "fallback", reason: "no-interpreter-code" };
    }
    // The EVM host refuses a store it has no code for; leave that error to it.
    if (!codeCache.has(request.store, "store")) {
      return { kind: "fallback", reason: "no-store-code" };
    }
    const table = tables.get(entry.codeHash);
    if (table === undefined) return { kind: "fallback", reason: "unknown-build" };
    try {
      return {
        kind: "result",
        result: evaluateNative({ table, request, env, store, interpreter: entry.address }),
      };
    } catch (error) {
      if (error instanceof NativeUnsupportedError) {
        return { kind: "fallback", reason: error.details.reason };
      }
      return { kind: "error", error };
    }
  }

  function countFallback(reason: FallbackReason): void {
    telemetry.fallback.total++;
    telemetry.fallback.byReason[reason] = (telemetry.fallback.byReason[reason] ?? 0) + 1;
  }

  return {
    telemetry,
    tableFor,
    eval4(request, env, store) {
      const outcome = attempt(request, env, store);
      if (outcome.kind === "fallback") {
        countFallback(outcome.reason);
        return fallback.eval4(request, env, store);
      }
      telemetry.native++;
      return outcome.kind === "result"
        ? Promise.resolve(outcome.result)
        : Promise.reject(outcome.error);
    },
    async evalMany(requests, env, store) {
      const results: EvalResult[] = new Array(requests.length);
      // Consecutive fallbacks go to the fallback host as one batch; order of results and of the
      // first failure is the order of the requests, as with the fallback host alone.
      let pending: number[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        const batch = pending;
        pending = [];
        const answers = await fallback.evalMany(batch.map((i) => requests[i]), env, store);
        batch.forEach((index, k) => (results[index] = answers[k]));
      };
      for (let i = 0; i < requests.length; i++) {
        const outcome = attempt(requests[i], env, store);
        if (outcome.kind === "fallback") {
          countFallback(outcome.reason);
          pending.push(i);
          continue;
        }
        await flush();
        telemetry.native++;
        if (outcome.kind === "error") throw outcome.error;
        results[i] = outcome.result;
      }
      await flush();
      return results;
    },
  };
}
