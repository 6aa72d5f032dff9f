/**
 * Shared fixtures of the events tests. Logs are encoded with viem from event signatures written
 * here from DOMAIN.md's struct list (human-readable ABI), independent of `src/abi` and of the
 * decoder under test.
 */
import {
  type Address,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  parseAbi,
  toEventSelector,
  toHex,
} from "viem";
import type { OrderV4 } from "../../src/abi/mod.ts";
import { type Float, parse } from "../../src/float/mod.ts";
import type { RawLog } from "../../src/events/mod.ts";

export const CHAIN_ID = 1;
export const ORDERBOOK: Address = "0x00000000000000000000000000000000000000ab";
export const INTERPRETER: Address = "0x1000000000000000000000000000000000000001";
export const STORE: Address = "0x2000000000000000000000000000000000000002";
export const ALICE: Address = "0xa11ce00000000000000000000000000000000001";
export const BOB: Address = "0xb0b0000000000000000000000000000000000002";
export const CLEARER: Address = "0xc1ea400000000000000000000000000000000005";
export const TAKER: Address = "0x7a4e400000000000000000000000000000000004";
export const TOKEN_A: Address = "0xaaaa000000000000000000000000000000000001";
export const TOKEN_B: Address = "0xbbbb000000000000000000000000000000000002";

export const STRUCTS = [
  "struct IOV2 { address token; bytes32 vaultId; }",
  "struct EvaluableV4 { address interpreter; address store; bytes bytecode; }",
  "struct OrderV4 { address owner; EvaluableV4 evaluable; IOV2[] validInputs; IOV2[] validOutputs; bytes32 nonce; }",
  "struct SignedContextV1 { address signer; bytes32[] context; bytes signature; }",
  "struct TakeOrderConfigV4 { OrderV4 order; uint256 inputIOIndex; uint256 outputIOIndex; SignedContextV1[] signedContext; }",
  "struct ClearConfigV2 { uint256 aliceInputIOIndex; uint256 aliceOutputIOIndex; uint256 bobInputIOIndex; uint256 bobOutputIOIndex; bytes32 aliceBountyVaultId; bytes32 bobBountyVaultId; }",
  "struct ClearStateChangeV2 { bytes32 aliceOutput; bytes32 bobOutput; bytes32 aliceInput; bytes32 bobInput; }",
  "struct TaskV2 { EvaluableV4 evaluable; SignedContextV1[] signedContext; }",
] as const;

/** The orderbook events and the store's `Set`, as DOMAIN.md states them. */
export const testEventsAbi = parseAbi([
  ...STRUCTS,
  "event AddOrderV3(address sender, bytes32 orderHash, OrderV4 order)",
  "event RemoveOrderV3(address sender, bytes32 orderHash, OrderV4 order)",
  "event DepositV2(address sender, address token, bytes32 vaultId, uint256 depositAmountUint256)",
  "event WithdrawV2(address sender, address token, bytes32 vaultId, bytes32 targetAmount, bytes32 withdrawAmount, uint256 withdrawAmountUint256)",
  "event TakeOrderV3(address sender, TakeOrderConfigV4 config, bytes32 input, bytes32 output)",
  "event ClearV3(address sender, OrderV4 alice, OrderV4 bob, ClearConfigV2 clearConfig)",
  "event AfterClearV2(address sender, ClearStateChangeV2 clearStateChange)",
  "event ContextV2(address sender, bytes32[][] context)",
  "event MetaV1_2(address sender, bytes32 subject, bytes meta)",
  "event OrderNotFound(address sender, address owner, bytes32 orderHash)",
  "event OrderZeroAmount(address sender, address owner, bytes32 orderHash)",
  "event OrderExceedsMaxRatio(address sender, address owner, bytes32 orderHash)",
  "event Set(uint256 namespace, bytes32 key, bytes32 value)",
]);

/** The functions whose calldata deposit decoding reads, written independently too. */
export const testFunctionsAbi = parseAbi([
  ...STRUCTS,
  "function deposit3(address token, bytes32 vaultId, bytes32 depositAmount, TaskV2[] tasks)",
  "function deposit4(address token, bytes32 vaultId, bytes32 depositAmount, TaskV2[] tasks)",
  "function withdraw3(address token, bytes32 vaultId, bytes32 targetAmount, TaskV2[] tasks)",
  "function multicall(bytes[] data) returns (bytes[] results)",
]);

