/**
 * `deno task sync` (src/cli/sync.ts): flag and config-file parsing, a subprocess sync, a sync
 * killed with SIGKILL mid-way and resumed (same rows as an uninterrupted one), and typed errors
 * with a non-zero exit.
 */
import assert from "node:assert/strict";
import { parseSyncArgs } from "../../src/cli/config.ts";
import { formatProgress, runSyncCli } from "../../src/cli/sync.ts";
import { type Db, migrate, readCursor } from "../../src/db/mod.ts";
import { openDuckDbFile } from "../../src/db/native.ts";
import { SyncConfigError } from "../../src/ingest/mod.ts";
import { startAnvil } from "../_helpers/anvil.ts";
import { assertSameDump, dumpDb } from "./_dump.ts";
import { startFaultProxyReady } from "./_proxy.ts";
import { runScenario } from "./_scenario.ts";

const cli = new URL("../../src/cli/sync.ts", import.meta.url).pathname;
const config = new URL("../../deno.json", import.meta.url).pathname;
const OB = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

function spawnSync(args: string[]): Deno.ChildProcess {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", config, cli, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { CI: "true" },
  }).spawn();
}

async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnSync(args);
  const output = await child.output();
  const decoder = new TextDecoder();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

async function withDb<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const db = await openDuckDbFile(path);
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

Deno.test("parseSyncArgs: flags, config file, errors", async (t) => {
  await t.step("flags", () => {
    const plan = parseSyncArgs([
      "--rpc",
      "http://a:1,http://b:2",
      "--rpc",
      "http://c:3",
      "--orderbook",
      OB.toLowerCase(),
      "--from",
      "10",
      "--to",
      "0x20",
      "--db",
      "x.duckdb",
      "--version",
      "v6",
      "--rps",
      "25",
      "--decimals",
      `${OB}=8`,
    ]);
    assert.notEqual(plan, "help");
    if (plan === "help") return;
    assert.equal(plan.db, "x.duckdb");
    assert.equal(plan.jobs.length, 1);
    const job = plan.jobs[0];
    assert.deepEqual(job.rpc, ["http://a:1", "http://b:2", "http://c:3"]);
    assert.equal(job.orderbook, OB, "checksummed");
    assert.equal(job.version, "v6");
    assert.equal(job.fromBlock, 10n);
    assert.equal(job.toBlock, 32n);
    assert.equal(job.requestsPerSecond, 25);
    assert.deepEqual(job.decimalsOverrides, { [OB.toLowerCase()]: 8 });
  });

  await t.step("config file with several chains and orderbooks", () => {
    const file = {
      db: "multi.duckdb",
      cacheDir: ".cache",
      chains: [
        {
          chainId: 1,
          rpc: ["http://one:1", "http://one:2"],
          finalityDepth: 12,
          concurrency: 2,
          decimalsOverrides: { [OB]: 6 },
          orderbooks: [{ address: OB, fromBlock: 5 }, { address: OB.toLowerCase(), version: "v6" }],
        },
        { rpc: "http://two:1", orderbooks: [{ address: OB, toBlock: "0x10" }] },
      ],
    };
    const plan = parseSyncArgs(["--config", "sync.json"], () => JSON.stringify(file));
    assert.notEqual(plan, "help");
    if (plan === "help") return;
    assert.equal(plan.db, "multi.duckdb");
    assert.equal(plan.cacheDir, ".cache");
    assert.equal(plan.jobs.length, 3);
    assert.deepEqual(plan.jobs.map((j) => [j.chainId, j.version, j.fromBlock, j.toBlock]), [
      [1, "auto", 5n, undefined],
      [1, "v6", undefined, undefined],
      [undefined, "auto", undefined, 16n],
    ]);
    assert.equal(plan.jobs[0].finalityDepth, 12);
    assert.deepEqual(plan.jobs[0].rpc, ["http://one:1", "http://one:2"]);
    assert.deepEqual(plan.jobs[2].rpc, ["http://two:1"]);
  });

  await t.step("invalid input is a SyncConfigError naming the field", () => {
    const cases: [string[], RegExp][] = [
      [["--rpc", "http://a:1"], /nothing to sync/],
      [["--orderbook", OB], /--rpc is required/],
      [["--rpc", "ftp://x", "--orderbook", OB], /--rpc/],
      [["--rpc", "http://a:1", "--orderbook", "0x12"], /--orderbook/],
      [["--rpc", "http://a:1", "--orderbook", OB, "--version", "v4"], /--version/],
      [["--rpc", "http://a:1", "--orderbook", OB, "--from", "-1"], /invalid arguments/],
      [["--bogus"], /invalid arguments/],
    ];
    for (const [args, pattern] of cases) {
      assert.throws(() => parseSyncArgs(args), (error: unknown) => {
        assert.ok(error instanceof SyncConfigError, `${args.join(" ")}: ${error}`);
        assert.match(error.message, pattern);
        return true;
      });
    }
    assert.throws(
      () => parseSyncArgs(["--config", "c.json"], () => JSON.stringify({ chains: [{ rpc: [] }] })),
      (error: unknown) =>
        error instanceof SyncConfigError && /chains\.0\.(rpc|orderbooks)/.test(error.message),
    );
    assert.throws(
      () => parseSyncArgs(["--config", "c.json"], () => "{not json"),
      (error: unknown) => error instanceof SyncConfigError && /not JSON/.test(error.message),
    );
  });

  await t.step("--help", () => {
    assert.equal(parseSyncArgs(["--help"]), "help");
  });
});

