/**
 * Applying mutations: all of a call's mutations commit together or not at all.
 *
 * @module
 */
import type { Hex } from "viem";
import { type Float, lt } from "../float/mod.ts";
import {
  type InsufficientAllowanceError,
  type InsufficientTokenBalanceError,
  InvalidMutationError,
  type NegativeVaultBalanceChangeError,
  NegativeVaultBalanceError,
  OrderNotFoundError,
} from "./errors.ts";
import { canonicalOrder, hashOrder } from "./identity.ts";
import {
  beginOperation,
  decreaseVault,
  increaseVault,
  moveTokens,
  type Operation,
} from "./operation.ts";
import type { BigintLike, RaindexMutation } from "./mutations.ts";
import type { VirtualRaindex } from "./types.ts";
import { MAX_UINT256, normalizeAddress, normalizeWord, ZERO_WORD } from "./words.ts";

/** Errors `applyMutations` can raise (the state is unchanged after any of them). */
export type ApplyMutationsErrorType =
  | InvalidMutationError
  | InsufficientTokenBalanceError
  | InsufficientAllowanceError
  | OrderNotFoundError
  | NegativeVaultBalanceError
  | NegativeVaultBalanceChangeError;

/** What `applyMutations` changed. */
export type ApplyMutationsResult = {
  /** Number of leaf mutations applied (batches flattened). */
  readonly applied: number;
};

function toBigint(value: BigintLike, path: string): bigint {
  if (typeof value === "bigint") {
    if (value < 0n) {
      throw new InvalidMutationError(`${path}: negative`, { path, reason: "negative" });
    }
    return value;
  }
  if (!/^[0-9]+$/.test(value)) {
    throw new InvalidMutationError(`${path}: expected a decimal string, got ${value}`, {
      path,
      reason: "decimal",
    });
  }
  return BigInt(value);
}

function toUint256(value: BigintLike, path: string): bigint {
  const n = toBigint(value, path);
  if (n > MAX_UINT256) {
    throw new InvalidMutationError(`${path}: ${n} exceeds uint256`, { path, reason: "uint256" });
  }
  return n;
}

