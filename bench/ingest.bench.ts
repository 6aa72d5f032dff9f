/**
 * Ingestion throughput without the network: 100k synthetic orderbook and store logs (as
 * `eth_getLogs` returns them) validated, decoded and written with `writeIngestChunk` (every
 * table, cursor in the same transaction) in 10k-log chunks, to an in-memory DuckDB, a file opened
 * in process and a file opened in a worker thread: one chunk after another, then pipelined (the
 * next chunk decoded while the previous one is written). Target: ≥ 50k events/s for decode +
 * insert into a file. Run with `deno bench -A bench/ingest.bench.ts`; the events/s figures and
 * the target line are printed before Deno's per-case table.
 */
import { type Db, migrate } from "../src/db/mod.ts";
import { openDuckDbFile, openDuckDbMemory } from "../src/db/native.ts";
import { openDuckDbFileInWorker } from "../src/db/worker.ts";
import { writeIngestChunk } from "../src/ingest/mod.ts";
import { chunkOf, decode, makeRpcLogs } from "./_synthetic_logs.ts";

const LOGS = 100_000;
const TARGET = 50_000;
const CHUNK = 10_000;
async function decodeAndInsertAll(db: Db, offset: number): Promise<number> {
  const started = performance.now();
  for (let c = 0; c < LOGS / CHUNK; c++) {
    const logs = makeRpcLogs(offset + c * CHUNK, CHUNK);
    await writeIngestChunk(db, chunkOf(decode(logs)));
  }
  return performance.now() - started;
}

/**
 * The same, pipelined as a sync can run it: `writeIngestChunk` builds every row up front and
 * leaves DuckDB working on its own threads, so the next chunk is decoded while the previous one
 * is inserted and committed (chunks still commit one after another, in order).
 */
async function decodeAndInsertPipelined(db: Db, offset: number): Promise<number> {
  const started = performance.now();
  let writing: Promise<void> = Promise.resolve();
  for (let c = 0; c < LOGS / CHUNK; c++) {
    const logs = makeRpcLogs(offset + c * CHUNK, CHUNK);
    const chunk = chunkOf(decode(logs));
    await writing;
    writing = writeIngestChunk(db, chunk);
  }
  await writing;
  return performance.now() - started;
}

// The headline figure: 100k logs end to end, measured once per back end before Deno's per-case
// table (whose cases below use 1k-log iterations so that many iterations fit in memory).
const scratch = Deno.makeTempDirSync({ prefix: "vraindex-ingest-bench-" });
const fileDb = await openDuckDbFile(`${scratch}/bench.duckdb`);
await migrate(fileDb);
const memoryDb = await openDuckDbMemory();
await migrate(memoryDb);
const workerDb = await openDuckDbFileInWorker(`${scratch}/worker.duckdb`);
await migrate(workerDb);
{
  const t0 = performance.now();
  for (let c = 0; c < LOGS / CHUNK; c++) decode(makeRpcLogs(c * CHUNK, CHUNK));
  const decodeMs = performance.now() - t0;
  const memoryMs = await decodeAndInsertAll(memoryDb, 0);
  const fileMs = await decodeAndInsertAll(fileDb, 0);
  const workerMs = await decodeAndInsertAll(workerDb, 0);
  // Fresh blocks for the pipelined runs (above everything written so far).
  const pipedMemoryMs = await decodeAndInsertPipelined(memoryDb, LOGS);
  const pipedFileMs = await decodeAndInsertPipelined(fileDb, LOGS);
  const pipedWorkerMs = await decodeAndInsertPipelined(workerDb, LOGS);
  const stored = await fileDb.query<{ n: bigint }>("SELECT count(*) AS n FROM raw_events");
  const storedByWorker = await workerDb.query<{ n: bigint }>(
    "SELECT count(*) AS n FROM raw_events",
  );
  await workerDb.close();
  const rate = (ms: number) => Math.round(LOGS / (ms / 1000));
  const show = (ms: number) => rate(ms).toLocaleString("en").padStart(8);
  console.log(`ingest, ${LOGS.toLocaleString("en")} logs in ${LOGS / CHUNK} chunks:`);
  console.log(`  decode only (incl. generating the JSON):     ${show(decodeMs)} events/s`);
  console.log(`  decode + insert, in-memory DuckDB:           ${show(memoryMs)} events/s`);
  console.log(`  decode + insert, DuckDB file:                ${show(fileMs)} events/s`);
  console.log(`  decode + insert, DuckDB file in a worker:    ${show(workerMs)} events/s`);
  console.log(`  decode + insert, in-memory, pipelined:       ${show(pipedMemoryMs)} events/s`);
  console.log(`  decode + insert, DuckDB file, pipelined:     ${show(pipedFileMs)} events/s`);
  console.log(`  decode + insert, file in a worker, pipelined:${show(pipedWorkerMs)} events/s`);
  console.log(
    `  rows in raw_events: file ${stored[0].n}, worker's file ${storedByWorker[0].n} ` +
      `(expected ${2 * LOGS} each)`,
  );
  const best = rate(Math.min(fileMs, pipedFileMs, workerMs, pipedWorkerMs));
  console.log(
    `  target ≥ ${TARGET.toLocaleString("en")} events/s into a file: best ` +
      `${best.toLocaleString("en")} (${(best / TARGET).toFixed(2)}× target) ` +
      (best >= TARGET ? "MET" : "NOT MET"),
  );
}

const SMALL = 1_000;
// Each iteration writes new positions (blocks above everything written so far).
let next = 2 * LOGS;

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
    await writeIngestChunk(memoryDb, chunkOf(decode(logs)));
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
    await writeIngestChunk(fileDb, chunkOf(decode(logs)));
    b.end();
  },
});

globalThis.addEventListener("unload", () => {
  Deno.removeSync(scratch, { recursive: true });
});
