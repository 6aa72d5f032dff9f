import { migrate } from "../src/db/mod.ts";
import { openDuckDbFile } from "../src/db/native.ts";
import { writeIngestChunk } from "../src/ingest/mod.ts";
import { chunkOf, decode, makeRpcLogs } from "../bench/_synthetic_logs.ts";
const scratch = Deno.makeTempDirSync();
const out: Record<string, number[]> = { pk: [], nopk: [] };
for (let k = 0; k < 3; k++) for (const nopk of [false, true]) {
  const db = await openDuckDbFile(`${scratch}/${nopk}-${k}.duckdb`);
  await migrate(db);
  if (nopk) for (const t of ["raw_events", "blocks", "order_events", "takes", "clears", "deposits", "withdrawals", "store_sets", "contexts", "meta_events"]) await db.exec(`CREATE TABLE ${t}_x AS SELECT * FROM ${t} LIMIT 0; DROP TABLE ${t}; ALTER TABLE ${t}_x RENAME TO ${t}`);
  // warm: first 100k, then measure the next 100k (as the bench's file case after the memory case)
  for (let c = 0; c < 10; c++) await writeIngestChunk(db, chunkOf(decode(makeRpcLogs(c * 10000, 10000))));
  const t = performance.now();
  for (let c = 10; c < 20; c++) await writeIngestChunk(db, chunkOf(decode(makeRpcLogs(c * 10000, 10000))));
  out[nopk ? "nopk" : "pk"].push(Math.round(100000 / (performance.now() - t) * 1000));
  await db.close();
}
console.log(JSON.stringify(out));
