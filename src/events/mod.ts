/**
 * Chain logs → typed orderbook and store events → engine mutation batches, as pure functions (no
 * I/O): decoding, deposit calldata, `(blockNumber, logIndex)` ordering, `ClearV3` ⨝
 * `AfterClearV2`, store `Set` filtering.
 *
 * @example
 * ```ts
 * import { decodeLogs, eventsToMutations } from "./mod.ts";
 * const events = decodeLogs([], {
 *   orderbook: "0x00000000000000000000000000000000000000aa",
 *   version: "v5",
 * });
 * console.log(eventsToMutations(events, { version: "v5" }).batches.length); // 0
 * ```
 *
 * @module
 */
export type {
  AddOrderV3Event,
  AfterClearV2Event,
  AnnotationEvent,
  ClearV3Event,
  ContextV2Event,
  DecodableLog,
  DepositV2Event,
  EventPosition,
  MetaV1_2Event,
  OrderbookEvent,
  OrderSkipEvent,
  RaindexEventLog,
  RawLog,
  RawLogJson,
  RemoveOrderV3Event,
  StoreSetEvent,
  TakeOrderV3Event,
  WithdrawV2Event,
} from "./types.ts";
export {
  parseRawLog,
  type ParseRawLogErrorType,
  parseRawLogs,
  rawLogSchema,
  rawLogToJson,
} from "./raw_log.ts";
export {
  type DecodeLogErrorType,
  decodeLogs,
  type DecodeLogsParameters,
  decodeOrderbookLog,
  decodeStoreLog,
} from "./decode.ts";
export {
  decodeDepositCalldata,
  type DecodeDepositCalldataErrorType,
  type DepositAmount,
  depositAmountKey,
  type DepositCall,
  matchDepositCalls,
  type MatchDepositCallsErrorType,
} from "./deposit_calldata.ts";
export {
  blockBatch,
  eventsToMutations,
  type EventsToMutationsErrorType,
  type EventsToMutationsOptions,
  type EventsToMutationsResult,
  type InexactDeposit,
  type MutationBatch,
  type VaultlessMove,
} from "./to_mutations.ts";
export {
  type TokenFact,
  tokenFactsToMutations,
  type TokenMutationBatch,
} from "./token_mutations.ts";
export { filterStoreSets, ownerNamespaces, ownersOf } from "./store_filter.ts";
export { checksummed } from "./fast_decode.ts";
export {
  ConflictingBlockDataError,
  DepositAmountMismatchError,
  DepositDecimalsMissingError,
  DuplicateLogPositionError,
  InvalidEventDataError,
  InvalidRawLogError,
  type LogLocation,
  MalformedCalldataError,
  MalformedLogError,
  MissingBlockTimestampError,
  UnknownEventError,
  UnpairedClearEventError,
} from "./errors.ts";
