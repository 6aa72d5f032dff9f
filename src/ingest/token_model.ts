/**
 * V6 token model sync: which (token, account) pairs vaultless IOs need, their `Transfer` /
 * `Approval(owner, orderbook, …)` logs, `balanceOf`/`allowance` seeds, and the drift between the
 * model built from those facts and the chain at the synced block.
 *
 * @module
 */
import { type Address, getAddress, type Hex, pad } from "viem";
import type { OrderV4 } from "../abi/mod.ts";
import { type Db, readTokenEvents, SEED_LOG_INDEX, type TokenEventRow } from "../db/mod.ts";
import type { RaindexMutation } from "../engine/mod.ts";
import { tokenFactsToMutations } from "../events/mod.ts";
import type { RpcLog } from "./logs.ts";
import type { RpcClient } from "./rpc.ts";

/** `keccak256("Transfer(address,address,uint256)")`. */
export const TRANSFER_TOPIC: Hex =
  "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef";
/** `keccak256("Approval(address,address,uint256)")`. */
export const APPROVAL_TOPIC: Hex =
  "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925";

const ZERO_WORD = /^0x0{64}$/i;

/**
 * Tracked pairs: token (lowercase) → accounts (lowercase) whose balance is tracked, and the subset
 * whose allowance to the orderbook is tracked (the owners; never the orderbook itself).
 */
export type TrackedPairs = Map<string, { balances: Set<string>; allowances: Set<string> }>;

/** A difference between the token model and the chain at the synced block. */
export type TokenDrift = {
  readonly token: Address;
  readonly account: Address;
  readonly kind: "balance" | "allowance";
  /** The model's value from the stored facts (`null`: the pair has no seed). */
  readonly model: bigint | null;
  /** `balanceOf(account)` / `allowance(account, orderbook)` read at `blockNumber`. */
  readonly chain: bigint;
  readonly blockNumber: bigint;
};

/**
 * The (token, owner) pairs an order's vaultless (vault id 0) IOs use, plus (token, orderbook): a
 * vaultless push is paid from the orderbook's own holdings.
 *
 * @returns New pairs added to `tracked` (each as `{ token, account, allowance }`).
 * @example
 * ```ts
 * import { noteVaultlessOrder, type TrackedPairs } from "./token_model.ts";
 * const tracked: TrackedPairs = new Map();
 * console.log(noteVaultlessOrder(tracked, {
 *   owner: "0x00000000000000000000000000000000000000cc",
 *   evaluable: { interpreter: "0x00000000000000000000000000000000000000dd", store: "0x00000000000000000000000000000000000000ee", bytecode: "0x" },
 *   validInputs: [{ token: "0x00000000000000000000000000000000000000bb", vaultId: `0x${"0".repeat(64)}` }],
 *   validOutputs: [],
 *   nonce: `0x${"0".repeat(64)}`,
 * }, "0x00000000000000000000000000000000000000aa").length); // 2
 * ```
 */
export function noteVaultlessOrder(
  tracked: TrackedPairs,
  order: OrderV4,
  orderbook: Address,
): { token: Address; account: Address; allowance: boolean }[] {
  const added: { token: Address; account: Address; allowance: boolean }[] = [];
  const owner = order.owner.toLowerCase();
  const ob = orderbook.toLowerCase();
  for (const io of [...order.validInputs, ...order.validOutputs]) {
    if (!ZERO_WORD.test(io.vaultId)) continue;
    const token = io.token.toLowerCase();
    let entry = tracked.get(token);
    if (entry === undefined) {
      entry = { balances: new Set(), allowances: new Set() };
      tracked.set(token, entry);
    }
    for (const account of [owner, ob]) {
      if (entry.balances.has(account)) continue;
      entry.balances.add(account);
      const allowance = account !== ob;
      if (allowance) entry.allowances.add(account);
      added.push({ token: getAddress(token), account: getAddress(account), allowance });
    }
  }
  return added;
}

/**
 * The tracked pairs recorded by earlier syncs (every pair with a seed row).
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { readTrackedPairs } from "./token_model.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * console.log((await readTrackedPairs(db, 1, "0x00000000000000000000000000000000000000aa")).size); // 0
 * await db.close();
 * ```
 */
