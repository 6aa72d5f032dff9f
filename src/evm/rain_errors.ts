/**
 * A small local table of Rain interpreter, parser and Float error signatures, to name the revert
 * data of a failed evaluation. (The full decoder lives in `src/abi`; this table keeps the host
 * self-contained.) Signatures are the ABI forms of the `error` declarations in rain.interpreter's
 * `src/error/*.sol`, rain.interpreter.interface and rain.math.float (`Float` is `bytes32` in the ABI).
 *
 * @module
 */
import { decodeAbiParameters, type Hex, parseAbiParameters, toFunctionSelector } from "viem";
import type { DecodedRevert } from "./errors.ts";

/** Known error signatures (ABI form), plus Solidity's `Error(string)` and `Panic(uint256)`. */
export const RAIN_ERROR_SIGNATURES: readonly string[] = [
  "Error(string)",
  "Panic(uint256)",
  "BadInputs(uint256,uint256)",
  "BadOpInputsLength(uint256,uint256,uint256)",
  "BadOpOutputsLength(uint256,uint256,uint256)",
  "InvalidSignature(uint256)",
  "NotAnExternContract(address)",
  "SourceIndexOutOfBounds(uint256,bytes)",
  "StackSizingsNotMonotonic(bytes,uint256)",
  "TruncatedHeader(bytes)",
  "TruncatedHeaderOffsets(bytes)",
  "TruncatedSource(bytes)",
  "UnexpectedSources(bytes)",
  "UnexpectedTrailingOffsetBytes(bytes)",
  "BadDynamicLength(uint256,uint256)",
  "BadOutputsLength(uint256,uint256)",
  "BadSubParserResult(bytes)",
  "CallOutputsExceedSource(uint256,uint256)",
  "CoefficientOverflow(int256,int256)",
  "ConstantOpcodeConstantsHeightOverflow(uint256)",
  "ContextGridOverflow(uint256,uint256)",
  "DanglingSource()",
  "DivisionByZero(int256,int256)",
  "DuplicateLHSItem(uint256)",
  "ExcessLHSItems(uint256)",
  "ExcessRHSItems(uint256)",
  "ExpectedLeftParen(uint256)",
  "ExpectedOperand()",
  "ExponentOverflow(int256,int256)",
  "ExponentUnderflow(int256,int256)",
  "ExternDispatchConstantsHeightOverflow(uint256)",
  "ExternOpcodeOutOfRange(uint256,uint256)",
  "ExternOpcodePointersEmpty()",
  "ExternPointersMismatch(uint256,uint256)",
  "FixedDecimalOverflow(int256,int256,uint8)",
  "HexLiteralOverflow(uint256)",
  "InputsLengthMismatch(uint256,uint256)",
  "InvalidSubParser(uint256)",
  "LHSItemCountOverflow(uint256)",
  "LineRHSItemsOverflow()",
  "Log10Negative(int256,int256)",
  "Log10Zero()",
  "LogTablesNotDeployed(address,bytes32,bytes32)",
  "LossyConversionFromFloat(int256,int256)",
  "LossyConversionToFloat(int256,int256)",
  "MalformedCommentStart(uint256)",
  "MalformedDecimalPoint(uint256)",
  "MalformedExponentDigits(uint256)",
  "MalformedHexLiteral(uint256)",
  "MaxSources()",
  "MaximizeOverflow(int256,int256)",
  "MissingFinalSemi(uint256)",
  "MulDivOverflow(uint256,uint256,uint256)",
  "NegativeFixedDecimalConversion(int256,int256)",
  "NoWhitespaceAfterUsingWordsFrom(uint256)",
  "NotAcceptingInputs(uint256)",
  "NotAnAddress(uint256)",
  "OddLengthHexLiteral(uint256)",
  "OddSetLength(uint256)",
  "OpcodeIOOverflow(uint256)",
  "OpcodeOutOfRange(uint256,uint256,uint256)",
  "OperandOverflow()",
  "OperandValuesOverflow(uint256)",
  "OutOfBoundsConstantRead(uint256,uint256,uint256)",
  "OutOfBoundsStackRead(uint256,uint256,uint256)",
  "ParenInputOverflow()",
  "ParenOverflow()",
  "ParseDecimalFloatExcessCharacters()",
  "ParseDecimalPrecisionLoss(uint256)",
  "ParseMemoryOverflow(uint256)",
  "ParseStackOverflow()",
  "ParseStackUnderflow()",
  "ParserOutOfBounds()",
  "PowNegativeBase(int256,int256)",
  "ScientificMinNotLessThanMax(bytes32,bytes32)",
  "SourceItemOpsOverflow()",
  "SourceTotalOpsOverflow()",
  "StackAllocationMismatch(uint256,uint256)",
  "StackOutputsMismatch(uint256,uint256)",
  "StackUnderflow(uint256,uint256,uint256)",
  "StackUnderflowHighwater(uint256,uint256,uint256)",
  "StringTooLong(uint256)",
  "SubParseLiteralDispatchLengthOverflow(uint256)",
  "SubParseableMissingDispatch(uint256)",
  "SubParserIndexOutOfBounds(uint256,uint256)",
  "TruncatedBitwiseEncoding(uint256,uint256)",
  "UnclosedComment(uint256)",
  "UnclosedLeftParen(uint256)",
  "UnclosedOperand(uint256)",
  "UnclosedStringLiteral(uint256)",
  "UnclosedSubParseableLiteral(uint256)",
  "UnexpectedComment(uint256)",
  "UnexpectedLHSChar(uint256)",
  "UnexpectedOperand()",
  "UnexpectedOperandValue()",
  "UnexpectedRHSChar(uint256)",
  "UnexpectedRightParen(uint256)",
  "UnformatableExponent(int256)",
  "UnknownWord(string)",
  "UnsupportedBitwiseShiftAmount(uint256)",
  "UnsupportedLiteralType(uint256)",
  "UppercaseHexPrefix(uint256)",
  "WithTargetExponentOverflow(int256,int256,int256)",
  "WordSize(string)",
  "WriteError()",
  "ZeroFunctionPointers()",
  "ZeroLengthBitwiseEncoding()",
  "ZeroLengthHexLiteral(uint256)",
  "ZeroNegativePower(bytes32)",
];

