/**
 * The version seam: what differs between orderbook versions is gathered in one `OrderbookRules`
 * object the operations call into — how an IO's balance is read and changed (V5 vaults; V6 adds
 * vaultless IOs on a token model) and how one taken order's amounts follow from its calculation
 * and the remaining limit (V5 limits taker input; V6 `takeOrders4` may limit taker output).
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { type Float, FLOAT_ZERO, type FloatOps, type FloatVersion, lt } from "../float/mod.ts";
import type { IOV2 } from "../abi/mod.ts";
import type { OrderCalculation } from "./calculate.ts";
import {
  EngineVersionNotImplementedError,
  NegativeVaultBalanceChangeError,
  TokenBalanceNotTrackedError,
} from "./errors.ts";
import {
  decreaseVault,
  increaseVault,
  type Operation,
  requireDecimals,
  transferTokens,
} from "./operation.ts";
import type { OrderbookVersion, VaultChange } from "./types.ts";

/** Amounts of one taken order. */
export type TakeAmounts = {
  readonly takerInput: Float;
  readonly takerOutput: Float;
  /** The limit left after this order. */
  readonly remaining: Float;
};

/** Rules that differ between orderbook versions. */
export type OrderbookRules = {
  readonly version: OrderbookVersion;
  /** Balance behind an IO as calculate-io sees it (V5: the vault; V6 vault id 0: token model). */
  readonly balance: (op: Operation, owner: Address, io: IOV2) => Float;
  /** Adds to the balance behind an IO (V5: the vault). */
  readonly increase: (
    op: Operation,
    owner: Address,
    token: Address,
    vaultId: Hex,
    amount: Float,
  ) => VaultChange;
  /** Subtracts from the balance behind an IO (V5: the vault; negative reverts). */
  readonly decrease: (
    op: Operation,
    owner: Address,
    token: Address,
    vaultId: Hex,
    amount: Float,
  ) => VaultChange;
  /**
   * Taker amounts of one order given its calculation and the remaining limit. `IOIsInput`
   * (default `true`, the only V5 mode) says whether the limit is on taker input or taker output.
   */
  readonly takeAmounts: (
    calc: OrderCalculation,
    remaining: Float,
    float: FloatOps,
    IOIsInput?: boolean,
  ) => TakeAmounts;
};

/**
 * The rain.math.float version each orderbook line was built with (docs/float.md, "Versions"):
 * Rain's V5 orderbook with `6358302`, OrderBookV6 with `1cf3969` (alpha.44).
 *
 * @example
 * ```ts
 * import { ORDERBOOK_FLOAT_VERSION } from "./mod.ts";
 * console.log(ORDERBOOK_FLOAT_VERSION.v5); // "6358302"
 * ```
 */
export const ORDERBOOK_FLOAT_VERSION: Readonly<Record<OrderbookVersion, FloatVersion>> = {
  v5: "6358302",
  v6: "1cf3969",
};

/**
 * `IOrderBookV5` rules.
 *
 * @example
 * ```ts
 * import { v5Rules } from "./mod.ts";
 * console.log(v5Rules.version); // "v5"
 * ```
 */
export const v5Rules: OrderbookRules = {
  version: "v5",
  balance: (op, owner, io) => op.draft.vaultBalance(owner, io.token, io.vaultId),
  increase: increaseVault,
  decrease: decreaseVault,
  takeAmounts(calc, remaining, float) {
    // takeOrders3: the taker "market buys" the order's output, capped by the remaining input.
    const takerInput = float.min(calc.outputMax, remaining);
    const takerOutput = float.mul(calc.ioRatio, takerInput);
    return { takerInput, takerOutput, remaining: float.sub(remaining, takerInput) };
  },
};

/** `bytes32(0)`: the V6 vault id of a vaultless IO. */
function isVaultless(vaultId: Hex): boolean {
  return BigInt(vaultId) === 0n;
}

function tracked(
  value: bigint | undefined,
  token: Address,
  account: Address,
  kind: "balance" | "allowance",
): bigint {
  if (value === undefined) {
    throw new TokenBalanceNotTrackedError(
      `token model has no ${kind} of ${token} for ${account}; seed it with a ${
        kind === "balance" ? "setTokenBalances" : "setAllowances"
      } mutation`,
      { token, account, kind },
    );
  }
  return value;
}

