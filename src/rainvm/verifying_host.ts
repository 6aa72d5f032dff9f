/**
 * The verifying host: runs a sampled fraction of evaluations on both a primary host (normally the
 * native one) and a reference host (normally the EVM host) and fails loudly on any difference.
 *
 * @module
 */
import type { Hex } from "viem";
import type { EvalEnv, EvalRequest, EvalResult, InterpreterHost, StoreReader } from "../evm/mod.ts";
import { HostDivergenceError, type HostOutcome } from "./errors.ts";

/** Options of `createVerifyingHost`. */
export type CreateVerifyingHostParameters = {
  /** Host whose answers are returned. */
  readonly primary: InterpreterHost;
  /** Host the sampled evaluations are checked against. */
  readonly reference: InterpreterHost;
  /** Fraction of evaluations checked, 0–1; 1 checks every call. Default 1. */
  readonly sampleRate?: number;
  /** Random source in [0, 1) for sampling; default `Math.random`. */
  readonly random?: () => number;
};

/** Counts of the verifying host. */
export type VerifyingHostStats = {
  /** Evaluations answered. */
  calls: number;
  /** Evaluations checked against the reference (all agreed, or a divergence was thrown). */
  verified: number;
};

/** The verifying host with its counters. */
export type VerifyingInterpreterHost = InterpreterHost & { readonly stats: VerifyingHostStats };

async function outcomeOf(run: () => Promise<EvalResult>): Promise<HostOutcome> {
  try {
    const { stack, writes } = await run();
    return { ok: true, stack, writes };
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    const message = error instanceof Error ? error.message : String(error);
    const details = (error as { details?: { data?: unknown } } | undefined)?.details;
    const data = typeof details?.data === "string"
      ? (details.data.toLowerCase() as Hex)
      : undefined;
    return data === undefined ? { ok: false, error: name, message } : {
      ok: false,
      error: name,
      data,
      message,
    };
  }
}

function sameWords(a: readonly Hex[], b: readonly Hex[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i].toLowerCase() !== b[i].toLowerCase()) return false;
  return true;
}

/** Which part of two outcomes differs, if any. */
function difference(
  primary: HostOutcome,
  reference: HostOutcome,
): "stack" | "writes" | "outcome" | "error" | undefined {
  if (primary.ok !== reference.ok) return "outcome";
  if (primary.ok && reference.ok) {
    if (!sameWords(primary.stack, reference.stack)) return "stack";
    if (!sameWords(primary.writes, reference.writes)) return "writes";
    return undefined;
  }
  if (!primary.ok && !reference.ok) {
    if (primary.error !== reference.error || primary.data !== reference.data) return "error";
  }
  return undefined;
}

/**
 * Creates the verifying host.
 *
 * @param parameters Primary and reference hosts and the sample rate.
 * @returns A host returning the primary's answers; a sampled evaluation whose answers differ
 * (stack, writes, revert vs not, or a different error/revert data) rejects with
 * `HostDivergenceError` carrying both outcomes.
 * @example
 * ```ts
 * import { createCodeCache, createInterpreterHost } from "../evm/mod.ts";
 * import { createNativeHost } from "./native_host.ts";
 * import { createVerifyingHost } from "./verifying_host.ts";
 * const codeCache = createCodeCache();
 * const evm = createInterpreterHost({ codeCache });
 * const host = createVerifyingHost({
 *   primary: createNativeHost({ fallback: evm, codeCache }),
 *   reference: evm,
 *   sampleRate: 0.05,
 * });
 * console.log(host.stats); // { calls: 0, verified: 0 }
 * ```
 */
export function createVerifyingHost(
  parameters: CreateVerifyingHostParameters,
): VerifyingInterpreterHost {
  const { primary, reference } = parameters;
  const sampleRate = parameters.sampleRate ?? 1;
  if (!(sampleRate >= 0 && sampleRate <= 1)) {
    throw new RangeError(`createVerifyingHost: sampleRate ${sampleRate} is not in [0, 1]`);
  }
  const random = parameters.random ?? Math.random;
  const stats: VerifyingHostStats = { calls: 0, verified: 0 };

  async function one(request: EvalRequest, env: EvalEnv, store: StoreReader): Promise<EvalResult> {
    stats.calls++;
    if (sampleRate === 0 || (sampleRate < 1 && random() >= sampleRate)) {
      return primary.eval4(request, env, store);
    }
    stats.verified++;
    let answer: { result: EvalResult } | { error: unknown } | undefined;
    const primaryOutcome = await outcomeOf(async () => {
      try {
        const result = await primary.eval4(request, env, store);
        answer = { result };
        return result;
      } catch (error) {
        answer = { error };
        throw error;
      }
    });
    const referenceOutcome = await outcomeOf(() => reference.eval4(request, env, store));
    const differs = difference(primaryOutcome, referenceOutcome);
    if (differs !== undefined) {
      throw new HostDivergenceError(
        `hosts diverge on ${differs} for ${request.interpreter} source ${request.sourceIndex} ` +
          `at block ${env.blockNumber}`,
        {
          interpreter: request.interpreter,
          sourceIndex: request.sourceIndex,
          bytecode: request.bytecode,
          differs,
          primary: primaryOutcome,
          reference: referenceOutcome,
        },
      );
    }
    // Agreed: answer exactly as the primary did (its error object, or its result).
    if (answer !== undefined && "error" in answer) throw answer.error;
    return (answer as { result: EvalResult }).result;
  }

  return {
    stats,
    eval4: one,
    async evalMany(requests, env, store) {
      const results: EvalResult[] = [];
      for (const request of requests) results.push(await one(request, env, store));
      return results;
    },
  };
}
