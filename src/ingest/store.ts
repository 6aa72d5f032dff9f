/**
 * The ingestion layer's storage side, on the repository functions of `src/db`: what a resumed sync
 * needs to know (cursor, owners, stores, tokens, code already fetched), the chunk write (every row
 * and the cursor in one transaction), recent block hashes for reorg checks, and the rollback.
 *
 * @module
 */
import { type Address, getAddress, type Hex } from "viem";
import { type OrderbookVersion, orderHash, type OrderV4 } from "../abi/mod.ts";
import {
  advanceCursor,
  type ClearInput,
  type Db,
  type DepositAmountSource,
  insertBlocks,
  insertBytecodeArtifacts,
  insertClears,
  insertContexts,
  insertDeposits,
  insertMetaEvents,
  insertOrderEvents,
  insertRawEvents,
  insertStoreSets,
  insertTakes,
  insertTokenEvents,
  insertWithdrawals,
  type RawEventInput,
  readCursor,
  readErc20Tokens,
  rollbackAfter,
  type TokenEventRow,
  upsertErc20Token,
} from "../db/mod.ts";
import type {
  AfterClearV2Event,
  ClearV3Event,
  OrderbookEvent,
  RawLog,
  StoreSetEvent,
} from "../events/mod.ts";
import type { BlockHeader, CodeRead, TokenInfo } from "./chain.ts";
import type { ResolvedDeposit } from "./deposits.ts";
import { DepositResolutionError } from "./errors.ts";

/** What a resumed sync starts from. */
export type SyncState = {
  cursor: { blockNumber: bigint; blockHash: Hex | null } | null;
  /**
   * First block of the stored history, as recorded on the cursor (for cursors that predate the
   * record: the block of the first stored orderbook log), when any.
   */
  syncStart: bigint | null;
  /** Whether the stored history starts after the orderbook's deployment (from the cursor). */
  partial: boolean;
  owners: Address[];
  stores: Address[];
  interpreters: Address[];
  tokens: { address: Address; decimals: number | null }[];
  /** Addresses whose code is stored. */
  codeAddresses: Address[];
};

/** One chunk's data, written atomically with the cursor. */
export type IngestChunk = {
  chainId: number;
  orderbook: Address;
  version: OrderbookVersion;
  fromBlock: bigint;
  toBlock: bigint;
  toBlockHash: Hex;
  syncStart: bigint;
  partial: boolean;
  orderbookLogs: { raw: RawLog; event: OrderbookEvent }[];
  storeLogs: { raw: RawLog; event: StoreSetEvent }[];
  blocks: BlockHeader[];
  deposits: (ResolvedDeposit & { balanceCheck: "matched" | "mismatched" | "unavailable" | null })[];
  /** Tokens first seen in this chunk. */
  tokens: TokenInfo[];
  /** Decimals of every token known so far (lowercase address → decimals or `null`). */
  tokenDecimals: ReadonlyMap<string, number | null>;
  code: CodeRead[];
  owners: Address[];
  /** V6 token-model facts of the chunk (seeds of new pairs, then tracked pairs' logs). */
  tokenEvents?: readonly TokenEventRow[];
};

/**
 * Reads what a sync of `orderbook` has already stored.
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { readSyncState } from "./store.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log((await readSyncState(db, 1, "0x00000000000000000000000000000000000000aa")).cursor); // null
 * await db.close();
 * ```
 */
