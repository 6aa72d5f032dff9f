/**
 * `syncOrderbook`: one orderbook's history from JSON-RPC into DuckDB, chunk by chunk. Each chunk
 * (orderbook logs, the `Set` logs of the stores its orders use, block headers, exact deposits,
 * token metadata, interpreter/store code, and for V6 the token model of vaultless orders:
 * `Transfer`/`Approval` logs and `balanceOf`/`allowance` seeds) is written in one transaction
 * together with the cursor that covers it, so a sync killed at any point resumes with nothing lost and nothing duplicated.
 * Before extending, the stored hashes of recent blocks are compared with the node; on a mismatch
 * everything after the fork point is rolled back and synced again.
 *
 * @module
 */
import { type Address, getAddress, type Hex } from "viem";
import { type OrderbookVersion, orderNamespace, type OrderV4 } from "../abi/mod.ts";
import {
  decodeOrderbookLog,
  decodeStoreLog,
  type DepositAmount,
  depositAmountKey,
  type DepositV2Event,
  type OrderbookEvent,
  parseRawLogs,
  type RawLog,
  type StoreSetEvent,
} from "../events/mod.ts";
import { type Db, readEventsOrdered } from "../db/mod.ts";
import { checkBalance, createVaultLedger, feedLedger, type VaultLedger } from "./vault_ledger.ts";
import {
  type BlockHeader,
  type CodeRead,
  getBlockHeader,
  readCode,
  readTokenInfo,
  type TokenInfo,
} from "./chain.ts";
import { type ResolvedDeposit, resolveDeposits } from "./deposits.ts";
import { ReorgTooDeepError, RpcRequestError, SyncConfigError } from "./errors.ts";
import { createLogWindow, getLogsAdaptive } from "./logs.ts";
import type { RpcClient } from "./rpc.ts";
import {
  checkTokenDrift,
  filterTokenLogs,
  noteVaultlessOrder,
  readSeeds,
  readTrackedPairs,
  type TokenDrift,
  type TrackedPairs,
} from "./token_model.ts";
import {
  type IngestChunk,
  readSyncState,
  recentBlockHashes,
  rollbackSync,
  writeIngestChunk,
  writeTokenInfos,
} from "./store.ts";

/** Progress of a running sync, reported after each chunk. */
export type SyncProgress = {
  chainId: number;
  orderbook: Address;
  /** First block of this run. */
  fromBlock: bigint;
  /** Target block of this run. */
  toBlock: bigint;
  /** Last block written. */
  cursor: bigint;
  blocksDone: bigint;
  blocksTotal: bigint;
  /** Orderbook and store events written in this run. */
  events: number;
  eventsPerSecond: number;
  /** Estimated seconds left, `null` before the first chunk. */
  etaSeconds: number | null;
};

/** Parameters of {@link syncOrderbook}. */
export type SyncOrderbookParameters = {
  orderbook: Address;
  version: OrderbookVersion;
  /** Expected chain id: the node's must match. Read from the node when absent. */
  chainId?: number;
  /** First block when nothing is stored yet (default: the orderbook's deployment block). */
  fromBlock?: bigint;
  /** Last block (default: the node's head minus `confirmations`). */
  toBlock?: bigint;
  /** Blocks below the head that are not synced yet (default 0). */
  confirmations?: bigint;
  /** Blocks below the head whose responses are immutable and may be cached (default 64). */
  finalityDepth?: bigint;
  /** How many recent stored blocks are compared with the node before extending (default 64). */
  reorgDepth?: number;
  /** Decimals to use for tokens whose `decimals()` fails, by address. */
  decimalsOverrides?: Readonly<Record<string, number>>;
  /** Adaptive `eth_getLogs` window options. */
  window?: { initial?: bigint; max?: bigint; growBelow?: number };
  /** Parallel reads (headers, transactions, tokens) per chunk (default 8). */
  concurrency?: number;
  /** Called after each chunk is committed. */
  onProgress?: (progress: SyncProgress) => void;
  /** Called when a reorg was detected and rolled back. */
  onReorg?: (info: { forkBlock: bigint; cursor: bigint }) => void;
  /** Stops after this many chunks (tests, bounded runs). */
  maxChunks?: number;
};

