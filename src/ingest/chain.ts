/**
 * Single reads from the node that ingestion needs besides logs: block headers, transactions,
 * ERC-20 metadata, runtime code and `vaultBalance2`. Responses are validated with zod here, where
 * they enter.
 *
 * @module
 */
import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  hexToString,
  keccak256,
  size,
  trim,
} from "viem";
import { z } from "zod";
import { erc20TokenAbi, orderbookAbi, type OrderbookVersion } from "../abi/mod.ts";
import type { DecimalsStatus } from "../db/mod.ts";
import { EmptyBytecodeError, RpcRequestError } from "./errors.ts";
import { hex } from "./logs.ts";
import type { RpcClient } from "./rpc.ts";

const quantity = z.string().regex(/^0x[0-9a-fA-F]+$/).transform((v) => BigInt(v));
const word = z.string().regex(/^0x[0-9a-fA-F]{64}$/);
const bytes = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/);

const blockSchema = z.object({
  number: quantity,
  hash: word,
  parentHash: word,
  timestamp: quantity,
});

const transactionSchema = z.object({
  hash: word,
  from: z.string(),
  to: z.string().nullable(),
  input: bytes,
  blockNumber: quantity.nullable(),
});

/** The header fields sync keeps for a block. */
export type BlockHeader = {
  number: bigint;
  hash: Hex;
  parentHash: Hex;
  timestamp: bigint;
};

/** The fields of a transaction exact deposits need. */
export type TransactionCall = {
  hash: Hex;
  from: Address;
  /** `null` for a contract creation. */
  to: Address | null;
  input: Hex;
};

function invalid(method: string, params: string, reason: string): RpcRequestError {
  return new RpcRequestError(`${method} ${params}: invalid response: ${reason}`, {
    method,
    params,
    url: "",
    kind: "invalid-response",
    attempts: 1,
  });
}

/**
 * Reads a block header by number; cached when the block is at or below `finalizedBlock`.
 *
 * @example
 * ```ts
 * import { createRpcClient, getBlockHeader } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * console.log((await getBlockHeader(rpc, { chainId: 31337, blockNumber: 0n })).hash);
 * ```
 */
export async function getBlockHeader(
  rpc: RpcClient,
  parameters: { chainId: number; blockNumber: bigint; finalizedBlock?: bigint },
): Promise<BlockHeader> {
  const { blockNumber, finalizedBlock, chainId } = parameters;
  const cacheable = finalizedBlock !== undefined && blockNumber <= finalizedBlock;
  const raw = await rpc.request("eth_getBlockByNumber", [hex(blockNumber), false], {
    blockRange: { fromBlock: blockNumber, toBlock: blockNumber },
    ...(cacheable ? { cacheKey: `block:${chainId}:${blockNumber}` } : {}),
  });
  const parsed = blockSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      "eth_getBlockByNumber",
      hex(blockNumber),
      raw === null ? "no such block" : parsed.error.issues[0].message,
    );
  }
  return {
    number: parsed.data.number,
    hash: parsed.data.hash.toLowerCase() as Hex,
    parentHash: parsed.data.parentHash.toLowerCase() as Hex,
    timestamp: parsed.data.timestamp,
  };
}

/**
 * Reads a transaction's sender, target and calldata (immutable once mined: always cacheable).
 *
 * @example
 * ```ts
 * import { createRpcClient, getTransactionCall } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const tx = await getTransactionCall(rpc, { chainId: 31337, hash: `0x${"00".repeat(32)}` });
 * console.log(tx.to);
 * ```
 */
export async function getTransactionCall(
  rpc: RpcClient,
  parameters: { chainId: number; hash: Hex },
): Promise<TransactionCall> {
  const raw = await rpc.request("eth_getTransactionByHash", [parameters.hash], {
    cacheKey: `tx:${parameters.chainId}:${parameters.hash.toLowerCase()}`,
  });
  const parsed = transactionSchema.safeParse(raw);
  if (!parsed.success) {
    throw invalid(
      "eth_getTransactionByHash",
      parameters.hash,
      raw === null ? "unknown transaction" : parsed.error.issues[0].message,
    );
  }
  return {
    hash: parsed.data.hash.toLowerCase() as Hex,
    from: getAddress(parsed.data.from),
    to: parsed.data.to === null ? null : getAddress(parsed.data.to),
    input: parsed.data.input.toLowerCase() as Hex,
  };
}