export async function readSyncState(
  db: Db,
  chainId: number,
  orderbook: Address,
): Promise<SyncState> {
  const ob = orderbook.toLowerCase();
  const chain = BigInt(chainId);
  const cursor = await readCursor(db, chainId, orderbook);
  const first = await db.query<{ b: bigint | null }>(
    "SELECT min(block_number) AS b FROM raw_events WHERE chain_id = $1 AND address = $2",
    [chain, ob],
  );
  const owners = await db.query<{ a: string }>(
    `SELECT DISTINCT a FROM (
       SELECT owner AS a FROM order_events WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM order_events WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM deposits WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM withdrawals WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM takes WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT order_owner FROM takes WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM clears WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT alice_owner FROM clears WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT bob_owner FROM clears WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM contexts WHERE chain_id = $1 AND orderbook = $2
       UNION SELECT sender FROM meta_events WHERE chain_id = $1 AND orderbook = $2
     ) ORDER BY a`,
    [chain, ob],
  );
  const evaluables = await db.query<{ store: string; interpreter: string }>(
    `SELECT DISTINCT store, interpreter FROM order_events WHERE chain_id = $1 AND orderbook = $2
     ORDER BY store, interpreter`,
    [chain, ob],
  );
  const code = await db.query<{ address: string; kind: string }>(
    "SELECT DISTINCT address, kind FROM bytecode_artifacts WHERE chain_id = $1 ORDER BY address",
    [chain],
  );
  const stores = new Set<string>(evaluables.map((e) => e.store));
  const interpreters = new Set<string>(evaluables.map((e) => e.interpreter));
  for (const c of code) {
    if (c.kind === "store") stores.add(c.address);
    if (c.kind === "interpreter") interpreters.add(c.address);
  }
  const tokens = await readErc20Tokens(db, chainId);
  return {
    cursor: cursor === null
      ? null
      : { blockNumber: cursor.blockNumber, blockHash: cursor.blockHash },
    // Cursors from schema version 1 did not record these: the first stored log is the best
    // guess of the start, and such a history was never flagged partial.
    syncStart: cursor?.syncStart ?? first[0]?.b ?? null,
    partial: cursor?.partial ?? false,
    owners: owners.map((o) => getAddress(o.a)),
    stores: [...stores].map((s) => getAddress(s)),
    interpreters: [...interpreters].map((s) => getAddress(s)),
    tokens: tokens.map((t) => ({ address: getAddress(t.address), decimals: t.decimals })),
    codeAddresses: code.map((c) => getAddress(c.address)),
  };
}

/**
 * The stored hashes of the `depth` most recent blocks at or below `cursor`, newest first.
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { recentBlockHashes } from "./store.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log(await recentBlockHashes(db, 1, "0x00000000000000000000000000000000000000aa", 10n, 8)); // []
 * await db.close();
 * ```
 */
export async function recentBlockHashes(
  db: Db,
  chainId: number,
  _orderbook: Address,
  cursor: bigint,
  depth: number,
): Promise<{ number: bigint; hash: Hex }[]> {
  const rows = await db.query<{ block_number: bigint; block_hash: Hex }>(
    `SELECT block_number, block_hash FROM blocks WHERE chain_id = $1 AND block_number <= $2
     ORDER BY block_number DESC LIMIT ${Math.max(1, Math.floor(depth))}`,
    [BigInt(chainId), cursor],
  );
  return rows.map((r) => ({ number: r.block_number, hash: r.block_hash }));
}

/**
 * Rolls the chain's stored history back to `forkBlock` (see `rollbackAfter`).
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { rollbackSync } from "./store.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await rollbackSync(db, 1, "0x00000000000000000000000000000000000000aa", 5n);
 * await db.close();
 * ```
 */
export async function rollbackSync(
  db: Db,
  chainId: number,
  orderbook: Address,
  forkBlock: bigint,
): Promise<void> {
  await rollbackAfter(db, chainId, orderbook, forkBlock);
}

/** `deposits.amount_source` of each way a deposit's amount was found. */
const DEPOSIT_SOURCE_COLUMN = {
  direct: "calldata-direct",
  multicall: "calldata-multicall",
  event: "event",
} as const satisfies Record<ResolvedDeposit["source"], DepositAmountSource>;

// Takes and clears name their orders in full; the same few orders are taken over and over, and a
// keccak of the encoded order costs more than decoding and storing its take. The memo key is every
// field of the order (hex strings, joined with characters hex never holds), so equal keys mean equal
// encodings.
const ORDER_HASH_MEMO_SIZE = 4096;
const orderHashMemo = new Map<string, Hex>();

function memoOrderHash(order: OrderV4): Hex {
  const { evaluable } = order;
  let id = `${order.owner}|${order.nonce}|${evaluable.interpreter}|${evaluable.store}|` +
    `${evaluable.bytecode}|`;
  for (const io of order.validInputs) id += `${io.token},${io.vaultId};`;
  id += "|";
  for (const io of order.validOutputs) id += `${io.token},${io.vaultId};`;
  const known = orderHashMemo.get(id);
  if (known !== undefined) return known;
  const hash = orderHash(order);
  if (orderHashMemo.size >= ORDER_HASH_MEMO_SIZE) orderHashMemo.clear();
  orderHashMemo.set(id, hash);
  return hash;
}

/**
 * Writes one chunk — raw and decoded events, store sets, blocks, deposits, tokens, code — and moves
 * the cursor to its last block, all in one transaction. Every insert is idempotent, so writing a
 * chunk again (after a crash between fetching and committing) changes nothing.
 *
 * @example
 * ```ts
 * // Called by syncOrderbook once per chunk; see sync.ts.
 * import { writeIngestChunk } from "./store.ts";
 * console.log(typeof writeIngestChunk); // "function"
 * ```
 */
