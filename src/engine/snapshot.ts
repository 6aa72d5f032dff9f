/**
 * Snapshots: the whole engine state as canonical JSON-safe data (bigints as decimal strings, Floats
 * and words as lowercase hex, addresses checksummed, entries sorted, object keys sorted) so equal
 * states give byte-identical JSON; and restoring one, validated with zod.
 *
 * @module
 */
import { type Address, getAddress, type Hex } from "viem";
import { z } from "zod";
import type { OrderV4 } from "../abi/mod.ts";
import { type Float, FLOAT_VERSIONS, floatOps, type FloatVersion } from "../float/mod.ts";
import type { ExternalState, InterpreterHost } from "../evm/mod.ts";
import { InvalidSnapshotError, SnapshotBytecodeMissingError } from "./errors.ts";
import { canonicalOrder, hashOrder } from "./identity.ts";
import { orderV4Schema } from "./mutations.ts";
import { rulesFor } from "./rules.ts";
import { createState } from "./state.ts";
import type { OrderbookVersion, VirtualRaindex } from "./types.ts";
import { MAX_UINT256, storeKey, tokenKey, vaultKey, ZERO_WORD } from "./words.ts";

/**
 * Format tag of a snapshot.
 *
 * @example
 * ```ts
 * import { SNAPSHOT_FORMAT } from "./mod.ts";
 * console.log(SNAPSHOT_FORMAT); // "vraindex/engine-snapshot"
 * ```
 */
export const SNAPSHOT_FORMAT = "vraindex/engine-snapshot";
/**
 * Current snapshot version.
 *
 * @example
 * ```ts
 * import { SNAPSHOT_VERSION } from "./mod.ts";
 * console.log(SNAPSHOT_VERSION); // 1
 * ```
 */
export const SNAPSHOT_VERSION = 1;

/** A canonical, JSON-safe copy of an engine's state. */
export type RaindexSnapshot = {
  readonly env: {
    readonly blockNumber: string;
    readonly chainId: string;
    readonly timestamp: string;
  };
  /** rain.math.float version of the engine's vault maths. */
  readonly floatVersion: FloatVersion;
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly orderbook: Address;
  readonly orderbookVersion: OrderbookVersion;
  readonly orders: readonly {
    readonly hash: Hex;
    readonly live: boolean;
    readonly order: OrderV4;
  }[];
  readonly store: readonly {
    readonly key: Hex;
    readonly namespace: Hex;
    readonly store: Address;
    readonly value: Hex;
  }[];
  readonly tokenDecimals: readonly { readonly decimals: number; readonly token: Address }[];
  /**
   * Token model: tracked `balanceOf(account)` values (decimal strings); present only when the
   * model tracks something, so snapshots of engines without one are unchanged.
   */
  readonly tokenBalances?: readonly {
    readonly account: Address;
    readonly amount: string;
    readonly token: Address;
  }[];
  /** Token model: tracked `allowance(owner, orderbook)` values; present only when non-empty. */
  readonly allowances?: readonly {
    readonly amount: string;
    readonly owner: Address;
    readonly token: Address;
  }[];
  readonly vaults: readonly {
    readonly balance: Float;
    readonly owner: Address;
    readonly token: Address;
    readonly vaultId: Hex;
  }[];
  readonly version: typeof SNAPSHOT_VERSION;
};

/** Minimal code cache view `fromSnapshot` needs (`src/evm`'s `CodeCache` fits). */
export type SnapshotCodeCache = {
  has(address: string, kind?: "interpreter" | "store"): boolean;
};

/** Options of `fromSnapshot`. */
export type FromSnapshotOptions = {
  /** Runs Rain bytecode. */
  readonly host: InterpreterHost;
  /** When given, every live order's interpreter and store must be in it. */
  readonly codeCache?: SnapshotCodeCache;
  /** External state for ERC-1271 signature checks. */
  readonly externalState?: ExternalState;
};

/** Errors `fromSnapshot` can raise. */
export type FromSnapshotErrorType = InvalidSnapshotError | SnapshotBytecodeMissingError;

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      out[key] = sortKeys((value as Record<string, unknown>)[key]);
    }
    return out;
  }
  return value;
}

function byKey<T>(entries: [string, T][]): T[] {
  return entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map((e) => e[1]);
}

/**
 * A canonical snapshot of the engine's committed state.
 *
 * @param engine the engine.
 * @returns plain data; `JSON.stringify` of two equal states is identical.
 * @example
 * ```ts
 * import { createVirtualRaindex, snapshot } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(snapshot(engine).env.chainId); // "1"
 * ```
 */
