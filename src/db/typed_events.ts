/**
 * The ordered read of the decoded event tables: what a rebuild needs of an orderbook's history,
 * without the raw logs' ABI bytes.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { EventRef } from "./decoded.ts";
import { TypedEventRowError } from "./errors.ts";
import { blockRanges, orderbookAndStoresWhere, storeAddresses } from "./events.ts";
import { quoteString } from "./sql.ts";
import type { Db } from "./types.ts";

/** Where a stored event was emitted (the typed tables keep no transaction index). */
export type StoredEventPosition = Pick<EventRef, "blockNumber" | "logIndex" | "txHash">;

/** An `AddOrderV3` or `RemoveOrderV3` row of `order_events`. */
export type StoredOrderEvent = StoredEventPosition & {
  readonly kind: "add" | "remove";
  readonly sender: Address;
  readonly orderHash: Hex;
  /** The order as stored (`order_json`, the decoder's spelling). */
  readonly orderJson: string;
};

/** A `TakeOrderV3` row of `takes`. */
export type StoredTake = StoredEventPosition & {
  readonly kind: "take";
  readonly sender: Address;
  readonly orderHash: Hex;
  readonly inputIOIndex: number;
  readonly outputIOIndex: number;
  /** The taker's input (the order's output), a packed Float. */
  readonly takerInput: Hex;
  /** The taker's output (the order's input), a packed Float. */
  readonly takerOutput: Hex;
  /**
   * The take's whole config (`config_json`, read for its order), or `null` when the order was
   * added earlier in this read: then the `add` record of `orderHash` holds it.
   */
  readonly configJson: string | null;
};

/** A `ClearV3` row of `clears`, joined with its `AfterClearV2`. */
export type StoredClear = StoredEventPosition & {
  readonly kind: "clear";
  readonly afterClearLogIndex: number;
  readonly sender: Address;
  readonly aliceOrderHash: Hex;
  readonly bobOrderHash: Hex;
  /** Alice's order, or `null` when it was added earlier in this read (as for takes). */
  readonly aliceOrderJson: string | null;
  /** Bob's order, or `null` when it was added earlier in this read. */
  readonly bobOrderJson: string | null;
  readonly aliceInputIOIndex: number;
  readonly aliceOutputIOIndex: number;
  readonly bobInputIOIndex: number;
  readonly bobOutputIOIndex: number;
  readonly aliceBountyVaultId: Hex;
  readonly bobBountyVaultId: Hex;
  readonly aliceInput: Hex;
  readonly aliceOutput: Hex;
  readonly bobInput: Hex;
  readonly bobOutput: Hex;
};

/** A `DepositV2` row of `deposits`. */
export type StoredDeposit = StoredEventPosition & {
  readonly kind: "deposit";
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  /** The event's rounded-up `uint256`. */
  readonly amountUint256: bigint;
  /** The exact Float from the deposit's calldata, or `null` when only the event amount is known. */
  readonly exactAmount: Hex | null;
};

/** A `WithdrawV2` row of `withdrawals`. */
export type StoredWithdrawal = StoredEventPosition & {
  readonly kind: "withdraw";
  readonly sender: Address;
  readonly token: Address;
  readonly vaultId: Hex;
  readonly targetAmount: Hex;
  readonly withdrawAmount: Hex;
  readonly withdrawAmountUint256: bigint;
};

/** A store's `Set` row of `store_sets`. */
export type StoredStoreSet = StoredEventPosition & {
  readonly kind: "set";
  readonly store: Address;
  /** The fully qualified namespace, as a `bytes32`. */
  readonly fqn: Hex;
  readonly key: Hex;
  readonly value: Hex;
};

/** One state-changing event as the typed tables hold it. */
export type StoredEventRecord =
  | StoredOrderEvent
  | StoredTake
  | StoredClear
  | StoredDeposit
  | StoredWithdrawal
  | StoredStoreSet;

/** A block of a piece: every block holding one of the orderbook's or its stores' logs. */
export type StoredBlock = {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  /**
   * Another hash seen on the block's stored logs, when they disagree (a damaged database: a
   * rebuild reports it rather than picking one).
   */
  readonly otherBlockHash: Hex | null;
  /** Stored logs of the block (events with a typed row, and contexts, meta and skip events). */
  readonly logs: number;
  /** The block's timestamp from `blocks`, when stored. */
  readonly timestamp: bigint | null;
};

/** A piece of whole blocks: their state-changing events in chain order, and the blocks. */
export type StoredEventPiece = {
  readonly records: StoredEventRecord[];
  readonly blocks: StoredBlock[];
};

