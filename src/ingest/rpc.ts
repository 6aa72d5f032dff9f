/**
 * The ingestion layer's JSON-RPC client: several URLs with failover, retries with exponential
 * backoff and full jitter on transient failures, a requests-per-second limit, bounded concurrency,
 * per-request time-outs and an optional cache of immutable responses. Uses only `fetch`,
 * `AbortController` and timers, so it runs in browsers too.
 *
 * @module
 */
import { custom, type CustomTransport } from "viem";
import { RpcRequestError } from "./errors.ts";

/** A cache of immutable RPC responses (code, decimals, finalized logs and blocks). */
export type RpcResponseCache = {
  /** The cached result for `key`, or `undefined`. */
  get(key: string): Promise<unknown | undefined>;
  /** Stores `value` (JSON-safe) under `key`. */
  set(key: string, value: unknown): Promise<void>;
};

/** Options of {@link createRpcClient}. */
export type CreateRpcClientParameters = {
  /** JSON-RPC endpoints, tried in order; a failing one hands over to the next. */
  urls: readonly string[];
  /** Retries after the first attempt on transient failures (default 6). */
  retries?: number;
  /** First backoff in ms (default 100); doubles per attempt, with full jitter. */
  backoffMs?: number;
  /** Largest backoff in ms (default 5 000). */
  maxBackoffMs?: number;
  /** Time-out of one HTTP request in ms (default 30 000). */
  timeoutMs?: number;
  /** Requests started per second, all URLs together (default unlimited). */
  requestsPerSecond?: number;
  /** Requests in flight at once (default 4). */
  concurrency?: number;
  /** Cache of immutable responses, used when a request gives a `cacheKey`. */
  cache?: RpcResponseCache;
  /** `fetch` to use (default the global one). */
  fetch?: typeof fetch;
  /** Random source in [0, 1) for jitter (default `Math.random`). */
  random?: () => number;
  /** Clock for the rate limit and backoff (default `Date.now` and `setTimeout`); tests fake it. */
  clock?: { now(): number; sleep(ms: number): Promise<void> };
};

/** Per-request options of {@link RpcClient.request}. */
export type RpcRequestOptions = {
  /** When set (and the client has a cache), the response is immutable and cached under this key. */
  cacheKey?: string;
  /** The block range the request covers, for error messages. */
  blockRange?: { fromBlock: bigint; toBlock: bigint };
  /**
   * JSON-RPC errors for which this returns true are thrown at once as `rpc-error` without retry
   * (e.g. "too many results" for `eth_getLogs`, which the caller answers by shrinking the range).
   */
  fatal?: (error: { code: number; message: string }) => boolean;
  /** Overrides the client's retry count for this request. */
  retries?: number;
};

/** Counters of one client since it was created. */
export type RpcStats = {
  requests: number;
  retries: number;
  failovers: number;
  cacheHits: number;
  errors: number;
};

/** A JSON-RPC client built by {@link createRpcClient}. */
export type RpcClient = {
  /** Sends one request; resolves the `result` or throws `RpcRequestError`. */
  request<T = unknown>(
    method: string,
    params: readonly unknown[],
    options?: RpcRequestOptions,
  ): Promise<T>;
  /** Counters since creation. */
  readonly stats: Readonly<RpcStats>;
};

/** Errors {@link RpcClient.request} can raise. */
export type RpcRequestErrorType = RpcRequestError;

/** A JSON-RPC error object returned by the node. */
type JsonRpcErrorBody = { code: number; message: string; data?: unknown };

/** A failure worth retrying, with what it was. */
class TransientFailure extends Error {}

/**
 * JSON-RPC error codes and messages that mean "try again" rather than "this is wrong": rate
 * limits, overloaded nodes, internal errors and time-outs reported inside a 200 response.
 */
function isTransientRpcError(error: JsonRpcErrorBody): boolean {
  if (error.code === 429 || error.code === -32005 && /rate|limit exceeded/i.test(error.message)) {
    return true;
  }
  return /timeout|timed out|rate limit|too many requests|temporarily|overloaded|try again|internal error|header not found/i
    .test(error.message);
}