Deno.test("deno task sync: subprocess, kill -9 and resume, errors", async (t) => {
  const anvil = await startAnvil();
  const dir = await Deno.makeTempDir({ prefix: "vraindex-cli-" });
  try {
    const scenario = await runScenario(anvil, 12);
    const head = await anvil.publicClient.getBlockNumber();
    const whole = `${dir}/whole.duckdb`;

    await t.step("an uninterrupted sync", async () => {
      const result = await runCli([
        "--rpc",
        anvil.url,
        "--orderbook",
        scenario.ob,
        "--db",
        whole,
        "--log-window",
        "4",
      ]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        new RegExp(
          `synced ${scenario.ob} \\(v5, detected\\) on chain 31337: blocks \\d+\\.\\.${head}`,
        ),
      );
      assert.equal(result.stderr, "", "quiet in CI: no progress output");
    });

    await t.step("killed with SIGKILL mid-way, then resumed: same rows", async () => {
      const killed = `${dir}/killed.duckdb`;
      const proxy = await startFaultProxyReady(anvil.url, { everyRequestDelayMs: 10 });
      try {
        const child = spawnSync([
          "--rpc",
          proxy.url,
          "--orderbook",
          scenario.ob,
          "--db",
          killed,
          "--log-window",
          "4",
          "--max-log-window",
          "4",
          "--concurrency",
          "1",
        ]);
        // Wait (bounded) until several chunks went by, then kill without warning.
        const deadline = Date.now() + 60_000;
        let exited = false;
        child.status.then(() => exited = true);
        while (
          !exited && (proxy.counts.get("eth_getLogs") ?? 0) < 16 && Date.now() < deadline
        ) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(exited, false, "the sync was still running when it was to be killed");
        child.kill("SIGKILL");
        const status = await child.status;
        await child.stdout.cancel();
        await child.stderr.cancel();
        assert.equal(status.success, false);
        assert.equal(status.signal, "SIGKILL");
      } finally {
        await proxy.close();
      }
      const cursor = await withDb(killed, (db) => readCursor(db, 31337, scenario.ob));
      assert.ok(cursor !== null, "some chunks were committed before the kill");
      assert.ok(
        cursor.blockNumber < head,
        `killed mid-way (cursor ${cursor.blockNumber} < ${head})`,
      );

      const resumed = await runCli([
        "--rpc",
        anvil.url,
        "--orderbook",
        scenario.ob,
        "--db",
        killed,
      ]);
      assert.equal(resumed.code, 0, resumed.stderr);
      assert.match(resumed.stdout, new RegExp(`blocks ${cursor.blockNumber + 1n}\\.\\.${head}`));
      const [a, b] = [await withDb(whole, dumpDb), await withDb(killed, dumpDb)];
      assertSameDump(b, a);
    });

    await t.step("progress lines: blocks done/total, events/s, ETA", async () => {
      const lines: string[] = [];
      const out: string[] = [];
      const code = await runSyncCli(
        [
          "--rpc",
          anvil.url,
          "--orderbook",
          scenario.ob,
          "--db",
          `${dir}/progress.duckdb`,
          "--max-log-window",
          "8",
        ],
        { out: (l) => out.push(l), err: (l) => out.push(l), progress: (l) => lines.push(l) },
      );
      assert.equal(code, 0, out.join("\n"));
      const shown = lines.filter((l) => l !== "");
      assert.ok(shown.length > 3, `${shown.length} progress lines`);
      const total = head - scenario.deployBlock + 1n;
      assert.match(
        shown[0],
        new RegExp(`^blocks 8/${total} \\(\\d+\\.\\d%\\) · \\d+ events · \\d+ ev/s · ETA \\d+s$`),
      );
      assert.match(shown[shown.length - 1], new RegExp(`^blocks ${total}/${total} \\(100\\.0%\\)`));
      assert.equal(
        formatProgress({
          chainId: 1,
          orderbook: scenario.ob,
          fromBlock: 0n,
          toBlock: 99n,
          cursor: 49n,
          blocksDone: 50n,
          blocksTotal: 100n,
          events: 10,
          eventsPerSecond: 5,
          etaSeconds: 2.2,
        }),
        "blocks 50/100 (50.0%) · 10 events · 5 ev/s · ETA 3s",
      );
    });

    await t.step("a config file drives the same sync", async () => {
      const path = `${dir}/sync.json`;
      const viaConfig = `${dir}/config.duckdb`;
      await Deno.writeTextFile(
        path,
        JSON.stringify({
          db: viaConfig,
          chains: [{ chainId: 31337, rpc: [anvil.url], orderbooks: [{ address: scenario.ob }] }],
        }),
      );
      const result = await runCli(["--config", path]);
      assert.equal(result.code, 0, result.stderr);
      assertSameDump(await withDb(viaConfig, dumpDb), await withDb(whole, dumpDb));
    });

    await t.step("errors print the typed error and exit non-zero", async () => {
      const unreachable = await runCli([
        "--rpc",
        "http://127.0.0.1:9",
        "--orderbook",
        scenario.ob,
        "--db",
        `${dir}/none.duckdb`,
        "--retries",
        "0",
      ]);
      assert.equal(unreachable.code, 1);
      assert.match(
        unreachable.stderr,
        /RpcRequestError: eth_getCode failed at http:\/\/127\.0\.0\.1:9/,
      );

      const wrongChain = await runCli([
        "--rpc",
        anvil.url,
        "--orderbook",
        scenario.ob,
        "--db",
        `${dir}/none.duckdb`,
        "--chain-id",
        "5",
      ]);
      assert.equal(wrongChain.code, 1);
      assert.match(wrongChain.stderr, /SyncConfigError: the node serves chain 31337/);

      const usage = await runCli(["--orderbook", scenario.ob]);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--rpc is required/);
    });
  } finally {
    await anvil.stop();
    await Deno.remove(dir, { recursive: true });
  }
});
