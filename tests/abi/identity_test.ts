/**
 * Order hash against Rain's own JS client (`@rainlanguage/orderbook` alpha.239 `getOrderHash`) on
 * 1,000 seeded random orders and against a hand-encoded order; namespaces against hand-encoded
 * `abi.encode` words.
 */
import assert from "node:assert/strict";
import { getOrderHash } from "@rainlanguage/orderbook";
import { type Address, encodeAbiParameters, getAddress, type Hex, keccak256 } from "viem";
import {
  AbiEncodeError,
  InvalidAbiValueError,
  orderHash,
  orderNamespace,
  type OrderV4,
  orderV4Parameter,
  qualifyNamespace,
  stateNamespace,
} from "../../src/abi/mod.ts";
import { prng } from "../_helpers/prng.ts";

function randomHex(next: () => number, bytes: number): Hex {
  let s = "0x";
  for (let i = 0; i < bytes; i++) s += Math.floor(next() * 256).toString(16).padStart(2, "0");
  return s as Hex;
}

function randomAddress(next: () => number): Address {
  const raw = randomHex(next, 20);
  // Mix lower-case and checksummed spellings: both are the same 20 bytes on chain.
  return next() < 0.5 ? raw : getAddress(raw);
}

function randomWord(next: () => number): Hex {
  const r = next();
  if (r < 0.1) return `0x${"00".repeat(32)}`;
  if (r < 0.3) return `0x${Math.floor(next() * 1000).toString(16).padStart(64, "0")}`;
  return randomHex(next, 32);
}

function randomOrder(next: () => number): OrderV4 {
  const ios = () =>
    Array.from({ length: Math.floor(next() * 5) }, () => ({
      token: randomAddress(next),
      vaultId: randomWord(next),
    }));
  const r = next();
  // Empty, short, word-aligned and long bytecode.
  const bytecodeLength = r < 0.15 ? 0 : r < 0.3 ? 32 * Math.floor(next() * 4) : Math.floor(
    next() * 300,
  );
  return {
    owner: randomAddress(next),
    evaluable: {
      interpreter: randomAddress(next),
      store: randomAddress(next),
      bytecode: randomHex(next, bytecodeLength),
    },
    validInputs: ios(),
    validOutputs: ios(),
    nonce: randomWord(next),
  };
}

/** 32-byte word from a bigint, for hand encoding. */
function word(value: bigint): string {
  return value.toString(16).padStart(64, "0");
}

function addressWord(address: string): string {
  return address.slice(2).toLowerCase().padStart(64, "0");
}

Deno.test("orderHash equals getOrderHash of @rainlanguage/orderbook on 1,000 random orders", async (t) => {
  const next = prng(0x5eed_0001);
  let withEmptyBytecode = 0;
  let withNoInputs = 0;
  for (let i = 0; i < 1000; i++) {
    const order = randomOrder(next);
    if (order.evaluable.bytecode === "0x") withEmptyBytecode++;
    if (order.validInputs.length === 0) withNoInputs++;
    const oracle = getOrderHash({
      ...order,
      validInputs: [...order.validInputs],
      validOutputs: [...order.validOutputs],
    });
    if (oracle.error !== undefined) {
      throw new Error(`oracle failed on order ${i}: ${JSON.stringify(oracle.error)}`);
    }
    const hash = orderHash(order);
    assert.equal(hash, oracle.value.toLowerCase(), `order ${i}`);
    // viem's generic encoder as a second, independent encoding.
    assert.equal(hash, keccak256(encodeAbiParameters([orderV4Parameter], [order])), `order ${i}`);
  }
  await t.step("the sample covers the edge shapes", () => {
    assert.ok(withEmptyBytecode > 50, `empty bytecode: ${withEmptyBytecode}`);
    assert.ok(withNoInputs > 100, `no inputs: ${withNoInputs}`);
  });
});

