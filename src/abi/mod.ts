/**
 * Rain's contract interfaces as viem ABIs — orderbook V5 and V6 behind one version seam,
 * interpreter, store, ERC-20 and the known error selectors — plus the identities the orderbook
 * derives (order hash, store namespaces) and the `eval4`/store `get` codecs hosts need.
 *
 * @example
 * ```ts
 * import { orderbookAbi, orderNamespace } from "./mod.ts";
 * const abi = orderbookAbi("v5");
 * console.log(abi.length > 0, typeof orderNamespace(
 *   "0x1111111111111111111111111111111111111111",
 *   "0x2222222222222222222222222222222222222222",
 * ));
 * ```
 *
 * @module
 */
export {
  type ClearConfigV2,
  clearConfigV2Components,
  type ClearStateChangeV2,
  clearStateChangeV2Components,
  type EvaluableV4,
  evaluableV4Components,
  type EvalV4,
  evalV4Components,
  type IOV2,
  ioV2Components,
  type OrderConfigV4,
  orderConfigV4Components,
  type OrderV4,
  orderV4Components,
  orderV4Parameter,
  type QuoteV2,
  quoteV2Components,
  type SignedContextV1,
  signedContextV1Components,
  type TakeOrderConfigV4,
  takeOrderConfigV4Components,
  type TakeOrdersConfigV4,
  takeOrdersConfigV4Components,
  type TakeOrdersConfigV5,
  takeOrdersConfigV5Components,
  type TaskV2,
  taskV2Components,
} from "./structs.ts";
export { type OrderbookEventsAbi, orderbookEventsAbi } from "./events.ts";
export {
  type OrderbookSharedErrorsAbi,
  orderbookSharedErrorsAbi,
  type OrderbookSharedFunctionsAbi,
  orderbookSharedFunctionsAbi,
} from "./shared.ts";
export {
  type OrderbookV5Abi,
  orderbookV5Abi,
  orderbookV5ErrorsAbi,
  orderbookV5FunctionsAbi,
} from "./v5.ts";
export {
  type OrderbookV6Abi,
  orderbookV6Abi,
  orderbookV6ErrorsAbi,
  orderbookV6FunctionsAbi,
} from "./v6.ts";
export {
  isOrderbookVersion,
  type OrderbookAbi,
  orderbookAbi,
  type OrderbookAbiErrorType,
  type OrderbookFunctionNames,
  orderbookFunctionNames,
  type OrderbookVersion,
  orderbookVersions,
} from "./version.ts";
export {
  type InterpreterStoreV3Abi,
  interpreterStoreV3Abi,
  type InterpreterV4Abi,
  interpreterV4Abi,
} from "./interpreter.ts";
export { type Erc20TokenAbi, erc20TokenAbi } from "./erc20.ts";
export {
  type DecodedRainError,
  decodeRainError,
  type RainErrorsAbi,
  rainErrorsAbi,
} from "./known_errors.ts";
export {
  type NamespaceErrorType,
  orderHash,
  type OrderHashErrorType,
  orderNamespace,
  qualifyNamespace,
  stateNamespace,
} from "./identity.ts";
export { decodeEval4Call, decodeEval4Result, encodeEval4Call, type Eval4Result } from "./eval4.ts";
export {
  decodeStoreGetCall,
  encodeStoreGetResult,
  type StoreGetCall,
  storeGetSelector,
} from "./store.ts";
export {
  AbiDecodeError,
  AbiEncodeError,
  InvalidAbiValueError,
  UnsupportedOrderbookVersionError,
} from "./errors.ts";
export {
  type CodeReader,
  detectOrderbookVersion,
  type DetectOrderbookVersionErrorType,
  NoOrderbookCodeError,
  orderbookVersionFromCode,
  pushedSelectors,
  UnknownOrderbookVersionError,
  versionOnlySelectors,
} from "./detect.ts";
export { keccak256Hex } from "./keccak.ts";
