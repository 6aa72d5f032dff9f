/**
 * A running operation: the draft it writes to and the records it collects (events, vault changes,
 * store writes, transfers), plus the state primitives every rule shares (vault increase/decrease,
 * `store.set`, token push/pull).
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { type Float, lt } from "../float/mod.ts";
import type { EvalEnv } from "../evm/mod.ts";
import {
  InsufficientAllowanceError,
  InsufficientTokenBalanceError,
  NegativeTransferError,
  NegativeVaultBalanceChangeError,
  NegativeVaultBalanceError,
  OddSetLengthError,
  TokenBalanceNotTrackedError,
  TokenDecimalsMissingError,
} from "./errors.ts";
import { StateDraft } from "./state.ts";
import type {
  RaindexEvent,
  StoreWrite,
  TokenTransfer,
  VaultChange,
  VirtualRaindex,
} from "./types.ts";
import { MAX_UINT256, sameAddress, vaultKey, ZERO_WORD } from "./words.ts";
import type { OrderV4 } from "../abi/mod.ts";
import type { RaindexMutation } from "./mutations.ts";

/** Mutable record of one operation in progress. */
export type Operation = {
  readonly engine: VirtualRaindex;
  readonly draft: StateDraft;
  readonly events: RaindexEvent[];
  readonly vaultChanges: VaultChange[];
  readonly storeWrites: StoreWrite[];
  readonly transfers: TokenTransfer[];
  /** ERC-20 movements that touched the token model (tracked balances or allowances), in order. */
  readonly tokenMoves: TokenMove[];
};

/** One ERC-20 movement as the token model applies it (amount in token units). */
export type TokenMove = {
  readonly token: Address;
  readonly from: Address;
  readonly to: Address;
  readonly amount: bigint;
  /** `true` for the orderbook's `transferFrom` pulls: the `from` allowance to it is spent. */
  readonly spendAllowance: boolean;
};

/** Starts an operation on a fresh draft of the engine's committed state. */
export function beginOperation(engine: VirtualRaindex): Operation {
  return {
    engine,
    draft: new StateDraft(engine.state),
    events: [],
    vaultChanges: [],
    storeWrites: [],
    transfers: [],
    tokenMoves: [],
  };
}

/** The env evaluations of this operation see. */
export function envOf(op: Operation): EvalEnv {
  return op.draft.env;
}

const FLOAT_ZERO_WORD = ZERO_WORD as Float;

// A packed Float is negative exactly when its int224 coefficient (the low 28 bytes) is: the sign bit
// is the top bit of hex digit 10. Vault changes check every amount and result this way instead of
// decoding both sides of a comparison with zero.
function isNegative(value: Float): boolean {
  return value.length === 66 ? value.charCodeAt(10) >= 56 : lt(value, FLOAT_ZERO_WORD);
}

/** `increaseVaultBalance(owner, token, vaultId, amount)` of the orderbook. */
export function increaseVault(
  op: Operation,
  owner: Address,
  token: Address,
  vaultId: Hex,
  amount: Float,
): VaultChange {
  if (isNegative(amount)) {
    throw new NegativeVaultBalanceChangeError(
      `vault increase by a negative amount ${amount} (owner ${owner}, token ${token}, vault ${vaultId})`,
      { amount },
    );
  }
  const key = vaultKey(owner, token, vaultId);
  const before = op.draft.vaultBalanceAt(key);
  const after = op.engine.float.add(before, amount);
  if (isNegative(after)) {
    throw new NegativeVaultBalanceError(`vault ${owner}/${token}/${vaultId} would be ${after}`, {
      owner,
      token,
      vaultId,
      balance: after,
    });
  }
  op.draft.setVaultBalanceAt(key, after);
  const change: VaultChange = { owner, token, vaultId, op: "increase", amount, before, after };
  op.vaultChanges.push(change);
  return change;
}

/** `decreaseVaultBalance(owner, token, vaultId, amount)` of the orderbook. */
export function decreaseVault(
  op: Operation,
  owner: Address,
  token: Address,
  vaultId: Hex,
  amount: Float,
): VaultChange {
  if (isNegative(amount)) {
    throw new NegativeVaultBalanceChangeError(
      `vault decrease by a negative amount ${amount} (owner ${owner}, token ${token}, vault ${vaultId})`,
      { amount },
    );
  }
  const key = vaultKey(owner, token, vaultId);
  const before = op.draft.vaultBalanceAt(key);
  const after = op.engine.float.sub(before, amount);
  if (isNegative(after)) {
    throw new NegativeVaultBalanceError(
      `vault ${owner}/${token}/${vaultId} would go negative: ${before} - ${amount}`,
      { owner, token, vaultId, balance: after },
    );
  }
  op.draft.setVaultBalanceAt(key, after);
  const change: VaultChange = { owner, token, vaultId, op: "decrease", amount, before, after };
  op.vaultChanges.push(change);
  return change;
}

/** `store.set(namespace, kvs)`: pairs applied in order, each logged as a `Set` event. */
export function storeSet(op: Operation, store: Address, namespace: Hex, kvs: readonly Hex[]): void {
  if (kvs.length % 2 !== 0) {
    throw new OddSetLengthError(`store ${store}: odd key/value list of ${kvs.length} words`, {
      store,
      length: kvs.length,
    });
  }
  const fqn = BigInt(namespace);
  for (let i = 0; i < kvs.length; i += 2) {
    const key = kvs[i].toLowerCase() as Hex;
    const value = kvs[i + 1].toLowerCase() as Hex;
    op.draft.storeSet(store, namespace, key, value);
    op.storeWrites.push({ store, namespace, key, value });
    op.events.push({ type: "Set", store, namespace: fqn, key, value });
  }
}

