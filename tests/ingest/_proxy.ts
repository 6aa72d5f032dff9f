/**
 * A loopback JSON-RPC proxy in front of anvil that injects faults: HTTP 503 and 429, delays,
 * truncated bodies, "too many results" refusals of wide `eth_getLogs` ranges, and a hard outage of
 * one method. Decisions come from a seeded generator so a run is reproducible.
 */

/** Fault policy; every field is optional. */
export type FaultPlan = {
  /** Probability that a request is answered HTTP 503 (default 0). */
  status503?: number;
  /** Probability of HTTP 429 (default 0). */
  status429?: number;
  /** Probability that the body is cut in half (default 0). */
  truncate?: number;
  /** Probability that the connection breaks mid-body (the stream errors; default 0). */
  reset?: number;
  /** Probability that the answer is delayed by `delayMs` (default 0). */
  delay?: number;
  delayMs?: number;
  /** `eth_getLogs` over more blocks than this is refused with "query returned more than …". */
  maxLogRange?: number;
  /** Methods that always fail with HTTP 503. */
  outage?: string[];
  /** Delay every request by this many ms (slows a sync down for kill tests). */
  everyRequestDelayMs?: number;
  /**
   * Runs before a request is forwarded (e.g. to reorganise the chain at a chosen moment); the
   * request waits for it.
   */
  before?: (method: string, params: unknown[]) => Promise<void> | void;
};

/** A running proxy. */
export type FaultProxy = {
  url: string;
  /** Requests seen, by method. */
  counts: Map<string, number>;
  /** Faults injected, by kind. */
  injected: Map<string, number>;
  /** Total requests seen. */
  total(): number;
  /** Changes the policy (e.g. to stop injecting). */
  setPlan(plan: FaultPlan): void;
  close(): Promise<void>;
};

/** Mulberry32: small seeded generator. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Starts the proxy on 127.0.0.1 with a free port, forwarding to `target`. */
export function startFaultProxy(target: string, plan: FaultPlan = {}, seed = 1): FaultProxy {
  let current = plan;
  const random = seeded(seed);
  const counts = new Map<string, number>();
  const injected = new Map<string, number>();
  const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);
  const controller = new AbortController();
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => listening = resolve);
  const server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    signal: controller.signal,
    onListen: ({ port }) => listening(port),
  }, async (request) => {
    const body = await request.text();
    let method = "?";
    let params: unknown[] = [];
    try {
      const parsed = JSON.parse(body);
      method = parsed.method;
      params = parsed.params ?? [];
    } catch { /* forwarded as is */ }
    bump(counts, method);
    const p = current;
    if (p.before) await p.before(method, params);
    if (p.everyRequestDelayMs) await sleep(p.everyRequestDelayMs);
    if (p.outage?.includes(method)) {
      bump(injected, "outage");
      return new Response("service unavailable", { status: 503 });
    }
    if (p.status503 && random() < p.status503) {
      bump(injected, "503");
      return new Response("busy", { status: 503 });
    }
    if (p.status429 && random() < p.status429) {
      bump(injected, "429");
      return new Response("slow down", { status: 429 });
    }
    if (p.maxLogRange !== undefined && method === "eth_getLogs") {
      const filter = params[0] as { fromBlock: string; toBlock: string };
      const span = BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n;
      if (span > BigInt(p.maxLogRange)) {
        bump(injected, "too-many");
        const id = JSON.parse(body).id;
        return Response.json({
          jsonrpc: "2.0",
          id,
          error: { code: -32005, message: "query returned more than 10000 results" },
        });
      }
    }
    if (p.delay && random() < p.delay) {
      bump(injected, "delay");
      await sleep(p.delayMs ?? 200);
    }
    const upstream = await fetch(target, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    const text = await upstream.text();
    if (p.reset && random() < p.reset && text.length > 2) {
      bump(injected, "reset");
      // Promise the whole length, send half, end: the client sees the connection close early.
      const full = new TextEncoder().encode(text);
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(full.slice(0, Math.floor(full.length / 2)));
          controller.close();
        },
      });
      return new Response(body, {
        status: 200,
        headers: { "content-type": "application/json", "content-length": String(full.length) },
      });
    }
    if (p.truncate && random() < p.truncate && text.length > 2) {
      bump(injected, "truncate");
      return new Response(text.slice(0, Math.floor(text.length / 2)), {
        status: 200,
        headers: { "content-type": "application/json" },
      });
    }
    return new Response(text, {
      status: upstream.status,
      headers: { "content-type": "application/json" },
    });
  });
  let url = "";
  const ready = port.then((p) => url = `http://127.0.0.1:${p}`);
  const proxy: FaultProxy = {
    get url() {
      return url;
    },
    counts,
    injected,
    total: () => [...counts.values()].reduce((a, b) => a + b, 0),
    setPlan(next) {
      current = next;
    },
    async close() {
      controller.abort();
      await server.finished;
    },
  };
  // Callers await `ready` through startFaultProxyReady.
  (proxy as FaultProxy & { ready: Promise<unknown> }).ready = ready;
  return proxy;
}

/** {@link startFaultProxy}, resolved once it listens. */
export async function startFaultProxyReady(
  target: string,
  plan: FaultPlan = {},
  seed = 1,
): Promise<FaultProxy> {
  const proxy = startFaultProxy(target, plan, seed);
  await (proxy as FaultProxy & { ready: Promise<unknown> }).ready;
  return proxy;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
