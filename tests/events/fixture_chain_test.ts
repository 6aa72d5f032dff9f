/**
 * Real logs: actions on the fixture V5 orderbook (vraindex's own Solidity test double, run in an
 * in-process EVM) produce logs; decoding them, converting them to mutations (deposit amounts from
 * the calldata sent) and applying those to an empty engine must give the chain's `vaultBalance2`
 * and store values bit for bit.
 */
import assert from "node:assert/strict";
import {
  type Abi,
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  keccak256,
  toHex,
} from "viem";
import { interpreterStoreV3Abi, orderbookV5Abi, type OrderV4 } from "../../src/abi/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  getStoreValue,
  getVaultBalance,
} from "../../src/engine/mod.ts";
import {
  decodeDepositCalldata,
  decodeLogs,
  type DepositAmount,
  type DepositV2Event,
  eventsToMutations,
  filterStoreSets,
  matchDepositCalls,
  ownerNamespaces,
  ownersOf,
  type RaindexEventLog,
  type RawLog,
} from "../../src/events/mod.ts";
import { parse } from "../../src/float/mod.ts";
import type { InterpreterHost } from "../../src/evm/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import { createFixtureChain, loadFixtureArtifact, rainOps, word } from "../_helpers/fixtures.ts";

const obAbi = orderbookV5Abi as Abi;
const tokenAbi = loadFixtureArtifact("FixtureToken").abi;
const KEY_AFTER = word(0x1002);
const KEY_DIFF = word(0x1004);

// deposit post task: store the vault's balance after (calling column row 3).
const TASK_RECORD_AFTER = encodeRainBytecode({
  constants: [KEY_AFTER],
  sources: [{ ops: [rainOps.context(1, 3), rainOps.constant(0), rainOps.set()] }],
});
// `_ _: 1000 <ratio>;` with a handle-io that stores the input diff.
const orderCode = (ratio: string): Hex =>
  encodeRainBytecode({
    constants: [parse("1000"), parse(ratio), KEY_DIFF],
    sources: [
      { ops: [rainOps.constant(0), rainOps.constant(1)] },
      { ops: [rainOps.context(3, 4), rainOps.constant(2), rainOps.set()] },
    ],
  });

const noHost = {
  eval4: () => Promise.reject(new Error("no evaluation expected")),
  evalMany: () => Promise.reject(new Error("no evaluation expected")),
} as unknown as InterpreterHost;

