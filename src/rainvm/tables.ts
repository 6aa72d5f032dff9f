/**
 * Opcode tables of the interpreter builds the native evaluator knows, keyed by the runtime code
 * hash (`EXTCODEHASH`) of each build. A table lists every opcode of the build's function pointer
 * table in order (the eval loop reduces the opcode byte modulo its length) and, for each, whether
 * the native evaluator runs it and how the deploy-time integrity check sizes it.
 *
 * Opcode order is `LibAllStandardOps.opcodeFunctionPointers()` of rain.interpreter `2780cdd6`:
 * four fixed words, then every other word alphabetically by folder then file.
 *
 * @module
 */
import type { Hex } from "viem";
import { DEFAULT_FLOAT_VERSION, floatOps, type FloatVersion } from "../float/mod.ts";

/** Every word of Rain's standard table, in opcode order (index = opcode). */
export const RAIN_STANDARD_WORDS: readonly string[] = [
  "stack",
  "constant",
  "extern",
  "context",
  "bitwise-and",
  "bitwise-count-ones",
  "bitwise-decode",
  "bitwise-encode",
  "bitwise-or",
  "bitwise-shift-left",
  "bitwise-shift-right",
  "call",
  "hash",
  "erc20-allowance",
  "erc20-balance-of",
  "erc20-total-supply",
  "uint256-erc20-allowance",
  "uint256-erc20-balance-of",
  "uint256-erc20-total-supply",
  "erc5313-owner",
  "erc721-balance-of",
  "erc721-owner-of",
  "uint256-erc721-balance-of",
  "block-number",
  "block-timestamp",
  "now",
  "chain-id",
  "any",
  "binary-equal-to",
  "conditions",
  "ensure",
  "equal-to",
  "every",
  "greater-than",
  "greater-than-or-equal-to",
  "if",
  "is-zero",
  "less-than",
  "less-than-or-equal-to",
  "abs",
  "add",
  "avg",
  "ceil",
  "div",
  "e",
  "exp",
  "exp2",
  "floor",
  "frac",
  "gm",
  "headroom",
  "inv",
  "max",
  "max-negative-value",
  "max-positive-value",
  "min",
  "min-negative-value",
  "min-positive-value",
  "mul",
  "power",
  "sqrt",
  "sub",
  "exponential-growth",
  "linear-growth",
  "uint256-add",
  "uint256-div",
  "uint256-max-value",
  "uint256-mul",
  "uint256-power",
  "uint256-sub",
  "get",
  "set",
];

/**
 * Words the native evaluator implements (by name). Everything else in a table falls back: calls
 * to other contracts (`extern`, ERC-20/721/5313 reads) and the words that need Rain's log tables
 * (`exp`, `exp2`, `gm`, `power`, `sqrt`, `exponential-growth`).
 */
export const NATIVE_WORDS: ReadonlySet<string> = new Set([
  "stack",
  "constant",
  "context",
  "bitwise-and",
  "bitwise-count-ones",
  "bitwise-decode",
  "bitwise-encode",
  "bitwise-or",
  "bitwise-shift-left",
  "bitwise-shift-right",
  "call",
  "hash",
  "block-number",
  "block-timestamp",
  "now",
  "chain-id",
  "any",
  "binary-equal-to",
  "conditions",
  "ensure",
  "equal-to",
  "every",
  "greater-than",
  "greater-than-or-equal-to",
  "if",
  "is-zero",
  "less-than",
  "less-than-or-equal-to",
  "abs",
  "add",
  "avg",
  "ceil",
  "div",
  "e",
  "floor",
  "frac",
  "headroom",
  "inv",
  "max",
  "max-negative-value",
  "max-positive-value",
  "min",
  "min-negative-value",
  "min-positive-value",
  "mul",
  "sub",
  "linear-growth",
  "uint256-add",
  "uint256-div",
  "uint256-max-value",
  "uint256-mul",
  "uint256-power",
  "uint256-sub",
  "get",
  "set",
]);

/** The words vraindex's `FixtureInterpreter` implements (docs/fixtures.md), at Rain's indices. */
export const FIXTURE_WORDS: ReadonlySet<string> = new Set([
  "stack",
  "constant",
  "context",
  "bitwise-and",
  "bitwise-count-ones",
  "bitwise-or",
  "bitwise-shift-left",
  "bitwise-shift-right",
  "call",
  "hash",
  "uint256-erc20-allowance",
  "uint256-erc20-balance-of",
  "uint256-erc20-total-supply",
  "block-number",
  "block-timestamp",
  "now",
  "chain-id",
  "any",
  "binary-equal-to",
  "conditions",
  "ensure",
  "every",
  "if",
  "is-zero",
  "uint256-add",
  "uint256-div",
  "uint256-max-value",
  "uint256-mul",
  "uint256-sub",
  "get",
  "set",
]);

