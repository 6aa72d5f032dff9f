/**
 * Order hashes and per-owner namespaces, cached: both are keccak256 of ABI encodings and sit on the
 * quote hot path.
 *
 * @module
 */
import { type Address, getAddress, type Hex } from "viem";
import { orderHash, type OrderV4, qualifyNamespace, stateNamespace } from "../abi/mod.ts";
import type { VirtualRaindex } from "./types.ts";
import { InvalidMutationError } from "./errors.ts";
import { bigintWord, normalizeAddress, normalizeWord } from "./words.ts";

const hashes = new WeakMap<object, Hex>();

/** `keccak256(abi.encode(order))`, lowercase, cached per order object. */
export function hashOrder(order: OrderV4): Hex {
  let hash = hashes.get(order);
  if (hash === undefined) {
    hash = orderHash(order).toLowerCase() as Hex;
    hashes.set(order, hash);
  }
  return hash;
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
 * input (ABI encoding ignores case); makes snapshots byte-identical for equal states.
 */
export function canonicalOrder(order: OrderV4, path = "order"): OrderV4 {
  const io = (list: OrderV4["validInputs"], side: string) =>
    list.map((entry, i) => ({
      token: checksum(entry.token, `${path}.${side}.${i}.token`),
      vaultId: normalizeWord(entry.vaultId, `${path}.${side}.${i}.vaultId`),
    }));
  const bytecode = order.evaluable.bytecode;
  if (!/^0x([0-9a-fA-F]{2})*$/.test(bytecode)) {
    throw new InvalidMutationError(`${path}.evaluable.bytecode: not hex bytes`, {
      path: `${path}.evaluable.bytecode`,
      reason: "bytes",
    });
  }
  return {
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
}

function checksum(value: string, path: string): Address {
  return getAddress(normalizeAddress(value, path));
}
