/**
 * The ingestion JSON-RPC client and the adaptive log window, against stub `fetch` functions:
 * retries on each kind of transient failure, no retry on a definite JSON-RPC error, failover,
 * the typed error's details, the rate limit, the concurrency bound, the response cache and the
 * on-disk cache; the window halving on "too many results" and doubling when light.
 */
import assert from "node:assert/strict";
import { createPublicClient } from "viem";
import {
  createFileRpcCache,
  createLogWindow,
  createRpcClient,
  getLogsAdaptive,
  RpcRequestError,
  type RpcResponseCache,
  rpcTransport,
} from "../../src/ingest/mod.ts";

type Reply = Response | Error | (() => Response | Promise<Response>);

/** A fetch that answers from a script, recording each call's URL, body and start time. */
function scriptedFetch(replies: Reply[]) {
  const calls: {
    url: string;
    body: { method: string; params: unknown[]; id: number };
    at: number;
  }[] = [];
  const fetcher = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body));
    calls.push({ url: String(input), body, at: performance.now() });
    const reply = replies.length > 1 ? replies.shift()! : replies[0];
    if (reply instanceof Error) return Promise.reject(reply);
    if (typeof reply === "function") return Promise.resolve(reply());
    return Promise.resolve(reply.clone());
  };
  return { fetch: fetcher as typeof fetch, calls };
}

const ok = (result: unknown) => new Response(JSON.stringify({ jsonrpc: "2.0", id: 1, result }));
const rpcError = (code: number, message: string) =>
  new Response(JSON.stringify({ jsonrpc: "2.0", id: 1, error: { code, message } }));