function applyOne(op: Operation, mutation: RaindexMutation, path: string): number {
  const draft = op.draft;
  switch (mutation.type) {
    case "setEnv": {
      draft.env = {
        chainId: mutation.chainId === undefined
          ? draft.env.chainId
          : toBigint(mutation.chainId, `${path}.chainId`),
        blockNumber: mutation.blockNumber === undefined
          ? draft.env.blockNumber
          : toBigint(mutation.blockNumber, `${path}.blockNumber`),
        timestamp: mutation.timestamp === undefined
          ? draft.env.timestamp
          : toBigint(mutation.timestamp, `${path}.timestamp`),
      };
      return 1;
    }
    case "setOrders": {
      const live = mutation.live ?? true;
      const given = mutation.orderHashes;
      if (given !== undefined && given.length !== mutation.orders.length) {
        throw new InvalidMutationError(
          `${path}.orderHashes: ${given.length} hashes for ${mutation.orders.length} orders`,
          { path: `${path}.orderHashes`, reason: "length" },
        );
      }
      mutation.orders.forEach((order, i) => {
        const hash = given === undefined
          ? undefined
          : normalizeWord(given[i], `${path}.orderHashes.${i}`);
        const body = canonicalOrder(order, `${path}.orders.${i}`, hash);
        draft.setOrder({ hash: hashOrder(body), order: body, live });
      });
      return 1;
    }
    case "removeOrders": {
      mutation.orderHashes.forEach((hash, i) => {
        const key = normalizeWord(hash, `${path}.orderHashes.${i}`);
        const record = draft.getOrder(key);
        if (record === undefined) {
          throw new OrderNotFoundError(`${path}: cannot remove unknown order ${key}`, {
            orderHash: key,
          });
        }
        draft.setOrder({ ...record, live: false });
      });
      return 1;
    }
    case "vaultDeltas": {
      mutation.deltas.forEach((delta, i) => {
        const p = `${path}.deltas.${i}`;
        const owner = normalizeAddress(delta.owner, `${p}.owner`);
        const token = normalizeAddress(delta.token, `${p}.token`);
        const vaultId = normalizeWord(delta.vaultId, `${p}.vaultId`);
        const amount = normalizeWord(delta.amount, `${p}.amount`) as Float;
        if (op.engine.version === "v6" && BigInt(vaultId) === 0n) {
          // V6 vault 0 has no stored balance: its changes are token movements (tokenTransfers).
          throw new InvalidMutationError(
            `${p}.vaultId: vault id 0 is vaultless on a v6 orderbook; record its token movements with tokenTransfers`,
            { path: `${p}.vaultId`, reason: "vaultless" },
          );
        }
        if (delta.op === "increase") increaseVault(op, owner, token, vaultId, amount);
        else if (delta.op === "decrease") decreaseVault(op, owner, token, vaultId, amount);
        else if (delta.op === "set") {
          if (lt(amount, ZERO_WORD as Float)) {
            throw new NegativeVaultBalanceError(`${p}: cannot set a negative balance ${amount}`, {
              owner,
              token,
              vaultId,
              balance: amount,
            });
          }
          draft.setVaultBalance(owner, token, vaultId, amount);
        } else {
          throw new InvalidMutationError(`${p}.op: unknown vault op ${String(delta.op)}`, {
            path: `${p}.op`,
            reason: "op",
          });
        }
      });
      return 1;
    }
    case "applyStore": {
      const store = normalizeAddress(mutation.store, `${path}.store`);
      const namespace = normalizeWord(mutation.namespace, `${path}.namespace`);
      if (mutation.kvs.length % 2 !== 0) {
        throw new InvalidMutationError(
          `${path}.kvs: odd number of words (${mutation.kvs.length})`,
          {
            path: `${path}.kvs`,
            reason: "odd",
          },
        );
      }
      for (let i = 0; i < mutation.kvs.length; i += 2) {
        const key = normalizeWord(mutation.kvs[i], `${path}.kvs.${i}`);
        const value = normalizeWord(mutation.kvs[i + 1], `${path}.kvs.${i + 1}`);
        draft.storeSet(store, namespace, key, value as Hex);
      }
      return 1;
    }
    case "setTokenDecimals": {
      mutation.tokens.forEach((entry, i) => {
        const token = normalizeAddress(entry.token, `${path}.tokens.${i}.token`);
        const d = entry.decimals;
        if (!Number.isInteger(d) || d < 0 || d > 255) {
          throw new InvalidMutationError(`${path}.tokens.${i}.decimals: ${d} is not a uint8`, {
            path: `${path}.tokens.${i}.decimals`,
            reason: "decimals",
          });
        }
        draft.setTokenDecimals(token, d);
      });
      return 1;
    }
    case "setTokenBalances": {
      mutation.balances.forEach((entry, i) => {
        const p = `${path}.balances.${i}`;
        draft.setTokenBalance(
          normalizeAddress(entry.token, `${p}.token`),
          normalizeAddress(entry.account, `${p}.account`),
          toUint256(entry.amount, `${p}.amount`),
        );
      });
      return 1;
    }
    case "setAllowances": {
      mutation.allowances.forEach((entry, i) => {
        const p = `${path}.allowances.${i}`;
        draft.setAllowance(
          normalizeAddress(entry.token, `${p}.token`),
          normalizeAddress(entry.owner, `${p}.owner`),
          toUint256(entry.amount, `${p}.amount`),
        );
      });
      return 1;
    }
    case "tokenTransfers": {
      mutation.transfers.forEach((entry, i) => {
        const p = `${path}.transfers.${i}`;
        moveTokens(draft, {
          token: normalizeAddress(entry.token, `${p}.token`),
          from: normalizeAddress(entry.from, `${p}.from`),
          to: normalizeAddress(entry.to, `${p}.to`),
          amount: toUint256(entry.amount, `${p}.amount`),
          spendAllowance: entry.spendAllowance === true,
        }, op.engine.orderbook);
      });
      return 1;
    }
    case "batch": {
      let n = 0;
      mutation.mutations.forEach((inner, i) => {
        n += applyOne(op, inner, `${path}.mutations.${i}`);
      });
      return n;
    }
    default: {
      const type = (mutation as { type?: unknown }).type;
      throw new InvalidMutationError(`${path}.type: unknown mutation type ${String(type)}`, {
        path: `${path}.type`,
        reason: "type",
      });
    }
  }
}

/**
 * Applies mutations in order, atomically: on any error the engine's state is exactly what it was.
 *
 * @param engine the engine to change.
 * @param mutations mutations (e.g. one block's worth, from sync).
 * @returns how many leaf mutations were applied.
 * @example
 * ```ts
 * import { applyMutations, createVirtualRaindex, getEnv } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * applyMutations(engine, [{ type: "setEnv", blockNumber: 10n, timestamp: "1700000000" }]);
 * console.log(getEnv(engine).blockNumber); // 10n
 * ```
 */
export function applyMutations(
  engine: VirtualRaindex,
  mutations: readonly RaindexMutation[],
): ApplyMutationsResult {
  const op = beginOperation(engine);
  let applied = 0;
  mutations.forEach((mutation, i) => {
    applied += applyOne(op, mutation, String(i));
  });
  op.draft.commit();
  return { applied };
}
