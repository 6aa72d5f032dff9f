/**
 * Extracts Rain's real runtime code for the opt-in tests (TESTING.md § 3b): `DEPLOYED_ADDRESS`,
 * `RUNTIME_CODE` and `BYTECODE_HASH` of Rainterpreter, RainterpreterStore, RainterpreterParser,
 * RainterpreterExpressionDeployer (rain.interpreter) and OrderBookV6 (rain.orderbook), read from
 * their `src/generated/*.pointers.sol` with `git show HEAD:<path>`, into a folder **outside** the
 * repository, one JSON file per contract plus `manifest.json`. Nothing it writes is ever committed.
 *
 * ```sh
 * VRAINDEX_RAIN_CODE_DIR=/work/rain-code deno run -A scripts/rain_code.ts \
 *   [--interpreter-git <git dir>] [--orderbook-git <git dir>] [--out <dir>]
 * ```
 * Defaults: `$VRAINDEX_RAIN_INTERPRETER_GIT` / `$VRAINDEX_RAIN_ORDERBOOK_GIT`, else the mirrors
 * `/work/.mirror/rainlanguage+rain.interpreter/repo` and `…+rain.orderbook/repo`; output
 * `$VRAINDEX_RAIN_CODE_DIR`.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { keccak256 } from "viem";
import { fromFileUrl, join, relative, resolve } from "./_paths.ts";

/** One extracted contract, as written to `<out>/<name>.json`. */
export type RainCodeArtifact = {
  name: string;
  address: `0x${string}`;
  runtimeCode: `0x${string}`;
  /** `BYTECODE_HASH` of the pointers file, when present. */
  bytecodeHash?: `0x${string}`;
  /** `keccak256(runtimeCode)`. */
  runtimeCodeHash: `0x${string}`;
  source: { gitDir: string; commit: string; path: string };
};

const INTERPRETER_CONTRACTS = [
  "Rainterpreter",
  "RainterpreterStore",
  "RainterpreterParser",
  "RainterpreterExpressionDeployer",
];
const ORDERBOOK_CONTRACTS = ["OrderBookV6"];

/** Runs `git --git-dir <gitDir> <args>` and returns its stdout; a failure names the command. */
export async function git(gitDir: string, args: string[]): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command("git", {
    args: ["--git-dir", gitDir, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `rain_code: git ${args.join(" ")} in ${gitDir}: ${new TextDecoder().decode(stderr)}`,
    );
  }
  return new TextDecoder().decode(stdout);
}

/**
 * Reads the constants of one `*.pointers.sol` source text.
 *
 * @param text The Solidity source.
 * @returns Address, runtime code and (if declared) bytecode hash.
 * @example
 * ```ts
 * import { parsePointers } from "./rain_code.ts";
 * const parsed = parsePointers(
 *   'address constant DEPLOYED_ADDRESS = address(0x00000000000000000000000000000000000000aa);\n' +
 *     'bytes constant RUNTIME_CODE =\n    hex"6000";',
 * );
 * console.log(parsed.runtimeCode); // 0x6000
 * ```
 */
export function parsePointers(
  text: string,
): { address: `0x${string}`; runtimeCode: `0x${string}`; bytecodeHash?: `0x${string}` } {
  const address = text.match(/DEPLOYED_ADDRESS\s*=\s*address\(\s*(0x[0-9a-fA-F]{40})\s*\)/)?.[1];
  const runtime = text.match(/RUNTIME_CODE\s*=\s*hex"([0-9a-fA-F]*)"/)?.[1];
  const hash = text.match(/BYTECODE_HASH\s*=\s*bytes32\(\s*(0x[0-9a-fA-F]{64})\s*\)/)?.[1];
  if (address === undefined || runtime === undefined || runtime.length === 0) {
    throw new Error("rain_code: DEPLOYED_ADDRESS or RUNTIME_CODE not found");
  }
  return {
    address: address as `0x${string}`,
    runtimeCode: `0x${runtime.toLowerCase()}`,
    ...(hash === undefined ? {} : { bytecodeHash: hash.toLowerCase() as `0x${string}` }),
  };
}

async function extract(gitDir: string, name: string): Promise<RainCodeArtifact> {
  const path = `src/generated/${name}.pointers.sol`;
  const commit = (await git(gitDir, ["rev-parse", "HEAD"])).trim();
  const parsed = parsePointers(await git(gitDir, ["show", `HEAD:${path}`]));
  return {
    name,
    ...parsed,
    runtimeCodeHash: keccak256(parsed.runtimeCode),
    source: { gitDir, commit, path },
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      "interpreter-git": { type: "string" },
      "orderbook-git": { type: "string" },
      out: { type: "string" },
    },
  });
  const interpreterGit = values["interpreter-git"] ??
    Deno.env.get("VRAINDEX_RAIN_INTERPRETER_GIT") ??
    "/work/.mirror/rainlanguage+rain.interpreter/repo";
  const orderbookGit = values["orderbook-git"] ?? Deno.env.get("VRAINDEX_RAIN_ORDERBOOK_GIT") ??
    "/work/.mirror/rainlanguage+rain.orderbook/repo";
  const out = values.out ?? Deno.env.get("VRAINDEX_RAIN_CODE_DIR");
  if (out === undefined || out === "") {
    console.error("rain_code: set VRAINDEX_RAIN_CODE_DIR or pass --out <dir> (outside the repo)");
    Deno.exit(2);
  }
  const root = fromFileUrl(new URL("..", import.meta.url));
  const outDir = resolve(out);
  const inside = relative(root, outDir);
  if (!inside.startsWith("..") && !inside.startsWith("/")) {
    console.error(`rain_code: refusing to write Rain's code inside the repository (${outDir})`);
    Deno.exit(2);
  }
  Deno.mkdirSync(outDir, { recursive: true });
  const artifacts: RainCodeArtifact[] = [];
  for (const name of INTERPRETER_CONTRACTS) artifacts.push(await extract(interpreterGit, name));
  for (const name of ORDERBOOK_CONTRACTS) artifacts.push(await extract(orderbookGit, name));
  for (const artifact of artifacts) {
    Deno.writeTextFileSync(
      join(outDir, `${artifact.name}.json`),
      JSON.stringify(artifact, null, 2),
    );
    console.log(
      `rain_code: ${artifact.name} ${artifact.address} ${
        (artifact.runtimeCode.length - 2) / 2
      } bytes` +
        ` keccak ${artifact.runtimeCodeHash}` +
        (artifact.bytecodeHash === undefined
          ? ""
          : artifact.bytecodeHash === artifact.runtimeCodeHash
          ? " (= BYTECODE_HASH)"
          : ` (BYTECODE_HASH ${artifact.bytecodeHash})`),
    );
  }
  Deno.writeTextFileSync(
    join(outDir, "manifest.json"),
    JSON.stringify({ contracts: artifacts.map((a) => a.name) }, null, 2),
  );
}
