/**
 * Rebuilding a virtual orderbook from the database alone: stored logs read in `(block, logIndex)`
 * order, decoded, turned into mutations with the stored exact deposit amounts and token decimals,
 * and applied block by block.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderbookVersion } from "../abi/mod.ts";
import {
  type Db,
  type RawEventRecord,
  readEventsOrdered,
  readTokenEvents,
  readTypedEventsOrdered,
  type StoredBlock,
  type StoredEventPiece,
} from "../db/mod.ts";
import { applyMutations, type VirtualRaindex } from "../engine/mod.ts";
import {
  blockBatch,
  decodeLogs,
  type DepositAmount,
  depositAmountKey,
  eventsToMutations,
  type MutationBatch,
  tokenFactsToMutations,
  type TokenMutationBatch,
} from "../events/mod.ts";
import { createStoredEventsState, storedRecordsToEvents } from "./stored_events.ts";

/** Parameters of {@link replayStoredEvents}. */
export type ReplayStoredEventsParameters = {
  readonly chainId: number;
  readonly orderbook: Address;
  readonly version: OrderbookVersion;
  /** Last block to apply (default: everything stored). */
  readonly toBlock?: bigint;
  /** Logs per read (default 10,000; whole blocks, so a chunk can hold more). */
  readonly chunkSize?: number;
  /**
   * What the history is read from: `"typed"` (default) the decoded tables the sync wrote beside
   * the raw logs (`readTypedEventsOrdered`: no ABI bytes read or decoded, orders sent once), or
   * `"raw"` the raw logs themselves, decoded again (`readEventsOrdered`) — slower, and a check
   * that the typed tables say what the logs say.
   */
  readonly source?: "typed" | "raw";
  /** The history starts after the deployment (see `EventsToMutationsOptions.partialHistory`). */
  readonly partialHistory?: boolean;
  /**
   * Called after each block's batch is applied, with the engine in that block's end state (e.g. to
   * compare it with the chain at every block). Awaited before the next block.
   */
  readonly onBlock?: (batch: MutationBatch) => void | Promise<void>;
};

/** What {@link replayStoredEvents} applied, and where its time went. */
export type ReplayStoredEventsResult = {
  /**
   * Orderbook and store logs covered: every stored log of the orderbook and its stores up to
   * `toBlock` (read whole from `raw_events`, or — from the typed tables — read for each event
   * that changes state and counted for contexts, meta and skip events).
   */
  readonly events: number;
  /** V6 token-model facts applied (`Transfer`/`Approval` logs and seeds). */
  readonly tokenEvents: number;
  /** Blocks applied (one mutation batch each). */
  readonly blocks: number;
  /** Leaf mutations applied. */
  readonly mutations: number;
  /**
   * Milliseconds spent reading (waiting for a chunk: the next one is read while the current one is
   * processed), decoding, building mutations and applying them.
   */
  readonly timings: {
    readonly read: number;
    readonly decode: number;
    readonly mutations: number;
    readonly apply: number;
  };
};

/**
 * Applies an orderbook's stored history (its logs and its stores' `Set` logs) to `engine`, in
 * chain order: the rebuild of a virtual orderbook from a synced database. Deposits use the exact
 * Floats stored from calldata; the rest fall back to the event's `uint256` with the stored token
 * decimals, as during sync. Chunks are whole blocks, so a clear and its `AfterClearV2` (one
 * transaction) always arrive together. For `v6` the token model (`token_events`: seeds,
 * `Transfer`/`Approval` logs of tracked vaultless pairs) is applied too, merged in block order.
 *
 * @param db A database synced with `syncOrderbook`.
 * @param engine A fresh engine for the same orderbook (or one holding the history before the
 *   first stored block).
 * @returns Counts and where the time went.
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { createVirtualRaindex } from "../engine/mod.ts";
 * import { replayStoredEvents } from "./rebuild.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const orderbook = "0x00000000000000000000000000000000000000aa";
 * const host = { eval4: () => Promise.reject(new Error("no host")), evalMany: () => Promise.resolve([]) };
 * const engine = createVirtualRaindex({ orderbook, host });
 * const result = await replayStoredEvents(db, engine, { chainId: 1, orderbook, version: "v5" });
 * console.log(result.events); // 0
 * await db.close();
 * ```
 */