/**
 * Creates a JSON-RPC client over HTTP.
 *
 * @param parameters URLs and the retry, rate, concurrency and cache policy.
 * @returns The client.
 * @example
 * ```ts
 * import { createRpcClient } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"], requestsPerSecond: 50 });
 * const head = await rpc.request<string>("eth_blockNumber", []);
 * console.log(BigInt(head));
 * ```
 */
export function createRpcClient(parameters: CreateRpcClientParameters): RpcClient {
  const urls = [...parameters.urls];
  if (urls.length === 0) throw new TypeError("createRpcClient: at least one URL is required");
  const retries = parameters.retries ?? 6;
  const backoffMs = parameters.backoffMs ?? 100;
  const maxBackoffMs = parameters.maxBackoffMs ?? 5_000;
  const timeoutMs = parameters.timeoutMs ?? 30_000;
  const concurrency = Math.max(1, parameters.concurrency ?? 4);
  const interval = parameters.requestsPerSecond ? 1_000 / parameters.requestsPerSecond : 0;
  const doFetch = parameters.fetch ?? fetch;
  const random = parameters.random ?? Math.random;
  const clock = parameters.clock ?? { now: Date.now, sleep };
  const cache = parameters.cache;
  const stats: RpcStats = { requests: 0, retries: 0, failovers: 0, cacheHits: 0, errors: 0 };

  let urlIndex = 0;
  let nextId = 1;
  let inFlight = 0;
  const waiting: (() => void)[] = [];
  let nextSlot = 0;

  async function acquire(): Promise<void> {
    if (inFlight >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
    inFlight++;
    if (interval > 0) {
      // Reserve the next start slot before sleeping so concurrent callers queue behind it.
      const now = clock.now();
      const slot = Math.max(now, nextSlot);
      nextSlot = slot + interval;
      if (slot > now) await clock.sleep(slot - now);
    }
  }
  function release(): void {
    inFlight--;
    waiting.shift()?.();
  }

  async function attempt(url: string, body: string): Promise<unknown> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      let response: Response;
      try {
        response = await doFetch(url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body,
          signal: controller.signal,
        });
      } catch (error) {
        throw new TransientFailure(
          controller.signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error),
          { cause: error },
        );
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw new TransientFailure(
          controller.signal.aborted ? `timed out after ${timeoutMs} ms` : describe(error),
          { cause: error },
        );
      }
      if (response.status === 429 || response.status >= 500) {
        throw new TransientFailure(`HTTP ${response.status}`);
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        // A body cut short by a dropped connection parses as nothing: the node did answer, the
        // answer was lost, so asking again is right.
        throw new TransientFailure(
          `unparsable body (HTTP ${response.status}, ${text.length} bytes)`,
          { cause: error },
        );
      }
      if (!response.ok && (parsed === null || typeof parsed !== "object")) {
        throw new TransientFailure(`HTTP ${response.status}`);
      }
      return parsed;
    } finally {
      clearTimeout(timer);
    }
  }

  async function request<T>(
    method: string,
    params: readonly unknown[],
    options: RpcRequestOptions = {},
  ): Promise<T> {
    if (options.cacheKey !== undefined && cache) {
      const hit = await cache.get(options.cacheKey);
      if (hit !== undefined) {
        stats.cacheHits++;
        return hit as T;
      }
    }
    const range = options.blockRange;
    const where = range ? ` [${range.fromBlock}, ${range.toBlock}]` : "";
    const fail = (
      message: string,
      url: string,
      kind: "exhausted" | "rpc-error" | "invalid-response",
      attempts: number,
      cause: unknown,
      code?: number,
    ): RpcRequestError => {
      stats.errors++;
      return new RpcRequestError(`${method}${where} failed at ${url}: ${message}`, {
        method,
        params: summarize(params),
        url,
        kind,
        attempts,
        ...(code === undefined ? {} : { code }),
        ...(range
          ? { fromBlock: range.fromBlock.toString(), toBlock: range.toBlock.toString() }
          : {}),
      }, { cause });
    };

    const maxRetries = options.retries ?? retries;
    let lastCause: unknown;
    let lastUrl = urls[urlIndex % urls.length];
    for (let attemptNo = 0; attemptNo <= maxRetries; attemptNo++) {
      if (attemptNo > 0) {
        stats.retries++;
        const cap = Math.min(maxBackoffMs, backoffMs * 2 ** (attemptNo - 1));
        await clock.sleep(random() * cap);
      }
      const url = urls[urlIndex % urls.length];
      lastUrl = url;
      const id = nextId++;
      const body = JSON.stringify({ jsonrpc: "2.0", id, method, params });
      await acquire();
      let response: unknown;
      stats.requests++;
      try {
        response = await attempt(url, body);
      } catch (error) {
        lastCause = error;
        if (urls.length > 1) {
          urlIndex++;
          stats.failovers++;
        }
        continue;
      } finally {
        release();
      }
      if (response === null || typeof response !== "object") {
        throw fail(
          "response is not a JSON object",
          url,
          "invalid-response",
          attemptNo + 1,
          response,
        );
      }
      const envelope = response as { result?: unknown; error?: JsonRpcErrorBody };
      if (envelope.error !== undefined) {
        const error = envelope.error;
        const message = `${error.message} (code ${error.code})`;
        if (!options.fatal?.(error) && isTransientRpcError(error)) {
          lastCause = new Error(message);
          if (urls.length > 1) {
            urlIndex++;
            stats.failovers++;
          }
          continue;
        }
        throw fail(message, url, "rpc-error", attemptNo + 1, error, error.code);
      }
      if (!("result" in envelope)) {
        throw fail(
          "response has neither result nor error",
          url,
          "invalid-response",
          attemptNo + 1,
          response,
        );
      }
      if (options.cacheKey !== undefined && cache && envelope.result !== null) {
        await cache.set(options.cacheKey, envelope.result);
      }
      return envelope.result as T;
    }
    throw fail(
      `${maxRetries + 1} attempts failed; last: ${describe(lastCause)}`,
      lastUrl,
      "exhausted",
      maxRetries + 1,
      lastCause,
    );
  }

  return { request, stats };
}

