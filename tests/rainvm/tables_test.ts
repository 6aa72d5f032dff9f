/**
 * Opcode tables: the recorded code hashes match the builds they name, and word indices agree
 * with the fixture's own independently written opcode list.
 */
import assert from "node:assert/strict";
import { keccak256 } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import {
  createOpcodeTable,
  DEFAULT_OPCODE_TABLES,
  FIXTURE_INTERPRETER_CODE_HASH,
  FIXTURE_INTERPRETER_TABLE,
  RAIN_STANDARD_WORDS,
  RAINTERPRETER_2780CDD6_CODE_HASH,
  RAINTERPRETER_2780CDD6_TABLE,
} from "../../src/rainvm/mod.ts";
import { FIXTURE_OPCODES } from "../_helpers/fixtures.ts";
import { OPCODE } from "./_programs.ts";

const RAIN_CODE_DIR = Deno.env.get("VRAINDEX_RAIN_CODE_DIR") || undefined;

Deno.test("opcode tables", async (t) => {
  await t.step("the fixture table is keyed by the committed artifact's code hash", () => {
    assert.equal(
      keccak256(interpreterArtifact.deployedBytecode as `0x${string}`),
      FIXTURE_INTERPRETER_CODE_HASH,
    );
    assert.equal(FIXTURE_INTERPRETER_TABLE.codeHash, FIXTURE_INTERPRETER_CODE_HASH);
  });

  await t.step("Rain's 72 words, at the indices the fixture helpers and tests use", () => {
    assert.equal(RAIN_STANDARD_WORDS.length, 72);
    assert.equal(new Set(RAIN_STANDARD_WORDS).size, 72);
    for (const [word, opcode] of Object.entries(FIXTURE_OPCODES)) {
      assert.equal(RAIN_STANDARD_WORDS[opcode], word, `opcode ${opcode}`);
    }
    const exceptions: Record<string, string> = {
      uint256Erc20BalanceOf: "uint256-erc20-balance-of",
      shiftLeft: "bitwise-shift-left",
      shiftRight: "bitwise-shift-right",
    };
    for (const [name, opcode] of Object.entries(OPCODE)) {
      const expected = exceptions[name] ?? name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`);
      assert.equal(RAIN_STANDARD_WORDS[opcode], expected, `opcode ${opcode}`);
    }
  });

  await t.step(
    "the fixture table runs only the fixture's words natively (no external calls)",
    () => {
      const fixtureNative = FIXTURE_INTERPRETER_TABLE.native.filter((w) => w !== undefined);
      const expected = Object.keys(FIXTURE_OPCODES).filter((w) => !w.includes("erc20"));
      assert.deepEqual(new Set(fixtureNative), new Set(expected));
      assert.equal(RAINTERPRETER_2780CDD6_TABLE.native[2], undefined); // extern
      assert.equal(RAINTERPRETER_2780CDD6_TABLE.native[40], "add");
      assert.deepEqual(DEFAULT_OPCODE_TABLES.map((x) => x.codeHash), [
        RAINTERPRETER_2780CDD6_CODE_HASH,
        FIXTURE_INTERPRETER_CODE_HASH,
      ]);
    },
  );

  await t.step("a new build's table from its word list", () => {
    const table = createOpcodeTable({
      name: "reordered",
      codeHash: `0x${"AB".repeat(32)}`,
      words: ["constant", "add", "extern"],
    });
    assert.equal(table.codeHash, `0x${"ab".repeat(32)}`);
    assert.deepEqual(table.native, ["constant", "add", undefined]);
  });
});

Deno.test({
  name: "the real Rainterpreter's runtime code hash is the recorded one (opt-in)",
  ignore: RAIN_CODE_DIR === undefined,
  fn() {
    const rain = JSON.parse(Deno.readTextFileSync(`${RAIN_CODE_DIR}/Rainterpreter.json`));
    assert.equal(keccak256(rain.runtimeCode), RAINTERPRETER_2780CDD6_CODE_HASH);
  },
});
