/**
 * Decoding raw logs into typed events: orderbook logs with the version's ABI, store logs with
 * `IInterpreterStoreV3`'s `Set`. Unknown topics and malformed data are typed errors, never skips.
 *
 * @module
 */
import { type AbiEvent, type Address, decodeEventLog, type Hex, toEventSelector } from "viem";
import { interpreterStoreV3Abi, orderbookAbi, type OrderbookVersion } from "../abi/mod.ts";
import { fastDecodeEventData } from "./fast_decode.ts";
import { type LogLocation, MalformedLogError, UnknownEventError } from "./errors.ts";
import type { DecodableLog, OrderbookEvent, RaindexEventLog, StoreSetEvent } from "./types.ts";

type EventTable = ReadonlyMap<string, AbiEvent>;

// Topic 0 → ABI item, computed once per ABI: viem's decodeEventLog hashes the signature of every
// ABI event it is given on each call, so it is handed the one matching item. Clean data is read
// by the layout-specific fast path first; viem decides (and reports) everything else.
function eventTable(abi: readonly unknown[]): EventTable {
  const table = new Map<string, AbiEvent>();
  for (const item of abi as readonly { type: string }[]) {
    if (item.type !== "event") continue;
    const event = item as AbiEvent;
    table.set(toEventSelector(event), event);
  }
  return table;
}

const orderbookTables: Record<OrderbookVersion, EventTable> = {
  v5: eventTable(orderbookAbi("v5")),
  v6: eventTable(orderbookAbi("v6")),
};
const storeTable = eventTable(interpreterStoreV3Abi);

function locationOf(log: DecodableLog): LogLocation {
  return {
    address: log.address,
    blockNumber: String(log.blockNumber),
    logIndex: log.logIndex,
    txHash: log.transactionHash,
  };
}

function decodeWith(log: DecodableLog, table: EventTable, abiName: string): RaindexEventLog {
  const topic0 = log.topics[0];
  const item = topic0 === undefined ? undefined : table.get(topic0.toLowerCase());
  if (item === undefined) {
    throw new UnknownEventError({ ...locationOf(log), topic0: topic0 ?? null, abi: abiName });
  }
  // Rain's events index nothing; extra topics mean another contract's same-signature event with
  // indexed arguments, whose data would not decode as ours.
  if (log.topics.length !== 1) {
    throw new MalformedLogError({
      ...locationOf(log),
      event: item.name,
      reason: `expected 1 topic, got ${log.topics.length}`,
    });
  }
  let args: unknown = fastDecodeEventData(item.name, log.data);
  if (args !== undefined) return eventOf(item.name, log, args);
  try {
    args = decodeEventLog({
      abi: [item],
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
      strict: true,
    }).args;
  } catch (error) {
    throw new MalformedLogError(
      {
        ...locationOf(log),
        event: item.name,
        reason: error instanceof Error ? error.message.split("\n")[0] : String(error),
      },
      { cause: error },
    );
  }
  return eventOf(item.name, log, args);
}

// The event's position fields, then its arguments, built field by field: every stored log passes
// through here on a rebuild, and object spreads cost more than the small events they copy. An
// unknown timestamp (absent, or `null` on a stored row) leaves the field out.
function eventOf(type: string, log: DecodableLog, args: unknown): RaindexEventLog {
  const event: Record<string, unknown> = {
    type,
    chainId: log.chainId,
    address: log.address,
    blockNumber: log.blockNumber,
    blockHash: log.blockHash,
    logIndex: log.logIndex,
    txHash: log.transactionHash,
    txIndex: log.transactionIndex,
  };
  if (log.timestamp !== undefined && log.timestamp !== null) event.timestamp = log.timestamp;
  event.args = args;
  return event as RaindexEventLog;
}

/** Errors {@link decodeOrderbookLog} and {@link decodeStoreLog} can raise. */
export type DecodeLogErrorType = UnknownEventError | MalformedLogError;

