/**
 * The typed tables replay as the raw logs do: `replayStoredEvents` from `source: "typed"` and
 * from `source: "raw"` (the logs decoded again) give the same batch at every block and the same
 * engine state.
 */
import assert from "node:assert/strict";
import type { Db } from "../../src/db/mod.ts";
import { snapshot, snapshotToJson, type VirtualRaindex } from "../../src/engine/mod.ts";
import { replayStoredEvents, type ReplayStoredEventsParameters } from "../../src/ingest/mod.ts";

/** A `JSON.stringify` replacer writing bigints as tagged strings (`5n`), so batches compare as text. */
export const taggedBigints = (_key: string, value: unknown): unknown =>
  typeof value === "bigint" ? `${value}n` : value;

/** Replays from both sources into fresh engines and asserts the batches and states are equal. */
export async function assertSameReplay(
  db: Db,
  freshEngine: () => VirtualRaindex,
  parameters: Omit<ReplayStoredEventsParameters, "source" | "onBlock">,
): Promise<{ blocks: number; events: number }> {
  const run = async (source: "typed" | "raw") => {
    const engine = freshEngine();
    const batches: string[] = [];
    const result = await replayStoredEvents(db, engine, {
      ...parameters,
      source,
      onBlock: (batch) => {
        batches.push(JSON.stringify(batch, taggedBigints));
      },
    });
    return { result, batches, state: snapshotToJson(snapshot(engine)) };
  };
  const raw = await run("raw");
  const typed = await run("typed");
  assert.ok(raw.batches.length > 0, "something was replayed");
  assert.equal(typed.batches.length, raw.batches.length, "one batch per block on both");
  for (let i = 0; i < raw.batches.length; i++) {
    assert.equal(typed.batches[i], raw.batches[i], `batch ${i}`);
  }
  assert.equal(typed.state, raw.state);
  assert.equal(typed.result.events, raw.result.events);
  assert.equal(typed.result.mutations, raw.result.mutations);
  return { blocks: raw.batches.length, events: raw.result.events };
}
