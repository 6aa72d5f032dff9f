/**
 * V6 token model: stored ERC-20 facts (`Transfer` and `Approval(owner, orderbook, …)` logs of
 * tracked pairs, `balanceOf`/`allowance` seeds) → the engine's token-model mutations, one batch per
 * block in (block, log index) order, seeds after the logs of their block.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import type { RaindexMutation } from "../engine/mod.ts";

/** One ERC-20 fact about a tracked (token, account) pair (the shape of a `token_events` row). */
export type TokenFact = {
  readonly blockNumber: bigint;
  readonly logIndex: number;
  readonly txHash: Hex | null;
  readonly kind: "transfer" | "approval" | "seed-balance" | "seed-allowance";
  readonly token: Address;
  /** `Transfer` from, `Approval` owner, the seeded account. */
  readonly account: Address;
  /** `Transfer` to, `Approval` spender; `null` for seeds. */
  readonly counterparty: Address | null;
  readonly amount: bigint;
};

/** One block's token-model mutations. */
export type TokenMutationBatch = {
  readonly blockNumber: bigint;
  readonly mutations: readonly RaindexMutation[];
};

const same = (a: string | null, b: string): boolean =>
  a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * Turns token facts into token-model mutations. A `Transfer` into the orderbook is treated as the
 * orderbook's own `transferFrom` pull (it spends the sender's allowance, which the engine leaves
 * alone at `2^256 − 1` or when the allowance is not tracked) unless the token logged an
 * `Approval(from, orderbook, …)` right before it in the same transaction: such tokens (e.g.
 * OpenZeppelin 4) report the new allowance themselves, and spending again would count it twice.
 * A direct `transfer` to the orderbook by a tracked owner is indistinguishable from a pull by logs
 * alone; the sync's drift report shows it.
 *
 * @param facts Facts in application order (as `readTokenEvents` returns them).
 * @param options The orderbook.
 * @returns One batch per block that has facts, in block order.
 * @example
 * ```ts
 * import { tokenFactsToMutations } from "./mod.ts";
 * const batches = tokenFactsToMutations([{
 *   blockNumber: 9n, logIndex: 4294967295, txHash: null, kind: "seed-balance",
 *   token: "0x00000000000000000000000000000000000000bb",
 *   account: "0x00000000000000000000000000000000000000cc", counterparty: null, amount: 5n,
 * }], { orderbook: "0x00000000000000000000000000000000000000aa" });
 * console.log(batches[0].mutations[0].type); // "setTokenBalances"
 * ```
 */
export function tokenFactsToMutations(
  facts: readonly TokenFact[],
  options: { readonly orderbook: Address },
): TokenMutationBatch[] {
  const { orderbook } = options;
  const batches: { blockNumber: bigint; mutations: RaindexMutation[] }[] = [];
  for (let i = 0; i < facts.length; i++) {
    const fact = facts[i];
    let batch = batches[batches.length - 1];
    if (batch === undefined || batch.blockNumber !== fact.blockNumber) {
      batch = { blockNumber: fact.blockNumber, mutations: [] };
      batches.push(batch);
    }
    switch (fact.kind) {
      case "seed-balance":
        batch.mutations.push({
          type: "setTokenBalances",
          balances: [{ token: fact.token, account: fact.account, amount: fact.amount }],
        });
        break;
      case "seed-allowance":
        batch.mutations.push({
          type: "setAllowances",
          allowances: [{ token: fact.token, owner: fact.account, amount: fact.amount }],
        });
        break;
      case "approval":
        if (!same(fact.counterparty, orderbook)) break;
        batch.mutations.push({
          type: "setAllowances",
          allowances: [{ token: fact.token, owner: fact.account, amount: fact.amount }],
        });
        break;
      case "transfer": {
        const to = fact.counterparty as Address;
        const previous = facts[i - 1];
        const approvedByToken = previous !== undefined && previous.kind === "approval" &&
          previous.txHash === fact.txHash && previous.logIndex === fact.logIndex - 1 &&
          same(previous.token, fact.token) && same(previous.account, fact.account) &&
          same(previous.counterparty, orderbook);
        const pull = same(to, orderbook) && !same(fact.account, orderbook) && !approvedByToken;
        batch.mutations.push({
          type: "tokenTransfers",
          transfers: [{
            token: fact.token,
            from: fact.account,
            to,
            amount: fact.amount,
            ...(pull ? { spendAllowance: true } : {}),
          }],
        });
        break;
      }
    }
  }
  return batches;
}
