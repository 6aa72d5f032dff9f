/**
 * Telling `IOrderBookV5` and `IRaindexV6` deployments apart from their runtime code: the Solidity
 * dispatcher pushes every external function's selector, so the selectors of the functions only
 * one version has (`takeOrders3`/`deposit3`/… vs `takeOrders4`/`deposit4`/…) show which it is.
 *
 * @module
 */
import { type AbiFunction, type Address, type Hex, toFunctionSelector } from "viem";
import { VraindexError } from "../errors/mod.ts";
import { orderbookV5FunctionsAbi } from "./v5.ts";
import { orderbookV6FunctionsAbi } from "./v6.ts";
import type { OrderbookVersion } from "./version.ts";

function selectorsOf(abi: readonly unknown[]): Map<Hex, string> {
  const out = new Map<Hex, string>();
  for (const item of abi as readonly { type: string }[]) {
    if (item.type !== "function") continue;
    const fn = item as AbiFunction;
    out.set(toFunctionSelector(fn), fn.name);
  }
  return out;
}

function only(a: Map<Hex, string>, b: Map<Hex, string>): ReadonlyMap<Hex, string> {
  return new Map([...a].filter(([selector]) => !b.has(selector)));
}

const V5 = selectorsOf(orderbookV5FunctionsAbi);
const V6 = selectorsOf(orderbookV6FunctionsAbi);

/**
 * Selectors (→ function names) only `IOrderBookV5` has, and only `IRaindexV6` has.
 *
 * @example
 * ```ts
 * import { versionOnlySelectors } from "./mod.ts";
 * console.log([...versionOnlySelectors.v6.values()].includes("takeOrders4")); // true
 * ```
 */
export const versionOnlySelectors: Readonly<Record<OrderbookVersion, ReadonlyMap<Hex, string>>> = {
  v5: only(V5, V6),
  v6: only(V6, V5),
};

/**
 * The account has no runtime code (`eth_getCode` returned `0x`) at the block asked.
 *
 * @example
 * ```ts
 * import { NoOrderbookCodeError } from "./mod.ts";
 * const e = new NoOrderbookCodeError("no code", { address: "0x0000000000000000000000000000000000000001" });
 * console.log(e.name); // "NoOrderbookCodeError"
 * ```
 */
export class NoOrderbookCodeError extends VraindexError<{
  address?: Address;
  blockNumber?: bigint;
}> {
  override readonly name = "NoOrderbookCodeError";
}

/**
 * The code pushes neither version's own selectors, or both: not an orderbook vraindex knows.
 *
 * @example
 * ```ts
 * import { UnknownOrderbookVersionError } from "./mod.ts";
 * const e = new UnknownOrderbookVersionError("neither", { v5: [], v6: [] });
 * console.log(e.name); // "UnknownOrderbookVersionError"
 * ```
 */
export class UnknownOrderbookVersionError extends VraindexError<{
  address?: Address;
  blockNumber?: bigint;
  /** Names of the V5-only functions whose selectors were found. */
  v5: readonly string[];
  /** Names of the V6-only functions whose selectors were found. */
  v6: readonly string[];
}> {
  override readonly name = "UnknownOrderbookVersionError";
}

/** Errors {@link detectOrderbookVersion} and {@link orderbookVersionFromCode} can raise. */
export type DetectOrderbookVersionErrorType = NoOrderbookCodeError | UnknownOrderbookVersionError;

/**
 * Every value pushed by `PUSH1`…`PUSH4` in `code`, as a 4-byte selector. Immediates of longer
 * pushes are skipped as data (not decoded as opcodes); a selector with leading zero bytes is
 * pushed by a shorter `PUSH`, hence `PUSH1`–`PUSH3` count too.
 *
 * @example
 * ```ts
 * import { pushedSelectors } from "./mod.ts";
 * console.log([...pushedSelectors("0x63a9059cbb14")]); // ["0xa9059cbb"]
 * ```
 */
