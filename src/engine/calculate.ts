/**
 * `calculateOrderIO` of the orderbook: builds the calculate-io context, evaluates source 0 under the
 * owner's namespace, caps the max output at the output vault and prepares the handle-io context.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { IOV2, OrderV4 } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";
import { buildContext } from "./context.ts";
import { IOIndexOutOfRangeError, UnsupportedCalculateOutputsError } from "./errors.ts";
import { hashOrder, namespaceOf } from "./identity.ts";
import { evalEnvOf } from "./token_state.ts";
import { type Operation, requireDecimals, storeSet as storeSetExternal } from "./operation.ts";
import type { SignedContexts } from "./types.ts";
import { addressWord, uintWord, ZERO_WORD } from "./words.ts";
import { type OrderbookRules, rulesFor } from "./rules.ts";

/**
 * Source index of calculate-io.
 *
 * @example
 * ```ts
 * import { CALCULATE_IO_SOURCE } from "./mod.ts";
 * console.log(CALCULATE_IO_SOURCE); // 0
 * ```
 */
export const CALCULATE_IO_SOURCE = 0;
/**
 * Source index of handle-io.
 *
 * @example
 * ```ts
 * import { HANDLE_IO_SOURCE } from "./mod.ts";
 * console.log(HANDLE_IO_SOURCE); // 1
 * ```
 */
export const HANDLE_IO_SOURCE = 1;

/** `order.validInputs[index]` / `validOutputs[index]`, or the panic the EVM would raise. */
export function ioAt(order: OrderV4, side: "input" | "output", index: bigint | number): IOV2 {
  const list = side === "input" ? order.validInputs : order.validOutputs;
  const i = BigInt(index);
  if (i < 0n || i >= BigInt(list.length)) {
    throw new IOIndexOutOfRangeError(
      `${side} IO index ${i} out of range: the order has ${list.length} ${side}s`,
      { side, index: i, length: list.length, orderHash: hashOrder(order) },
    );
  }
  return list[Number(i)];
}

/** Everything `calculateOrderIO` produces, plus what calculate-io saw. */
export type OrderCalculation = {
  readonly order: OrderV4;
  readonly orderHash: Hex;
  readonly inputIO: IOV2;
  readonly outputIO: IOV2;
  /** `stack[1].min(outputVaultBalance)`. */
  readonly outputMax: Float;
  /** `stack[0]`. */
  readonly ioRatio: Float;
  /** Final stack, top first. */
  readonly stack: readonly Hex[];
  /** Calculate-io key/value writes (applied only at handle-io). */
  readonly writes: readonly Hex[];
  /** The context calculate-io ran with (column 2 empty). */
  readonly calculateContext: readonly (readonly Hex[])[];
  /** The handle-io context: column 2 `[outputMax, ioRatio]`; diffs are set by `recordVaultIO`. */
  readonly context: Hex[][];
  /** Fully qualified namespace word of the owner. */
  readonly namespace: Hex;
};

function vaultColumn(op: Operation, rules: OrderbookRules, owner: Address, io: IOV2): Hex[] {
  const decimals = requireDecimals(op, io.token);
  const balance = rules.balance(op, owner, io);
  return [
    addressWord(io.token),
    uintWord(decimals),
    io.vaultId.toLowerCase() as Hex,
    balance,
    ZERO_WORD,
  ];
}

/**
 * Runs calculate-io for `order` at the given IO pair with `sender` as `msg.sender` and
 * `counterparty` in the calling column. Reads vault balances and the store through the operation's
 * draft, so earlier vault changes of the same operation are visible.
 */
