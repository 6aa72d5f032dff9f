/**
 * Differential test: the layout-specific fast path (an internal of src/events, tested directly
 * here) and the public decoders must return exactly what viem's `decodeEventLog` returns, on
 * random well-formed logs and on corrupted ones (where viem's verdict, value or error, wins).
 */
import assert from "node:assert/strict";
import { decodeEventLog, encodeAbiParameters, type Hex, toEventSelector, toHex } from "viem";
import { decodeOrderbookLog, decodeStoreLog, type RawLog } from "../../src/events/mod.ts";
import { fastDecodeEventData } from "../../src/events/fast_decode.ts";
import { testEventsAbi } from "./_logs.ts";
import { prng as rng } from "../_helpers/prng.ts";

const rand = rng(20261125);
const int = (n: number) => Math.floor(rand() * n);
const bytes = (n: number): Hex =>
  `0x${Array.from({ length: n }, () => int(256).toString(16).padStart(2, "0")).join("")}`;
const address = (): Hex => (int(4) === 0 ? `0x${"00".repeat(19)}0${int(10)}` : bytes(20)) as Hex;
const word = (): Hex => (int(3) === 0 ? toHex(BigInt(int(1000)), { size: 32 }) : bytes(32));
const list = <T>(max: number, f: () => T): T[] => Array.from({ length: int(max + 1) }, f);
const io = () => ({ token: address(), vaultId: word() });
const order = () => ({
  owner: address(),
  evaluable: { interpreter: address(), store: address(), bytecode: bytes(int(300)) },
  validInputs: list(3, io),
  validOutputs: list(3, io),
  nonce: word(),
});
const signedContext = () => ({
  signer: address(),
  context: list(3, word),
  signature: bytes(int(70)),
});
const uint = () => (int(2) === 0 ? BigInt(int(5)) : BigInt(word()));

const argsFor: Record<string, () => unknown[]> = {
  AddOrderV3: () => [address(), word(), order()],
  RemoveOrderV3: () => [address(), word(), order()],
  DepositV2: () => [address(), address(), word(), uint()],
  WithdrawV2: () => [address(), address(), word(), word(), word(), uint()],
  TakeOrderV3: () => [
    address(),
    {
      order: order(),
      inputIOIndex: uint(),
      outputIOIndex: uint(),
      signedContext: list(2, signedContext),
    },
    word(),
    word(),
  ],
  ClearV3: () => [address(), order(), order(), {
    aliceInputIOIndex: uint(),
    aliceOutputIOIndex: uint(),
    bobInputIOIndex: uint(),
    bobOutputIOIndex: uint(),
    aliceBountyVaultId: word(),
    bobBountyVaultId: word(),
  }],
  AfterClearV2: () => [address(), {
    aliceOutput: word(),
    bobOutput: word(),
    aliceInput: word(),
    bobInput: word(),
  }],
  ContextV2: () => [address(), list(5, () => list(5, word))],
  MetaV1_2: () => [address(), word(), bytes(int(100))],
  OrderNotFound: () => [address(), address(), word()],
  OrderZeroAmount: () => [address(), address(), word()],
  OrderExceedsMaxRatio: () => [address(), address(), word()],
  Set: () => [uint(), word(), word()],
};

function rawLog(topic: Hex, data: Hex): RawLog {
  return {
    chainId: 1,
    address: "0x00000000000000000000000000000000000000ab",
    blockNumber: 1n,
    blockHash: `0x${"00".repeat(32)}`,
    logIndex: 0,
    transactionHash: `0x${"11".repeat(32)}`,
    transactionIndex: 0,
    topics: [topic],
    data,
  };
}

function corrupt(data: Hex): Hex {
  const hex = data.slice(2);
  switch (int(4)) {
    case 0: // truncate
      return `0x${hex.slice(0, int(hex.length / 2) * 2)}`;
    case 1: { // one byte changed
      const at = int(hex.length / 2) * 2;
      return `0x${hex.slice(0, at)}${int(256).toString(16).padStart(2, "0")}${hex.slice(at + 2)}`;
    }
    case 2: { // one word's low bytes changed (offsets, lengths)
      const w = int(hex.length / 64) * 64;
      const small = int(2000).toString(16).padStart(8, "0");
      return `0x${hex.slice(0, w + 56)}${small}${hex.slice(w + 64)}`;
    }
    default: // one word's high bytes dirtied (addresses)
    {
      const w = int(hex.length / 64) * 64;
      return `0x${hex.slice(0, w)}ff${hex.slice(w + 2)}`;
    }
  }
}

function viemDecode(item: (typeof testEventsAbi)[number], topic: Hex, data: Hex) {
  try {
    return {
      ok: true,
      args: decodeEventLog({ abi: [item], topics: [topic], data, strict: true }).args,
    };
  } catch {
    return { ok: false, args: undefined };
  }
}

Deno.test("fast path = viem decodeEventLog", async (t) => {
  for (const item of testEventsAbi) {
    if (item.type !== "event") continue;
    const topic = toEventSelector(item);
    const decode = (data: Hex) =>
      item.name === "Set"
        ? decodeStoreLog(rawLog(topic, data))
        : decodeOrderbookLog(rawLog(topic, data), "v5");
    await t.step(item.name, () => {
      let fastHits = 0, corruptions = 0, viemRejects = 0;
      for (let i = 0; i < 40; i++) {
        const data = encodeAbiParameters(item.inputs, argsFor[item.name]() as never);
        const expected = viemDecode(item, topic, data);
        assert.ok(expected.ok);
        const fast = fastDecodeEventData(item.name, data);
        assert.deepEqual(fast, expected.args);
        if (fast !== undefined) fastHits++;
        assert.deepEqual(decode(data).args, expected.args);
        for (let j = 0; j < 5; j++) {
          const bad = corrupt(data);
          corruptions++;
          const verdict = viemDecode(item, topic, bad);
          if (!verdict.ok) {
            viemRejects++;
            assert.throws(() => decode(bad), (e: Error) => e.name === "MalformedLogError");
          } else {
            assert.deepEqual(decode(bad).args, verdict.args, `corrupted ${bad}`);
          }
        }
      }
      assert.equal(fastHits, 40, "every clean encoding takes the fast path");
      assert.equal(corruptions, 200);
      assert.ok(viemRejects > 0, "the corruptions reach the error path");
    });
  }
});