/** Options of {@link readTypedEventsOrdered}. */
export type ReadTypedEventsOrderedOptions = {
  /** First block to include (orders added before it are not known to the read). */
  fromBlock?: bigint;
  /** Last block to include. */
  toBlock?: bigint;
  /** Stored logs per read (default 10,000; whole blocks, so a read can hold more). */
  chunkSize?: number;
};

const MAX_UBIGINT = 2n ** 64n - 1n;
const FIELD = "\x1e";
const ROW = "\x1f";

// Each table's rows as one line: a kind letter, the position, then the fields its record needs.
// A take or clear names its order(s) by hash when the order's AddOrderV3 came earlier in the read
// (the reader has it), and carries the JSON only otherwise: most takes name an order added in view.
const knownOrder = (hash: string, alias: string) =>
  `EXISTS (SELECT 1 FROM order_events o WHERE o.chain_id = ${alias}.chain_id
     AND o.orderbook = ${alias}.orderbook AND o.order_hash = ${hash} AND o.kind = 'add'
     AND o.block_number >= $5::UBIGINT AND (o.block_number < ${alias}.block_number
       OR (o.block_number = ${alias}.block_number AND o.log_index < ${alias}.log_index)))`;

const inRange = (alias: string) =>
  `${alias}.chain_id = $1::UBIGINT AND ${alias}.block_number >= $3::UBIGINT
   AND ${alias}.block_number <= $4::UBIGINT`;

function typedLinesSql(storeList: string): string {
  const sets = storeList === "" ? "" : `UNION ALL
    SELECT s.block_number, s.log_index, concat_ws(chr(30), 'S', s.block_number, s.log_index,
      s.tx_hash, s.store, s.fqn, s.key, s.value)
    FROM store_sets s WHERE ${inRange("s")} AND s.store IN (${storeList})`;
  return `SELECT count(*) AS n, string_agg(line, chr(31) ORDER BY block_number, log_index) AS rows
  FROM (
    SELECT o.block_number, o.log_index, concat_ws(chr(30), CASE o.kind WHEN 'add' THEN 'A' ELSE 'R' END,
      o.block_number, o.log_index, o.tx_hash, o.sender, o.order_hash, o.order_json) AS line
    FROM order_events o WHERE ${inRange("o")} AND o.orderbook = $2
    UNION ALL
    SELECT t.block_number, t.log_index, concat_ws(chr(30), 'T', t.block_number, t.log_index,
      t.tx_hash, t.sender, t.order_hash, t.input_io_index, t.output_io_index, t.taker_input,
      t.taker_output, CASE WHEN ${knownOrder("t.order_hash", "t")} THEN '' ELSE t.config_json END)
    FROM takes t WHERE ${inRange("t")} AND t.orderbook = $2
    UNION ALL
    SELECT c.block_number, c.log_index, concat_ws(chr(30), 'C', c.block_number, c.log_index,
      c.tx_hash, c.after_clear_log_index, c.sender, c.alice_order_hash, c.bob_order_hash,
      c.alice_input_io_index, c.alice_output_io_index, c.bob_input_io_index, c.bob_output_io_index,
      c.alice_bounty_vault_id, c.bob_bounty_vault_id, c.alice_input, c.alice_output, c.bob_input,
      c.bob_output,
      CASE WHEN ${knownOrder("c.alice_order_hash", "c")} THEN '' ELSE c.alice_order_json END,
      CASE WHEN ${knownOrder("c.bob_order_hash", "c")} THEN '' ELSE c.bob_order_json END)
    FROM clears c WHERE ${inRange("c")} AND c.orderbook = $2
    UNION ALL
    SELECT d.block_number, d.log_index, concat_ws(chr(30), 'D', d.block_number, d.log_index,
      d.tx_hash, d.sender, d.token, d.vault_id, d.amount_uint256,
      CASE WHEN d.exact THEN d.amount ELSE '' END)
    FROM deposits d WHERE ${inRange("d")} AND d.orderbook = $2
    UNION ALL
    SELECT w.block_number, w.log_index, concat_ws(chr(30), 'W', w.block_number, w.log_index,
      w.tx_hash, w.sender, w.token, w.vault_id, w.target_amount, w.withdraw_amount,
      w.withdraw_amount_uint256)
    FROM withdrawals w WHERE ${inRange("w")} AND w.orderbook = $2
    ${sets}
  )`;
}

/** Fields of each kind's line. */
const FIELDS: Readonly<Record<string, { table: string; count: number }>> = {
  A: { table: "order_events", count: 7 },
  R: { table: "order_events", count: 7 },
  T: { table: "takes", count: 11 },
  C: { table: "clears", count: 20 },
  D: { table: "deposits", count: 9 },
  W: { table: "withdrawals", count: 10 },
  S: { table: "store_sets", count: 8 },
};

