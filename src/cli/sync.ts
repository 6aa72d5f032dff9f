/**
 * `deno task sync`: JSON-RPC → DuckDB for one or more orderbooks (see `docs/sync.md`).
 *
 * ```sh
 * deno task sync --rpc http://127.0.0.1:8545 --orderbook 0x… --db raindex.duckdb
 * deno task sync --config sync.json
 * ```
 *
 * @module
 */
import type { Hex } from "viem";
import { detectOrderbookVersion } from "../abi/mod.ts";
import { migrate } from "../db/mod.ts";
import { openDuckDbFileInWorker } from "../db/worker.ts";
import { VraindexError } from "../errors/mod.ts";
import {
  createFileRpcCache,
  createRpcClient,
  syncOrderbook,
  type SyncOrderbookResult,
  type SyncProgress,
} from "../ingest/mod.ts";
import { parseSyncArgs, SYNC_USAGE, type SyncPlan } from "./config.ts";

/** Where progress and results go; stdout/stderr by default. */
export type SyncCliIo = {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Rewrites the current progress line (TTY only). */
  progress?: (line: string) => void;
};

/**
 * Runs `deno task sync` with `args`; resolves the exit code (0 done, 1 failed, 2 bad usage).
 *
 * @example
 * ```ts
 * import { runSyncCli } from "./sync.ts";
 * const code = await runSyncCli(["--help"]);
 * console.log(code); // 0
 * ```
 */
export async function runSyncCli(args: readonly string[], io?: SyncCliIo): Promise<number> {
  const out = io?.out ?? ((line: string) => console.log(line));
  const err = io?.err ?? ((line: string) => console.error(line));
  let plan: SyncPlan | "help";
  try {
    plan = parseSyncArgs(args);
  } catch (error) {
    err(`vraindex sync: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (plan === "help") {
    out(SYNC_USAGE);
    return 0;
  }
  const interactive = !plan.quiet && Deno.stderr.isTerminal() && !Deno.env.get("CI");
  const encoder = new TextEncoder();
  const progress = io?.progress ??
    (interactive
      ? (line: string) => Deno.stderr.writeSync(encoder.encode(`\r\x1b[2K${line}`))
      : undefined);

  let db;
  try {
    // DuckDB works on a thread of its own while this one fetches and decodes the next chunk.
    db = await openDuckDbFileInWorker(plan.db);
  } catch (error) {
    err(`vraindex sync: cannot open ${plan.db}: ${describe(error)}`);
    return 1;
  }
  try {
    await migrate(db);
    for (const job of plan.jobs) {
      const rpc = createRpcClient({
        urls: job.rpc,
        ...(job.retries === undefined ? {} : { retries: job.retries }),
        ...(job.timeoutMs === undefined ? {} : { timeoutMs: job.timeoutMs }),
        ...(job.requestsPerSecond === undefined
          ? {}
          : { requestsPerSecond: job.requestsPerSecond }),
        ...(job.concurrency === undefined ? {} : { concurrency: job.concurrency }),
        ...(plan.cacheDir === undefined ? {} : { cache: createFileRpcCache(plan.cacheDir) }),
      });
      const started = Date.now();
      // One eth_getCode tells IOrderBookV5 from IRaindexV6 by the selectors its code dispatches.
      const version = job.version === "auto"
        ? await detectOrderbookVersion({
          getCode: ({ address }) => rpc.request<Hex>("eth_getCode", [address, "latest"]),
        }, job.orderbook)
        : job.version;
      const result: SyncOrderbookResult = await syncOrderbook(rpc, db, {
        orderbook: job.orderbook,
        version,
        ...(job.chainId === undefined ? {} : { chainId: job.chainId }),
        ...(job.fromBlock === undefined ? {} : { fromBlock: job.fromBlock }),
        ...(job.toBlock === undefined ? {} : { toBlock: job.toBlock }),
        ...(job.confirmations === undefined ? {} : { confirmations: BigInt(job.confirmations) }),
        ...(job.finalityDepth === undefined ? {} : { finalityDepth: BigInt(job.finalityDepth) }),
        ...(job.reorgDepth === undefined ? {} : { reorgDepth: job.reorgDepth }),
        ...(job.decimalsOverrides === undefined
          ? {}
          : { decimalsOverrides: job.decimalsOverrides }),
        window: {
          ...(job.logWindow === undefined ? {} : { initial: BigInt(job.logWindow) }),
          ...(job.maxLogWindow === undefined ? {} : { max: BigInt(job.maxLogWindow) }),
        },
        ...(job.concurrency === undefined ? {} : { concurrency: job.concurrency }),
        ...(progress ? { onProgress: (p: SyncProgress) => progress(formatProgress(p)) } : {}),
        onReorg: (r) => err(`reorg: rolled back to block ${r.forkBlock} (cursor was ${r.cursor})`),
      });
      if (progress) progress("");
      if (interactive) Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
      const seconds = (Date.now() - started) / 1000;
      out(
        `synced ${result.orderbook} (${version}${job.version === "auto" ? ", detected" : ""}) ` +
          `on chain ${result.chainId}: blocks ${result.fromBlock}..${result.cursor}, ` +
          `${result.orderbookEvents} orderbook events, ${result.storeEvents} store sets, ` +
          `${result.deposits} deposits (${result.inexactDeposits} inexact), ${result.chunks} chunks, ` +
          `${seconds.toFixed(1)} s, ${rpc.stats.requests} requests, ${rpc.stats.retries} retries` +
          (result.partial ? " [partial: history starts after deployment]" : ""),
      );
      // Drift between the token model (V6 vaultless orders) and the chain is reported, never hidden.
      for (const d of result.tokenDrift) {
        err(
          `token drift at block ${d.blockNumber}: ${d.kind} of ${d.account} in ${d.token}: ` +
            `model ${d.model ?? "unseeded"}, chain ${d.chain}`,
        );
      }
    }
    return 0;
  } catch (error) {
    err(`vraindex sync: ${describe(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

/**
 * One progress line: blocks done/total, events/s, ETA.
 *
 * @example
 * ```ts
 * import { formatProgress } from "./sync.ts";
 * console.log(formatProgress({
 *   chainId: 1, orderbook: "0x0000000000000000000000000000000000000001", fromBlock: 0n,
 *   toBlock: 99n, cursor: 49n, blocksDone: 50n, blocksTotal: 100n, events: 10,
 *   eventsPerSecond: 5, etaSeconds: 2,
 * }));
 * ```
 */
export function formatProgress(p: SyncProgress): string {
  const pct = p.blocksTotal === 0n ? 100 : Number((p.blocksDone * 1000n) / p.blocksTotal) / 10;
  const eta = p.etaSeconds === null ? "?" : `${Math.ceil(p.etaSeconds)}s`;
  return `blocks ${p.blocksDone}/${p.blocksTotal} (${pct.toFixed(1)}%) · ${p.events} events · ` +
    `${p.eventsPerSecond.toFixed(0)} ev/s · ETA ${eta}`;
}

function describe(error: unknown): string {
  if (error instanceof VraindexError) return `${error.name}: ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

if (import.meta.main) {
  Deno.exit(await runSyncCli(Deno.args));
}
