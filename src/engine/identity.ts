/**
 * Order hashes and per-owner namespaces, cached: both are keccak256 of ABI encodings and sit on the
 * quote hot path.
 *
 * @module
 */
import { type Address, getAddress, type Hex } from "viem";
import {
  keccak256Hex,
  orderHash,
  type OrderV4,
  qualifyNamespace,
  stateNamespace,
} from "../abi/mod.ts";
import type { VirtualRaindex } from "./types.ts";
import { InvalidMutationError } from "./errors.ts";
import { bigintWord, normalizeAddress, normalizeWord } from "./words.ts";

const hashes = new WeakMap<object, Hex>();

/** `keccak256(abi.encode(order))`, lowercase, cached per order object. */
export function hashOrder(order: OrderV4): Hex {
  let hash = hashes.get(order);
  if (hash === undefined) {
    // Bodies from `canonicalOrder` are hashed there; anything else goes through the ABI module,
    // which validates every field and raises its own errors.
    hash = orderHash(order).toLowerCase() as Hex;
    hashes.set(order, hash);
  }
  return hash;
}

const PAD_ADDRESS = "000000000000000000000000";
const ZEROS = "0".repeat(64);

function lengthWord(value: number): string {
  const hex = value.toString(16);
  return ZEROS.slice(hex.length) + hex;
}

function ioTail(list: OrderV4["validInputs"]): string {
  let out = lengthWord(list.length);
  for (const io of list) out += PAD_ADDRESS + io.token.slice(2) + io.vaultId.slice(2);
  return out;
}

// abi.encode(OrderV4) of a canonical body, word by word (keccak ignores the hex case): one offset
// word, the 5-word head (owner, evaluable offset, validInputs offset, validOutputs offset, nonce),
// then the evaluable tuple and the two IO arrays. `tests/engine/identity_test.ts` checks it against
// viem's generic encoder.
function encodeCanonicalOrder(order: OrderV4): string {
  const code = order.evaluable.bytecode.slice(2);
  const padding = (64 - (code.length % 64)) % 64;
  const evaluable = PAD_ADDRESS + order.evaluable.interpreter.slice(2) + PAD_ADDRESS +
    order.evaluable.store.slice(2) + lengthWord(0x60) + lengthWord(code.length / 2) + code +
    ZEROS.slice(0, padding);
  const inputs = ioTail(order.validInputs);
  const outputs = ioTail(order.validOutputs);
  const inputsOffset = 5 * 32 + evaluable.length / 2;
  const outputsOffset = inputsOffset + inputs.length / 2;
  return `0x${lengthWord(0x20)}${PAD_ADDRESS}${order.owner.slice(2)}${lengthWord(5 * 32)}${
    lengthWord(inputsOffset)
  }${lengthWord(outputsOffset)}${order.nonce.slice(2)}${evaluable}${inputs}${outputs}`;
}

/** The fully qualified namespace word of `sender` on this orderbook (owner for orders, caller for tasks). */
export function namespaceOf(engine: VirtualRaindex, sender: Address): Hex {
  const key = sender.toLowerCase();
  let fqn = engine.namespaces.get(key);
  if (fqn === undefined) {
    fqn = bigintWord(qualifyNamespace(stateNamespace(sender), engine.orderbook));
    engine.namespaces.set(key, fqn);
  }
  return fqn;
}

/**
 * The canonical form of an order body: checksummed addresses, lowercase hex. Same hash as the
 * input (ABI encoding ignores case); makes snapshots byte-identical for equal states. Its hash is
 * computed here — or, when the orderbook's own hash of it is given (lowercase, from its event),
 * taken as is — and cached, so `hashOrder(body)` is a lookup.
 */
export function canonicalOrder(order: OrderV4, path = "order", knownHash?: Hex): OrderV4 {
  const io = (list: OrderV4["validInputs"], side: string) =>
    list.map((entry, i) => ({
      token: checksum(entry.token, `${path}.${side}.${i}.token`),
      vaultId: normalizeWord(entry.vaultId, `${path}.${side}.${i}.vaultId`),
    }));
  const bytecode = order.evaluable.bytecode;
  if (!/^0x(?:[0-9a-fA-F]{2})*$/.test(bytecode)) {
    throw new InvalidMutationError(`${path}.evaluable.bytecode: not hex bytes`, {
      path: `${path}.evaluable.bytecode`,
      reason: "bytes",
    });
  }
  const body: OrderV4 = {
    owner: checksum(order.owner, `${path}.owner`),
    evaluable: {
      interpreter: checksum(order.evaluable.interpreter, `${path}.evaluable.interpreter`),
      store: checksum(order.evaluable.store, `${path}.evaluable.store`),
      bytecode: bytecode.toLowerCase() as Hex,
    },
    validInputs: io(order.validInputs, "validInputs"),
    validOutputs: io(order.validOutputs, "validOutputs"),
    nonce: normalizeWord(order.nonce, `${path}.nonce`),
  };
  // Every field was just checked, so the body is encoded unchecked and hashed with the fast keccak
  // (this runs for every order a rebuild adds). The body is new, so no caller can have changed it.
  hashes.set(body, knownHash ?? keccak256Hex(encodeCanonicalOrder(body)));
  return body;
}

// EIP-55 costs a keccak per address; a rebuild sees the same few owners, tokens and evaluables
// on every order. Bounded so a long-running engine cannot grow it without limit.
const checksums = new Map<string, Address>();
const CHECKSUM_CACHE_SIZE = 4096;

function checksum(value: string, path: string): Address {
  const lower = normalizeAddress(value, path);
  let checksummed = checksums.get(lower);
  if (checksummed === undefined) {
    checksummed = getAddress(lower);
    if (checksums.size >= CHECKSUM_CACHE_SIZE) checksums.clear();
    checksums.set(lower, checksummed);
  }
  return checksummed;
}
