/**
 * `replayStoredEvents`: an engine rebuilt from a DuckDB file equals one fed the same logs straight
 * from memory (decode → eventsToMutations → applyMutations, no database), in one chunk or many.
 */
import assert from "node:assert/strict";
import { migrate } from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import {
  applyMutations,
  createVirtualRaindex,
  snapshot,
  snapshotToJson,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import {
  decodeLogs,
  type DepositAmount,
  eventsToMutations,
  parseRawLogs,
} from "../../src/events/mod.ts";
import { parse } from "../../src/float/mod.ts";
import { replayStoredEvents, writeIngestChunk } from "../../src/ingest/mod.ts";
import { chunkOf, decode, makeRpcLogs, OB } from "../../bench/_synthetic_logs.ts";

function freshEngine(): VirtualRaindex {
  const host = {
    eval4: () => Promise.reject(new Error("nothing is evaluated")),
    evalMany: () => Promise.resolve([]),
  };
  return createVirtualRaindex({ orderbook: OB, chainId: 1n, host });
}

Deno.test("replayStoredEvents rebuilds what the logs say", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "vraindex-rebuild-" });
  const db = await openDuckDbFile(`${dir}/rebuild.duckdb`);
  try {
    await migrate(db);
    const amount = parse("1000");
    const rpcLogs = [0, 1, 2].map((c) => makeRpcLogs(c * 200, 200, { withOrders: true }));
    for (const logs of rpcLogs) await writeIngestChunk(db, chunkOf(decode(logs), amount));

    // The reference: the same logs, never stored. Every deposit's exact amount is `amount`.
    const raw = parseRawLogs(rpcLogs.flat());
    const events = decodeLogs(raw, { orderbook: OB, version: "v5" });
    const depositAmounts = new Map<string, DepositAmount>();
    for (const e of events) {
      if (e.type === "DepositV2") {
        depositAmounts.set(`${e.txHash.toLowerCase()}:${e.logIndex}`, {
          amount,
          source: "calldata",
        });
      }
    }
    const expected = freshEngine();
    // chunkOf stores each block's timestamp as 1_700_000_000 + its number.
    const blocks = new Map(raw.map((l) => [l.blockNumber, 1_700_000_000n + l.blockNumber]));
    const { batches } = eventsToMutations(events, {
      version: "v5",
      orderbook: OB,
      depositAmounts,
      blocks,
    });
    for (const batch of batches) applyMutations(expected, batch.mutations);
    const expectedJson = snapshotToJson(snapshot(expected));

    await t.step("in default chunks", async () => {
      const engine = freshEngine();
      const result = await replayStoredEvents(db, engine, {
        chainId: 1,
        orderbook: OB,
        version: "v5",
      });
      assert.equal(result.events, 600);
      assert.equal(result.blocks, batches.length);
      assert.equal(snapshotToJson(snapshot(engine)), expectedJson);
    });

    await t.step("in chunks smaller than a block", async () => {
      const engine = freshEngine();
      const result = await replayStoredEvents(db, engine, {
        chainId: 1,
        orderbook: OB,
        version: "v5",
        chunkSize: 7,
      });
      assert.equal(result.events, 600);
      assert.equal(snapshotToJson(snapshot(engine)), expectedJson);
    });

    await t.step("up to a block", async () => {
      const engine = freshEngine();
      const result = await replayStoredEvents(db, engine, {
        chainId: 1,
        orderbook: OB,
        version: "v5",
        toBlock: 30n,
      });
      assert.equal(result.events, 300, "10 logs a block");
      assert.equal(result.blocks, 30);
    });
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
