/**
 * Synthetic orderbook and store logs for the ingest and rebuild benchmarks: `eth_getLogs`-shaped
 * JSON in the mix of a busy orderbook (per take a ContextV2, the TakeOrderV3 and a store Set;
 * deposits and withdrawals between; or, for rebuilds, a mix that keeps every vault solvent with an
 * AddOrderV3 every ten logs), their decode, and
 * the `IngestChunk` that `writeIngestChunk` stores.
 *
 * @module
 */
import { type Address, encodeAbiParameters, getAddress, type Hex, toEventSelector } from "viem";
import {
  interpreterStoreV3Abi,
  orderbookEventsAbi,
  orderHash,
  type OrderV4,
} from "../src/abi/mod.ts";
import {
  decodeOrderbookLog,
  decodeStoreLog,
  type OrderbookEvent,
  parseRawLogs,
  type RawLog,
  type StoreSetEvent,
} from "../src/events/mod.ts";
import { parse } from "../src/float/mod.ts";
import type { IngestChunk, ResolvedDeposit } from "../src/ingest/mod.ts";

/** Logs per block. */
export const PER_BLOCK = 10;
/** The synthetic orderbook. */
export const OB: Address = getAddress("0x00000000000000000000000000000000000000aa");
const STORE: Address = getAddress("0x00000000000000000000000000000000000000dd");
const TOKEN_A: Address = getAddress("0x00000000000000000000000000000000000000a1");
const TOKEN_B: Address = getAddress("0x00000000000000000000000000000000000000b2");
const OWNER: Address = getAddress("0x00000000000000000000000000000000000000c3");
const TAKER: Address = getAddress("0x00000000000000000000000000000000000000c4");
const word = (n: bigint | number): Hex => `0x${BigInt(n).toString(16).padStart(64, "0")}`;

const order: OrderV4 = {
  owner: OWNER,
  evaluable: {
    interpreter: getAddress("0x00000000000000000000000000000000000000ee"),
    store: STORE,
    bytecode: `0x${"01".repeat(160)}`,
  },
  validInputs: [{ token: TOKEN_A, vaultId: word(1) }],
  validOutputs: [{ token: TOKEN_B, vaultId: word(1) }],
  nonce: word(0),
};

function eventItem(name: string) {
  const item = orderbookEventsAbi.find((e) => e.type === "event" && e.name === name);
  if (item === undefined) throw new Error(name);
  return item;
}
function encoded(name: string, args: unknown[]): { topics: Hex[]; data: Hex } {
  const item = eventItem(name);
  return {
    topics: [toEventSelector(item as never)],
    data: encodeAbiParameters(item.inputs as never, args as never),
  };
}

// The mix of a busy orderbook: per take, ContextV2 + TakeOrderV3 + a store Set; deposits and
// withdrawals between.
const templates = [
  { address: OB, ...encoded("DepositV2", [OWNER, TOKEN_B, word(1), 1_000_001n]) },
  {
    address: OB,
    ...encoded("ContextV2", [TAKER, [[word(1), word(2)], [word(3), word(4), word(5)], [
      parse("5"),
      parse("0.0004"),
    ]]]),
  },
  {
    address: OB,
    ...encoded("TakeOrderV3", [
      TAKER,
      {
        order,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        signedContext: [],
      },
      parse("2"),
      parse("0.0008"),
    ]),
  },
  (() => {
    const set = interpreterStoreV3Abi.find((i) => i.type === "event" && i.name === "Set")!;
    return {
      address: STORE,
      topics: [toEventSelector(set as never)],
      data: encodeAbiParameters(set.inputs as never, [7n, word(0x5eed), parse("2")] as never),
    };
  })(),
  {
    address: OB,
    ...encoded("WithdrawV2", [OWNER, TOKEN_A, word(1), parse("1"), parse("0.5"), 500_000n]),
  },
];

/** One `eth_getLogs` entry as the node sends it (0x quantities), with the chain id added. */
export type RpcLog = {
  chainId: number;
  address: Address;
  blockNumber: Hex;
  blockHash: Hex;
  logIndex: Hex;
  transactionHash: Hex;
  transactionIndex: Hex;
  topics: Hex[];
  data: Hex;
};

