/**
 * `takeOrders3` (V5) and `takeOrders4` (V6) on the virtual orderbook, read-only (`takeOrders`,
 * `takeOrders4`) or committed (`…AndApplyState`); both run one loop, the differences live in the
 * version's rules (`rules.ts`) and limits.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderV4 } from "../abi/mod.ts";
import { type Float, FLOAT_ZERO, gt, isZero, lt } from "../float/mod.ts";
import {
  calculateOrderIO,
  handleIO,
  type HandleIOResult,
  ioAt,
  recordVaultIO,
} from "./calculate.ts";
import {
  type InsufficientAllowanceError,
  type InsufficientTokenBalanceError,
  type InvalidSignatureError,
  type IOIndexOutOfRangeError,
  MinimumInputError,
  MinimumIOError,
  type NegativeTransferError,
  type NegativeVaultBalanceChangeError,
  type NegativeVaultBalanceError,
  NoOrdersError,
  OrderbookVersionMismatchError,
  type SignatureCheckUnavailableError,
  type TokenBalanceNotTrackedError,
  type TokenDecimalsMissingError,
  TokenMismatchError,
  TokenSelfTradeError,
  type UnsupportedCalculateOutputsError,
  ZeroMaximumInputError,
  ZeroMaximumIOError,
} from "./errors.ts";
import { hashOrder } from "./identity.ts";
import { beginOperation, type Operation, operationMutations, transferTokens } from "./operation.ts";
import { rulesFor } from "./rules.ts";
import type {
  RaindexEvent,
  SignedContexts,
  StoreWrite,
  TokenTransfer,
  VaultChange,
  VirtualRaindex,
} from "./types.ts";
import { sameAddress } from "./words.ts";
import type { RaindexMutation } from "./mutations.ts";
import type { OrderCalculation } from "./calculate.ts";

/** One order of a take (`TakeOrderConfigV4`; `signedContext` may be left out). */
export type TakeOrderConfig = {
  readonly order: OrderV4;
  readonly inputIOIndex: bigint | number;
  readonly outputIOIndex: bigint | number;
  readonly signedContext?: SignedContexts;
};

/** Parameters of `takeOrders`: `TakeOrdersConfigV4` plus the taker (`msg.sender`). */
export type TakeOrdersParameters = {
  /** `msg.sender` of `takeOrders3`: column 0 row 0 and every order's counterparty. */
  readonly taker: Address;
  readonly minimumInput: Float;
  readonly maximumInput: Float;
  readonly maximumIORatio: Float;
  readonly orders: readonly TakeOrderConfig[];
  /** Callback data; the taker callback (`onTakeOrders2`) is not simulated. */
  readonly data?: Hex;
};

/** Parameters of `takeOrders4` (V6): `TakeOrdersConfigV5` plus the taker (`msg.sender`). */
export type TakeOrders4Parameters = {
  /** `msg.sender` of `takeOrders4`: column 0 row 0 and every order's counterparty. */
  readonly taker: Address;
  /** Minimum of the relevant total (taker input when `IOIsInput`, else taker output). */
  readonly minimumIO: Float;
  /** Maximum of the relevant total; must be > 0. */
  readonly maximumIO: Float;
  readonly maximumIORatio: Float;
  /** `true`: `minimumIO`/`maximumIO` limit taker input; `false`: taker output. */
  readonly IOIsInput: boolean;
  readonly orders: readonly TakeOrderConfig[];
  /** Callback data; the taker callback (`onTakeOrders2`) is not simulated. */
  readonly data?: Hex;
};

/** One taken order. */
export type TakenOrder = {
  /** Position in `orders`. */
  readonly index: number;
  readonly orderHash: Hex;
  readonly takerInput: Float;
  readonly takerOutput: Float;
  readonly outputMax: Float;
  readonly ioRatio: Float;
  /** Calculate-io stack and writes. */
  readonly calculateStack: readonly Hex[];
  readonly calculateWrites: readonly Hex[];
  /** Context calculate-io ran with (column 2 empty). */
  readonly calculateContext: readonly (readonly Hex[])[];
  /** Handle-io context (what `ContextV2` logs). */
  readonly handleIOContext: readonly (readonly Hex[])[];
  /** Handle-io stack and writes. */
  readonly handleIOStack: readonly Hex[];
  readonly handleIOWrites: readonly Hex[];
};

