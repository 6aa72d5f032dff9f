/**
 * A scripted `InterpreterHost` for engine unit tests: programs keyed by bytecode, each source a small
 * JS function of the call (context, namespace, store reads) returning a top-first stack and writes.
 * Sources assert what they receive; the host records every call.
 */
import type { Address, Hex } from "viem";
import type {
  EvalEnv,
  EvalRequest,
  EvalResult,
  InterpreterHost,
  StoreReader,
} from "../../src/evm/mod.ts";

/** What a scripted source sees. */
export type ScriptedCall = {
  readonly request: EvalRequest;
  readonly env: EvalEnv;
  readonly context: readonly (readonly Hex[])[];
  /** Store read under the request's store and namespace (zero when unset). */
  get(key: Hex): Hex;
};

/** One source: returns the final stack (top first) and writes. */
export type ScriptedSource = (
  call: ScriptedCall,
) =>
  | { stack: readonly Hex[]; writes?: readonly Hex[] }
  | Promise<{ stack: readonly Hex[]; writes?: readonly Hex[] }>;

/** Error the scripted host raises for a source index the program lacks (`SourceIndexOutOfBounds`). */
export class ScriptedSourceMissingError extends Error {
  override readonly name = "ScriptedSourceMissingError";
}

/** A recorded call. */
export type RecordedCall = { readonly request: EvalRequest; readonly env: EvalEnv };

/** The scripted host plus its call log. */
export type ScriptedHost = InterpreterHost & { readonly calls: RecordedCall[] };

/** Creates a host running `programs[bytecode].sources[sourceIndex]`. */
export function createScriptedHost(
  programs: Record<Hex, readonly ScriptedSource[]>,
): ScriptedHost {
  const table = new Map<string, readonly ScriptedSource[]>();
  for (const [bytecode, sources] of Object.entries(programs)) {
    table.set(bytecode.toLowerCase(), sources);
  }
  const calls: RecordedCall[] = [];
  const run = async (
    request: EvalRequest,
    env: EvalEnv,
    store: StoreReader,
  ): Promise<EvalResult> => {
    calls.push({ request, env });
    const sources = table.get(request.bytecode.toLowerCase());
    if (sources === undefined) throw new Error(`scripted host: no program ${request.bytecode}`);
    const source = sources[request.sourceIndex];
    if (source === undefined) {
      throw new ScriptedSourceMissingError(
        `SourceIndexOutOfBounds: ${request.bytecode} has no source ${request.sourceIndex}`,
      );
    }
    const result = await source({
      request,
      env,
      context: request.context,
      get: (key: Hex) => store.get(request.store as Address, request.namespace, key),
    });
    return { stack: [...result.stack], writes: [...(result.writes ?? [])] };
  };
  return {
    calls,
    eval4(request, env, store) {
      return run(request, env, store);
    },
    async evalMany(requests, env, store) {
      const results: EvalResult[] = [];
      for (const r of requests) results.push(await run(r, env, store));
      return results;
    },
  };
}