/** What {@link syncOrderbook} did. */
export type SyncOrderbookResult = {
  chainId: number;
  orderbook: Address;
  fromBlock: bigint;
  toBlock: bigint;
  /** Cursor after the run. */
  cursor: bigint;
  chunks: number;
  orderbookEvents: number;
  storeEvents: number;
  deposits: number;
  inexactDeposits: number;
  /** Block the store was rolled back to, when a reorg was found. */
  reorgForkBlock: bigint | null;
  /** True when the history starts after the orderbook's deployment: state is partial. */
  partial: boolean;
  /** V6: token-model facts written in this run (`Transfer`/`Approval` logs and seeds). */
  tokenEvents: number;
  /** V6: (token, account) pairs the token model tracks (balances; owners' allowances too). */
  trackedTokenPairs: number;
  /**
   * V6: where the token model built from the stored facts differs from `balanceOf`/`allowance`
   * read at `cursor` (empty when exact). Never ignored: drift means the model's vaultless
   * balances are wrong (e.g. a rebasing token, or a direct `transfer` to the orderbook read as a
   * pull).
   */
  tokenDrift: TokenDrift[];
};

/**
 * Syncs one orderbook into the database up to `toBlock`, resuming from its cursor.
 *
 * @param rpc The JSON-RPC client.
 * @param db A migrated database.
 * @param parameters The orderbook, its version, range and policy.
 * @returns What was done.
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbFile } from "../db/native.ts";
 * import { createRpcClient, syncOrderbook } from "./mod.ts";
 * const db = await openDuckDbFile("/tmp/raindex.duckdb");
 * await migrate(db);
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const result = await syncOrderbook(rpc, db, {
 *   orderbook: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   version: "v5",
 * });
 * console.log(result.cursor, result.orderbookEvents);
 * await db.close();
 * ```
 */