/**
 * Decodes one orderbook log into its typed event (`AddOrderV3`, `DepositV2`, `TakeOrderV3`, …),
 * with the log's position and the arguments as viem decodes them (bigints, checksummed
 * addresses, Floats as packed hex).
 *
 * @param log A log emitted by the orderbook.
 * @param version The orderbook's interface version (`"v5"` or `"v6"`; both emit the same events).
 * @returns The typed event.
 * @throws {UnknownEventError} When topic 0 is not an orderbook event.
 * @throws {MalformedLogError} When the topics or data do not decode as that event.
 *
 * @example
 * ```ts
 * import { encodeAbiParameters, toEventSelector } from "viem";
 * import { orderbookEventsAbi } from "../abi/mod.ts";
 * import { decodeOrderbookLog } from "./decode.ts";
 * const deposit = orderbookEventsAbi.find((e) => e.name === "DepositV2")!;
 * const event = decodeOrderbookLog({
 *   chainId: 1,
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: 5n,
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: 0,
 *   transactionHash: `0x${"11".repeat(32)}`,
 *   transactionIndex: 0,
 *   topics: [toEventSelector(deposit)],
 *   data: encodeAbiParameters(deposit.inputs, [
 *     "0x00000000000000000000000000000000000000bb",
 *     "0x00000000000000000000000000000000000000cc",
 *     `0x${"00".repeat(31)}01`,
 *     1000000n,
 *   ]),
 * }, "v5");
 * console.log(event.type); // "DepositV2"
 * ```
 */
export function decodeOrderbookLog(log: DecodableLog, version: OrderbookVersion): OrderbookEvent {
  const table = orderbookTables[version];
  if (table === undefined) {
    // Reuse the ABI module's check so the error is the same typed one everywhere.
    orderbookAbi(version);
  }
  return decodeWith(log, table, `orderbook ${version}`) as OrderbookEvent;
}

/**
 * Decodes one store log (`IInterpreterStoreV3`'s `Set(namespace, key, value)`).
 *
 * @param log A log emitted by an interpreter store.
 * @returns The `Set` event; `args.namespace` is the fully qualified namespace.
 * @throws {UnknownEventError} When topic 0 is not `Set`.
 * @throws {MalformedLogError} When the data does not decode.
 *
 * @example
 * ```ts
 * import { encodeAbiParameters, toEventSelector } from "viem";
 * import { interpreterStoreV3Abi } from "../abi/mod.ts";
 * import { decodeStoreLog } from "./decode.ts";
 * const set = interpreterStoreV3Abi.find((i) => i.type === "event" && i.name === "Set")!;
 * const event = decodeStoreLog({
 *   chainId: 1,
 *   address: "0x00000000000000000000000000000000000000dd",
 *   blockNumber: 5n,
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: 1,
 *   transactionHash: `0x${"11".repeat(32)}`,
 *   transactionIndex: 0,
 *   topics: [toEventSelector(set)],
 *   data: encodeAbiParameters(set.inputs, [7n, `0x${"00".repeat(32)}`, `0x${"00".repeat(31)}01`]),
 * });
 * console.log(event.args.namespace); // 7n
 * ```
 */
export function decodeStoreLog(log: DecodableLog): StoreSetEvent {
  return decodeWith(log, storeTable, "interpreter store") as StoreSetEvent;
}

/** Parameters of {@link decodeLogs}. */
export type DecodeLogsParameters = {
  /** The orderbook address: its logs decode as orderbook events, every other address's as store logs. */
  readonly orderbook: Address;
  /** The orderbook's interface version. */
  readonly version: OrderbookVersion;
};

/**
 * Decodes a mixed list of orderbook and store logs, routing by emitting address.
 *
 * @param logs Raw logs of the orderbook and of the stores its orders use.
 * @param parameters The orderbook address and version.
 * @returns The typed events, in input order.
 * @throws {UnknownEventError} For a log whose topic 0 its contract's ABI does not have.
 * @throws {MalformedLogError} For a log that does not decode.
 *
 * @example
 * ```ts
 * import { decodeLogs } from "./decode.ts";
 * const events = decodeLogs([], {
 *   orderbook: "0x00000000000000000000000000000000000000aa",
 *   version: "v5",
 * });
 * console.log(events.length); // 0
 * ```
 */
export function decodeLogs(
  logs: readonly DecodableLog[],
  parameters: DecodeLogsParameters,
): RaindexEventLog[] {
  const orderbook = parameters.orderbook.toLowerCase();
  return logs.map((log) =>
    log.address.toLowerCase() === orderbook
      ? decodeOrderbookLog(log, parameters.version)
      : decodeStoreLog(log)
  );
}
