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
  await t.step("v6 engines use OrderBookV6's float build; snapshots carry the version", () => {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host, version: "v6" });
    assert.equal(engine.version, "v6");
    assert.equal(engine.float.version, "1cf3969");
    const snap = snapshot(engine);
    assert.equal(snap.orderbookVersion, "v6");
    const copy = fromSnapshot(JSON.parse(JSON.stringify(snap)), { host });
    assert.equal(copy.version, "v6");
    assert.equal(copy.float.version, "1cf3969");
  });
  await t.step("an unknown version is rejected", () => {
    const e = throwsWith(
      () => createVirtualRaindex({ orderbook: ORDERBOOK, host, version: "v7" as never }),
      "EngineVersionNotImplementedError",
    );
    assert.equal(e.details.version, "v7");
  });
  await t.step("bad orderbook address", () => {
    throwsWith(() => createVirtualRaindex({ orderbook: "0x12", host }), "InvalidMutationError");
  });
});
