/**
 * Deterministic synthetic chain data for the storage tests (no real chain needed).
 */
import type { Address, Hex } from "viem";
import type { OrderV4 } from "../../src/abi/mod.ts";
import type { RawEventInput } from "../../src/db/mod.ts";

/** A 20-byte address from a number. */
export function addr(n: number | bigint): Address {
  return `0x${n.toString(16).padStart(40, "0")}`;
}

/** A 32-byte word from a number. */
export function b32(n: number | bigint): Hex {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

export const ORDERBOOK: Address = addr(0xaa);
export const OTHER_ORDERBOOK: Address = addr(0xab);
export const STORE: Address = addr(0x5e);
/** A contract no order uses: its logs must not show up in an orderbook's ordered read. */
export const STRANGER: Address = addr(0x99);

/**
 * `perBlock` logs in each block of `[fromBlock, toBlock]`, log indices 0…perBlock-1, emitted in turn
 * by the orderbook, its store and a stranger (when `mix`), plus distinct data per log.
 */
export function makeRawEvents(params: {
  chainId: number;
  fromBlock: bigint;
  toBlock: bigint;
  perBlock: number;
  mix?: boolean;
  orderbook?: Address;
}): RawEventInput[] {
  const out: RawEventInput[] = [];
  const emitters = params.mix
    ? [params.orderbook ?? ORDERBOOK, STORE, STRANGER]
    : [params.orderbook ?? ORDERBOOK];
  for (let block = params.fromBlock; block <= params.toBlock; block++) {
    for (let i = 0; i < params.perBlock; i++) {
      out.push({
        chainId: params.chainId,
        address: emitters[i % emitters.length],
        blockNumber: block,
        blockHash: b32(block * 1000n),
        logIndex: i,
        transactionHash: b32(block * 1000n + BigInt(i)),
        transactionIndex: i >> 1,
        topics: [b32(0xe0 + (i % 3)), b32(i)],
        data: `0x${block.toString(16).padStart(8, "0")}${i.toString(16).padStart(8, "0")}`,
        eventName: i % 3 === 1 ? "Set" : "DepositV2",
      });
    }
  }
  return out;
}

/** An order with one input and two outputs, distinct per `n`. */
export function makeOrder(n: number, store: Address = STORE): OrderV4 {
  return {
    owner: addr(0x1000 + n),
    evaluable: { interpreter: addr(0x2000), store, bytecode: `0x0${n % 10}01` },
    validInputs: [{ token: addr(0x3001), vaultId: b32(n) }],
    validOutputs: [{ token: addr(0x3002), vaultId: b32(n) }, {
      token: addr(0x3003),
      vaultId: b32(n + 1),
    }],
    nonce: b32(n),
  };
}
