/**
 * Identities the orderbook derives on chain: the order hash and the store namespaces orders and
 * tasks are evaluated under.
 *
 * @module
 */
import {
  type Address,
  concat,
  type Hex,
  hexToBigInt,
  isAddress,
  keccak256,
  numberToHex,
  pad,
} from "viem";
import { AbiEncodeError, InvalidAbiValueError } from "./errors.ts";
import type { IOV2, OrderV4 } from "./structs.ts";

const UINT256_MAX = (1n << 256n) - 1n;

/** Errors {@link orderHash} can raise. */
export type OrderHashErrorType = AbiEncodeError;

/**
 * The orderbook's id of an order: `keccak256(abi.encode(order))` of the whole `OrderV4` tuple
 * (`LibOrder.hash`). It is what `AddOrderV3`/`RemoveOrderV3` carry and what `orderExists` takes.
 *
 * @param order The order as stored on chain (addresses in any hex case).
 * @returns The 32-byte hash.
 * @throws {AbiEncodeError} When a field cannot be encoded (bad address, wrong-size `bytes32`, odd
 *   bytecode).
 *
 * @example
 * ```ts
 * import { orderHash } from "./identity.ts";
 * const hash = orderHash({
 *   owner: "0x1111111111111111111111111111111111111111",
 *   evaluable: {
 *     interpreter: "0x2222222222222222222222222222222222222222",
 *     store: "0x3333333333333333333333333333333333333333",
 *     bytecode: "0x",
 *   },
 *   validInputs: [
 *     { token: "0x4444444444444444444444444444444444444444", vaultId: `0x${"00".repeat(31)}01` },
 *   ],
 *   validOutputs: [
 *     { token: "0x5555555555555555555555555555555555555555", vaultId: `0x${"00".repeat(31)}01` },
 *   ],
 *   nonce: `0x${"00".repeat(32)}`,
 * });
 * console.log(hash.length); // 66
 * ```
 */
export function orderHash(order: OrderV4): Hex {
  return keccak256(encodeOrderV4(order));
}

// abi.encode(OrderV4) written out word by word: orders are hashed for every add, remove and take
// seen in sync, and viem's generic encoder verifies the EIP-55 checksum of every mixed-case address
// (one keccak each), which halves throughput on orders decoded from logs. The order tuple is
// dynamic, so the encoding is one offset word (0x20) followed by the tuple: a 5-word head (owner,
// evaluable offset, validInputs offset, validOutputs offset, nonce) and the three tails in order.
function encodeOrderV4(order: OrderV4): Hex {
  const evaluable = addressWord("evaluable.interpreter", order.evaluable?.interpreter) +
    addressWord("evaluable.store", order.evaluable?.store) +
    uintWord(0x60) +
    bytesTail("evaluable.bytecode", order.evaluable?.bytecode);
  const inputs = ioArray("validInputs", order.validInputs);
  const outputs = ioArray("validOutputs", order.validOutputs);
  const headBytes = 5 * 32;
  const inputsOffset = headBytes + evaluable.length / 2;
  const outputsOffset = inputsOffset + inputs.length / 2;
  return `0x${
    uintWord(0x20) +
    addressWord("owner", order.owner) +
    uintWord(headBytes) +
    uintWord(inputsOffset) +
    uintWord(outputsOffset) +
    bytes32Word("nonce", order.nonce) +
    evaluable + inputs + outputs
  }`;
}

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const BYTES32_RE = /^0x[0-9a-fA-F]{64}$/;
const BYTES_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const ZERO_WORD = "0".repeat(64);

function encodeError(field: string, value: unknown, expected: string): AbiEncodeError {
  const shown = typeof value === "string" && value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return new AbiEncodeError("OrderV4", `${field}: ${String(shown)} is not a valid ${expected}`);
}

function uintWord(value: number): string {
  return value.toString(16).padStart(64, "0");
}

// Solidity sees 20 bytes; the hex case (EIP-55 checksum) carries no information on chain.
function addressWord(field: string, value: unknown): string {
  if (typeof value !== "string" || !ADDRESS_RE.test(value)) {
    throw encodeError(field, value, "address");
  }
  return `000000000000000000000000${value.slice(2).toLowerCase()}`;
}

function bytes32Word(field: string, value: unknown): string {
  if (typeof value !== "string" || !BYTES32_RE.test(value)) {
    throw encodeError(field, value, "bytes32");
  }
  return value.slice(2).toLowerCase();
}

