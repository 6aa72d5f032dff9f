/**
 * `eval4` and store `get` codecs against hand-built ABI words.
 */
import assert from "node:assert/strict";
import { type Hex, keccak256, toBytes } from "viem";
import {
  AbiDecodeError,
  AbiEncodeError,
  decodeEval4Call,
  decodeEval4Result,
  decodeStoreGetCall,
  encodeEval4Call,
  encodeStoreGetResult,
  type EvalV4,
  storeGetSelector,
} from "../../src/abi/mod.ts";

function word(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

function selector(signature: string): string {
  return keccak256(toBytes(signature)).slice(2, 10);
}

const STORE = "0x3333333333333333333333333333333333333333";
const A = `0x${word(0xaan)}` as Hex;
const B = `0x${word(0xbbn)}` as Hex;
const K = `0x${word(0x6bn)}` as Hex;
const V = `0x${word(0x76n)}` as Hex;

const request: EvalV4 = {
  store: STORE,
  namespace: 7n,
  bytecode: "0x0102",
  sourceIndex: 1n,
  context: [[A, B], []],
  inputs: [],
  stateOverlay: [K, V],
};

// selector + abi.encode(EvalV4) for `request`, laid out by hand.
const handCalldata = `0x${
  [
    selector("eval4((address,uint256,bytes,uint256,bytes32[][],bytes32[],bytes32[]))"),
    word(0x20n), // offset of the EvalV4 tuple
    // tuple head (7 words = 0xe0)
    STORE.slice(2).padStart(64, "0"),
    word(7n), // namespace
    word(0xe0n), // bytecode offset
    word(1n), // sourceIndex
    word(0x120n), // context offset: 0xe0 + bytecode (len + 1 word)
    word(0x200n), // inputs offset: 0x120 + context size (7 words)
    word(0x220n), // stateOverlay offset: 0x200 + inputs (len only)
    // bytecode
    word(2n),
    "0102".padEnd(64, "0"),
    // context: bytes32[][] — length, two offsets (relative to after the length), then arrays
    word(2n),
    word(0x40n),
    word(0xa0n), // 0x40 + (len + 2 words)
    word(2n),
    A.slice(2),
    B.slice(2),
    word(0n),
    // inputs
    word(0n),
    // stateOverlay
    word(2n),
    K.slice(2),
    V.slice(2),
  ].join("")
}` as Hex;

Deno.test("encodeEval4Call / decodeEval4Call", async (t) => {
  await t.step("matches the hand-built calldata", () => {
    assert.equal(encodeEval4Call(request), handCalldata);
  });
  await t.step("decodes the hand-built calldata", () => {
    assert.deepEqual(decodeEval4Call(handCalldata), request);
  });
  await t.step("bad store address is a typed error", () => {
    assert.throws(
      () => encodeEval4Call({ ...request, store: "0x33" }),
      (error: unknown) => error instanceof AbiEncodeError && error.details.what === "EvalV4",
    );
  });
  await t.step("other selector is a typed error", () => {
    assert.throws(() => decodeEval4Call(`0xdeadbeef${word(0n)}`), AbiDecodeError);
  });
});

Deno.test("decodeEval4Result", async (t) => {
  await t.step("stack and writes from hand-built return data", () => {
    const data = `0x${
      [
        word(0x40n), // stack offset
        word(0xa0n), // writes offset: 0x40 + (len + 2 words)
        word(2n),
        B.slice(2), // top of stack first
        A.slice(2),
        word(2n),
        K.slice(2),
        V.slice(2),
      ].join("")
    }` as Hex;
    assert.deepEqual(decodeEval4Result(data), { stack: [B, A], writes: [K, V] });
  });
  await t.step("truncated data is a typed error", () => {
    assert.throws(
      () => decodeEval4Result(`0x${word(0x40n)}`),
      (error: unknown) =>
        error instanceof AbiDecodeError && error.name === "AbiDecodeError" &&
        error.details.what === "eval4 result",
    );
  });
});

Deno.test("store get codec", async (t) => {
  await t.step("selector is keccak256('get(uint256,bytes32)')", () => {
    assert.equal(storeGetSelector, `0x${selector("get(uint256,bytes32)")}`);
  });
  await t.step("decodes hand-built calldata", () => {
    const data = `0x${selector("get(uint256,bytes32)")}${word(123n)}${K.slice(2)}` as Hex;
    assert.deepEqual(decodeStoreGetCall(data), { namespace: 123n, key: K });
  });
  await t.step("other selectors fall through", () => {
    const set = `0x${selector("set(uint256,bytes32[])")}${word(0x40n)}${word(0n)}` as Hex;
    assert.equal(decodeStoreGetCall(set), undefined);
    assert.equal(decodeStoreGetCall("0x"), undefined);
  });
  await t.step("truncated get calldata is a typed error", () => {
    assert.throws(
      () => decodeStoreGetCall(`0x${selector("get(uint256,bytes32)")}${word(1n)}` as Hex),
      AbiDecodeError,
    );
  });
  await t.step("encodes the value as one word", () => {
    assert.equal(encodeStoreGetResult(V), V);
    assert.throws(() => encodeStoreGetResult("0x01"), AbiEncodeError);
  });
});
