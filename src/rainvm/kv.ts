/**
 * Rain's in-memory key/value state (`LibMemoryKV`) as far as results can observe it: upserts, and
 * `toBytes32Array`'s export order. Rain spreads keys over 15 linked lists by
 * `uint256(keccak256(key)) % 15`, each list's head being its newest insertion, and exports list 14
 * first down to list 0, each from head to tail. Updating a key changes its value in place.
 *
 * @module
 */
import type { Hex } from "viem";
import { keccak256Hex } from "../abi/mod.ts";

const LISTS = 15;
const LIST_CACHE_LIMIT = 1 << 16;
const listCache = new Map<string, number>();

/**
 * The list (0–14) Rain's memory KV puts `key` in.
 *
 * @param key A 32-byte word, lowercase `0x` hex.
 * @returns `uint256(keccak256(key)) % 15`.
 * @example
 * ```ts
 * import { kvListOf } from "./kv.ts";
 * console.log(kvListOf(`0x${"00".repeat(32)}`));
 * ```
 */
export function kvListOf(key: Hex): number {
  let list = listCache.get(key);
  if (list === undefined) {
    list = Number(BigInt(keccak256Hex(key)) % 15n);
    if (listCache.size >= LIST_CACHE_LIMIT) listCache.clear();
    listCache.set(key, list);
  }
  return list;
}

/** Rain's memory KV for one evaluation. */
export type MemoryKV = {
  /** The value at `key`, or undefined when never set. */
  get(key: Hex): Hex | undefined;
  /** Inserts or updates `key`. */
  set(key: Hex, value: Hex): void;
  /** Flat `[key, value, …]` in `LibMemoryKV.toBytes32Array` order. */
  toArray(): Hex[];
  /** Number of distinct keys. */
  size(): number;
};

type Entry = { readonly key: Hex; value: Hex };

/**
 * Creates an empty memory KV.
 *
 * @returns The KV.
 * @example
 * ```ts
 * import { createMemoryKV } from "./kv.ts";
 * const kv = createMemoryKV();
 * kv.set(`0x${"00".repeat(31)}01`, `0x${"00".repeat(31)}02`);
 * console.log(kv.toArray().length); // 2
 * ```
 */
export function createMemoryKV(): MemoryKV {
  let byKey: Map<Hex, Entry> | undefined;
  let lists: (Entry[] | undefined)[] | undefined;
  return {
    get(key) {
      return byKey?.get(key)?.value;
    },
    set(key, value) {
      byKey ??= new Map();
      const entry = byKey.get(key);
      if (entry !== undefined) {
        entry.value = value;
        return;
      }
      const fresh = { key, value };
      byKey.set(key, fresh);
      lists ??= new Array(LISTS);
      const list = kvListOf(key);
      (lists[list] ??= []).push(fresh);
    },
    size() {
      return byKey?.size ?? 0;
    },
    toArray() {
      const out: Hex[] = [];
      if (lists === undefined) return out;
      for (let list = LISTS - 1; list >= 0; list--) {
        const entries = lists[list];
        if (entries === undefined) continue;
        for (let i = entries.length - 1; i >= 0; i--) out.push(entries[i].key, entries[i].value);
      }
      return out;
    },
  };
}
