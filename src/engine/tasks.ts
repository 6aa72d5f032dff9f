/**
 * Post tasks (`LibOrderBook.doPost`) and the what-if simulations of the calls that run them:
 * `addOrder3`, `removeOrder3`, `deposit3`, `withdraw3`, `entask2`. Tasks are evaluated only here,
 * never when chain mutations are applied (their writes reach sync through the store's `Set` logs).
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderConfigV4, OrderV4, TaskV2 } from "../abi/mod.ts";
import { type Float, FLOAT_ZERO, gt } from "../float/mod.ts";
import { buildContext } from "./context.ts";
import {
  NotOrderOwnerError,
  NotRainMetaV1Error,
  OrderNoIOError,
  ZeroDepositAmountError,
  ZeroVaultIdError,
  ZeroWithdrawTargetAmountError,
} from "./errors.ts";
import { canonicalOrder, hashOrder, namespaceOf } from "./identity.ts";
import { evalEnvOf } from "./token_state.ts";
import {
  beginOperation,
  type Operation,
  operationMutations,
  storeSet,
  transferTokens,
} from "./operation.ts";
import type { RaindexMutation } from "./mutations.ts";
import { rulesFor } from "./rules.ts";
import type {
  RaindexEvent,
  StoreWrite,
  TokenTransfer,
  VaultChange,
  VirtualRaindex,
} from "./types.ts";
import { addressWord, sameAddress, uintWord } from "./words.ts";

const RAIN_META_MAGIC = "0xff0a89c674ee7874";

/**
 * Source every post task runs.
 *
 * @example
 * ```ts
 * import { POST_TASK_SOURCE } from "./mod.ts";
 * console.log(POST_TASK_SOURCE); // 0
 * ```
 */
export const POST_TASK_SOURCE = 0;

/** What one post task did. */
export type TaskResult = {
  /** Position in the task list. */
  readonly index: number;
  /** `false` for a task with empty bytecode (skipped, as the orderbook does). */
  readonly evaluated: boolean;
  readonly context: readonly (readonly Hex[])[];
  readonly stack: readonly Hex[];
  readonly writes: readonly Hex[];
};

/** What a simulated call did; `mutations` reproduce its state change through `applyMutations`. */
export type ActionResult = {
  /** `false` when the call changed nothing (adding a live order, removing a dead one). */
  readonly stateChanged: boolean;
  readonly tasks: readonly TaskResult[];
  readonly events: readonly RaindexEvent[];
  readonly vaultChanges: readonly VaultChange[];
  readonly storeWrites: readonly StoreWrite[];
  readonly transfers: readonly TokenTransfer[];
  readonly mutations: readonly RaindexMutation[];
};

/** Options shared by the simulations. */
export type SimulateOptions = {
  /** Commit the state change to the engine (default `false`: a what-if). */
  readonly apply?: boolean;
};

/**
 * `doPost(callingColumns, tasks)`: each task with bytecode runs source 0 under the caller's
 * namespace; its writes are set before the next task runs.
 */
async function doPost(
  op: Operation,
  sender: Address,
  callingColumns: readonly Hex[][],
  tasks: readonly TaskV2[],
): Promise<TaskResult[]> {
  const engine = op.engine;
  const results: TaskResult[] = [];
  const namespace = namespaceOf(engine, sender);
  for (let i = 0; i < tasks.length; i++) {
    const env = evalEnvOf(op);
    const task = tasks[i];
    if (task.evaluable.bytecode === "0x" || task.evaluable.bytecode.length <= 2) {
      results.push({ index: i, evaluated: false, context: [], stack: [], writes: [] });
      continue;
    }
    const context = await buildContext(
      { orderbook: engine.orderbook, env, externalState: engine.externalState },
      sender,
      callingColumns.map((column) => column.slice()),
      task.signedContext,
    );
    const result = await engine.host.eval4(
      {
        interpreter: task.evaluable.interpreter,
        store: task.evaluable.store,
        namespace: BigInt(namespace),
        bytecode: task.evaluable.bytecode,
        sourceIndex: POST_TASK_SOURCE,
        context,
        inputs: [],
        stateOverlay: [],
        caller: engine.orderbook,
      },
      env,
      op.draft,
    );
    if (result.writes.length > 0) storeSet(op, task.evaluable.store, namespace, result.writes);
    results.push({
      index: i,
      evaluated: true,
      context,
      stack: result.stack,
      writes: result.writes,
    });
  }
  return results;
}

