/**
 * The bytecode cache: runtime code by address (case-insensitive), with its kind and keccak code
 * hash. One cache describes one chain (the same address can hold different code on two chains).
 * No RPC: code comes in as artifacts.
 *
 * @module
 */
import { type Address, getAddress, type Hex, hexToBytes, isAddress, keccak256 } from "viem";
import {
  BytecodeCollisionError,
  type CodeKind,
  InvalidBytecodeEncodingError,
  MissingBytecodeError,
} from "./errors.ts";

/** Code for one address, as given to the cache. */
export type CodeArtifact = {
  /** Contract address, any case. */
  readonly address: string;
  /** `interpreter` (runs as code), `store` (served from the virtual store) or `contract` (code). */
  readonly kind: CodeKind;
  /** Runtime bytecode, `0x`-prefixed hex, non-empty. */
  readonly bytecode: string;
};

/** One cached code entry. */
export type CodeEntry = {
  /** Checksummed address. */
  readonly address: Address;
  readonly kind: CodeKind;
  /** Runtime bytecode, lowercase hex. */
  readonly bytecode: Hex;
  /** `keccak256(bytecode)`, the `EXTCODEHASH` of the account. */
  readonly codeHash: Hex;
  /** The bytecode as bytes, one buffer per code hash; shared with the host, never mutate it. */
  readonly bytes: Uint8Array;
};

/** Runtime code by address for the interpreter host. */
export type CodeCache = {
  /**
   * Adds code for an address; adding identical code again is a no-op. Throws
   * `InvalidBytecodeEncodingError` or `BytecodeCollisionError`.
   */
  upsert(artifact: CodeArtifact): CodeEntry;
  /** Adds interpreters (kind `interpreter`). */
  ingestInterpreters(
    artifacts: readonly { readonly address: string; readonly bytecode: string }[],
  ): CodeEntry[];
  /** Adds stores (kind `store`). */
  ingestStores(
    artifacts: readonly { readonly address: string; readonly bytecode: string }[],
  ): CodeEntry[];
  /** True when code is cached for the address (and, if given, is of that kind). */
  has(address: string, kind?: CodeKind): boolean;
  /** The entry for the address, if any. */
  get(address: string): CodeEntry | undefined;
  /** The entry for the address of that kind; throws `MissingBytecodeError` otherwise. */
  require(address: string, kind: CodeKind): CodeEntry;
  /** Every entry, in insertion order. */
  entries(): CodeEntry[];
  /** Number of cached addresses. */
  readonly size: number;
};

/** Errors `createCodeCache` and `CodeCache.upsert` can raise. */
export type CodeCacheErrorType = InvalidBytecodeEncodingError | BytecodeCollisionError;

const HEX_BODY = /^[0-9a-fA-F]*$/;

/**
 * Creates a bytecode cache, optionally filled with artifacts.
 *
 * @param artifacts Code to add right away (same rules as `upsert`).
 * @returns The cache.
 * @example
 * ```ts
 * import { createCodeCache } from "./mod.ts";
 * const cache = createCodeCache([
 *   { address: "0x00000000000000000000000000000000000000AA", kind: "interpreter", bytecode: "0x00" },
 * ]);
 * console.log(cache.get("0x00000000000000000000000000000000000000aa")?.codeHash);
 * ```
 */
export function createCodeCache(artifacts: readonly CodeArtifact[] = []): CodeCache {
  const byAddress = new Map<string, CodeEntry>();
  // One buffer per code hash: the host's jump-analysis cache is keyed by buffer, so identical code
  // at several addresses is analysed once.
  const bytesByHash = new Map<Hex, Uint8Array>();

  function upsert(artifact: CodeArtifact): CodeEntry {
    const key = normalizeAddress(artifact.address, artifact.kind);
    const bytecode = normalizeBytecode(artifact.bytecode, artifact.address, artifact.kind);
    const existing = byAddress.get(key);
    if (existing !== undefined) {
      if (existing.bytecode === bytecode && existing.kind === artifact.kind) return existing;
      const codeHash = keccak256(bytecode);
      throw new BytecodeCollisionError(
        `code cache: ${existing.address} already holds ${existing.kind} code ${existing.codeHash}; ` +
          `refusing ${artifact.kind} code ${codeHash}`,
        {
          address: existing.address,
          existingCodeHash: existing.codeHash,
          newCodeHash: codeHash,
          existingKind: existing.kind,
          newKind: artifact.kind,
        },
      );
    }
    const codeHash = keccak256(bytecode);
    let bytes = bytesByHash.get(codeHash);
    if (bytes === undefined) {
      bytes = hexToBytes(bytecode);
      bytesByHash.set(codeHash, bytes);
    }
    const entry: CodeEntry = {
      address: getAddress(key),
      kind: artifact.kind,
      bytecode,
      codeHash,
      bytes,
    };
    byAddress.set(key, entry);
    return entry;
  }

  const cache: CodeCache = {
    upsert,
    ingestInterpreters: (list) =>
      list.map((a) => upsert({ address: a.address, kind: "interpreter", bytecode: a.bytecode })),
    ingestStores: (list) =>
      list.map((a) => upsert({ address: a.address, kind: "store", bytecode: a.bytecode })),
    has(address, kind) {
      const entry = byAddress.get(address.toLowerCase());
      return entry !== undefined && (kind === undefined || entry.kind === kind);
    },
    get: (address) => byAddress.get(address.toLowerCase()),
    require(address, kind) {
      const entry = byAddress.get(address.toLowerCase());
      if (entry !== undefined && entry.kind === kind) return entry;
      const checksummed = isAddress(address, { strict: false })
        ? getAddress(address)
        : address as Address;
      throw new MissingBytecodeError(
        entry === undefined
          ? `code cache: no ${kind} code for ${checksummed}`
          : `code cache: ${checksummed} holds ${entry.kind} code, not ${kind}`,
        entry === undefined
          ? { address: checksummed, kind }
          : { address: checksummed, kind, cachedKind: entry.kind },
      );
    },
    entries: () => [...byAddress.values()],
    get size() {
      return byAddress.size;
    },
  };
  for (const artifact of artifacts) upsert(artifact);
  return cache;
}

function normalizeAddress(address: string, kind: CodeKind): string {
  if (typeof address !== "string" || !isAddress(address, { strict: false })) {
    throw new InvalidBytecodeEncodingError(
      `code cache: '${String(address)}' is not a 20-byte hex address`,
      { address: String(address), kind, reason: "address" },
    );
  }
  return address.toLowerCase();
}

function normalizeBytecode(bytecode: string, address: string, kind: CodeKind): Hex {
  if (typeof bytecode !== "string" || !bytecode.startsWith("0x")) {
    throw new InvalidBytecodeEncodingError(
      `code cache: bytecode for ${address} is not 0x-prefixed hex`,
      { address, kind, reason: "malformed" },
    );
  }
  const body = bytecode.slice(2);
  if (body.length === 0) {
    throw new InvalidBytecodeEncodingError(
      `code cache: bytecode for ${address} is empty (an account without code cannot be run)`,
      { address, kind, reason: "empty" },
    );
  }
  if (body.length % 2 !== 0 || !HEX_BODY.test(body)) {
    throw new InvalidBytecodeEncodingError(
      `code cache: bytecode for ${address} is not even-length hex`,
      { address, kind, reason: "malformed" },
    );
  }
  return `0x${body.toLowerCase()}`;
}
