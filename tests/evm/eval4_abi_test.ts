import assert from "node:assert/strict";
import {
  bytesToHex,
  decodeFunctionResult,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  pad,
  parseAbi,
  toFunctionSelector,
  toHex,
} from "viem";
import {
  decodeEval4ResultBytes,
  encodeEval4Bytes,
  EVAL4_SELECTOR,
  type EvalRequest,
  STORE_GET_SELECTOR,
} from "../../src/evm/mod.ts";
import { decodeEval4Result, encodeEval4 } from "../../src/evm/eval4_abi.ts";

// viem's encoder from a human-readable signature is the independent oracle here.
const ORACLE = parseAbi([
  "function eval4((address store, uint256 namespace, bytes bytecode, uint256 sourceIndex, bytes32[][] context, bytes32[] inputs, bytes32[] stateOverlay) eval) view returns (bytes32[], bytes32[])",
]);

/** Small seeded generator (mulberry32) so the cases are reproducible. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomHex(next: () => number, bytes: number): Hex {
  let out = "0x";
  for (let i = 0; i < bytes; i++) out += Math.floor(next() * 256).toString(16).padStart(2, "0");
  return out as Hex;
}

function randomRequest(next: () => number): EvalRequest {
  const words = (n: number) => Array.from({ length: n }, () => randomHex(next, 32));
  return {
    interpreter: "0x0000000000000000000000000000000000001001",
    store: randomHex(next, 20),
    namespace: BigInt(randomHex(next, 32)),
    bytecode: randomHex(next, Math.floor(next() * 100)),
    sourceIndex: Math.floor(next() * 3),
    context: Array.from({ length: Math.floor(next() * 6) }, () => words(Math.floor(next() * 5))),
    inputs: words(Math.floor(next() * 3)),
    stateOverlay: words(2 * Math.floor(next() * 3)),
  };
}

Deno.test("eval4 ABI", async (t) => {
  await t.step("selectors are the keccak of the ABI signatures", () => {
    assert.equal(
      EVAL4_SELECTOR,
      toFunctionSelector("eval4((address,uint256,bytes,uint256,bytes32[][],bytes32[],bytes32[]))"),
    );
    assert.equal(STORE_GET_SELECTOR, toFunctionSelector("get(uint256,bytes32)"));
  });

  await t.step("encoding equals viem's for 300 random requests", () => {
    const next = random(7);
    for (let i = 0; i < 300; i++) {
      const request = randomRequest(next);
      const expected = encodeFunctionData({
        abi: ORACLE,
        functionName: "eval4",
        args: [{ ...request, sourceIndex: BigInt(request.sourceIndex) }],
      });
      assert.equal(encodeEval4(request), expected);
      assert.equal(bytesToHex(encodeEval4Bytes(request)), expected);
    }
  });

  await t.step("decoding equals viem's for random results", () => {
    const next = random(11);
    for (let i = 0; i < 200; i++) {
      const stack = Array.from({ length: Math.floor(next() * 6) }, () => randomHex(next, 32));
      const writes = Array.from({ length: Math.floor(next() * 6) }, () => randomHex(next, 32));
      const data = encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [
        stack,
        writes,
      ]);
      const [oracleStack, oracleWrites] = decodeFunctionResult({
        abi: ORACLE,
        functionName: "eval4",
        data,
      });
      assert.deepEqual(decodeEval4Result(data), { stack: oracleStack, writes: oracleWrites });
    }
  });

  await t.step("malformed results are rejected", () => {
    const good = hexToBytes(
      encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [[pad("0x01")], []]),
    );
    assert.throws(() => decodeEval4ResultBytes(good.subarray(0, 40)), RangeError);
    assert.throws(() => decodeEval4ResultBytes(good.subarray(0, good.length - 32)), RangeError);
    const hugeOffset = good.slice();
    hugeOffset[0] = 1;
    assert.throws(() => decodeEval4ResultBytes(hugeOffset), RangeError);
    assert.throws(() => decodeEval4ResultBytes(new Uint8Array(0)), RangeError);
  });

  await t.step("bad request fields are rejected, not truncated", () => {
    const request = randomRequest(random(3));
    assert.throws(() => encodeEval4({ ...request, namespace: -1n }), RangeError);
    assert.throws(() => encodeEval4({ ...request, inputs: [toHex(1n << 256n)] }), RangeError);
    assert.throws(() => encodeEval4({ ...request, bytecode: "0xzz" }), RangeError);
    // Short words are refused: bytes32 would pad right, a number left.
    assert.throws(() => encodeEval4({ ...request, inputs: ["0x01"] }), RangeError);
    assert.throws(() => encodeEval4({ ...request, context: [["0x01"]] }), RangeError);
    assert.throws(() => encodeEval4({ ...request, store: "0x01" }), RangeError);
  });
});
