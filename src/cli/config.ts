/**
 * Configuration of `deno task sync`: command-line flags and an optional JSON config file (several
 * chains and orderbooks, RPC lists, limits, finality depth, decimals overrides), validated with zod
 * and merged into a list of sync jobs (flags win over the file).
 *
 * @module
 */
import { parseArgs } from "node:util";
import { getAddress, isAddress } from "viem";
import { z } from "zod";
import { SyncConfigError, type SyncConfigError as SyncConfigErrorType } from "../ingest/mod.ts";

const address = z.string().refine((v) => isAddress(v, { strict: false }), "not an address")
  .transform((v) => getAddress(v));
const block = z.union([
  z.number().int().nonnegative(),
  z.string().regex(/^(?:[0-9]+|0x[0-9a-fA-F]+)$/, "not a block number"),
]).transform((v) => BigInt(v));
const url = z.string().regex(/^https?:\/\/\S+$/, "not an http(s) URL");

const limitsShape = {
  requestsPerSecond: z.number().positive().optional(),
  concurrency: z.number().int().min(1).max(64).optional(),
  retries: z.number().int().min(0).max(50).optional(),
  timeoutMs: z.number().int().min(100).optional(),
  finalityDepth: z.number().int().min(0).optional(),
  reorgDepth: z.number().int().min(1).optional(),
  confirmations: z.number().int().min(0).optional(),
  logWindow: z.number().int().min(1).optional(),
  maxLogWindow: z.number().int().min(1).optional(),
  decimalsOverrides: z.record(z.string(), z.number().int().min(0).max(255)).optional(),
};

const orderbookEntry = z.object({
  address,
  version: z.enum(["v5", "v6", "auto"]).default("auto"),
  fromBlock: block.optional(),
  toBlock: block.optional(),
});

const chainEntry = z.object({
  chainId: z.number().int().positive().optional(),
  rpc: z.union([url, z.array(url).min(1)]).transform((v) => typeof v === "string" ? [v] : v),
  orderbooks: z.array(orderbookEntry).min(1),
  ...limitsShape,
});

/**
 * zod schema of the sync config file (see `docs/sync.md`).
 *
 * @example
 * ```ts
 * import { syncConfigFileSchema } from "./config.ts";
 * const ok = syncConfigFileSchema.safeParse({
 *   chains: [{ rpc: "http://127.0.0.1:8545", orderbooks: [{ address: "0x5FbDB2315678afecb367f032d93F642f64180aa3" }] }],
 * });
 * console.log(ok.success); // true
 * ```
 */
export const syncConfigFileSchema: z.ZodType<SyncConfigFile, unknown> = z.object({
  db: z.string().min(1).optional(),
  cacheDir: z.string().min(1).optional(),
  chains: z.array(chainEntry).min(1),
}).strict() as unknown as z.ZodType<SyncConfigFile, unknown>;

/** Limits and policy of one chain's sync. */
export type SyncLimits = {
  requestsPerSecond?: number;
  concurrency?: number;
  retries?: number;
  timeoutMs?: number;
  finalityDepth?: number;
  reorgDepth?: number;
  confirmations?: number;
  logWindow?: number;
  maxLogWindow?: number;
  decimalsOverrides?: Record<string, number>;
};

/** The config file, as validated. */
export type SyncConfigFile = {
  db?: string;
  cacheDir?: string;
  chains: (SyncLimits & {
    chainId?: number;
    rpc: string[];
    orderbooks: {
      address: `0x${string}`;
      version: "v5" | "v6" | "auto";
      fromBlock?: bigint;
      toBlock?: bigint;
    }[];
  })[];
};

/** One orderbook to sync. */
export type SyncJob = SyncLimits & {
  chainId?: number;
  rpc: string[];
  orderbook: `0x${string}`;
  /** `auto`: read from the orderbook's deployed code when the job runs. */
  version: "v5" | "v6" | "auto";
  fromBlock?: bigint;
  toBlock?: bigint;
};

/** Everything `deno task sync` will do. */
export type SyncPlan = {
  db: string;
  cacheDir?: string;
  quiet: boolean;
  jobs: SyncJob[];
};

/** Errors {@link parseSyncArgs} can raise. */
export type ParseSyncArgsErrorType = SyncConfigErrorType;

/**
 * Usage text of `deno task sync` (printed by `--help` and with usage errors).
 *
 * @example
 * ```ts
 * import { SYNC_USAGE } from "./config.ts";
 * console.log(SYNC_USAGE.split("\n")[0]);
 * ```
 */
