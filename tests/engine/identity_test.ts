import assert from "node:assert/strict";
import { encodeAbiParameters, type Hex, keccak256, parseAbiParameters } from "viem";
import type { OrderV4 } from "../../src/abi/mod.ts";
import { canonicalOrder, hashOrder } from "../../src/engine/identity.ts";
import { keccak256Hex } from "../../src/abi/mod.ts";

// The oracle: viem's generic ABI encoder over the Solidity struct, and viem's keccak256.
const ORDER_V4 = parseAbiParameters(
  "(address owner, (address interpreter, address store, bytes bytecode) evaluable, (address token, bytes32 vaultId)[] validInputs, (address token, bytes32 vaultId)[] validOutputs, bytes32 nonce)",
);

let seed = 12345;
function randomByte(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed >> 16 & 0xff;
}
function randomHex(bytes: number): Hex {
  let out = "0x";
  for (let i = 0; i < bytes; i++) out += randomByte().toString(16).padStart(2, "0");
  return out as Hex;
}

Deno.test("engine keccak256Hex", async (t) => {
  await t.step("matches viem's keccak256 on every length across block boundaries", () => {
    for (let n = 0; n <= 420; n++) {
      const hex = randomHex(n);
      assert.equal(keccak256Hex(hex), keccak256(hex), `length ${n}`);
    }
  });
  await t.step("accepts upper-case hex digits and returns lower case", () => {
    const hex = randomHex(200);
    const upper = `0x${hex.slice(2).toUpperCase()}`;
    assert.equal(keccak256Hex(upper), keccak256(hex));
  });
  await t.step("the empty input gives the well-known digest", () => {
    assert.equal(
      keccak256Hex("0x"),
      "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
  });
  await t.step("rejects non-hex and odd-length input", () => {
    assert.throws(() => keccak256Hex("0x0g"), TypeError);
    assert.throws(() => keccak256Hex("0x0"), TypeError);
    assert.throws(() => keccak256Hex("ab"), TypeError);
  });
});

Deno.test("canonicalOrder hashes like abi.encode(order)", async (t) => {
  const address = () => randomHex(20);
  for (const [bytecodeLength, ios] of [[0, 0], [1, 1], [32, 2], [160, 1], [333, 3], [1000, 5]]) {
    await t.step(`bytecode ${bytecodeLength} bytes, ${ios} IOs each side`, () => {
      const io = () =>
        Array.from({ length: ios }, () => ({ token: address(), vaultId: randomHex(32) }));
      const order: OrderV4 = {
        owner: address(),
        evaluable: {
          interpreter: address(),
          store: address(),
          bytecode: randomHex(bytecodeLength),
        },
        validInputs: io(),
        validOutputs: io(),
        nonce: randomHex(32),
      };
      const expected = keccak256(encodeAbiParameters(ORDER_V4, [order as never]));
      const body = canonicalOrder(order);
      assert.equal(hashOrder(body), expected);
      // A non-canonical copy takes the validating ABI path and agrees.
      assert.equal(hashOrder({ ...order }), expected);
    });
  }
});

Deno.test("engine keccak256Hex rejects characters that only look like hex in their low byte", () => {
  // U+0130 and U+0161 have low bytes 0x30 ("0") and 0x61 ("a").
  assert.throws(() => keccak256Hex(`0x${"\u0130\u0161".repeat(4)}`), TypeError);
  assert.throws(() => keccak256Hex(`0x${"00".repeat(135)}\u0130a`), TypeError);
});
