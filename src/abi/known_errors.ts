/**
 * Every Rain error vraindex knows by selector — orderbook V5 and V6, interpreter and store,
 * rain.math.float, the TOFU decimals reader, the OpenZeppelin errors the orderbook's token transfers
 * raise, and Solidity's `Error(string)` / `Panic(uint256)` — and a decoder for revert data.
 *
 * @module
 */
import { decodeAbiParameters, type Hex, toFunctionSelector } from "viem";
import { orderbookSharedErrorsAbi } from "./shared.ts";
import { orderbookV5ErrorsAbi } from "./v5.ts";
import { orderbookV6ErrorsAbi } from "./v6.ts";

/**
 * ABI of the known Rain errors. Two orderbook errors exist in two shapes
 * (`NotOrderOwner(address,address)` in V5, `NotOrderOwner(address)` in V6); both are listed, as
 * their selectors differ. `Float` arguments are `bytes32`, enums `uint8`.
 *
 * @example
 * ```ts
 * import { rainErrorsAbi } from "./known_errors.ts";
 * console.log(rainErrorsAbi.some((e) => e.name === "LossyConversionToFloat")); // true
 * ```
 */
export const rainErrorsAbi = [
  // orderbook (V5 and V6)
  ...orderbookSharedErrorsAbi,
  ...orderbookV5ErrorsAbi,
  ...orderbookV6ErrorsAbi,
  // rain.interpreter.interface src/error/ErrBytecode.sol
  {
    type: "error",
    name: "SourceIndexOutOfBounds",
    inputs: [{ name: "sourceIndex", type: "uint256" }, { name: "bytecode", type: "bytes" }],
  },
  { type: "error", name: "UnexpectedSources", inputs: [{ name: "bytecode", type: "bytes" }] },
  {
    type: "error",
    name: "UnexpectedTrailingOffsetBytes",
    inputs: [{ name: "bytecode", type: "bytes" }],
  },
  { type: "error", name: "TruncatedSource", inputs: [{ name: "bytecode", type: "bytes" }] },
  { type: "error", name: "TruncatedHeader", inputs: [{ name: "bytecode", type: "bytes" }] },
  { type: "error", name: "TruncatedHeaderOffsets", inputs: [{ name: "bytecode", type: "bytes" }] },
  {
    type: "error",
    name: "StackSizingsNotMonotonic",
    inputs: [{ name: "bytecode", type: "bytes" }, { name: "relativeOffset", type: "uint256" }],
  },
  // rain.interpreter.interface src/error/ErrExtern.sol, ErrIntegrity.sol
  { type: "error", name: "NotAnExternContract", inputs: [{ name: "extern", type: "address" }] },
  {
    type: "error",
    name: "BadInputs",
    inputs: [{ name: "expected", type: "uint256" }, { name: "actual", type: "uint256" }],
  },
  {
    type: "error",
    name: "BadOpInputsLength",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "calculatedInputs", type: "uint256" }, {
      name: "bytecodeInputs",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "BadOpOutputsLength",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "calculatedOutputs", type: "uint256" }, {
      name: "bytecodeOutputs",
      type: "uint256",
    }],
  },
  // rain.interpreter.interface lib: LibContext, LibParseMeta, LibGenParseMeta
  { type: "error", name: "InvalidSignature", inputs: [{ name: "i", type: "uint256" }] },
  {
    type: "error",
    name: "InvalidParseMeta",
    inputs: [{ name: "expected", type: "uint256" }, { name: "actual", type: "uint256" }],
  },
  { type: "error", name: "DuplicateFingerprint", inputs: [] },
  { type: "error", name: "AuthoringMetaTooLarge", inputs: [{ name: "length", type: "uint256" }] },
  { type: "error", name: "MaxDepthExceeded", inputs: [{ name: "maxDepth", type: "uint8" }] },
  // rain.interpreter src/error/ErrBitwise.sol
  {
    type: "error",
    name: "UnsupportedBitwiseShiftAmount",
    inputs: [{ name: "shiftAmount", type: "uint256" }],
  },
  {
    type: "error",
    name: "TruncatedBitwiseEncoding",
    inputs: [{ name: "startBit", type: "uint256" }, { name: "length", type: "uint256" }],
  },
  { type: "error", name: "ZeroLengthBitwiseEncoding", inputs: [] },
  // ErrDeploy.sol, ErrEval.sol
  { type: "error", name: "UnknownDeploymentSuite", inputs: [{ name: "suite", type: "bytes32" }] },
  {
    type: "error",
    name: "InputsLengthMismatch",
    inputs: [{ name: "expected", type: "uint256" }, { name: "actual", type: "uint256" }],
  },
  { type: "error", name: "ZeroFunctionPointers", inputs: [] },
  // ErrExtern.sol
  {
    type: "error",
    name: "ExternOpcodeOutOfRange",
    inputs: [{ name: "opcode", type: "uint256" }, { name: "fsCount", type: "uint256" }],
  },
  {
    type: "error",
    name: "ExternPointersMismatch",
    inputs: [{ name: "opcodeCount", type: "uint256" }, { name: "integrityCount", type: "uint256" }],
  },
  {
    type: "error",
    name: "BadOutputsLength",
    inputs: [{ name: "expectedLength", type: "uint256" }, {
      name: "actualLength",
      type: "uint256",
    }],
  },
  { type: "error", name: "ExternOpcodePointersEmpty", inputs: [] },
  // ErrIntegrity.sol
  {
    type: "error",
    name: "StackUnderflow",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "stackIndex", type: "uint256" }, {
      name: "calculatedInputs",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "StackUnderflowHighwater",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "stackIndex", type: "uint256" }, {
      name: "stackHighwater",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "StackAllocationMismatch",
    inputs: [{ name: "stackMaxIndex", type: "uint256" }, {
      name: "bytecodeAllocation",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "StackOutputsMismatch",
    inputs: [{ name: "stackIndex", type: "uint256" }, { name: "bytecodeOutputs", type: "uint256" }],
  },
  {
    type: "error",
    name: "OutOfBoundsConstantRead",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "constantsLength", type: "uint256" }, {
      name: "constantRead",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "OutOfBoundsStackRead",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "stackTopIndex", type: "uint256" }, {
      name: "stackRead",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "CallOutputsExceedSource",
    inputs: [{ name: "sourceOutputs", type: "uint256" }, { name: "outputs", type: "uint256" }],
  },
  {
    type: "error",
    name: "OpcodeOutOfRange",
    inputs: [{ name: "opIndex", type: "uint256" }, { name: "opcodeIndex", type: "uint256" }, {
      name: "fsCount",
      type: "uint256",
    }],
  },
  // ErrOpList.sol
  {
    type: "error",
    name: "BadDynamicLength",
    inputs: [{ name: "dynamicLength", type: "uint256" }, {
      name: "standardOpsLength",
      type: "uint256",
    }],
  },
  // ErrParse.sol
  { type: "error", name: "UnexpectedOperand", inputs: [] },
  { type: "error", name: "UnexpectedOperandValue", inputs: [] },
  { type: "error", name: "ExpectedOperand", inputs: [] },
  { type: "error", name: "OperandValuesOverflow", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnclosedOperand", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnsupportedLiteralType", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "StringTooLong", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnclosedStringLiteral", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "HexLiteralOverflow", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "ZeroLengthHexLiteral", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "OddLengthHexLiteral", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "MalformedHexLiteral", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "MissingFinalSemi", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnexpectedLHSChar", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnexpectedRHSChar", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "ExpectedLeftParen", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnexpectedRightParen", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnclosedLeftParen", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnexpectedComment", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "UnclosedComment", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "MalformedCommentStart", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "DuplicateLHSItem", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "ExcessLHSItems", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "NotAcceptingInputs", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "ExcessRHSItems", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "WordSize", inputs: [{ name: "word", type: "string" }] },
  { type: "error", name: "UnknownWord", inputs: [{ name: "word", type: "string" }] },
  { type: "error", name: "MaxSources", inputs: [] },
  { type: "error", name: "DanglingSource", inputs: [] },
  { type: "error", name: "ParserOutOfBounds", inputs: [] },
  { type: "error", name: "ParseStackOverflow", inputs: [] },
  { type: "error", name: "ParseStackUnderflow", inputs: [] },
  { type: "error", name: "ParenOverflow", inputs: [] },
  {
    type: "error",
    name: "NoWhitespaceAfterUsingWordsFrom",
    inputs: [{ name: "offset", type: "uint256" }],
  },
  { type: "error", name: "InvalidSubParser", inputs: [{ name: "offset", type: "uint256" }] },
  {
    type: "error",
    name: "UnclosedSubParseableLiteral",
    inputs: [{ name: "offset", type: "uint256" }],
  },
  {
    type: "error",
    name: "SubParseableMissingDispatch",
    inputs: [{ name: "offset", type: "uint256" }],
  },
  { type: "error", name: "BadSubParserResult", inputs: [{ name: "bytecode", type: "bytes" }] },
  { type: "error", name: "OpcodeIOOverflow", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "OperandOverflow", inputs: [] },
  {
    type: "error",
    name: "ParseMemoryOverflow",
    inputs: [{ name: "freeMemoryPointer", type: "uint256" }],
  },
  { type: "error", name: "SourceItemOpsOverflow", inputs: [] },
  { type: "error", name: "SourceTotalOpsOverflow", inputs: [] },
  { type: "error", name: "ParenInputOverflow", inputs: [] },
  { type: "error", name: "LineRHSItemsOverflow", inputs: [] },
  { type: "error", name: "UppercaseHexPrefix", inputs: [{ name: "offset", type: "uint256" }] },
  { type: "error", name: "LHSItemCountOverflow", inputs: [{ name: "offset", type: "uint256" }] },
  // ErrRainType.sol, ErrStore.sol
  { type: "error", name: "NotAnAddress", inputs: [{ name: "value", type: "uint256" }] },
  { type: "error", name: "OddSetLength", inputs: [{ name: "length", type: "uint256" }] },
  // ErrSubParse.sol
  {
    type: "error",
    name: "ExternDispatchConstantsHeightOverflow",
    inputs: [{ name: "constantsHeight", type: "uint256" }],
  },
  {
    type: "error",
    name: "ConstantOpcodeConstantsHeightOverflow",
    inputs: [{ name: "constantsHeight", type: "uint256" }],
  },
  {
    type: "error",
    name: "ContextGridOverflow",
    inputs: [{ name: "column", type: "uint256" }, { name: "row", type: "uint256" }],
  },
  {
    type: "error",
    name: "SubParserIndexOutOfBounds",
    inputs: [{ name: "index", type: "uint256" }, { name: "length", type: "uint256" }],
  },
  {
    type: "error",
    name: "SubParseLiteralDispatchLengthOverflow",
    inputs: [{ name: "dispatchLength", type: "uint256" }],
  },
  // reference extern
  { type: "error", name: "InvalidRepeatCount", inputs: [] },
  { type: "error", name: "UnconsumedRepeatDispatchBytes", inputs: [] },
  { type: "error", name: "RepeatLiteralTooLong", inputs: [{ name: "length", type: "uint256" }] },
  {
    type: "error",
    name: "RepeatDispatchNotDigit",
    inputs: [{ name: "dispatchValue", type: "uint256" }],
  },
  // rain.math.float src/error/ErrDecimalFloat.sol
  {
    type: "error",
    name: "CoefficientOverflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "ExponentOverflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "ExponentUnderflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "NegativeFixedDecimalConversion",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "FixedDecimalOverflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }, {
      name: "decimals",
      type: "uint8",
    }],
  },
  { type: "error", name: "Log10Zero", inputs: [] },
  {
    type: "error",
    name: "Log10Negative",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "LossyConversionToFloat",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "LossyConversionFromFloat",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  { type: "error", name: "ZeroNegativePower", inputs: [{ name: "b", type: "bytes32" }] },
  {
    type: "error",
    name: "MulDivOverflow",
    inputs: [{ name: "x", type: "uint256" }, { name: "y", type: "uint256" }, {
      name: "denominator",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "MaximizeOverflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "DivisionByZero",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  {
    type: "error",
    name: "PowNegativeBase",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  { type: "error", name: "WriteError", inputs: [] },
  {
    type: "error",
    name: "ScientificMinNotLessThanMax",
    inputs: [{ name: "scientificMin", type: "bytes32" }, {
      name: "scientificMax",
      type: "bytes32",
    }],
  },
  {
    type: "error",
    name: "LogTablesNotDeployed",
    inputs: [{ name: "tablesAddress", type: "address" }, {
      name: "expectedCodehash",
      type: "bytes32",
    }, { name: "actualCodehash", type: "bytes32" }],
  },
  { type: "error", name: "UnformatableExponent", inputs: [{ name: "exponent", type: "int256" }] },
  { type: "error", name: "MalformedDecimalPoint", inputs: [{ name: "position", type: "uint256" }] },
  {
    type: "error",
    name: "MalformedExponentDigits",
    inputs: [{ name: "position", type: "uint256" }],
  },
  {
    type: "error",
    name: "ParseDecimalPrecisionLoss",
    inputs: [{ name: "position", type: "uint256" }],
  },
  { type: "error", name: "ParseDecimalFloatExcessCharacters", inputs: [] },
  {
    type: "error",
    name: "WithTargetExponentOverflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }, {
      name: "targetExponent",
      type: "int256",
    }],
  },
  { type: "error", name: "LogTableIndexOutOfBounds", inputs: [{ name: "index", type: "uint256" }] },
  {
    type: "error",
    name: "MaximizeUnderflow",
    inputs: [{ name: "signedCoefficient", type: "int256" }, { name: "exponent", type: "int256" }],
  },
  // rain.tofu.erc20-decimals
  {
    type: "error",
    name: "TOFUTokenDecimalsNotDeployed",
    inputs: [{ name: "expectedAddress", type: "address" }],
  },
  // OpenZeppelin 5 (SafeERC20, Address, ERC-6093 token errors)
  { type: "error", name: "SafeERC20FailedOperation", inputs: [{ name: "token", type: "address" }] },
  { type: "error", name: "AddressEmptyCode", inputs: [{ name: "target", type: "address" }] },
  {
    type: "error",
    name: "AddressInsufficientBalance",
    inputs: [{ name: "account", type: "address" }],
  },
  { type: "error", name: "FailedInnerCall", inputs: [] },
  { type: "error", name: "FailedCall", inputs: [] },
  {
    type: "error",
    name: "InsufficientBalance",
    inputs: [{ name: "balance", type: "uint256" }, { name: "needed", type: "uint256" }],
  },
  {
    type: "error",
    name: "ERC20InsufficientBalance",
    inputs: [{ name: "sender", type: "address" }, { name: "balance", type: "uint256" }, {
      name: "needed",
      type: "uint256",
    }],
  },
  {
    type: "error",
    name: "ERC20InsufficientAllowance",
    inputs: [{ name: "spender", type: "address" }, { name: "allowance", type: "uint256" }, {
      name: "needed",
      type: "uint256",
    }],
  },
  { type: "error", name: "ERC20InvalidSender", inputs: [{ name: "sender", type: "address" }] },
  { type: "error", name: "ERC20InvalidReceiver", inputs: [{ name: "receiver", type: "address" }] },
  { type: "error", name: "ERC20InvalidApprover", inputs: [{ name: "approver", type: "address" }] },
  { type: "error", name: "ERC20InvalidSpender", inputs: [{ name: "spender", type: "address" }] },
  // Solidity built-ins
  { type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] },
  { type: "error", name: "Panic", inputs: [{ name: "code", type: "uint256" }] },
] as const;

