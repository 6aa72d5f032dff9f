/**
 * Rain bytecode codec: byte layouts checked by hand against rain.interpreter's
 * `LibInterpreterStateDataContract` / `LibParseState.buildBytecode` / `LibIntegrityCheck`, round
 * trips, and malformed input. (The opt-in `tests/fixtures/real_rain_test.ts` also checks the codec
 * against the real parser's output.)
 */
import assert from "node:assert/strict";
import type { Hex } from "viem";
import {
  decodeRainBytecode,
  encodeRainBytecode,
  InvalidRainProgramError,
  MalformedRainBytecodeError,
  type RainOp,
  type RainProgramInput,
} from "../../src/rainvm/mod.ts";
import { isVraindexError } from "../../src/errors/mod.ts";
import { prng } from "../_helpers/prng.ts";

const w = (value: number | bigint): string => BigInt(value).toString(16).padStart(64, "0");
const word = (value: number | bigint): Hex => `0x${w(value)}`;
const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});
const constant = (i: number) => op(1, 0, 1, i);

function assertInvalid(program: RainProgramInput, reason: string): void {
  assert.throws(() => encodeRainBytecode(program), (error: unknown) => {
    assert.ok(error instanceof InvalidRainProgramError);
    assert.ok(isVraindexError(error, "InvalidRainProgramError"));
    assert.equal(error.details.reason, reason);
    return true;
  });
}

function assertMalformed(hex: string, reason: string, offset?: number): void {
  assert.throws(() => decodeRainBytecode(hex as Hex), (error: unknown) => {
    assert.ok(error instanceof MalformedRainBytecodeError);
    assert.equal(error.name, "MalformedRainBytecodeError");
    assert.equal(error.details.reason, reason);
    if (offset !== undefined) assert.equal(error.details.offset, offset);
    return true;
  });
}

Deno.test("encodeRainBytecode: byte layouts by hand", async (t) => {
  await t.step("`_ _: 10 2;`: two constants, one source of two constant ops", () => {
    const hex = encodeRainBytecode({
      constants: [word(10), word(2)],
      sources: [{ ops: [constant(0), constant(1)] }],
    });
    const expected = "0x" + w(2) + w(10) + w(2) + // constants with their length
      w(15) + // bytecode length: 1 + 2 + 4 + 2 × 4
      "01" + "0000" + // one source at relative offset 0
      "02020002" + // 2 ops, allocation 2, 0 inputs, 2 outputs
      "01100000" + "01100001"; // constant<0>, constant<1>: IO byte 0x10 (0 in, 1 out)
    assert.equal(hex, expected);
  });

  await t.step("two sources, inputs, call: offsets relative to the first source", () => {
    const hex = encodeRainBytecode({
      constants: [word(7)],
      sources: [
        { ops: [constant(0), op(11, 1, 1, 1)] },
        { inputs: 1, ops: [op(0, 0, 1, 0)] },
      ],
    });
    const expected = "0x" + w(1) + w(7) + w(25) +
      "02" + "0000" + "000c" +
      "02010001" + "01100000" + "0b110001" + // source 0: max height 1, 1 output
      "01020102" + "00100000"; // source 1: 1 input, stack<0> → allocation 2, outputs 2
    assert.equal(hex, expected);
  });

  await t.step("no sources: a single zero count byte", () => {
    assert.equal(
      encodeRainBytecode({ constants: [], sources: [] }),
      `0x${w(0)}${w(1)}00`,
    );
  });

  await t.step("allocation is the highest height, outputs the final one", () => {
    const hex = encodeRainBytecode({
      constants: [word(1)],
      sources: [{ ops: [constant(0), constant(0), constant(0), op(64, 3, 1), op(71, 0, 0)] }],
    });
    assert.equal(
      hex.slice(-48),
      "05030001" + "01100000" + "01100000" + "01100000" + "40130000" + "47000000",
    );
  });

  await t.step("declared outputs and allocation are accepted when they match", () => {
    const program = {
      constants: [word(1)],
      sources: [{ outputs: 1, stackAllocation: 1, ops: [constant(0)] }],
    };
    assert.equal(encodeRainBytecode(program).slice(-16), "0101000101100000");
  });
});

