import assert from "node:assert/strict";
import {
  BytecodeCollisionError,
  createCodeCache,
  InvalidBytecodeEncodingError,
  MissingBytecodeError,
} from "../../src/evm/mod.ts";
import { isVraindexError } from "../../src/errors/mod.ts";

const LOWER = "0x00000000000000000000000000000000000000aa";
const UPPER = "0x00000000000000000000000000000000000000AA";

Deno.test("CodeCache", async (t) => {
  await t.step("code hash is keccak-256 of the code bytes (published vector)", () => {
    const cache = createCodeCache();
    // keccak256(0x00), the well-known hash of a single zero byte.
    const entry = cache.upsert({ address: LOWER, kind: "interpreter", bytecode: "0x00" });
    assert.equal(
      entry.codeHash,
      "0xbc36789e7a1e281436464229828f817d6612f7b477d66591ff96a9e064bcc98a",
    );
    const other = createCodeCache().upsert({ address: LOWER, kind: "store", bytecode: "0x6001" });
    assert.deepEqual([...other.bytes], [0x60, 0x01]);
  });

  await t.step("keys are case-insensitive and addresses checksummed", () => {
    const cache = createCodeCache([{ address: UPPER, kind: "store", bytecode: "0xAbCd" }]);
    assert.ok(cache.has(LOWER));
    assert.ok(cache.has(UPPER, "store"));
    assert.equal(cache.has(LOWER, "interpreter"), false);
    assert.equal(cache.get(LOWER)?.bytecode, "0xabcd");
    assert.equal(cache.get(LOWER)?.address, "0x00000000000000000000000000000000000000AA");
    assert.equal(cache.size, 1);
  });

  await t.step("identical code at two addresses shares one buffer", () => {
    const cache = createCodeCache([
      { address: LOWER, kind: "interpreter", bytecode: "0x6001" },
      {
        address: "0x00000000000000000000000000000000000000bb",
        kind: "interpreter",
        bytecode: "0x6001",
      },
      {
        address: "0x00000000000000000000000000000000000000cc",
        kind: "interpreter",
        bytecode: "0x6002",
      },
    ]);
    const [a, b, c] = cache.entries();
    assert.equal(a.bytes, b.bytes);
    assert.notEqual(a.bytes, c.bytes);
    assert.equal(a.codeHash, b.codeHash);
  });

  await t.step("same code again is a no-op returning the same entry", () => {
    const cache = createCodeCache();
    const a = cache.upsert({ address: LOWER, kind: "store", bytecode: "0x00" });
    const b = cache.upsert({ address: UPPER, kind: "store", bytecode: "0x00" });
    assert.equal(a, b);
    assert.equal(cache.entries().length, 1);
  });

  await t.step("different code at the same address is a collision", () => {
    const cache = createCodeCache([{ address: LOWER, kind: "store", bytecode: "0x00" }]);
    assert.throws(
      () => cache.upsert({ address: UPPER, kind: "store", bytecode: "0x01" }),
      (error: unknown) => {
        assert.ok(error instanceof BytecodeCollisionError);
        assert.ok(isVraindexError(error, "BytecodeCollisionError"));
        assert.equal(error.details.address, "0x00000000000000000000000000000000000000AA");
        assert.notEqual(error.details.existingCodeHash, error.details.newCodeHash);
        return true;
      },
    );
    assert.equal(cache.get(LOWER)?.bytecode, "0x00");
  });

  await t.step("same code under another kind is a collision too", () => {
    const cache = createCodeCache([{ address: LOWER, kind: "store", bytecode: "0x00" }]);
    assert.throws(
      () => cache.upsert({ address: LOWER, kind: "interpreter", bytecode: "0x00" }),
      (error: unknown) =>
        error instanceof BytecodeCollisionError && error.details.existingKind === "store" &&
        error.details.newKind === "interpreter",
    );
  });

  await t.step("empty and malformed bytecode are rejected", () => {
    const cache = createCodeCache();
    const cases: [string, string][] = [
      ["0x", "empty"],
      ["", "malformed"],
      ["6000", "malformed"],
      ["0x600", "malformed"],
      ["0x60zz", "malformed"],
    ];
    for (const [bytecode, reason] of cases) {
      assert.throws(
        () => cache.upsert({ address: LOWER, kind: "store", bytecode }),
        (error: unknown) =>
          error instanceof InvalidBytecodeEncodingError && error.details.reason === reason,
        bytecode,
      );
    }
    assert.throws(
      () => cache.upsert({ address: "0x1234", kind: "store", bytecode: "0x00" }),
      (error: unknown) =>
        error instanceof InvalidBytecodeEncodingError && error.details.reason === "address",
    );
    assert.equal(cache.size, 0);
  });

  await t.step("require names what is missing", () => {
    const cache = createCodeCache();
    cache.ingestStores([{ address: LOWER, bytecode: "0x00" }]);
    cache.ingestInterpreters([{
      address: "0x00000000000000000000000000000000000000bb",
      bytecode: "0x00",
    }]);
    assert.equal(cache.require(UPPER, "store").kind, "store");
    assert.throws(
      () => cache.require("0x00000000000000000000000000000000000000cc", "interpreter"),
      (error: unknown) =>
        error instanceof MissingBytecodeError && error.details.kind === "interpreter" &&
        error.details.address.toLowerCase() === "0x00000000000000000000000000000000000000cc" &&
        error.details.cachedKind === undefined,
    );
    assert.throws(
      () => cache.require(LOWER, "interpreter"),
      (error: unknown) =>
        error instanceof MissingBytecodeError && error.details.cachedKind === "store",
    );
  });
});
