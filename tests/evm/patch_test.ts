/**
 * The patch layer must not change results: the same calls on a patched and an unpatched
 * `@ethereumjs/evm` give the same return data, the same error and the same gas used.
 */
import assert from "node:assert/strict";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import { installEvmPatches, registerPatchedEvm } from "../../src/evm/patch.ts";
import { assemble, push, returnsData, revertsWith } from "./_asm.ts";

const MAIN = "0x0000000000000000000000000000000000001001";
const CALLEE = "0x0000000000000000000000000000000000002002";

/** Fills 40 words with large values in a loop (MSTORE of wide words, JUMPI) and hashes them. */
const HASH_LOOP = assemble([
  push(0),
  { label: "loop" },
  // mem[i*32] = i * big + ~i
  "DUP1",
  push("0x9e3779b97f4a7c15f39cc0605cedc8341082276bf3a27251f86c6a11d0c18e95", 32),
  "MUL",
  "DUP2",
  push(0x20),
  "MUL",
  "MSTORE",
  push(1),
  "ADD",
  "DUP1",
  push(40),
  "GT",
  { ref: "loop" },
  "JUMPI",
  push(40 * 32, 2),
  push(0),
  "KECCAK256",
  push(0),
  "MSTORE",
  // small words and an unaligned store
  push(7),
  push(0x31),
  "MSTORE",
  push(0x60),
  push(0),
  "RETURN",
]);

/** CALLs the callee, copies its return data and returns it with the call's success flag. */
const CALLER = assemble([
  push(0x20),
  push(0),
  push(0),
  push(0),
  push(0),
  push(CALLEE),
  "GAS",
  "CALL",
  push(0x40),
  "MSTORE",
  "RETURNDATASIZE",
  push(0),
  push(0),
  "RETURNDATACOPY",
  push(0x60),
  push(0),
  "RETURN",
]);

const CASES: Record<string, { code: Hex; gasLimit?: bigint; data?: Hex }> = {
  "hash loop": { code: HASH_LOOP },
  "call to another contract": { code: CALLER },
  "calldata echo": {
    code: assemble([
      "CALLDATASIZE",
      push(0),
      push(0),
      "CALLDATACOPY",
      "CALLDATASIZE",
      push(0),
      "RETURN",
    ]),
    data: "0xd04dfe23000000000000000000000000000000000000000000000000000000000000abcd",
  },
  "MLOAD of wide, small and unaligned words": {
    code: assemble([
      push("0xf102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 32),
      push(0),
      "MSTORE",
      push(0x2a),
      push(0x20),
      "MSTORE",
      push(0),
      "MLOAD",
      push(0x40),
      "MSTORE",
      push(0x20),
      "MLOAD",
      push(0x60),
      "MSTORE",
      push(0x11),
      "MLOAD",
      push(0x80),
      "MSTORE",
      push(0x500, 2),
      "MLOAD",
      push(0xa0),
      "MSTORE",
      push(0xc0),
      push(0),
      "RETURN",
    ]),
  },
  "revert with data": { code: revertsWith("0x01c71f3d") },
  "out of gas in a loop": {
    code: assemble([{ label: "top" }, { ref: "top" }, "JUMP"]),
    gasLimit: 30_000n,
  },
  "invalid opcode": { code: "0x6001fe" },
  "stack underflow": { code: "0x01" },
  "stack underflow inside a straight-line run after a jump": {
    code: assemble([
      { ref: "run" },
      "JUMP",
      { label: "run" },
      push(1),
      "ADD",
      push(2),
      push(3),
      "ADD",
      "STOP",
    ]),
  },
  "run cut short by running out of gas": {
    code: assemble([
      { ref: "run" },
      "JUMP",
      { label: "run" },
      ...Array.from({ length: 40 }, () => push(1)),
      "STOP",
    ]),
    gasLimit: 60n,
  },
  "invalid jump": { code: assemble([push(3), "JUMP", "STOP", "STOP"]) },
  "code without jumps": { code: returnsData("0x0102030405") },
};

async function newEvm(patched: boolean) {
  const evm = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
  });
  if (patched) registerPatchedEvm(evm, 1n);
  return evm;
}