async function finish(
  op: Operation,
  stateChanged: boolean,
  tasks: TaskResult[],
  options: SimulateOptions,
  orders: readonly { order: OrderV4; live: boolean }[] = [],
): Promise<ActionResult> {
  if (options.apply === true) op.draft.commit();
  return await Promise.resolve({
    stateChanged,
    tasks,
    events: op.events,
    vaultChanges: op.vaultChanges,
    storeWrites: op.storeWrites,
    transfers: op.transfers,
    mutations: operationMutations(op, orders),
  });
}

/** V6 `nonZeroVaultId`: vault 0 is vaultless, so it cannot be deposited to or withdrawn from. */
function checkVaultId(engine: VirtualRaindex, sender: Address, token: Address, vaultId: Hex): void {
  if (engine.version === "v6" && BigInt(vaultId) === 0n) {
    throw new ZeroVaultIdError(`${sender}: vault id 0 of ${token} is vaultless (ZeroVaultId)`, {
      sender,
      token,
    });
  }
}

/** Parameters of `simulateDeposit` (`deposit3` / V6 `deposit4`). */
export type SimulateDepositParameters = {
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  /** The Float amount of the call (what the vault grows by). */
  readonly amount: Float;
  readonly tasks?: readonly TaskV2[];
};

/**
 * Simulates `deposit3` (V6: `deposit4`, which first rejects vault id 0 with `ZeroVaultIdError`):
 * pull (rounded up), `DepositV2`, vault increase, then post tasks with the calling column
 * `[token, vaultId, balanceBefore, balanceAfter, decimals]`.
 *
 * @param engine the engine.
 * @param parameters sender, token, vault id, Float amount, tasks.
 * @param options `apply: true` commits.
 * @returns events, vault changes, task results and reproducing mutations.
 * @example
 * ```ts
 * import { createVirtualRaindex, simulateDeposit } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * await simulateDeposit(engine, { sender: z, token: z, vaultId: `0x${"0".repeat(64)}`, amount: `0x${"0".repeat(64)}` })
 *   .catch((e) => console.log(e.name)); // "ZeroDepositAmountError"
 * ```
 */
export async function simulateDeposit(
  engine: VirtualRaindex,
  parameters: SimulateDepositParameters,
  options: SimulateOptions = {},
): Promise<ActionResult> {
  const op = beginOperation(engine);
  const { sender, token, vaultId, amount } = parameters;
  checkVaultId(engine, sender, token, vaultId);
  if (!gt(amount, FLOAT_ZERO)) {
    throw new ZeroDepositAmountError(`deposit of ${amount} is not > 0`, { sender, token, vaultId });
  }
  const pulled = transferTokens(op, "pull", token, sender, amount);
  op.events.push({
    type: "DepositV2",
    sender,
    token,
    vaultId,
    depositAmountUint256: pulled.amount,
  });
  const change = rulesFor(engine.version).increase(op, sender, token, vaultId, amount);
  const tasks = parameters.tasks ?? [];
  const results = tasks.length === 0 ? [] : await doPost(op, sender, [[
    addressWord(token),
    vaultId.toLowerCase() as Hex,
    change.before,
    change.after,
    uintWord(pulled.decimals),
  ]], tasks);
  return finish(op, true, results, options);
}

/** Parameters of `simulateWithdraw` (`withdraw3` / V6 `withdraw4`). */
export type SimulateWithdrawParameters = {
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  readonly targetAmount: Float;
  readonly tasks?: readonly TaskV2[];
};

