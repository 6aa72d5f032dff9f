/**
 * Installs what the tests and the demo need on a fresh machine with Node and npm only: anvil from
 * npm into `.tools/`, and Debian's headless Chromium for the browser test. Idempotent and quiet when
 * everything is already there.
 */
import { existsSync } from "node:fs";
import { fromFileUrl, join } from "./_paths.ts";

const root = fromFileUrl(new URL("..", import.meta.url));
const toolsDir = join(root, ".tools");

/** npm packages installed into `.tools/` (binaries shipped inside registry packages). */
const NPM_TOOLS: Record<string, string> = { "@foundry-rs/anvil": "1.7.1" };
/** Debian packages and the binary that proves each is installed. */
const DEBIAN_PACKAGES: Record<string, string> = {
  "chromium-headless-shell": "/usr/bin/chromium-headless-shell",
};

async function run(cmd: string, args: string[], cwd = root): Promise<void> {
  const { code } = await new Deno.Command(cmd, { args, cwd, stdout: "inherit", stderr: "inherit" })
    .output();
  if (code !== 0) throw new Error(`setup: '${cmd} ${args.join(" ")}' exited with ${code}`);
}

async function installNpmTools(): Promise<void> {
  const missing = Object.entries(NPM_TOOLS).filter(([name, version]) => {
    const pkg = join(toolsDir, "node_modules", name, "package.json");
    return !existsSync(pkg) || JSON.parse(Deno.readTextFileSync(pkg)).version !== version;
  });
  if (missing.length === 0) return;
  Deno.mkdirSync(toolsDir, { recursive: true });
  if (!existsSync(join(toolsDir, "package.json"))) {
    Deno.writeTextFileSync(join(toolsDir, "package.json"), '{ "private": true }\n');
  }
  console.log(`setup: npm install ${missing.map(([n, v]) => `${n}@${v}`).join(" ")}`);
  await run("npm", [
    "install",
    "--no-audit",
    "--no-fund",
    "--loglevel=error",
    ...missing.map(([n, v]) => `${n}@${v}`),
  ], toolsDir);
}

async function installDebianPackages(): Promise<void> {
  const missing = Object.entries(DEBIAN_PACKAGES).filter(([, bin]) => !existsSync(bin)).map((
    [name],
  ) => name);
  if (missing.length === 0) return;
  if (Deno.uid?.() !== 0) {
    throw new Error(
      `setup: Debian packages missing (${missing.join(", ")}); install them with ` +
        `'sudo apt-get install -y ${missing.join(" ")}' or run as root.`,
    );
  }
  console.log(`setup: apt-get install ${missing.join(" ")}`);
  await run("apt-get", ["update", "-qq"]);
  await run("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing]);
}

if (import.meta.main) {
  await installNpmTools();
  // The demo needs only anvil; the tests also need the browser.
  if (!Deno.args.includes("--npm-only")) await installDebianPackages();
}
