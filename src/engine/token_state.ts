/**
 * The external-state seam for the token model: an `ExternalState` that answers ERC-20
 * `balanceOf(account)` and `allowance(owner, orderbook)` of tracked pairs from the engine's token
 * model — as it stands inside the running operation, so an expression evaluated mid-take sees the
 * pushes and pulls of earlier orders — and hands every other call to a fallback (e.g. an RPC
 * source pinned at a block).
 *
 * @module
 */
import { type Address, type Hex, sliceHex } from "viem";
import {
  type ExternalCallRequest,
  type ExternalCallResult,
  type ExternalState,
  externalStateUnavailable,
} from "../evm/mod.ts";
import type { EvalEnv } from "../evm/mod.ts";
import type { Operation } from "./operation.ts";
import type { StateDraft } from "./state.ts";
import { sameAddress } from "./words.ts";

const BALANCE_OF = "0x70a08231";
const ALLOWANCE = "0xdd62ed3e";

type TokenView = { readonly draft: StateDraft; readonly orderbook: Address };

// Each evaluation gets its own env object; the EVM host hands that same object back in every
// external call it makes, which ties the call to the operation (and draft) that started it.
const views = new WeakMap<EvalEnv, TokenView>();

/** A fresh env for one evaluation of `op`, bound to its draft for `tokenModelExternalState`. */
export function evalEnvOf(op: Operation): EvalEnv {
  const env: EvalEnv = { ...op.draft.env };
  views.set(env, { draft: op.draft, orderbook: op.engine.orderbook });
  return env;
}

function word(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

function addressArg(data: Hex, index: number): Address {
  return `0x${sliceHex(data, 4 + index * 32, 4 + (index + 1) * 32).slice(26)}` as Address;
}

function fromModel(request: ExternalCallRequest): ExternalCallResult | undefined {
  const view = views.get(request.env);
  if (view === undefined) return undefined;
  const data = request.data.toLowerCase() as Hex;
  const selector = data.slice(0, 10);
  if (selector === BALANCE_OF && data.length >= 10 + 64) {
    const amount = view.draft.tokenBalance(request.to, addressArg(data, 0));
    return amount === undefined ? undefined : { returnData: word(amount) };
  }
  if (selector === ALLOWANCE && data.length >= 10 + 128) {
    if (!sameAddress(addressArg(data, 1), view.orderbook)) return undefined;
    const amount = view.draft.allowance(request.to, addressArg(data, 0));
    return amount === undefined ? undefined : { returnData: word(amount) };
  }
  return undefined;
}

/**
 * An `ExternalState` that answers `balanceOf` / `allowance(owner, orderbook)` of pairs the
 * engine's token model tracks from the model (live inside the running take or clear), and passes
 * every other call to `fallback`. Give it to the interpreter host (`createInterpreterHost({
 * externalState })`). Calls made outside an engine evaluation, or by a host that copies the env
 * object it was given, go to the fallback.
 *
 * @param fallback where other calls go; without one they fail with `ExternalStateUnavailableError`.
 * @returns the wrapping external state.
 * @example
 * ```ts
 * import { tokenModelExternalState } from "./mod.ts";
 * const external = tokenModelExternalState();
 * console.log(typeof external.call); // "function"
 * ```
 */
export function tokenModelExternalState(fallback?: ExternalState): ExternalState {
  return {
    call(request: ExternalCallRequest): Promise<ExternalCallResult> | ExternalCallResult {
      const answer = fromModel(request);
      if (answer !== undefined) return answer;
      if (fallback !== undefined) return fallback.call(request);
      throw externalStateUnavailable(request);
    },
  };
}
