/**
 * `tokenFactsToMutations`: V6 token-model facts → per-block mutations, with the orderbook's pulls
 * spending allowance unless the token logged the new allowance itself (hand-derived expectations
 * from the ERC-20 rules in DOMAIN.md § Vaultless).
 */
import assert from "node:assert/strict";
import { type TokenFact, tokenFactsToMutations } from "../../src/events/mod.ts";

const OB = "0x00000000000000000000000000000000000000aa";
const TOKEN = "0x00000000000000000000000000000000000000bb";
const OWNER = "0x00000000000000000000000000000000000000cc";
const OTHER = "0x00000000000000000000000000000000000000dd";
const tx = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;

const fact = (f: Partial<TokenFact> & Pick<TokenFact, "kind" | "blockNumber">): TokenFact => ({
  logIndex: 0,
  txHash: tx(1),
  token: TOKEN,
  account: OWNER,
  counterparty: OB,
  amount: 1n,
  ...f,
});

Deno.test("tokenFactsToMutations", async (t) => {
  await t.step("seeds, approvals and transfers, one batch per block", () => {
    const batches = tokenFactsToMutations([
      fact({ kind: "seed-balance", blockNumber: 1n, counterparty: null, amount: 10n }),
      fact({ kind: "seed-allowance", blockNumber: 1n, counterparty: null, amount: 5n }),
      fact({ kind: "approval", blockNumber: 2n, amount: 7n }),
      fact({ kind: "transfer", blockNumber: 3n, counterparty: OTHER, amount: 2n }),
    ], { orderbook: OB });
    assert.deepEqual(batches.map((b) => b.blockNumber), [1n, 2n, 3n]);
    assert.deepEqual(batches[0].mutations, [
      { type: "setTokenBalances", balances: [{ token: TOKEN, account: OWNER, amount: 10n }] },
      { type: "setAllowances", allowances: [{ token: TOKEN, owner: OWNER, amount: 5n }] },
    ]);
    assert.deepEqual(batches[1].mutations, [
      { type: "setAllowances", allowances: [{ token: TOKEN, owner: OWNER, amount: 7n }] },
    ]);
    // A transfer to someone else spends no allowance.
    assert.deepEqual(batches[2].mutations, [{
      type: "tokenTransfers",
      transfers: [{ token: TOKEN, from: OWNER, to: OTHER, amount: 2n }],
    }]);
  });

  await t.step("a pull into the orderbook spends allowance; a push out does not", () => {
    const [batch] = tokenFactsToMutations([
      fact({ kind: "transfer", blockNumber: 4n, logIndex: 1, amount: 3n }),
      fact({ kind: "transfer", blockNumber: 4n, logIndex: 2, account: OB, counterparty: OWNER }),
    ], { orderbook: OB });
    assert.deepEqual(batch.mutations, [
      {
        type: "tokenTransfers",
        transfers: [{ token: TOKEN, from: OWNER, to: OB, amount: 3n, spendAllowance: true }],
      },
      { type: "tokenTransfers", transfers: [{ token: TOKEN, from: OB, to: OWNER, amount: 1n }] },
    ]);
  });

  await t.step("a token that logs Approval on transferFrom is not spent twice", () => {
    const [batch] = tokenFactsToMutations([
      fact({ kind: "approval", blockNumber: 5n, logIndex: 6, amount: 4n }),
      fact({ kind: "transfer", blockNumber: 5n, logIndex: 7, amount: 3n }),
      // Same shape in another transaction: not the token's own report.
      fact({ kind: "approval", blockNumber: 5n, logIndex: 8, amount: 9n }),
      fact({ kind: "transfer", blockNumber: 5n, logIndex: 9, txHash: tx(2), amount: 3n }),
    ], { orderbook: OB });
    assert.deepEqual(batch.mutations.map((m) => m.type), [
      "setAllowances",
      "tokenTransfers",
      "setAllowances",
      "tokenTransfers",
    ]);
    const spends = batch.mutations.flatMap((m) =>
      m.type === "tokenTransfers" ? m.transfers.map((x) => x.spendAllowance === true) : []
    );
    assert.deepEqual(spends, [false, true]);
  });
});