Deno.test("encodeRainBytecode: programs Rain's parser could not emit", async (t) => {
  await t.step("stack underflow", () => {
    assertInvalid({ constants: [], sources: [{ ops: [op(71, 2, 0)] }] }, "StackUnderflow");
  });
  await t.step("consuming a source input (the integrity highwater)", () => {
    assertInvalid(
      { constants: [], sources: [{ inputs: 1, ops: [op(36, 1, 1)] }] },
      "StackUnderflowHighwater",
    );
  });
  await t.step("consuming results of a multi-output op", () => {
    assertInvalid(
      {
        constants: [word(1)],
        sources: [
          { ops: [constant(0), op(11, 0, 2, 1), op(36, 1, 1)] },
          { ops: [constant(0), constant(0)] },
        ],
      },
      "StackUnderflowHighwater",
    );
  });
  await t.step("declared outputs or allocation that disagree", () => {
    assertInvalid({ constants: [], sources: [{ outputs: 1, ops: [] }] }, "OutputsMismatch");
    assertInvalid(
      { constants: [word(1)], sources: [{ stackAllocation: 2, ops: [constant(0)] }] },
      "StackAllocationMismatch",
    );
  });
  await t.step("fields out of range", () => {
    for (
      const bad of [op(256, 0, 1), op(1, 16, 1), op(1, 0, 16), op(1, 0, 1, 0x10000), op(-1, 0, 1)]
    ) {
      assertInvalid({ constants: [word(1)], sources: [{ ops: [bad] }] }, "FieldOutOfRange");
    }
    assertInvalid({ constants: [], sources: [{ inputs: 256, ops: [] }] }, "FieldOutOfRange");
    assertInvalid({ constants: [], sources: [{ inputs: 1.5, ops: [] }] }, "FieldOutOfRange");
  });
  await t.step("constants that are not 32-byte words", () => {
    for (const bad of ["0x01", `0x${"0".repeat(66)}`, `0x${"g".repeat(64)}`]) {
      assertInvalid({ constants: [bad as Hex], sources: [] }, "InvalidConstant");
    }
  });
  await t.step("too many ops, sources or stack items", () => {
    assertInvalid(
      { constants: [word(1)], sources: [{ ops: Array(256).fill(op(23, 0, 0)) }] },
      "TooManyOps",
    );
    assertInvalid(
      { constants: [], sources: Array(256).fill({ ops: [] }) },
      "TooManySources",
    );
    // 255 ops of 1 output (plus 1 input) needs a stack of 256.
    assertInvalid(
      { constants: [], sources: [{ inputs: 1, ops: Array(255).fill(op(23, 0, 1)) }] },
      "StackTooDeep",
    );
  });
});

