/**
 * Rehydrates the interpreter host's bytecode cache from the database, with no RPC.
 *
 * @module
 */
import type { Address } from "viem";
import { type Db, readBytecodeArtifacts } from "../db/mod.ts";
import { type CodeCache, type CodeKind, createCodeCache } from "../evm/mod.ts";
import { SyncConfigError } from "./errors.ts";

/**
 * Builds a code cache from the `bytecode_artifacts` of one chain: for each address, its most
 * recently fetched code (interpreters and stores keep their kind; anything else is `contract`).
 *
 * @param db A migrated database.
 * @param chainId The chain (the same address can hold different code on two chains); may be left
 *   out when the database holds code of one chain only.
 * @param addresses When given, only these addresses.
 * @throws {SyncConfigError} When `chainId` is left out and the database holds several chains.
 * @returns The cache.
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { loadCodeCache } from "./mod.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log((await loadCodeCache(db)).size); // 0
 * await db.close();
 * ```
 */
export async function loadCodeCache(
  db: Db,
  chainId?: number,
  addresses?: readonly Address[],
): Promise<CodeCache> {
  if (chainId === undefined) {
    const chains = await db.query<{ chain_id: bigint }>(
      "SELECT DISTINCT chain_id FROM bytecode_artifacts ORDER BY 1",
    );
    if (chains.length > 1) {
      throw new SyncConfigError(
        `loadCodeCache: the database holds code of chains ${
          chains.map((c) => c.chain_id).join(", ")
        }; give the chain id`,
        { issues: ["chainId: required when several chains are stored"] },
      );
    }
    if (chains.length === 0) return createCodeCache();
    chainId = Number(chains[0].chain_id);
  }
  const wanted = addresses === undefined
    ? undefined
    : new Set(addresses.map((a) => a.toLowerCase()));
  const cache = createCodeCache();
  const seen = new Set<string>();
  // Newest first per address (readBytecodeArtifacts orders by fetched_at_block descending).
  for (const artifact of await readBytecodeArtifacts(db, chainId)) {
    const key = artifact.address.toLowerCase();
    if (seen.has(key) || (wanted !== undefined && !wanted.has(key))) continue;
    seen.add(key);
    const kind: CodeKind = artifact.kind === "interpreter" || artifact.kind === "store"
      ? artifact.kind
      : "contract";
    cache.upsert({ address: artifact.address, kind, bytecode: artifact.bytecode });
  }
  return cache;
}
