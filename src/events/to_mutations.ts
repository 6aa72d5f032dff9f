/**
 * Typed events → engine mutation batches: one batch per block, in `(blockNumber, logIndex)`
 * order, each opening with the block's `setEnv`, with vault changes in the contract's order.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { numberToHex } from "viem";
import type { OrderbookVersion, OrderV4 } from "../abi/mod.ts";
import type { RaindexMutation, VaultDelta } from "../engine/mod.ts";
import {
  type Float,
  FLOAT_ZERO,
  fromFixedDecimalLossy,
  lt,
  sub,
  toFixedDecimalLossy,
} from "../float/mod.ts";
import type { DepositAmount } from "./deposit_calldata.ts";
import { depositAmountKey } from "./deposit_calldata.ts";
import {
  ConflictingBlockDataError,
  DepositAmountMismatchError,
  DepositDecimalsMissingError,
  DuplicateLogPositionError,
  InvalidEventDataError,
  type LogLocation,
  MissingBlockTimestampError,
  UnpairedClearEventError,
} from "./errors.ts";
import type {
  AfterClearV2Event,
  AnnotationEvent,
  ClearV3Event,
  ContextV2Event,
  DepositV2Event,
  RaindexEventLog,
  TakeOrderV3Event,
} from "./types.ts";

/** Options of {@link eventsToMutations}. */
export type EventsToMutationsOptions = {
  /** The orderbook's interface version (V6 vault id 0 is vaultless: no vault changes). */
  readonly version: OrderbookVersion;
  /** When given, orderbook events from any other address are rejected. */
  readonly orderbook?: Address;
  /** Block number → timestamp; wins over the logs' own timestamps (which must agree). */
  readonly blocks?: ReadonlyMap<bigint, bigint>;
  /**
   * Exact deposit Floats from calldata, keyed by `depositAmountKey(event)`
   * (`decodeDepositCalldata` + `matchDepositCalls`). Deposits without an entry fall back to the
   * event's uint256 and are listed in `inexact`.
   */
  readonly depositAmounts?: ReadonlyMap<string, DepositAmount>;
  /** Token → decimals (any hex case). */
  readonly tokenDecimals?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /**
   * History does not start at the orderbook's deployment: a `RemoveOrderV3` of an order never
   * added becomes `setOrders` with `live: false` (the event carries the body) instead of
   * `removeOrders`, which the engine rejects for unknown hashes.
   */
  readonly partialHistory?: boolean;
};

/** The mutations of one block. */
export type MutationBatch = {
  readonly blockNumber: bigint;
  readonly blockHash: Hex;
  readonly timestamp: bigint;
  /** Events of the block (state-changing or not). */
  readonly eventCount: number;
  /** `setEnv` first, then the block's changes in log order. */
  readonly mutations: readonly RaindexMutation[];
};

/** A deposit applied from the event's rounded-up uint256 because no calldata Float was given. */
export type InexactDeposit = {
  readonly event: DepositV2Event;
  readonly decimals: number;
  /** The Float the vault was increased by: `fromFixedDecimalLossy(uint256, decimals)`. */
  readonly amount: Float;
  /** False when even that conversion lost digits (amounts beyond int224). */
  readonly conversionLossless: boolean;
};

/** A V6 vaultless IO's token movement (vault id 0): tokens moved, no vault changed. */
export type VaultlessMove = {
  readonly event: TakeOrderV3Event | AfterClearV2Event;
  readonly owner: Address;
  readonly token: Address;
  /** `increase`: pushed to the owner; `decrease`: pulled from the owner. */
  readonly op: "increase" | "decrease";
  readonly amount: Float;
};

/** Result of {@link eventsToMutations}. */
export type EventsToMutationsResult = {
  /** One batch per block with events, ascending. */
  readonly batches: readonly MutationBatch[];
  /** `ContextV2`, `MetaV1_2`, `OrderNotFound`, `OrderZeroAmount`, `OrderExceedsMaxRatio`, in order. */
  readonly annotations: readonly AnnotationEvent[];
  /** The `ContextV2` events alone (handle-io contexts, for fidelity checks), in order. */
  readonly contexts: readonly ContextV2Event[];
  /** Deposits applied from the event's uint256. */
  readonly inexact: readonly InexactDeposit[];
  /** Tokens seen in orders with no entry in `tokenDecimals`, first-seen order. */
  readonly missingDecimals: readonly Address[];
  /** V6 vaultless token movements (empty for V5). */
  readonly vaultless: readonly VaultlessMove[];
};

