/**
 * `decodeRainError` on revert data built by hand from the Solidity signatures.
 */
import assert from "node:assert/strict";
import { type Hex, keccak256, toBytes } from "viem";
import { formatAbiItem } from "viem/utils";
import { decodeRainError, rainErrorsAbi } from "../../src/abi/mod.ts";

function word(value: bigint): string {
  return BigInt.asUintN(256, value).toString(16).padStart(64, "0");
}

function selector(signature: string): string {
  return keccak256(toBytes(signature)).slice(2, 10);
}

Deno.test("decodeRainError decodes known reverts", async (t) => {
  await t.step("no-argument orderbook error", () => {
    const data = `0x${selector("TokenSelfTrade()")}` as Hex;
    assert.deepEqual(decodeRainError(data), {
      name: "TokenSelfTrade",
      signature: "TokenSelfTrade()",
      selector: data,
      args: [],
    });
  });
  await t.step("V6 MinimumIO with Float arguments", () => {
    const min = `0x${word(5n)}` as Hex;
    const actual = `0x${word(3n)}` as Hex;
    const decoded = decodeRainError(
      `0x${selector("MinimumIO(bytes32,bytes32)")}${min.slice(2)}${actual.slice(2)}`,
    );
    assert.equal(decoded?.name, "MinimumIO");
    assert.deepEqual(decoded?.args, [min, actual]);
  });
  await t.step("V5 and V6 NotOrderOwner are told apart by selector", () => {
    const sender = "0x1111111111111111111111111111111111111111";
    const owner = "0x2222222222222222222222222222222222222222";
    const v5 = decodeRainError(
      `0x${selector("NotOrderOwner(address,address)")}${sender.slice(2).padStart(64, "0")}${
        owner.slice(2).padStart(64, "0")
      }`,
    );
    const v6 = decodeRainError(
      `0x${selector("NotOrderOwner(address)")}${owner.slice(2).padStart(64, "0")}`,
    );
    assert.equal(v5?.signature, "NotOrderOwner(address,address)");
    assert.deepEqual(v5?.args, [sender, owner]);
    assert.equal(v6?.signature, "NotOrderOwner(address)");
    assert.deepEqual(v6?.args, [owner]);
  });
  await t.step("float error with negative int256 arguments", () => {
    const decoded = decodeRainError(
      `0x${selector("ExponentOverflow(int256,int256)")}${word(-5n)}${word(2147483648n)}`,
    );
    assert.equal(decoded?.name, "ExponentOverflow");
    assert.deepEqual(decoded?.args, [-5n, 2147483648n]);
  });
  await t.step("TOFU read failure with its enum outcome", () => {
    const token = "0x4444444444444444444444444444444444444444";
    const decoded = decodeRainError(
      `0x${selector("TokenDecimalsReadFailure(address,uint8)")}${token.slice(2).padStart(64, "0")}${
        word(3n)
      }`,
    );
    assert.deepEqual(decoded?.args, [token, 3]);
  });
  await t.step("interpreter error with bytes argument", () => {
    const decoded = decodeRainError(
      `0x${selector("SourceIndexOutOfBounds(uint256,bytes)")}${word(1n)}${word(0x40n)}${word(2n)}${
        "abcd".padEnd(64, "0")
      }`,
    );
    assert.equal(decoded?.name, "SourceIndexOutOfBounds");
    assert.deepEqual(decoded?.args, [1n, "0xabcd"]);
  });
  await t.step("Error(string), e.g. a failed ensure", () => {
    // 0x08c379a0, offset 0x20, length 13, "ensure failed" padded.
    const text = Array.from(
      new TextEncoder().encode("ensure failed"),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    const data = `0x08c379a0${word(0x20n)}${word(13n)}${text.padEnd(64, "0")}` as Hex;
    const decoded = decodeRainError(data);
    assert.equal(decoded?.name, "Error");
    assert.deepEqual(decoded?.args, ["ensure failed"]);
  });
  await t.step("Panic(uint256) division by zero", () => {
    const decoded = decodeRainError(`0x4e487b71${word(0x12n)}`);
    assert.equal(decoded?.name, "Panic");
    assert.deepEqual(decoded?.args, [0x12n]);
  });
  await t.step("upper-case hex is accepted", () => {
    const data = `0x${selector("SameOwner()").toUpperCase()}` as Hex;
    assert.equal(decodeRainError(data)?.name, "SameOwner");
  });
});

Deno.test("decodeRainError returns undefined for what it cannot decode", async (t) => {
  await t.step("empty, short and non-hex data", () => {
    assert.equal(decodeRainError("0x"), undefined);
    assert.equal(decodeRainError("0x4e487b"), undefined);
    assert.equal(decodeRainError("0xzzzzzzzz" as Hex), undefined);
  });
  await t.step("unknown selector", () => {
    assert.equal(decodeRainError(`0x${selector("NotARainError()")}`), undefined);
  });
  await t.step("known selector with truncated arguments", () => {
    assert.equal(
      decodeRainError(`0x${selector("MinimumIO(bytes32,bytes32)")}${word(1n)}`),
      undefined,
    );
  });
});

Deno.test("rainErrorsAbi has no two errors with the same selector", () => {
  const selectors = rainErrorsAbi.map((item) =>
    keccak256(toBytes(formatAbiItem(item).replace(/^error /, ""))).slice(0, 10)
  );
  assert.equal(new Set(selectors).size, selectors.length);
  // Each decodes to itself (no shadowing by an earlier entry).
  for (const item of rainErrorsAbi) {
    const signature = formatAbiItem(item).replace(/^error /, "");
    if (item.inputs.length > 0) continue;
    assert.equal(decodeRainError(`0x${selector(signature)}`)?.name, item.name);
  }
});