function parseLine(line: string): StoredEventRecord {
  const f = line.split(FIELD);
  const spec = FIELDS[f[0]];
  if (spec === undefined || f.length !== spec.count) {
    throw new TypedEventRowError(
      `a stored ${spec?.table ?? "event"} row of block ${f[1]} does not read back as written`,
      {
        table: spec?.table ?? "unknown",
        blockNumber: f[1] ?? "",
        reason: `${f.length} fields for kind ${JSON.stringify(f[0])}`,
      },
    );
  }
  const blockNumber = BigInt(f[1]);
  const logIndex = Number(f[2]);
  const txHash = f[3] as Hex;
  switch (f[0]) {
    case "A":
    case "R":
      return {
        kind: f[0] === "A" ? "add" : "remove",
        blockNumber,
        logIndex,
        txHash,
        sender: f[4] as Address,
        orderHash: f[5] as Hex,
        orderJson: f[6],
      };
    case "T":
      return {
        kind: "take",
        blockNumber,
        logIndex,
        txHash,
        sender: f[4] as Address,
        orderHash: f[5] as Hex,
        inputIOIndex: Number(f[6]),
        outputIOIndex: Number(f[7]),
        takerInput: f[8] as Hex,
        takerOutput: f[9] as Hex,
        configJson: f[10] === "" ? null : f[10],
      };
    case "C":
      return {
        kind: "clear",
        blockNumber,
        logIndex,
        txHash,
        afterClearLogIndex: Number(f[4]),
        sender: f[5] as Address,
        aliceOrderHash: f[6] as Hex,
        bobOrderHash: f[7] as Hex,
        aliceInputIOIndex: Number(f[8]),
        aliceOutputIOIndex: Number(f[9]),
        bobInputIOIndex: Number(f[10]),
        bobOutputIOIndex: Number(f[11]),
        aliceBountyVaultId: f[12] as Hex,
        bobBountyVaultId: f[13] as Hex,
        aliceInput: f[14] as Hex,
        aliceOutput: f[15] as Hex,
        bobInput: f[16] as Hex,
        bobOutput: f[17] as Hex,
        aliceOrderJson: f[18] === "" ? null : f[18],
        bobOrderJson: f[19] === "" ? null : f[19],
      };
    case "D":
      return {
        kind: "deposit",
        blockNumber,
        logIndex,
        txHash,
        sender: f[4] as Address,
        token: f[5] as Address,
        vaultId: f[6] as Hex,
        amountUint256: BigInt(f[7]),
        exactAmount: f[8] === "" ? null : f[8] as Hex,
      };
    case "W":
      return {
        kind: "withdraw",
        blockNumber,
        logIndex,
        txHash,
        sender: f[4] as Address,
        token: f[5] as Address,
        vaultId: f[6] as Hex,
        targetAmount: f[7] as Hex,
        withdrawAmount: f[8] as Hex,
        withdrawAmountUint256: BigInt(f[9]),
      };
    default:
      return {
        kind: "set",
        blockNumber,
        logIndex,
        txHash,
        store: f[4] as Address,
        fqn: f[5] as Hex,
        key: f[6] as Hex,
        value: f[7] as Hex,
      };
  }
}

/** A typed row in a block where no raw log of the orderbook or its stores is stored. */
function withoutRawLog(record: StoredEventRecord, line: string): TypedEventRowError {
  const blockNumber = String(record.blockNumber);
  return new TypedEventRowError(`a stored typed event of block ${blockNumber} has no raw log`, {
    table: FIELDS[line[0]].table,
    blockNumber,
    reason: "no raw_events row in its block",
  });
}

function parseBlocks(text: string | null): StoredBlock[] {
  if (text === null || text === "") return [];
  return text.split(ROW).map((line) => {
    const [number, logs, low, high, timestamp] = line.split(FIELD);
    return {
      blockNumber: BigInt(number),
      blockHash: low as Hex,
      otherBlockHash: high === low ? null : high as Hex,
      logs: Number(logs),
      timestamp: timestamp === "" ? null : BigInt(timestamp),
    };
  });
}

/** Stored logs yielded at a time (then on to the end of the block). */
const PIECE_LOGS = 1000;

