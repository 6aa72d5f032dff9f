/**
 * The engine's state and its copy-on-write draft. Every operation works on a `StateDraft` over the
 * committed state; committing copies the draft's overlay into the state, discarding it leaves the
 * state untouched — which is what makes batches atomic and read-only takes free.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderV4 } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";
import type { EvalEnv, StoreReader } from "../evm/mod.ts";
import { bigintWord, storeKey, tokenKey, vaultKey, ZERO_WORD } from "./words.ts";

/** Block environment of the engine (what evaluations see as chain id, block number, timestamp). */
export type RaindexEnv = EvalEnv;

/** An order the engine knows, live or removed. */
export type OrderRecord = {
  /** Order hash (lowercase). */
  readonly hash: Hex;
  /** The order body as `keccak256(abi.encode(order))` hashed it. */
  readonly order: OrderV4;
  /** `true` while the orderbook holds it (`orderExists`). */
  readonly live: boolean;
};

/** The committed state of an engine. Internal; read it through the accessor functions. */
export type RaindexState = {
  env: RaindexEnv;
  /** Order hash → record. */
  readonly orders: Map<Hex, OrderRecord>;
  /** `owner|token|vaultId` → balance Float; a zero word is never stored. */
  readonly vaults: Map<string, Float>;
  /** `store|fqn|key` → value; a zero word is never stored. */
  readonly store: Map<string, Hex>;
  /** Lowercase token → decimals. */
  readonly decimals: Map<string, number>;
  /**
   * Token model (V6 vaultless IOs): `token|account` → `balanceOf(account)` in token units. Only
   * tracked pairs are present; a tracked zero is kept (unlike vaults, absent ≠ zero).
   */
  readonly tokenBalances: Map<string, bigint>;
  /** `token|owner` → `allowance(owner, orderbook)` in token units; tracked pairs only. */
  readonly allowances: Map<string, bigint>;
};

/** Creates an empty state. */
export function createState(env: RaindexEnv): RaindexState {
  return {
    env,
    orders: new Map(),
    vaults: new Map(),
    store: new Map(),
    decimals: new Map(),
    tokenBalances: new Map(),
    allowances: new Map(),
  };
}

/** Copy-on-write view over a state: reads fall through to the base, writes stay in the overlay. */
export class StateDraft implements StoreReader {
  readonly base: RaindexState;
  env: RaindexEnv;
  private readonly startEnv: RaindexEnv;
  readonly orders: Map<Hex, OrderRecord> = new Map();
  readonly vaults: Map<string, Float> = new Map();
  readonly store: Map<string, Hex> = new Map();
  readonly decimals: Map<string, number> = new Map();
  readonly tokenBalances: Map<string, bigint> = new Map();
  readonly allowances: Map<string, bigint> = new Map();

  constructor(base: RaindexState) {
    this.base = base;
    this.env = base.env;
    this.startEnv = base.env;
  }

  getOrder(hash: Hex): OrderRecord | undefined {
    const key = hash.toLowerCase() as Hex;
    return this.orders.get(key) ?? this.base.orders.get(key);
  }

  setOrder(record: OrderRecord): void {
    this.orders.set(record.hash, record);
  }

  vaultBalance(owner: string, token: string, vaultId: string): Float {
    return this.vaultBalanceAt(vaultKey(owner, token, vaultId));
  }

  /** The balance under a key from `vaultKey` (computed once for a read and the write after it). */
  vaultBalanceAt(key: string): Float {
    return this.vaults.get(key) ?? this.base.vaults.get(key) ?? (ZERO_WORD as Float);
  }

  setVaultBalance(owner: string, token: string, vaultId: string, balance: Float): void {
    this.setVaultBalanceAt(vaultKey(owner, token, vaultId), balance);
  }

  setVaultBalanceAt(key: string, balance: Float): void {
    this.vaults.set(key, balance.toLowerCase() as Float);
  }

  tokenDecimals(token: string): number | undefined {
    const key = token.toLowerCase();
    return this.decimals.get(key) ?? this.base.decimals.get(key);
  }

  setTokenDecimals(token: string, decimals: number): void {
    this.decimals.set(token.toLowerCase(), decimals);
  }

  /** Tracked `balanceOf(account)` of a token, or `undefined` when the pair is not tracked. */
  tokenBalance(token: string, account: string): bigint | undefined {
    const key = tokenKey(token, account);
    return this.tokenBalances.get(key) ?? this.base.tokenBalances.get(key);
  }

  setTokenBalance(token: string, account: string, amount: bigint): void {
    this.tokenBalances.set(tokenKey(token, account), amount);
  }

  /** Tracked `allowance(owner, orderbook)`, or `undefined` when the pair is not tracked. */
  allowance(token: string, owner: string): bigint | undefined {
    const key = tokenKey(token, owner);
    return this.allowances.get(key) ?? this.base.allowances.get(key);
  }

  setAllowance(token: string, owner: string, amount: bigint): void {
    this.allowances.set(tokenKey(token, owner), amount);
  }

  /** `StoreReader.get`: the value at `(store, fqn, key)`, zero when unset. */
  get(store: Address, namespace: bigint, key: Hex): Hex {
    return this.storeGet(store, bigintWord(namespace), key);
  }

  storeGet(store: string, namespace: Hex, key: string): Hex {
    const k = storeKey(store, namespace, key);
    return this.store.get(k) ?? this.base.store.get(k) ?? ZERO_WORD;
  }

  storeSet(store: string, namespace: Hex, key: string, value: Hex): void {
    this.store.set(storeKey(store, namespace, key), value.toLowerCase() as Hex);
  }

  /** Copies the overlay into the base state; zero vaults and store words are dropped. */
  commit(): void {
    const base = this.base;
    // Only a draft that changed the env writes it back (drafts never clobber another's env).
    if (this.env !== this.startEnv) base.env = this.env;
    for (const [k, v] of this.orders) base.orders.set(k, v);
    for (const [k, v] of this.vaults) {
      if (v === ZERO_WORD) base.vaults.delete(k);
      else base.vaults.set(k, v);
    }
    for (const [k, v] of this.store) {
      if (v === ZERO_WORD) base.store.delete(k);
      else base.store.set(k, v);
    }
    for (const [k, v] of this.decimals) base.decimals.set(k, v);
    for (const [k, v] of this.tokenBalances) base.tokenBalances.set(k, v);
    for (const [k, v] of this.allowances) base.allowances.set(k, v);
  }
}
