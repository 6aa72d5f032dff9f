/**
 * Test helpers for vraindex's fixture contracts: load a committed artifact, run the contracts in a
 * bare `@ethereumjs/evm` (Cancun), and build Rain ops for the fixture interpreter's words.
 *
 * @module
 */
import { createEVM, type EVM } from "@ethereumjs/evm";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { type Address as EthAddress, createAddressFromString } from "@ethereumjs/util";
import { type Address, bytesToHex, encodeDeployData, getAddress, type Hex, hexToBytes } from "viem";
import type { RainOp } from "../../src/rainvm/mod.ts";
import { fromFileUrl, join } from "../../scripts/_paths.ts";
import type { FixtureArtifact } from "../../scripts/fixtures.ts";

/** Contracts with a committed artifact (any other `fixtures/artifacts/*.json` name works too). */
export type FixtureContractName = "FixtureInterpreter" | "FixtureStore" | "FixtureToken" | string;

export type { FixtureArtifact };

const artifactsDir = fromFileUrl(new URL("../../fixtures/artifacts/", import.meta.url));

/**
 * Reads a committed fixture artifact.
 *
 * @example
 * ```ts
 * const { abi, deployedBytecode } = loadFixtureArtifact("FixtureStore");
 * ```
 */
export function loadFixtureArtifact(name: string): FixtureArtifact {
  const parsed = JSON.parse(Deno.readTextFileSync(join(artifactsDir, `${name}.json`)));
  for (const key of ["contractName", "abi", "bytecode", "deployedBytecode", "sourceHash"]) {
    if (!(key in parsed)) throw new Error(`fixtures/artifacts/${name}.json has no "${key}"`);
  }
  return parsed as FixtureArtifact;
}

/** Block fields a call sees (`NUMBER`, `TIMESTAMP`). */
export type FixtureBlock = { readonly number: bigint; readonly timestamp: bigint };

/** Outcome of one call: return (or revert) data, logs, and whether it reverted. */
export type FixtureCallResult = {
  readonly reverted: boolean;
  /** Return data, or the revert data when `reverted`. */
  readonly returnData: Hex;
  readonly logs: readonly { address: Address; topics: readonly Hex[]; data: Hex }[];
  /** The EVM's error string (e.g. `"revert"`, `"out of gas"`) when the call failed. */
  readonly error?: string;
};

/** A bare EVM with helpers to deploy artifacts and send calls. */
export type FixtureChain = {
  readonly evm: EVM;
  /** Deploys an artifact (constructor `args` ABI-encoded) from `from`; returns its address. */
  deploy(name: FixtureContractName, args?: readonly unknown[], from?: Address): Promise<Address>;
  /** Puts runtime code at an address (e.g. Rain's real contracts at their deployed addresses). */
  putCode(address: Address, code: Hex): Promise<void>;
  /** Sends a call that commits its state changes (like a mined transaction, or an eth_call). */
  call(params: {
    to: Address;
    data: Hex;
    from?: Address;
    block?: FixtureBlock;
  }): Promise<FixtureCallResult>;
};

/** Default sender of deployments and calls. */
export const DEFAULT_SENDER: Address = "0x1000000000000000000000000000000000000001";

function ethAddress(address: Address): EthAddress {
  return createAddressFromString(address);
}

function blockOf(block: FixtureBlock) {
  return {
    header: {
      number: block.number,
      timestamp: block.timestamp,
      coinbase: ethAddress("0x0000000000000000000000000000000000000000"),
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: 30_000_000n,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 1n,
    },
  };
}

/**
 * Creates a Cancun EVM (chain id 1) with no accounts.
 *
 * @example
 * ```ts
 * const chain = await createFixtureChain();
 * const store = await chain.deploy("FixtureStore");
 * ```
 */
export async function createFixtureChain(): Promise<FixtureChain> {
  const common = new Common({ chain: Mainnet, hardfork: Hardfork.Cancun });
  const evm = await createEVM({ common });
  const run = async (
    opts: { to?: Address; data: Hex; from?: Address; block?: FixtureBlock },
  ): Promise<FixtureCallResult & { created?: Address }> => {
    const result = await evm.runCall({
      caller: ethAddress(opts.from ?? DEFAULT_SENDER),
      to: opts.to === undefined ? undefined : ethAddress(opts.to),
      data: hexToBytes(opts.data),
      gasLimit: 30_000_000n,
      block: blockOf(opts.block ?? { number: 1n, timestamp: 1n }),
    });
    const exec = result.execResult;
    return {
      reverted: exec.exceptionError !== undefined,
      returnData: bytesToHex(exec.returnValue),
      logs: (exec.logs ?? []).map(([address, topics, data]) => ({
        address: getAddress(bytesToHex(address)),
        topics: topics.map((topic) => bytesToHex(topic)),
        data: bytesToHex(data),
      })),
      error: exec.exceptionError?.error,
      created: result.createdAddress === undefined
        ? undefined
        : getAddress(result.createdAddress.toString()),
    };
  };
  return {
    evm,
    async deploy(name, args = [], from) {
      const { abi, bytecode } = loadFixtureArtifact(name);
      const data = encodeDeployData({ abi, bytecode, args: args as unknown[] });
      const result = await run({ data, from });
      if (result.reverted || result.created === undefined) {
        throw new Error(`deploying ${name} failed: ${result.error} ${result.returnData}`);
      }
      return result.created;
    },
    async putCode(address, code) {
      await evm.stateManager.putCode(ethAddress(address), hexToBytes(code));
    },
    call: (params) => run(params),
  };
}

