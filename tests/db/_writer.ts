/**
 * Subprocess used by native_test.ts: writes a known history into a DuckDB file and exits, so another
 * process can check that everything reached the file.
 *
 * Usage: deno run -A tests/db/_writer.ts <path> <blocks>
 */
import { migrate, upsertErc20Token, writeSyncBatch } from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import { addr, b32, makeRawEvents, ORDERBOOK } from "./_fixtures.ts";

const [path, blocksArg] = Deno.args;
const blocks = BigInt(blocksArg);
const db = await openDuckDbFile(path);
try {
  await migrate(db);
  await writeSyncBatch(db, {
    rawEvents: makeRawEvents({
      chainId: 1,
      fromBlock: 1n,
      toBlock: blocks,
      perBlock: 4,
      mix: true,
    }),
    cursor: {
      chainId: 1,
      orderbook: ORDERBOOK,
      blockNumber: blocks,
      blockHash: b32(blocks * 1000n),
    },
  });
  await upsertErc20Token(db, {
    chainId: 1,
    address: addr(0x70c),
    decimals: 6,
    decimalsStatus: "ok",
    symbol: "USDC",
    name: "USD Coin",
  });
} finally {
  await db.close();
}
console.log("written");