/**
 * Simulates `withdraw3` (V6: `withdraw4`, which first rejects vault id 0 with `ZeroVaultIdError`):
 * `withdrawAmount = target.min(balance)`, vault decrease, push (truncated), `WithdrawV2`, then post
 * tasks with `[token, vaultId, before, after, targetAmount, decimals]`.
 *
 * @param engine the engine.
 * @param parameters sender, token, vault id, target amount, tasks.
 * @param options `apply: true` commits.
 * @returns events, vault changes, task results and reproducing mutations.
 * @example
 * ```ts
 * import { createVirtualRaindex, simulateWithdraw } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * await simulateWithdraw(engine, { sender: z, token: z, vaultId: `0x${"0".repeat(64)}`, targetAmount: `0x${"0".repeat(64)}` })
 *   .catch((e) => console.log(e.name)); // "ZeroWithdrawTargetAmountError"
 * ```
 */
export async function simulateWithdraw(
  engine: VirtualRaindex,
  parameters: SimulateWithdrawParameters,
  options: SimulateOptions = {},
): Promise<ActionResult> {
  const op = beginOperation(engine);
  const { sender, token, vaultId, targetAmount } = parameters;
  checkVaultId(engine, sender, token, vaultId);
  if (!gt(targetAmount, FLOAT_ZERO)) {
    throw new ZeroWithdrawTargetAmountError(`withdraw target ${targetAmount} is not > 0`, {
      sender,
      token,
      vaultId,
    });
  }
  const balance = op.draft.vaultBalance(sender, token, vaultId);
  const withdrawAmount = engine.float.min(targetAmount, balance);
  const change = rulesFor(engine.version).decrease(op, sender, token, vaultId, withdrawAmount);
  const pushed = transferTokens(op, "push", token, sender, withdrawAmount);
  op.events.push({
    type: "WithdrawV2",
    sender,
    token,
    vaultId,
    targetAmount,
    withdrawAmount,
    withdrawAmountUint256: pushed.amount,
  });
  const tasks = parameters.tasks ?? [];
  const results = tasks.length === 0 ? [] : await doPost(op, sender, [[
    addressWord(token),
    vaultId.toLowerCase() as Hex,
    change.before,
    change.after,
    targetAmount,
    uintWord(pushed.decimals),
  ]], tasks);
  return finish(op, true, results, options);
}

/** Parameters of `simulateAddOrder` (`addOrder3`): the config and its sender (the owner). */
export type SimulateAddOrderParameters = {
  readonly sender: Address;
  readonly config: OrderConfigV4;
  readonly tasks?: readonly TaskV2[];
};

/**
 * Simulates `addOrder3` (V6 `addOrder4` has the same rules: only `OrderNoInputs`/`OrderNoOutputs`
 * are checked, so an order without a handle-io source is added and quotes, while its takes and
 * clears fail in the interpreter with `SourceIndexOutOfBounds`): the order (owner = sender) becomes live if it was not, `AddOrderV3` and
 * `MetaV1_2` (non-empty meta) are logged and post tasks run with `[orderHash, owner]`. Adding a
 * live order changes nothing and runs no task.
 *
 * @param engine the engine.
 * @param parameters sender and `OrderConfigV4`, tasks.
 * @param options `apply: true` commits.
 * @returns `stateChanged`, events, task results and reproducing mutations.
 * @example
 * ```ts
 * import { createVirtualRaindex, simulateAddOrder } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * const w = `0x${"0".repeat(64)}` as const;
 * await simulateAddOrder(engine, { sender: z, config: { evaluable: { interpreter: z, store: z, bytecode: "0x" },
 *   validInputs: [], validOutputs: [], nonce: w, secret: w, meta: "0x" } }).catch((e) => console.log(e.name)); // "OrderNoIOError"
 * ```
 */
