/**
 * The virtual orderbook engine: state rebuilt from mutations, and `quote2`, `takeOrders3` (V5) /
 * `takeOrders4` (V6), `clear3` and post-task calls evaluated offline with the orderbook's exact
 * rules, V6 vaultless IOs on a token model.
 *
 * @module
 */
export { createVirtualRaindex } from "./create.ts";
export type { CreateVirtualRaindexErrorType, CreateVirtualRaindexParameters } from "./create.ts";
export { applyMutations } from "./apply.ts";
export type { ApplyMutationsErrorType, ApplyMutationsResult } from "./apply.ts";
export { orderV4Schema, parseRaindexMutations, raindexMutationSchema } from "./mutations.ts";
export type { BigintLike, RaindexMutation, VaultDelta } from "./mutations.ts";
export { quote } from "./quote.ts";
export type { QuoteErrorType, QuoteParameters, QuoteResult } from "./quote.ts";
export {
  takeOrders,
  takeOrders4,
  takeOrders4AndApplyState,
  takeOrdersAndApplyState,
} from "./take.ts";
export type {
  TakenOrder,
  TakeOrderConfig,
  TakeOrders4Parameters,
  TakeOrdersErrorType,
  TakeOrdersParameters,
  TakeOrdersResult,
} from "./take.ts";
export { clear, clearAndApplyState } from "./clear.ts";
export type { ClearedOrder, ClearErrorType, ClearParameters, ClearResult } from "./clear.ts";
export {
  POST_TASK_SOURCE,
  simulateAddOrder,
  simulateDeposit,
  simulateEntask,
  simulateRemoveOrder,
  simulateWithdraw,
} from "./tasks.ts";
export type {
  ActionResult,
  SimulateAddOrderParameters,
  SimulateDepositParameters,
  SimulateEntaskParameters,
  SimulateOptions,
  SimulateRemoveOrderParameters,
  SimulateWithdrawParameters,
  TaskResult,
} from "./tasks.ts";
export {
  fromSnapshot,
  raindexSnapshotSchema,
  snapshot,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  snapshotToJson,
} from "./snapshot.ts";
export type {
  FromSnapshotErrorType,
  FromSnapshotOptions,
  RaindexSnapshot,
  SnapshotCodeCache,
} from "./snapshot.ts";
export { BUNDLE_FORMAT, createSnapshotBundle, openSnapshotBundle } from "./bundle.ts";
export type { BundleCodeCache, SnapshotBundle } from "./bundle.ts";
export {
  getAllowance,
  getEnv,
  getOrder,
  getStoreValue,
  getTokenBalance,
  getTokenDecimals,
  getVaultBalance,
  listOrderHashes,
} from "./read.ts";
export { signedContextDigest } from "./context.ts";
export { CALCULATE_IO_SOURCE, HANDLE_IO_SOURCE } from "./calculate.ts";
export { ORDERBOOK_FLOAT_VERSION, rulesFor, v5Rules, v6Rules } from "./rules.ts";
export { tokenModelExternalState } from "./token_state.ts";
export type { OrderbookRules, TakeAmounts } from "./rules.ts";
export type { RaindexEnv } from "./state.ts";
export type {
  EngineDependencies,
  RaindexEvent,
  SignedContexts,
  StoreWrite,
  TokenTransfer,
  VaultChange,
  VirtualRaindex,
} from "./types.ts";
export * from "./errors.ts";