/**
 * The fixture interpreter's words at Rain's opcode indices (rain.interpreter 2780cdd6,
 * `LibAllStandardOps`), so the same bytecode means the same on Rain's `Rainterpreter`.
 */
export const FIXTURE_OPCODES = {
  stack: 0,
  constant: 1,
  context: 3,
  "bitwise-and": 4,
  "bitwise-count-ones": 5,
  "bitwise-or": 8,
  "bitwise-shift-left": 9,
  "bitwise-shift-right": 10,
  call: 11,
  hash: 12,
  "uint256-erc20-allowance": 16,
  "uint256-erc20-balance-of": 17,
  "uint256-erc20-total-supply": 18,
  "block-number": 23,
  "block-timestamp": 24,
  now: 25,
  "chain-id": 26,
  any: 27,
  "binary-equal-to": 28,
  conditions: 29,
  ensure: 30,
  every: 32,
  if: 35,
  "is-zero": 36,
  "uint256-add": 64,
  "uint256-div": 65,
  "uint256-max-value": 66,
  "uint256-mul": 67,
  "uint256-sub": 69,
  get: 70,
  set: 71,
} as const;

const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});

/** Op builders with the IO each word declares in Rain's integrity check. */
export const rainOps = {
  stack: (index: number): RainOp => op(FIXTURE_OPCODES.stack, 0, 1, index),
  constant: (index: number): RainOp => op(FIXTURE_OPCODES.constant, 0, 1, index),
  /** `context<column row>()`: column in the low byte of the operand, row in the high byte. */
  context: (column: number, row: number): RainOp =>
    op(FIXTURE_OPCODES.context, 0, 1, (row << 8) | column),
  bitwiseAnd: (): RainOp => op(FIXTURE_OPCODES["bitwise-and"], 2, 1),
  bitwiseCountOnes: (): RainOp => op(FIXTURE_OPCODES["bitwise-count-ones"], 1, 1),
  bitwiseOr: (): RainOp => op(FIXTURE_OPCODES["bitwise-or"], 2, 1),
  bitwiseShiftLeft: (bits: number): RainOp => op(FIXTURE_OPCODES["bitwise-shift-left"], 1, 1, bits),
  bitwiseShiftRight: (bits: number): RainOp =>
    op(FIXTURE_OPCODES["bitwise-shift-right"], 1, 1, bits),
  call: (sourceIndex: number, inputs: number, outputs: number): RainOp =>
    op(FIXTURE_OPCODES.call, inputs, outputs, sourceIndex),
  hash: (inputs: number): RainOp => op(FIXTURE_OPCODES.hash, inputs, 1),
  erc20Allowance: (): RainOp => op(FIXTURE_OPCODES["uint256-erc20-allowance"], 3, 1),
  erc20BalanceOf: (): RainOp => op(FIXTURE_OPCODES["uint256-erc20-balance-of"], 2, 1),
  erc20TotalSupply: (): RainOp => op(FIXTURE_OPCODES["uint256-erc20-total-supply"], 1, 1),
  blockNumber: (): RainOp => op(FIXTURE_OPCODES["block-number"], 0, 1),
  blockTimestamp: (): RainOp => op(FIXTURE_OPCODES["block-timestamp"], 0, 1),
  now: (): RainOp => op(FIXTURE_OPCODES.now, 0, 1),
  chainId: (): RainOp => op(FIXTURE_OPCODES["chain-id"], 0, 1),
  any: (inputs: number): RainOp => op(FIXTURE_OPCODES.any, inputs, 1),
  binaryEqualTo: (): RainOp => op(FIXTURE_OPCODES["binary-equal-to"], 2, 1),
  conditions: (inputs: number): RainOp => op(FIXTURE_OPCODES.conditions, inputs, 1),
  ensure: (): RainOp => op(FIXTURE_OPCODES.ensure, 2, 0),
  every: (inputs: number): RainOp => op(FIXTURE_OPCODES.every, inputs, 1),
  if: (): RainOp => op(FIXTURE_OPCODES.if, 3, 1),
  isZero: (): RainOp => op(FIXTURE_OPCODES["is-zero"], 1, 1),
  uint256Add: (inputs = 2): RainOp => op(FIXTURE_OPCODES["uint256-add"], inputs, 1),
  uint256Sub: (inputs = 2): RainOp => op(FIXTURE_OPCODES["uint256-sub"], inputs, 1),
  uint256Mul: (inputs = 2): RainOp => op(FIXTURE_OPCODES["uint256-mul"], inputs, 1),
  uint256Div: (inputs = 2): RainOp => op(FIXTURE_OPCODES["uint256-div"], inputs, 1),
  uint256MaxValue: (): RainOp => op(FIXTURE_OPCODES["uint256-max-value"], 0, 1),
  get: (): RainOp => op(FIXTURE_OPCODES.get, 1, 1),
  set: (): RainOp => op(FIXTURE_OPCODES.set, 2, 0),
} as const;

/** A uint256 as a 32-byte word. */
export function word(value: bigint | number): Hex {
  return `0x${BigInt(value).toString(16).padStart(64, "0")}`;
}

/** An address left-padded to a 32-byte word. */
export function addressWord(address: Address): Hex {
  return `0x${address.slice(2).toLowerCase().padStart(64, "0")}`;
}
