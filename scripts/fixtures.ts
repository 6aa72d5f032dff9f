/**
 * `deno task fixtures`: compiles every `fixtures/contracts/*.sol` with solc-js (npm `solc`, pinned in
 * deno.json) and writes one `fixtures/artifacts/<Contract>.json` per deployable contract. The output
 * is deterministic (sorted keys, fixed formatting, no metadata hash in the bytecode), so a test can
 * recompile in memory and require the committed artifacts to be byte-identical.
 *
 * Flags: `--check` compares instead of writing and exits 1 when an artifact is stale.
 *
 * @module
 */
import solc from "solc";
import { keccak256, stringToBytes } from "viem";
import type { Abi, Hex } from "viem";
import { VraindexError } from "../src/errors/mod.ts";
import { fromFileUrl, join } from "./_paths.ts";

/** One compiled fixture contract, as committed in `fixtures/artifacts/<contractName>.json`. */
export type FixtureArtifact = {
  /** Contract name, also the artifact's file name. */
  readonly contractName: string;
  /** Solidity ABI. */
  readonly abi: Abi;
  /** Creation code (constructor arguments are appended by the deployer). */
  readonly bytecode: Hex;
  /** Runtime code. */
  readonly deployedBytecode: Hex;
  /** `keccak256` of the UTF-8 text of the `.sol` file that defines the contract. */
  readonly sourceHash: Hex;
};

/** Compiler settings every fixture is built with. */
export const FIXTURE_COMPILER_SETTINGS = {
  evmVersion: "cancun",
  optimizer: { enabled: true, runs: 200 },
  // No CBOR metadata: the runtime code then depends on the sources and settings only.
  metadata: { appendCBOR: false },
  outputSelection: {
    "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
  },
} as const;

/** Root of the repository. */
export const repoRoot: string = fromFileUrl(new URL("..", import.meta.url));
/** Folder of the Solidity sources. */
export const contractsDir: string = join(repoRoot, "fixtures", "contracts");
/** Folder of the committed artifacts. */
export const artifactsDir: string = join(repoRoot, "fixtures", "artifacts");

/**
 * Reads every `*.sol` file of `dir` into a map from file name to text, sorted by name.
 *
 * @example
 * ```ts
 * const sources = readFixtureSources();
 * console.log(Object.keys(sources)); // ["FixtureInterfaces.sol", …]
 * ```
 */
export function readFixtureSources(dir: string = contractsDir): Record<string, string> {
  const names = [...Deno.readDirSync(dir)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".sol"))
    .map((entry) => entry.name)
    .sort();
  const sources: Record<string, string> = {};
  for (const name of names) sources[name] = Deno.readTextFileSync(join(dir, name));
  return sources;
}

/**
 * Raised when solc reports errors for the fixture sources; `details.messages` holds solc's
 * formatted messages.
 *
 * @example
 * ```ts
 * try {
 *   compileFixtures({ "Bad.sol": "contract Bad {" });
 * } catch (error) {
 *   console.log(error instanceof FixtureCompileError); // true
 * }
 * ```
 */
export class FixtureCompileError extends VraindexError<{ readonly messages: readonly string[] }> {
  override readonly name = "FixtureCompileError";
}

type SolcOutput = {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<
    string,
    Record<
      string,
      { abi: Abi; evm: { bytecode: { object: string }; deployedBytecode: { object: string } } }
    >
  >;
};

/** The result of compiling the fixtures: artifact file texts by contract name, and warnings. */
export type CompiledFixtures = {
  /** `<Contract>.json` file text (what is committed) by contract name, sorted by name. */
  readonly files: Record<string, string>;
  /** solc warnings, formatted. */
  readonly warnings: readonly string[];
};

/**
 * Compiles fixture sources (file name → text; imports resolve among them only) and renders each
 * deployable contract's artifact file. Interfaces and other contracts without code are skipped.
 *
 * @example
 * ```ts
 * const { files } = compileFixtures(readFixtureSources());
 * console.log(Object.keys(files)); // ["FixtureInterpreter", "FixtureStore", "FixtureToken"]
 * ```
 */
export function compileFixtures(sources: Record<string, string>): CompiledFixtures {
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(
      Object.entries(sources).map(([name, content]) => [name, { content }]),
    ),
    settings: FIXTURE_COMPILER_SETTINGS,
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    const messages = errors.map((e) => e.formattedMessage);
    throw new FixtureCompileError(`solc failed on fixtures/contracts:\n${messages.join("\n")}`, {
      messages,
    });
  }
  const warnings = (output.errors ?? []).filter((e) => e.severity !== "error")
    .map((e) => e.formattedMessage);

  const artifacts: FixtureArtifact[] = [];
  for (const [file, contracts] of Object.entries(output.contracts ?? {})) {
    for (const [contractName, contract] of Object.entries(contracts)) {
      if (contract.evm.bytecode.object === "") continue;
      artifacts.push({
        contractName,
        abi: contract.abi,
        bytecode: `0x${contract.evm.bytecode.object}`,
        deployedBytecode: `0x${contract.evm.deployedBytecode.object}`,
        sourceHash: keccak256(stringToBytes(sources[file])),
      });
    }
  }
  artifacts.sort((a, b) => (a.contractName < b.contractName ? -1 : 1));
  const files: Record<string, string> = {};
  for (const artifact of artifacts) files[artifact.contractName] = renderArtifact(artifact);
  return { files, warnings };
}

/**
 * Renders an artifact as committed: JSON with object keys sorted at every level, two-space indents
 * and a final newline.
 *
 * @example
 * ```ts
 * const text = renderArtifact({ contractName: "X", abi: [], bytecode: "0x", deployedBytecode: "0x", sourceHash: "0x" });
 * console.log(text.startsWith('{\n  "abi": []')); // true
 * ```
 */
export function renderArtifact(artifact: FixtureArtifact): string {
  return `${JSON.stringify(sortKeys(artifact), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/**
 * Names of committed artifact files (without `.json`) in `dir`, sorted.
 *
 * @example
 * ```ts
 * console.log(committedArtifactNames()); // ["FixtureInterpreter", …]
 * ```
 */
export function committedArtifactNames(dir: string = artifactsDir): string[] {
  return [...Deno.readDirSync(dir)]
    .filter((entry) => entry.isFile && entry.name.endsWith(".json"))
    .map((entry) => entry.name.slice(0, -".json".length))
    .sort();
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const started = performance.now();
  const { files, warnings } = compileFixtures(readFixtureSources());
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  for (const warning of warnings) console.warn(warning);
  let stale = 0;
  for (const [name, text] of Object.entries(files)) {
    const path = join(artifactsDir, `${name}.json`);
    let current: string | undefined;
    try {
      current = Deno.readTextFileSync(path);
    } catch { /* not written yet */ }
    if (current === text) continue;
    stale++;
    if (check) console.log(`stale: fixtures/artifacts/${name}.json`);
    else Deno.writeTextFileSync(path, text);
  }
  for (const name of committedArtifactNames()) {
    if (name in files) continue;
    stale++;
    if (check) console.log(`orphan: fixtures/artifacts/${name}.json`);
    else Deno.removeSync(join(artifactsDir, `${name}.json`));
  }
  console.log(
    `fixtures: ${
      Object.keys(files).length
    } contracts compiled in ${seconds} s (solc ${solc.version()}), ` +
      `${stale} ${check ? "stale" : "written"}`,
  );
  if (check && stale > 0) Deno.exit(1);
}
