/** Keccak-256 (`src/abi/keccak.ts`, used by the evaluator) against viem's on every length across three rate blocks, and the KV's bucket choice. */
import assert from "node:assert/strict";
import { keccak256 } from "viem";
import { keccak256Hex } from "../../src/abi/mod.ts";
import { kvListOf } from "../../src/rainvm/kv.ts";
import { prng } from "./_random.ts";

Deno.test("keccak256Hex", async (t) => {
  const random = prng(7);
  const bytes = (n: number) => {
    let hex = "0x";
    for (let i = 0; i < n; i++) hex += Math.floor(random() * 256).toString(16).padStart(2, "0");
    return hex as `0x${string}`;
  };

  await t.step("matches viem for lengths 0..420 (block boundaries at 136, 272)", () => {
    for (let n = 0; n <= 420; n++) {
      const input = bytes(n);
      assert.equal(keccak256Hex(input), keccak256(input), `length ${n}`);
    }
  });

  await t.step("accepts upper-case hex and rejects non-hex", () => {
    const input = bytes(32);
    assert.equal(keccak256Hex(input.toUpperCase().replace("0X", "0x")), keccak256(input));
    assert.throws(() => keccak256Hex("0xzz"), TypeError);
  });

  await t.step("the memory KV list is keccak256(key) mod 15", () => {
    for (let i = 0; i < 50; i++) {
      const key = bytes(32);
      assert.equal(kvListOf(key), Number(BigInt(keccak256(key)) % 15n));
    }
  });
});