/** ERC-20 metadata of one token. */
export type TokenInfo = {
  address: Address;
  /** `null` when `decimals()` failed and no override was given: never a silent default. */
  decimals: number | null;
  decimalsStatus: DecimalsStatus;
  /** Why `decimals()` failed (revert data, or what it returned), when it did. */
  decimalsError: string | null;
  symbol: string | null;
  name: string | null;
};

/**
 * Reads `decimals`, `symbol` and `name` of a token at a block. A `decimals()` that reverts (or
 * returns anything but one word ≤ 255, Rain's TOFU rule) is recorded as `reverted` with decimals
 * `null`, unless `override` gives a value (status `override`). Symbol and name may be `string` or
 * `bytes32` (old tokens) or absent (`null`).
 *
 * @example
 * ```ts
 * import { createRpcClient, readTokenInfo } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const info = await readTokenInfo(rpc, {
 *   chainId: 31337,
 *   token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   blockNumber: 10n,
 * });
 * console.log(info.decimals, info.decimalsStatus);
 * ```
 */
export async function readTokenInfo(
  rpc: RpcClient,
  parameters: {
    chainId: number;
    token: Address;
    blockNumber: bigint;
    override?: number;
    finalizedBlock?: bigint;
  },
): Promise<TokenInfo> {
  const { chainId, token, blockNumber } = parameters;
  const cacheable = parameters.finalizedBlock !== undefined &&
    blockNumber <= parameters.finalizedBlock;
  const errors: Partial<Record<string, string>> = {};
  const call = async (functionName: "decimals" | "symbol" | "name"): Promise<Hex | null> => {
    try {
      return await rpc.request<Hex>(
        "eth_call",
        [
          { to: token, data: encodeFunctionData({ abi: erc20TokenAbi, functionName }) },
          hex(blockNumber),
        ],
        cacheable ? { cacheKey: `call:${chainId}:${token.toLowerCase()}:${functionName}` } : {},
      );
    } catch (error) {
      // A revert is an answer about the token, not a transport failure.
      if (error instanceof RpcRequestError && error.details.kind === "rpc-error") {
        errors[functionName] = error.message;
        return null;
      }
      throw error;
    }
  };
  const [decimalsRaw, symbolRaw, nameRaw] = await Promise.all([
    call("decimals"),
    call("symbol"),
    call("name"),
  ]);
  let decimals: number | null = null;
  let decimalsStatus: DecimalsStatus = "reverted";
  let decimalsError: string | null = errors.decimals ?? null;
  if (decimalsRaw !== null && /^0x[0-9a-fA-F]{64}$/.test(decimalsRaw)) {
    const value = BigInt(decimalsRaw);
    if (value <= 255n) {
      decimals = Number(value);
      decimalsStatus = "ok";
    } else decimalsError = `decimals() returned ${value}, above 255`;
  } else if (decimalsRaw !== null) {
    decimalsError = `decimals() returned ${decimalsRaw}, not one word`;
  }
  if (decimals === null && parameters.override !== undefined) {
    decimals = parameters.override;
    decimalsStatus = "override";
  }
  return {
    address: getAddress(token),
    decimals,
    decimalsStatus,
    decimalsError: decimalsStatus === "ok" ? null : decimalsError,
    symbol: decodeText(symbolRaw, "symbol"),
    name: decodeText(nameRaw, "name"),
  };
}

