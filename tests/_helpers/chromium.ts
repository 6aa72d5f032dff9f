/**
 * Runs a TypeScript entry point in real headless Chromium: bundles it for the browser with
 * `deno bundle`, serves the page on 127.0.0.1 and returns what the page wrote into
 * `<pre id="result">` (the entry sets it when done, or to `ERROR: …` on failure).
 */
import { existsSync } from "node:fs";
import { join } from "node:path";

const CHROMIUM_CANDIDATES = [
  "/usr/bin/chromium-headless-shell",
  "/usr/lib/chromium/chromium-headless-shell",
  "/usr/bin/chromium",
];

/** The headless Chromium binary on this machine, or undefined. */
export function findChromium(): string | undefined {
  return CHROMIUM_CANDIDATES.find((path) => existsSync(path));
}

/** Bundles `entry` for the browser into a temp dir and returns the bundle's source. */
async function bundle(entry: string, dir: string): Promise<string> {
  const out = join(dir, "bundle.js");
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bundle", "--quiet", "--platform=browser", entry, "-o", out],
    stdout: "null",
    stderr: "piped",
  }).output();
  if (code !== 0) throw new Error(`deno bundle failed: ${new TextDecoder().decode(stderr)}`);
  return Deno.readTextFileSync(out);
}

/**
 * Bundles and runs `entry` in headless Chromium; resolves with the text of `#result`.
 * Time-bounded: Chromium gets `timeoutMs` of virtual time and is killed after twice that.
 */
export async function runInChromium(entry: string, timeoutMs = 20_000): Promise<string> {
  const chromium = findChromium();
  if (!chromium) throw new Error("headless Chromium not installed (run `deno task setup`)");
  const dir = await Deno.makeTempDir({ prefix: "vraindex-browser-" });
  try {
    const source = await bundle(entry, dir);
    const page = `<!doctype html><html><head><meta charset="utf-8"></head><body>` +
      `<pre id="result">pending</pre><script type="module" src="/bundle.js"></script></body></html>`;
    const app = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/") return new Response(page, { headers: { "content-type": "text/html" } });
      if (path === "/bundle.js") {
        return new Response(source, { headers: { "content-type": "text/javascript" } });
      }
      return new Response("not found", { status: 404 });
    });
    try {
      const { port } = app.addr as Deno.NetAddr;
      const child = new Deno.Command(chromium, {
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          `--user-data-dir=${join(dir, "profile")}`,
          `--virtual-time-budget=${timeoutMs}`,
          "--dump-dom",
          `http://127.0.0.1:${port}/`,
        ],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch { /* already gone */ }
      }, timeoutMs * 2);
      try {
        const { stdout } = await child.output();
        const dom = new TextDecoder().decode(stdout);
        const match = dom.match(/<pre id="result">([\s\S]*?)<\/pre>/);
        if (!match) throw new Error(`no #result in the page: ${dom.slice(0, 500)}`);
        return match[1].replaceAll("&quot;", '"').replaceAll("&lt;", "<").replaceAll("&gt;", ">")
          .replaceAll("&amp;", "&");
      } finally {
        clearTimeout(timer);
      }
    } finally {
      await app.shutdown();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
