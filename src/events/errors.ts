/**
 * Typed errors of the events module. Every one names the log (or transaction) at fault so a sync
 * that stops can say exactly where.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { VraindexError } from "../errors/mod.ts";

/** Where a log sits on chain, as error details carry it (block number as a decimal string). */
export type LogLocation = {
  readonly address: Address;
  readonly blockNumber: string;
  readonly logIndex: number;
  readonly txHash: Hex;
};

function where(location: LogLocation): string {
  return `log ${location.logIndex} of block ${location.blockNumber} (tx ${location.txHash}, ` +
    `contract ${location.address})`;
}

/**
 * A log whose topic 0 is not an event of the ABI it was decoded with (or which has no topics).
 * Nothing is skipped silently: a caller that wants to ignore foreign logs filters them first.
 *
 * @example
 * ```ts
 * import { UnknownEventError } from "./errors.ts";
 * const error = new UnknownEventError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   topic0: `0x${"22".repeat(32)}`,
 *   abi: "orderbook v5",
 * });
 * console.log(error.name, error.details.logIndex); // UnknownEventError 3
 * ```
 */
export class UnknownEventError
  extends VraindexError<LogLocation & { topic0: Hex | null; abi: string }> {
  override readonly name = "UnknownEventError";
  /** Creates the error for the log at `details`. */
  constructor(details: LogLocation & { topic0: Hex | null; abi: string }) {
    super(
      `unknown event topic ${details.topic0 ?? "(none)"} for the ${details.abi} ABI at ${
        where(details)
      }`,
      details,
    );
  }
}

/**
 * A log whose topic 0 names a known event but whose topics or data do not decode as that event
 * (truncated data, indexed topics the ABI does not have). `cause` holds viem's decode error.
 *
 * @example
 * ```ts
 * import { MalformedLogError } from "./errors.ts";
 * const error = new MalformedLogError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   event: "DepositV2",
 *   reason: "data too short",
 * });
 * console.log(error.details.event); // DepositV2
 * ```
 */
export class MalformedLogError
  extends VraindexError<LogLocation & { event: string; reason: string }> {
  override readonly name = "MalformedLogError";
  /** Creates the error; `options.cause` is the underlying decode error. */
  constructor(
    details: LogLocation & { event: string; reason: string },
    options?: { cause?: unknown },
  ) {
    super(`malformed ${details.event} ${where(details)}: ${details.reason}`, details, options);
  }
}

/**
 * A raw log from outside (file, database, RPC) that is not a log: a missing field, a bad hex
 * string, a negative block number.
 *
 * @example
 * ```ts
 * import { InvalidRawLogError } from "./errors.ts";
 * const error = new InvalidRawLogError({ path: "0.blockNumber", reason: "expected a uint" });
 * console.log(error.message); // invalid raw log at 0.blockNumber: expected a uint
 * ```
 */
export class InvalidRawLogError extends VraindexError<{ path: string; reason: string }> {
  override readonly name = "InvalidRawLogError";
  /** Creates the error for the field at `details.path`. */
  constructor(details: { path: string; reason: string }) {
    super(`invalid raw log at ${details.path || "(root)"}: ${details.reason}`, details);
  }
}

/**
 * Two events claim the same `(blockNumber, logIndex)`: the input holds a log twice (a re-fetched
 * range, two sources merged) or events of two chains.
 *
 * @example
 * ```ts
 * import { DuplicateLogPositionError } from "./errors.ts";
 * const error = new DuplicateLogPositionError({ blockNumber: "7", logIndex: 3, types: ["Set", "Set"] });
 * console.log(error.details.logIndex); // 3
 * ```
 */
export class DuplicateLogPositionError extends VraindexError<
  { blockNumber: string; logIndex: number; types: readonly [string, string] }
> {
  override readonly name = "DuplicateLogPositionError";
  /** Creates the error for the doubled position. */
  constructor(
    details: { blockNumber: string; logIndex: number; types: readonly [string, string] },
  ) {
    super(
      `two events at log ${details.logIndex} of block ${details.blockNumber} (${
        details.types.join(", ")
      })`,
      details,
    );
  }
}

/**
 * No timestamp for a block that has events: neither `options.blocks` nor the logs carry one. The
 * engine's env needs it (Rainlang reads `block-timestamp`), so it is never guessed.
 *
 * @example
 * ```ts
 * import { MissingBlockTimestampError } from "./errors.ts";
 * console.log(new MissingBlockTimestampError({ blockNumber: "9" }).message);
 * ```
 */
export class MissingBlockTimestampError extends VraindexError<{ blockNumber: string }> {
  override readonly name = "MissingBlockTimestampError";
  /** Creates the error for the block. */
  constructor(details: { blockNumber: string }) {
    super(
      `no timestamp for block ${details.blockNumber}: pass it in options.blocks or on the logs`,
      details,
    );
  }
}

/**
 * Events of one block disagree about the block (timestamp, hash or chain id), or about the
 * `options.blocks` entry: data from a reorg or from two chains was mixed.
 *
 * @example
 * ```ts
 * import { ConflictingBlockDataError } from "./errors.ts";
 * const e = new ConflictingBlockDataError({ blockNumber: "9", field: "timestamp", values: ["1", "2"] });
 * console.log(e.details.field); // timestamp
 * ```
 */
export class ConflictingBlockDataError extends VraindexError<
  { blockNumber: string; field: "timestamp" | "blockHash" | "chainId"; values: [string, string] }
