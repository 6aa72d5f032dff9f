/**
 * Exact deposit amounts. `DepositV2` logs only the amount pulled (the Float rounded up to token
 * decimals); the vault grows by the Float the depositor passed to `deposit3`/`deposit4`, which only
 * the transaction's calldata holds.
 *
 * @module
 */
import { type Address, decodeFunctionData, type Hex, toFunctionSelector } from "viem";
import { orderbookAbi, orderbookFunctionNames, type OrderbookVersion } from "../abi/mod.ts";
import type { Float } from "../float/mod.ts";
import { DepositAmountMismatchError, MalformedCalldataError } from "./errors.ts";
import type { DepositV2Event, EventPosition } from "./types.ts";

/** One `deposit3`/`deposit4` call found in a transaction's input. */
export type DepositCall = {
  readonly token: Address;
  readonly vaultId: Hex;
  /** The exact Float the vault grows by. */
  readonly amount: Float;
  /** Where the call sits: `""` for a direct call, `"2"` for `multicall` item 2, `"2.0"` nested. */
  readonly path: string;
};

/** An exact deposit amount for one `DepositV2` log (see {@link depositAmountKey}). */
export type DepositAmount = {
  readonly amount: Float;
  readonly source: "calldata";
  /** When given, checked against the log. */
  readonly token?: Address;
  /** When given, checked against the log. */
  readonly vaultId?: Hex;
};

type Codec = {
  readonly abi: readonly unknown[];
  readonly deposit: string;
  readonly depositSelector: Hex;
  readonly multicallSelector: Hex;
};

function codecFor(version: OrderbookVersion): Codec {
  const abi = orderbookAbi(version) as readonly { type: string; name?: string }[];
  const deposit = orderbookFunctionNames(version).deposit;
  const find = (name: string) => {
    const item = abi.find((i) => i.type === "function" && i.name === name);
    if (item === undefined) throw new Error(`orderbook ${version} ABI has no ${name}`);
    return item;
  };
  const depositItem = find(deposit);
  const multicallItem = find("multicall");
  return {
    abi: [depositItem, multicallItem],
    deposit,
    depositSelector: toFunctionSelector(depositItem as Parameters<typeof toFunctionSelector>[0]),
    multicallSelector: toFunctionSelector(
      multicallItem as Parameters<typeof toFunctionSelector>[0],
    ),
  };
}

const codecs: Partial<Record<OrderbookVersion, Codec>> = {};

// The orderbook's OpenZeppelin `multicall` delegatecalls itself, so a multicall item can be
// another multicall; real transactions nest rarely, the limit only stops hostile input.
const MAX_MULTICALL_DEPTH = 8;

/** Errors {@link decodeDepositCalldata} can raise. */
export type DecodeDepositCalldataErrorType = MalformedCalldataError;

/**
 * Finds the deposit calls (`deposit3` for V5, `deposit4` for V6) in a transaction's input, made
 * directly or inside the orderbook's own `multicall(bytes[])` (nested too), in call order — the
 * order their `DepositV2` logs are emitted in. Other functions are ignored.
 *
 * @param input The transaction's input (`eth_getTransactionByHash(...).input`).
 * @param version The orderbook's interface version.
 * @param orderbook The orderbook address.
 * @param to The transaction's `to`, when known: a transaction to another contract (a router, a
 *   flash-loan receiver) returns `[]`, since its input is not the orderbook's calldata.
 * @returns The deposits, in call order.
 * @throws {MalformedCalldataError} When a deposit or multicall selector's arguments do not decode.
 *
 * @example
 * ```ts
 * import { encodeFunctionData } from "viem";
 * import { orderbookV5Abi } from "../abi/mod.ts";
 * import { parse } from "../float/mod.ts";
 * import { decodeDepositCalldata } from "./deposit_calldata.ts";
 * const input = encodeFunctionData({
 *   abi: orderbookV5Abi,
 *   functionName: "deposit3",
 *   args: [
 *     "0x00000000000000000000000000000000000000bb",
 *     `0x${"00".repeat(31)}01`,
 *     parse("1.000001"),
 *     [],
 *   ],
 * });
 * const [call] = decodeDepositCalldata(input, "v5", "0x00000000000000000000000000000000000000aa");
 * console.log(call.amount); // the exact Float 1.000001
 * ```
 */