/**
 * Reads an orderbook's state-changing history from the typed tables — `order_events`, `takes`,
 * `clears` (with their `AfterClearV2`), `deposits`, `withdrawals` and its stores' `store_sets` —
 * in `(block_number, log_index)` order, with every block that holds a stored log (its hash, its
 * log count, its timestamp). The raw logs' ABI bytes are not read: a take names its order by hash
 * when the order's `AddOrderV3` came earlier in the read, so its order is sent once. Contexts,
 * meta and skip events change no state and are only counted. Blocks are split into ranges of
 * about `chunkSize` stored logs (a block is never split), each read in two queries issued as soon
 * as the previous range arrives, and yielded in pieces of whole blocks of about 1,000 logs. Logs
 * stored meanwhile beyond the last range are read at the end.
 *
 * @example
 * ```ts
 * import { migrate, readTypedEventsOrdered } from "./mod.ts";
 * import { openDuckDbMemory } from "./native.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * for await (const piece of readTypedEventsOrdered(db, 1, orderbook)) {
 *   for (const record of piece.records) console.log(record.blockNumber, record.kind);
 * }
 * await db.close();
 * ```
 */
export async function* readTypedEventsOrdered(
  db: Db,
  chainId: number,
  orderbook: Address,
  options: ReadTypedEventsOrderedOptions = {},
): AsyncGenerator<StoredEventPiece, void, undefined> {
  const chunkSize = options.chunkSize ?? 10_000;
  if (!Number.isSafeInteger(chunkSize) || chunkSize <= 0) {
    throw new RangeError(`chunkSize must be a positive integer, got ${chunkSize}`);
  }
  const from = options.fromBlock ?? 0n;
  const to = options.toBlock ?? MAX_UBIGINT;
  const chain = BigInt(chainId);
  const ob = orderbook.toLowerCase();
  const stores = await storeAddresses(db, chain, ob);
  const rawWhere = orderbookAndStoresWhere(stores);
  const linesSql = typedLinesSql(stores.map(quoteString).join(", "));
  const blocksSql = `SELECT string_agg(concat_ws(chr(30), r.block_number, r.n, r.low, r.high,
      coalesce(CAST(b.timestamp AS VARCHAR), '')), chr(31) ORDER BY r.block_number) AS blocks
    FROM (SELECT e.block_number, count(*) AS n, min(e.block_hash) AS low, max(e.block_hash) AS high
          FROM raw_events e
          WHERE ${rawWhere} AND e.block_number >= $3::UBIGINT AND e.block_number <= $4::UBIGINT
          GROUP BY 1) r
    LEFT JOIN blocks b ON b.chain_id = $1::UBIGINT AND b.block_number = r.block_number`;
  const readRange = ({ lo, hi }: { lo: bigint; hi: bigint }) =>
    Promise.all([
      db.query<{ n: bigint; rows: string | null }>(linesSql, [chain, ob, lo, hi, from]),
      db.query<{ blocks: string | null }>(blocksSql, [chain, ob, lo, hi]),
    ]);
  let after = from;
  while (after <= to) {
    const ranges = await blockRanges(db, rawWhere, [chain, ob, after, to], chunkSize);
    if (ranges.length === 0) return;
    let ahead = readRange(ranges[0]);
    for (let r = 0; r < ranges.length; r++) {
      const [[packed], [stamps]] = await ahead;
      if (r + 1 < ranges.length) {
        ahead = readRange(ranges[r + 1]);
        // A read-ahead nobody awaits (the caller stopped early) must not surface as unhandled.
        ahead.catch(() => undefined);
      }
      const count = Number(packed.n);
      const lines = count > 0 ? (packed.rows ?? "").split(ROW) : [];
      if (lines.length !== count) {
        throw new TypedEventRowError(
          `stored typed events of blocks ${ranges[r].lo}–${ranges[r].hi} do not read back`,
          {
            table: "typed tables",
            blockNumber: String(ranges[r].lo),
            reason: `${lines.length} rows for ${count}`,
          },
        );
      }
      const blocks = parseBlocks(stamps.blocks);
      // Pieces of whole blocks of about PIECE_LOGS stored logs, records parsed when their turn
      // comes: the caller's work on one piece never has the whole range's records beside it.
      let line = 0;
      // The first record beyond the piece being filled, parsed once.
      let next: StoredEventRecord | undefined;
      for (let b = 0; b < blocks.length;) {
        let logs = 0;
        const start = b;
        while (b < blocks.length && (logs === 0 || logs + blocks[b].logs <= PIECE_LOGS)) {
          logs += blocks[b].logs;
          b++;
        }
        const last = blocks[b - 1].blockNumber;
        const records: StoredEventRecord[] = [];
        let at = start;
        for (; line < lines.length; line++) {
          next ??= parseLine(lines[line]);
          if (next.blockNumber > last) break;
          while (blocks[at].blockNumber < next.blockNumber) at++;
          if (blocks[at].blockNumber !== next.blockNumber) throw withoutRawLog(next, lines[line]);
          records.push(next);
          next = undefined;
        }
        yield { records, blocks: blocks.slice(start, b) };
      }
      if (next !== undefined) throw withoutRawLog(next, lines[line]);
      after = ranges[r].hi + 1n;
    }
  }
}
