/**
 * State mutations: plain JSON-safe data (hex strings, decimal strings or bigints for the env),
 * produced by sync from chain events or by operations, applied atomically by `applyMutations`.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { z } from "zod";
import type { OrderV4 } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";
import { InvalidMutationError } from "./errors.ts";

/** A uint256 as a bigint or its decimal string (JSON). */
export type BigintLike = bigint | string;

/** One vault balance change. `increase`/`decrease` mirror the orderbook's vault functions. */
export type VaultDelta = {
  readonly owner: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  /**
   * `increase`: balance = balance.add(amount) (deposits, take/clear inputs, bounties);
   * `decrease`: balance = balance.sub(amount) (withdrawals, take/clear outputs);
   * `set`: balance = amount (seeding from `vaultBalance2`). Negative amounts or results reject.
   */
  readonly op: "increase" | "decrease" | "set";
  /** Packed Float. */
  readonly amount: Float;
};

/** A state mutation. */
export type RaindexMutation =
  | {
    /** Sets the block environment (fields left out keep their value). */
    readonly type: "setEnv";
    readonly chainId?: BigintLike;
    readonly blockNumber?: BigintLike;
    readonly timestamp?: BigintLike;
  }
  | {
    /** Adds or replaces order bodies, live unless `live: false` (a removed order seen later). */
    readonly type: "setOrders";
    readonly orders: readonly OrderV4[];
    readonly live?: boolean;
    /**
     * The orders' hashes as the orderbook emitted them (`AddOrderV3`/`RemoveOrderV3`'s
     * `orderHash`), one per order. Given, they key the orders without hashing again: the
     * orderbook computed each as `keccak256(abi.encode(order))`, and a rebuild of a long history
     * otherwise spends a fifth of its time recomputing them. Left out, the engine hashes.
     */
    readonly orderHashes?: readonly Hex[];
  }
  | {
    /** Marks known orders dead; an unknown hash rejects the batch. */
    readonly type: "removeOrders";
    readonly orderHashes: readonly Hex[];
  }
  | {
    /** Vault balance changes applied in order. */
    readonly type: "vaultDeltas";
    readonly deltas: readonly VaultDelta[];
  }
  | {
    /** `store.set`: key/value pairs written under the fully qualified namespace `namespace`. */
    readonly type: "applyStore";
    readonly store: Address;
    /** Fully qualified namespace as a 32-byte word (the store's `Set` event value). */
    readonly namespace: Hex;
    readonly kvs: readonly Hex[];
  }
  | {
    /** Records token decimals (0–255). */
    readonly type: "setTokenDecimals";
    readonly tokens: readonly { readonly token: Address; readonly decimals: number }[];
  }
  | {
    /**
     * Token model: sets tracked `balanceOf(account)` values (token units), e.g. seeded with
     * `balanceOf` at the start block. Include the orderbook itself as an account for its holdings.
     */
    readonly type: "setTokenBalances";
    readonly balances: readonly {
      readonly token: Address;
      readonly account: Address;
      readonly amount: BigintLike;
    }[];
  }
  | {
    /** Token model: sets tracked `allowance(owner, orderbook)` values (token units). */
    readonly type: "setAllowances";
    readonly allowances: readonly {
      readonly token: Address;
      readonly owner: Address;
      readonly amount: BigintLike;
    }[];
  }
  | {
    /**
     * Token model: ERC-20 movements applied in order to tracked pairs only (e.g. `Transfer` logs).
     * `spendAllowance: true` marks the orderbook's own `transferFrom` pulls: the `from` allowance
     * drops by `amount` unless it is `2^256 − 1` (many tokens log no `Approval` for that). A
     * tracked sender holding too little rejects the batch.
     */
    readonly type: "tokenTransfers";
    readonly transfers: readonly {
      readonly token: Address;
      readonly from: Address;
      readonly to: Address;
      readonly amount: BigintLike;
      readonly spendAllowance?: boolean;
    }[];
  }
  | {
    /** Nested list, applied in order (the whole `applyMutations` call is atomic anyway). */
    readonly type: "batch";
    readonly mutations: readonly RaindexMutation[];
  };

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "address");
const word = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "bytes32");
const bytes = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, "bytes");
const uint = z.union([z.bigint().nonnegative(), z.string().regex(/^[0-9]+$/, "decimal string")]);
const io = z.object({ token: address, vaultId: word });

/**
 * zod schema of an `OrderV4` in JSON.
 *
 * @example
 * ```ts
 * import { orderV4Schema } from "./mod.ts";
 * console.log(orderV4Schema.safeParse({}).success); // false
 * ```
 */
export const orderV4Schema: z.ZodType<OrderV4> = z.object({
  owner: address,
  evaluable: z.object({ interpreter: address, store: address, bytecode: bytes }),
  validInputs: z.array(io),
  validOutputs: z.array(io),
  nonce: word,
}) as unknown as z.ZodType<OrderV4>;

const vaultDelta = z.object({
  owner: address,
  token: address,
  vaultId: word,
  op: z.enum(["increase", "decrease", "set"]),
  amount: word,
});

/**
 * zod schema of a `RaindexMutation` in JSON.
 *
 * @example
 * ```ts
 * import { raindexMutationSchema } from "./mod.ts";
 * console.log(raindexMutationSchema.safeParse({ type: "setEnv" }).success); // true
 * ```
 */
export const raindexMutationSchema: z.ZodType<RaindexMutation> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.object({
      type: z.literal("setEnv"),
      chainId: uint.optional(),
      blockNumber: uint.optional(),
      timestamp: uint.optional(),
    }),
    z.object({
      type: z.literal("setOrders"),
      orders: z.array(orderV4Schema),
      live: z.boolean().optional(),
      orderHashes: z.array(word).optional(),
    }),
    z.object({ type: z.literal("removeOrders"), orderHashes: z.array(word) }),
    z.object({ type: z.literal("vaultDeltas"), deltas: z.array(vaultDelta) }),
    z.object({
      type: z.literal("applyStore"),
      store: address,
      namespace: word,
      kvs: z.array(word),
    }),
    z.object({
      type: z.literal("setTokenDecimals"),
      tokens: z.array(z.object({ token: address, decimals: z.number().int().min(0).max(255) })),
    }),
    z.object({
      type: z.literal("setTokenBalances"),
      balances: z.array(z.object({ token: address, account: address, amount: uint })),
    }),
    z.object({
      type: z.literal("setAllowances"),
      allowances: z.array(z.object({ token: address, owner: address, amount: uint })),
    }),
    z.object({
      type: z.literal("tokenTransfers"),
      transfers: z.array(z.object({
        token: address,
        from: address,
        to: address,
        amount: uint,
        spendAllowance: z.boolean().optional(),
      })),
    }),
    z.object({ type: z.literal("batch"), mutations: z.array(raindexMutationSchema) }),
  ])
) as z.ZodType<RaindexMutation>;

/**
 * Validates mutations that come from outside (files, databases, other processes).
 *
 * @param input parsed JSON: an array of mutations.
 * @returns the mutations, typed.
 * @example
 * ```ts
 * import { parseRaindexMutations } from "./mod.ts";
 * const [m] = parseRaindexMutations([{ type: "setEnv", blockNumber: "12" }]);
 * console.log(m.type); // "setEnv"
 * ```
 */
export function parseRaindexMutations(input: unknown): RaindexMutation[] {
  const result = z.array(raindexMutationSchema).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const path = issue.path.join(".");
    throw new InvalidMutationError(`invalid mutation at ${path}: ${issue.message}`, {
      path,
      reason: issue.message,
    });
  }
  return result.data;
}
