/** The anvil test harness itself: start, clients, time control, snapshots, stop by PID. */
import assert from "node:assert/strict";
import { startAnvil } from "../_helpers/anvil.ts";

Deno.test("startAnvil: clients, mine(timestamp), snapshot/revert, stop", async (t) => {
  const anvil = await startAnvil({ chainId: 31_338 });
  try {
    await t.step("answers on its own port with the requested chain id", async () => {
      assert.match(anvil.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.equal(await anvil.publicClient.getChainId(), 31_338);
      assert.equal(anvil.walletClients.length, 5);
      assert.equal(
        anvil.walletClient.account.address,
        "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      );
    });

    await t.step("mine(timestamp) mines one block at that time", async () => {
      const before = await anvil.publicClient.getBlock();
      const timestamp = before.timestamp + 1000n;
      await anvil.mine(timestamp);
      const after = await anvil.publicClient.getBlock();
      assert.equal(after.number, before.number + 1n);
      assert.equal(after.timestamp, timestamp);
    });

    await t.step("revert returns to the snapshot's block", async () => {
      const id = await anvil.snapshot();
      const at = await anvil.publicClient.getBlockNumber();
      await anvil.mine();
      await anvil.mine();
      assert.equal(await anvil.publicClient.getBlockNumber(), at + 2n);
      assert.equal(await anvil.revert(id), true);
      assert.equal(await anvil.publicClient.getBlockNumber(), at);
    });
  } finally {
    await anvil.stop();
  }
  await t.step("after stop the process is gone and stop is idempotent", async () => {
    await anvil.stop();
    assert.throws(() => Deno.kill(anvil.pid, "SIGTERM"));
    await assert.rejects(fetch(anvil.url, { method: "POST", body: "{}" }));
  });
});

Deno.test("startAnvil works with await using", async () => {
  let url = "";
  {
    await using anvil = await startAnvil();
    url = anvil.url;
    assert.equal(typeof (await anvil.publicClient.getBlockNumber()), "bigint");
  }
  await assert.rejects(fetch(url, { method: "POST", body: "{}" }));
});