/** What a take did (or would do). */
export type TakeOrdersResult = {
  readonly totalTakerInput: Float;
  readonly totalTakerOutput: Float;
  /** Taken orders in order. */
  readonly taken: readonly TakenOrder[];
  /** The logs the chain would emit, in order (skips, `ContextV2`, `TakeOrderV3`, store `Set`s). */
  readonly events: readonly RaindexEvent[];
  /** Vault changes in order. */
  readonly vaultChanges: readonly VaultChange[];
  /** Store writes in order. */
  readonly storeWrites: readonly StoreWrite[];
  /** Mutations that reproduce the state change through `applyMutations`. */
  readonly mutations: readonly RaindexMutation[];
  /**
   * ERC-20 movements in order: V6 vaultless pushes/pulls of order owners inside the loop, then the
   * push of the taker's input and the pull of its output.
   */
  readonly transfers: readonly TokenTransfer[];
  /**
   * `true` when `data` is non-empty: on chain `onTakeOrders2` would be called on the taker between
   * the push and the pull. The engine does not simulate it.
   */
  readonly takerCallback: boolean;
};

/** Errors `takeOrders` can raise (plus any error of the interpreter host). */
export type TakeOrdersErrorType =
  | NoOrdersError
  | ZeroMaximumInputError
  | TokenMismatchError
  | TokenSelfTradeError
  | IOIndexOutOfRangeError
  | TokenDecimalsMissingError
  | InvalidSignatureError
  | SignatureCheckUnavailableError
  | UnsupportedCalculateOutputsError
  | NegativeVaultBalanceError
  | NegativeVaultBalanceChangeError
  | NegativeTransferError
  | MinimumInputError
  | ZeroMaximumIOError
  | MinimumIOError
  | OrderbookVersionMismatchError
  | TokenBalanceNotTrackedError
  | InsufficientTokenBalanceError
  | InsufficientAllowanceError;

function checkTokens(config: TakeOrderConfig, first: TakeOrderConfig, index: number): void {
  const order = config.order;
  // Solidity's `||` short-circuits: an input mismatch reverts before output indices are read.
  const input = ioAt(order, "input", config.inputIOIndex);
  const firstInput = ioAt(first.order, "input", first.inputIOIndex);
  if (!sameAddress(input.token, firstInput.token)) {
    throw new TokenMismatchError(
      `order ${index}: input token ${input.token} != ${firstInput.token}`,
      {
        orderIndex: index,
      },
    );
  }
  const output = ioAt(order, "output", config.outputIOIndex);
  const firstOutput = ioAt(first.order, "output", first.outputIOIndex);
  if (!sameAddress(output.token, firstOutput.token)) {
    throw new TokenMismatchError(
      `order ${index}: output token ${output.token} != ${firstOutput.token}`,
      { orderIndex: index },
    );
  }
  if (sameAddress(input.token, output.token)) {
    throw new TokenSelfTradeError(
      `order ${index}: input and output token are both ${input.token}`,
      {
        token: input.token,
        orderHash: hashOrder(order),
      },
    );
  }
}

/** The limits of one take in the terms both versions share. */
type TakeLimits = {
  readonly version: "v5" | "v6";
  readonly taker: Address;
  readonly minimum: Float;
  readonly maximum: Float;
  readonly maximumIORatio: Float;
  /** `true`: limits on taker input (V5 always); `false`: on taker output (V6 only). */
  readonly IOIsInput: boolean;
  readonly orders: readonly TakeOrderConfig[];
  readonly data?: Hex;
};

function requireVersion(op: Operation, version: "v5" | "v6", operation: string): void {
  if (op.engine.version !== version) {
    throw new OrderbookVersionMismatchError(
      `${operation} is an ${version} orderbook function; this engine has ${op.engine.version} rules${
        version === "v5" ? " (use takeOrders4)" : " (use takeOrders)"
      }`,
      { expected: version, actual: op.engine.version, operation },
    );
  }
}