export function decodeDepositCalldata(
  input: Hex,
  version: OrderbookVersion,
  orderbook: Address,
  to?: Address,
): DepositCall[] {
  if (to !== undefined && to.toLowerCase() !== orderbook.toLowerCase()) return [];
  const codec = codecs[version] ??= codecFor(version);
  const found: DepositCall[] = [];
  walk(input, codec, orderbook, "", 0, found);
  return found;
}

function walk(
  data: Hex,
  codec: Codec,
  orderbook: Address,
  path: string,
  depth: number,
  found: DepositCall[],
): void {
  const selector = data.slice(0, 10).toLowerCase();
  const isDeposit = selector === codec.depositSelector;
  if (!isDeposit && selector !== codec.multicallSelector) return;
  if (!isDeposit && depth >= MAX_MULTICALL_DEPTH) {
    throw new MalformedCalldataError({ orderbook, function: "multicall", path });
  }
  let args: readonly unknown[];
  try {
    args = decodeFunctionData({ abi: codec.abi as never, data }).args as readonly unknown[];
  } catch (error) {
    throw new MalformedCalldataError(
      { orderbook, function: isDeposit ? codec.deposit : "multicall", path },
      { cause: error },
    );
  }
  if (isDeposit) {
    found.push({
      token: args[0] as Address,
      vaultId: args[1] as Hex,
      amount: (args[2] as string).toLowerCase() as Float,
      path,
    });
    return;
  }
  (args[0] as readonly Hex[]).forEach((item, i) => {
    walk(item, codec, orderbook, path === "" ? String(i) : `${path}.${i}`, depth + 1, found);
  });
}

/**
 * The key of a log in `eventsToMutations`' `depositAmounts` map: transaction hash and log index.
 *
 * @param position A `DepositV2` event (or any position with `txHash` and `logIndex`).
 * @returns `"<lowercase tx hash>:<log index>"`.
 *
 * @example
 * ```ts
 * import { depositAmountKey } from "./deposit_calldata.ts";
 * console.log(depositAmountKey({ txHash: `0x${"AB".repeat(32)}`, logIndex: 4 }));
 * // 0xabab…ab:4
 * ```
 */
export function depositAmountKey(position: Pick<EventPosition, "txHash" | "logIndex">): string {
  return `${position.txHash.toLowerCase()}:${position.logIndex}`;
}

/** Errors {@link matchDepositCalls} can raise. */
export type MatchDepositCallsErrorType = DepositAmountMismatchError;

/**
 * Pairs one transaction's `DepositV2` logs (of one orderbook, in log order) with the deposit calls
 * decoded from its input, in order, giving the entries of `eventsToMutations`'
 * `depositAmounts`. When the counts differ (some deposits came through another contract, e.g. a
 * flash-loan receiver), nothing is paired: those logs fall back to their inexact uint256.
 *
 * @param deposits The transaction's `DepositV2` events, sorted by log index.
 * @param calls {@link decodeDepositCalldata}'s result for the transaction.
 * @returns Map from {@link depositAmountKey} to the exact amount.
 * @throws {DepositAmountMismatchError} When counts agree but a pair's token or vault differs.
 *
 * @example
 * ```ts
 * import { matchDepositCalls } from "./deposit_calldata.ts";
 * console.log(matchDepositCalls([], []).size); // 0
 * ```
 */
export function matchDepositCalls(
  deposits: readonly DepositV2Event[],
  calls: readonly DepositCall[],
): Map<string, DepositAmount> {
  const amounts = new Map<string, DepositAmount>();
  if (deposits.length !== calls.length) return amounts;
  deposits.forEach((event, i) => {
    const call = calls[i];
    const location = {
      address: event.address,
      blockNumber: String(event.blockNumber),
      logIndex: event.logIndex,
      txHash: event.txHash,
    };
    if (call.token.toLowerCase() !== event.args.token.toLowerCase()) {
      throw new DepositAmountMismatchError({
        ...location,
        field: "token",
        expected: event.args.token,
        actual: call.token,
      });
    }
    if (call.vaultId.toLowerCase() !== event.args.vaultId.toLowerCase()) {
      throw new DepositAmountMismatchError({
        ...location,
        field: "vaultId",
        expected: event.args.vaultId,
        actual: call.vaultId,
      });
    }
    amounts.set(depositAmountKey(event), {
      amount: call.amount,
      source: "calldata",
      token: call.token,
      vaultId: call.vaultId,
    });
  });
  return amounts;
}
