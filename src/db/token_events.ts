/**
 * The V6 token model's stored facts (`token_events`, migration 3): `Transfer` and
 * `Approval(owner, orderbook, …)` logs of tracked (token, account) pairs and the `balanceOf` /
 * `allowance` seeds each pair starts from.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { insertIdempotent } from "./insert.ts";
import type { Db } from "./types.ts";

/** A seed's `log_index`: after every log of its block (seeds are end-of-block reads). */
export const SEED_LOG_INDEX = 4294967295;

/** One stored token-model fact. */
export type TokenEventRow = {
  readonly blockNumber: bigint;
  /** The log's index; {@link SEED_LOG_INDEX} for seeds. */
  readonly logIndex: number;
  /** The log's transaction; `null` for seeds. */
  readonly txHash: Hex | null;
  readonly kind: "transfer" | "approval" | "seed-balance" | "seed-allowance";
  readonly token: Address;
  /** `Transfer` from, `Approval` owner, the seeded account. */
  readonly account: Address;
  /** `Transfer` to, `Approval` spender; `null` for seeds. */
  readonly counterparty: Address | null;
  /** Token units. */
  readonly amount: bigint;
};

const COLUMNS = [
  "chain_id",
  "orderbook",
  "block_number",
  "log_index",
  "tx_hash",
  "kind",
  "token",
  "account",
  "counterparty",
  "amount",
] as const;

/**
 * Inserts token-model rows (idempotent: a row already stored is kept).
 *
 * @returns How many rows were new.
 * @example
 * ```ts
 * import { insertTokenEvents, migrate, SEED_LOG_INDEX } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await insertTokenEvents(db, 1, "0x00000000000000000000000000000000000000aa", [{
 *   blockNumber: 9n, logIndex: SEED_LOG_INDEX, txHash: null, kind: "seed-balance",
 *   token: "0x00000000000000000000000000000000000000bb",
 *   account: "0x00000000000000000000000000000000000000cc", counterparty: null, amount: 5n,
 * }]);
 * await db.close();
 * ```
 */
export function insertTokenEvents(
  db: Db,
  chainId: number,
  orderbook: Address,
  rows: readonly TokenEventRow[],
): Promise<number> {
  return insertIdempotent(
    db,
    "token_events",
    COLUMNS,
    rows.map((r) => [
      BigInt(chainId),
      orderbook.toLowerCase(),
      r.blockNumber,
      r.logIndex,
      r.txHash === null ? null : r.txHash.toLowerCase(),
      r.kind,
      r.token.toLowerCase(),
      r.account.toLowerCase(),
      r.counterparty === null ? null : r.counterparty.toLowerCase(),
      r.amount.toString(),
    ]),
    ["chain_id", "orderbook", "block_number", "log_index", "kind", "token", "account"],
  );
}

/**
 * Reads an orderbook's token-model rows in application order (block, then log index; seeds last
 * in their block).
 *
 * @example
 * ```ts
 * import { migrate, readTokenEvents } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await readTokenEvents(db, 1, "0x00000000000000000000000000000000000000aa")); // []
 * await db.close();
 * ```
 */
export async function readTokenEvents(
  db: Db,
  chainId: number,
  orderbook: Address,
  options: { toBlock?: bigint } = {},
): Promise<TokenEventRow[]> {
  const rows = await db.query<{
    block_number: bigint;
    log_index: number;
    tx_hash: string | null;
    kind: TokenEventRow["kind"];
    token: string;
    account: string;
    counterparty: string | null;
    amount: string;
  }>(
    `SELECT block_number, log_index, tx_hash, kind, token, account, counterparty, amount
     FROM token_events WHERE chain_id = $1 AND orderbook = $2 AND block_number <= $3::UBIGINT
     ORDER BY block_number, log_index, kind, token, account`,
    [BigInt(chainId), orderbook.toLowerCase(), options.toBlock ?? 2n ** 64n - 1n],
  );
  return rows.map((r) => ({
    blockNumber: BigInt(r.block_number),
    logIndex: Number(r.log_index),
    txHash: r.tx_hash as Hex | null,
    kind: r.kind,
    token: r.token as Address,
    account: r.account as Address,
    counterparty: r.counterparty as Address | null,
    amount: BigInt(r.amount),
  }));
}