export async function calculateOrderIO(
  op: Operation,
  order: OrderV4,
  inputIOIndex: bigint | number,
  outputIOIndex: bigint | number,
  sender: Address,
  counterparty: Address,
  signedContext: SignedContexts,
): Promise<OrderCalculation> {
  const engine = op.engine;
  const rules = rulesFor(engine.version);
  const orderHash = hashOrder(order);
  const inputIO = ioAt(order, "input", inputIOIndex);
  const outputIO = ioAt(order, "output", outputIOIndex);
  const callingColumns: Hex[][] = [
    [orderHash, addressWord(order.owner), addressWord(counterparty)],
    // Column 2 (calculations) is a length-0 column during calculate-io.
    [],
    vaultColumn(op, rules, order.owner, inputIO),
    vaultColumn(op, rules, order.owner, outputIO),
  ];
  const env = evalEnvOf(op);
  const calculateContext = await buildContext(
    { orderbook: engine.orderbook, env, externalState: engine.externalState },
    sender,
    callingColumns,
    signedContext,
  );
  const namespace = namespaceOf(engine, order.owner);
  const result = await engine.host.eval4(
    {
      interpreter: order.evaluable.interpreter,
      store: order.evaluable.store,
      namespace: BigInt(namespace),
      bytecode: order.evaluable.bytecode,
      sourceIndex: CALCULATE_IO_SOURCE,
      context: calculateContext,
      inputs: [],
      stateOverlay: [],
      caller: engine.orderbook,
    },
    env,
    op.draft,
  );
  if (result.stack.length < 2) {
    throw new UnsupportedCalculateOutputsError(
      `order ${orderHash}: calculate-io returned ${result.stack.length} stack item(s), needs 2`,
      { orderHash, outputs: result.stack.length },
    );
  }
  const ioRatio = result.stack[0].toLowerCase() as Float;
  const balance = rules.balance(op, order.owner, outputIO);
  // Float.min keeps the second argument's bits on a tie: the vault balance wins.
  const outputMax = op.engine.float.min(result.stack[1].toLowerCase() as Float, balance);
  const context = calculateContext.map((column) => column.slice());
  context[2] = [outputMax, ioRatio];
  return {
    order,
    orderHash,
    inputIO,
    outputIO,
    outputMax,
    ioRatio,
    stack: result.stack,
    writes: result.writes,
    calculateContext,
    context,
    namespace,
  };
}

/**
 * `recordVaultIO(input, output, calculation)` as V5 does it: diff rows set, the input vault
 * increased, then the output vault decreased, then `ContextV2` logged.
 */
export function recordVaultIO(
  op: Operation,
  sender: Address,
  input: Float,
  output: Float,
  calc: OrderCalculation,
  vaults: {
    increase: (
      op: Operation,
      owner: Address,
      token: Address,
      vaultId: Hex,
      amount: Float,
    ) => unknown;
    decrease: (
      op: Operation,
      owner: Address,
      token: Address,
      vaultId: Hex,
      amount: Float,
    ) => unknown;
  },
): void {
  calc.context[3][4] = input;
  calc.context[4][4] = output;
  vaults.increase(op, calc.order.owner, calc.inputIO.token, calc.inputIO.vaultId, input);
  vaults.decrease(op, calc.order.owner, calc.outputIO.token, calc.outputIO.vaultId, output);
  op.events.push({
    type: "ContextV2",
    sender,
    context: calc.context.map((column) => column.slice()),
  });
}

/** What handle-io of one order returned. */
export type HandleIOResult = {
  /** Handle-io stack (ignored by the orderbook). */
  readonly stack: readonly Hex[];
  /** Handle-io writes (already applied to the store). */
  readonly writes: readonly Hex[];
};

/**
 * `handleIO(calculation)`: writes the calculate-io kvs, evaluates source 1 with the handle-io
 * context, writes its kvs. A missing source 1 makes the host reject, failing the whole operation.
 */
export async function handleIO(op: Operation, calc: OrderCalculation): Promise<HandleIOResult> {
  const engine = op.engine;
  const { store, interpreter, bytecode } = calc.order.evaluable;
  if (calc.writes.length > 0) storeSetExternal(op, store, calc.namespace, calc.writes);
  const result = await engine.host.eval4(
    {
      interpreter,
      store,
      namespace: BigInt(calc.namespace),
      bytecode,
      sourceIndex: HANDLE_IO_SOURCE,
      context: calc.context,
      inputs: [],
      stateOverlay: [],
      caller: engine.orderbook,
    },
    evalEnvOf(op),
    op.draft,
  );
  if (result.writes.length > 0) storeSetExternal(op, store, calc.namespace, result.writes);
  return { stack: result.stack, writes: result.writes };
}