export async function replayStoredEvents(
  db: Db,
  engine: VirtualRaindex,
  parameters: ReplayStoredEventsParameters,
): Promise<ReplayStoredEventsResult> {
  const { chainId, orderbook, version } = parameters;
  const chain = BigInt(chainId);
  const ob = orderbook.toLowerCase();
  const toBlock = parameters.toBlock ?? 2n ** 64n - 1n;
  const source = parameters.source ?? "typed";
  let started = performance.now();
  const depositAmounts = new Map<string, DepositAmount>();
  if (source === "raw") {
    const exact = await db.query<{ tx_hash: string; log_index: number; amount: Hex }>(
      `SELECT tx_hash, log_index, amount FROM deposits
       WHERE chain_id = $1 AND orderbook = $2 AND exact AND block_number <= $3::UBIGINT`,
      [chain, ob, toBlock],
    );
    for (const d of exact) {
      depositAmounts.set(depositAmountKey({ txHash: d.tx_hash as Hex, logIndex: d.log_index }), {
        amount: d.amount,
        source: "calldata",
      });
    }
  }
  const decimals = await db.query<{ address: string; decimals: number }>(
    "SELECT address, decimals FROM erc20_tokens WHERE chain_id = $1 AND decimals IS NOT NULL",
    [chain],
  );
  const tokenDecimals = new Map(decimals.map((t) => [t.address, t.decimals]));
  // V6 token model: its facts' mutations are merged in block order with the orderbook's (a block
  // with token facts only still gets its own batch, so `onBlock` sees every block that changed).
  const facts = version === "v6" ? await readTokenEvents(db, chainId, orderbook, { toBlock }) : [];
  const tokenBatches = tokenFactsToMutations(facts, { orderbook });
  const headers = new Map<bigint, { hash: Hex; timestamp: bigint }>();
  if (tokenBatches.length > 0) {
    const rows = await db.query<{ block_number: bigint; block_hash: Hex; timestamp: bigint }>(
      `SELECT block_number, block_hash, timestamp FROM blocks
       WHERE chain_id = $1 AND block_number IN (
         SELECT block_number FROM token_events
         WHERE chain_id = $1 AND orderbook = $2 AND block_number <= $3::UBIGINT)`,
      [chain, ob, toBlock],
    );
    for (const r of rows) {
      headers.set(BigInt(r.block_number), { hash: r.block_hash, timestamp: BigInt(r.timestamp) });
    }
  }
  let nextToken = 0;
  const timings = { read: performance.now() - started, decode: 0, mutations: 0, apply: 0 };
  let events = 0;
  let blocks = 0;
  let mutations = 0;
  const toMutations = (decoded: Parameters<typeof eventsToMutations>[0]) =>
    eventsToMutations(decoded, {
      version,
      orderbook,
      depositAmounts,
      tokenDecimals,
      ...(parameters.partialHistory === undefined
        ? {}
        : { partialHistory: parameters.partialHistory }),
    }).batches;
  const chunkOption = parameters.chunkSize === undefined ? {} : { chunkSize: parameters.chunkSize };
  // Pieces of whole blocks, each decoded/converted and applied before the next; the next piece's
  // query runs on DuckDB's threads meanwhile. Between pieces the event loop gets a turn: a
  // database read running ahead only makes progress when this thread lets its completions in.
  // The typed read fills the exact deposit amounts as it meets them.
  const state = createStoredEventsState(depositAmounts);
  const pieces: AsyncGenerator<Piece, void, undefined> = source === "raw"
    ? rawPieces(readEventsOrdered(db, chainId, orderbook, { toBlock, ...chunkOption }))
    : typedPieces(readTypedEventsOrdered(db, chainId, orderbook, { toBlock, ...chunkOption }));
  let pending = pieces.next();
  for (;;) {
    started = performance.now();
    const next = await pending;
    timings.read += performance.now() - started;
    if (next.done) break;
    pending = pieces.next();
    started = performance.now();
    const piece = next.value;
    const decoded = piece.typed === undefined
      ? decodeLogs(piece.raw, { orderbook, version })
      : storedRecordsToEvents(piece.typed, { chainId, orderbook }, state);
    timings.decode += performance.now() - started;
    started = performance.now();
    const batches = piece.typed === undefined
      ? toMutations(decoded)
      : withEveryBlock(toMutations(decoded), piece.typed.blocks, chainId);
    timings.mutations += performance.now() - started;
    started = performance.now();
    await applyBatches(batches);
    timings.apply += performance.now() - started;
    await nextTurn();
    events += piece.logs;
  }
  started = performance.now();
  while (nextToken < tokenBatches.length) {
    mutations += await applyTokenBatch(tokenBatches[nextToken++]);
  }
  timings.apply += performance.now() - started;
  return { events, tokenEvents: facts.length, blocks, mutations, timings };

  async function applyBatches(batches: readonly MutationBatch[]): Promise<void> {
    for (const batch of batches) {
      while (
        nextToken < tokenBatches.length && tokenBatches[nextToken].blockNumber < batch.blockNumber
      ) {
        mutations += await applyTokenBatch(tokenBatches[nextToken++]);
      }
      mutations += applyMutations(engine, batch.mutations).applied;
      if (
        nextToken < tokenBatches.length && tokenBatches[nextToken].blockNumber === batch.blockNumber
      ) {
        const tokens = tokenBatches[nextToken++];
        mutations += applyMutations(engine, tokens.mutations).applied;
        await parameters.onBlock?.({
          ...batch,
          mutations: [...batch.mutations, ...tokens.mutations],
        });
      } else if (parameters.onBlock !== undefined) {
        await parameters.onBlock(batch);
      }
    }
    blocks += batches.length;
  }

  async function applyTokenBatch(tokens: TokenMutationBatch): Promise<number> {
    const applied = applyMutations(engine, tokens.mutations).applied;
    blocks++;
    const header = headers.get(tokens.blockNumber);
    await parameters.onBlock?.({
      blockNumber: tokens.blockNumber,
      // Seeds sit at the block before a chunk, whose header need not be stored.
      blockHash: header?.hash ?? `0x${"0".repeat(64)}`,
      timestamp: header?.timestamp ?? 0n,
      eventCount: 0,
      mutations: tokens.mutations,
    });
    return applied;
  }
}

