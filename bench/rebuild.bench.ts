/**
 * Rebuild throughput: a VirtualRaindex rebuilt from 100k stored synthetic events (the ingest
 * bench's generator in its rebuild mix: order adds, deposits, takes with their contexts and store
 * Sets, withdrawals), stored first with `writeIngestChunk` in a DuckDB file. The timed part is
 * `replayStoredEvents`: read in (block, logIndex) order → decode → `eventsToMutations` →
 * `applyMutations` into a fresh engine — with the file opened in process (`openDuckDbFile`) and in
 * a worker thread (`openDuckDbFileInWorker`, reads running ahead while the engine works). Target:
 * ≥ 100k events/s. Run with `deno bench -A bench/rebuild.bench.ts`; per back end the best and
 * median of several rebuilds, where the time went and the target line are printed before Deno's
 * per-case table.
 */
import { type Db, migrate, readEventsOrdered } from "../src/db/mod.ts";
import { openDuckDbFile } from "../src/db/native.ts";
import { openDuckDbFileInWorker } from "../src/db/worker.ts";
import { createVirtualRaindex, type VirtualRaindex } from "../src/engine/mod.ts";
import { replayStoredEvents, writeIngestChunk } from "../src/ingest/mod.ts";
import { parse } from "../src/float/mod.ts";
import { chunkOf, decode, makeRpcLogs, OB } from "./_synthetic_logs.ts";

const EVENTS = 100_000;
const CHUNK = 10_000;
const TARGET = 100_000;
const RUNS = 7;
type Run = { ms: number; result: Awaited<ReturnType<typeof replayStoredEvents>> };

function freshEngine(): VirtualRaindex {
  // Replaying history evaluates nothing: a host that refuses is enough.
  const host = {
    eval4: () => Promise.reject(new Error("the rebuild bench evaluates nothing")),
    evalMany: () => Promise.resolve([]),
  };
  return createVirtualRaindex({ orderbook: OB, chainId: 1n, host });
}

const scratch = Deno.makeTempDirSync({ prefix: "vraindex-rebuild-bench-" });
const path = `${scratch}/rebuild.duckdb`;
{
  const writer = await openDuckDbFile(path);
  await migrate(writer);
  for (let c = 0; c < EVENTS / CHUNK; c++) {
    const logs = makeRpcLogs(c * CHUNK, CHUNK, { withOrders: true });
    await writeIngestChunk(writer, chunkOf(decode(logs), parse("1000")));
  }
  await writer.close();
}

async function rebuild(db: Db, source: "typed" | "raw"): Promise<Run> {
  const engine = freshEngine();
  const started = performance.now();
  const result = await replayStoredEvents(db, engine, {
    chainId: 1,
    orderbook: OB,
    version: "v5",
    source,
  });
  return { ms: performance.now() - started, result };
}

const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
const show = (n: number) => n.toLocaleString("en").padStart(9);
const figures: Record<string, { best: number; median: number }> = {};

for (
  const [name, open] of [["in process", openDuckDbFile], [
    "worker",
    openDuckDbFileInWorker,
  ]] as const
) {
  const db = await open(path);
  // Warm-up: JIT and DuckDB caches.
  await rebuild(db, "typed");
  await rebuild(db, "raw");
  // The two sources alternate, so a slow spell of the machine hits both alike.
  const runs: Record<"typed" | "raw", Run[]> = { typed: [], raw: [] };
  for (let r = 0; r < RUNS; r++) {
    runs.typed.push(await rebuild(db, "typed"));
    runs.raw.push(await rebuild(db, "raw"));
  }
  await db.close();
  for (const source of ["typed", "raw"] as const) {
    const sorted = [...runs[source]].sort((a, b) => a.ms - b.ms);
    const best = sorted[0];
    const median = sorted[Math.floor(RUNS / 2)];
    const { events, blocks, mutations, timings } = best.result;
    const key = `${name}/${source}`;
    figures[key] = { best: rate(events, best.ms), median: rate(events, median.ms) };
    console.log(
      `rebuild of ${events.toLocaleString("en")} stored events (${blocks} blocks, ${mutations} ` +
        `mutations), file ${name}, from the ${source} ${
          source === "typed" ? "tables" : "logs"
        }, ${RUNS} runs:`,
    );
    console.log(
      `  best ${show(figures[key].best)} events/s, median ${show(figures[key].median)}`,
    );
    console.log(
      `  best run's time: waiting for reads ${timings.read.toFixed(0)} ms, ${
        source === "typed" ? "records → events" : "decode"
      } ${timings.decode.toFixed(0)} ms, eventsToMutations ${
        timings.mutations.toFixed(0)
      } ms, applyMutations ${timings.apply.toFixed(0)} ms`,
    );
  }
  const typed = figures[`${name}/typed`];
  const raw = figures[`${name}/raw`];
  console.log(
    `  typed tables vs raw logs (baseline), file ${name}: median ${
      (typed.median / raw.median).toFixed(2)
    }×, best ${(typed.best / raw.best).toFixed(2)}×`,
  );
}
for (const name of ["in process", "worker"]) {
  const { best, median } = figures[`${name}/typed`];
  console.log(
    `  target ≥ ${TARGET.toLocaleString("en")} events/s (default source, file ${name}): best ${
      best.toLocaleString("en")
    } (${(best / TARGET).toFixed(2)}×), median ${median.toLocaleString("en")} (${
      (median / TARGET).toFixed(2)
    }×) ${median >= TARGET ? "MET" : best >= TARGET ? "MET at best, not at median" : "NOT MET"}`,
  );
}

const db: Db = await openDuckDbFile(path);
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
  name: "rebuild a VirtualRaindex from 100k stored events (typed tables)",
  group: "rebuild",
  n: 3,
  fn: async () => {
    await replayStoredEvents(db, freshEngine(), { chainId: 1, orderbook: OB, version: "v5" });
  },
});

Deno.bench({
  name: "rebuild a VirtualRaindex from 100k stored events (raw logs)",
  group: "rebuild",
  n: 3,
  fn: async () => {
    await replayStoredEvents(db, freshEngine(), {
      chainId: 1,
      orderbook: OB,
      version: "v5",
      source: "raw",
    });
  },
});

globalThis.addEventListener("unload", () => {
  // The database stays open: closing a native instance while the runtime shuts down crashes
  // DuckDB, and the process is ending anyway.
  Deno.removeSync(scratch, { recursive: true });
});
