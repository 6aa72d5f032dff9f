/**
 * Contract code fetched from a chain (interpreters, stores, orderbooks), keyed by chain, address
 * and code hash so the same address on two chains — or redeployed code — never collide.
 *
 * @module
 */
import { type Address, type Hex, keccak256 } from "viem";
import { CorruptDatabaseError } from "./errors.ts";
import { insertIdempotent } from "./insert.ts";
import type { Db } from "./types.ts";

/** What the code is used for. */
export type BytecodeKind = "interpreter" | "store" | "orderbook" | "contract";

/** Code to record; its `keccak256` is computed here. */
export type BytecodeArtifactInput = {
  readonly chainId: number;
  readonly address: Address;
  readonly kind: BytecodeKind;
  /** Runtime code (`eth_getCode`). */
  readonly bytecode: Hex;
  /** Block the code was read at. */
  readonly fetchedAtBlock: bigint;
  /** Timestamp (seconds) of that block, when known. */
  readonly fetchedAtTs?: bigint | null;
};

/** Stored code, its hash checked on read. */
export type BytecodeArtifact = {
  readonly chainId: number;
  readonly address: Address;
  readonly kind: BytecodeKind;
  readonly bytecode: Hex;
  readonly codeHash: Hex;
  readonly fetchedAtBlock: bigint;
  readonly fetchedAtTs: bigint | null;
};

type ArtifactRow = {
  chain_id: bigint;
  address: Address;
  kind: BytecodeKind;
  bytecode: Hex;
  code_hash: Hex;
  fetched_at_block: bigint;
  fetched_at_ts: bigint | null;
};

/**
 * Records code; the same code at the same address is stored once (the first fetch is kept).
 *
 * @returns The number of new rows.
 *
 * @example
 * ```ts
 * import { insertBytecodeArtifacts, migrate } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await insertBytecodeArtifacts(db, [{
 *   chainId: 1, address: "0x00000000000000000000000000000000000000dd", kind: "store",
 *   bytecode: "0x6000", fetchedAtBlock: 10n,
 * }]);
 * await db.close();
 * ```
 */
export function insertBytecodeArtifacts(
  db: Db,
  artifacts: readonly BytecodeArtifactInput[],
): Promise<number> {
  return insertIdempotent(
    db,
    "bytecode_artifacts",
    [
      "chain_id",
      "address",
      "kind",
      "bytecode",
      "code_hash",
      "fetched_at_block",
      "fetched_at_ts",
    ],
    artifacts.map((a) => {
      const bytecode = a.bytecode.toLowerCase() as Hex;
      return [
        BigInt(a.chainId),
        a.address.toLowerCase(),
        a.kind,
        bytecode,
        keccak256(bytecode),
        a.fetchedAtBlock,
        a.fetchedAtTs ?? null,
      ];
    }),
  );
}

/**
 * Stored code of a chain (optionally of one address), latest fetch first per address. Each row's
 * hash is checked against its code.
 *
 * @throws {CorruptDatabaseError} when stored code does not hash to its `code_hash`.
 *
 * @example
 * ```ts
 * import { migrate, readBytecodeArtifacts } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readBytecodeArtifacts(db, 1)); // []
 * await db.close();
 * ```
 */
export async function readBytecodeArtifacts(
  db: Db,
  chainId: number,
  address?: Address,
): Promise<BytecodeArtifact[]> {
  const rows = address === undefined
    ? await db.query<ArtifactRow>(
      "SELECT * FROM bytecode_artifacts WHERE chain_id = $1 ORDER BY address, fetched_at_block DESC",
      [BigInt(chainId)],
    )
    : await db.query<ArtifactRow>(
      "SELECT * FROM bytecode_artifacts WHERE chain_id = $1 AND address = $2 " +
        "ORDER BY fetched_at_block DESC",
      [BigInt(chainId), address.toLowerCase()],
    );
  return rows.map((row) => {
    if (keccak256(row.bytecode) !== row.code_hash) {
      throw new CorruptDatabaseError(
        `bytecode of ${row.address} on chain ${row.chain_id} does not hash to its stored ` +
          `code_hash ${row.code_hash}`,
        { path: db.path, table: "bytecode_artifacts", reason: "code hash mismatch" },
      );
    }
    return {
      chainId: Number(row.chain_id),
      address: row.address,
      kind: row.kind,
      bytecode: row.bytecode,
      codeHash: row.code_hash,
      fetchedAtBlock: row.fetched_at_block,
      fetchedAtTs: row.fetched_at_ts,
    };
  });
}
