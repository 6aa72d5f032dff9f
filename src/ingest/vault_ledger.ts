/**
 * A running ledger of vault balances, fed with the same mutation batches the engine applies, so
 * that a deposit that came through another contract (amount from the event's rounded uint256) can
 * be checked against `vaultBalance2` at the end of its block.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderbookVersion } from "../abi/mod.ts";
import {
  type DepositAmount,
  eventsToMutations,
  type MutationBatch,
  type RaindexEventLog,
} from "../events/mod.ts";
import type { RaindexMutation } from "../engine/mod.ts";
import { add, eq, type Float, sub } from "../float/mod.ts";

/** Vault balances keyed by `owner:token:vaultId` (lowercase). */
export type VaultLedger = {
  /** The balance of a vault (`null` when never touched). */
  balance(owner: Address, token: Address, vaultId: Hex): Float | null;
  /** Applies one block's mutation batch (only its vault deltas matter). */
  applyBatch(batch: MutationBatch): void;
  /** Number of vaults touched. */
  readonly size: number;
};

function vaultKey(owner: string, token: string, vaultId: string): string {
  return `${owner.toLowerCase()}:${token.toLowerCase()}:${vaultId.toLowerCase()}`;
}

/**
 * Creates an empty vault ledger.
 *
 * @example
 * ```ts
 * import { createVaultLedger } from "./vault_ledger.ts";
 * const ledger = createVaultLedger();
 * console.log(ledger.size); // 0
 * ```
 */
export function createVaultLedger(): VaultLedger {
  const balances = new Map<string, Float>();
  const apply = (mutation: RaindexMutation): void => {
    if (mutation.type === "batch") {
      for (const inner of mutation.mutations) apply(inner);
      return;
    }
    if (mutation.type !== "vaultDeltas") return;
    for (const delta of mutation.deltas) {
      const key = vaultKey(delta.owner, delta.token, delta.vaultId);
      const current = balances.get(key);
      if (delta.op === "set") balances.set(key, delta.amount);
      else if (delta.op === "increase") {
        balances.set(key, current === undefined ? delta.amount : add(current, delta.amount));
      } else {
        balances.set(key, sub(current ?? ZERO, delta.amount));
      }
    }
  };
  return {
    balance: (owner, token, vaultId) => balances.get(vaultKey(owner, token, vaultId)) ?? null,
    applyBatch(batch) {
      for (const mutation of batch.mutations) apply(mutation);
    },
    get size() {
      return balances.size;
    },
  };
}

const ZERO: Float = `0x${"00".repeat(32)}`;

/**
 * Feeds events into a ledger block by block and calls `atBlockEnd` after each block, where the
 * caller compares vaults with the chain.
 *
 * @example
 * ```ts
 * import { createVaultLedger, feedLedger } from "./vault_ledger.ts";
 * const ledger = createVaultLedger();
 * feedLedger(ledger, [], { version: "v5", blocks: new Map(), depositAmounts: new Map(), tokenDecimals: new Map() }, () => {});
 * ```
 */
export function feedLedger(
  ledger: VaultLedger,
  events: readonly RaindexEventLog[],
  options: {
    version: OrderbookVersion;
    orderbook?: Address;
    blocks: ReadonlyMap<bigint, bigint>;
    depositAmounts: ReadonlyMap<string, DepositAmount>;
    tokenDecimals: ReadonlyMap<string, number>;
    partialHistory?: boolean;
  },
  atBlockEnd: (blockNumber: bigint) => void,
): void {
  if (events.length === 0) return;
  const { batches } = eventsToMutations(events, {
    version: options.version,
    ...(options.orderbook === undefined ? {} : { orderbook: options.orderbook }),
    blocks: options.blocks,
    depositAmounts: options.depositAmounts,
    tokenDecimals: options.tokenDecimals,
    ...(options.partialHistory ? { partialHistory: true } : {}),
  });
  for (const batch of batches) {
    ledger.applyBatch(batch);
    atBlockEnd(batch.blockNumber);
  }
}

/**
 * Compares a ledger balance with the chain's by value (Floats with different bits can be equal).
 *
 * @example
 * ```ts
 * import { checkBalance } from "./vault_ledger.ts";
 * console.log(checkBalance(null, null)); // "unavailable"
 * ```
 */
export function checkBalance(
  virtual: Float | null,
  onchain: Hex | null,
): "matched" | "mismatched" | "unavailable" {
  if (onchain === null) return "unavailable";
  return eq(virtual ?? ZERO, onchain as Float) ? "matched" : "mismatched";
}