Deno.test("orderHash of a hand-encoded order", async (t) => {
  const order: OrderV4 = {
    owner: "0x1111111111111111111111111111111111111111",
    evaluable: {
      interpreter: "0x2222222222222222222222222222222222222222",
      store: "0x3333333333333333333333333333333333333333",
      bytecode: "0xabcdef",
    },
    validInputs: [{
      token: "0x4444444444444444444444444444444444444444",
      vaultId: `0x${word(7n)}`,
    }],
    validOutputs: [],
    nonce: `0x${word(9n)}`,
  };
  // abi.encode(OrderV4): the tuple is dynamic, so one offset word, then its head and tails.
  const encoding = [
    word(0x20n), // offset of the order tuple
    addressWord(order.owner), // owner
    word(0xa0n), // evaluable offset (head is 5 words)
    word(0x140n), // validInputs offset = 0xa0 + evaluable size (5 words)
    word(0x1a0n), // validOutputs offset = 0x140 + 3 words (len + one IOV2)
    word(9n), // nonce
    // evaluable: interpreter, store, bytecode offset, bytecode length, bytecode padded
    addressWord(order.evaluable.interpreter),
    addressWord(order.evaluable.store),
    word(0x60n),
    word(3n),
    "abcdef".padEnd(64, "0"),
    // validInputs: length 1, token, vaultId
    word(1n),
    addressWord(order.validInputs[0].token),
    word(7n),
    // validOutputs: length 0
    word(0n),
  ].join("");
  const expected = keccak256(`0x${encoding}`);
  await t.step("equals keccak256 of the hand encoding", () => {
    assert.equal(orderHash(order), expected);
  });
  await t.step("and the oracle agrees", () => {
    const oracle = getOrderHash({
      ...order,
      validInputs: [...order.validInputs],
      validOutputs: [],
    });
    assert.equal(oracle.value?.toLowerCase(), expected);
  });
  await t.step("checksummed and lower-case spellings hash the same", () => {
    assert.equal(orderHash({ ...order, owner: getAddress(order.owner) }), expected);
  });
  await t.step("a change anywhere changes the hash", () => {
    assert.notEqual(orderHash({ ...order, nonce: `0x${word(10n)}` }), expected);
    assert.notEqual(
      orderHash({ ...order, evaluable: { ...order.evaluable, bytecode: "0xabcd" } }),
      expected,
    );
  });
});

Deno.test("orderHash rejects values Solidity could not receive", async (t) => {
  const base: OrderV4 = {
    owner: "0x1111111111111111111111111111111111111111",
    evaluable: {
      interpreter: "0x2222222222222222222222222222222222222222",
      store: "0x3333333333333333333333333333333333333333",
      bytecode: "0x",
    },
    validInputs: [],
    validOutputs: [],
    nonce: `0x${word(0n)}`,
  };
  await t.step("bad owner address", () => {
    assert.throws(
      () => orderHash({ ...base, owner: "0x1234" }),
      (error: unknown) => error instanceof AbiEncodeError && error.details.what === "OrderV4",
    );
  });
  await t.step("nonce of the wrong size", () => {
    assert.throws(() => orderHash({ ...base, nonce: "0x01" }), AbiEncodeError);
  });
  await t.step("odd-length bytecode", () => {
    assert.throws(
      () => orderHash({ ...base, evaluable: { ...base.evaluable, bytecode: "0xabc" } }),
      AbiEncodeError,
    );
  });
  await t.step("bad vault id names its field", () => {
    assert.throws(
      () =>
        orderHash({
          ...base,
          validOutputs: [{ token: "0x4444444444444444444444444444444444444444", vaultId: "0x1" }],
        }),
      (error: unknown) =>
        error instanceof AbiEncodeError &&
        error.details.reason.startsWith("validOutputs[0].vaultId"),
    );
  });
  await t.step("hex case of addresses does not matter (Solidity sees 20 bytes)", () => {
    const upper = "0xABCDEFABCDEFABCDEFABCDEFABCDEFABCDEFABCD" as Address;
    assert.equal(
      orderHash({ ...base, owner: upper }),
      orderHash({ ...base, owner: upper.toLowerCase() as Address }),
    );
  });
});