let bySelector: Map<string, { name: string; signature: string; types: string }> | undefined;

function table(): Map<string, { name: string; signature: string; types: string }> {
  if (bySelector !== undefined) return bySelector;
  bySelector = new Map();
  for (const signature of RAIN_ERROR_SIGNATURES) {
    const open = signature.indexOf("(");
    bySelector.set(toFunctionSelector(signature), {
      name: signature.slice(0, open),
      signature,
      types: signature.slice(open + 1, -1),
    });
  }
  return bySelector;
}

/**
 * Names revert data when its selector is a known error; `undefined` for unknown selectors, empty
 * data or arguments that do not decode.
 *
 * @param data Revert data as returned by the EVM.
 * @returns The decoded error, or `undefined`.
 * @example
 * ```ts
 * import { decodeRainRevert } from "./mod.ts";
 * // OddSetLength(3)
 * const data = "0x01c71f3d0000000000000000000000000000000000000000000000000000000000000003";
 * console.log(decodeRainRevert(data)?.name);
 * ```
 */
export function decodeRainRevert(data: Hex): DecodedRevert | undefined {
  if (data.length < 10) return undefined;
  const entry = table().get(data.slice(0, 10).toLowerCase());
  if (entry === undefined) return undefined;
  try {
    const args = entry.types === ""
      ? []
      : decodeAbiParameters(parseAbiParameters(entry.types), `0x${data.slice(10)}`);
    return { name: entry.name, signature: entry.signature, args: [...args] };
  } catch {
    return undefined;
  }
}