export async function readTrackedPairs(
  db: Db,
  chainId: number,
  orderbook: Address,
): Promise<TrackedPairs> {
  const rows = await db.query<{ token: string; account: string; kind: string }>(
    `SELECT DISTINCT token, account, kind FROM token_events
     WHERE chain_id = $1 AND orderbook = $2 AND kind IN ('seed-balance', 'seed-allowance')`,
    [BigInt(chainId), orderbook.toLowerCase()],
  );
  const tracked: TrackedPairs = new Map();
  for (const r of rows) {
    let entry = tracked.get(r.token);
    if (entry === undefined) {
      entry = { balances: new Set(), allowances: new Set() };
      tracked.set(r.token, entry);
    }
    (r.kind === "seed-balance" ? entry.balances : entry.allowances).add(r.account);
  }
  return tracked;
}

/**
 * The stored facts of a chunk's token logs: `Transfer`s with a tracked side and `Approval`s of a
 * tracked owner to the orderbook (other logs of the tokens are dropped), each with its block hash
 * (to check against the chunk's headers).
 *
 * @example
 * ```ts
 * import { filterTokenLogs } from "./token_model.ts";
 * console.log(filterTokenLogs([], new Map(), "0x00000000000000000000000000000000000000aa")); // []
 * ```
 */
export function filterTokenLogs(
  logs: readonly RpcLog[],
  tracked: TrackedPairs,
  orderbook: Address,
): (TokenEventRow & { readonly blockHash: Hex })[] {
  const ob = orderbook.toLowerCase();
  const out: (TokenEventRow & { readonly blockHash: Hex })[] = [];
  for (const log of logs) {
    const entry = tracked.get(log.address.toLowerCase());
    if (entry === undefined || log.topics.length !== 3) continue;
    const topic0 = log.topics[0].toLowerCase();
    const a = `0x${log.topics[1].slice(26)}`.toLowerCase();
    const b = `0x${log.topics[2].slice(26)}`.toLowerCase();
    const amount = log.data === "0x" ? 0n : BigInt(log.data.slice(0, 66));
    const base = {
      blockNumber: BigInt(log.blockNumber),
      logIndex: Number(BigInt(log.logIndex)),
      txHash: log.transactionHash as Hex,
      blockHash: log.blockHash.toLowerCase() as Hex,
      token: getAddress(log.address),
      account: getAddress(a),
      counterparty: getAddress(b),
      amount,
    };
    if (topic0 === TRANSFER_TOPIC && (entry.balances.has(a) || entry.balances.has(b))) {
      out.push({ ...base, kind: "transfer" });
    } else if (topic0 === APPROVAL_TOPIC && b === ob && entry.allowances.has(a)) {
      out.push({ ...base, kind: "approval" });
    }
  }
  return out;
}

const hex = (n: bigint): Hex => `0x${n.toString(16)}`;

/** `balanceOf(account)` or `allowance(account, orderbook)` at the end of `blockNumber`. */
async function readErc20(
  rpc: RpcClient,
  token: Address,
  kind: "balance" | "allowance",
  account: Address,
  orderbook: Address,
  blockNumber: bigint,
): Promise<bigint> {
  const data: Hex = kind === "balance"
    ? `0x70a08231${pad(account.toLowerCase() as Hex).slice(2)}`
    : `0xdd62ed3e${pad(account.toLowerCase() as Hex).slice(2)}${
      pad(orderbook.toLowerCase() as Hex).slice(2)
    }`;
  const result = await rpc.request<Hex>("eth_call", [{ to: token, data }, hex(blockNumber)]);
  return result === "0x" ? 0n : BigInt(result.slice(0, 66));
}

/**
 * Seed rows for new pairs: `balanceOf` (and `allowance(owner, orderbook)` for owners) read at the
 * end of `blockNumber`.
 *
 * @example
 * ```ts
 * import { createRpcClient } from "./mod.ts";
 * import { readSeeds } from "./token_model.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * console.log(await readSeeds(rpc, "0x00000000000000000000000000000000000000aa", [], 1n)); // []
 * ```
 */
