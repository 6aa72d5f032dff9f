/**
 * Ingestion: one orderbook's history from JSON-RPC into DuckDB — adaptive `eth_getLogs` windows,
 * store `Set` logs, block headers, exact deposits from calldata, ERC-20 metadata and interpreter /
 * store code — with retries, failover, rate and concurrency limits, an optional cache of immutable
 * responses, cursor-atomic chunk writes and reorg rollback.
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbFile } from "../db/native.ts";
 * import { createRpcClient, loadCodeCache, syncOrderbook } from "./mod.ts";
 * const db = await openDuckDbFile("/tmp/raindex.duckdb");
 * await migrate(db);
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const result = await syncOrderbook(rpc, db, {
 *   orderbook: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   version: "v5",
 * });
 * const code = await loadCodeCache(db, result.chainId);
 * console.log(result.cursor, code.size);
 * await db.close();
 * ```
 *
 * @module
 */
export {
  DepositResolutionError,
  EmptyBytecodeError,
  ReorgTooDeepError,
  type RpcFailureKind,
  RpcRequestError,
  SyncConfigError,
} from "./errors.ts";
export {
  createRpcClient,
  type CreateRpcClientParameters,
  type RpcClient,
  type RpcRequestErrorType,
  type RpcRequestOptions,
  type RpcResponseCache,
  type RpcStats,
  rpcTransport,
  summarize,
} from "./rpc.ts";
export { createFileRpcCache } from "./file_cache.ts";
export {
  createLogWindow,
  getLogsAdaptive,
  type GetLogsAdaptiveParameters,
  type LogWindow,
  type RpcLog,
} from "./logs.ts";
export {
  type BlockHeader,
  type CodeRead,
  getBlockHeader,
  getTransactionCall,
  readCode,
  readTokenInfo,
  readVaultBalance,
  type TokenInfo,
  type TransactionCall,
} from "./chain.ts";
export {
  type DepositSource,
  type ResolvedDeposit,
  resolveDeposits,
  type ResolveDepositsParameters,
} from "./deposits.ts";
export {
  findDeploymentBlock,
  syncOrderbook,
  type SyncOrderbookParameters,
  type SyncOrderbookResult,
  type SyncProgress,
} from "./sync.ts";
export {
  type IngestChunk,
  readSyncState,
  recentBlockHashes,
  rollbackSync,
  type SyncState,
  writeIngestChunk,
  writeTokenInfos,
} from "./store.ts";
export { checkBalance, createVaultLedger, feedLedger, type VaultLedger } from "./vault_ledger.ts";
export { loadCodeCache } from "./code_cache.ts";
export {
  replayStoredEvents,
  type ReplayStoredEventsParameters,
  type ReplayStoredEventsResult,
} from "./rebuild.ts";
export {
  createStoredEventsState,
  type StoredEventsState,
  storedRecordsToEvents,
} from "./stored_events.ts";
export {
  APPROVAL_TOPIC,
  checkTokenDrift,
  filterTokenLogs,
  noteVaultlessOrder,
  readSeeds,
  readTrackedPairs,
  type TokenDrift,
  type TrackedPairs,
  TRANSFER_TOPIC,
} from "./token_model.ts";