// The rebuild mix keeps every vault solvent (the engine rejects a negative balance): per ten logs
// an AddOrderV3, two deposits of 1000 (one per token), two takes (each: ContextV2, TakeOrderV3
// moving 2 out of the order's output vault and 0.0008 into its input vault, store Set) and a
// withdrawal of 0.5 from the input vault. Slot 0 is the AddOrderV3.
const rebuildTemplates = [
  templates[0],
  { address: OB, ...encoded("DepositV2", [OWNER, TOKEN_B, word(1), 1000n * 10n ** 18n]) },
  templates[1],
  templates[2],
  templates[3],
  { address: OB, ...encoded("DepositV2", [OWNER, TOKEN_A, word(1), 1000n * 10n ** 6n]) },
  templates[1],
  templates[2],
  templates[3],
  templates[4],
];

/** An `AddOrderV3` of the bench order with nonce `n` (nonce 0 is the order every take takes). */
function addOrderLog(n: number): { address: Address; topics: Hex[]; data: Hex } {
  const added: OrderV4 = { ...order, nonce: word(n) };
  return { address: OB, ...encoded("AddOrderV3", [OWNER, orderHash(added), added]) };
}

/** `eth_getLogs`-shaped JSON (0x quantities), as the node sends it. */
export function makeRpcLogs(
  offset: number,
  count: number,
  options: { withOrders?: boolean } = {},
): RpcLog[] {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const t = options.withOrders
      ? (i % 10 === 0 ? addOrderLog(i / 10) : rebuildTemplates[i % 10])
      : templates[i % templates.length];
    return {
      chainId: 1,
      address: t.address,
      blockNumber: `0x${(Math.floor(i / PER_BLOCK) + 1).toString(16)}`,
      blockHash: word(Math.floor(i / PER_BLOCK) + 1),
      logIndex: `0x${(i % PER_BLOCK).toString(16)}` as Hex,
      transactionHash: word(1_000_000 + Math.floor(i / 2)),
      transactionIndex: "0x0" as Hex,
      topics: t.topics,
      data: t.data,
    };
  });
}

/** Decoded logs, split by emitter. */
export type Decoded = {
  ob: { raw: RawLog; event: OrderbookEvent }[];
  store: { raw: RawLog; event: StoreSetEvent }[];
};
/** zod-validates and decodes logs (the orderbook's as V5). */
export function decode(rpcLogs: unknown[]): Decoded {
  const out: Decoded = { ob: [], store: [] };
  for (const raw of parseRawLogs(rpcLogs)) {
    if (raw.address === OB) out.ob.push({ raw, event: decodeOrderbookLog(raw, "v5") });
    else out.store.push({ raw, event: decodeStoreLog(raw) });
  }
  return out;
}

/** The chunk `writeIngestChunk` stores for decoded logs (every deposit exact, from calldata). */
export function chunkOf(decoded: Decoded, depositAmount: Hex = parse("1.0000001")): IngestChunk {
  const last = decoded.ob[decoded.ob.length - 1].raw;
  const blocks = new Map<bigint, Hex>();
  for (const { raw } of [...decoded.ob, ...decoded.store]) {
    blocks.set(raw.blockNumber, raw.blockHash);
  }
  const deposits: (ResolvedDeposit & { balanceCheck: null })[] = decoded.ob.flatMap(({ event }) =>
    event.type === "DepositV2"
      ? [{
        event,
        amount: depositAmount,
        exact: true,
        source: "direct" as const,
        txTo: OB,
        txFrom: OWNER,
        onchainVaultBalance: null,
        balanceCheck: null,
      }]
      : []
  );
  return {
    chainId: 1,
    orderbook: OB,
    version: "v5",
    fromBlock: decoded.ob[0].raw.blockNumber,
    toBlock: last.blockNumber,
    toBlockHash: last.blockHash,
    syncStart: 1n,
    partial: false,
    orderbookLogs: decoded.ob,
    storeLogs: decoded.store,
    blocks: [...blocks].map(([number, hash]) => ({
      number,
      hash,
      parentHash: word(number - 1n),
      timestamp: 1_700_000_000n + number,
    })),
    deposits,
    tokens: [],
    tokenDecimals: new Map([[TOKEN_A.toLowerCase(), 6], [TOKEN_B.toLowerCase(), 18]]),
    code: [],
    owners: [OWNER],
  };
}