export const SYNC_USAGE: string = `Usage: deno task sync --rpc <url> --orderbook <address> [options]
       deno task sync --config <file.json> [options]

  --rpc <url>            JSON-RPC endpoint (repeat for failover)
  --orderbook <address>  orderbook to sync
  --version v5|v6|auto   orderbook interface version (default auto: read from its code)
  --from <block>         first block when nothing is stored (default: deployment block)
  --to <block>           last block (default: head minus --confirmations)
  --db <file>            DuckDB file (default raindex.duckdb)
  --chain-id <id>        expected chain id (checked against the node)
  --config <file>        JSON config: { db?, cacheDir?, chains: [{ chainId?, rpc, orderbooks:
                         [{ address, version?, fromBlock?, toBlock? }], requestsPerSecond?,
                         concurrency?, retries?, timeoutMs?, finalityDepth?, reorgDepth?,
                         confirmations?, logWindow?, maxLogWindow?, decimalsOverrides? }] }
  --cache-dir <dir>      on-disk cache of immutable RPC responses
  --rps <n>              requests per second limit
  --concurrency <n>      requests in flight (default 4)
  --retries <n>          retries on transient errors (default 6)
  --timeout-ms <n>       per-request time-out (default 30000)
  --finality-depth <n>   blocks below head treated as immutable for the cache (default 64)
  --reorg-depth <n>      recent stored blocks compared with the node (default 64)
  --confirmations <n>    stay this many blocks behind head (default 0)
  --log-window <n>       initial eth_getLogs window in blocks (default 2000)
  --max-log-window <n>   largest eth_getLogs window in blocks (default 100000)
  --decimals <token=n>   decimals for a token whose decimals() fails (repeatable)
  --quiet                no progress output
  --help                 this text`;

const flagsSchema = z.object({
  rpc: z.array(url).optional(),
  orderbook: address.optional(),
  version: z.enum(["v5", "v6", "auto"]).optional(),
  from: block.optional(),
  to: block.optional(),
  db: z.string().min(1).optional(),
  "chain-id": z.coerce.number().int().positive().optional(),
  config: z.string().min(1).optional(),
  "cache-dir": z.string().min(1).optional(),
  rps: z.coerce.number().positive().optional(),
  concurrency: z.coerce.number().int().min(1).max(64).optional(),
  retries: z.coerce.number().int().min(0).max(50).optional(),
  "timeout-ms": z.coerce.number().int().min(100).optional(),
  "finality-depth": z.coerce.number().int().min(0).optional(),
  "reorg-depth": z.coerce.number().int().min(1).optional(),
  confirmations: z.coerce.number().int().min(0).optional(),
  "log-window": z.coerce.number().int().min(1).optional(),
  "max-log-window": z.coerce.number().int().min(1).optional(),
  decimals: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}=[0-9]{1,3}$/, "expected <token>=<n>"))
    .optional(),
  quiet: z.boolean().optional(),
  help: z.boolean().optional(),
});

function issuesOf(error: z.ZodError, prefix: string): string[] {
  return error.issues.map((i) => `${prefix}${i.path.join(".") || "(root)"}: ${i.message}`);
}

/**
 * Parses `deno task sync` arguments (and the config file they name) into a plan.
 *
 * @param args Command-line arguments.
 * @param readTextFile How to read the config file (default `Deno.readTextFileSync`).
 * @returns The plan, or `"help"` when `--help` was given.
 * @throws {SyncConfigError} Naming every invalid flag or config field.
 * @example
 * ```ts
 * import { parseSyncArgs } from "./config.ts";
 * const plan = parseSyncArgs([
 *   "--rpc", "http://127.0.0.1:8545",
 *   "--orderbook", "0x5FbDB2315678afecb367f032d93F642f64180aa3",
 * ]);
 * console.log(plan !== "help" && plan.jobs.length); // 1
 * ```
 */
