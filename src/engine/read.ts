/**
 * Read accessors of the committed state.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderV4 } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";
import { namespaceOf } from "./identity.ts";
import type { RaindexEnv } from "./state.ts";
import type { VirtualRaindex } from "./types.ts";
import { storeKey, tokenKey, vaultKey, ZERO_WORD } from "./words.ts";
import { beginOperation } from "./operation.ts";
import { v6Rules } from "./rules.ts";

/**
 * The engine's block environment.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getEnv } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * console.log(getEnv(createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host })).chainId); // 1n
 * ```
 */
export function getEnv(engine: VirtualRaindex): RaindexEnv {
  return engine.state.env;
}

/**
 * `vaultBalance2(owner, token, vaultId)`: the vault's Float (zero word when never touched). On a
 * `v6` engine vault id 0 is vaultless: the owner's tracked token balance capped by its allowance
 * to the orderbook (throws `TokenBalanceNotTrackedError` / `TokenDecimalsMissingError` when the
 * model lacks them).
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getVaultBalance } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(getVaultBalance(engine, { owner: z, token: z, vaultId: `0x${"0".repeat(63)}1` }));
 * ```
 */
export function getVaultBalance(
  engine: VirtualRaindex,
  vault: { readonly owner: Address; readonly token: Address; readonly vaultId: Hex },
): Float {
  if (engine.version === "v6" && BigInt(vault.vaultId) === 0n) {
    return v6Rules.balance(beginOperation(engine), vault.owner, {
      token: vault.token,
      vaultId: vault.vaultId,
    });
  }
  return engine.state.vaults.get(vaultKey(vault.owner, vault.token, vault.vaultId)) ??
    (ZERO_WORD as Float);
}

/**
 * Token model: the tracked `balanceOf(account)` of a token (token units), or `undefined` when the
 * pair is not tracked. The orderbook's own holdings are `account = engine.orderbook`.
 *
 * @example
 * ```ts
 * import { applyMutations, createVirtualRaindex, getTokenBalance } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const t = "0x0000000000000000000000000000000000000001" as const;
 * applyMutations(engine, [{ type: "setTokenBalances", balances: [{ token: t, account: t, amount: "5" }] }]);
 * console.log(getTokenBalance(engine, t, t)); // 5n
 * ```
 */
export function getTokenBalance(
  engine: VirtualRaindex,
  token: Address,
  account: Address,
): bigint | undefined {
  return engine.state.tokenBalances.get(tokenKey(token, account));
}

/**
 * Token model: the tracked `allowance(owner, orderbook)` (token units), or `undefined`.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getAllowance } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const t = "0x0000000000000000000000000000000000000001" as const;
 * console.log(getAllowance(engine, t, t)); // undefined
 * ```
 */
export function getAllowance(
  engine: VirtualRaindex,
  token: Address,
  owner: Address,
): bigint | undefined {
  return engine.state.allowances.get(tokenKey(token, owner));
}

/**
 * An order the engine knows (live or removed), or `undefined`.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getOrder } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(getOrder(engine, `0x${"0".repeat(64)}`)); // undefined
 * ```
 */
export function getOrder(
  engine: VirtualRaindex,
  orderHash: Hex,
): { readonly order: OrderV4; readonly live: boolean } | undefined {
  const record = engine.state.orders.get(orderHash.toLowerCase() as Hex);
  return record === undefined ? undefined : { order: record.order, live: record.live };
}

/**
 * Hashes of every known order, sorted; `live: true` keeps only live ones.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, listOrderHashes } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * console.log(listOrderHashes(createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host }))); // []
 * ```
 */
export function listOrderHashes(engine: VirtualRaindex, options: { live?: boolean } = {}): Hex[] {
  const hashes: Hex[] = [];
  for (const record of engine.state.orders.values()) {
    if (options.live === true && !record.live) continue;
    hashes.push(record.hash);
  }
  return hashes.sort();
}

/**
 * A store value at `(store, namespace, key)`; `namespace` is the fqn word, or give `owner` to use
 * that owner's namespace on this orderbook.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getStoreValue } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const z = "0x0000000000000000000000000000000000000001" as const;
 * console.log(getStoreValue(engine, { store: z, owner: z, key: `0x${"0".repeat(64)}` }));
 * ```
 */
export function getStoreValue(
  engine: VirtualRaindex,
  slot:
    & { readonly store: Address; readonly key: Hex }
    & (
      | { readonly namespace: Hex; readonly owner?: undefined }
      | { readonly owner: Address; readonly namespace?: undefined }
    ),
): Hex {
  const namespace = slot.namespace ?? namespaceOf(engine, slot.owner as Address);
  return engine.state.store.get(storeKey(slot.store, namespace, slot.key)) ?? ZERO_WORD;
}

/**
 * Recorded decimals of a token, or `undefined`.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, getTokenDecimals } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(getTokenDecimals(engine, "0x0000000000000000000000000000000000000001")); // undefined
 * ```
 */
export function getTokenDecimals(engine: VirtualRaindex, token: Address): number | undefined {
  return engine.state.decimals.get(token.toLowerCase());
}
