/**
 * Ingestion throughput without the network: 100k synthetic orderbook and store logs (as
 * `eth_getLogs` returns them) validated, decoded and written with `writeIngestChunk` (every
 * table, cursor in the same transaction) in 10k-log chunks, to an in-memory and a file DuckDB.
 * Target: ≥ 50k events/s for decode + insert. Run with `deno bench -A bench/ingest.bench.ts`; the
 * events/s figures are printed when the run ends.
 */
import { type Address, encodeAbiParameters, getAddress, type Hex, toEventSelector } from "viem";
import { interpreterStoreV3Abi, orderbookEventsAbi, type OrderV4 } from "../src/abi/mod.ts";
import { type Db, migrate } from "../src/db/mod.ts";
import { openDuckDbFile, openDuckDbMemory } from "../src/db/native.ts";
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
import { writeIngestChunk } from "../src/ingest/mod.ts";

const LOGS = 100_000;
const CHUNK = 10_000;
const PER_BLOCK = 10;
const OB: Address = getAddress("0x00000000000000000000000000000000000000aa");
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

/** `eth_getLogs`-shaped JSON (0x quantities), as the node sends it. */
function makeRpcLogs(offset: number, count: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = offset + k;
    const t = templates[i % templates.length];
    return {
      chainId: 1,
      address: t.address,
      blockNumber: `0x${(Math.floor(i / PER_BLOCK) + 1).toString(16)}`,
      blockHash: word(Math.floor(i / PER_BLOCK) + 1),
      logIndex: `0x${(i % PER_BLOCK).toString(16)}`,
      transactionHash: word(1_000_000 + Math.floor(i / 2)),
      transactionIndex: "0x0",
      topics: t.topics,
      data: t.data,
    };
  });
}

type Decoded = {
  ob: { raw: RawLog; event: OrderbookEvent }[];
  store: { raw: RawLog; event: StoreSetEvent }[];
};
function decode(rpcLogs: unknown[]): Decoded {
  const out: Decoded = { ob: [], store: [] };
  for (const raw of parseRawLogs(rpcLogs)) {
    if (raw.address === OB) out.ob.push({ raw, event: decodeOrderbookLog(raw, "v5") });
    else out.store.push({ raw, event: decodeStoreLog(raw) });
  }
  return out;
}

function chunkOf(decoded: Decoded, _index: number): IngestChunk {
  const last = decoded.ob[decoded.ob.length - 1].raw;
  const blocks = new Map<bigint, Hex>();
  for (const { raw } of [...decoded.ob, ...decoded.store]) {
    blocks.set(raw.blockNumber, raw.blockHash);
  }
  const deposits: (ResolvedDeposit & { balanceCheck: null })[] = decoded.ob.flatMap(({ event }) =>
    event.type === "DepositV2"
      ? [{
        event,
        amount: parse("1.0000001"),
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

async function decodeAndInsertAll(db: Db, offset: number): Promise<number> {
  const started = performance.now();
  for (let c = 0; c < LOGS / CHUNK; c++) {
    const logs = makeRpcLogs(offset + c * CHUNK, CHUNK);
    await writeIngestChunk(db, chunkOf(decode(logs), c));
  }
  return performance.now() - started;
}

// The headline figure: 100k logs end to end, measured once per back end before Deno's per-case
// table (whose cases below use 1k-log iterations so that many iterations fit in memory).
const scratch = Deno.makeTempDirSync({ prefix: "vraindex-ingest-bench-" });
const fileDb = await openDuckDbFile(`${scratch}/bench.duckdb`);
await migrate(fileDb);
const memoryDb = await openDuckDbMemory();
await migrate(memoryDb);
{
  const t0 = performance.now();
  for (let c = 0; c < LOGS / CHUNK; c++) decode(makeRpcLogs(c * CHUNK, CHUNK));
  const decodeMs = performance.now() - t0;
  const memoryMs = await decodeAndInsertAll(memoryDb, 0);
  const fileMs = await decodeAndInsertAll(fileDb, 0);
  const rate = (ms: number) => Math.round(LOGS / (ms / 1000)).toLocaleString("en");
  console.log(`ingest, ${LOGS.toLocaleString("en")} logs in ${LOGS / CHUNK} chunks:`);
  console.log(`  decode only (incl. generating the JSON): ${rate(decodeMs)} events/s`);
  console.log(`  decode + insert, in-memory DuckDB:       ${rate(memoryMs)} events/s`);
  console.log(`  decode + insert, DuckDB file:            ${rate(fileMs)} events/s`);
}

const SMALL = 1_000;
// Each iteration writes new positions (blocks above everything written so far).
let next = LOGS;

Deno.bench({
  name: "decode 1k logs (zod validation + ABI decode)",
  group: "ingest",
  baseline: true,
  fn: (b) => {
    const logs = makeRpcLogs(next, SMALL);
    next += SMALL;
    b.start();
    decode(logs);
    b.end();
  },
});

Deno.bench({
  name: "decode + insert 1k logs, in-memory DuckDB",
  group: "ingest",
  fn: async (b) => {
    const logs = makeRpcLogs(next, SMALL);
    next += SMALL;
    b.start();
    await writeIngestChunk(memoryDb, chunkOf(decode(logs), next));
    b.end();
  },
});

Deno.bench({
  name: "decode + insert 1k logs, DuckDB file",
  group: "ingest",
  fn: async (b) => {
    const logs = makeRpcLogs(next, SMALL);
    next += SMALL;
    b.start();
    await writeIngestChunk(fileDb, chunkOf(decode(logs), next));
    b.end();
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(scratch, { recursive: true });
});
