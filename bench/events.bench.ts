/**
 * Decoding and converting 100,000 synthetic orderbook and store logs:
 * `deno bench -A bench/events.bench.ts`. Events per second = 100,000 / the time per iteration.
 *
 * The mix per block of 12 logs follows a busy orderbook: an add, a deposit, a withdraw, a take
 * (ContextV2 + TakeOrderV3) with its store write, a clear (ClearV3, two ContextV2, AfterClearV2)
 * with two store writes, and a MetaV1_2. Orders carry 512 bytes of bytecode and come from a pool
 * of 64 owners, so addresses repeat as they do on chain.
 */
import { encodeAbiParameters, type Hex, keccak256, toEventSelector, toHex } from "viem";
import { interpreterStoreV3Abi, orderbookEventsAbi, type OrderV4 } from "../src/abi/mod.ts";
import {
  decodeLogs,
  eventsToMutations,
  type RaindexEventLog,
  type RawLog,
} from "../src/events/mod.ts";
import { parse } from "../src/float/mod.ts";

const TOTAL = 100_000;
const ORDERBOOK = "0x00000000000000000000000000000000000000ab" as const;
const STORE = "0x2000000000000000000000000000000000000002" as const;
const INTERPRETER = "0x1000000000000000000000000000000000000001" as const;
const TOKENS = [
  "0xaaaa000000000000000000000000000000000001",
  "0xbbbb000000000000000000000000000000000002",
] as const;

const word = (n: number | bigint): Hex => toHex(BigInt(n), { size: 32 });
const addr = (n: number): `0x${string}` => `0x${(0x1000 + n).toString(16).padStart(40, "0")}`;
const event = (name: string) => orderbookEventsAbi.find((e) => e.name === name)!;
const setEvent = interpreterStoreV3Abi.find((i) => i.type === "event")!;

function encode(name: string, args: readonly unknown[]): { topic: Hex; data: Hex } {
  const item = name === "Set" ? setEvent : event(name);
  return { topic: toEventSelector(item), data: encodeAbiParameters(item.inputs, args as never) };
}

const bytecode = `0x${"ab".repeat(512)}` as Hex;
const orders: OrderV4[] = Array.from({ length: 64 }, (_, i) => ({
  owner: addr(i),
  evaluable: { interpreter: INTERPRETER, store: STORE, bytecode },
  validInputs: [{ token: TOKENS[0], vaultId: word(i + 1) }],
  validOutputs: [{ token: TOKENS[1], vaultId: word(i + 1) }],
  nonce: word(i),
}));

// One encoded payload per (kind, order) pair, reused across blocks.
const templates = orders.map((order, i) => {
  const other = orders[(i + 1) % orders.length];
  const clearConfig = {
    aliceInputIOIndex: 0n,
    aliceOutputIOIndex: 0n,
    bobInputIOIndex: 0n,
    bobOutputIOIndex: 0n,
    aliceBountyVaultId: word(1),
    bobBountyVaultId: word(2),
  };
  const context = [[word(1), word(2)], [word(3), word(4), word(5)], [word(6), word(7)]];
  return [
    ["ob", encode("AddOrderV3", [order.owner, keccak256(word(i)), order])],
    ["ob", encode("DepositV2", [order.owner, TOKENS[1], word(i + 1), 10_000_000n])],
    ["ob", encode("WithdrawV2", [order.owner, TOKENS[0], word(i + 1), parse("1"), parse("0"), 0n])],
    ["ob", encode("ContextV2", [addr(999), context])],
    [
      "ob",
      encode("TakeOrderV3", [
        addr(999),
        {
          order,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          signedContext: [],
        },
        parse("0.000001"),
        parse("0.000002"),
      ]),
    ],
    ["store", encode("Set", [BigInt(keccak256(word(i))), word(1), parse("1.5")])],
    ["ob", encode("ClearV3", [addr(998), order, other, clearConfig])],
    ["ob", encode("ContextV2", [addr(998), context])],
    ["ob", encode("ContextV2", [addr(998), context])],
    [
      "ob",
      encode("AfterClearV2", [addr(998), {
        aliceOutput: parse("0.000001"),
        bobOutput: parse("0.000001"),
        aliceInput: parse("0.000001"),
        bobInput: parse("0.000001"),
      }]),
    ],
    ["store", encode("Set", [BigInt(keccak256(word(i))), word(2), parse("2.5")])],
    ["ob", encode("MetaV1_2", [order.owner, keccak256(word(i)), "0xff0a89c674ee7874"])],
  ] as const;
});
// Transaction of each slot in a block: the take spans 3..5, the clear 6..10.
const TX_OF_SLOT = [0, 1, 2, 3, 3, 3, 4, 4, 4, 4, 4, 5];

const logs: RawLog[] = [];
for (let i = 0; logs.length < TOTAL; i++) {
  const blockNumber = BigInt(1_000_000 + Math.floor(i / 12));
  const slot = i % 12;
  const [kind, payload] = templates[Math.floor(i / 12) % templates.length][slot];
  logs.push({
    chainId: 1,
    address: kind === "store" ? STORE : ORDERBOOK,
    blockNumber,
    blockHash: keccak256(toHex(blockNumber)),
    logIndex: slot,
    transactionHash: keccak256(toHex(`${blockNumber}:${TX_OF_SLOT[slot]}`)),
    transactionIndex: TX_OF_SLOT[slot],
    topics: [payload.topic],
    data: payload.data,
    timestamp: 1_700_000_000n + blockNumber * 2n,
  });
}
// The last block may be cut mid-clear; drop its logs so pairing holds.
const lastBlock = logs[logs.length - 1].blockNumber;
const input = logs.filter((l) => l.blockNumber !== lastBlock);

const tokenDecimals = { [TOKENS[0]]: 6, [TOKENS[1]]: 6 };
const decoded: RaindexEventLog[] = decodeLogs(input, { orderbook: ORDERBOOK, version: "v5" });
console.log(`events.bench: ${input.length} logs in ${input.length / 12} blocks`);

Deno.bench({
  name: `decode ${input.length} logs`,
  group: "events",
  baseline: true,
  n: 5,
  warmup: 1,
  fn: () => {
    decodeLogs(input, { orderbook: ORDERBOOK, version: "v5" });
  },
});

Deno.bench({
  name: `eventsToMutations ${input.length} events`,
  group: "events",
  n: 5,
  warmup: 1,
  fn: () => {
    eventsToMutations(decoded, { version: "v5", tokenDecimals });
  },
});

Deno.bench({
  name: `decode + eventsToMutations ${input.length} logs`,
  group: "events",
  n: 5,
  warmup: 1,
  fn: () => {
    eventsToMutations(decodeLogs(input, { orderbook: ORDERBOOK, version: "v5" }), {
      version: "v5",
      tokenDecimals,
    });
  },
});