export function pushedSelectors(code: Hex): Set<Hex> {
  const hex = code.startsWith("0x") ? code.slice(2) : code;
  const out = new Set<Hex>();
  const length = hex.length / 2;
  for (let pc = 0; pc < length;) {
    const op = parseInt(hex.slice(pc * 2, pc * 2 + 2), 16);
    if (op >= 0x60 && op <= 0x7f) {
      const size = op - 0x5f;
      if (size <= 4 && pc + 1 + size <= length) {
        const value = hex.slice((pc + 1) * 2, (pc + 1 + size) * 2).toLowerCase();
        out.add(`0x${value.padStart(8, "0")}`);
      }
      pc += 1 + size;
    } else pc += 1;
  }
  return out;
}

/**
 * The orderbook version of runtime code: `v6` when it pushes selectors only `IRaindexV6` has and
 * none only `IOrderBookV5` has, `v5` the other way round.
 *
 * @param code runtime (deployed) bytecode.
 * @returns `"v5"` or `"v6"`.
 * @throws {NoOrderbookCodeError} for empty code.
 * @throws {UnknownOrderbookVersionError} when neither or both versions' selectors are present.
 * @example
 * ```ts
 * import { orderbookVersionFromCode, versionOnlySelectors } from "./mod.ts";
 * const [selector] = versionOnlySelectors.v6.keys(); // PUSH4 of a V6-only selector
 * console.log(orderbookVersionFromCode(`0x63${selector.slice(2)}`)); // "v6"
 * ```
 */
export function orderbookVersionFromCode(
  code: Hex,
  where: { address?: Address; blockNumber?: bigint } = {},
): OrderbookVersion {
  if (code === "0x" || code.length <= 2) {
    throw new NoOrderbookCodeError(
      `no code${where.address === undefined ? "" : ` at ${where.address}`}${
        where.blockNumber === undefined ? "" : ` at block ${where.blockNumber}`
      }`,
      where,
    );
  }
  const pushed = pushedSelectors(code);
  const found = (version: OrderbookVersion): string[] =>
    [...versionOnlySelectors[version]].filter(([s]) => pushed.has(s)).map(([, name]) => name);
  const v5 = found("v5");
  const v6 = found("v6");
  if (v6.length > 0 && v5.length === 0) return "v6";
  if (v5.length > 0 && v6.length === 0) return "v5";
  throw new UnknownOrderbookVersionError(
    `${where.address ?? "code"} is not a known orderbook: ${
      v5.length + v6.length === 0
        ? "no version-specific selectors"
        : `both V5 (${v5.join(", ")}) and V6 (${v6.join(", ")}) selectors`
    }`,
    { ...where, v5, v6 },
  );
}

/** The part of a viem public client `detectOrderbookVersion` uses. */
export type CodeReader = {
  getCode(args: { address: Address; blockNumber?: bigint }): Promise<Hex | undefined>;
};

/**
 * Detects whether the orderbook at `address` is `IOrderBookV5` or `IRaindexV6` from its runtime
 * code (`eth_getCode`, optionally at a block) — one RPC call, no transaction.
 *
 * @param client a viem public client (anything with `getCode`).
 * @param address the orderbook.
 * @param options `blockNumber` to read the code at (default: latest).
 * @returns `"v5"` or `"v6"`.
 * @throws {NoOrderbookCodeError} when the account has no code there.
 * @throws {UnknownOrderbookVersionError} when the code is neither version's.
 * @example
 * ```ts
 * import { detectOrderbookVersion } from "./mod.ts";
 * const client = { getCode: () => Promise.resolve(undefined) };
 * await detectOrderbookVersion(client, "0x0000000000000000000000000000000000000001")
 *   .catch((e) => console.log(e.name)); // "NoOrderbookCodeError"
 * ```
 */
export async function detectOrderbookVersion(
  client: CodeReader,
  address: Address,
  options: { readonly blockNumber?: bigint } = {},
): Promise<OrderbookVersion> {
  const code = await client.getCode(
    options.blockNumber === undefined ? { address } : { address, blockNumber: options.blockNumber },
  );
  return orderbookVersionFromCode(code ?? "0x", {
    address,
    ...(options.blockNumber === undefined ? {} : { blockNumber: options.blockNumber }),
  });
}