export async function writeIngestChunk(db: Db, batch: IngestChunk): Promise<void> {
  const { chainId, orderbook } = batch;
  const ref = (e: OrderbookEvent) => ({
    chainId,
    orderbook,
    blockNumber: e.blockNumber,
    logIndex: e.logIndex,
    txHash: e.txHash,
  });
  const events = batch.orderbookLogs.map((l) => l.event);
  const clears: ClearInput[] = [];
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (event.type !== "ClearV3") continue;
    const after = events.slice(i + 1).find((e): e is AfterClearV2Event =>
      e.type === "AfterClearV2" && e.txHash === event.txHash
    );
    if (after === undefined) {
      throw new DepositResolutionError(
        `ClearV3 at block ${event.blockNumber} log ${event.logIndex} has no AfterClearV2 in its transaction`,
        { transactionHash: event.txHash, logIndex: event.logIndex, reason: "unpaired clear" },
      );
    }
    const clear = event as ClearV3Event;
    clears.push({
      ...ref(clear),
      afterClearLogIndex: after.logIndex,
      sender: clear.args.sender,
      alice: clear.args.alice,
      aliceOrderHash: memoOrderHash(clear.args.alice),
      bob: clear.args.bob,
      bobOrderHash: memoOrderHash(clear.args.bob),
      clearConfig: clear.args.clearConfig,
      clearStateChange: after.args.clearStateChange,
    });
  }
  const decimalsOf = batch.tokenDecimals;

  await db.transaction(async (tx) => {
    // Every table's rows are built and its statements queued at once; the transaction's
    // connection runs them in call order (the native appends themselves on the calling thread).
    const started: Promise<unknown>[] = [];
    // The first failure in time is the cause: statements queued behind it fail only because
    // DuckDB has aborted the transaction.
    let failure: { error: unknown } | undefined;
    const begin = (write: () => Promise<unknown>) => {
      started.push((async () => {
        try {
          return await write();
        } catch (error) {
          failure ??= { error };
          throw error;
        }
      })());
    };
    if (batch.tokenEvents !== undefined && batch.tokenEvents.length > 0) {
      const rows = batch.tokenEvents;
      begin(() => insertTokenEvents(tx, chainId, orderbook, rows));
    }
    begin(() => insertRawEvents(tx, rawEventsInChainOrder(batch)));
    begin(() =>
      insertBlocks(
        tx,
        batch.blocks.map((b) => ({
          chainId,
          blockNumber: b.number,
          blockHash: b.hash,
          parentHash: b.parentHash,
          timestamp: b.timestamp,
        })),
      )
    );
    begin(() =>
      insertOrderEvents(
        tx,
        events.flatMap((e) =>
          e.type === "AddOrderV3" || e.type === "RemoveOrderV3"
            ? [{
              ...ref(e),
              kind: e.type === "AddOrderV3" ? "add" as const : "remove" as const,
              sender: e.args.sender,
              orderHash: e.args.orderHash,
              order: e.args.order,
            }]
            : []
        ),
      )
    );
    begin(() =>
      insertTakes(
        tx,
        events.flatMap((e) =>
          e.type === "TakeOrderV3"
            ? [{
              ...ref(e),
              sender: e.args.sender,
              orderHash: memoOrderHash(e.args.config.order),
              config: e.args.config,
              takerInput: e.args.input,
              takerOutput: e.args.output,
            }]
            : []
        ),
      )
    );
    begin(() => insertClears(tx, clears));
    begin(() =>
      insertWithdrawals(
        tx,
        events.flatMap((e) =>
          e.type === "WithdrawV2"
            ? [{
              ...ref(e),
              sender: e.args.sender,
              token: e.args.token,
              vaultId: e.args.vaultId,
              targetAmount: e.args.targetAmount,
              withdrawAmount: e.args.withdrawAmount,
              withdrawAmountUint256: e.args.withdrawAmountUint256,
            }]
            : []
        ),
      )
    );
    begin(() =>
      insertDeposits(
        tx,
        batch.deposits.map((d) => {
          if (d.amount === null) {
            throw new DepositResolutionError(
              `deposit at block ${d.event.blockNumber} log ${d.event.logIndex} came through ` +
                `${d.txTo ?? "a contract creation"}, not the orderbook, and token ` +
                `${d.event.args.token} has no known decimals to convert its uint256: give a ` +
                "decimals override for it",
              {
                transactionHash: d.event.txHash,
                logIndex: d.event.logIndex,
                reason: "no decimals",
              },
            );
          }
          return {
            ...ref(d.event),
            sender: d.event.args.sender,
            token: d.event.args.token,
            vaultId: d.event.args.vaultId,
            amount: d.amount,
            amountSource: DEPOSIT_SOURCE_COLUMN[d.source],
            exact: d.exact,
            amountUint256: d.event.args.depositAmountUint256,
            decimals: decimalsOf.get(d.event.args.token.toLowerCase()) ?? null,
            balanceCheck: d.balanceCheck,
          };
        }),
      )
    );
    begin(() =>
      insertStoreSets(
        tx,
        batch.storeLogs.map(({ event }) => ({
          chainId,
          store: event.address,
          blockNumber: event.blockNumber,
          logIndex: event.logIndex,
          txHash: event.txHash,
          fqn: event.args.namespace,
          key: event.args.key,
          value: event.args.value,
        })),
      )
    );
    begin(() =>
      insertContexts(
        tx,
        events.flatMap((e) =>
          e.type === "ContextV2"
            ? [{ ...ref(e), sender: e.args.sender, context: e.args.context }]
            : []
        ),
      )
    );
    begin(() =>
      insertMetaEvents(
        tx,
        events.flatMap((e) =>
          e.type === "MetaV1_2"
            ? [{ ...ref(e), sender: e.args.sender, subject: e.args.subject, meta: e.args.meta }]
            : []
        ),
      )
    );
    await Promise.allSettled(started);
    if (failure !== undefined) throw failure.error;
    for (const token of batch.tokens) {
      await upsertErc20Token(tx, {
        chainId,
        address: token.address,
        decimals: token.decimals,
        decimalsStatus: token.decimalsStatus,
        decimalsError: token.decimalsError,
        symbol: token.symbol,
        name: token.name,
        fetchedAtBlock: batch.toBlock,
      });
    }
    await insertBytecodeArtifacts(
      tx,
      batch.code.map((c) => ({
        chainId,
        address: c.address,
        kind: c.kind,
        bytecode: c.bytecode,
        fetchedAtBlock: c.blockNumber,
      })),
    );
    const end = batch.blocks.find((b) => b.number === batch.toBlock);
    await advanceCursor(tx, {
      chainId,
      orderbook,
      blockNumber: batch.toBlock,
      logIndex: null,
      blockHash: batch.toBlockHash,
      timestamp: end?.timestamp ?? null,
      syncStart: batch.syncStart,
      partial: batch.partial,
    });
  });
}