export async function simulateAddOrder(
  engine: VirtualRaindex,
  parameters: SimulateAddOrderParameters,
  options: SimulateOptions = {},
): Promise<ActionResult> {
  const { sender, config } = parameters;
  if (config.validInputs.length === 0) {
    throw new OrderNoIOError("order has no inputs", { side: "input" });
  }
  if (config.validOutputs.length === 0) {
    throw new OrderNoIOError("order has no outputs", { side: "output" });
  }
  const op = beginOperation(engine);
  const order = canonicalOrder({
    owner: sender,
    evaluable: config.evaluable,
    validInputs: config.validInputs,
    validOutputs: config.validOutputs,
    nonce: config.nonce,
  });
  const orderHash = hashOrder(order);
  if (op.draft.getOrder(orderHash)?.live === true) return finish(op, false, [], options);
  op.draft.setOrder({ hash: orderHash, order, live: true });
  op.events.push({ type: "AddOrderV3", sender: order.owner, orderHash, order });
  if (config.meta.length > 2) {
    // LibMeta.checkMetaUnhashedV1: at least 8 bytes starting with the Rain meta magic.
    if (!config.meta.toLowerCase().startsWith(RAIN_META_MAGIC)) {
      throw new NotRainMetaV1Error(`order meta does not start with ${RAIN_META_MAGIC}`, {
        meta: config.meta,
      });
    }
    op.events.push({
      type: "MetaV1_2",
      sender: order.owner,
      subject: orderHash,
      meta: config.meta,
    });
  }
  const results = await doPost(
    op,
    sender,
    [[orderHash, addressWord(sender)]],
    parameters.tasks ?? [],
  );
  return finish(op, true, results, options, [{ order, live: true }]);
}

/** Parameters of `simulateRemoveOrder` (`removeOrder3`). */
export type SimulateRemoveOrderParameters = {
  readonly sender: Address;
  readonly order: OrderV4;
  readonly tasks?: readonly TaskV2[];
};

/**
 * Simulates `removeOrder3`: only the owner may remove; a live order becomes dead, `RemoveOrderV3` is
 * logged and post tasks run with `[orderHash, owner]`; a dead order changes nothing.
 *
 * @param engine the engine.
 * @param parameters sender, order body, tasks.
 * @param options `apply: true` commits.
 * @returns `stateChanged`, events, task results and reproducing mutations.
 * @example
 * ```ts
 * import { createVirtualRaindex, simulateRemoveOrder } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * const order = { owner: z, evaluable: { interpreter: z, store: z, bytecode: "0x" as const },
 *   validInputs: [], validOutputs: [], nonce: `0x${"0".repeat(64)}` as const };
 * console.log((await simulateRemoveOrder(engine, { sender: z, order })).stateChanged); // false
 * ```
 */
export async function simulateRemoveOrder(
  engine: VirtualRaindex,
  parameters: SimulateRemoveOrderParameters,
  options: SimulateOptions = {},
): Promise<ActionResult> {
  const { sender, order } = parameters;
  if (!sameAddress(sender, order.owner)) {
    throw new NotOrderOwnerError(`${sender} cannot remove an order owned by ${order.owner}`, {
      sender,
      owner: order.owner,
    });
  }
  const op = beginOperation(engine);
  const orderHash = hashOrder(order);
  const record = op.draft.getOrder(orderHash);
  if (record?.live !== true) return finish(op, false, [], options);
  op.draft.setOrder({ ...record, live: false });
  op.events.push({ type: "RemoveOrderV3", sender, orderHash, order });
  const results = await doPost(
    op,
    sender,
    [[orderHash, addressWord(sender)]],
    parameters.tasks ?? [],
  );
  return finish(op, true, results, options, [{ order: record.order, live: false }]);
}

/** Parameters of `simulateEntask` (`entask2`). */
export type SimulateEntaskParameters = {
  readonly sender: Address;
  readonly tasks: readonly TaskV2[];
};

/**
 * Simulates `entask2`: the tasks run with no calling column (signers, when any, are column 1); no
 * orderbook event is logged, only the store's `Set`s.
 *
 * @param engine the engine.
 * @param parameters sender and tasks.
 * @param options `apply: true` commits.
 * @returns task results, store writes and reproducing mutations.
 * @example
 * ```ts
 * import { createVirtualRaindex, simulateEntask } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const r = await simulateEntask(engine, { sender: "0x0000000000000000000000000000000000000001", tasks: [] });
 * console.log(r.tasks.length); // 0
 * ```
 */
export async function simulateEntask(
  engine: VirtualRaindex,
  parameters: SimulateEntaskParameters,
  options: SimulateOptions = {},
): Promise<ActionResult> {
  const op = beginOperation(engine);
  const results = await doPost(op, parameters.sender, [], parameters.tasks);
  return finish(op, op.storeWrites.length > 0, results, options);
}