/** One build's opcode table. */
export type OpcodeTable = {
  /** Short name used in telemetry and errors. */
  readonly name: string;
  /** `keccak256` of the build's runtime code (what the code cache records as `codeHash`). */
  readonly codeHash: Hex;
  /** Word at each opcode index; its length is the modulus the eval loop applies. */
  readonly words: readonly string[];
  /**
   * For each opcode, the Rain word whose semantics the native evaluator applies, or `undefined`
   * when the build has the opcode but the evaluator does not run it natively (falls back).
   */
  readonly native: readonly (string | undefined)[];
  /**
   * The rain.math.float commit the build embeds; its Float words run with `floatOps(floatVersion)`
   * of `src/float` (zero packing, division by zero and `floor` differ between commits).
   */
  readonly floatVersion: FloatVersion;
};

/**
 * `keccak256` of `RUNTIME_CODE` in rain.interpreter `src/generated/Rainterpreter.pointers.sol` at
 * `2780cdd6` (equal to that file's `BYTECODE_HASH`). Only the hash is recorded here; the code
 * itself is never part of vraindex.
 */
export const RAINTERPRETER_2780CDD6_CODE_HASH: Hex =
  "0xb8b1fafca6bb155ca927e9c986e464d922281570c057f0813138e2b19633f3e0";

/**
 * `keccak256` of `deployedBytecode` in `fixtures/artifacts/FixtureInterpreter.json`
 * (`tests/rainvm/tables_test.ts` fails when the artifact is rebuilt and this is stale).
 */
export const FIXTURE_INTERPRETER_CODE_HASH: Hex =
  "0xfe64416d19d038327b5040cedf5a0485d018860e3b1f333db44927359fa3ecd1";

/**
 * Builds an opcode table for a build whose function pointer table is `words`, running natively
 * the words in `nativeWords` that the evaluator implements.
 *
 * @param parameters Name, runtime code hash, the build's words in opcode order, the subset to
 * run natively (default: every word the evaluator implements) and the rain.math.float version the
 * build embeds (default `DEFAULT_FLOAT_VERSION`, `"f00888c"`; pass the build's own version when
 * it has Float words).
 * @returns The table.
 * @example
 * ```ts
 * import { createOpcodeTable, RAIN_STANDARD_WORDS } from "./tables.ts";
 * const table = createOpcodeTable({
 *   name: "my-build",
 *   codeHash: `0x${"11".repeat(32)}`,
 *   words: RAIN_STANDARD_WORDS,
 * });
 * console.log(table.native[40]); // "add"
 * ```
 */
export function createOpcodeTable(parameters: {
  readonly name: string;
  readonly codeHash: Hex;
  readonly words: readonly string[];
  readonly nativeWords?: ReadonlySet<string>;
  readonly floatVersion?: FloatVersion;
}): OpcodeTable {
  const allowed = parameters.nativeWords ?? NATIVE_WORDS;
  if (parameters.words.length === 0 || parameters.words.length > 256) {
    throw new RangeError(`createOpcodeTable: ${parameters.words.length} words; need 1..256`);
  }
  const floatVersion = parameters.floatVersion ?? DEFAULT_FLOAT_VERSION;
  floatOps(floatVersion); // throws FloatInputError for a version src/float does not know
  return {
    name: parameters.name,
    codeHash: parameters.codeHash.toLowerCase() as Hex,
    words: parameters.words,
    native: parameters.words.map((word) =>
      allowed.has(word) && NATIVE_WORDS.has(word) ? word : undefined
    ),
    floatVersion,
  };
}

/**
 * The real `Rainterpreter` at rain.interpreter `2780cdd6` (its deterministic deployment is at
 * `0x3bF9bd9DA4784f75c92317e61c68493Ecc9aaBDC`).
 *
 * @example
 * ```ts
 * import { RAINTERPRETER_2780CDD6_TABLE } from "./tables.ts";
 * console.log(RAINTERPRETER_2780CDD6_TABLE.words.length); // 72
 * ```
 */
export const RAINTERPRETER_2780CDD6_TABLE: OpcodeTable = createOpcodeTable({
  name: "rainterpreter-2780cdd6",
  codeHash: RAINTERPRETER_2780CDD6_CODE_HASH,
  words: RAIN_STANDARD_WORDS,
  // rain.interpreter 2780cdd6 pins rain.math.float 1cf3969 (npm alpha.44).
  floatVersion: "1cf3969",
});

/**
 * vraindex's own `FixtureInterpreter`: Rain's opcode indices and modulus, a subset of the words
 * (no Float words, so the default Float version).
 *
 * @example
 * ```ts
 * import { FIXTURE_INTERPRETER_TABLE } from "./tables.ts";
 * console.log(FIXTURE_INTERPRETER_TABLE.native[40]); // undefined: no Float maths in the fixture
 * ```
 */
export const FIXTURE_INTERPRETER_TABLE: OpcodeTable = createOpcodeTable({
  name: "fixture-interpreter",
  codeHash: FIXTURE_INTERPRETER_CODE_HASH,
  words: RAIN_STANDARD_WORDS,
  nativeWords: FIXTURE_WORDS,
});

/**
 * The tables a native host knows by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_OPCODE_TABLES } from "./tables.ts";
 * console.log(DEFAULT_OPCODE_TABLES.map((t) => t.name));
 * ```
 */
export const DEFAULT_OPCODE_TABLES: readonly OpcodeTable[] = [
  RAINTERPRETER_2780CDD6_TABLE,
  FIXTURE_INTERPRETER_TABLE,
];