async function runTake(op: Operation, limits: TakeLimits): Promise<TakeOrdersResult> {
  const rules = rulesFor(op.engine.version);
  const { taker, orders } = limits;
  if (orders.length === 0) throw new NoOrdersError("takeOrders: no orders", {});
  if (limits.version === "v6") {
    // takeOrders4 reads the first order's tokens before the maximum check (an out-of-range
    // index there panics first).
    ioAt(orders[0].order, "input", orders[0].inputIOIndex);
    ioAt(orders[0].order, "output", orders[0].outputIOIndex);
  }
  let remaining = limits.maximum;
  if (!gt(remaining, FLOAT_ZERO)) {
    if (limits.version === "v6") {
      throw new ZeroMaximumIOError(`takeOrders4: maximum IO ${remaining} is not > 0`, {
        maximumIO: remaining,
      });
    }
    throw new ZeroMaximumInputError(`takeOrders: maximum input ${remaining} is not > 0`, {
      maximumInput: remaining,
    });
  }
  let totalTakerInput: Float = FLOAT_ZERO;
  let totalTakerOutput: Float = FLOAT_ZERO;
  const toHandle: { index: number; calc: OrderCalculation; input: Float; output: Float }[] = [];
  for (let i = 0; i < orders.length && gt(remaining, FLOAT_ZERO); i++) {
    const config = orders[i];
    checkTokens(config, orders[0], i);
    const order = config.order;
    const orderHash = hashOrder(order);
    if (op.draft.getOrder(orderHash)?.live !== true) {
      op.events.push({ type: "OrderNotFound", sender: taker, owner: order.owner, orderHash });
      continue;
    }
    const calc = await calculateOrderIO(
      op,
      order,
      config.inputIOIndex,
      config.outputIOIndex,
      taker,
      taker,
      config.signedContext ?? [],
    );
    if (gt(calc.ioRatio, limits.maximumIORatio)) {
      op.events.push({
        type: "OrderExceedsMaxRatio",
        sender: taker,
        owner: order.owner,
        orderHash,
      });
      continue;
    }
    if (isZero(calc.outputMax)) {
      op.events.push({ type: "OrderZeroAmount", sender: taker, owner: order.owner, orderHash });
      continue;
    }
    const amounts = rules.takeAmounts(calc, remaining, op.engine.float, limits.IOIsInput);
    remaining = amounts.remaining;
    totalTakerOutput = op.engine.float.add(totalTakerOutput, amounts.takerOutput);
    totalTakerInput = op.engine.float.add(totalTakerInput, amounts.takerInput);
    recordVaultIO(op, taker, amounts.takerOutput, amounts.takerInput, calc, rules);
    op.events.push({
      type: "TakeOrderV3",
      sender: taker,
      config: {
        order,
        inputIOIndex: BigInt(config.inputIOIndex),
        outputIOIndex: BigInt(config.outputIOIndex),
        signedContext: config.signedContext ?? [],
      },
      input: amounts.takerInput,
      output: amounts.takerOutput,
    });
    toHandle.push({ index: i, calc, input: amounts.takerInput, output: amounts.takerOutput });
  }
  if (limits.version === "v6") {
    const actualIO = limits.IOIsInput ? totalTakerInput : totalTakerOutput;
    if (lt(actualIO, limits.minimum)) {
      throw new MinimumIOError(
        `takeOrders4: total taker ${
          limits.IOIsInput ? "input" : "output"
        } ${actualIO} < minimum ${limits.minimum}`,
        { minimumIO: limits.minimum, actualIO, IOIsInput: limits.IOIsInput },
      );
    }
  } else if (lt(totalTakerInput, limits.minimum)) {
    throw new MinimumInputError(
      `takeOrders: total taker input ${totalTakerInput} < minimum ${limits.minimum}`,
      { minimumInput: limits.minimum, input: totalTakerInput },
    );
  }
  const first = orders[0];
  transferTokens(
    op,
    "push",
    ioAt(first.order, "output", first.outputIOIndex).token,
    taker,
    totalTakerInput,
  );
  transferTokens(
    op,
    "pull",
    ioAt(first.order, "input", first.inputIOIndex).token,
    taker,
    totalTakerOutput,
  );
  const taken: TakenOrder[] = [];
  for (const { index, calc, input, output } of toHandle) {
    const handled: HandleIOResult = await handleIO(op, calc);
    taken.push({
      index,
      orderHash: calc.orderHash,
      takerInput: input,
      takerOutput: output,
      outputMax: calc.outputMax,
      ioRatio: calc.ioRatio,
      calculateStack: calc.stack,
      calculateWrites: calc.writes,
      calculateContext: calc.calculateContext,
      handleIOContext: calc.context,
      handleIOStack: handled.stack,
      handleIOWrites: handled.writes,
    });
  }
  return {
    totalTakerInput,
    totalTakerOutput,
    taken,
    events: op.events,
    vaultChanges: op.vaultChanges,
    storeWrites: op.storeWrites,
    transfers: op.transfers,
    takerCallback: limits.data !== undefined && limits.data.length > 2,
    mutations: operationMutations(op),
  };
}

function v5Limits(op: Operation, p: TakeOrdersParameters): TakeLimits {
  requireVersion(op, "v5", "takeOrders3");
  return {
    version: "v5",
    taker: p.taker,
    minimum: p.minimumInput,
    maximum: p.maximumInput,
    maximumIORatio: p.maximumIORatio,
    IOIsInput: true,
    orders: p.orders,
    data: p.data,
  };
}

function v6Limits(op: Operation, p: TakeOrders4Parameters): TakeLimits {
  requireVersion(op, "v6", "takeOrders4");
  return {
    version: "v6",
    taker: p.taker,
    minimum: p.minimumIO,
    maximum: p.maximumIO,
    maximumIORatio: p.maximumIORatio,
    IOIsInput: p.IOIsInput,
    orders: p.orders,
    data: p.data,
  };
}