Deno.test("decodeRainBytecode", async (t) => {
  await t.step("decodes the hand-built layout", () => {
    const hex = ("0x" + w(1) + w(7) + w(25) + "02" + "0000" + "000c" +
      "02010001" + "01100000" + "0b110001" + "01020102" + "00100000") as Hex;
    assert.deepEqual(decodeRainBytecode(hex), {
      constants: [word(7)],
      sources: [
        {
          inputs: 0,
          outputs: 1,
          stackAllocation: 1,
          ops: [op(1, 0, 1, 0), op(11, 1, 1, 1)],
        },
        { inputs: 1, outputs: 2, stackAllocation: 2, ops: [op(0, 0, 1, 0)] },
      ],
    });
  });

  await t.step("empty bytecode is zero sources, as Rain's checks allow", () => {
    assert.deepEqual(decodeRainBytecode(`0x${w(0)}${w(0)}`), { constants: [], sources: [] });
    assert.deepEqual(decodeRainBytecode(`0x${w(0)}${w(1)}00`), { constants: [], sources: [] });
  });

  await t.step("round trips seeded random programs", () => {
    const random = prng(20261125);
    const int = (n: number) => Math.floor(random() * n);
    for (let i = 0; i < 300; i++) {
      const constants = Array.from({ length: int(5) }, () => word(BigInt(int(2 ** 32)) << 200n));
      const sources = Array.from({ length: int(4) + 1 }, () => {
        const inputs = int(4);
        const ops: RainOp[] = [];
        let height = inputs;
        let highwater = inputs;
        for (let k = int(20); k > 0; k--) {
          const pops = Math.min(int(4), height - highwater);
          const pushes = int(3);
          ops.push(op(int(256), pops, pushes, int(0x10000)));
          height += pushes - pops;
          if (pushes > 1) highwater = height;
        }
        return { inputs, ops };
      });
      const hex = encodeRainBytecode({ constants, sources });
      const decoded = decodeRainBytecode(hex);
      assert.deepEqual(decoded.constants, constants);
      assert.deepEqual(decoded.sources.map((s) => s.ops), sources.map((s) => s.ops));
      assert.deepEqual(decoded.sources.map((s) => s.inputs), sources.map((s) => s.inputs));
      assert.equal(encodeRainBytecode(decoded), hex);
    }
  });

  const one = w(0) + w(15) + "01" + "0000" + "02020002" + "01100000" + "01100001";
  await t.step("the well-formed base case decodes", () => {
    assert.equal(decodeRainBytecode(`0x${one}`).sources[0].ops.length, 2);
  });

  await t.step("not hex", () => {
    assertMalformed("0x0", "InvalidHex");
    assertMalformed("00", "InvalidHex");
    assertMalformed(`0x${"zz".repeat(64)}`, "InvalidHex");
  });
  await t.step("truncated constants and lengths", () => {
    assertMalformed("0x", "TruncatedConstants", 0);
    assertMalformed(`0x${w(2)}${w(1)}`, "TruncatedConstants", 0);
    assertMalformed(`0x${"ff".repeat(32)}`, "TruncatedConstants", 0);
    assertMalformed(`0x${w(1)}${w(1)}`, "TruncatedBytecodeLength", 64);
    assertMalformed(`0x${w(0)}${w(16)}${one.slice(128)}`, "TruncatedBytecode", 64);
    assertMalformed(`0x${one}00`, "TrailingBytes", 64 + 15);
  });
  await t.step("bytecode structure, as LibBytecode.checkNoOOBPointers", () => {
    const code = (bytes: string) => `0x${w(0)}${w(bytes.length / 2)}${bytes}`;
    assertMalformed(code("0000"), "UnexpectedSources", 64);
    assertMalformed(code("020000"), "TruncatedHeaderOffsets", 64);
    assertMalformed(code("010000020200"), "TruncatedHeader");
    // Header [ops 0, allocation 1, inputs 1, outputs 0]: inputs > outputs.
    assertMalformed(code("01000000010100"), "StackSizingsNotMonotonic");
    // Header [ops 0, allocation 1, inputs 0, outputs 2]: outputs > allocation.
    assertMalformed(code("01000000010002"), "StackSizingsNotMonotonic");
    assertMalformed(code("010000010101010110000000"), "TruncatedSource");
    assertMalformed(code("0100000101010101100000000000"), "TruncatedSource");
    // Source 0 declared at relative offset 4: four stray bytes sit before it.
    assertMalformed(code("010004" + "ffffffff" + "00000000"), "UnexpectedTrailingOffsetBytes", 67);
    // Two sources out of order: the first runs into the second's space.
    assertMalformed(code("02" + "0004" + "0000" + "00000000" + "00000000"), "TruncatedSource");
  });
});