Deno.test("fixture orderbook logs → events → mutations → engine = chain state", async () => {
  const chain = await createFixtureChain();
  const alice: Address = "0xa11ce00000000000000000000000000000000a11";
  const bob: Address = "0xb0b0000000000000000000000000000000000b0b";
  const carol: Address = "0xca401000000000000000000000000000000ca401";
  const interpreter = await chain.deploy("FixtureInterpreter");
  const store = await chain.deploy("FixtureStore");
  const usdc = await chain.deploy("FixtureToken", ["USD Coin", "USDC", 6, false]);
  const weth = await chain.deploy("FixtureToken", ["Wrapped Ether", "WETH", 18, false]);
  const ob = await chain.deploy("FixtureOrderBook");

  let block = { number: 100n, timestamp: 1_700_000_000n };
  const logs: RawLog[] = [];
  const inputs = new Map<Hex, Hex>(); // tx hash → calldata sent to the orderbook
  const send = async (from: Address, to: Address, abi: Abi, fn: string, args: unknown[]) => {
    block = { number: block.number + 1n, timestamp: block.timestamp + 12n };
    const data = encodeFunctionData({ abi, functionName: fn, args });
    const result = await chain.call({ to, from, data, block });
    assert.equal(result.reverted, false, `${fn}: ${result.error} ${result.returnData}`);
    const txHash = keccak256(toHex(`tx${block.number}`));
    if (to === ob) inputs.set(txHash, data);
    result.logs.forEach((log, logIndex) =>
      logs.push({
        chainId: 1,
        address: log.address,
        blockNumber: block.number,
        blockHash: keccak256(toHex(`block${block.number}`)),
        logIndex,
        transactionHash: txHash,
        transactionIndex: 0,
        topics: log.topics,
        data: log.data,
        timestamp: block.timestamp,
      })
    );
  };
  const view = async <T>(to: Address, abi: Abi, fn: string, args: unknown[]): Promise<T> => {
    const data = encodeFunctionData({ abi, functionName: fn, args });
    const result = await chain.call({ to, data, block });
    assert.equal(result.reverted, false);
    return decodeFunctionResult({ abi, functionName: fn, data: result.returnData }) as T;
  };

  for (const who of [alice, bob]) {
    await send(who, usdc, tokenAbi, "mint", [who, 1_000_000_000n]);
    await send(who, weth, tokenAbi, "mint", [who, 10n ** 21n]);
    await send(who, usdc, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
    await send(who, weth, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
  }
  const task = {
    evaluable: { interpreter, store, bytecode: TASK_RECORD_AFTER },
    signedContext: [],
  };
  // Two deposits in one multicall; 1.0000001 USDC has more digits than USDC's 6 decimals.
  await send(alice, ob, obAbi, "multicall", [[
    encodeFunctionData({
      abi: obAbi,
      functionName: "deposit3",
      args: [usdc, word(1), parse("1.0000001"), [task]],
    }),
    encodeFunctionData({
      abi: obAbi,
      functionName: "deposit3",
      args: [weth, word(2), parse("5"), []],
    }),
  ]]);
  await send(bob, ob, obAbi, "deposit3", [weth, word(8), parse("1"), []]);
  const config = (ratio: string, input: Address, output: Address, vaultId: Hex) => ({
    evaluable: { interpreter, store, bytecode: orderCode(ratio) },
    validInputs: [{ token: input, vaultId }],
    validOutputs: [{ token: output, vaultId: vaultId === word(7) ? word(1) : vaultId }],
    nonce: word(0),
    secret: word(0),
    meta: "0x",
  });
  // alice sells USDC (vault 1) for WETH (vault 7) at 0.5 WETH/USDC; bob sells WETH for USDC at 1.9.
  await send(alice, ob, obAbi, "addOrder3", [config("0.5", weth, usdc, word(7)), []]);
  await send(bob, ob, obAbi, "addOrder3", [config("1.9", usdc, weth, word(8)), []]);
  const added = decodeLogs(logs.filter((l) => l.address === ob), { orderbook: ob, version: "v5" })
    .filter((e) => e.type === "AddOrderV3")
    .map((e) => (e.args as { order: OrderV4 }).order);
  assert.equal(added.length, 2);
  const [aliceOrder, bobOrder] = added;

  await send(bob, ob, obAbi, "takeOrders3", [{
    minimumInput: parse("0"),
    maximumInput: parse("0.5"),
    maximumIORatio: parse("10"),
    orders: [{ order: aliceOrder, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
    data: "0x",
  }]);
  await send(carol, ob, obAbi, "clear3", [
    aliceOrder,
    bobOrder,
    {
      aliceInputIOIndex: 0n,
      aliceOutputIOIndex: 0n,
      bobInputIOIndex: 0n,
      bobOutputIOIndex: 0n,
      aliceBountyVaultId: word(3),
      bobBountyVaultId: word(4),
    },
    [],
    [],
  ]);
  await send(alice, ob, obAbi, "withdraw3", [weth, word(2), parse("10"), []]);
  await send(bob, ob, obAbi, "removeOrder3", [bobOrder, []]);

  // Sync: orderbook and store logs only (token Transfer/Approval logs are another module's).
  const relevant = logs.filter((l) => l.address === ob || l.address === store);
  const decoded = decodeLogs(relevant, { orderbook: ob, version: "v5" });
  const types = new Set(decoded.map((e) => e.type));
  for (
    const t of ["AddOrderV3", "DepositV2", "WithdrawV2", "TakeOrderV3", "ContextV2", "ClearV3"]
  ) {
    assert.ok(types.has(t as RaindexEventLog["type"]), `scenario emits ${t}`);
  }
  const events = filterStoreSets(decoded, ownerNamespaces(ownersOf(decoded), ob));
  assert.ok(events.some((e) => e.type === "Set"), "owners' store writes kept");

  const depositAmounts = new Map<string, DepositAmount>();
  for (const [txHash, input] of inputs) {
    const deposits = events.filter((e): e is DepositV2Event =>
      e.type === "DepositV2" && e.txHash === txHash
    );
    if (deposits.length === 0) continue;
    const calls = decodeDepositCalldata(input, "v5", ob, ob);
    for (const [k, v] of matchDepositCalls(deposits, calls)) depositAmounts.set(k, v);
  }
  assert.equal(depositAmounts.size, 3);

  const result = eventsToMutations(events, {
    version: "v5",
    orderbook: ob,
    depositAmounts,
    tokenDecimals: { [usdc]: 6, [weth]: 18 },
  });
  assert.deepEqual(result.inexact, []);
  assert.equal(result.contexts.length, 3, "one ContextV2 for the take, two for the clear");

  // LibFixtureFloat is bit-exact with rain.math.float f00888c (docs/fixture-orderbook.md).
  const engine = createVirtualRaindex({ orderbook: ob, host: noHost, floatVersion: "f00888c" });
  for (const batch of result.batches) applyMutations(engine, batch.mutations);

  let nonZero = 0;
  for (const owner of [alice, bob, carol]) {
    for (const token of [usdc, weth]) {
      for (const vaultId of [1, 2, 3, 4, 7, 8].map(word)) {
        const onChain = await view<Hex>(ob, obAbi, "vaultBalance2", [owner, token, vaultId]);
        const virtual = getVaultBalance(engine, { owner, token, vaultId });
        assert.equal(virtual, onChain.toLowerCase(), `vault ${owner}/${token}/${vaultId}`);
        if (BigInt(onChain) !== 0n) nonZero++;
      }
    }
    for (const key of [KEY_AFTER, KEY_DIFF]) {
      const fqn = [...ownerNamespaces([owner], ob)][0];
      const onChain = await view<Hex>(store, interpreterStoreV3Abi as Abi, "get", [
        BigInt(fqn),
        key,
      ]);
      assert.equal(getStoreValue(engine, { store, namespace: fqn, key }), onChain.toLowerCase());
    }
  }
  assert.ok(nonZero >= 5, `funded vaults: ${nonZero}`);
});