/** Decimals of a token as the orderbook's TOFU store holds them; missing is an error, never 18. */
export function requireDecimals(op: Operation, token: Address): number {
  const decimals = op.draft.tokenDecimals(token);
  if (decimals === undefined) {
    throw new TokenDecimalsMissingError(
      `no decimals recorded for token ${token}; set them with a setTokenDecimals mutation`,
      { token },
    );
  }
  return decimals;
}

/**
 * `pushTokens` / `pullTokens`: the Float truncated (push) or rounded up (pull) to token units,
 * applied to the token model. With `requireTrackedSender` (V6 vaultless IOs) a non-zero movement
 * from an untracked sender is an error rather than unchecked. Returns the units and the decimals.
 */
export function transferTokens(
  op: Operation,
  direction: "push" | "pull",
  token: Address,
  account: Address,
  amount: Float,
  requireTrackedSender = false,
): { amount: bigint; decimals: number } {
  const decimals = requireDecimals(op, token);
  if (isNegative(amount)) {
    throw new NegativeTransferError(`negative ${direction} of ${amount} ${token}`, {
      direction,
      amount,
    });
  }
  const fixed = op.engine.float.toFixedDecimalLossy(amount, decimals);
  const units = direction === "pull" && !fixed.lossless ? fixed.value + 1n : fixed.value;
  if (units > 0n) {
    op.transfers.push({ direction, token, account, amount: units, decimals });
    const orderbook = op.engine.orderbook;
    const move: TokenMove = direction === "push"
      ? { token, from: orderbook, to: account, amount: units, spendAllowance: false }
      : { token, from: account, to: orderbook, amount: units, spendAllowance: true };
    if (requireTrackedSender && op.draft.tokenBalance(token, move.from) === undefined) {
      throw new TokenBalanceNotTrackedError(
        `token model has no balance of ${token} for ${move.from}, which must pay a vaultless ${direction}; seed it with a setTokenBalances mutation`,
        { token, account: move.from, kind: "balance" },
      );
    }
    if (moveTokens(op.draft, move, orderbook)) op.tokenMoves.push(move);
  }
  return { amount: units, decimals };
}

/**
 * Applies one ERC-20 movement to the token model as an OpenZeppelin ERC-20 would: for a
 * `transferFrom` the allowance is spent first (never when it is `2^256 − 1`), then the balances
 * move. Untracked sides are left alone (the model only knows what it was seeded with).
 *
 * @returns `true` when a tracked balance or allowance was read or changed.
 */
export function moveTokens(draft: StateDraft, move: TokenMove, orderbook: Address): boolean {
  const { token, from, to, amount } = move;
  let touched = false;
  if (move.spendAllowance) {
    const allowance = draft.allowance(token, from);
    if (allowance !== undefined) {
      touched = true;
      if (allowance < amount) {
        throw new InsufficientAllowanceError(
          `${from} allows the orderbook ${orderbook} ${allowance} of ${token}, needs ${amount}`,
          { token, owner: from, allowance, needed: amount },
        );
      }
      if (allowance !== MAX_UINT256) draft.setAllowance(token, from, allowance - amount);
    }
  }
  const fromBalance = draft.tokenBalance(token, from);
  if (fromBalance !== undefined) {
    touched = true;
    if (fromBalance < amount) {
      throw new InsufficientTokenBalanceError(
        `${from} holds ${fromBalance} of ${token}, needs ${amount}`,
        { token, account: from, balance: fromBalance, needed: amount },
      );
    }
    draft.setTokenBalance(token, from, fromBalance - amount);
  }
  const toBalance = draft.tokenBalance(token, to);
  if (toBalance !== undefined) {
    touched = true;
    draft.setTokenBalance(token, to, toBalance + amount);
  }
  return touched;
}

/** The mutations that reproduce an operation's state change. */
export function operationMutations(
  op: Operation,
  orders: readonly { order: OrderV4; live: boolean }[] = [],
): RaindexMutation[] {
  const mutations: RaindexMutation[] = [];
  for (const { order, live } of orders) {
    mutations.push({ type: "setOrders", orders: [order], live });
  }
  if (op.vaultChanges.length > 0) {
    mutations.push({
      type: "vaultDeltas",
      deltas: op.vaultChanges.map((c) => ({
        owner: c.owner,
        token: c.token,
        vaultId: c.vaultId,
        op: c.op,
        amount: c.amount,
      })),
    });
  }
  if (op.tokenMoves.length > 0) {
    mutations.push({
      type: "tokenTransfers",
      transfers: op.tokenMoves.map((m) => ({
        token: m.token,
        from: m.from,
        to: m.to,
        amount: m.amount.toString(),
        spendAllowance: m.spendAllowance,
      })),
    });
  }
  let last: { store: Address; namespace: Hex; kvs: Hex[] } | undefined;
  for (const w of op.storeWrites) {
    if (last === undefined || !sameAddress(last.store, w.store) || last.namespace !== w.namespace) {
      last = { store: w.store, namespace: w.namespace, kvs: [] };
      mutations.push({ type: "applyStore", ...last });
    }
    last.kvs.push(w.key, w.value);
  }
  return mutations;
}
