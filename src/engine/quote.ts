/**
 * `quote2` on the virtual orderbook.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderV4 } from "../abi/mod.ts";
import { type Float, FLOAT_ZERO } from "../float/mod.ts";
import { calculateOrderIO, ioAt } from "./calculate.ts";
import {
  type InvalidSignatureError,
  type IOIndexOutOfRangeError,
  OrderNotFoundError,
  type SignatureCheckUnavailableError,
  type TokenDecimalsMissingError,
  TokenSelfTradeError,
  type UnsupportedCalculateOutputsError,
} from "./errors.ts";
import { hashOrder } from "./identity.ts";
import { beginOperation } from "./operation.ts";
import type { SignedContexts, VirtualRaindex } from "./types.ts";
import { sameAddress } from "./words.ts";

/** Parameters of `quote`: the order by hash (must be known) or by body, and the IO pair. */
export type QuoteParameters =
  & {
    /** Index into `validInputs`. */
    readonly inputIOIndex: bigint | number;
    /** Index into `validOutputs`. */
    readonly outputIOIndex: bigint | number;
    /** The quote caller: `msg.sender` of `quote2`, so both column 0 row 0 and the counterparty. */
    readonly counterparty: Address;
    /** Signed contexts passed to the order. */
    readonly signedContext?: SignedContexts;
  }
  & (
    | { readonly orderHash: Hex; readonly order?: undefined }
    | { readonly order: OrderV4; readonly orderHash?: undefined }
  );

/** What `quote` returns; `exists: false` (zeros, empty arrays) for an order that is not live. */
export type QuoteResult = {
  /** `true` when the order is live (`quote2`'s first return value). */
  readonly exists: boolean;
  /** `stack[1].min(outputVaultBalance)`. */
  readonly maxOutput: Float;
  /** `stack[0]`. */
  readonly ioRatio: Float;
  /** Calculate-io's final stack, top first. */
  readonly stack: readonly Hex[];
  /** Calculate-io's key/value writes (a quote never applies them). */
  readonly writes: readonly Hex[];
  /** The context calculate-io ran with (column 2 empty). */
  readonly context: readonly (readonly Hex[])[];
  /** The order's hash. */
  readonly orderHash: Hex;
};

/** Errors `quote` can raise (plus any error of the interpreter host). */
export type QuoteErrorType =
  | OrderNotFoundError
  | TokenSelfTradeError
  | IOIndexOutOfRangeError
  | TokenDecimalsMissingError
  | InvalidSignatureError
  | SignatureCheckUnavailableError
  | UnsupportedCalculateOutputsError;

/**
 * Quotes an order as `quote2` would for `counterparty` calling it: calculate-io (source 0) with the
 * exact calculate-io context under the owner's namespace; nothing is written.
 *
 * @param engine the engine.
 * @param parameters order (hash or body), IO indices, counterparty, signed context.
 * @returns `{ exists, maxOutput, ioRatio, stack, writes, context }`.
 * @example
 * ```ts
 * import { createVirtualRaindex, quote } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * await quote(engine, {
 *   orderHash: `0x${"1".repeat(64)}`,
 *   inputIOIndex: 0n,
 *   outputIOIndex: 0n,
 *   counterparty: "0x00000000000000000000000000000000000000bb",
 * }).catch((e) => console.log(e.name)); // "OrderNotFoundError"
 * ```
 */
export async function quote(
  engine: VirtualRaindex,
  parameters: QuoteParameters,
): Promise<QuoteResult> {
  const op = beginOperation(engine);
  let order: OrderV4;
  let live: boolean;
  if (parameters.order !== undefined) {
    order = parameters.order;
    live = op.draft.getOrder(hashOrder(order))?.live === true;
  } else {
    const record = op.draft.getOrder(parameters.orderHash);
    if (record === undefined) {
      throw new OrderNotFoundError(`order ${parameters.orderHash} is unknown to the engine`, {
        orderHash: parameters.orderHash.toLowerCase() as Hex,
      });
    }
    order = record.order;
    live = record.live;
  }
  const orderHash = hashOrder(order);
  if (!live) {
    return {
      exists: false,
      maxOutput: FLOAT_ZERO,
      ioRatio: FLOAT_ZERO,
      stack: [],
      writes: [],
      context: [],
      orderHash,
    };
  }
  const input = ioAt(order, "input", parameters.inputIOIndex);
  const output = ioAt(order, "output", parameters.outputIOIndex);
  if (sameAddress(input.token, output.token)) {
    throw new TokenSelfTradeError(
      `order ${orderHash}: input and output token are both ${input.token}`,
      {
        token: input.token,
        orderHash,
      },
    );
  }
  const calc = await calculateOrderIO(
    op,
    order,
    parameters.inputIOIndex,
    parameters.outputIOIndex,
    parameters.counterparty,
    parameters.counterparty,
    parameters.signedContext ?? [],
  );
  return {
    exists: true,
    maxOutput: calc.outputMax,
    ioRatio: calc.ioRatio,
    stack: calc.stack,
    writes: calc.writes,
    context: calc.calculateContext,
    orderHash,
  };
}