export async function syncOrderbook(
  rpc: RpcClient,
  db: Db,
  parameters: SyncOrderbookParameters,
): Promise<SyncOrderbookResult> {
  const orderbook = getAddress(parameters.orderbook);
  const version = parameters.version;
  const nodeChainId = Number(BigInt(await rpc.request<string>("eth_chainId", [])));
  if (parameters.chainId !== undefined && parameters.chainId !== nodeChainId) {
    throw new SyncConfigError(
      `the node serves chain ${nodeChainId}, the configuration says ${parameters.chainId}`,
      { issues: [`chainId: expected ${parameters.chainId}, node has ${nodeChainId}`] },
    );
  }
  const chainId = nodeChainId;
  const head = BigInt(await rpc.request<string>("eth_blockNumber", []));
  const finalityDepth = parameters.finalityDepth ?? 64n;
  const finalizedBlock = head - finalityDepth;
  const target = parameters.toBlock ?? head - (parameters.confirmations ?? 0n);
  if (target > head) {
    throw new SyncConfigError(`--to ${target} is above the node's head ${head}`, {
      issues: [`toBlock: ${target} > head ${head}`],
    });
  }
  const concurrency = Math.max(1, parameters.concurrency ?? 8);

  let state = await readSyncState(db, chainId, orderbook);
  let reorgForkBlock: bigint | null = null;
  if (state.cursor !== null) {
    const fork = await findForkPoint(rpc, db, chainId, orderbook, state.cursor, {
      depth: parameters.reorgDepth ?? 64,
      finalizedBlock,
    });
    if (fork !== null) {
      await rollbackSync(db, chainId, orderbook, fork);
      parameters.onReorg?.({ forkBlock: fork, cursor: state.cursor.blockNumber });
      reorgForkBlock = fork;
      state = await readSyncState(db, chainId, orderbook);
    }
  }

  let deployment: bigint | null = null;
  let deploymentKnown = true;
  if (state.cursor === null) {
    try {
      deployment = await findDeploymentBlock(rpc, orderbook, target);
    } catch (error) {
      // A node without historical state cannot answer eth_getCode at old blocks.
      if (!(error instanceof RpcRequestError && error.details.kind === "rpc-error")) throw error;
      if (parameters.fromBlock === undefined) {
        throw new SyncConfigError(
          `cannot find the deployment block of ${orderbook} by bisecting eth_getCode ` +
            `(${error.message}); give the first block with --from / fromBlock`,
          { issues: ["fromBlock: required when the node has no historical state"] },
        );
      }
      deploymentKnown = false;
    }
  }
  const syncStart = state.syncStart ?? parameters.fromBlock ?? deployment ?? 0n;
  // History that starts after the deployment misses earlier vault changes: flag the state partial
  // (and when the deployment block cannot be found, assume it may be).
  const partial = state.cursor === null
    ? parameters.fromBlock !== undefined &&
      (!deploymentKnown || (deployment !== null && parameters.fromBlock > deployment))
    : state.partial;
  const runStart = state.cursor === null ? syncStart : state.cursor.blockNumber + 1n;

  const owners = new Set(state.owners.map((o) => o.toLowerCase()));
  const fqns = new Set([...owners].map((o) => orderNamespace(o as Address, orderbook)));
  const stores = new Set(state.stores.map((s) => s.toLowerCase()));
  const interpreters = new Set(state.interpreters.map((s) => s.toLowerCase()));
  const tokens = new Map(state.tokens.map((t) => [t.address.toLowerCase(), t.decimals]));
  const codeKnown = new Set(state.codeAddresses.map((a) => a.toLowerCase()));
  const overrides = new Map(
    Object.entries(parameters.decimalsOverrides ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  );

  // Tokens stored without decimals are read again when an override is now given for them (token
  // facts are not chain history: no cursor covers them).
  const overridden = state.tokens.filter((t) =>
    t.decimals === null && overrides.has(t.address.toLowerCase())
  );
  if (overridden.length > 0) {
    const infos = await mapBounded(overridden, concurrency, (t) =>
      readTokenInfo(rpc, {
        chainId,
        token: t.address,
        blockNumber: target,
        override: overrides.get(t.address.toLowerCase()),
      }));
    await writeTokenInfos(db, chainId, infos, target);
    for (const info of infos) tokens.set(info.address.toLowerCase(), info.decimals);
  }

  // V6 token model: pairs tracked so far (every pair with a stored seed).
  const tracked: TrackedPairs = version === "v6"
    ? await readTrackedPairs(db, chainId, orderbook)
    : new Map();
  const tokenWindow = createLogWindow(parameters.window);
  let ledger: VaultLedger | null = null;
  const obWindow = createLogWindow(parameters.window);
  const storeWindow = createLogWindow(parameters.window);
  const started = Date.now();
  const result: SyncOrderbookResult = {
    chainId,
    orderbook,
    fromBlock: runStart,
    toBlock: target,
    cursor: state.cursor?.blockNumber ?? runStart - 1n,
    chunks: 0,
    orderbookEvents: 0,
    storeEvents: 0,
    deposits: 0,
    inexactDeposits: 0,
    reorgForkBlock,
    partial,
    tokenEvents: 0,
    trackedTokenPairs: 0,
    tokenDrift: [],
  };

  let start = runStart;
  let lastHash: Hex | null = state.cursor?.blockHash ?? null;
  // The previous chunk's write stays in flight while this chunk is fetched and decoded (on a real
  // node the fetch is the slow part; with a worker-backed database DuckDB writes meanwhile). It is
  // awaited before the next write, before anything reads the database, and at the end, so the
  // order of commits and what every read sees are as if each write had been awaited at once.
  let writing: Promise<void> | undefined;
  const settleWrite = async (): Promise<void> => {
    const pending = writing;
    writing = undefined;
    await pending;
  };
  try {
    while (start <= target) {
      if (parameters.maxChunks !== undefined && result.chunks >= parameters.maxChunks) break;
      const end = start + obWindow.size - 1n < target ? start + obWindow.size - 1n : target;
      const obRaw = parseRawLogs(
        (await getLogsAdaptive(rpc, {
          chainId,
          address: orderbook,
          fromBlock: start,
          toBlock: end,
          window: obWindow,
          finalizedBlock,
        })).map((log) => ({ ...log, chainId })),
      );
      const obEvents: OrderbookEvent[] = obRaw.map((log) => decodeOrderbookLog(log, version));

      // What this chunk introduces: owners (whose namespaces we keep), stores, interpreters, tokens.
      const newStores: Address[] = [];
      const newTokens: Address[] = [];
      const newPairs: { token: Address; account: Address; allowance: boolean }[] = [];
      const noteOrder = (order: OrderV4) => {
        noteOwner(order.owner);
        if (version === "v6") newPairs.push(...noteVaultlessOrder(tracked, order, orderbook));
        const store = order.evaluable.store.toLowerCase();
        if (!stores.has(store)) {
          stores.add(store);
          newStores.push(getAddress(store));
        }
        const interpreter = order.evaluable.interpreter.toLowerCase();
        interpreters.add(interpreter);
        for (const io of [...order.validInputs, ...order.validOutputs]) noteToken(io.token);
      };
      const noteOwner = (owner: Address) => {
        const key = owner.toLowerCase();
        if (owners.has(key)) return;
        owners.add(key);
        fqns.add(orderNamespace(owner, orderbook));
      };
      const noteToken = (token: Address) => {
        const key = token.toLowerCase();
        if (tokens.has(key) || newTokens.some((t) => t.toLowerCase() === key)) return;
        newTokens.push(getAddress(key));
      };
      for (const event of obEvents) {
        noteOwner(event.args.sender);
        switch (event.type) {
          case "AddOrderV3":
          case "RemoveOrderV3":
            noteOrder(event.args.order);
            break;
          case "TakeOrderV3":
            noteOrder(event.args.config.order);
            break;
          case "ClearV3":
            noteOrder(event.args.alice);
            noteOrder(event.args.bob);
            break;
          case "DepositV2":
          case "WithdrawV2":
            noteToken(event.args.token);
            break;
        }
      }

      // Store logs: the chunk's range for stores already followed; from the start of the history for
      // stores this chunk introduces (their earlier writes count too).
      const knownStores = [...stores].filter((s) => !newStores.some((n) => n.toLowerCase() === s))
        .map((s) => getAddress(s));
      const storeRaw: RawLog[] = [];
      if (knownStores.length > 0) {
        storeRaw.push(
          ...parseRawLogs(
            (await getLogsAdaptive(rpc, {
              chainId,
              address: knownStores,
              fromBlock: start,
              toBlock: end,
              window: storeWindow,
              finalizedBlock,
            })).map((log) => ({ ...log, chainId })),
          ),
        );
      }
      if (newStores.length > 0) {
        storeRaw.push(
          ...parseRawLogs(
            (await getLogsAdaptive(rpc, {
              chainId,
              address: newStores,
              fromBlock: syncStart,
              toBlock: end,
              window: createLogWindow(parameters.window),
              finalizedBlock,
            })).map((log) => ({ ...log, chainId })),
          ),
        );
      }
      const storeEvents: { raw: RawLog; event: StoreSetEvent }[] = [];
      for (const raw of storeRaw) {
        const event = decodeStoreLog(raw);
        // A shared store carries every orderbook's and user's writes: keep only this orderbook's
        // owners' namespaces.
        if (fqns.has(event.args.namespace)) storeEvents.push({ raw, event });
      }

      // V6 token model: the chunk's Transfer/Approval logs of tracked pairs (pairs new in this chunk
      // included), and seeds of the new pairs read at the end of the block before the chunk (so the
      // chunk's logs apply on top of them).
      const tokenRows = tracked.size === 0 ? [] : filterTokenLogs(
        await getLogsAdaptive(rpc, {
          chainId,
          address: [...tracked.keys()].map((t) => getAddress(t)),
          fromBlock: start,
          toBlock: end,
          window: tokenWindow,
          finalizedBlock,
        }),
        tracked,
        orderbook,
      );
      const seedRows = await readSeeds(rpc, orderbook, newPairs, start > 0n ? start - 1n : 0n);

      // Headers of every block with a kept log, and of the chunk's last block (the cursor's hash).
      const blockNumbers = new Set<bigint>([end]);
      for (const row of tokenRows) blockNumbers.add(row.blockNumber);
      for (const log of obRaw) blockNumbers.add(log.blockNumber);
      for (const { raw } of storeEvents) blockNumbers.add(raw.blockNumber);
      const blocks = await mapBounded(
        [...blockNumbers],
        concurrency,
        (n) => getBlockHeader(rpc, { chainId, blockNumber: n, finalizedBlock }),
      );

      const tokenInfos: TokenInfo[] = await mapBounded(
        newTokens,
        concurrency,
        (token) =>
          readTokenInfo(rpc, {
            chainId,
            token,
            blockNumber: end,
            finalizedBlock,
            ...(overrides.has(token.toLowerCase())
              ? { override: overrides.get(token.toLowerCase()) }
              : {}),
          }),
      );
      for (const info of tokenInfos) tokens.set(info.address.toLowerCase(), info.decimals);

      // Every interpreter and store the orders use whose code is not stored yet (new this chunk, or
      // dropped by a rollback).
      const codeTargets = [
        ...[...interpreters].map((a) => ({ address: getAddress(a), kind: "interpreter" as const })),
        ...[...stores].map((a) => ({ address: getAddress(a), kind: "store" as const })),
      ].filter((t) => !codeKnown.has(t.address.toLowerCase()));
      const code: CodeRead[] = await mapBounded(
        codeTargets,
        concurrency,
        (t) =>
          readCode(rpc, {
            chainId,
            address: t.address,
            kind: t.kind,
            blockNumber: end,
            finalizedBlock,
          }),
      );
      for (const c of code) codeKnown.add(c.address.toLowerCase());

      const depositEvents = obEvents.filter((e): e is DepositV2Event => e.type === "DepositV2");
      const deposits: ResolvedDeposit[] = await resolveDeposits(rpc, {
        chainId,
        orderbook,
        version,
        deposits: depositEvents,
        decimals: tokens,
        concurrency,
      });

      // Inexact deposits are checked against vaultBalance2 at the end of their block, on a ledger
      // of every vault fed with the same mutations the engine applies.
      const checks = new Map<string, "matched" | "mismatched" | "unavailable" | null>();
      if (ledger === null && deposits.some((d) => !d.exact)) {
        await settleWrite();
        ledger = await rebuildLedger(db, chainId, orderbook, version, start - 1n, partial);
      }
      if (ledger !== null) {
        const activeLedger = ledger;
        const depositAmounts = new Map<string, DepositAmount>();
        for (const d of deposits) {
          if (d.exact && d.amount !== null) {
            depositAmounts.set(depositAmountKey(d.event), { amount: d.amount, source: "calldata" });
          }
        }
        const tokenDecimals = new Map<string, number>();
        for (const [token, decimals] of tokens) {
          if (decimals !== null) tokenDecimals.set(token, decimals);
        }
        feedLedger(activeLedger, obEvents, {
          version,
          orderbook,
          blocks: new Map(blocks.map((b) => [b.number, b.timestamp])),
          depositAmounts,
          tokenDecimals,
          partialHistory: partial,
        }, (blockNumber) => {
          for (const d of deposits) {
            if (d.exact || d.event.blockNumber !== blockNumber) continue;
            const { sender, token, vaultId } = d.event.args;
            checks.set(
              depositAmountKey(d.event),
              checkBalance(activeLedger.balance(sender, token, vaultId), d.onchainVaultBalance),
            );
          }
        });
      }

      // A reorg can also happen while a long sync runs: before writing, make sure the block this
      // chunk builds on is still the one written, and that every log's block hash is the header's;
      // if not, start over (the start of a run finds the fork point and rolls back).
      const headerHash = new Map(blocks.map((b) => [b.number, b.hash]));
      const logsAgree = [
        ...obRaw,
        ...storeEvents.map((e) => e.raw),
      ].every((log) => headerHash.get(log.blockNumber) === log.blockHash.toLowerCase()) &&
        tokenRows.every((row) => headerHash.get(row.blockNumber) === row.blockHash);
      let baseAgrees = true;
      if (lastHash !== null && start - 1n > finalizedBlock) {
        const node = await getBlockHeader(rpc, { chainId, blockNumber: start - 1n });
        baseAgrees = node.hash === lastHash.toLowerCase();
      }
      if (!logsAgree || !baseAgrees) {
        const restarts = (parameters as { restarts?: number }).restarts ?? 0;
        if (restarts >= 3) {
          throw new ReorgTooDeepError(
            `chain ${chainId} keeps reorganising under the sync (3 restarts at block ${
              start - 1n
            })`,
            { chainId, orderbook, cursorBlock: (start - 1n).toString(), depth: 0 },
          );
        }
        await settleWrite();
        const again = await syncOrderbook(rpc, db, {
          ...parameters,
          restarts: restarts + 1,
        } as SyncOrderbookParameters);
        return {
          ...again,
          fromBlock: result.fromBlock,
          chunks: result.chunks + again.chunks,
          orderbookEvents: result.orderbookEvents + again.orderbookEvents,
          storeEvents: result.storeEvents + again.storeEvents,
          deposits: result.deposits + again.deposits,
          inexactDeposits: result.inexactDeposits + again.inexactDeposits,
          tokenEvents: result.tokenEvents + again.tokenEvents,
          reorgForkBlock: again.reorgForkBlock ?? result.reorgForkBlock,
        };
      }

      const endBlock = blocks.find((b) => b.number === end) as BlockHeader;
      const batch: IngestChunk = {
        chainId,
        orderbook,
        version,
        fromBlock: start,
        toBlock: end,
        toBlockHash: endBlock.hash,
        syncStart,
        partial,
        orderbookLogs: obRaw.map((raw, i) => ({ raw, event: obEvents[i] })),
        storeLogs: storeEvents,
        blocks,
        deposits: deposits.map((d) => ({
          ...d,
          balanceCheck: d.exact ? null : checks.get(depositAmountKey(d.event)) ?? "unavailable",
        })),
        tokens: tokenInfos,
        tokenDecimals: new Map(tokens),
        code,
        owners: [...owners].map((o) => getAddress(o)),
        tokenEvents: [...seedRows, ...tokenRows],
      };
      await settleWrite();
      writing = writeIngestChunk(db, batch);
      // Its failure surfaces where it is awaited; until then it must not count as unhandled.
      writing.catch(() => undefined);

      result.chunks++;
      result.cursor = end;
      result.orderbookEvents += obEvents.length;
      result.storeEvents += storeEvents.length;
      result.deposits += deposits.length;
      result.inexactDeposits += deposits.filter((d) => !d.exact).length;
      result.tokenEvents += seedRows.length + tokenRows.length;
      if (parameters.onProgress) {
        const seconds = Math.max((Date.now() - started) / 1000, 1e-3);
        const blocksTotal = target - runStart + 1n;
        const blocksDone = end - runStart + 1n;
        const rate = Number(blocksDone) / seconds;
        parameters.onProgress({
          chainId,
          orderbook,
          fromBlock: runStart,
          toBlock: target,
          cursor: end,
          blocksDone,
          blocksTotal,
          events: result.orderbookEvents + result.storeEvents,
          eventsPerSecond: (result.orderbookEvents + result.storeEvents) / seconds,
          etaSeconds: rate > 0 ? Number(blocksTotal - blocksDone) / rate : null,
        });
      }
      start = end + 1n;
      lastHash = endBlock.hash;
    }
  } catch (error) {
    // Never leave a write running behind an error: the caller may retry or close at once.
    await writing?.catch(() => undefined);
    throw error;
  }
  await settleWrite();
  if (version === "v6") {
    for (const entry of tracked.values()) result.trackedTokenPairs += entry.balances.size;
    if (tracked.size > 0 && result.cursor >= 0n) {
      result.tokenDrift = await checkTokenDrift(rpc, db, {
        chainId,
        orderbook,
        blockNumber: result.cursor,
      });
    }
  }
  return result;
}

/**
 * Compares the stored hashes of the cursor block and recent blocks with the node. Resolves `null`
 * when the cursor block still matches; otherwise the highest stored block that still matches (the
 * fork point: everything after it must go).
 */
async function findForkPoint(
  rpc: RpcClient,
  db: Db,
  chainId: number,
  orderbook: Address,
  cursor: { blockNumber: bigint; blockHash: Hex | null },
  options: { depth: number; finalizedBlock: bigint },
): Promise<bigint | null> {
  const stored = await recentBlockHashes(db, chainId, orderbook, cursor.blockNumber, options.depth);
  for (const block of stored) {
    // Never served from the cache: this read is the question "is it still so?".
    const node = await getBlockHeader(rpc, { chainId, blockNumber: block.number }).catch(
      () => null,
    );
    if (node !== null && node.hash === block.hash.toLowerCase()) {
      return block.number === cursor.blockNumber ? null : block.number;
    }
  }
  if (stored.length === 0) return null;
  throw new ReorgTooDeepError(
    `chain ${chainId}: none of the ${stored.length} most recent stored blocks at or below ` +
      `${cursor.blockNumber} is on the node's chain; the fork is deeper than reorgDepth ${options.depth}`,
    { chainId, orderbook, cursorBlock: cursor.blockNumber.toString(), depth: options.depth },
  );
}

/**
 * The first block at which `address` has code, by bisecting `eth_getCode` (needs historical
 * state). Resolves `null` when there is no code at `head`.
 *
 * @example
 * ```ts
 * import { createRpcClient, findDeploymentBlock } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * console.log(await findDeploymentBlock(rpc, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 100n));
 * ```
 */
export async function findDeploymentBlock(
  rpc: RpcClient,
  address: Address,
  head: bigint,
): Promise<bigint | null> {
  const hasCode = async (block: bigint) =>
    (await rpc.request<string>("eth_getCode", [address, `0x${block.toString(16)}`])) !== "0x";
  if (!await hasCode(head)) return null;
  let low = 0n;
  let high = head;
  while (low < high) {
    const mid = (low + high) / 2n;
    if (await hasCode(mid)) high = mid;
    else low = mid + 1n;
  }
  return low;
}

/** A ledger of every vault from the stored history up to `through` (first inexact deposit). */
async function rebuildLedger(
  db: Db,
  chainId: number,
  orderbook: Address,
  version: OrderbookVersion,
  through: bigint,
  partial: boolean,
): Promise<VaultLedger> {
  const ledger = createVaultLedger();
  if (through < 0n) return ledger;
  const amounts = await db.query<{ tx_hash: string; log_index: number; amount: Hex }>(
    `SELECT tx_hash, log_index, amount FROM deposits
     WHERE chain_id = $1 AND orderbook = $2 AND exact AND block_number <= $3`,
    [BigInt(chainId), orderbook.toLowerCase(), through],
  );
  const depositAmounts = new Map<string, DepositAmount>(
    amounts.map((r) => [`${r.tx_hash}:${r.log_index}`, { amount: r.amount, source: "calldata" }]),
  );
  const decimals = await db.query<{ address: string; decimals: number }>(
    "SELECT address, decimals FROM erc20_tokens WHERE chain_id = $1 AND decimals IS NOT NULL",
    [BigInt(chainId)],
  );
  const tokenDecimals = new Map(decimals.map((r) => [r.address, r.decimals]));
  // One pass over the whole history: a ClearV3/AfterClearV2 pair may straddle two read chunks.
  const events: OrderbookEvent[] = [];
  for await (
    const chunk of readEventsOrdered(db, chainId, orderbook, {
      toBlock: through,
      includeStores: false,
    })
  ) {
    for (const r of chunk) {
      events.push(decodeOrderbookLog({
        chainId: r.chainId,
        address: r.address,
        blockNumber: r.blockNumber,
        blockHash: r.blockHash,
        logIndex: r.logIndex,
        transactionHash: r.transactionHash,
        transactionIndex: r.transactionIndex,
        topics: r.topics,
        data: r.data,
        ...(r.timestamp === null ? {} : { timestamp: r.timestamp }),
      }, version));
    }
  }
  feedLedger(ledger, events, {
    version,
    orderbook,
    blocks: new Map(),
    depositAmounts,
    tokenDecimals,
    partialHistory: partial,
  }, () => {});
  return ledger;
}

async function mapBounded<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return out;
}