/** Errors {@link eventsToMutations} can raise. */
export type EventsToMutationsErrorType =
  | DuplicateLogPositionError
  | MissingBlockTimestampError
  | ConflictingBlockDataError
  | DepositDecimalsMissingError
  | DepositAmountMismatchError
  | UnpairedClearEventError
  | InvalidEventDataError;

const ZERO_WORD_RE = /^0x0{64}$/i;

function locationOf(event: RaindexEventLog): LogLocation {
  return {
    address: event.address,
    blockNumber: String(event.blockNumber),
    logIndex: event.logIndex,
    txHash: event.txHash,
  };
}

function comparePosition(a: RaindexEventLog, b: RaindexEventLog): number {
  if (a.blockNumber !== b.blockNumber) return a.blockNumber < b.blockNumber ? -1 : 1;
  return a.logIndex - b.logIndex;
}

function sortedEvents(events: readonly RaindexEventLog[]): readonly RaindexEventLog[] {
  let sorted = true;
  for (let i = 1; i < events.length; i++) {
    if (comparePosition(events[i - 1], events[i]) > 0) {
      sorted = false;
      break;
    }
  }
  // Array.prototype.sort is stable, so equal positions keep input order for the duplicate report.
  const out = sorted ? events : [...events].sort(comparePosition);
  for (let i = 1; i < out.length; i++) {
    if (comparePosition(out[i - 1], out[i]) === 0) {
      throw new DuplicateLogPositionError({
        blockNumber: String(out[i].blockNumber),
        logIndex: out[i].logIndex,
        types: [out[i - 1].type, out[i].type],
      });
    }
  }
  return out;
}

function decimalsMap(
  input: EventsToMutationsOptions["tokenDecimals"],
): ReadonlyMap<string, number> {
  const map = new Map<string, number>();
  if (input === undefined) return map;
  const entries = input instanceof Map ? input.entries() : Object.entries(input);
  for (const [token, decimals] of entries) map.set(token.toLowerCase(), decimals);
  return map;
}

type OpenBlock = {
  blockNumber: bigint;
  blockHash: Hex;
  chainId: number;
  timestamp: bigint | undefined;
  eventCount: number;
  body: RaindexMutation[];
};

/**
 * The batch of one block: its `setEnv` (chain id, block number, timestamp), then `body`.
 *
 * @param block The block's header and how many logs it holds (state-changing or not).
 * @param body The block's changes in log order.
 * @throws {MissingBlockTimestampError} The block's timestamp is not known.
 *
 * @example
 * ```ts
 * import { blockBatch } from "./to_mutations.ts";
 * const batch = blockBatch(
 *   { chainId: 1, blockNumber: 7n, blockHash: `0x${"ab".repeat(32)}`, timestamp: 1700n, eventCount: 2 },
 *   [],
 * );
 * console.log(batch.mutations.map((m) => m.type)); // ["setEnv"]
 * ```
 */
export function blockBatch(
  block: {
    readonly chainId: number;
    readonly blockNumber: bigint;
    readonly blockHash: Hex;
    readonly timestamp: bigint | null | undefined;
    readonly eventCount: number;
  },
  body: readonly RaindexMutation[],
): MutationBatch {
  const { blockNumber, timestamp } = block;
  if (timestamp === undefined || timestamp === null) {
    throw new MissingBlockTimestampError({ blockNumber: String(blockNumber) });
  }
  return {
    blockNumber,
    blockHash: block.blockHash,
    timestamp,
    eventCount: block.eventCount,
    mutations: [
      { type: "setEnv", chainId: BigInt(block.chainId), blockNumber, timestamp },
      ...body,
    ],
  };
}

