/**
 * Word helpers: the engine keys its maps and builds context columns with lowercase 32-byte words.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { InvalidMutationError } from "./errors.ts";

const WORD = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
// Most words arrive lowercase already (decoded logs, the engine's own output): the lowercase
// pattern accepts them without the copy `toLowerCase` makes.
const LOWER_WORD = /^0x[0-9a-f]{64}$/;
const ZERO_PAD = "000000000000000000000000";

/** The zero `bytes32` word. */
export const ZERO_WORD: Hex = `0x${"0".repeat(64)}`;

/** `bytes32(uint256(uint160(address)))`, lowercase. */
export function addressWord(address: Address): Hex {
  return `0x${ZERO_PAD}${address.slice(2).toLowerCase()}`;
}

/** `bytes32(uint256(n))` for a small non-negative integer (decimals). */
export function uintWord(value: number | bigint): Hex {
  return `0x${BigInt(value).toString(16).padStart(64, "0")}`;
}

/** A uint256 as a lowercase word. */
export function bigintWord(value: bigint): Hex {
  return `0x${value.toString(16).padStart(64, "0")}`;
}

/** Lowercases a 32-byte word after checking its shape; `path` names it in the error. */
export function normalizeWord(value: string, path: string): Hex {
  if (LOWER_WORD.test(value)) return value as Hex;
  if (!WORD.test(value)) {
    throw new InvalidMutationError(`${path}: expected a 32-byte hex word, got ${value}`, {
      path,
      reason: "word",
    });
  }
  return value.toLowerCase() as Hex;
}

/** Lowercases an address after checking its shape; `path` names it in the error. */
export function normalizeAddress(value: string, path: string): Address {
  const known = lowerAddresses.get(value);
  if (known !== undefined) return known;
  if (!ADDRESS.test(value)) {
    throw new InvalidMutationError(`${path}: expected a 20-byte address, got ${value}`, {
      path,
      reason: "address",
    });
  }
  const lower = value.toLowerCase() as Address;
  if (lowerAddresses.size >= LOWER_ADDRESS_CACHE_SIZE) lowerAddresses.clear();
  lowerAddresses.set(value, lower);
  return lower;
}

// Decoded logs hand out the same few checksummed address strings over and over (owners, tokens,
// stores); a lookup (the string's hash is cached in it) replaces the pattern test and the copy.
const lowerAddresses = new Map<string, Address>();
const LOWER_ADDRESS_CACHE_SIZE = 4096;

/** Case-insensitive address equality (the EVM compares the 20 bytes). */
export function sameAddress(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}

/** Map key of a vault. */
export function vaultKey(owner: string, token: string, vaultId: string): string {
  return `${owner.toLowerCase()}|${token.toLowerCase()}|${vaultId.toLowerCase()}`;
}

/** Map key of a store slot: `(store, fqn, key)`. */
export function storeKey(store: string, namespace: string, key: string): string {
  return `${store.toLowerCase()}|${namespace.toLowerCase()}|${key.toLowerCase()}`;
}

/** Map key of a token-model entry: `(token, account)`. */
export function tokenKey(token: string, account: string): string {
  return `${token.toLowerCase()}|${account.toLowerCase()}`;
}

/** `type(uint256).max`: an allowance ERC-20s (OpenZeppelin) never decrement. */
export const MAX_UINT256: bigint = (1n << 256n) - 1n;
