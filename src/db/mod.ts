/**
 * Stores chain history and vraindex state in DuckDB behind one `Db` interface — duckdb-wasm here
 * (browser-safe), DuckDB files through `./native.ts` (Deno/Node) — with one versioned schema and
 * idempotent, cursor-atomic repository functions.
 *
 * @module
 */
export type { Db, DbKind, DbParam, DbRow, DbValue } from "./types.ts";
export {
  CorruptDatabaseError,
  DbClosedError,
  DbCursorError,
  DbOpenError,
  DbQueryError,
  DbSchemaVersionError,
  DbTransactionError,
  DbUnsupportedError,
  TypedEventRowError,
} from "./errors.ts";
export { withTransaction } from "./core.ts";
export {
  openDuckDbWasm,
  type OpenDuckDbWasmOptions,
  type WasmArrowTable,
  type WasmConnection,
  type WasmDatabase,
  type WasmPreparedStatement,
} from "./wasm.ts";
export {
  CHAIN_EVENT_KEYS,
  CHAIN_TABLES,
  type ChainTable,
  migrate,
  type MigrateResult,
  type Migration,
  MIGRATIONS,
  readSchemaVersion,
  SCHEMA_VERSION,
} from "./schema.ts";
export {
  type BlockInput,
  type BlockRecord,
  insertBlocks,
  insertRawEvents,
  type RawEventInput,
  type RawEventRecord,
  readBlocks,
  readEventsOrdered,
  type ReadEventsOrderedOptions,
} from "./events.ts";
export {
  type ClearInput,
  type ContextInput,
  type DepositAmountSource,
  type DepositInput,
  type DepositRecord,
  type EventRef,
  insertClears,
  insertContexts,
  insertDeposits,
  insertMetaEvents,
  insertOrderEvents,
  insertStoreSets,
  insertTakes,
  insertWithdrawals,
  type MetaEventInput,
  type OrderEventInput,
  readDeposits,
  type StoreSetInput,
  type TakeInput,
  type WithdrawalInput,
} from "./decoded.ts";
export {
  readTypedEventsOrdered,
  type ReadTypedEventsOrderedOptions,
  type StoredBlock,
  type StoredClear,
  type StoredDeposit,
  type StoredEventPiece,
  type StoredEventPosition,
  type StoredEventRecord,
  type StoredOrderEvent,
  type StoredStoreSet,
  type StoredTake,
  type StoredWithdrawal,
} from "./typed_events.ts";
export { advanceCursor, type CursorInput, readCursor, type SyncCursor } from "./cursor.ts";
export { rollbackAfter, type RollbackResult } from "./rollback.ts";
export {
  type DecimalsStatus,
  type Erc20TokenInput,
  type Erc20TokenRecord,
  readErc20Token,
  readErc20Tokens,
  upsertErc20Token,
} from "./tokens.ts";
export {
  type BytecodeArtifact,
  type BytecodeArtifactInput,
  type BytecodeKind,
  insertBytecodeArtifacts,
  readBytecodeArtifacts,
} from "./bytecode.ts";
export {
  readLatestVirtualSnapshot,
  type VirtualSnapshot,
  type VirtualSnapshotInput,
  writeVirtualSnapshot,
} from "./snapshots.ts";
export {
  insertTokenEvents,
  readTokenEvents,
  SEED_LOG_INDEX,
  type TokenEventRow,
} from "./token_events.ts";
export { exportParquet, type ExportParquetOptions } from "./parquet.ts";
export { type SyncBatch, type SyncBatchResult, writeSyncBatch } from "./batch.ts";
