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
import {
  replayStoredEvents,
  type ReplayStoredEventsParameters,
  writeIngestChunk,
} from "../../src/ingest/mod.ts";
import { chunkOf, decode, makeRpcLogs, OB } from "../../bench/_synthetic_logs.ts";
import { assertSameReplay, taggedBigints } from "./_same_replay.ts";

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

    const expectedBatches = batches.map((b) => ({
      ...b,
      mutations: JSON.stringify(b.mutations, taggedBigints),
    }));
    for (const source of ["typed", "raw"] as const) {
      const replay = async (options: Partial<ReplayStoredEventsParameters>) => {
        const engine = freshEngine();
        const result = await replayStoredEvents(db, engine, {
          chainId: 1,
          orderbook: OB,
          version: "v5",
          source,
          ...options,
        });
        return { result, state: snapshotToJson(snapshot(engine)) };
      };

      await t.step(
        `${source}: in default chunks, every block's batch as the logs give it`,
        async () => {
          const seen: unknown[] = [];
          const { result, state } = await replay({
            onBlock: (b) => {
              seen.push({ ...b, mutations: JSON.stringify(b.mutations, taggedBigints) });
            },
          });
          assert.equal(result.events, 600);
          assert.equal(result.blocks, batches.length);
          assert.deepEqual(seen, expectedBatches);
          assert.equal(state, expectedJson);
        },
      );

      await t.step(`${source}: in chunks smaller than a block`, async () => {
        const { result, state } = await replay({ chunkSize: 7 });
        assert.equal(result.events, 600);
        assert.equal(state, expectedJson);
      });

      await t.step(`${source}: up to a block`, async () => {
        const { result } = await replay({ toBlock: 30n });
        assert.equal(result.events, 300, "10 logs a block");
        assert.equal(result.blocks, 30);
      });
    }
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a history whose takes name orders added before it replays as its raw logs", async () => {
  // Stored from block 2 on: every take names the order added in block 1 (nonce 0), which the
  // typed read has not met, so each take's stored config carries it.
  const dir = await Deno.makeTempDir({ prefix: "vraindex-rebuild-partial-" });
  const db = await openDuckDbFile(`${dir}/partial.duckdb`);
  try {
    await migrate(db);
    await writeIngestChunk(
      db,
      chunkOf(decode(makeRpcLogs(10, 290, { withOrders: true })), parse("1000")),
    );
    const same = await assertSameReplay(db, freshEngine, {
      chainId: 1,
      orderbook: OB,
      version: "v5",
      partialHistory: true,
    });
    assert.equal(same.events, 290);
    assert.equal(same.blocks, 29);
    const takes = await db.query<{ n: bigint }>("SELECT count(*) AS n FROM takes");
    assert.equal(takes[0].n, 58n);
  } finally {
    await db.close();
    await Deno.remove(dir, { recursive: true });
  }
});
