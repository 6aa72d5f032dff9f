/**
 * Store `Set` filtering. A store is shared by every orderbook and user on a chain and its `Set`
 * logs are not indexed, so sync fetches all of them and keeps those under a namespace the
 * orderbook's owners use: `keccak256(abi.encode(uint256(uint160(owner)), orderbook))`.
 *
 * @module
 */
import { type Address, type Hex, numberToHex } from "viem";
import { orderNamespace, type OrderV4 } from "../abi/mod.ts";
import type { RaindexEventLog } from "./types.ts";

/**
 * The fully qualified namespaces (32-byte lowercase hex, as `applyStore` carries them) of the
 * given owners on `orderbook`. Per owner, not per order: all of an owner's orders and post tasks
 * share one.
 *
 * @param owners Owner addresses, or orders (their `owner` is used).
 * @param orderbook The orderbook that qualifies the namespaces.
 * @returns The set of namespaces.
 * @throws {InvalidAbiValueError} When an address is malformed.
 *
 * @example
 * ```ts
 * import { ownerNamespaces } from "./store_filter.ts";
 * const fqns = ownerNamespaces(
 *   ["0x1111111111111111111111111111111111111111"],
 *   "0x2222222222222222222222222222222222222222",
 * );
 * console.log(fqns.size); // 1
 * ```
 */
export function ownerNamespaces(
  owners: Iterable<Address | Pick<OrderV4, "owner">>,
  orderbook: Address,
): Set<Hex> {
  const seen = new Set<string>();
  const fqns = new Set<Hex>();
  for (const entry of owners) {
    const owner = typeof entry === "string" ? entry : entry.owner;
    const key = owner.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    fqns.add(numberToHex(orderNamespace(owner, orderbook), { size: 32 }));
  }
  return fqns;
}

/**
 * The owners of every order the events mention (`AddOrderV3`, `RemoveOrderV3`, `TakeOrderV3`,
 * `ClearV3`), first-seen order, for {@link ownerNamespaces}.
 *
 * @param events Decoded events (other kinds are ignored).
 * @returns Distinct owner addresses.
 *
 * @example
 * ```ts
 * import { ownersOf } from "./store_filter.ts";
 * console.log(ownersOf([]).length); // 0
 * ```
 */
export function ownersOf(events: Iterable<RaindexEventLog>): Address[] {
  const seen = new Set<string>();
  const owners: Address[] = [];
  const note = (owner: Address) => {
    const key = owner.toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    owners.push(owner);
  };
  for (const event of events) {
    switch (event.type) {
      case "AddOrderV3":
      case "RemoveOrderV3":
        note(event.args.order.owner);
        break;
      case "TakeOrderV3":
        note(event.args.config.order.owner);
        break;
      case "ClearV3":
        note(event.args.alice.owner);
        note(event.args.bob.owner);
        break;
    }
  }
  return owners;
}

/**
 * Keeps the store `Set` events whose namespace is in `fqns` (and every non-`Set` event), in order.
 *
 * @param events Decoded events.
 * @param fqns Namespaces to keep ({@link ownerNamespaces}), any hex case.
 * @returns The filtered events.
 *
 * @example
 * ```ts
 * import { filterStoreSets } from "./store_filter.ts";
 * console.log(filterStoreSets([], new Set()).length); // 0
 * ```
 */
export function filterStoreSets<E extends RaindexEventLog>(
  events: readonly E[],
  fqns: ReadonlySet<Hex>,
): E[] {
  const keep = new Set<bigint>();
  for (const fqn of fqns) keep.add(BigInt(fqn));
  return events.filter((event) => event.type !== "Set" || keep.has(event.args.namespace));
}