/**
 * Simulates `takeOrders3` without changing the engine: the loop over orders with its skips, vault
 * IO, the minimum input check, token movements and every taken order's handle-io.
 *
 * @param engine the engine (unchanged).
 * @param parameters `TakeOrdersConfigV4` fields and the taker.
 * @returns totals, taken orders, the ordered event list, vault changes, store writes, transfers.
 * @example
 * ```ts
 * import { createVirtualRaindex, takeOrders } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const one = `0x${"0".repeat(63)}1` as const;
 * await takeOrders(engine, {
 *   taker: "0x00000000000000000000000000000000000000bb",
 *   minimumInput: one, maximumInput: one, maximumIORatio: one, orders: [],
 * }).catch((e) => console.log(e.name)); // "NoOrdersError"
 * ```
 */
export function takeOrders(
  engine: VirtualRaindex,
  parameters: TakeOrdersParameters,
): Promise<TakeOrdersResult> {
  const op = beginOperation(engine);
  return Promise.resolve().then(() => runTake(op, v5Limits(op, parameters)));
}

/**
 * `takeOrders` that commits its state changes (vaults, store) when it succeeds; on any error the
 * engine is unchanged.
 *
 * @param engine the engine to change.
 * @param parameters `TakeOrdersConfigV4` fields and the taker.
 * @returns the same result as `takeOrders`.
 * @example
 * ```ts
 * import { createVirtualRaindex, takeOrdersAndApplyState } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const zero = `0x${"0".repeat(64)}` as const;
 * await takeOrdersAndApplyState(engine, {
 *   taker: "0x00000000000000000000000000000000000000bb",
 *   minimumInput: zero, maximumInput: zero, maximumIORatio: zero,
 *   orders: [{ order: {} as never, inputIOIndex: 0n, outputIOIndex: 0n }],
 * }).catch((e) => console.log(e.name)); // "ZeroMaximumInputError"
 * ```
 */
export async function takeOrdersAndApplyState(
  engine: VirtualRaindex,
  parameters: TakeOrdersParameters,
): Promise<TakeOrdersResult> {
  const op = beginOperation(engine);
  const result = await runTake(op, v5Limits(op, parameters));
  op.draft.commit();
  return result;
}

/**
 * Simulates OrderBookV6's `takeOrders4` (`TakeOrdersConfigV5`) without changing the engine. With
 * `IOIsInput` the limits are on taker input (as `takeOrders3`); otherwise on taker output:
 * `takerOutput = min(ioRatio × outputMax, remaining)`, `takerInput = takerOutput / ioRatio`
 * (truncated; a ratio of 0 reverts the whole take with Float's `DivisionByZero`). Vaultless IOs
 * (vault id 0) move tokens on the engine's token model inside the loop. Needs a `v6` engine.
 *
 * @param engine a `v6` engine (unchanged).
 * @param parameters `TakeOrdersConfigV5` fields and the taker.
 * @returns totals, taken orders, events, vault changes, store writes, every token movement.
 * @example
 * ```ts
 * import { createVirtualRaindex, takeOrders4 } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host, version: "v6" });
 * const zero = `0x${"0".repeat(64)}` as const;
 * await takeOrders4(engine, {
 *   taker: "0x00000000000000000000000000000000000000bb", minimumIO: zero, maximumIO: zero,
 *   maximumIORatio: zero, IOIsInput: false, orders: [],
 * }).catch((e) => console.log(e.name)); // "NoOrdersError"
 * ```
 */
export function takeOrders4(
  engine: VirtualRaindex,
  parameters: TakeOrders4Parameters,
): Promise<TakeOrdersResult> {
  const op = beginOperation(engine);
  return Promise.resolve().then(() => runTake(op, v6Limits(op, parameters)));
}

/**
 * `takeOrders4` that commits its state changes (vaults, store, token model) when it succeeds; on
 * any error the engine is unchanged.
 *
 * @param engine a `v6` engine.
 * @param parameters `TakeOrdersConfigV5` fields and the taker.
 * @returns the same result as `takeOrders4`.
 * @example
 * ```ts
 * import { createVirtualRaindex, takeOrders4AndApplyState } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const zero = `0x${"0".repeat(64)}` as const;
 * await takeOrders4AndApplyState(engine, {
 *   taker: "0x00000000000000000000000000000000000000bb", minimumIO: zero, maximumIO: zero,
 *   maximumIORatio: zero, IOIsInput: true, orders: [],
 * }).catch((e) => console.log(e.name)); // "OrderbookVersionMismatchError"
 * ```
 */
export async function takeOrders4AndApplyState(
  engine: VirtualRaindex,
  parameters: TakeOrders4Parameters,
): Promise<TakeOrdersResult> {
  const op = beginOperation(engine);
  const result = await runTake(op, v6Limits(op, parameters));
  op.draft.commit();
  return result;
}