type TestEvent = Extract<(typeof testEventsAbi)[number], { type: "event" }>;
export type TestEventName = TestEvent["name"];

/** A bytes32 from a small integer. */
export function w(n: number | bigint): Hex {
  return toHex(BigInt(n), { size: 32 });
}

/** Float from a decimal string (Rain's parse). */
export function f(text: string): Float {
  return parse(text);
}

/** A transaction hash from a small integer. */
export function tx(n: number): Hex {
  return keccak256(toHex(`tx${n}`));
}

/** A block hash from a block number. */
export function blockHash(n: bigint): Hex {
  return keccak256(toHex(`block${n}`));
}

/** An order: by default alice receives A (vault 1) and sends B (vault 2). */
export function makeOrder(options: {
  owner?: Address;
  bytecode?: Hex;
  inputs?: { token: Address; vaultId: Hex }[];
  outputs?: { token: Address; vaultId: Hex }[];
  nonce?: Hex;
} = {}): OrderV4 {
  return {
    owner: options.owner ?? ALICE,
    evaluable: { interpreter: INTERPRETER, store: STORE, bytecode: options.bytecode ?? "0x0102" },
    validInputs: options.inputs ?? [{ token: TOKEN_A, vaultId: w(1) }],
    validOutputs: options.outputs ?? [{ token: TOKEN_B, vaultId: w(2) }],
    nonce: options.nonce ?? w(0),
  };
}

/** Independent order hash: keccak256(abi.encode(OrderV4)). */
export function hashOf(order: OrderV4): Hex {
  const item = testEventsAbi.find((i) => i.type === "event" && i.name === "AddOrderV3")!;
  return keccak256(encodeAbiParameters([item.inputs[2]] as never, [order] as never));
}

/** Independent fqn: keccak256(abi.encode(uint256(uint160(owner)), orderbook)). */
export function fqn(owner: Address, orderbook: Address = ORDERBOOK): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint256" }, { type: "address" }], [BigInt(owner), orderbook]),
  );
}

export type LogPosition = {
  blockNumber?: bigint;
  logIndex?: number;
  txNumber?: number;
  txIndex?: number;
  timestamp?: bigint | null;
  address?: Address;
};

/** Encodes one event as a raw log: topic 0 from the signature, arguments in the data. */
export function makeLog(
  name: TestEventName,
  args: readonly unknown[],
  position: LogPosition = {},
): RawLog {
  const item = testEventsAbi.find((i) => i.type === "event" && i.name === name) as TestEvent;
  const blockNumber = position.blockNumber ?? 100n;
  const timestamp = position.timestamp === undefined
    ? 1_700_000_000n + blockNumber * 12n
    : position.timestamp;
  return {
    chainId: CHAIN_ID,
    address: position.address ?? (name === "Set" ? STORE : ORDERBOOK),
    blockNumber,
    blockHash: blockHash(blockNumber),
    logIndex: position.logIndex ?? 0,
    transactionHash: tx(position.txNumber ?? 0),
    transactionIndex: position.txIndex ?? 0,
    topics: [toEventSelector(item)],
    data: encodeAbiParameters(item.inputs, args as never),
    ...(timestamp === null ? {} : { timestamp }),
  };
}

/** Calldata of `deposit3`/`deposit4`. */
export function depositCall(
  fn: "deposit3" | "deposit4",
  token: Address,
  vaultId: Hex,
  amount: Float,
): Hex {
  return encodeFunctionData({
    abi: testFunctionsAbi,
    functionName: fn,
    args: [token, vaultId, amount, []],
  });
}

/** Calldata of the orderbook's `multicall(bytes[])`. */
export function multicall(calls: Hex[]): Hex {
  return encodeFunctionData({ abi: testFunctionsAbi, functionName: "multicall", args: [calls] });
}

/** Asserts `fn` throws a vraindex error named `name`; returns it for detail checks. */
export function throwsNamed(
  fn: () => unknown,
  name: string,
): Error & { details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== name) {
      throw new Error(`expected ${name}, got ${error instanceof Error ? error.name : error}`, {
        cause: error,
      });
    }
    return error as Error & { details: Record<string, unknown> };
  }
  throw new Error(`expected ${name}, nothing thrown`);
}