Deno.test("EVM patch layer preserves results and gas", async (t) => {
  await installEvmPatches();
  for (const [name, testCase] of Object.entries(CASES)) {
    await t.step(name, async () => {
      const outcomes = [];
      for (const patched of [false, true]) {
        const evm = await newEvm(patched);
        await evm.stateManager.putCode(new EvmAddress(hexToBytes(MAIN)), hexToBytes(testCase.code));
        await evm.stateManager.putCode(
          new EvmAddress(hexToBytes(CALLEE)),
          hexToBytes(returnsData(HASH_LOOP.slice(0, 66) as Hex)),
        );
        // Twice on the same instance: the second run uses the cached jump analysis.
        for (let run = 0; run < 2; run++) {
          const result = await evm.runCall({
            to: new EvmAddress(hexToBytes(MAIN)),
            data: hexToBytes(testCase.data ?? "0x"),
            gasLimit: testCase.gasLimit ?? 1_000_000n,
            skipNonceIncrement: true,
          });
          // The library keeps addresses warm across top-level calls unless the journal is cleaned.
          await evm.journal.cleanup();
          outcomes.push({
            patched,
            returned: bytesToHex(result.execResult.returnValue),
            gasUsed: result.execResult.executionGasUsed,
            gasLeft: result.execResult.gas,
            error: result.execResult.exceptionError?.error,
          });
        }
      }
      const [plainFirst, plainSecond, patchedFirst, patchedSecond] = outcomes;
      for (const outcome of [plainSecond, patchedFirst, patchedSecond]) {
        assert.deepEqual(
          { ...outcome, patched: undefined },
          { ...plainFirst, patched: undefined },
        );
      }
    });
  }

  await t.step("with a step listener the library's own loop runs (and emits steps)", async () => {
    const evm = await newEvm(true);
    let steps = 0;
    evm.events.on("step", () => steps++);
    const traced = await evm.runCode({ code: hexToBytes(HASH_LOOP), gasLimit: 1_000_000n });
    const plain = await (await newEvm(false)).runCode({
      code: hexToBytes(HASH_LOOP),
      gasLimit: 1_000_000n,
    });
    assert.ok(steps > 400, `steps ${steps}`);
    assert.equal(bytesToHex(traced.returnValue), bytesToHex(plain.returnValue));
    assert.equal(traced.executionGasUsed, plain.executionGasUsed);
  });

  await t.step("MLOAD reads the 32-byte big-endian word (hand-checked)", async () => {
    const evm = await newEvm(true);
    const code = assemble([
      push("0xf102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 32),
      push(0),
      "MSTORE",
      // mload(0x18) = last 8 bytes of the word then 24 zero bytes; stored back at 0x40.
      push(0x18),
      "MLOAD",
      push(0x40),
      "MSTORE",
      push(0x20),
      push(0x40),
      "RETURN",
    ]);
    const result = await evm.runCode({ code: hexToBytes(code), gasLimit: 100_000n });
    assert.equal(
      bytesToHex(result.returnValue),
      `0x191a1b1c1d1e1f20${"00".repeat(24)}`,
    );
  });

  await t.step("MSTORE writes the 32-byte big-endian word (hand-checked)", async () => {
    const evm = await newEvm(true);
    const code = assemble([
      push("0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 32),
      push(0),
      "MSTORE",
      push(0xff),
      push(0x20),
      "MSTORE",
      push(0x40),
      push(0),
      "RETURN",
    ]);
    const result = await evm.runCode({ code: hexToBytes(code), gasLimit: 100_000n });
    assert.equal(
      bytesToHex(result.returnValue),
      "0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" +
        "00000000000000000000000000000000000000000000000000000000000000ff",
    );
  });
});
