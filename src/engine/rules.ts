/**
 * The version seam: what differs between orderbook versions is gathered in one `OrderbookRules`
 * object the operations call into — how an IO's balance is read and changed (V5 vaults; V6 adds
 * vaultless IOs on a token model) and how one taken order's amounts follow from its calculation
 * and the remaining limit (V5 limits taker input; V6 `takeOrders4` may limit taker output).
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { Float, FloatOps, FloatVersion } from "../float/mod.ts";
import type { IOV2 } from "../abi/mod.ts";
import type { OrderCalculation } from "./calculate.ts";
import { EngineVersionNotImplementedError } from "./errors.ts";
import { decreaseVault, increaseVault, type Operation } from "./operation.ts";
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
  /** Taker amounts of one order given its calculation and the remaining limit. */
  readonly takeAmounts: (calc: OrderCalculation, remaining: Float, float: FloatOps) => TakeAmounts;
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

/** Rules of a version; V6 is reserved and rejected until implemented. */
export function rulesFor(version: OrderbookVersion): OrderbookRules {
  if (version === "v5") return v5Rules;
  throw new EngineVersionNotImplementedError(
    `orderbook version ${version} is not implemented yet (only v5)`,
    { version },
  );
}