/** A piece of whole blocks from either source, with the number of stored logs it covers. */
type Piece =
  | { readonly raw: RawEventRecord[]; readonly typed?: undefined; readonly logs: number }
  | { readonly raw?: undefined; readonly typed: StoredEventPiece; readonly logs: number };

async function* rawPieces(
  chunks: AsyncGenerator<RawEventRecord[], void, undefined>,
): AsyncGenerator<Piece, void, undefined> {
  for await (const raw of chunks) yield { raw, logs: raw.length };
}

async function* typedPieces(
  pieces: AsyncGenerator<StoredEventPiece, void, undefined>,
): AsyncGenerator<Piece, void, undefined> {
  for await (const typed of pieces) {
    let logs = 0;
    for (const block of typed.blocks) logs += block.logs;
    yield { typed, logs };
  }
}

/**
 * The batches of a typed piece for every block that holds a stored log, as a read of the raw logs
 * gives them: a block whose logs change nothing (contexts, meta, skip events only) gets its
 * `setEnv`-only batch, and each batch counts all the block's logs.
 */
function withEveryBlock(
  batches: readonly MutationBatch[],
  blocks: readonly StoredBlock[],
  chainId: number,
): MutationBatch[] {
  const out: MutationBatch[] = new Array(blocks.length);
  let b = 0;
  for (let i = 0; i < blocks.length; i++) {
    const block = blocks[i];
    const batch = batches[b];
    if (batch !== undefined && batch.blockNumber === block.blockNumber) {
      b++;
      out[i] = batch.eventCount === block.logs ? batch : { ...batch, eventCount: block.logs };
      continue;
    }
    const { blockNumber, blockHash, timestamp } = block;
    out[i] = blockBatch({ chainId, blockNumber, blockHash, timestamp, eventCount: block.logs }, []);
  }
  return out;
}

/**
 * Resolves on a later turn of the event loop (a macrotask, unlike `await` of a settled promise),
 * in Deno, Node and browsers alike.
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
