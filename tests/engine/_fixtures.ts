/** Shared fixtures of the engine tests: addresses, orders, an engine with decimals set. */
import { type Address, encodeAbiParameters, type Hex, keccak256 } from "viem";
import type { OrderV4 } from "../../src/abi/mod.ts";
import { type Float, parse } from "../../src/float/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  type RaindexMutation,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import type { ExternalState, InterpreterHost } from "../../src/evm/mod.ts";

export const ORDERBOOK: Address = "0x00000000000000000000000000000000000000ab";
export const INTERPRETER: Address = "0x1000000000000000000000000000000000000001";
export const STORE: Address = "0x2000000000000000000000000000000000000002";
export const ALICE: Address = "0xa11ce00000000000000000000000000000000001";
export const BOB: Address = "0xb0b0000000000000000000000000000000000002";
export const CAROL: Address = "0xca40100000000000000000000000000000000003";
export const TAKER: Address = "0x7a4e400000000000000000000000000000000004";
export const TOKEN_A: Address = "0xaaaa000000000000000000000000000000000001";
export const TOKEN_B: Address = "0xbbbb000000000000000000000000000000000002";
export const TOKEN_C: Address = "0xcccc000000000000000000000000000000000003";

/** A bytes32 from a small integer. */
export function w(n: number | bigint): Hex {
  return `0x${BigInt(n).toString(16).padStart(64, "0")}`;
}

/** Address as the orderbook puts it in a context word. */
export function aw(address: Address): Hex {
  return `0x${"0".repeat(24)}${address.slice(2).toLowerCase()}`;
}

/** Float from a decimal string. */
export function f(text: string): Float {
  return parse(text);
}

/** Independent fqn: keccak256(abi.encode(uint256(uint160(owner)), orderbook)). */
export function fqn(owner: Address, orderbook: Address = ORDERBOOK): Hex {
  return keccak256(
    encodeAbiParameters([{ type: "uint256" }, { type: "address" }], [BigInt(owner), orderbook]),
  );
}

/** Independent order hash: keccak256(abi.encode(OrderV4)). */
export function hashOf(order: OrderV4): Hex {
  return keccak256(encodeAbiParameters([{
    type: "tuple",
    components: [
      { name: "owner", type: "address" },
      {
        name: "evaluable",
        type: "tuple",
        components: [
          { name: "interpreter", type: "address" },
          { name: "store", type: "address" },
          { name: "bytecode", type: "bytes" },
        ],
      },
      {
        name: "validInputs",
        type: "tuple[]",
        components: [{ name: "token", type: "address" }, { name: "vaultId", type: "bytes32" }],
      },
      {
        name: "validOutputs",
        type: "tuple[]",
        components: [{ name: "token", type: "address" }, { name: "vaultId", type: "bytes32" }],
      },
      { name: "nonce", type: "bytes32" },
    ],
  }], [order]));
}

/** An order: by default alice sells B (output vault 2) for A (input vault 1). */
export function makeOrder(options: {
  owner?: Address;
  bytecode: Hex;
  inputs?: { token: Address; vaultId: Hex }[];
  outputs?: { token: Address; vaultId: Hex }[];
  nonce?: number;
}): OrderV4 {
  return {
    owner: options.owner ?? ALICE,
    evaluable: { interpreter: INTERPRETER, store: STORE, bytecode: options.bytecode },
    validInputs: options.inputs ?? [{ token: TOKEN_A, vaultId: w(1) }],
    validOutputs: options.outputs ?? [{ token: TOKEN_B, vaultId: w(2) }],
    nonce: w(options.nonce ?? 0),
  };
}

/** Engine with decimals A=18, B=6, C=0 and env (chain 137, block 100, ts 1700000000). */
export function makeEngine(
  host: InterpreterHost,
  extra: readonly RaindexMutation[] = [],
  externalState?: ExternalState,
): VirtualRaindex {
  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host, externalState });
  applyMutations(engine, [
    { type: "setEnv", chainId: 137n, blockNumber: 100n, timestamp: 1700000000n },
    {
      type: "setTokenDecimals",
      tokens: [
        { token: TOKEN_A, decimals: 18 },
        { token: TOKEN_B, decimals: 6 },
        { token: TOKEN_C, decimals: 0 },
      ],
    },
    ...extra,
  ]);
  return engine;
}

/** A vault deposit mutation. */
export function deposit(
  owner: Address,
  token: Address,
  vaultId: Hex,
  amount: string,
): RaindexMutation {
  return {
    type: "vaultDeltas",
    deltas: [{ owner, token, vaultId, op: "increase", amount: f(amount) }],
  };
}

/** Asserts that `fn` rejects with a vraindex error of that name; returns the error. */
export async function rejectsWith(
  fn: () => Promise<unknown>,
  name: string,
): Promise<Error & { details: Record<string, unknown> }> {
  try {
    await fn();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== name) {
      throw new Error(
        `expected ${name}, got ${(error as Error)?.name}: ${(error as Error)?.message}`,
      );
    }
    return error as Error & { details: Record<string, unknown> };
  }
  throw new Error(`expected ${name}, but it resolved`);
}

/** Sync version of `rejectsWith`. */
export function throwsWith(
  fn: () => unknown,
  name: string,
): Error & { details: Record<string, unknown> } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof Error) || error.name !== name) {
      throw new Error(
        `expected ${name}, got ${(error as Error)?.name}: ${(error as Error)?.message}`,
      );
    }
    return error as Error & { details: Record<string, unknown> };
  }
  throw new Error(`expected ${name}, but it returned`);
}
