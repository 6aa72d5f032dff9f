import assert from "node:assert/strict";
import { createVirtualRaindex, fromSnapshot, getEnv, snapshot } from "../../src/engine/mod.ts";
import { createScriptedHost } from "./_scripted_host.ts";
import { ORDERBOOK, throwsWith } from "./_fixtures.ts";

const host = createScriptedHost({});

Deno.test("createVirtualRaindex: defaults and the version seam", async (t) => {
  await t.step("v5 by default; env defaults", () => {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
    assert.equal(engine.version, "v5");
    assert.deepEqual(getEnv(engine), { chainId: 1n, blockNumber: 0n, timestamp: 0n });
  });
  await t.step("explicit env", () => {
    const engine = createVirtualRaindex({
      orderbook: ORDERBOOK,
      host,
      chainId: 8453n,
      blockNumber: 9n,
      timestamp: 3n,
    });
    assert.deepEqual(getEnv(engine), { chainId: 8453n, blockNumber: 9n, timestamp: 3n });
  });
  await t.step("v6 rules are reserved", () => {
    const e = throwsWith(
      () => createVirtualRaindex({ orderbook: ORDERBOOK, host, version: "v6" }),
      "EngineVersionNotImplementedError",
    );
    assert.equal(e.details.version, "v6");
    const snap = {
      ...snapshot(createVirtualRaindex({ orderbook: ORDERBOOK, host })),
      orderbookVersion: "v6",
    };
    throwsWith(() => fromSnapshot(snap, { host }), "EngineVersionNotImplementedError");
  });
  await t.step("bad orderbook address", () => {
    throwsWith(() => createVirtualRaindex({ orderbook: "0x12", host }), "InvalidMutationError");
  });
});
