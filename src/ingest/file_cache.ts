/**
 * An on-disk {@link RpcResponseCache}: one JSON file per immutable response (logs and blocks below
 * the finality depth, code, token metadata, mined transactions), named by the key's SHA-256.
 * Uses Deno's file API at call time only, so importing this module in a browser is harmless.
 *
 * @module
 */
import type { RpcResponseCache } from "./rpc.ts";

/**
 * Creates a cache of immutable RPC responses in `dir` (created on first write). Writes go to a
 * temporary file renamed into place, so a killed process never leaves a half-written entry.
 *
 * @param dir Directory of the cache.
 * @returns The cache.
 * @example
 * ```ts
 * import { createFileRpcCache, createRpcClient } from "./mod.ts";
 * const rpc = createRpcClient({
 *   urls: ["http://127.0.0.1:8545"],
 *   cache: createFileRpcCache(".vraindex-cache/31337"),
 * });
 * console.log(rpc.stats.cacheHits); // 0
 * ```
 */
export function createFileRpcCache(dir: string): RpcResponseCache {
  let made = false;
  const pathOf = async (key: string): Promise<string> => {
    const digest = new Uint8Array(
      await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)),
    );
    const name = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
    return `${dir}/${name.slice(0, 2)}/${name}.json`;
  };
  return {
    async get(key) {
      const path = await pathOf(key);
      let text: string;
      try {
        text = await Deno.readTextFile(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
      try {
        const entry = JSON.parse(text) as { key: string; value: unknown };
        // A hash collision or a foreign file is a miss, never a wrong answer.
        return entry.key === key ? entry.value : undefined;
      } catch {
        return undefined;
      }
    },
    async set(key, value) {
      const path = await pathOf(key);
      const folder = path.slice(0, path.lastIndexOf("/"));
      if (!made) {
        await Deno.mkdir(dir, { recursive: true });
        made = true;
      }
      await Deno.mkdir(folder, { recursive: true });
      const temporary = `${path}.${crypto.randomUUID()}.tmp`;
      await Deno.writeTextFile(temporary, JSON.stringify({ key, value }));
      await Deno.rename(temporary, path);
    },
  };
}
