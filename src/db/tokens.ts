/**
 * ERC-20 token facts, decimals above all: recorded per token with how they were obtained, and a
 * failed `decimals()` recorded as such — never replaced by a default of 18.
 *
 * @module
 */
import type { Address } from "viem";
import type { Db } from "./types.ts";

/**
 * How a token's decimals are known: read from the token (`ok`), the read reverted or returned
 * garbage (`reverted`, decimals `null`), or set by the user (`override`, never replaced by a read).
 */
export type DecimalsStatus = "ok" | "reverted" | "override";

/** A token to record. `decimals` is required unless `decimalsStatus` is `reverted`. */
export type Erc20TokenInput = {
  readonly chainId: number;
  readonly address: Address;
  readonly decimals: number | null;
  readonly decimalsStatus: DecimalsStatus;
  /** Why the read failed (revert data or message), for `reverted`. */
  readonly decimalsError?: string | null;
  readonly symbol?: string | null;
  readonly name?: string | null;
  /** Block the facts were read at. */
  readonly fetchedAtBlock?: bigint | null;
};

/** A stored token. */
export type Erc20TokenRecord = {
  readonly chainId: number;
  readonly address: Address;
  readonly decimals: number | null;
  readonly decimalsStatus: DecimalsStatus;
  readonly decimalsError: string | null;
  readonly symbol: string | null;
  readonly name: string | null;
  readonly fetchedAtBlock: bigint | null;
  /** Wall-clock time of the last write, ms since the epoch. */
  readonly updatedAt: number;
};

type TokenRow = {
  chain_id: bigint;
  address: Address;
  decimals: number | null;
  decimals_status: DecimalsStatus;
  decimals_error: string | null;
  symbol: string | null;
  name: string | null;
  fetched_at_block: bigint | null;
  updated_at: bigint;
};

function toRecord(row: TokenRow): Erc20TokenRecord {
  return {
    chainId: Number(row.chain_id),
    address: row.address,
    decimals: row.decimals,
    decimalsStatus: row.decimals_status,
    decimalsError: row.decimals_error,
    symbol: row.symbol,
    name: row.name,
    fetchedAtBlock: row.fetched_at_block,
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Records (or updates) a token. An `override` is sticky: later `ok`/`reverted` reads do not replace
 * it; another `override` does. The table's CHECK rejects `decimals: null` unless `reverted`, and
 * decimals outside 0…255.
 *
 * @throws {DbQueryError} when the row breaks the table's constraints.
 *
 * @example
 * ```ts
 * import { migrate, readErc20Token, upsertErc20Token } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const address = "0x00000000000000000000000000000000000000cc";
 * await upsertErc20Token(db, { chainId: 1, address, decimals: null, decimalsStatus: "reverted" });
 * console.log((await readErc20Token(db, 1, address))?.decimals); // null
 * await db.close();
 * ```
 */
export async function upsertErc20Token(db: Db, token: Erc20TokenInput): Promise<void> {
  await db.query(
    `INSERT INTO erc20_tokens VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (chain_id, address) DO UPDATE SET decimals = excluded.decimals,
       decimals_status = excluded.decimals_status, decimals_error = excluded.decimals_error,
       symbol = excluded.symbol, name = excluded.name,
       fetched_at_block = excluded.fetched_at_block, updated_at = excluded.updated_at
     WHERE erc20_tokens.decimals_status <> 'override' OR excluded.decimals_status = 'override'`,
    [
      BigInt(token.chainId),
      token.address.toLowerCase(),
      token.decimals,
      token.decimalsStatus,
      token.decimalsError ?? null,
      token.symbol ?? null,
      token.name ?? null,
      token.fetchedAtBlock ?? null,
      BigInt(Date.now()),
    ],
  );
}

/**
 * A stored token, or `null` when never recorded. Callers that need decimals must treat `null`
 * decimals (status `reverted`) and a missing token as errors, not as 18.
 *
 * @example
 * ```ts
 * import { migrate, readErc20Token } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readErc20Token(db, 1, "0x00000000000000000000000000000000000000cc")); // null
 * await db.close();
 * ```
 */
export async function readErc20Token(
  db: Db,
  chainId: number,
  address: Address,
): Promise<Erc20TokenRecord | null> {
  const rows = await db.query<TokenRow>(
    "SELECT * FROM erc20_tokens WHERE chain_id = $1 AND address = $2",
    [BigInt(chainId), address.toLowerCase()],
  );
  return rows.length === 0 ? null : toRecord(rows[0]);
}

/**
 * Every stored token of a chain, ordered by address.
 *
 * @example
 * ```ts
 * import { migrate, readErc20Tokens } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readErc20Tokens(db, 1)); // []
 * await db.close();
 * ```
 */
export async function readErc20Tokens(db: Db, chainId: number): Promise<Erc20TokenRecord[]> {
  const rows = await db.query<TokenRow>(
    "SELECT * FROM erc20_tokens WHERE chain_id = $1 ORDER BY address",
    [BigInt(chainId)],
  );
  return rows.map(toRecord);
}
