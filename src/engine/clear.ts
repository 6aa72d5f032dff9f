/**
 * `clear3` on the virtual orderbook, read-only (`clear`) or committed (`clearAndApplyState`).
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { ClearConfigV2, ClearStateChangeV2, OrderV4 } from "../abi/mod.ts";
import { type Float, FLOAT_ZERO, type FloatOps, gt, isZero, lt } from "../float/mod.ts";
import {
  calculateOrderIO,
  handleIO,
  type HandleIOResult,
  ioAt,
  type OrderCalculation,
  recordVaultIO,
} from "./calculate.ts";
import {
  ClearZeroAmountError,
  type InvalidSignatureError,
  type IOIndexOutOfRangeError,
  NegativeBountyError,
  type NegativeVaultBalanceChangeError,
  type NegativeVaultBalanceError,
  SameOwnerError,
  type SignatureCheckUnavailableError,
  type TokenDecimalsMissingError,
  TokenMismatchError,
  TokenSelfTradeError,
  type UnsupportedCalculateOutputsError,
} from "./errors.ts";
import { hashOrder } from "./identity.ts";
import { beginOperation, type Operation, operationMutations } from "./operation.ts";
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

/** Parameters of `clear`: `clear3`'s arguments plus the clearer (`msg.sender`). */
export type ClearParameters = {
  /** `msg.sender`: column 0 row 0 of both orders and owner of the bounty vaults. */
  readonly clearer: Address;
  readonly alice: OrderV4;
  readonly bob: OrderV4;
  readonly clearConfig: ClearConfigV2;
  readonly aliceSignedContext?: SignedContexts;
  readonly bobSignedContext?: SignedContexts;
};

/** One side of a clear. */
export type ClearedOrder = {
  readonly orderHash: Hex;
  readonly outputMax: Float;
  readonly ioRatio: Float;
  readonly input: Float;
  readonly output: Float;
  readonly calculateStack: readonly Hex[];
  readonly calculateWrites: readonly Hex[];
  readonly calculateContext: readonly (readonly Hex[])[];
  readonly handleIOContext: readonly (readonly Hex[])[];
  readonly handleIOStack: readonly Hex[];
  readonly handleIOWrites: readonly Hex[];
};

/** What a clear did (or would do). `cleared: false` when an order was dead (`OrderNotFound`). */
export type ClearResult = {
  readonly cleared: boolean;
  /** `AfterClearV2`'s values (absent when not cleared). */
  readonly clearStateChange?: ClearStateChangeV2;
  readonly aliceBounty?: Float;
  readonly bobBounty?: Float;
  readonly alice?: ClearedOrder;
  readonly bob?: ClearedOrder;
  readonly events: readonly RaindexEvent[];
  readonly vaultChanges: readonly VaultChange[];
  readonly storeWrites: readonly StoreWrite[];
  /** ERC-20 movements (V6 vaultless IOs and vault-0 bounties pushed to the clearer), in order. */
  readonly transfers: readonly TokenTransfer[];
  /** Mutations that reproduce the state change through `applyMutations`. */
  readonly mutations: readonly RaindexMutation[];
};

/** Errors `clear` can raise (plus any error of the interpreter host and Float division). */
export type ClearErrorType =
  | SameOwnerError
  | TokenMismatchError
  | TokenSelfTradeError
  | IOIndexOutOfRangeError
  | TokenDecimalsMissingError
  | InvalidSignatureError
  | SignatureCheckUnavailableError
  | UnsupportedCalculateOutputsError
  | NegativeVaultBalanceError
  | NegativeVaultBalanceChangeError
  | NegativeBountyError
  | ClearZeroAmountError;

/** `calculateClearStateAlice`: input = outputMax × ioRatio, capped by the other's outputMax. */
function clearSide(
  self: OrderCalculation,
  other: OrderCalculation,
  float: FloatOps,
): { input: Float; output: Float } {
  let input = float.mul(self.outputMax, self.ioRatio);
  let output = self.outputMax;
  if (gt(input, other.outputMax)) {
    input = other.outputMax;
    output = float.div(input, self.ioRatio);
  }
  return { input, output };
}

function side(
  calc: OrderCalculation,
  input: Float,
  output: Float,
  handled: HandleIOResult,
): ClearedOrder {
  return {
    orderHash: calc.orderHash,
    outputMax: calc.outputMax,
    ioRatio: calc.ioRatio,
    input,
    output,
    calculateStack: calc.stack,
    calculateWrites: calc.writes,
    calculateContext: calc.calculateContext,
    handleIOContext: calc.context,
    handleIOStack: handled.stack,
    handleIOWrites: handled.writes,
  };
}