/**
 * The chunk's orderbook and store logs merged by `(block, logIndex)` (each list is in that order
 * already), named by event: rows in chain order let the insert skip its duplicate-key pass.
 */
function rawEventsInChainOrder(batch: IngestChunk): RawEventInput[] {
  const ob = batch.orderbookLogs;
  const stores = batch.storeLogs;
  const out: RawEventInput[] = new Array(ob.length + stores.length);
  let i = 0;
  let j = 0;
  for (let k = 0; k < out.length; k++) {
    const takeStore = j < stores.length &&
      (i >= ob.length || stores[j].raw.blockNumber < ob[i].raw.blockNumber ||
        (stores[j].raw.blockNumber === ob[i].raw.blockNumber &&
          stores[j].raw.logIndex < ob[i].raw.logIndex));
    out[k] = takeStore
      ? { ...stores[j++].raw, eventName: "Set" }
      : { ...ob[i].raw, eventName: ob[i++].event.type };
  }
  return out;
}

/**
 * Stores token metadata on its own (an override given after the token was first seen).
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { writeTokenInfos } from "./store.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * await writeTokenInfos(db, 1, [], 0n);
 * await db.close();
 * ```
 */
export async function writeTokenInfos(
  db: Db,
  chainId: number,
  infos: readonly TokenInfo[],
  blockNumber: bigint,
): Promise<void> {
  if (infos.length === 0) return;
  await db.transaction(async (tx) => {
    for (const token of infos) {
      await upsertErc20Token(tx, {
        chainId,
        address: token.address,
        decimals: token.decimals,
        decimalsStatus: token.decimalsStatus,
        decimalsError: token.decimalsError,
        symbol: token.symbol,
        name: token.name,
        fetchedAtBlock: blockNumber,
      });
    }
  });
}
