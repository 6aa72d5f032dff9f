/**
 * Loads Rain's real runtime code extracted by `scripts/rain_code.ts` (opt-in: only when
 * `VRAINDEX_RAIN_CODE_DIR` is set) into a code cache and parses Rainlang with the real
 * expression deployer's `parse2`.
 */
import { decodeFunctionResult, encodeFunctionData, type Hex, parseAbi, stringToHex } from "viem";
import { type CodeCache, createCodeCache, type EvmInterpreterHost } from "../../src/evm/mod.ts";

/** Folder with the extracted JSON, or undefined when the opt-in suite is off. */
export const RAIN_CODE_DIR: string | undefined = Deno.env.get("VRAINDEX_RAIN_CODE_DIR") ||
  undefined;

/** One extracted contract. */
export type RainContract = { name: string; address: Hex; runtimeCode: Hex; runtimeCodeHash: Hex };

/** Reads `<dir>/<name>.json`. */
export function loadRainContract(name: string, dir = RAIN_CODE_DIR): RainContract {
  if (dir === undefined) throw new Error("VRAINDEX_RAIN_CODE_DIR is not set");
  return JSON.parse(Deno.readTextFileSync(`${dir}/${name}.json`));
}

/** Interpreter, store, parser and deployer of one Rain build. */
export type RainSuite = {
  interpreter: RainContract;
  store: RainContract;
  parser: RainContract;
  deployer: RainContract;
  codeCache: CodeCache;
};

/** Loads the four interpreter contracts into a fresh code cache. */
export function loadRainSuite(): RainSuite {
  const interpreter = loadRainContract("Rainterpreter");
  const store = loadRainContract("RainterpreterStore");
  const parser = loadRainContract("RainterpreterParser");
  const deployer = loadRainContract("RainterpreterExpressionDeployer");
  const codeCache = createCodeCache([
    { address: interpreter.address, kind: "interpreter", bytecode: interpreter.runtimeCode },
    { address: store.address, kind: "store", bytecode: store.runtimeCode },
    { address: parser.address, kind: "contract", bytecode: parser.runtimeCode },
    { address: deployer.address, kind: "contract", bytecode: deployer.runtimeCode },
  ]);
  return { interpreter, store, parser, deployer, codeCache };
}

const PARSE2 = parseAbi(["function parse2(bytes data) view returns (bytes)"]);

/** Parses Rainlang to Rain bytecode with the deployer's `parse2` (a view call in the host). */
export async function parseRainlang(
  host: EvmInterpreterHost,
  suite: RainSuite,
  rainlang: string,
): Promise<Hex> {
  const data = encodeFunctionData({
    abi: PARSE2,
    functionName: "parse2",
    args: [stringToHex(rainlang)],
  });
  const returned = await host.call({ to: suite.deployer.address, data });
  return decodeFunctionResult({ abi: PARSE2, functionName: "parse2", data: returned });
}

/**
 * Value of a packed Rain Float as `[coefficient, exponent]` (value = coefficient × 10^exponent),
 * decoded by hand from the layout: signed 32-bit exponent in the top 4 bytes, signed 224-bit
 * coefficient below.
 */
export function unpackFloat(word: Hex): [bigint, bigint] {
  const raw = BigInt(word);
  const exponent = BigInt.asIntN(32, raw >> 224n);
  const coefficient = BigInt.asIntN(224, raw & ((1n << 224n) - 1n));
  return [coefficient, exponent];
}

/** True when the packed Float `word` equals the rational `numerator / 10^scale`. */
export function floatEquals(word: Hex, numerator: bigint, scale = 0n): boolean {
  const [c, e] = unpackFloat(word);
  // c × 10^e == numerator × 10^-scale  ⇔  c × 10^(e + scale) == numerator
  const shift = e + scale;
  return shift >= 0n ? c * 10n ** shift === numerator : c === numerator * 10n ** -shift;
}