/**
 * Turns decoded orderbook and store events into engine mutation batches.
 *
 * Events are sorted stably by `(blockNumber, logIndex)`; each block becomes one batch opening with
 * `setEnv` (chain id, block number, timestamp). Per event:
 * - `AddOrderV3` → `setOrders` (live); `RemoveOrderV3` → `removeOrders`;
 * - `DepositV2` → vault `increase` by the calldata Float (`depositAmounts`), else by the event's
 *   uint256 converted with the token's decimals, listed in `inexact`;
 * - `WithdrawV2` → vault `decrease` by `withdrawAmount`;
 * - `TakeOrderV3` → the order's input vault `increase` by `output`, then its output vault
 *   `decrease` by `input` (the contract's `recordVaultIO` order);
 * - `ClearV3` + its `AfterClearV2` → alice's input +, output −, bob's likewise, then the
 *   clearer's bounties (`aliceOutput − bobInput`, `bobOutput − aliceInput`), at the `AfterClearV2`;
 * - store `Set` → `applyStore` (consecutive writes to one store and namespace merged);
 * - `ContextV2`, `MetaV1_2`, `OrderNotFound`, `OrderZeroAmount`, `OrderExceedsMaxRatio` → annotations.
 * Known decimals of tokens first seen in orders are emitted as `setTokenDecimals` before the
 * order's mutation; unknown ones are listed in `missingDecimals`.
 *
 * @param events Decoded events of one orderbook and its stores, any order.
 * @param options Version, timestamps, calldata amounts, decimals.
 * @returns Batches, annotations, contexts, inexact deposits, tokens missing decimals.
 * @throws {DuplicateLogPositionError} Two events at one `(blockNumber, logIndex)`.
 * @throws {MissingBlockTimestampError} A block with no timestamp anywhere.
 * @throws {ConflictingBlockDataError} Events of one block disagreeing on its timestamp, hash or chain.
 * @throws {DepositDecimalsMissingError} A deposit falling back to its uint256 for a token without decimals.
 * @throws {DepositAmountMismatchError} A calldata amount that does not fit its log.
 * @throws {UnpairedClearEventError} `ClearV3` and `AfterClearV2` not paired in one transaction.
 * @throws {InvalidEventDataError} An IO index out of range, a negative bounty, a foreign orderbook.
 *
 * @example
 * ```ts
 * import { parse } from "../float/mod.ts";
 * import { eventsToMutations } from "./to_mutations.ts";
 * const { batches } = eventsToMutations([{
 *   type: "WithdrawV2",
 *   chainId: 1,
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: 10n,
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: 0,
 *   txHash: `0x${"11".repeat(32)}`,
 *   txIndex: 0,
 *   timestamp: 1700000000n,
 *   args: {
 *     sender: "0x00000000000000000000000000000000000000bb",
 *     token: "0x00000000000000000000000000000000000000cc",
 *     vaultId: `0x${"00".repeat(31)}01`,
 *     targetAmount: parse("5"),
 *     withdrawAmount: parse("2"),
 *     withdrawAmountUint256: 2000000n,
 *   },
 * }], { version: "v5" });
 * console.log(batches[0].mutations.map((m) => m.type)); // ["setEnv", "vaultDeltas"]
 * ```
 */