export function snapshot(engine: VirtualRaindex): RaindexSnapshot {
  const { state } = engine;
  const checksums = new Map<string, Address>();
  const cs = (address: string): Address => {
    let c = checksums.get(address);
    if (c === undefined) {
      c = getAddress(address);
      checksums.set(address, c);
    }
    return c;
  };
  const orders = byKey([...state.orders.values()].map((r) => [r.hash, {
    hash: r.hash,
    live: r.live,
    order: r.order,
  }]));
  const vaults = byKey([...state.vaults].map(([key, balance]) => {
    const [owner, token, vaultId] = key.split("|");
    return [key, { balance, owner: cs(owner), token: cs(token), vaultId: vaultId as Hex }];
  }));
  const store = byKey([...state.store].map(([k, value]) => {
    const [address, namespace, key] = k.split("|");
    return [k, { key: key as Hex, namespace: namespace as Hex, store: cs(address), value }];
  }));
  const tokenDecimals = byKey([...state.decimals].map(([token, decimals]) => [token, {
    decimals,
    token: cs(token),
  }]));
  const tokenBalances = byKey([...state.tokenBalances].map(([key, amount]) => {
    const [token, account] = key.split("|");
    return [key, { account: cs(account), amount: amount.toString(), token: cs(token) }];
  }));
  const allowances = byKey([...state.allowances].map(([key, amount]) => {
    const [token, owner] = key.split("|");
    return [key, { amount: amount.toString(), owner: cs(owner), token: cs(token) }];
  }));
  return sortKeys({
    ...(allowances.length > 0 ? { allowances } : {}),
    ...(tokenBalances.length > 0 ? { tokenBalances } : {}),
    env: {
      blockNumber: state.env.blockNumber.toString(),
      chainId: state.env.chainId.toString(),
      timestamp: state.env.timestamp.toString(),
    },
    floatVersion: engine.float.version,
    format: SNAPSHOT_FORMAT,
    orderbook: cs(engine.orderbook),
    orderbookVersion: engine.version,
    orders,
    store,
    tokenDecimals,
    vaults,
    version: SNAPSHOT_VERSION,
  }) as RaindexSnapshot;
}

/**
 * The snapshot as canonical JSON text.
 *
 * @example
 * ```ts
 * import { createVirtualRaindex, snapshot, snapshotToJson } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(snapshotToJson(snapshot(engine)).startsWith('{"env"')); // true
 * ```
 */
export function snapshotToJson(value: RaindexSnapshot): string {
  return JSON.stringify(sortKeys(value));
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/);
const word = z.string().regex(/^0x[0-9a-f]{64}$/);
const uint = z.string().regex(/^(0|[1-9][0-9]*)$/);
const uint256 = uint.refine((value) => BigInt(value) <= MAX_UINT256, "exceeds uint256");

/**
 * zod schema of a snapshot.
 *
 * @example
 * ```ts
 * import { raindexSnapshotSchema } from "./mod.ts";
 * console.log(raindexSnapshotSchema.safeParse({ version: 2 }).success); // false
 * ```
 */
export const raindexSnapshotSchema: z.ZodType<RaindexSnapshot> = z.object({
  env: z.object({ blockNumber: uint, chainId: uint, timestamp: uint }),
  floatVersion: z.enum(FLOAT_VERSIONS as [FloatVersion, ...FloatVersion[]]),
  format: z.literal(SNAPSHOT_FORMAT),
  orderbook: address,
  orderbookVersion: z.enum(["v5", "v6"]),
  orders: z.array(z.object({ hash: word, live: z.boolean(), order: orderV4Schema })),
  store: z.array(z.object({ key: word, namespace: word, store: address, value: word })),
  tokenDecimals: z.array(z.object({ decimals: z.number().int().min(0).max(255), token: address })),
  tokenBalances: z.array(z.object({ account: address, amount: uint256, token: address }))
    .optional(),
  allowances: z.array(z.object({ amount: uint256, owner: address, token: address })).optional(),
  vaults: z.array(z.object({ balance: word, owner: address, token: address, vaultId: word })),
  version: z.literal(SNAPSHOT_VERSION),
}) as unknown as z.ZodType<RaindexSnapshot>;

/**
 * Rebuilds an engine from a snapshot (object or JSON text). Rejects corrupt input with
 * `InvalidSnapshotError` (format, version, fields, order bodies that do not hash to their key,
 * duplicates) and, when a code cache is given, live orders whose code is missing with
 * `SnapshotBytecodeMissingError` listing every missing address.
 *
 * @param input a snapshot or its JSON.
 * @param options host, optional code cache and external state.
 * @returns a new engine equal to the one snapshotted.
 * @example
 * ```ts
 * import { createVirtualRaindex, fromSnapshot, snapshot } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * const copy = fromSnapshot(snapshot(engine), { host });
 * console.log(copy.orderbook === engine.orderbook); // true
 * ```
 */