Deno.test("createRpcClient", async (t) => {
  await t.step("retries 503, 429, resets, truncated bodies and rate-limit errors", async () => {
    const { fetch, calls } = scriptedFetch([
      new Response("busy", { status: 503 }),
      new Response("slow", { status: 429 }),
      new TypeError("connection reset by peer"),
      new Response('{"jsonrpc":"2.0","id":1,"res'),
      rpcError(-32005, "rate limit exceeded"),
      ok("0x2a"),
    ]);
    const rpc = createRpcClient({ urls: ["http://node"], fetch, backoffMs: 1, random: () => 0.5 });
    assert.equal(await rpc.request("eth_blockNumber", []), "0x2a");
    assert.equal(calls.length, 6);
    assert.equal(rpc.stats.retries, 5);
  });

  await t.step("a definite JSON-RPC error is not retried and is typed", async () => {
    const { fetch, calls } = scriptedFetch([rpcError(3, "execution reverted")]);
    const rpc = createRpcClient({ urls: ["http://node"], fetch, backoffMs: 1 });
    const error = await rpc.request("eth_call", [{ to: "0x01" }, "0x10"], {
      blockRange: { fromBlock: 16n, toBlock: 16n },
    }).then(() => null, (e) => e);
    assert.ok(error instanceof RpcRequestError);
    assert.equal(calls.length, 1);
    assert.equal(error.details.kind, "rpc-error");
    assert.equal(error.details.code, 3);
    assert.equal(error.details.method, "eth_call");
    assert.equal(error.details.fromBlock, "16");
    assert.equal(error.details.url, "http://node");
    assert.equal(
      error.message,
      "eth_call [16, 16] failed at http://node: execution reverted (code 3)",
    );
  });

  await t.step("exhausted retries name method, range, url, attempts and cause", async () => {
    const { fetch, calls } = scriptedFetch([new Response("down", { status: 502 })]);
    const rpc = createRpcClient({ urls: ["http://node"], fetch, retries: 3, backoffMs: 1 });
    const error = await rpc.request("eth_getLogs", [{ fromBlock: "0x1", toBlock: "0x9" }], {
      blockRange: { fromBlock: 1n, toBlock: 9n },
    }).then(() => null, (e) => e);
    assert.ok(error instanceof RpcRequestError);
    assert.equal(calls.length, 4);
    assert.deepEqual(
      { ...error.details },
      {
        method: "eth_getLogs",
        params: '[{"fromBlock":"0x1","toBlock":"0x9"}]',
        url: "http://node",
        kind: "exhausted",
        attempts: 4,
        fromBlock: "1",
        toBlock: "9",
      },
    );
    assert.match(
      error.message,
      /^eth_getLogs \[1, 9\] failed at http:\/\/node: 4 attempts failed; last: HTTP 502$/,
    );
    assert.ok(error.cause instanceof Error);
  });

  await t.step("time-outs abort the request and are retried", async () => {
    let first = true;
    const fetcher = ((_input: RequestInfo | URL, init?: RequestInit) => {
      if (first) {
        first = false;
        return new Promise<Response>((_resolve, reject) => {
          init?.signal?.addEventListener(
            "abort",
            () => reject(new DOMException("aborted", "AbortError")),
          );
        });
      }
      return Promise.resolve(ok("0x1"));
    }) as typeof fetch;
    const rpc = createRpcClient({
      urls: ["http://node"],
      fetch: fetcher,
      timeoutMs: 20,
      backoffMs: 1,
    });
    assert.equal(await rpc.request("eth_chainId", []), "0x1");
    assert.equal(rpc.stats.retries, 1);
  });

  await t.step("failover moves to the next URL", async () => {
    const seen: string[] = [];
    const fetcher = ((input: RequestInfo | URL) => {
      seen.push(String(input));
      return Promise.resolve(
        String(input) === "http://a" ? new Response("no", { status: 500 }) : ok("0x5"),
      );
    }) as typeof fetch;
    const rpc = createRpcClient({ urls: ["http://a", "http://b"], fetch: fetcher, backoffMs: 1 });
    assert.equal(await rpc.request("eth_chainId", []), "0x5");
    assert.equal(await rpc.request("eth_chainId", []), "0x5");
    // The second request starts on the URL that worked.
    assert.deepEqual(seen, ["http://a", "http://b", "http://b"]);
    assert.equal(rpc.stats.failovers, 1);
  });

  await t.step("requests-per-second limit spaces request starts", async () => {
    const { fetch, calls } = scriptedFetch([ok("0x1")]);
    const sleeps: number[] = [];
    // A frozen clock: every wait the limiter asks for is recorded, none takes time.
    const clock = {
      now: () => 1_000,
      sleep: (ms: number) => Promise.resolve(void sleeps.push(ms)),
    };
    const rpc = createRpcClient({ urls: ["http://node"], fetch, requestsPerSecond: 50, clock });
    await Promise.all(Array.from({ length: 6 }, () => rpc.request("eth_chainId", [])));
    assert.equal(calls.length, 6);
    // 50/s = one start per 20 ms: the first goes at once, the others wait for their slots.
    assert.deepEqual(sleeps.sort((a, b) => a - b), [20, 40, 60, 80, 100]);
  });

  await t.step("concurrency bound", async () => {
    let inFlight = 0;
    let peak = 0;
    const fetcher = (async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return ok("0x1");
    }) as unknown as typeof fetch;
    const rpc = createRpcClient({ urls: ["http://node"], fetch: fetcher, concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => rpc.request("eth_chainId", [])));
    assert.equal(peak, 3);
  });

  await t.step("immutable responses come from the cache", async () => {
    const store = new Map<string, unknown>();
    const cache: RpcResponseCache = {
      get: (key) => Promise.resolve(store.get(key)),
      set: (key, value) => Promise.resolve(void store.set(key, value)),
    };
    const { fetch, calls } = scriptedFetch([ok("0x6001")]);
    const rpc = createRpcClient({ urls: ["http://node"], fetch, cache });
    assert.equal(
      await rpc.request("eth_getCode", ["0x01", "0x1"], { cacheKey: "code:1" }),
      "0x6001",
    );
    assert.equal(
      await rpc.request("eth_getCode", ["0x01", "0x1"], { cacheKey: "code:1" }),
      "0x6001",
    );
    assert.equal(await rpc.request("eth_getCode", ["0x01", "0x1"]), "0x6001");
    assert.equal(calls.length, 2, "the uncached request still goes out");
    assert.equal(rpc.stats.cacheHits, 1);
  });

  await t.step("as a viem transport: viem calls get the same retries and errors", async () => {
    const { fetch, calls } = scriptedFetch([new Response("busy", { status: 503 }), ok("0x7a69")]);
    const rpc = createRpcClient({ urls: ["http://node"], fetch, backoffMs: 1 });
    const client = createPublicClient({ transport: rpcTransport(rpc) });
    assert.equal(await client.getChainId(), 31337);
    assert.equal(calls.length, 2);
    assert.equal(calls[1].body.method, "eth_chainId");
    const failing = createRpcClient({
      urls: ["http://node"],
      fetch: scriptedFetch([rpcError(-32602, "invalid argument")]).fetch,
    });
    const viemClient = createPublicClient({ transport: rpcTransport(failing) });
    await assert.rejects(viemClient.getBlockNumber({ cacheTime: 0 }), /invalid argument/);
  });

  await t.step("the on-disk cache survives a new client", async () => {
    const dir = await Deno.makeTempDir({ prefix: "vraindex-cache-" });
    try {
      const first = scriptedFetch([ok([{ logIndex: "0x0" }])]);
      const a = createRpcClient({
        urls: ["http://node"],
        fetch: first.fetch,
        cache: createFileRpcCache(dir),
      });
      await a.request("eth_getLogs", [{}], { cacheKey: "logs:1:0x01:1:2" });
      const second = scriptedFetch([new Response("down", { status: 503 })]);
      const b = createRpcClient({
        urls: ["http://node"],
        fetch: second.fetch,
        cache: createFileRpcCache(dir),
      });
      assert.deepEqual(await b.request("eth_getLogs", [{}], { cacheKey: "logs:1:0x01:1:2" }), [
        { logIndex: "0x0" },
      ]);
      assert.equal(second.calls.length, 0);
      assert.equal(await createFileRpcCache(dir).get("other"), undefined);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
});

Deno.test("getLogsAdaptive", async (t) => {
  /** A node that refuses ranges wider than `limit` blocks and returns one log per block. */
  function node(limit: number) {
    const ranges: [number, number][] = [];
    const fetcher = ((_input: RequestInfo | URL, init?: RequestInit) => {
      const body = JSON.parse(String(init?.body));
      const from = Number(BigInt(body.params[0].fromBlock));
      const to = Number(BigInt(body.params[0].toBlock));
      ranges.push([from, to]);
      if (to - from + 1 > limit) {
        return Promise.resolve(rpcError(-32005, "query returned more than 10000 results"));
      }
      const logs = [];
      for (let b = to; b >= from; b--) {
        logs.push({ blockNumber: `0x${b.toString(16)}`, logIndex: "0x0", address: "0x01" });
      }
      return Promise.resolve(ok(logs));
    }) as typeof fetch;
    return { fetcher, ranges };
  }

  await t.step(
    "shrinks on too many results, grows when light, covers every block once",
    async () => {
      const { fetcher, ranges } = node(10);
      const rpc = createRpcClient({ urls: ["http://node"], fetch: fetcher, backoffMs: 1 });
      const window = createLogWindow({ initial: 64n, max: 64n, growBelow: 100 });
      const logs = await getLogsAdaptive(rpc, {
        chainId: 1,
        address: "0x0000000000000000000000000000000000000001",
        fromBlock: 0n,
        toBlock: 99n,
        window,
      });
      assert.deepEqual(
        logs.map((l) => Number(BigInt(l.blockNumber))),
        Array.from({ length: 100 }, (_, i) => i),
      );
      // 64 → 32 → 16 → 8 (refused three times), then 8 works and doubles to 16 (refused) → 8 …
      assert.deepEqual(ranges.slice(0, 5), [[0, 63], [0, 31], [0, 15], [0, 7], [8, 23]]);
      const accepted = ranges.filter(([a, b]) => b - a + 1 <= 10);
      assert.equal(accepted.reduce((n, [a, b]) => n + b - a + 1, 0), 100, "no block twice");
    },
  );

  await t.step("a node that refuses even one block is a hard error", async () => {
    const { fetcher } = node(0);
    const rpc = createRpcClient({ urls: ["http://node"], fetch: fetcher, backoffMs: 1 });
    const error = await getLogsAdaptive(rpc, {
      chainId: 1,
      address: "0x0000000000000000000000000000000000000001",
      fromBlock: 5n,
      toBlock: 9n,
      window: createLogWindow({ initial: 4n }),
    }).then(() => null, (e) => e);
    assert.ok(error instanceof RpcRequestError);
    assert.equal(error.details.fromBlock, "5");
    assert.equal(error.details.toBlock, "5");
    assert.match(error.message, /^eth_getLogs \[5, 5\] failed/);
  });
});