async function runClear(op: Operation, p: ClearParameters): Promise<ClearResult> {
  const rules = rulesFor(op.engine.version);
  const { alice, bob, clearConfig: cfg, clearer } = p;
  if (sameAddress(alice.owner, bob.owner)) {
    throw new SameOwnerError(`clear: alice and bob are both owned by ${alice.owner}`, {
      owner: alice.owner,
    });
  }
  const aliceOut = ioAt(alice, "output", cfg.aliceOutputIOIndex);
  const bobIn = ioAt(bob, "input", cfg.bobInputIOIndex);
  if (!sameAddress(aliceOut.token, bobIn.token)) {
    throw new TokenMismatchError(
      `clear: alice outputs ${aliceOut.token}, bob wants ${bobIn.token}`,
      {},
    );
  }
  const bobOut = ioAt(bob, "output", cfg.bobOutputIOIndex);
  const aliceIn = ioAt(alice, "input", cfg.aliceInputIOIndex);
  if (!sameAddress(bobOut.token, aliceIn.token)) {
    throw new TokenMismatchError(
      `clear: bob outputs ${bobOut.token}, alice wants ${aliceIn.token}`,
      {},
    );
  }
  // Only alice's pair is checked for self trade (bob's follows from the token match).
  if (sameAddress(aliceIn.token, aliceOut.token)) {
    throw new TokenSelfTradeError(`clear: alice trades ${aliceIn.token} for itself`, {
      token: aliceIn.token,
      orderHash: hashOrder(alice),
    });
  }
  const events = op.events;
  for (const order of [alice, bob]) {
    const orderHash = hashOrder(order);
    if (op.draft.getOrder(orderHash)?.live !== true) {
      events.push({ type: "OrderNotFound", sender: clearer, owner: order.owner, orderHash });
      return {
        cleared: false,
        events,
        vaultChanges: op.vaultChanges,
        storeWrites: op.storeWrites,
        transfers: op.transfers,
        mutations: [],
      };
    }
  }
  events.push({ type: "ClearV3", sender: clearer, alice, bob, clearConfig: cfg });
  const aliceCalc = await calculateOrderIO(
    op,
    alice,
    cfg.aliceInputIOIndex,
    cfg.aliceOutputIOIndex,
    clearer,
    bob.owner,
    p.bobSignedContext ?? [],
  );
  const bobCalc = await calculateOrderIO(
    op,
    bob,
    cfg.bobInputIOIndex,
    cfg.bobOutputIOIndex,
    clearer,
    alice.owner,
    p.aliceSignedContext ?? [],
  );
  const a = clearSide(aliceCalc, bobCalc, op.engine.float);
  const b = clearSide(bobCalc, aliceCalc, op.engine.float);
  const clearStateChange: ClearStateChangeV2 = {
    aliceOutput: a.output,
    bobOutput: b.output,
    aliceInput: a.input,
    bobInput: b.input,
  };
  recordVaultIO(op, clearer, a.input, a.output, aliceCalc, rules);
  recordVaultIO(op, clearer, b.input, b.output, bobCalc, rules);
  const aliceBounty = op.engine.float.sub(a.output, b.input);
  const bobBounty = op.engine.float.sub(b.output, a.input);
  if (lt(aliceBounty, FLOAT_ZERO) || lt(bobBounty, FLOAT_ZERO)) {
    throw new NegativeBountyError(
      `clear: negative bounty (alice ${aliceBounty}, bob ${bobBounty})`,
      {
        aliceBounty,
        bobBounty,
      },
    );
  }
  rules.increase(op, clearer, aliceOut.token, cfg.aliceBountyVaultId, aliceBounty);
  rules.increase(op, clearer, bobOut.token, cfg.bobBountyVaultId, bobBounty);
  events.push({ type: "AfterClearV2", sender: clearer, clearStateChange });
  const aliceHandled = await handleIO(op, aliceCalc);
  const bobHandled = await handleIO(op, bobCalc);
  if (isZero(a.output) && isZero(b.output)) {
    throw new ClearZeroAmountError("clear: both outputs are zero", {});
  }
  return {
    cleared: true,
    clearStateChange,
    aliceBounty,
    bobBounty,
    alice: side(aliceCalc, a.input, a.output, aliceHandled),
    bob: side(bobCalc, b.input, b.output, bobHandled),
    events,
    vaultChanges: op.vaultChanges,
    storeWrites: op.storeWrites,
    transfers: op.transfers,
    mutations: operationMutations(op),
  };
}

/**
 * Simulates `clear3` of alice's and bob's orders without changing the engine.
 *
 * @param engine the engine (unchanged).
 * @param parameters both orders, the clear config, signed contexts and the clearer.
 * @returns the clear state change, bounties, both sides' contexts, events, vault and store changes.
 * @example
 * ```ts
 * import { clear, createVirtualRaindex } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const owner = "0x00000000000000000000000000000000000000cc" as const;
 * const order = { owner, evaluable: { interpreter: owner, store: owner, bytecode: "0x" as const },
 *   validInputs: [], validOutputs: [], nonce: `0x${"0".repeat(64)}` as const };
 * const zero = `0x${"0".repeat(64)}` as const;
 * await clear(engine, { clearer: owner, alice: order, bob: order, clearConfig: {
 *   aliceInputIOIndex: 0n, aliceOutputIOIndex: 0n, bobInputIOIndex: 0n, bobOutputIOIndex: 0n,
 *   aliceBountyVaultId: zero, bobBountyVaultId: zero } }).catch((e) => console.log(e.name)); // "SameOwnerError"
 * ```
 */
export function clear(engine: VirtualRaindex, parameters: ClearParameters): Promise<ClearResult> {
  return runClear(beginOperation(engine), parameters);
}

/**
 * `clear` that commits its state changes when it succeeds; on any error the engine is unchanged.
 *
 * @param engine the engine to change.
 * @param parameters both orders, the clear config, signed contexts and the clearer.
 * @returns the same result as `clear`.
 * @example
 * ```ts
 * import { clearAndApplyState, createVirtualRaindex } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(typeof clearAndApplyState, engine.version);
 * ```
 */
export async function clearAndApplyState(
  engine: VirtualRaindex,
  parameters: ClearParameters,
): Promise<ClearResult> {
  const op = beginOperation(engine);
  const result = await runClear(op, parameters);
  op.draft.commit();
  return result;
}
