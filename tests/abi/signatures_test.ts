/**
 * Every function, event and error the ABIs declare has the selector (or topic 0) of its canonical
 * Solidity signature, written out here by hand from Rain's interfaces — independent of the ABI
 * items.
 */
import assert from "node:assert/strict";
import { type Hex, keccak256, toBytes, toEventSelector, toFunctionSelector } from "viem";
import { formatAbiItem } from "viem/utils";
import {
  erc20TokenAbi,
  interpreterStoreV3Abi,
  interpreterV4Abi,
  orderbookV5Abi,
  orderbookV6Abi,
  rainErrorsAbi,
} from "../../src/abi/mod.ts";

type Sigs = { functions: string[]; events: string[]; errors: string[] };

// Shared V5/V6 functions (IOrderBookV5.sol / IRaindexV6.sol, OpenZeppelin Multicall, IERC3156FlashLender, ERC165).
const SHARED_FUNCTIONS = [
  "quote2(((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),uint256,uint256,(address,bytes32[],bytes)[]))",
  "vaultBalance2(address,address,bytes32)",
  "orderExists(bytes32)",
  "removeOrder3((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "clear3((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),(uint256,uint256,uint256,uint256,bytes32,bytes32),(address,bytes32[],bytes)[],(address,bytes32[],bytes)[])",
  "entask2(((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "multicall(bytes[])",
  "flashLoan(address,address,uint256,bytes)",
  "flashFee(address,uint256)",
  "maxFlashLoan(address)",
  "supportsInterface(bytes4)",
];