/**
 * A viem transport over an {@link RpcClient}, so viem's public client (`readContract`,
 * `getBlock`, …) gets the same retries, failover, rate limit and typed errors as the sync.
 *
 * @param rpc The client.
 * @returns A viem `custom` transport.
 * @example
 * ```ts
 * import { createPublicClient } from "viem";
 * import { createRpcClient, rpcTransport } from "./mod.ts";
 * const rpc = createRpcClient({ urls: ["http://127.0.0.1:8545"], requestsPerSecond: 20 });
 * const client = createPublicClient({ transport: rpcTransport(rpc) });
 * console.log(await client.getBlockNumber());
 * ```
 */
export function rpcTransport(rpc: RpcClient): CustomTransport {
  return custom(
    {
      request: ({ method, params }: { method: string; params?: unknown }) =>
        rpc.request(method, Array.isArray(params) ? params : params === undefined ? [] : [params]),
    },
    // Retries are the client's job: viem must not multiply them.
    { retryCount: 0 },
  );
}

/**
 * Short text of request parameters for messages: long hex strings are clipped.
 *
 * @example
 * ```ts
 * import { summarize } from "./rpc.ts";
 * console.log(summarize([{ fromBlock: "0x1", toBlock: "0x2" }])); // [{"fromBlock":"0x1","toBlock":"0x2"}]
 * ```
 */
export function summarize(params: readonly unknown[]): string {
  const text = JSON.stringify(
    params,
    (_key, value) =>
      typeof value === "string" && value.length > 74
        ? `${value.slice(0, 34)}…(${value.length})`
        : typeof value === "bigint"
        ? value.toString()
        : value,
  );
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