/** Type of {@link rainErrorsAbi}. */
export type RainErrorsAbi = typeof rainErrorsAbi;

/** A revert decoded against {@link rainErrorsAbi}. */
export type DecodedRainError = {
  /** Error name, e.g. `"TokenSelfTrade"`, `"Error"`, `"Panic"`. */
  name: string;
  /** Canonical signature, e.g. `"MinimumIO(bytes32,bytes32)"`. */
  signature: string;
  /** The 4-byte selector the data started with. */
  selector: Hex;
  /** Decoded arguments, in order (bigint for integers, hex for bytes and addresses). */
  args: readonly unknown[];
};

type RainErrorItem = RainErrorsAbi[number];

let bySelector: Map<string, { item: RainErrorItem; signature: string }> | undefined;

// Built on first use: hashing ~150 signatures at import time would slow every importer.
function selectorIndex(): Map<string, { item: RainErrorItem; signature: string }> {
  if (bySelector === undefined) {
    bySelector = new Map();
    for (const item of rainErrorsAbi) {
      // Known errors take only elementary types, so the canonical signature is the plain list.
      const signature = `${item.name}(${item.inputs.map((input) => input.type).join(",")})`;
      const selector = toFunctionSelector(signature);
      if (!bySelector.has(selector)) bySelector.set(selector, { item, signature });
    }
  }
  return bySelector;
}