export function eventsToMutations(
  events: readonly RaindexEventLog[],
  options: EventsToMutationsOptions,
): EventsToMutationsResult {
  const v6 = options.version === "v6";
  const orderbook = options.orderbook?.toLowerCase();
  const decimals = decimalsMap(options.tokenDecimals);
  const depositAmounts = options.depositAmounts;

  const batches: MutationBatch[] = [];
  const annotations: AnnotationEvent[] = [];
  const contexts: ContextV2Event[] = [];
  const inexact: InexactDeposit[] = [];
  const vaultless: VaultlessMove[] = [];
  const seenTokens = new Set<string>();
  const seenSpellings = new Set<string>();
  const missingDecimals: Address[] = [];

  let block: OpenBlock | undefined;
  let pendingClear: ClearV3Event | undefined;

  const closeBlock = (): void => {
    if (block === undefined) return;
    batches.push(blockBatch(block, block.body));
  };

  const conflict = (
    field: "timestamp" | "blockHash" | "chainId",
    a: unknown,
    b: unknown,
    blockNumber: bigint,
  ): never => {
    throw new ConflictingBlockDataError({
      blockNumber: String(blockNumber),
      field,
      values: [String(a), String(b)],
    });
  };

  const pushDeltas = (body: RaindexMutation[], deltas: VaultDelta[]): void => {
    if (deltas.length === 0) return;
    const last = body[body.length - 1];
    if (last?.type === "vaultDeltas") (last.deltas as VaultDelta[]).push(...deltas);
    else body.push({ type: "vaultDeltas", deltas });
  };

  const noteOrderTokens = (body: RaindexMutation[], orders: readonly OrderV4[]): void => {
    let known: { token: Address; decimals: number }[] | undefined;
    for (const order of orders) {
      for (const list of [order.validInputs, order.validOutputs]) {
        for (const io of list) {
          // Decoded logs repeat the same token strings: the spelling seen is checked first.
          if (seenSpellings.has(io.token)) continue;
          seenSpellings.add(io.token);
          const key = io.token.toLowerCase();
          if (seenTokens.has(key)) continue;
          seenTokens.add(key);
          const d = decimals.get(key);
          if (d === undefined) missingDecimals.push(io.token);
          else (known ??= []).push({ token: io.token, decimals: d });
        }
      }
    }
    if (known !== undefined) body.push({ type: "setTokenDecimals", tokens: known });
  };

  // V6 vault id 0 moves tokens instead of a vault (`increaseVaultBalance`/`decreaseVaultBalance`).
  const vaultChange = (
    deltas: VaultDelta[],
    event: TakeOrderV3Event | AfterClearV2Event,
    owner: Address,
    token: Address,
    vaultId: Hex,
    op: "increase" | "decrease",
    amount: Float,
  ): void => {
    if (v6 && ZERO_WORD_RE.test(vaultId)) vaultless.push({ event, owner, token, op, amount });
    else deltas.push({ owner, token, vaultId, op, amount });
  };

  const ioAt = (
    event: RaindexEventLog,
    order: OrderV4,
    side: "validInputs" | "validOutputs",
    index: bigint,
    label: string,
  ) => {
    const list = order[side];
    if (index >= BigInt(list.length)) {
      throw new InvalidEventDataError({
        ...locationOf(event),
        event: event.type,
        reason: `${label} ${index} out of range (${list.length} ${side})`,
      });
    }
    return list[Number(index)];
  };

  const depositAmount = (event: DepositV2Event): Float => {
    const { token, vaultId, depositAmountUint256 } = event.args;
    const d = decimals.get(token.toLowerCase());
    const given = depositAmounts?.get(depositAmountKey(event));
    if (given !== undefined) {
      const mismatch = (
        field: "token" | "vaultId" | "amount",
        expected: string,
        actual: string,
      ) => new DepositAmountMismatchError({ ...locationOf(event), field, expected, actual });
      if (given.token !== undefined && given.token.toLowerCase() !== token.toLowerCase()) {
        throw mismatch("token", token, given.token);
      }
      if (given.vaultId !== undefined && given.vaultId.toLowerCase() !== vaultId.toLowerCase()) {
        throw mismatch("vaultId", vaultId, given.vaultId);
      }
      if (d !== undefined) {
        // `pullTokens`: toFixedDecimalLossy, plus one unit when digits were truncated.
        const fixed = toFixedDecimalLossy(given.amount, d);
        const pulled = fixed.lossless ? fixed.value : fixed.value + 1n;
        if (pulled !== depositAmountUint256) {
          throw mismatch("amount", String(depositAmountUint256), String(pulled));
        }
      }
      return given.amount;
    }
    if (d === undefined) throw new DepositDecimalsMissingError({ ...locationOf(event), token });
    const converted = fromFixedDecimalLossy(depositAmountUint256, d);
    inexact.push({
      event,
      decimals: d,
      amount: converted.value,
      conversionLossless: converted.lossless,
    });
    return converted.value;
  };

  for (const event of sortedEvents(events)) {
    if (pendingClear !== undefined && event.txHash !== pendingClear.txHash) {
      throw new UnpairedClearEventError({
        ...locationOf(pendingClear),
        event: "ClearV3",
        reason: "no AfterClearV2 in the same transaction",
      });
    }
    if (block === undefined || block.blockNumber !== event.blockNumber) {
      closeBlock();
      block = {
        blockNumber: event.blockNumber,
        blockHash: event.blockHash,
        chainId: event.chainId,
        timestamp: options.blocks?.get(event.blockNumber),
        eventCount: 0,
        body: [],
      };
    }
    const open = block;
    if (event.blockHash !== open.blockHash) {
      conflict("blockHash", open.blockHash, event.blockHash, open.blockNumber);
    }
    if (event.chainId !== open.chainId) {
      conflict("chainId", open.chainId, event.chainId, open.blockNumber);
    }
    if (event.timestamp !== undefined) {
      if (open.timestamp === undefined) open.timestamp = event.timestamp;
      else if (open.timestamp !== event.timestamp) {
        conflict("timestamp", open.timestamp, event.timestamp, open.blockNumber);
      }
    }
    open.eventCount++;
    if (
      orderbook !== undefined && event.type !== "Set" && event.address.toLowerCase() !== orderbook
    ) {
      throw new InvalidEventDataError({
        ...locationOf(event),
        event: event.type,
        reason: `emitted by ${event.address}, not the orderbook ${options.orderbook}`,
      });
    }
    const body = open.body;

    switch (event.type) {
      case "AddOrderV3": {
        noteOrderTokens(body, [event.args.order]);
        const last = body[body.length - 1];
        // The event's orderHash is the orderbook's keccak256(abi.encode(order)): carried along,
        // the engine keys the order by it instead of hashing the body again.
        if (last?.type === "setOrders" && last.live !== false && last.orderHashes !== undefined) {
          (last.orders as OrderV4[]).push(event.args.order);
          (last.orderHashes as Hex[]).push(event.args.orderHash);
        } else {
          body.push({
            type: "setOrders",
            orders: [event.args.order],
            orderHashes: [event.args.orderHash],
          });
        }
        break;
      }
      case "RemoveOrderV3": {
        noteOrderTokens(body, [event.args.order]);
        if (options.partialHistory === true) {
          body.push({
            type: "setOrders",
            orders: [event.args.order],
            live: false,
            orderHashes: [event.args.orderHash],
          });
        } else {
          const last = body[body.length - 1];
          if (last?.type === "removeOrders") {
            (last.orderHashes as Hex[]).push(event.args.orderHash);
          } else body.push({ type: "removeOrders", orderHashes: [event.args.orderHash] });
        }
        break;
      }
      case "DepositV2": {
        const { sender, token, vaultId } = event.args;
        if (v6 && ZERO_WORD_RE.test(vaultId)) {
          throw new InvalidEventDataError({
            ...locationOf(event),
            event: event.type,
            reason: "vault id 0 (V6 reverts ZeroVaultId)",
          });
        }
        pushDeltas(body, [{
          owner: sender,
          token,
          vaultId,
          op: "increase",
          amount: depositAmount(event),
        }]);
        break;
      }
      case "WithdrawV2": {
        const { sender, token, vaultId, withdrawAmount } = event.args;
        if (v6 && ZERO_WORD_RE.test(vaultId)) {
          throw new InvalidEventDataError({
            ...locationOf(event),
            event: event.type,
            reason: "vault id 0 (V6 reverts ZeroVaultId)",
          });
        }
        pushDeltas(body, [{
          owner: sender,
          token,
          vaultId,
          op: "decrease",
          amount: withdrawAmount,
        }]);
        break;
      }
      case "TakeOrderV3": {
        const { config, input, output } = event.args;
        const order = config.order;
        noteOrderTokens(body, [order]);
        const inIO = ioAt(event, order, "validInputs", config.inputIOIndex, "inputIOIndex");
        const outIO = ioAt(event, order, "validOutputs", config.outputIOIndex, "outputIOIndex");
        const deltas: VaultDelta[] = [];
        // recordVaultIO(input = takerOutput, output = takerInput): the order receives what the
        // taker pays and sends what the taker receives.
        vaultChange(deltas, event, order.owner, inIO.token, inIO.vaultId, "increase", output);
        vaultChange(deltas, event, order.owner, outIO.token, outIO.vaultId, "decrease", input);
        pushDeltas(body, deltas);
        break;
      }
      case "ClearV3": {
        noteOrderTokens(body, [event.args.alice, event.args.bob]);
        pendingClear = event;
        break;
      }
      case "AfterClearV2": {
        const clear = pendingClear;
        if (clear === undefined) {
          throw new UnpairedClearEventError({
            ...locationOf(event),
            event: "AfterClearV2",
            reason: "no ClearV3 before it in the same transaction",
          });
        }
        if (
          clear.args.sender.toLowerCase() !== event.args.sender.toLowerCase() ||
          clear.address.toLowerCase() !== event.address.toLowerCase()
        ) {
          throw new UnpairedClearEventError({
            ...locationOf(event),
            event: "AfterClearV2",
            reason: `sender/orderbook ${event.args.sender}/${event.address} differ from the ` +
              `ClearV3's ${clear.args.sender}/${clear.address}`,
          });
        }
        pendingClear = undefined;
        pushDeltas(body, clearDeltas(clear, event));
        break;
      }
      case "Set": {
        const namespace = numberToHex(event.args.namespace, { size: 32 });
        const last = body[body.length - 1];
        if (
          last?.type === "applyStore" && last.namespace === namespace &&
          last.store.toLowerCase() === event.address.toLowerCase()
        ) {
          (last.kvs as Hex[]).push(event.args.key, event.args.value);
        } else {
          body.push({
            type: "applyStore",
            store: event.address,
            namespace,
            kvs: [event.args.key, event.args.value],
          });
        }
        break;
      }
      case "ContextV2":
        contexts.push(event);
        annotations.push(event);
        break;
      case "MetaV1_2":
      case "OrderNotFound":
      case "OrderZeroAmount":
      case "OrderExceedsMaxRatio":
        annotations.push(event);
        break;
      default: {
        const unknown: { type: string } = event;
        throw new InvalidEventDataError({
          ...locationOf(event as RaindexEventLog),
          event: unknown.type,
          reason: "not an event eventsToMutations knows",
        });
      }
    }
  }
  if (pendingClear !== undefined) {
    throw new UnpairedClearEventError({
      ...locationOf(pendingClear),
      event: "ClearV3",
      reason: "no AfterClearV2 in the same transaction",
    });
  }
  closeBlock();
  return { batches, annotations, contexts, inexact, missingDecimals, vaultless };

  function clearDeltas(clear: ClearV3Event, after: AfterClearV2Event): VaultDelta[] {
    const { alice, bob, clearConfig: c } = clear.args;
    const { aliceInput, aliceOutput, bobInput, bobOutput } = after.args.clearStateChange;
    const aliceIn = ioAt(clear, alice, "validInputs", c.aliceInputIOIndex, "aliceInputIOIndex");
    const aliceOut = ioAt(clear, alice, "validOutputs", c.aliceOutputIOIndex, "aliceOutputIOIndex");
    const bobIn = ioAt(clear, bob, "validInputs", c.bobInputIOIndex, "bobInputIOIndex");
    const bobOut = ioAt(clear, bob, "validOutputs", c.bobOutputIOIndex, "bobOutputIOIndex");
    const aliceBounty = sub(aliceOutput, bobInput);
    const bobBounty = sub(bobOutput, aliceInput);
    if (lt(aliceBounty, FLOAT_ZERO) || lt(bobBounty, FLOAT_ZERO)) {
      throw new InvalidEventDataError({
        ...locationOf(after),
        event: "AfterClearV2",
        reason: "negative bounty (the contract reverts NegativeBounty)",
      });
    }
    const deltas: VaultDelta[] = [];
    const sender = clear.args.sender;
    // clear3: recordVaultIO(alice) then recordVaultIO(bob) (input += then output −=), then both
    // bounties credited to the clearer even when zero (a zero add still sets the vault's bits).
    vaultChange(deltas, after, alice.owner, aliceIn.token, aliceIn.vaultId, "increase", aliceInput);
    vaultChange(
      deltas,
      after,
      alice.owner,
      aliceOut.token,
      aliceOut.vaultId,
      "decrease",
      aliceOutput,
    );
    vaultChange(deltas, after, bob.owner, bobIn.token, bobIn.vaultId, "increase", bobInput);
    vaultChange(deltas, after, bob.owner, bobOut.token, bobOut.vaultId, "decrease", bobOutput);
    vaultChange(
      deltas,
      after,
      sender,
      aliceOut.token,
      c.aliceBountyVaultId,
      "increase",
      aliceBounty,
    );
    vaultChange(deltas, after, sender, bobOut.token, c.bobBountyVaultId, "increase", bobBounty);
    return deltas;
  }
}