function decodeText(raw: Hex | null, functionName: "symbol" | "name"): string | null {
  if (raw === null || raw === "0x") return null;
  try {
    return decodeFunctionResult({ abi: erc20TokenAbi, functionName, data: raw }) as string;
  } catch {
    if (size(raw) === 32) {
      // bytes32 symbol/name (MKR-style tokens).
      try {
        return hexToString(trim(raw, { dir: "right" }));
      } catch {
        return null;
      }
    }
    return null;
  }
}

/** Runtime code of an interpreter or store, with its hash. */
export type CodeRead = {
  address: Address;
  kind: "interpreter" | "store";
  bytecode: Hex;
  codeHash: Hex;
  blockNumber: bigint;
};

/**
 * Reads the runtime code of an interpreter or store at a block.
 *
 * @throws {EmptyBytecodeError} When the account has no code there.
 * @example
 * ```ts
 * import { createRpcClient, readCode } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const code = await readCode(rpc, {
 *   chainId: 31337,
 *   address: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   kind: "store",
 *   blockNumber: 10n,
 * });
 * console.log(code.codeHash);
 * ```
 */
export async function readCode(
  rpc: RpcClient,
  parameters: {
    chainId: number;
    address: Address;
    kind: "interpreter" | "store";
    blockNumber: bigint;
    finalizedBlock?: bigint;
  },
): Promise<CodeRead> {
  const { chainId, address, kind, blockNumber } = parameters;
  const cacheable = parameters.finalizedBlock !== undefined &&
    blockNumber <= parameters.finalizedBlock;
  const code = await rpc.request<Hex>("eth_getCode", [address, hex(blockNumber)], {
    blockRange: { fromBlock: blockNumber, toBlock: blockNumber },
    ...(cacheable ? { cacheKey: `code:${chainId}:${address.toLowerCase()}:${blockNumber}` } : {}),
  });
  if (typeof code !== "string" || !/^0x(?:[0-9a-fA-F]{2})*$/.test(code)) {
    throw invalid("eth_getCode", address, "not hex");
  }
  if (code === "0x") {
    throw new EmptyBytecodeError(
      `no ${kind} code at ${getAddress(address)} at block ${blockNumber} (chain ${chainId})`,
      { address: getAddress(address), kind, blockNumber: blockNumber.toString() },
    );
  }
  const bytecode = code.toLowerCase() as Hex;
  return {
    address: getAddress(address),
    kind,
    bytecode,
    codeHash: keccak256(bytecode),
    blockNumber,
  };
}

/**
 * Reads `vaultBalance2(owner, token, vaultId)` at a block (end-of-block state). Resolves `null`
 * when the node has no state for that block (a pruned, non-archive node).
 *
 * @example
 * ```ts
 * import { createRpcClient, readVaultBalance } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const balance = await readVaultBalance(rpc, {
 *   orderbook: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   version: "v5",
 *   owner: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
 *   token: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
 *   vaultId: `0x${"00".repeat(31)}01`,
 *   blockNumber: 10n,
 * });
 * console.log(balance);
 * ```
 */
export async function readVaultBalance(
  rpc: RpcClient,
  parameters: {
    orderbook: Address;
    version: OrderbookVersion;
    owner: Address;
    token: Address;
    vaultId: Hex;
    blockNumber: bigint;
  },
): Promise<Hex | null> {
  const data = encodeFunctionData({
    abi: orderbookAbi(parameters.version),
    functionName: "vaultBalance2",
    args: [parameters.owner, parameters.token, parameters.vaultId],
  } as never);
  try {
    const result = await rpc.request<Hex>("eth_call", [
      { to: parameters.orderbook, data },
      hex(parameters.blockNumber),
    ], { blockRange: { fromBlock: parameters.blockNumber, toBlock: parameters.blockNumber } });
    if (!/^0x[0-9a-fA-F]{64}$/.test(result)) return null;
    return result.toLowerCase() as Hex;
  } catch (error) {
    if (
      error instanceof RpcRequestError && error.details.kind === "rpc-error" &&
      /missing trie node|state.*not available|pruned|historical state/i.test(error.message)
    ) {
      return null;
    }
    throw error;
  }
}
