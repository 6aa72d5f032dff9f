/**
 * Storage throughput: bulk ingest of 100k synthetic raw_events rows and the ordered read of 100k
 * rows that rebuilds use. Run with `deno bench -A bench/db.bench.ts`; besides Deno's per-iteration
 * table it prints events/s per case when the run ends.
 */
import type { Address, Hex } from "viem";
import {
  type Db,
  insertRawEvents,
  migrate,
  type RawEventInput,
  readEventsOrdered,
} from "../src/db/mod.ts";
import { openDuckDbFile, openDuckDbMemory } from "../src/db/native.ts";
import { openDuckDbWasmNode as openDuckDbWasm } from "../src/db/wasm_node.ts";

const ROWS = 100_000;
const PER_BLOCK = 10;
const ORDERBOOK: Address = "0x00000000000000000000000000000000000000aa";

function word(n: bigint): Hex {
  return `0x${n.toString(16).padStart(64, "0")}`;
}

/** 100k logs, 10 per block, all from one orderbook, with realistic field sizes (256-byte data). */
function makeEvents(count: number): RawEventInput[] {
  const data: Hex = `0x${"ab".repeat(256)}`;
  return Array.from({ length: count }, (_, i) => {
    const block = BigInt(Math.floor(i / PER_BLOCK) + 1);
    return {
      chainId: 1,
      address: ORDERBOOK,
      blockNumber: block,
      blockHash: word(block),
      logIndex: i % PER_BLOCK,
      transactionHash: word(BigInt(i)),
      transactionIndex: i % PER_BLOCK,
      topics: [word(0xe0n)],
      data,
      eventName: "TakeOrderV3",
    };
  });
}

const events = makeEvents(ROWS);
const appendRowsInput = events.map((e) => [
  1n,
  e.address,
  e.blockNumber,
  e.blockHash,
  e.logIndex,
  e.transactionHash,
  e.transactionIndex,
  e.topics[0],
  null,
  null,
  null,
  e.data,
  e.eventName ?? null,
]);
const RAW_COLUMNS = [
  "chain_id",
  "address",
  "block_number",
  "block_hash",
  "log_index",
  "tx_hash",
  "tx_index",
  "topic0",
  "topic1",
  "topic2",
  "topic3",
  "data",
  "event_name",
];

const timings = new Map<string, number[]>();
function record(name: string, ms: number): void {
  timings.set(name, [...(timings.get(name) ?? []), ms]);
}

const tempDir = await Deno.makeTempDir({ prefix: "vraindex-db-bench-" });
let fileCounter = 0;

async function freshFileDb(): Promise<Db> {
  const db = await openDuckDbFile(`${tempDir}/bench-${++fileCounter}.duckdb`);
  await migrate(db);
  return db;
}

Deno.bench({
  name: "appendRows 100k raw_events (native file, appender, no conflict check)",
  group: "ingest 100k",
  baseline: true,
  n: 5,
  warmup: 1,
  async fn(b) {
    const db = await freshFileDb();
    b.start();
    const t0 = performance.now();
    await db.transaction((tx) => tx.appendRows("raw_events", RAW_COLUMNS, appendRowsInput));
    record("ingest: appendRows (native file)", performance.now() - t0);
    b.end();
    await db.close();
  },
});

Deno.bench({
  name: "insertRawEvents 100k (native file, packed columns, new block range)",
  group: "ingest 100k",
  n: 5,
  warmup: 1,
  async fn(b) {
    const db = await freshFileDb();
    b.start();
    const t0 = performance.now();
    await insertRawEvents(db, events);
    record("ingest: insertRawEvents (native file)", performance.now() - t0);
    b.end();
    await db.close();
  },
});

Deno.bench({
  name: "insertRawEvents 100k again (native file, all duplicates: ON CONFLICT)",
  group: "ingest 100k",
  n: 5,
  warmup: 1,
  async fn(b) {
    const db = await freshFileDb();
    await insertRawEvents(db, events);
    b.start();
    const t0 = performance.now();
    await insertRawEvents(db, events);
    record("ingest: re-insert duplicates (native file)", performance.now() - t0);
    b.end();
    await db.close();
  },
});

Deno.bench({
  name: "insertRawEvents 100k (wasm memory, packed columns)",
  group: "ingest 100k",
  n: 2,
  warmup: 0,
  async fn(b) {
    const db = await openDuckDbWasm();
    await migrate(db);
    b.start();
    const t0 = performance.now();
    await insertRawEvents(db, events);
    record("ingest: insertRawEvents (wasm memory)", performance.now() - t0);
    b.end();
    await db.close();
  },
});

const readDb = await openDuckDbMemory();
await migrate(readDb);
await insertRawEvents(readDb, events.toReversed());

Deno.bench({
  name: "db.query of 100k rows, one result (native memory)",
  group: "ordered read 100k",
  baseline: true,
  n: 5,
  warmup: 1,
  async fn(b) {
    b.start();
    const t0 = performance.now();
    const rows = await readDb.query(
      "SELECT * FROM raw_events WHERE chain_id = 1 AND address = $1 ORDER BY block_number, log_index",
      [ORDERBOOK],
    );
    record("read: one query (native memory)", performance.now() - t0);
    b.end();
    if (rows.length !== ROWS) throw new Error(`read ${rows.length} rows`);
  },
});

Deno.bench({
  name: "readEventsOrdered 100k, 10k-row chunks (native memory)",
  group: "ordered read 100k",
  n: 5,
  warmup: 1,
  async fn(b) {
    b.start();
    const t0 = performance.now();
    let count = 0;
    for await (const chunk of readEventsOrdered(readDb, 1, ORDERBOOK)) count += chunk.length;
    record("read: readEventsOrdered (native memory)", performance.now() - t0);
    b.end();
    if (count !== ROWS) throw new Error(`read ${count} rows`);
  },
});

globalThis.addEventListener("unload", () => {
  // readDb stays open: closing a native instance while the runtime shuts down crashes DuckDB
  // (exit 139), and the process is ending anyway.
  Deno.removeSync(tempDir, { recursive: true });
  console.log("\nevents/s (median of measured iterations, 100k rows each):");
  for (const [name, values] of timings) {
    const sorted = values.toSorted((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)];
    const rate = Math.round(ROWS / (median / 1000));
    console.log(`  ${name.padEnd(48)} ${rate.toLocaleString("en-US").padStart(12)} events/s`);
  }
});