export function parseSyncArgs(
  args: readonly string[],
  readTextFile: (path: string) => string = Deno.readTextFileSync,
): SyncPlan | "help" {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        rpc: { type: "string", multiple: true },
        orderbook: { type: "string" },
        version: { type: "string" },
        from: { type: "string" },
        to: { type: "string" },
        db: { type: "string" },
        "chain-id": { type: "string" },
        config: { type: "string" },
        "cache-dir": { type: "string" },
        rps: { type: "string" },
        concurrency: { type: "string" },
        retries: { type: "string" },
        "timeout-ms": { type: "string" },
        "finality-depth": { type: "string" },
        "reorg-depth": { type: "string" },
        confirmations: { type: "string" },
        "log-window": { type: "string" },
        "max-log-window": { type: "string" },
        decimals: { type: "string", multiple: true },
        quiet: { type: "boolean" },
        help: { type: "boolean" },
      },
    }).values as Record<string, unknown>;
  } catch (error) {
    throw new SyncConfigError(`invalid arguments: ${(error as Error).message}\n\n${SYNC_USAGE}`, {
      issues: [(error as Error).message],
    });
  }
  // `--rpc a,b` is a list too.
  if (Array.isArray(values.rpc)) {
    values.rpc = (values.rpc as string[]).flatMap((v) => v.split(",").filter((s) => s !== ""));
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error, "--");
    throw new SyncConfigError(`invalid arguments: ${issues.join("; ")}`, { issues });
  }
  const flags = parsed.data;
  if (flags.help) return "help";

  const flagLimits: SyncLimits = {
    ...(flags.rps === undefined ? {} : { requestsPerSecond: flags.rps }),
    ...(flags.concurrency === undefined ? {} : { concurrency: flags.concurrency }),
    ...(flags.retries === undefined ? {} : { retries: flags.retries }),
    ...(flags["timeout-ms"] === undefined ? {} : { timeoutMs: flags["timeout-ms"] }),
    ...(flags["finality-depth"] === undefined ? {} : { finalityDepth: flags["finality-depth"] }),
    ...(flags["reorg-depth"] === undefined ? {} : { reorgDepth: flags["reorg-depth"] }),
    ...(flags.confirmations === undefined ? {} : { confirmations: flags.confirmations }),
    ...(flags["log-window"] === undefined ? {} : { logWindow: flags["log-window"] }),
    ...(flags["max-log-window"] === undefined ? {} : { maxLogWindow: flags["max-log-window"] }),
  };
  const flagDecimals = Object.fromEntries(
    (flags.decimals ?? []).map((d) => {
      const [token, n] = d.split("=");
      return [token.toLowerCase(), Number(n)];
    }),
  );
  if (Object.values(flagDecimals).some((n) => n > 255)) {
    throw new SyncConfigError("invalid arguments: --decimals above 255", {
      issues: ["--decimals: above 255"],
    });
  }

  let file: SyncConfigFile | undefined;
  if (flags.config !== undefined) {
    let text: string;
    try {
      text = readTextFile(flags.config);
    } catch (error) {
      throw new SyncConfigError(
        `cannot read config file ${flags.config}: ${(error as Error).message}`,
        { issues: [`config: ${(error as Error).message}`], file: flags.config },
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new SyncConfigError(
        `config file ${flags.config} is not JSON: ${(error as Error).message}`,
        { issues: [`config: ${(error as Error).message}`], file: flags.config },
      );
    }
    const result = syncConfigFileSchema.safeParse(json);
    if (!result.success) {
      const issues = issuesOf(result.error as z.ZodError, "");
      throw new SyncConfigError(
        `config file ${flags.config} is invalid: ${issues.join("; ")}`,
        { issues, file: flags.config },
      );
    }
    file = result.data;
  }

  const jobs: SyncJob[] = [];
  const merge = (limits: SyncLimits): SyncLimits => ({
    ...limits,
    ...flagLimits,
    decimalsOverrides: { ...(limits.decimalsOverrides ?? {}), ...flagDecimals },
  });
  if (flags.orderbook !== undefined) {
    const rpc = flags.rpc ?? file?.chains[0]?.rpc;
    if (rpc === undefined || rpc.length === 0) {
      throw new SyncConfigError("--rpc is required with --orderbook", {
        issues: ["--rpc: required"],
      });
    }
    const chain = file?.chains.find((c) =>
      c.orderbooks.some((o) => o.address.toLowerCase() === flags.orderbook!.toLowerCase())
    );
    jobs.push({
      ...merge(chain ?? {}),
      ...(flags["chain-id"] !== undefined
        ? { chainId: flags["chain-id"] }
        : chain?.chainId !== undefined
        ? { chainId: chain.chainId }
        : {}),
      rpc,
      orderbook: flags.orderbook,
      version: flags.version ?? "auto",
      ...(flags.from === undefined ? {} : { fromBlock: flags.from }),
      ...(flags.to === undefined ? {} : { toBlock: flags.to }),
    });
  } else if (file !== undefined) {
    for (const chain of file.chains) {
      const { orderbooks, rpc, chainId, ...limits } = chain;
      for (const ob of orderbooks) {
        jobs.push({
          ...merge(limits),
          ...(chainId === undefined ? {} : { chainId }),
          rpc: flags.rpc ?? rpc,
          orderbook: ob.address,
          version: flags.version ?? ob.version,
          ...(flags.from ?? ob.fromBlock) === undefined
            ? {}
            : { fromBlock: (flags.from ?? ob.fromBlock) as bigint },
          ...(flags.to ?? ob.toBlock) === undefined
            ? {}
            : { toBlock: (flags.to ?? ob.toBlock) as bigint },
        });
      }
    }
  } else {
    throw new SyncConfigError(
      "nothing to sync: give --orderbook (with --rpc) or --config\n\n" + SYNC_USAGE,
      { issues: ["--orderbook or --config: required"] },
    );
  }
  const cacheDir = flags["cache-dir"] ?? file?.cacheDir;
  return {
    db: flags.db ?? file?.db ?? "raindex.duckdb",
    ...(cacheDir === undefined ? {} : { cacheDir }),
    quiet: flags.quiet ?? false,
    jobs,
  };
}
