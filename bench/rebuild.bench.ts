/**
 * Rebuild throughput: a VirtualRaindex rebuilt from 100k stored synthetic events (the ingest
 * bench's generator in its rebuild mix: order adds, deposits, takes with their contexts and store
 * Sets, withdrawals), stored first with `writeIngestChunk` in a DuckDB file. The timed part is
 * `replayStoredEvents`: read in (block, logIndex) order → decode → `eventsToMutations` →
 * `applyMutations` into a fresh engine. Target: ≥ 100k events/s. Run with
 * `deno bench -A bench/rebuild.bench.ts`; the events/s figure, where the time went and the target
 * line are printed before Deno's per-case table.
 */
import { type Db, migrate, readEventsOrdered } from "../src/db/mod.ts";
import { openDuckDbFile } from "../src/db/native.ts";
import { createVirtualRaindex, type VirtualRaindex } from "../src/engine/mod.ts";
import { replayStoredEvents, writeIngestChunk } from "../src/ingest/mod.ts";
import { parse } from "../src/float/mod.ts";
import { chunkOf, decode, makeRpcLogs, OB } from "./_synthetic_logs.ts";

const EVENTS = 100_000;
const CHUNK = 10_000;
const TARGET = 100_000;

function freshEngine(): VirtualRaindex {
  // Replaying history evaluates nothing: a host that refuses is enough.
  const host = {
    eval4: () => Promise.reject(new Error("the rebuild bench evaluates nothing")),
    evalMany: () => Promise.resolve([]),
  };
  return createVirtualRaindex({ orderbook: OB, chainId: 1n, host });
}

const scratch = Deno.makeTempDirSync({ prefix: "vraindex-rebuild-bench-" });
const db: Db = await openDuckDbFile(`${scratch}/rebuild.duckdb`);
await migrate(db);
for (let c = 0; c < EVENTS / CHUNK; c++) {
  const logs = makeRpcLogs(c * CHUNK, CHUNK, { withOrders: true });
  await writeIngestChunk(db, chunkOf(decode(logs), parse("1000")));
}

async function rebuild(): Promise<
  { ms: number; result: Awaited<ReturnType<typeof replayStoredEvents>> }
> {
  const engine = freshEngine();
  const started = performance.now();
  const result = await replayStoredEvents(db, engine, { chainId: 1, orderbook: OB, version: "v5" });
  return { ms: performance.now() - started, result };
}

{
  await rebuild(); // warm-up: JIT and DuckDB caches
  const runs = [await rebuild(), await rebuild(), await rebuild()];
  const best = runs.reduce((a, b) => (a.ms <= b.ms ? a : b));
  const readStarted = performance.now();
  let read = 0;
  for await (const chunk of readEventsOrdered(db, 1, OB)) read += chunk.length;
  const readMs = performance.now() - readStarted;
  const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
  const { events, blocks, mutations, timings } = best.result;
  console.log(
    `rebuild of ${
      events.toLocaleString("en")
    } stored events (${blocks} blocks, ${mutations} mutations), best of 3:`,
  );
  console.log(
    `  read only (readEventsOrdered):  ${
      rate(read, readMs).toLocaleString("en").padStart(9)
    } events/s`,
  );
  console.log(
    `  full rebuild:                   ${
      rate(events, best.ms).toLocaleString("en").padStart(9)
    } events/s`,
  );
  console.log(
    `  time: read ${timings.read.toFixed(0)} ms, decode ${timings.decode.toFixed(0)} ms, ` +
      `eventsToMutations ${timings.mutations.toFixed(0)} ms, applyMutations ${
        timings.apply.toFixed(0)
      } ms`,
  );
  const achieved = rate(events, best.ms);
  console.log(
    `  target ≥ ${TARGET.toLocaleString("en")} events/s: ${achieved.toLocaleString("en")} ` +
      `(${(achieved / TARGET).toFixed(2)}× target) ${achieved >= TARGET ? "MET" : "NOT MET"}`,
  );
}

Deno.bench({
  name: "read 100k stored events in order",
  group: "rebuild",
  baseline: true,
  n: 3,
  fn: async () => {
    for await (const _ of readEventsOrdered(db, 1, OB)) { /* drain */ }
  },
});

Deno.bench({
  name: "rebuild a VirtualRaindex from 100k stored events",
  group: "rebuild",
  n: 3,
  fn: async () => {
    await replayStoredEvents(db, freshEngine(), { chainId: 1, orderbook: OB, version: "v5" });
  },
});

globalThis.addEventListener("unload", () => {
  // The database stays open: closing a native instance while the runtime shuts down crashes
  // DuckDB, and the process is ending anyway.
  Deno.removeSync(scratch, { recursive: true });
});
