/**
 * A direct reader for the fixed layouts of Rain's events, used before viem's generic decoder.
 *
 * viem's `decodeEventLog` spends most of its time in generic machinery (byte arrays, cursors,
 * per-call ABI walks): about 15 µs for a four-word `DepositV2` and 75 µs for an `AddOrderV3`. Sync
 * decodes every log of an orderbook's history, so this reader walks the ABI encoding of the
 * known events on the hex string directly. It gives up (returns `undefined`) on anything
 * unusual — an offset out of bounds, dirty high bits in an address word, a length beyond the
 * data — and the caller then decodes with viem, so viem decides what is malformed and its errors
 * are the ones reported. Tests check that both decoders return the same values.
 *
 * @module
 */
import { type Address, checksumAddress, type Hex } from "viem";
import type { OrderV4 } from "../abi/mod.ts";

class Bail extends Error {}
const BAIL = new Bail();

// EIP-55 checksums cost a keccak each; on-chain logs repeat the same few addresses.
const checksums = new Map<string, Address>();
const MAX_CHECKSUMS = 65_536;

/**
 * The EIP-55 spelling of a lowercase address, as viem's decoder gives it, memoized (a rebuild
 * meets the same few addresses over and over, and each checksum costs a keccak).
 *
 * @example
 * ```ts
 * import { checksummed } from "./fast_decode.ts";
 * console.log(checksummed("0x00000000000000000000000000000000000000c3")); // 0x00000000000000000000000000000000000000C3
 * ```
 */
export function checksummed(lower: string): Address {
  let out = checksums.get(lower);
  if (out === undefined) {
    if (checksums.size >= MAX_CHECKSUMS) checksums.clear();
    out = checksumAddress(lower as Address);
    checksums.set(lower, out);
  }
  return out;
}

const HEX_RE = /^0x[0-9a-fA-F]*$/;
const LOWER_HEX_RE = /^0x[0-9a-f]*$/;
const ZERO24 = "0".repeat(24);
const ZERO56 = "0".repeat(56);

class Reader {
  /** Lowercase hex without `0x`. */
  readonly hex: string;
  /** Length in bytes. */
  readonly size: number;

  constructor(data: string) {
    if ((data.length & 1) !== 0) throw BAIL;
    if (LOWER_HEX_RE.test(data)) this.hex = data.slice(2);
    else if (HEX_RE.test(data)) this.hex = data.slice(2).toLowerCase();
    else throw BAIL;
    this.size = this.hex.length / 2;
  }

  word(pos: number): string {
    if (pos + 32 > this.size) throw BAIL;
    return this.hex.slice(pos * 2, pos * 2 + 64);
  }

  bytes32(pos: number): Hex {
    return `0x${this.word(pos)}`;
  }

  uint(pos: number): bigint {
    return BigInt(`0x${this.word(pos)}`);
  }

  /** An offset or length: must fit comfortably in a number. */
  small(pos: number): number {
    if (pos + 32 > this.size || !this.hex.startsWith(ZERO56, pos * 2)) throw BAIL;
    const n = parseInt(this.hex.slice(pos * 2 + 56, pos * 2 + 64), 16);
    if (Number.isNaN(n)) throw BAIL;
    return n;
  }

  address(pos: number): Address {
    if (pos + 32 > this.size || !this.hex.startsWith(ZERO24, pos * 2)) throw BAIL;
    return checksummed(`0x${this.hex.slice(pos * 2 + 24, pos * 2 + 64)}`);
  }

  /** A tail position: the word at `pos` holds an offset from `base`. */
  tail(pos: number, base: number): number {
    const at = base + this.small(pos);
    if (at > this.size) throw BAIL;
    return at;
  }

  bytes(at: number): Hex {
    const length = this.small(at);
    const start = at + 32;
    if (start + length > this.size) throw BAIL;
    return `0x${this.hex.slice(start * 2, (start + length) * 2)}`;
  }

  bytes32Array(at: number): Hex[] {
    const length = this.small(at);
    if (at + 32 + length * 32 > this.size) throw BAIL;
    const out: Hex[] = new Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bytes32(at + 32 + i * 32);
    return out;
  }

  bytes32Matrix(at: number): Hex[][] {
    const length = this.small(at);
    const head = at + 32;
    if (head + length * 32 > this.size) throw BAIL;
    const out: Hex[][] = new Array(length);
    for (let i = 0; i < length; i++) out[i] = this.bytes32Array(this.tail(head + i * 32, head));
    return out;
  }

  ioArray(at: number): { token: Address; vaultId: Hex }[] {
    const length = this.small(at);
    if (at + 32 + length * 64 > this.size) throw BAIL;
    const out: { token: Address; vaultId: Hex }[] = new Array(length);
    for (let i = 0; i < length; i++) {
      const p = at + 32 + i * 64;
      out[i] = { token: this.address(p), vaultId: this.bytes32(p + 32) };
    }
    return out;
  }

  /**
   * An order that takes and clears name again and again: the bytes its encoding spans (offsets are
   * relative to its start, so the same order encodes the same wherever it sits) key a memo of the
   * decoded order, frozen since events share it.
   */
  referencedOrder(at: number): OrderV4 {
    const evaluable = this.tail(at + 32, at);
    const code = this.tail(evaluable + 64, evaluable);
    const inputs = this.tail(at + 64, at);
    const outputs = this.tail(at + 96, at);
    const end = Math.max(
      at + 160,
      evaluable + 96,
      code + 32 + Math.ceil(this.small(code) / 32) * 32,
      inputs + 32 + this.small(inputs) * 64,
      outputs + 32 + this.small(outputs) * 64,
    );
    if (end > this.size) throw BAIL;
    const key = this.hex.slice(at * 2, end * 2);
    let order = orderMemo.get(key);
    if (order === undefined) {
      order = deepFreeze(this.order(at));
      if (orderMemo.size >= ORDER_MEMO_SIZE) orderMemo.clear();
      orderMemo.set(key, order);
    }
    return order;
  }