> {
  override readonly name = "ConflictingBlockDataError";
  /** Creates the error for the two values seen. */
  constructor(
    details: {
      blockNumber: string;
      field: "timestamp" | "blockHash" | "chainId";
      values: [string, string];
    },
  ) {
    super(
      `block ${details.blockNumber}: ${details.field} ${details.values[0]} vs ${details.values[1]}`,
      details,
    );
  }
}

/**
 * A deposit must fall back to the event's fixed-point amount (no calldata Float for it) but the
 * token's decimals are unknown, so the amount cannot be converted. Never a silent 18.
 *
 * @example
 * ```ts
 * import { DepositDecimalsMissingError } from "./errors.ts";
 * const e = new DepositDecimalsMissingError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   token: "0x00000000000000000000000000000000000000bb",
 * });
 * console.log(e.details.token);
 * ```
 */
export class DepositDecimalsMissingError extends VraindexError<LogLocation & { token: Address }> {
  override readonly name = "DepositDecimalsMissingError";
  /** Creates the error for the deposit log. */
  constructor(details: LogLocation & { token: Address }) {
    super(
      `DepositV2 ${where(details)} has no calldata amount and token ${details.token} has no ` +
        `decimals: cannot convert its uint256 amount`,
      details,
    );
  }
}

/**
 * A calldata amount given for a deposit does not fit its `DepositV2` log: another token or vault,
 * or a Float that the contract would not have pulled as the logged uint256 (rounded up to the
 * token's decimals). The calldata was matched to the wrong log.
 *
 * @example
 * ```ts
 * import { DepositAmountMismatchError } from "./errors.ts";
 * const e = new DepositAmountMismatchError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   field: "amount",
 *   expected: "1000001",
 *   actual: "1000000",
 * });
 * console.log(e.details.field); // amount
 * ```
 */
export class DepositAmountMismatchError extends VraindexError<
  LogLocation & { field: "token" | "vaultId" | "amount"; expected: string; actual: string }
> {
  override readonly name = "DepositAmountMismatchError";
  /** Creates the error; `expected` is the log's value, `actual` the calldata's. */
  constructor(
    details: LogLocation & {
      field: "token" | "vaultId" | "amount";
      expected: string;
      actual: string;
    },
  ) {
    super(
      `calldata deposit for DepositV2 ${where(details)} disagrees on ${details.field}: log has ` +
        `${details.expected}, calldata gives ${details.actual}`,
      details,
    );
  }
}

/**
 * A `ClearV3` without its `AfterClearV2` in the same transaction, an `AfterClearV2` without a
 * `ClearV3` before it, or a pair whose senders differ. The contract always emits both, so the
 * input is missing logs.
 *
 * @example
 * ```ts
 * import { UnpairedClearEventError } from "./errors.ts";
 * const e = new UnpairedClearEventError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   event: "ClearV3",
 *   reason: "no AfterClearV2 in the same transaction",
 * });
 * console.log(e.details.event); // ClearV3
 * ```
 */
export class UnpairedClearEventError extends VraindexError<
  LogLocation & { event: "ClearV3" | "AfterClearV2"; reason: string }
> {
  override readonly name = "UnpairedClearEventError";
  /** Creates the error for the unpaired event. */
  constructor(
    details: LogLocation & { event: "ClearV3" | "AfterClearV2"; reason: string },
  ) {
    super(`${details.event} ${where(details)}: ${details.reason}`, details);
  }
}

/**
 * A decoded event whose values the contract could not have emitted (an IO index past the order's
 * IO list, a negative clear bounty), or an orderbook event from another orderbook than the one
 * being synced.
 *
 * @example
 * ```ts
 * import { InvalidEventDataError } from "./errors.ts";
 * const e = new InvalidEventDataError({
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "7",
 *   logIndex: 3,
 *   txHash: `0x${"11".repeat(32)}`,
 *   event: "TakeOrderV3",
 *   reason: "inputIOIndex 4 out of range (2 inputs)",
 * });
 * console.log(e.details.reason);
 * ```
 */
export class InvalidEventDataError
  extends VraindexError<LogLocation & { event: string; reason: string }> {
  override readonly name = "InvalidEventDataError";
  /** Creates the error for the event. */
  constructor(details: LogLocation & { event: string; reason: string }) {
    super(`${details.event} ${where(details)}: ${details.reason}`, details);
  }
}

/**
 * Transaction input that selects `deposit3`/`deposit4` or `multicall` but whose arguments do not
 * decode (a successful deposit's calldata always decodes).
 *
 * @example
 * ```ts
 * import { MalformedCalldataError } from "./errors.ts";
 * const e = new MalformedCalldataError({ orderbook: "0x00000000000000000000000000000000000000aa", function: "deposit3", path: "0" });
 * console.log(e.details.function); // deposit3
 * ```
 */
export class MalformedCalldataError
  extends VraindexError<{ orderbook: Address; function: string; path: string }> {
  override readonly name = "MalformedCalldataError";
  /** Creates the error; `options.cause` is viem's decode error. */
  constructor(
    details: { orderbook: Address; function: string; path: string },
    options?: { cause?: unknown },
  ) {
    super(
      `calldata for orderbook ${details.orderbook}: ${details.function} at call path ` +
        `${details.path || "(top)"} does not decode`,
      details,
      options,
    );
  }
}