const V5_FUNCTIONS = [
  "addOrder3(((address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32,bytes32,bytes),((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "deposit3(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "withdraw3(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "takeOrders3((bytes32,bytes32,bytes32,((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),uint256,uint256,(address,bytes32[],bytes)[])[],bytes))",
];

const V6_FUNCTIONS = [
  "addOrder4(((address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32,bytes32,bytes),((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "deposit4(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "withdraw4(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
  "takeOrders4((bytes32,bytes32,bytes32,bool,((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),uint256,uint256,(address,bytes32[],bytes)[])[],bytes))",
];

const ORDERBOOK_EVENTS = [
  "AddOrderV3(address,bytes32,(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32))",
  "RemoveOrderV3(address,bytes32,(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32))",
  "DepositV2(address,address,bytes32,uint256)",
  "WithdrawV2(address,address,bytes32,bytes32,bytes32,uint256)",
  "TakeOrderV3(address,((address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),uint256,uint256,(address,bytes32[],bytes)[]),bytes32,bytes32)",
  "ClearV3(address,(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32),(uint256,uint256,uint256,uint256,bytes32,bytes32))",
  "AfterClearV2(address,(bytes32,bytes32,bytes32,bytes32))",
  "ContextV2(address,bytes32[][])",
  "MetaV1_2(address,bytes32,bytes)",
  "OrderNotFound(address,address,bytes32)",
  "OrderZeroAmount(address,address,bytes32)",
  "OrderExceedsMaxRatio(address,address,bytes32)",
];

const SHARED_ERRORS = [
  "ZeroDepositAmount(address,address,bytes32)",
  "ZeroWithdrawTargetAmount(address,address,bytes32)",
  "OrderNoSources()",
  "OrderNoHandleIO()",
  "OrderNoInputs()",
  "OrderNoOutputs()",
  "NoOrders()",
  "ReentrancyGuardReentrantCall()",
  "TokenMismatch()",
  "TokenSelfTrade()",
  "SameOwner()",
  "UnsupportedCalculateOutputs(uint256)",
  "NegativeVaultBalance(bytes32)",
  "NegativeVaultBalanceChange(bytes32)",
  "NegativePull()",
  "NegativePush()",
  "NegativeBounty()",
  "ClearZeroAmount()",
  "TokenDecimalsReadFailure(address,uint8)",
  "FlashLenderCallbackFailed(bytes32)",
];

const V5_ERRORS = [
  "ZeroMaximumInput()",
  "MinimumInput(bytes32,bytes32)",
  "NotOrderOwner(address,address)",
  "TokenDecimalsMismatch()",
  "UnsupportedCalculateInputs(uint256)",
  "NegativeInput()",
  "NegativeOutput()",
];

const V6_ERRORS = [
  "ZeroVaultId(address,address)",
  "ZeroMaximumIO()",
  "MinimumIO(bytes32,bytes32)",
  "NotOrderOwner(address)",
];

// Interpreter, store, parser, float, TOFU, OpenZeppelin and Solidity built-in errors.
const OTHER_KNOWN_ERRORS = [
  "SourceIndexOutOfBounds(uint256,bytes)",
  "UnexpectedSources(bytes)",
  "UnexpectedTrailingOffsetBytes(bytes)",
  "TruncatedSource(bytes)",
  "TruncatedHeader(bytes)",
  "TruncatedHeaderOffsets(bytes)",
  "StackSizingsNotMonotonic(bytes,uint256)",
  "NotAnExternContract(address)",
  "BadInputs(uint256,uint256)",
  "BadOpInputsLength(uint256,uint256,uint256)",
  "BadOpOutputsLength(uint256,uint256,uint256)",
  "InvalidSignature(uint256)",
  "InvalidParseMeta(uint256,uint256)",
  "DuplicateFingerprint()",
  "AuthoringMetaTooLarge(uint256)",
  "MaxDepthExceeded(uint8)",
  "UnsupportedBitwiseShiftAmount(uint256)",
  "TruncatedBitwiseEncoding(uint256,uint256)",
  "ZeroLengthBitwiseEncoding()",
  "UnknownDeploymentSuite(bytes32)",
  "InputsLengthMismatch(uint256,uint256)",
  "ZeroFunctionPointers()",
  "ExternOpcodeOutOfRange(uint256,uint256)",
  "ExternPointersMismatch(uint256,uint256)",
  "BadOutputsLength(uint256,uint256)",
  "ExternOpcodePointersEmpty()",
  "StackUnderflow(uint256,uint256,uint256)",
  "StackUnderflowHighwater(uint256,uint256,uint256)",
  "StackAllocationMismatch(uint256,uint256)",
  "StackOutputsMismatch(uint256,uint256)",
  "OutOfBoundsConstantRead(uint256,uint256,uint256)",
  "OutOfBoundsStackRead(uint256,uint256,uint256)",
  "CallOutputsExceedSource(uint256,uint256)",
  "OpcodeOutOfRange(uint256,uint256,uint256)",
  "BadDynamicLength(uint256,uint256)",
  "UnexpectedOperand()",
  "UnexpectedOperandValue()",
  "ExpectedOperand()",
  "OperandValuesOverflow(uint256)",
  "UnclosedOperand(uint256)",
  "UnsupportedLiteralType(uint256)",
  "StringTooLong(uint256)",
  "UnclosedStringLiteral(uint256)",
  "HexLiteralOverflow(uint256)",
  "ZeroLengthHexLiteral(uint256)",
  "OddLengthHexLiteral(uint256)",
  "MalformedHexLiteral(uint256)",
  "MissingFinalSemi(uint256)",
  "UnexpectedLHSChar(uint256)",
  "UnexpectedRHSChar(uint256)",
  "ExpectedLeftParen(uint256)",
  "UnexpectedRightParen(uint256)",
  "UnclosedLeftParen(uint256)",
  "UnexpectedComment(uint256)",
  "UnclosedComment(uint256)",
  "MalformedCommentStart(uint256)",
  "DuplicateLHSItem(uint256)",
  "ExcessLHSItems(uint256)",
  "NotAcceptingInputs(uint256)",
  "ExcessRHSItems(uint256)",
  "WordSize(string)",
  "UnknownWord(string)",
  "MaxSources()",
  "DanglingSource()",
  "ParserOutOfBounds()",
  "ParseStackOverflow()",
  "ParseStackUnderflow()",
  "ParenOverflow()",
  "NoWhitespaceAfterUsingWordsFrom(uint256)",
  "InvalidSubParser(uint256)",
  "UnclosedSubParseableLiteral(uint256)",
  "SubParseableMissingDispatch(uint256)",
  "BadSubParserResult(bytes)",
  "OpcodeIOOverflow(uint256)",
  "OperandOverflow()",
  "ParseMemoryOverflow(uint256)",
  "SourceItemOpsOverflow()",
  "SourceTotalOpsOverflow()",
  "ParenInputOverflow()",
  "LineRHSItemsOverflow()",
  "UppercaseHexPrefix(uint256)",
  "LHSItemCountOverflow(uint256)",
  "NotAnAddress(uint256)",
  "OddSetLength(uint256)",
  "ExternDispatchConstantsHeightOverflow(uint256)",
  "ConstantOpcodeConstantsHeightOverflow(uint256)",
  "ContextGridOverflow(uint256,uint256)",
  "SubParserIndexOutOfBounds(uint256,uint256)",
  "SubParseLiteralDispatchLengthOverflow(uint256)",
  "InvalidRepeatCount()",
  "UnconsumedRepeatDispatchBytes()",
  "RepeatLiteralTooLong(uint256)",
  "RepeatDispatchNotDigit(uint256)",
  "CoefficientOverflow(int256,int256)",
  "ExponentOverflow(int256,int256)",
  "ExponentUnderflow(int256,int256)",
  "NegativeFixedDecimalConversion(int256,int256)",
  "FixedDecimalOverflow(int256,int256,uint8)",
  "Log10Zero()",
  "Log10Negative(int256,int256)",
  "LossyConversionToFloat(int256,int256)",
  "LossyConversionFromFloat(int256,int256)",
  "ZeroNegativePower(bytes32)",
  "MulDivOverflow(uint256,uint256,uint256)",
  "MaximizeOverflow(int256,int256)",
  "DivisionByZero(int256,int256)",
  "PowNegativeBase(int256,int256)",
  "WriteError()",
  "ScientificMinNotLessThanMax(bytes32,bytes32)",
  "LogTablesNotDeployed(address,bytes32,bytes32)",
  "UnformatableExponent(int256)",
  "MalformedDecimalPoint(uint256)",
  "MalformedExponentDigits(uint256)",
  "ParseDecimalPrecisionLoss(uint256)",
  "ParseDecimalFloatExcessCharacters()",
  "WithTargetExponentOverflow(int256,int256,int256)",
  "LogTableIndexOutOfBounds(uint256)",
  "MaximizeUnderflow(int256,int256)",
  "TOFUTokenDecimalsNotDeployed(address)",
  "SafeERC20FailedOperation(address)",
  "AddressEmptyCode(address)",
  "AddressInsufficientBalance(address)",
  "FailedInnerCall()",
  "FailedCall()",
  "InsufficientBalance(uint256,uint256)",
  "ERC20InsufficientBalance(address,uint256,uint256)",
  "ERC20InsufficientAllowance(address,uint256,uint256)",
  "ERC20InvalidSender(address)",
  "ERC20InvalidReceiver(address)",
  "ERC20InvalidApprover(address)",
  "ERC20InvalidSpender(address)",
  "Error(string)",
  "Panic(uint256)",
];

const EXPECTED: Record<string, { abi: readonly unknown[]; sigs: Sigs }> = {
  orderbookV5Abi: {
    abi: orderbookV5Abi,
    sigs: {
      functions: [...SHARED_FUNCTIONS, ...V5_FUNCTIONS],
      events: ORDERBOOK_EVENTS,
      errors: [...SHARED_ERRORS, ...V5_ERRORS],
    },
  },
  orderbookV6Abi: {
    abi: orderbookV6Abi,
    sigs: {
      functions: [...SHARED_FUNCTIONS, ...V6_FUNCTIONS],
      events: ORDERBOOK_EVENTS,
      errors: [...SHARED_ERRORS, ...V6_ERRORS],
    },
  },
  interpreterV4Abi: {
    abi: interpreterV4Abi,
    sigs: {
      functions: ["eval4((address,uint256,bytes,uint256,bytes32[][],bytes32[],bytes32[]))"],
      events: [],
      errors: [],
    },
  },
  interpreterStoreV3Abi: {
    abi: interpreterStoreV3Abi,
    sigs: {
      functions: ["set(uint256,bytes32[])", "get(uint256,bytes32)"],
      events: ["Set(uint256,bytes32,bytes32)"],
      errors: ["OddSetLength(uint256)"],
    },
  },
  erc20TokenAbi: {
    abi: erc20TokenAbi,
    sigs: {
      functions: [
        "decimals()",
        "symbol()",
        "name()",
        "totalSupply()",
        "balanceOf(address)",
        "allowance(address,address)",
        "transfer(address,uint256)",
        "transferFrom(address,address,uint256)",
        "approve(address,uint256)",
      ],
      events: ["Transfer(address,address,uint256)", "Approval(address,address,uint256)"],
      errors: [],
    },
  },
  rainErrorsAbi: {
    abi: rainErrorsAbi,
    sigs: {
      functions: [],
      events: [],
      errors: [...SHARED_ERRORS, ...V5_ERRORS, ...V6_ERRORS, ...OTHER_KNOWN_ERRORS],
    },
  },
};

function hashSig(signature: string): Hex {
  return keccak256(toBytes(signature));
}

type Item = { type: string; name?: string };

function viemSelector(item: Item): Hex {
  if (item.type === "event") return toEventSelector(item as Parameters<typeof toEventSelector>[0]);
  if (item.type === "function") {
    return toFunctionSelector(item as Parameters<typeof toFunctionSelector>[0]);
  }
  // viem's toFunctionSelector is typed for functions only; errors hash the same way.
  return toFunctionSelector(formatAbiItem(item as Parameters<typeof formatAbiItem>[0]));
}

Deno.test("ABI selectors equal keccak256 of the hand-written Solidity signatures", async (t) => {
  for (const [abiName, { abi, sigs }] of Object.entries(EXPECTED)) {
    for (const kind of ["functions", "events", "errors"] as const) {
      await t.step(`${abiName} ${kind}`, () => {
        const type = kind.slice(0, -1);
        const items = (abi as Item[]).filter((item) => item.type === type);
        const expected = sigs[kind].map((sig) =>
          kind === "events" ? hashSig(sig) : hashSig(sig).slice(0, 10)
        );
        const actual = items.map(viemSelector);
        assert.equal(new Set(expected).size, expected.length, "hand-written list has duplicates");
        assert.equal(actual.length, expected.length, `${abiName}: ${kind} count`);
        assert.deepEqual([...actual].sort(), [...expected].sort());
        // Same order too: each item is declared where the table lists it.
        assert.deepEqual(actual, expected);
      });
    }
  }
});

Deno.test("orderbook and store events have no indexed parameters; ERC-20 events index addresses", async (t) => {
  await t.step("Rain events", () => {
    for (const abi of [orderbookV5Abi, orderbookV6Abi, interpreterStoreV3Abi]) {
      for (const item of abi) {
        if (item.type !== "event") continue;
        for (const input of item.inputs) assert.equal(input.indexed, false, item.name);
      }
    }
  });
  await t.step("ERC-20 Transfer and Approval", () => {
    for (const item of erc20TokenAbi) {
      if (item.type !== "event") continue;
      assert.deepEqual(item.inputs.map((i) => i.indexed), [true, true, false]);
    }
  });
});

// Selectors and topics found (as PUSH4/PUSH32 operands) in the runtime code of Rain's compiled
// OrderBookV6, Rainterpreter and RainterpreterStore (`src/generated/*.pointers.sol` of
// rain.orderbook 247b3475d and rain.interpreter 2780cdd6), plus well-known ERC/Solidity selectors.
const OBSERVED: Record<string, Hex> = {
  "quote2": "0x9235084d",
  "vaultBalance2": "0x41d1514f",
  "orderExists": "0x2cb77e9f",
  "removeOrder3": "0x1f69cb75",
  "clear3": "0xfa501182",
  "entask2": "0xd7e442ec",
  "multicall": "0xac9650d8",
  "flashLoan": "0x5cffe9de",
  "flashFee": "0xd9d98ce4",
  "maxFlashLoan": "0x613255ab",
  "supportsInterface": "0x01ffc9a7",
  "addOrder4": "0x709fb8a5",
  "deposit4": "0x2fbc4ba0",
  "withdraw4": "0x60746119",
  "takeOrders4": "0x69c72856",
  "AddOrderV3": "0x87491344dfbcf91f6cbbc610cbbeedc85313d37a02df0c93527f7ea5f8db717f",
  "RemoveOrderV3": "0x09d18501db0080ca2d6cd7c17fa7255daff4b2d503ea93b76ff68b6752ea8e63",
  "DepositV2": "0x7f9dfa19cf1cc2f806f2f860fbc9c056b601fb1afc0e9b843dfe5c63616268e6",
  "WithdrawV2": "0x8045c25080b0868951141ed0a91720bcad09a8364a2b3109ee1fd49c1f0bc8b8",
  "TakeOrderV3": "0x194f1feb3b4d7076a2c272e774e792e0c48bb8c7aa1a9a3671c1cd6da9e6b4c1",
  "ClearV3": "0x6fa7f4c28634b0a9d6831401c45ae468195fb63aed07308935c35374ff5d9e39",
  "AfterClearV2": "0xd9fa84dd790c969daa5c33d8050dc06b4a9b59d5b42e2be5f5e8ae20447f618d",
  "ContextV2": "0x4cb6e22a3e7e651d7cf0376cff48f20f5007a54147777865be7f5f6c38c50f4a",
  "MetaV1_2": "0xd46c2c56b35c8210e9e712ec3f02242d5fc90187c0ac8ed80cc33626846ec369",
  "OrderNotFound": "0xb70c12fa453793fa6818ec07c91e74363a47aa6a6829dcd9533937fdf30314f3",
  "OrderZeroAmount": "0x500b713857325f9e6dcb52ae832eca9109d107ed1aae9cb4928b4c1e13f051aa",
  "OrderExceedsMaxRatio": "0xe3151dc8cb7a54ffc4baabd28c1f241c94d510b5e5b502491ac3cad6c16316d5",
  "eval4": "0xd04dfe23",
  "set": "0x04b19db4",
  "get": "0x295f36d7",
  "Set": "0x245edc72356e0d4eee6c8edc5e2f5cbe7cc71f347769147ef686bc681845da87",
  "transfer": "0xa9059cbb",
  "transferFrom": "0x23b872dd",
  "approve": "0x095ea7b3",
  "balanceOf": "0x70a08231",
  "allowance": "0xdd62ed3e",
  "decimals": "0x313ce567",
  "Transfer": "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
  "Approval": "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925",
  "Error": "0x08c379a0",
  "Panic": "0x4e487b71",
};

Deno.test("selectors match those observed in Rain's compiled contracts", () => {
  const seen = new Set<string>();
  for (const abi of [orderbookV6Abi, interpreterV4Abi, interpreterStoreV3Abi, erc20TokenAbi]) {
    for (const item of abi as readonly Item[]) {
      const expected = item.name === undefined ? undefined : OBSERVED[item.name];
      if (expected === undefined || item.type === "error") continue;
      assert.equal(viemSelector(item), expected, item.name);
      seen.add(item.name!);
    }
  }
  for (const item of rainErrorsAbi) {
    if (item.name === "Error" || item.name === "Panic") {
      assert.equal(viemSelector(item), OBSERVED[item.name]);
      seen.add(item.name);
    }
  }
  assert.equal(seen.size, Object.keys(OBSERVED).length);
});