export function fromSnapshot(
  input: RaindexSnapshot | string | unknown,
  options: FromSnapshotOptions,
): VirtualRaindex {
  const data = parseSnapshotInput(input, raindexSnapshotSchema, "snapshot");
  rulesFor(data.orderbookVersion);
  const state = createState({
    chainId: BigInt(data.env.chainId),
    blockNumber: BigInt(data.env.blockNumber),
    timestamp: BigInt(data.env.timestamp),
  });
  const issues: string[] = [];
  for (const [i, entry] of data.orders.entries()) {
    const order = canonicalOrder(entry.order as OrderV4, `orders.${i}.order`);
    const hash = hashOrder(order);
    if (hash !== entry.hash) issues.push(`orders.${i}: body hashes to ${hash}, not ${entry.hash}`);
    if (state.orders.has(hash)) issues.push(`orders.${i}: duplicate order ${hash}`);
    state.orders.set(hash, { hash, order, live: entry.live });
  }
  for (const [i, v] of data.vaults.entries()) {
    const key = vaultKey(v.owner, v.token, v.vaultId);
    if (state.vaults.has(key)) issues.push(`vaults.${i}: duplicate vault`);
    if (v.balance !== ZERO_WORD) state.vaults.set(key, v.balance as Float);
  }
  for (const [i, s] of data.store.entries()) {
    const key = storeKey(s.store, s.namespace, s.key);
    if (state.store.has(key)) issues.push(`store.${i}: duplicate slot`);
    if (s.value !== ZERO_WORD) state.store.set(key, s.value as Hex);
  }
  for (const [i, t] of data.tokenDecimals.entries()) {
    const key = t.token.toLowerCase();
    if (state.decimals.has(key)) issues.push(`tokenDecimals.${i}: duplicate token`);
    state.decimals.set(key, t.decimals);
  }
  for (const [i, b] of (data.tokenBalances ?? []).entries()) {
    const key = tokenKey(b.token, b.account);
    if (state.tokenBalances.has(key)) issues.push(`tokenBalances.${i}: duplicate pair`);
    state.tokenBalances.set(key, BigInt(b.amount));
  }
  for (const [i, a] of (data.allowances ?? []).entries()) {
    const key = tokenKey(a.token, a.owner);
    if (state.allowances.has(key)) issues.push(`allowances.${i}: duplicate pair`);
    state.allowances.set(key, BigInt(a.amount));
  }
  if (issues.length > 0) {
    throw new InvalidSnapshotError(`corrupt snapshot: ${issues.slice(0, 5).join("; ")}`, {
      issues,
    });
  }
  if (options.codeCache !== undefined) checkCode(state.orders.values(), options.codeCache);
  return {
    orderbook: data.orderbook.toLowerCase() as Address,
    version: data.orderbookVersion,
    float: floatOps(data.floatVersion),
    host: options.host,
    externalState: options.externalState,
    state,
    namespaces: new Map(),
  };
}

/** Required code of live orders: interpreter and store addresses with the orders that need them. */
export function requiredCode(
  orders: Iterable<{ hash: Hex; order: OrderV4; live: boolean }>,
): { address: Address; kind: "interpreter" | "store"; orderHashes: Hex[] }[] {
  const needed = new Map<
    string,
    { address: Address; kind: "interpreter" | "store"; orderHashes: Hex[] }
  >();
  for (const record of orders) {
    if (!record.live) continue;
    for (const kind of ["interpreter", "store"] as const) {
      const address = record.order.evaluable[kind];
      const key = `${kind}|${address.toLowerCase()}`;
      let entry = needed.get(key);
      if (entry === undefined) {
        entry = { address: getAddress(address), kind, orderHashes: [] };
        needed.set(key, entry);
      }
      entry.orderHashes.push(record.hash);
    }
  }
  return [...needed.values()].sort((a, b) =>
    a.kind === b.kind ? (a.address < b.address ? -1 : 1) : a.kind < b.kind ? -1 : 1
  );
}

function checkCode(
  orders: Iterable<{ hash: Hex; order: OrderV4; live: boolean }>,
  codeCache: SnapshotCodeCache,
): void {
  const missing = requiredCode(orders).filter((entry) => !codeCache.has(entry.address, entry.kind));
  if (missing.length > 0) {
    throw new SnapshotBytecodeMissingError(
      `snapshot needs code missing from the cache: ${
        missing.map((m) => `${m.kind} ${m.address}`).join(", ")
      }`,
      { missing },
    );
  }
}

/**
 * Parses a snapshot-like input (an object or its JSON text) with `schema`; malformed JSON or data
 * that does not fit raises `InvalidSnapshotError` listing the issues. Shared with bundles.
 */
export function parseSnapshotInput<T>(input: unknown, schema: z.ZodType<T>, what: string): T {
  let raw: unknown = input;
  if (typeof input === "string") {
    try {
      raw = JSON.parse(input);
    } catch (error) {
      throw new InvalidSnapshotError(`${what} is not valid JSON`, { issues: ["json"] }, {
        cause: error,
      });
    }
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new InvalidSnapshotError(`invalid ${what}: ${issues.slice(0, 5).join("; ")}`, { issues });
  }
  return parsed.data;
}