export async function readSeeds(
  rpc: RpcClient,
  orderbook: Address,
  pairs: readonly { token: Address; account: Address; allowance: boolean }[],
  blockNumber: bigint,
): Promise<TokenEventRow[]> {
  const rows = await Promise.all(pairs.map(async (p) => {
    const seed = {
      blockNumber,
      logIndex: SEED_LOG_INDEX,
      txHash: null,
      token: p.token,
      account: p.account,
      counterparty: null,
    };
    const out: TokenEventRow[] = [{
      ...seed,
      kind: "seed-balance",
      amount: await readErc20(rpc, p.token, "balance", p.account, orderbook, blockNumber),
    }];
    if (p.allowance) {
      out.push({
        ...seed,
        kind: "seed-allowance",
        amount: await readErc20(rpc, p.token, "allowance", p.account, orderbook, blockNumber),
      });
    }
    return out;
  }));
  return rows.flat();
}

/**
 * Folds token-model mutations the way the engine applies them (OpenZeppelin ERC-20 rules: a pull
 * spends the allowance unless it is `2^256 − 1`; untracked sides are left alone).
 */
function foldTokenModel(
  mutations: readonly RaindexMutation[],
  model: { balances: Map<string, bigint>; allowances: Map<string, bigint> },
): void {
  const key = (token: string, account: string) => `${token.toLowerCase()}|${account.toLowerCase()}`;
  for (const m of mutations) {
    if (m.type === "setTokenBalances") {
      for (const b of m.balances) model.balances.set(key(b.token, b.account), BigInt(b.amount));
    } else if (m.type === "setAllowances") {
      for (const a of m.allowances) model.allowances.set(key(a.token, a.owner), BigInt(a.amount));
    } else if (m.type === "tokenTransfers") {
      for (const t of m.transfers) {
        const amount = BigInt(t.amount);
        const from = key(t.token, t.from);
        const to = key(t.token, t.to);
        const allowance = model.allowances.get(from);
        if (t.spendAllowance && allowance !== undefined && allowance !== 2n ** 256n - 1n) {
          model.allowances.set(from, allowance - amount);
        }
        const fromBalance = model.balances.get(from);
        if (fromBalance !== undefined) model.balances.set(from, fromBalance - amount);
        const toBalance = model.balances.get(to);
        if (toBalance !== undefined) model.balances.set(to, toBalance + amount);
      }
    }
  }
}

/**
 * Compares the token model built from the stored facts with `balanceOf`/`allowance` read at
 * `blockNumber` for every tracked pair; resolves the differences (empty when the model is exact).
 *
 * @example
 * ```ts
 * import { migrate } from "../db/mod.ts";
 * import { openDuckDbMemory } from "../db/native.ts";
 * import { createRpcClient } from "./mod.ts";
 * import { checkTokenDrift } from "./token_model.ts";
 * const db = await openDuckDbMemory();
 * await migrate(db);
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"] });
 * console.log(await checkTokenDrift(rpc, db, { chainId: 31337, orderbook: "0x00000000000000000000000000000000000000aa", blockNumber: 1n })); // []
 * await db.close();
 * ```
 */
export async function checkTokenDrift(
  rpc: RpcClient,
  db: Db,
  parameters: { chainId: number; orderbook: Address; blockNumber: bigint },
): Promise<TokenDrift[]> {
  const { chainId, orderbook, blockNumber } = parameters;
  const facts = await readTokenEvents(db, chainId, orderbook, { toBlock: blockNumber });
  const model = { balances: new Map<string, bigint>(), allowances: new Map<string, bigint>() };
  for (const batch of tokenFactsToMutations(facts, { orderbook })) {
    foldTokenModel(batch.mutations, model);
  }
  const tracked = await readTrackedPairs(db, chainId, orderbook);
  const checks: { token: Address; account: Address; kind: "balance" | "allowance" }[] = [];
  for (const [token, entry] of tracked) {
    for (const a of entry.balances) {
      checks.push({ token: getAddress(token), account: getAddress(a), kind: "balance" });
    }
    for (const a of entry.allowances) {
      checks.push({ token: getAddress(token), account: getAddress(a), kind: "allowance" });
    }
  }
  const drift: TokenDrift[] = [];
  await Promise.all(checks.map(async (c) => {
    const chain = await readErc20(rpc, c.token, c.kind, c.account, orderbook, blockNumber);
    const k = `${c.token.toLowerCase()}|${c.account.toLowerCase()}`;
    const value = (c.kind === "balance" ? model.balances : model.allowances).get(k) ?? null;
    if (value !== chain) drift.push({ ...c, model: value, chain, blockNumber });
  }));
  return drift.sort((x, y) =>
    `${x.token}${x.account}${x.kind}` < `${y.token}${y.account}${y.kind}` ? -1 : 1
  );
}