  order(at: number): OrderV4 {
    const evaluable = this.tail(at + 32, at);
    return {
      owner: this.address(at),
      evaluable: {
        interpreter: this.address(evaluable),
        store: this.address(evaluable + 32),
        bytecode: this.bytes(this.tail(evaluable + 64, evaluable)),
      },
      validInputs: this.ioArray(this.tail(at + 64, at)),
      validOutputs: this.ioArray(this.tail(at + 96, at)),
      nonce: this.bytes32(at + 128),
    };
  }

  signedContexts(at: number) {
    const length = this.small(at);
    const head = at + 32;
    if (head + length * 32 > this.size) throw BAIL;
    const out = new Array(length);
    for (let i = 0; i < length; i++) {
      const c = this.tail(head + i * 32, head);
      out[i] = {
        signer: this.address(c),
        context: this.bytes32Array(this.tail(c + 32, c)),
        signature: this.bytes(this.tail(c + 64, c)),
      };
    }
    return out;
  }
}

const orderMemo = new Map<string, OrderV4>();
const ORDER_MEMO_SIZE = 1024;

function deepFreeze(order: OrderV4): OrderV4 {
  Object.freeze(order.evaluable);
  for (const io of order.validInputs) Object.freeze(io);
  for (const io of order.validOutputs) Object.freeze(io);
  Object.freeze(order.validInputs);
  Object.freeze(order.validOutputs);
  return Object.freeze(order);
}

type Decoder = (r: Reader) => Record<string, unknown>;

const skip: Decoder = (r) => ({
  sender: r.address(0),
  owner: r.address(32),
  orderHash: r.bytes32(64),
});

const orderEvent: Decoder = (r) => ({
  sender: r.address(0),
  orderHash: r.bytes32(32),
  order: r.order(r.tail(64, 0)),
});

const decoders: Record<string, Decoder> = {
  AddOrderV3: orderEvent,
  RemoveOrderV3: orderEvent,
  DepositV2: (r) => ({
    sender: r.address(0),
    token: r.address(32),
    vaultId: r.bytes32(64),
    depositAmountUint256: r.uint(96),
  }),
  WithdrawV2: (r) => ({
    sender: r.address(0),
    token: r.address(32),
    vaultId: r.bytes32(64),
    targetAmount: r.bytes32(96),
    withdrawAmount: r.bytes32(128),
    withdrawAmountUint256: r.uint(160),
  }),
  TakeOrderV3: (r) => {
    const config = r.tail(32, 0);
    return {
      sender: r.address(0),
      config: {
        order: r.referencedOrder(r.tail(config, config)),
        inputIOIndex: r.uint(config + 32),
        outputIOIndex: r.uint(config + 64),
        signedContext: r.signedContexts(r.tail(config + 96, config)),
      },
      input: r.bytes32(64),
      output: r.bytes32(96),
    };
  },
  ClearV3: (r) => ({
    sender: r.address(0),
    alice: r.referencedOrder(r.tail(32, 0)),
    bob: r.referencedOrder(r.tail(64, 0)),
    clearConfig: {
      aliceInputIOIndex: r.uint(96),
      aliceOutputIOIndex: r.uint(128),
      bobInputIOIndex: r.uint(160),
      bobOutputIOIndex: r.uint(192),
      aliceBountyVaultId: r.bytes32(224),
      bobBountyVaultId: r.bytes32(256),
    },
  }),
  AfterClearV2: (r) => ({
    sender: r.address(0),
    clearStateChange: {
      aliceOutput: r.bytes32(32),
      bobOutput: r.bytes32(64),
      aliceInput: r.bytes32(96),
      bobInput: r.bytes32(128),
    },
  }),
  ContextV2: (r) => ({ sender: r.address(0), context: r.bytes32Matrix(r.tail(32, 0)) }),
  MetaV1_2: (r) => ({
    sender: r.address(0),
    subject: r.bytes32(32),
    meta: r.bytes(r.tail(64, 0)),
  }),
  OrderNotFound: skip,
  OrderZeroAmount: skip,
  OrderExceedsMaxRatio: skip,
  Set: (r) => ({ namespace: r.uint(0), key: r.bytes32(32), value: r.bytes32(64) }),
};

/**
 * Decodes the data of one of Rain's events by its known layout, or returns `undefined` when the
 * data is anything but a clean encoding (the caller then asks viem).
 *
 * @param name Event name (`"DepositV2"`, `"Set"`, …).
 * @param data The log's data.
 * @returns The arguments as viem would decode them, or `undefined`.
 *
 * @example
 * ```ts
 * import { fastDecodeEventData } from "./fast_decode.ts";
 * const data = `0x${"00".repeat(31)}07${"00".repeat(32)}${"00".repeat(31)}01` as const;
 * console.log(fastDecodeEventData("Set", data)?.namespace); // 7n
 * ```
 */
export function fastDecodeEventData(
  name: string,
  data: Hex,
): Record<string, unknown> | undefined {
  const decoder = decoders[name];
  if (decoder === undefined) return undefined;
  try {
    return decoder(new Reader(data));
  } catch (error) {
    if (error === BAIL || error instanceof SyntaxError || error instanceof RangeError) {
      return undefined;
    }
    throw error;
  }
}