Deno.test("stateNamespace is uint256(uint160(account))", async (t) => {
  await t.step("small and maximal addresses", () => {
    assert.equal(stateNamespace("0x0000000000000000000000000000000000000001"), 1n);
    assert.equal(stateNamespace("0xffffffffffffffffffffffffffffffffffffffff"), (1n << 160n) - 1n);
    assert.equal(
      stateNamespace("0x1111111111111111111111111111111111111111"),
      0x1111111111111111111111111111111111111111n,
    );
  });
  await t.step("checksum case is irrelevant", () => {
    const raw = "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd";
    assert.equal(stateNamespace(getAddress(raw)), stateNamespace(raw));
    assert.equal(stateNamespace(raw.toUpperCase().replace("0X", "0x") as Address), BigInt(raw));
  });
  await t.step("not an address", () => {
    assert.throws(
      () => stateNamespace("0x12" as Address),
      (error: unknown) =>
        error instanceof InvalidAbiValueError && error.name === "InvalidAbiValueError" &&
        error.details.field === "account",
    );
  });
});

Deno.test("qualifyNamespace is keccak256 of the two hand-encoded words", async (t) => {
  const cases: [bigint, Address][] = [
    [0n, "0x0000000000000000000000000000000000000000"],
    [1n, "0x00000000000000000000000000000000000000aa"],
    [0x1111111111111111111111111111111111111111n, "0xf0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0"],
    [(1n << 256n) - 1n, "0xFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFfFf"],
  ];
  for (const [namespace, sender] of cases) {
    await t.step(`${namespace.toString(16).slice(0, 12)} @ ${sender.slice(0, 8)}`, () => {
      const bytes = `0x${word(namespace)}${addressWord(sender)}` as Hex;
      assert.equal(bytes.length, 2 + 128);
      assert.equal(qualifyNamespace(namespace, sender), BigInt(keccak256(bytes)));
    });
  }
  await t.step("a published vector: keccak256 of 64 zero bytes", () => {
    // keccak256(0x00 * 64), the well-known empty Merkle-pair hash.
    assert.equal(
      qualifyNamespace(0n, "0x0000000000000000000000000000000000000000"),
      0xad3228b676f7d3cd4284a5443f17f1962b36e491b30a40b2405849e597ba5fb5n,
    );
  });
  await t.step("out-of-range namespace and bad sender", () => {
    assert.throws(
      () => qualifyNamespace(-1n, "0x0000000000000000000000000000000000000001"),
      InvalidAbiValueError,
    );
    assert.throws(
      () => qualifyNamespace(1n << 256n, "0x0000000000000000000000000000000000000001"),
      InvalidAbiValueError,
    );
    assert.throws(() => qualifyNamespace(1n, "0xzz" as Address), InvalidAbiValueError);
  });
});

Deno.test("orderNamespace is per owner and orderbook", async (t) => {
  const owner: Address = "0x1111111111111111111111111111111111111111";
  const orderbook: Address = "0x2222222222222222222222222222222222222222";
  await t.step("equals keccak256(abi.encode(uint160(owner), orderbook))", () => {
    const expected = BigInt(keccak256(`0x${addressWord(owner)}${addressWord(orderbook)}`));
    assert.equal(orderNamespace(owner, orderbook), expected);
  });
  await t.step("differs by orderbook and by owner", () => {
    const other: Address = "0x3333333333333333333333333333333333333333";
    assert.notEqual(orderNamespace(owner, orderbook), orderNamespace(owner, other));
    assert.notEqual(orderNamespace(owner, orderbook), orderNamespace(other, orderbook));
  });
});
