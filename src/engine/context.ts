/**
 * `LibContext.build` for the engine: the base column, the caller's columns, then — when signed
 * contexts are given — the signers column and one column per signed context, each signature
 * checked as OpenZeppelin's `SignatureChecker` does over the EIP-191 hash of `keccak256` of the
 * packed context words.
 *
 * @module
 */
import {
  type Address,
  concatHex,
  encodeFunctionData,
  hashMessage,
  type Hex,
  keccak256,
  recoverAddress,
} from "viem";
import type { EvalEnv, ExternalState } from "../evm/mod.ts";
import { InvalidSignatureError, SignatureCheckUnavailableError } from "./errors.ts";
import type { SignedContexts } from "./types.ts";
import { addressWord, sameAddress } from "./words.ts";

/** secp256k1 order / 2: OpenZeppelin's ECDSA rejects signatures with a larger `s` (malleability). */
const HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;
const ERC1271_MAGIC = "0x1626ba7e";
const ERC1271_ABI = [
  {
    type: "function",
    name: "isValidSignature",
    stateMutability: "view",
    inputs: [{ name: "hash", type: "bytes32" }, { name: "signature", type: "bytes" }],
    outputs: [{ name: "", type: "bytes4" }],
  },
] as const;

/** What signature checks may need besides the signed context itself. */
export type SignatureCheckEnv = {
  readonly orderbook: Address;
  readonly env: EvalEnv;
  readonly externalState: ExternalState | undefined;
};

/**
 * EIP-191 hash of `keccak256(abi.encodePacked(words))`, the digest a signed context signs.
 *
 * @example
 * ```ts
 * import { signedContextDigest } from "./mod.ts";
 * console.log(signedContextDigest([`0x${"0".repeat(63)}1`]).length); // 66
 * ```
 */
export function signedContextDigest(words: readonly Hex[]): Hex {
  const inner = keccak256(words.length === 0 ? "0x" : concatHex(words as Hex[]));
  return hashMessage({ raw: inner });
}

async function ecdsaSigner(digest: Hex, signature: Hex): Promise<Address | undefined> {
  // OpenZeppelin 5 `ECDSA.tryRecover(bytes32, bytes)`: 65 bytes only, low s, v of 27 or 28.
  if (signature.length !== 2 + 130) return undefined;
  const s = BigInt(`0x${signature.slice(66, 130)}`);
  const v = parseInt(signature.slice(130, 132), 16);
  if (s > HALF_N || (v !== 27 && v !== 28)) return undefined;
  try {
    return await recoverAddress({ hash: digest, signature });
  } catch {
    return undefined;
  }
}

async function erc1271Valid(
  check: SignatureCheckEnv,
  index: number,
  signer: Address,
  digest: Hex,
  signature: Hex,
): Promise<boolean> {
  if (check.externalState === undefined) {
    throw new SignatureCheckUnavailableError(
      `signed context ${index}: signature is not an ECDSA signature of ${signer}; it may be an ` +
        `ERC-1271 contract signer, but the engine has no external state to call isValidSignature`,
      { index, signer },
    );
  }
  const result = await check.externalState.call({
    to: signer,
    from: check.orderbook,
    data: encodeFunctionData({
      abi: ERC1271_ABI,
      functionName: "isValidSignature",
      args: [digest, signature],
    }),
    env: check.env,
  });
  // SignatureChecker: success, at least 32 bytes, first word == selector left-aligned.
  if (result.reverted === true || result.returnData.length < 2 + 64) return false;
  return result.returnData.slice(0, 66).toLowerCase() === `${ERC1271_MAGIC}${"0".repeat(56)}`;
}

/** Verifies one signed context; throws `InvalidSignatureError(i)` as `LibContext.build` reverts. */
export async function verifySignedContext(
  check: SignatureCheckEnv,
  index: number,
  signer: Address,
  words: readonly Hex[],
  signature: Hex,
): Promise<void> {
  const digest = signedContextDigest(words);
  const recovered = await ecdsaSigner(digest, signature);
  if (recovered !== undefined && sameAddress(recovered, signer)) return;
  if (await erc1271Valid(check, index, signer, digest, signature)) return;
  throw new InvalidSignatureError(`signed context ${index}: invalid signature for ${signer}`, {
    index,
    signer,
  });
}

/**
 * `LibContext.build(callingColumns, signedContexts)` with `msg.sender = sender` and the orderbook as
 * the calling contract. Columns are fresh arrays the caller may fill in later (handle-io).
 */
export async function buildContext(
  check: SignatureCheckEnv,
  sender: Address,
  callingColumns: readonly Hex[][],
  signedContexts: SignedContexts,
): Promise<Hex[][]> {
  const context: Hex[][] = [[addressWord(sender), addressWord(check.orderbook)]];
  for (const column of callingColumns) context.push(column);
  if (signedContexts.length > 0) {
    const signers: Hex[] = [];
    context.push(signers);
    for (let i = 0; i < signedContexts.length; i++) {
      const signed = signedContexts[i];
      await verifySignedContext(check, i, signed.signer, signed.context, signed.signature);
      signers.push(addressWord(signed.signer));
      context.push(signed.context.map((word) => word.toLowerCase() as Hex));
    }
  }
  return context;
}
