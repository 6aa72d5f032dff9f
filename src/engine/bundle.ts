/**
 * Snapshot bundles: a snapshot plus what a receiver needs to check it can run it — env metadata,
 * token decimals and the code hashes of every interpreter and store the live orders use.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { z } from "zod";
import { InvalidSnapshotError, SnapshotBytecodeMissingError } from "./errors.ts";
import {
  fromSnapshot,
  type FromSnapshotOptions,
  parseSnapshotInput,
  type RaindexSnapshot,
  raindexSnapshotSchema,
  requiredCode,
  snapshot,
} from "./snapshot.ts";
import type { VirtualRaindex } from "./types.ts";

/**
 * Format tag of a bundle.
 *
 * @example
 * ```ts
 * import { BUNDLE_FORMAT } from "./mod.ts";
 * console.log(BUNDLE_FORMAT); // "vraindex/engine-bundle"
 * ```
 */
export const BUNDLE_FORMAT = "vraindex/engine-bundle";

/** Code lookups a bundle uses (`src/evm`'s `CodeCache` fits). */
export type BundleCodeCache = {
  has(address: string, kind?: "interpreter" | "store"): boolean;
  get(address: string): { readonly codeHash: Hex } | undefined;
};

/** A snapshot ready for transport. */
export type SnapshotBundle = {
  readonly format: typeof BUNDLE_FORMAT;
  readonly version: 1;
  readonly meta: {
    readonly chainId: string;
    readonly orderbook: Address;
    readonly orderbookVersion: "v5" | "v6";
    readonly blockNumber: string;
    readonly timestamp: string;
    readonly liveOrders: number;
    readonly knownOrders: number;
  };
  readonly tokenDecimals: RaindexSnapshot["tokenDecimals"];
  /** Code the live orders need; `codeHash` null when the exporter's cache did not hold it. */
  readonly code: readonly {
    readonly address: Address;
    readonly kind: "interpreter" | "store";
    readonly codeHash: Hex | null;
  }[];
  readonly snapshot: RaindexSnapshot;
};

/**
 * Bundles the engine's snapshot with env metadata, decimals and code hashes.
 *
 * @param engine the engine.
 * @param options optional code cache to read code hashes from.
 * @returns the bundle (JSON-safe).
 * @example
 * ```ts
 * import { createSnapshotBundle, createVirtualRaindex } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(createSnapshotBundle(engine).meta.liveOrders); // 0
 * ```
 */
export function createSnapshotBundle(
  engine: VirtualRaindex,
  options: { readonly codeCache?: BundleCodeCache } = {},
): SnapshotBundle {
  const snap = snapshot(engine);
  const code = requiredCode(engine.state.orders.values()).map((entry) => ({
    address: entry.address,
    kind: entry.kind,
    codeHash: options.codeCache?.get(entry.address)?.codeHash ?? null,
  }));
  return {
    format: BUNDLE_FORMAT,
    version: 1,
    meta: {
      chainId: snap.env.chainId,
      orderbook: snap.orderbook,
      orderbookVersion: snap.orderbookVersion,
      blockNumber: snap.env.blockNumber,
      timestamp: snap.env.timestamp,
      liveOrders: snap.orders.filter((o) => o.live).length,
      knownOrders: snap.orders.length,
    },
    tokenDecimals: snap.tokenDecimals,
    code,
    snapshot: snap,
  };
}

const bundleSchema = z.object({
  format: z.literal(BUNDLE_FORMAT),
  version: z.literal(1),
  meta: z.object({
    chainId: z.string(),
    orderbook: z.string(),
    orderbookVersion: z.enum(["v5", "v6"]),
    blockNumber: z.string(),
    timestamp: z.string(),
    liveOrders: z.number().int().nonnegative(),
    knownOrders: z.number().int().nonnegative(),
  }),
  tokenDecimals: z.array(z.unknown()),
  code: z.array(z.object({
    address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
    kind: z.enum(["interpreter", "store"]),
    codeHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).nullable(),
  })),
  snapshot: raindexSnapshotSchema,
});

/**
 * Opens a bundle: validates it, checks its metadata against the snapshot and, with a code cache,
 * that every needed address is cached with the bundled code hash, then restores the engine.
 *
 * @param input a bundle or its JSON.
 * @param options host, optional code cache and external state.
 * @returns the restored engine.
 * @example
 * ```ts
 * import { createSnapshotBundle, createVirtualRaindex, openSnapshotBundle } from "./mod.ts";
 * const host = { eval4: () => Promise.reject(new Error("none")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook: "0x00000000000000000000000000000000000000aa", host });
 * console.log(openSnapshotBundle(createSnapshotBundle(engine), { host }).version); // "v5"
 * ```
 */
export function openSnapshotBundle(
  input: SnapshotBundle | string | unknown,
  options: Omit<FromSnapshotOptions, "codeCache"> & { readonly codeCache?: BundleCodeCache },
): VirtualRaindex {
  const bundle = parseSnapshotInput(input, bundleSchema, "bundle");
  const snap = bundle.snapshot;
  const issues: string[] = [];
  if (bundle.meta.chainId !== snap.env.chainId) issues.push("meta.chainId differs from snapshot");
  if (bundle.meta.blockNumber !== snap.env.blockNumber) issues.push("meta.blockNumber differs");
  if (bundle.meta.orderbook.toLowerCase() !== snap.orderbook.toLowerCase()) {
    issues.push("meta.orderbook differs");
  }
  const cache = options.codeCache;
  if (cache !== undefined) {
    for (const entry of bundle.code) {
      const cached = cache.get(entry.address);
      if (cached !== undefined && entry.codeHash !== null && cached.codeHash !== entry.codeHash) {
        issues.push(`code ${entry.address}: cached ${cached.codeHash}, bundle ${entry.codeHash}`);
      }
    }
  }
  if (issues.length > 0) {
    throw new InvalidSnapshotError(`inconsistent bundle: ${issues.join("; ")}`, { issues });
  }
  const engine = fromSnapshot(snap, { ...options, codeCache: cache });
  if (cache !== undefined) {
    // fromSnapshot checked live orders; the bundle's own list must be satisfiable too.
    const missing = bundle.code.filter((c) => !cache.has(c.address, c.kind));
    if (missing.length > 0) {
      throw new SnapshotBytecodeMissingError("bundle code missing from the cache", {
        missing: missing.map((m) => ({
          address: m.address as Address,
          kind: m.kind,
          orderHashes: [],
        })),
      });
    }
  }
  return engine;
}