/**
 * `_vaultBalance` of OrderBookV6 for vault id 0:
 * `fromFixedDecimalLossless(balanceOf(owner)).min(fromFixedDecimalLossy(allowance(owner, ob)))`
 * with the token's decimals — on a tie the allowance's bits win.
 */
function vaultlessBalance(op: Operation, owner: Address, token: Address): Float {
  const decimals = requireDecimals(op, token);
  const balance = tracked(op.draft.tokenBalance(token, owner), token, owner, "balance");
  const allowance = tracked(op.draft.allowance(token, owner), token, owner, "allowance");
  const float = op.engine.float;
  return float.min(
    float.fromFixedDecimal(balance, decimals),
    float.fromFixedDecimalLossy(allowance, decimals).value,
  );
}

function zeroChange(owner: Address, token: Address, vaultId: Hex, amount: Float, up: boolean) {
  return {
    owner,
    token,
    vaultId,
    op: up ? "increase" : "decrease",
    amount,
    before: FLOAT_ZERO,
    after: FLOAT_ZERO,
  } as const;
}

function checkNonNegative(amount: Float, owner: Address, token: Address): void {
  if (lt(amount, FLOAT_ZERO)) {
    throw new NegativeVaultBalanceChangeError(
      `vaultless change by a negative amount ${amount} (owner ${owner}, token ${token})`,
      { amount },
    );
  }
}

/**
 * `IRaindexV6` (Rain's OrderBookV6) rules: vault id 0 is vaultless — its balance is the owner's
 * token balance capped by the allowance to the orderbook, an increase pushes tokens to the owner
 * and a decrease pulls them (both inside the take loop, on the engine's token model); other
 * vault ids behave as in V5. `takeOrders4` may limit taker output instead of taker input.
 *
 * @example
 * ```ts
 * import { v6Rules } from "./mod.ts";
 * console.log(v6Rules.version); // "v6"
 * ```
 */
export const v6Rules: OrderbookRules = {
  version: "v6",
  balance: (op, owner, io) =>
    isVaultless(io.vaultId)
      ? vaultlessBalance(op, owner, io.token)
      : op.draft.vaultBalance(owner, io.token, io.vaultId),
  increase(op, owner, token, vaultId, amount) {
    if (!isVaultless(vaultId)) return increaseVault(op, owner, token, vaultId, amount);
    checkNonNegative(amount, owner, token);
    // The push is paid from the orderbook's own holdings, which must be known to be checked.
    transferTokens(op, "push", token, owner, amount, true);
    return zeroChange(owner, token, vaultId, amount, true);
  },
  decrease(op, owner, token, vaultId, amount) {
    if (!isVaultless(vaultId)) return decreaseVault(op, owner, token, vaultId, amount);
    checkNonNegative(amount, owner, token);
    transferTokens(op, "pull", token, owner, amount, true);
    return zeroChange(owner, token, vaultId, amount, false);
  },
  takeAmounts(calc, remaining, float, IOIsInput = true) {
    if (IOIsInput) return v5Rules.takeAmounts(calc, remaining, float);
    // takeOrders4 with limits on taker output: the taker "market sells" up to the order's max
    // input; the division truncates (favours the order) and reverts DivisionByZero at ratio 0.
    const orderMaxInput = float.mul(calc.ioRatio, calc.outputMax);
    const takerOutput = float.min(orderMaxInput, remaining);
    const takerInput = float.div(takerOutput, calc.ioRatio);
    return { takerInput, takerOutput, remaining: float.sub(remaining, takerOutput) };
  },
};

/**
 * Rules of an orderbook version.
 *
 * @example
 * ```ts
 * import { rulesFor } from "./mod.ts";
 * console.log(rulesFor("v6").version); // "v6"
 * ```
 */
export function rulesFor(version: OrderbookVersion): OrderbookRules {
  if (version === "v5") return v5Rules;
  if (version === "v6") return v6Rules;
  throw new EngineVersionNotImplementedError(`orderbook version ${String(version)} is unknown`, {
    version: String(version),
  });
}
