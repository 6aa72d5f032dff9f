/**
 * Exact deposits: the vault grows by the Float of the `deposit3`/`deposit4` call, which only the
 * transaction's calldata holds (DOMAIN.md § Vault changes from events). Deposits that came through
 * another contract fall back to the event's rounded uint256, flagged inexact, with the on-chain
 * `vaultBalance2` at that block recorded for the check.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { OrderbookVersion } from "../abi/mod.ts";
import {
  decodeDepositCalldata,
  depositAmountKey,
  type DepositV2Event,
  matchDepositCalls,
} from "../events/mod.ts";
import { type Float, fromFixedDecimalLossy } from "../float/mod.ts";
import { getTransactionCall, readVaultBalance } from "./chain.ts";
import type { RpcClient } from "./rpc.ts";

/** How a deposit's amount was obtained. */
export type DepositSource =
  /** `deposit3`/`deposit4` called directly on the orderbook. */
  | "direct"
  /** Inside the orderbook's own `multicall`. */
  | "multicall"
  /** Through another contract: the event's uint256 converted with the token's decimals. */
  | "event";

/** The resolved amount of one `DepositV2` log. */
export type ResolvedDeposit = {
  /** The event it resolves. */
  event: DepositV2Event;
  /** The Float the vault grew by; `null` when inexact and the token's decimals are unknown. */
  amount: Float | null;
  /** True when `amount` is the calldata's exact Float. */
  exact: boolean;
  source: DepositSource;
  /** Transaction target and sender. */
  txTo: Address | null;
  txFrom: Address;
  /**
   * For inexact rows: `vaultBalance2(sender, token, vaultId)` at the end of the deposit's block,
   * or `null` when the node has no state there (the check could not be made).
   */
  onchainVaultBalance: Hex | null;
};

/** Parameters of {@link resolveDeposits}. */
export type ResolveDepositsParameters = {
  chainId: number;
  orderbook: Address;
  version: OrderbookVersion;
  /** The `DepositV2` events to resolve (any order). */
  deposits: readonly DepositV2Event[];
  /** Decimals by lowercase token address (`null` when unknown), for the fallback. */
  decimals: ReadonlyMap<string, number | null>;
  /** Transactions fetched at once (default 8). */
  concurrency?: number;
};

/**
 * Resolves every deposit's exact Float from its transaction's calldata (a direct call or the
 * orderbook's multicall), falling back to the event amount for deposits made through other
 * contracts.
 *
 * @param rpc The JSON-RPC client.
 * @param parameters The deposits and what the fallback needs.
 * @returns One entry per deposit, in `(blockNumber, logIndex)` order.
 * @example
 * ```ts
 * import { createRpcClient, resolveDeposits } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * const resolved = await resolveDeposits(rpc, {
 *   chainId: 31337,
 *   orderbook: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 *   version: "v5",
 *   deposits: [],
 *   decimals: new Map(),
 * });
 * console.log(resolved.length); // 0
 * ```
 */
export async function resolveDeposits(
  rpc: RpcClient,
  parameters: ResolveDepositsParameters,
): Promise<ResolvedDeposit[]> {
  const byTx = new Map<string, DepositV2Event[]>();
  for (const event of parameters.deposits) {
    const key = event.txHash.toLowerCase();
    const list = byTx.get(key) ?? [];
    list.push(event);
    byTx.set(key, list);
  }
  const out: ResolvedDeposit[] = [];
  const txs = [...byTx.entries()];
  const concurrency = Math.max(1, parameters.concurrency ?? 8);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < txs.length) {
      const [hash, events] = txs[next++];
      events.sort((a, b) => a.logIndex - b.logIndex);
      out.push(...await resolveTransaction(rpc, parameters, hash as Hex, events));
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, txs.length) }, worker));
  out.sort((a, b) =>
    a.event.blockNumber === b.event.blockNumber
      ? a.event.logIndex - b.event.logIndex
      : a.event.blockNumber < b.event.blockNumber
      ? -1
      : 1
  );
  return out;
}

async function resolveTransaction(
  rpc: RpcClient,
  parameters: ResolveDepositsParameters,
  hash: Hex,
  events: DepositV2Event[],
): Promise<ResolvedDeposit[]> {
  const tx = await getTransactionCall(rpc, { chainId: parameters.chainId, hash });
  const calls = tx.to === null
    ? []
    : decodeDepositCalldata(tx.input, parameters.version, parameters.orderbook, tx.to);
  const matched = matchDepositCalls(events, calls);
  const out: ResolvedDeposit[] = [];
  for (const event of events) {
    const exact = matched.get(depositAmountKey(event));
    if (exact !== undefined) {
      const call = calls[events.indexOf(event)];
      out.push({
        event,
        amount: exact.amount,
        exact: true,
        source: call.path === "" ? "direct" : "multicall",
        txTo: tx.to,
        txFrom: tx.from,
        onchainVaultBalance: null,
      });
      continue;
    }
    const decimals = parameters.decimals.get(event.args.token.toLowerCase()) ?? null;
    const onchainVaultBalance = await readVaultBalance(rpc, {
      orderbook: parameters.orderbook,
      version: parameters.version,
      owner: event.args.sender,
      token: event.args.token,
      vaultId: event.args.vaultId,
      blockNumber: event.blockNumber,
    });
    out.push({
      event,
      amount: decimals === null
        ? null
        : fromFixedDecimalLossy(event.args.depositAmountUint256, decimals).value,
      exact: false,
      source: "event",
      txTo: tx.to,
      txFrom: tx.from,
      onchainVaultBalance,
    });
  }
  return out;
}
