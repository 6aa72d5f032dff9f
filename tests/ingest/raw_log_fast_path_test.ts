/**
 * `parseRawLogs`' fast path agrees with the zod schema it shortcuts: the same logs for every input
 * shape the schema accepts, and the same typed error (same field path) for malformed input.
 */
import assert from "node:assert/strict";
import { parseRawLog, parseRawLogs, rawLogSchema } from "../../src/events/mod.ts";

const base = {
  chainId: 1,
  address: "0x00000000000000000000000000000000000000aA",
  blockNumber: "0x10",
  blockHash: `0x${"0a".repeat(32)}`,
  logIndex: "0x1",
  transactionHash: `0x${"11".repeat(32)}`,
  transactionIndex: 0,
  topics: [`0x${"22".repeat(32)}`],
  data: "0xABcd",
};

const accepted: Record<string, unknown>[] = [
  base,
  { ...base, blockNumber: 16, logIndex: 1 },
  { ...base, blockNumber: "16", chainId: "0x1" },
  { ...base, blockNumber: 16n, transactionIndex: 3n },
  { ...base, timestamp: "1700000000" },
  { ...base, blockTimestamp: "0x6553f100" },
  { ...base, timestamp: 5, blockTimestamp: 6 },
  { ...base, topics: [], data: "0x" },
  { ...base, extra: "ignored", removed: false },
  { ...base, logIndex: -0 },
];

const rejected: [string, Record<string, unknown>][] = [
  ["address", { ...base, address: "0x1234" }],
  ["blockNumber", { ...base, blockNumber: -1 }],
  ["blockNumber", { ...base, blockNumber: "0x" }],
  ["blockNumber", { ...base, blockNumber: 1.5 }],
  ["logIndex", { ...base, logIndex: 2 ** 60 }],
  ["logIndex", { ...base, logIndex: `0x${"f".repeat(20)}` }],
  ["topics.0", { ...base, topics: ["0x22"] }],
  ["data", { ...base, data: "0xabc" }],
  ["timestamp", { ...base, timestamp: null }],
  ["blockTimestamp", { ...base, blockTimestamp: "soon" }],
  ["transactionHash", { ...base, transactionHash: undefined }],
];

Deno.test("raw log fast path", async (t) => {
  await t.step("accepted inputs give what the zod schema gives", () => {
    for (const input of accepted) {
      assert.deepEqual(parseRawLog(input), rawLogSchema.parse(input));
    }
    assert.deepEqual(parseRawLogs(accepted), accepted.map((input) => rawLogSchema.parse(input)));
  });

  await t.step("malformed inputs give the schema's error and path", () => {
    for (const [path, input] of rejected) {
      assert.equal(rawLogSchema.safeParse(input).success, false, path);
      assert.throws(() => parseRawLog(input), (error: Error & { details?: { path?: string } }) => {
        assert.equal(error.name, "InvalidRawLogError");
        assert.equal(error.details?.path, path);
        return true;
      });
      // In an array, after clean logs: the index leads the path.
      assert.throws(
        () => parseRawLogs([base, base, input]),
        (error: Error & { details?: { path?: string } }) => {
          assert.equal(error.details?.path, `2.${path}`);
          return true;
        },
      );
    }
    assert.throws(() => parseRawLogs({ not: "an array" }), { name: "InvalidRawLogError" });
    assert.throws(() => parseRawLog(null), { name: "InvalidRawLogError" });
  });
});
