/**
 * One timed ingest run for `ingest_compare.ts`: 100k synthetic logs decoded and written with
 * `writeIngestChunk` in 10k-log chunks, one chunk after another, into a fresh DuckDB file (in
 * process or in a worker) or memory, using the code of the checkout at `root`. Prints
 * `{"eventsPerSecond": n}`.
 *
 * `deno run -A --config <root>/deno.json bench/_ingest_run.ts <root> [file|worker|memory]`
 *
 * @module
 */
const LOGS = 100_000;
const CHUNK = 10_000;

const root = Deno.args[0];
const target = Deno.args[1] ?? "file";
if (root === undefined) {
  throw new Error("usage: _ingest_run.ts <checkout root> [file|worker|memory]");
}
const at = (path: string) => new URL(path, `file://${root.replace(/\/?$/, "/")}`).href;

const { migrate } = await import(at("src/db/mod.ts"));
const { openDuckDbFile, openDuckDbMemory } = await import(at("src/db/native.ts"));
const { openDuckDbFileInWorker } = await import(at("src/db/worker.ts"));
const { writeIngestChunk } = await import(at("src/ingest/mod.ts"));
const { chunkOf, decode, makeRpcLogs } = await import(at("bench/_synthetic_logs.ts"));

const dir = Deno.makeTempDirSync({ prefix: "vraindex-ingest-run-" });
try {
  const db = target === "memory"
    ? await openDuckDbMemory()
    : target === "worker"
    ? await openDuckDbFileInWorker(`${dir}/run.duckdb`)
    : await openDuckDbFile(`${dir}/run.duckdb`);
  await migrate(db);
  const started = performance.now();
  for (let c = 0; c < LOGS / CHUNK; c++) {
    await writeIngestChunk(db, chunkOf(decode(makeRpcLogs(c * CHUNK, CHUNK))));
  }
  const ms = performance.now() - started;
  await db.close();
  console.log(JSON.stringify({ eventsPerSecond: Math.round(LOGS / (ms / 1000)) }));
} finally {
  Deno.removeSync(dir, { recursive: true });
}
