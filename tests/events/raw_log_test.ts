import assert from "node:assert/strict";
import { parseRawLog, parseRawLogs, rawLogToJson } from "../../src/events/mod.ts";
import { ALICE, makeLog, throwsNamed, TOKEN_A, w } from "./_logs.ts";

const log = makeLog("DepositV2", [ALICE, TOKEN_A, w(1), 7n], { blockNumber: 123n, logIndex: 4 });

Deno.test("raw logs at the edge", async (t) => {
  await t.step("JSON round trip (decimal strings)", () => {
    const json = JSON.parse(JSON.stringify(rawLogToJson(log)));
    assert.equal(json.blockNumber, "123");
    assert.equal(json.timestamp, String(log.timestamp));
    assert.deepEqual(parseRawLog(json), log);
  });
  await t.step("RPC form: 0x quantities and blockTimestamp", () => {
    const rpc = {
      ...rawLogToJson(log),
      blockNumber: "0x7b",
      logIndex: "0x4",
      transactionIndex: "0x0",
      timestamp: undefined,
      blockTimestamp: "0x10",
    };
    const parsed = parseRawLog(rpc);
    assert.equal(parsed.blockNumber, 123n);
    assert.equal(parsed.logIndex, 4);
    assert.equal(parsed.timestamp, 16n);
  });
  await t.step("no timestamp stays absent", () => {
    const { timestamp: _, ...rest } = rawLogToJson(log);
    assert.equal("timestamp" in parseRawLog(rest), false);
  });
  await t.step("bad fields name their path", () => {
    const bad = [rawLogToJson(log), { ...rawLogToJson(log), topics: ["0x12"] }];
    const error = throwsNamed(() => parseRawLogs(bad), "InvalidRawLogError");
    assert.equal(error.details.path, "1.topics.0");
    throwsNamed(
      () => parseRawLog({ ...rawLogToJson(log), blockNumber: "-1" }),
      "InvalidRawLogError",
    );
    throwsNamed(() => parseRawLog({ ...rawLogToJson(log), logIndex: 1.5 }), "InvalidRawLogError");
    throwsNamed(() => parseRawLog({ ...rawLogToJson(log), data: "0x123" }), "InvalidRawLogError");
    throwsNamed(() => parseRawLog(null), "InvalidRawLogError");
  });
});