/**
 * Decodes revert data (`0x` + 4-byte selector + ABI-encoded arguments) as a known Rain error.
 *
 * @param data Revert data as returned by `eth_call` or an EVM run.
 * @returns The error's name, signature, selector and arguments; `undefined` when the data is empty,
 *   shorter than a selector, not hex, has an unknown selector, or its arguments do not decode.
 *
 * @example
 * ```ts
 * import { decodeRainError } from "./known_errors.ts";
 * // Panic(0x12): division by zero.
 * const panic = decodeRainError(`0x4e487b71${"12".padStart(64, "0")}`);
 * console.log(panic?.name, panic?.args); // Panic [ 18n ]
 * console.log(decodeRainError("0x00000000")); // undefined (unknown selector)
 * ```
 */
export function decodeRainError(data: Hex): DecodedRainError | undefined {
  if (typeof data !== "string" || data.length < 10 || !/^0x[0-9a-fA-F]*$/.test(data)) {
    return undefined;
  }
  const selector = data.slice(0, 10).toLowerCase() as Hex;
  const entry = selectorIndex().get(selector);
  if (entry === undefined) return undefined;
  try {
    const args = decodeAbiParameters(entry.item.inputs, `0x${data.slice(10)}`);
    return { name: entry.item.name, signature: entry.signature, selector, args };
  } catch {
    return undefined;
  }
}