function bytesTail(field: string, value: unknown): string {
  if (typeof value !== "string" || !BYTES_RE.test(value)) throw encodeError(field, value, "bytes");
  const data = value.slice(2).toLowerCase();
  const padding = (64 - (data.length % 64)) % 64;
  return uintWord(data.length / 2) + data + ZERO_WORD.slice(0, padding);
}

function ioArray(field: string, ios: readonly IOV2[] | undefined): string {
  if (!Array.isArray(ios)) throw encodeError(field, ios, "IOV2[]");
  let out = uintWord(ios.length);
  for (let i = 0; i < ios.length; i++) {
    out += addressWord(`${field}[${i}].token`, ios[i]?.token) +
      bytes32Word(`${field}[${i}].vaultId`, ios[i]?.vaultId);
  }
  return out;
}

/** Errors {@link stateNamespace}, {@link qualifyNamespace} and {@link orderNamespace} can raise. */
export type NamespaceErrorType = InvalidAbiValueError;

function checkAddress(field: string, value: string): void {
  // Solidity sees only the 20 bytes, so the hex case (checksum) is irrelevant here.
  if (!isAddress(value, { strict: false })) {
    throw new InvalidAbiValueError(field, value, "address");
  }
}

/**
 * The `StateNamespace` the orderbook gives an account: `uint256(uint160(account))`. Orders use their
 * owner's; post tasks use the caller's.
 *
 * @param account Order owner or task caller.
 * @returns The namespace as an unsigned integer.
 * @throws {InvalidAbiValueError} When `account` is not a 20-byte hex address.
 *
 * @example
 * ```ts
 * import { stateNamespace } from "./identity.ts";
 * console.log(stateNamespace("0x0000000000000000000000000000000000000101")); // 257n
 * ```
 */
export function stateNamespace(account: Address): bigint {
  checkAddress("account", account);
  return hexToBigInt(account);
}

/**
 * `LibNamespace.qualifyNamespace`: the fully qualified namespace a store keys values by,
 * `uint256(keccak256(abi.encode(stateNamespace, sender)))`, where `sender` is the contract that
 * calls the store's `set` (the orderbook).
 *
 * @param namespace A `StateNamespace` (`uint256`).
 * @param sender The caller of the store, e.g. the orderbook address.
 * @returns The fully qualified namespace (as `EvalV4.namespace` and store `Set` events carry it).
 * @throws {InvalidAbiValueError} When `namespace` is outside `uint256` or `sender` is not an address.
 *
 * @example
 * ```ts
 * import { qualifyNamespace } from "./identity.ts";
 * const fqn = qualifyNamespace(1n, "0x00000000000000000000000000000000000000aa");
 * console.log(typeof fqn); // "bigint"
 * ```
 */
export function qualifyNamespace(namespace: bigint, sender: Address): bigint {
  if (typeof namespace !== "bigint" || namespace < 0n || namespace > UINT256_MAX) {
    throw new InvalidAbiValueError("namespace", String(namespace), "uint256");
  }
  checkAddress("sender", sender);
  // Two 32-byte words, as the assembly in LibNamespace writes them to scratch space.
  const word0 = numberToHex(namespace, { size: 32 });
  const word1 = pad(sender.toLowerCase() as Hex, { size: 32 });
  return hexToBigInt(keccak256(concat([word0, word1])));
}

/**
 * The fully qualified namespace every order of `owner` on `orderbook` is evaluated under (and
 * that owner's own post tasks too): `qualifyNamespace(stateNamespace(owner), orderbook)`. Per owner,
 * not per order.
 *
 * @param owner Order owner.
 * @param orderbook Orderbook address.
 * @returns The namespace for `EvalV4.namespace` and for filtering store `Set` events.
 * @throws {InvalidAbiValueError} When either address is malformed.
 *
 * @example
 * ```ts
 * import { orderNamespace } from "./identity.ts";
 * const ns = orderNamespace(
 *   "0x1111111111111111111111111111111111111111",
 *   "0x2222222222222222222222222222222222222222",
 * );
 * console.log(ns > 0n); // true
 * ```
 */
export function orderNamespace(owner: Address, orderbook: Address): bigint {
  return qualifyNamespace(stateNamespace(owner), orderbook);
}
