/**
 * Differential test: the same actions on the fixture V5 orderbook (run in an in-process EVM, no
 * node) and on the engine (EVM host, fixture interpreter), compared bit for bit: vault balances,
 * store values, `quote2`, and the logs (`ContextV2`, `TakeOrderV3`, `AfterClearV2`, store `Set`…).
 */
import assert from "node:assert/strict";
import {
  type Abi,
  type Address,
  concatHex,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  keccak256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  interpreterStoreV3Abi,
  orderbookEventsAbi,
  orderbookV5Abi,
  type OrderV4,
  type TaskV2,
} from "../../src/abi/mod.ts";
import { eq, parse } from "../../src/float/mod.ts";
import { createCodeCache, createInterpreterHost } from "../../src/evm/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import {
  applyMutations,
  clearAndApplyState,
  createVirtualRaindex,
  getStoreValue,
  getVaultBalance,
  quote,
  type RaindexEvent,
  simulateAddOrder,
  simulateDeposit,
  simulateEntask,
  simulateRemoveOrder,
  simulateWithdraw,
  takeOrdersAndApplyState,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import {
  createFixtureChain,
  type FixtureCallResult,
  type FixtureChain,
  loadFixtureArtifact,
  rainOps,
  word,
} from "../_helpers/fixtures.ts";
import { fqn } from "./_fixtures.ts";

const tokenArtifact = loadFixtureArtifact("FixtureToken");
const ZERO = word(0);
const KEY_RATIO = word(0x1001);
const KEY_AFTER = word(0x1002);
const KEY_TS = word(0x1003);
const KEY_DIFF = word(0x1004);
const KEY_MAX = word(0x1005);
const KEY_BOB = word(0x1006);

const TASK_SET_RATIO = encodeRainBytecode({
  constants: [parse("0.5"), KEY_RATIO],
  sources: [{ ops: [rainOps.constant(0), rainOps.constant(1), rainOps.set()] }],
});
// deposit task: store the vault's balance after (calling column row 3).
const TASK_RECORD_AFTER = encodeRainBytecode({
  constants: [KEY_AFTER],
  sources: [{ ops: [rainOps.context(1, 3), rainOps.constant(0), rainOps.set()] }],
});
// alice: `_ _: 50 get(ratio-key);` writing the block timestamp; handle-io stores output diff and max.
const ORDER_A = encodeRainBytecode({
  constants: [parse("50"), KEY_RATIO, KEY_TS, KEY_DIFF, KEY_MAX],
  sources: [
    {
      ops: [
        rainOps.blockTimestamp(),
        rainOps.constant(2),
        rainOps.set(),
        rainOps.constant(0),
        rainOps.constant(1),
        rainOps.get(),
      ],
    },
    {
      ops: [
        rainOps.context(4, 4),
        rainOps.constant(3),
        rainOps.set(),
        rainOps.context(2, 0),
        rainOps.constant(4),
        rainOps.set(),
      ],
    },
  ],
});
// bob: `_ _: 1000 1.9;`; handle-io stores its input diff.
const ORDER_B = encodeRainBytecode({
  constants: [parse("1000"), parse("1.9"), KEY_BOB],
  sources: [
    { ops: [rainOps.constant(0), rainOps.constant(1)] },
    { ops: [rainOps.context(3, 4), rainOps.constant(2), rainOps.set()] },
  ],
});

type World = {
  chain: FixtureChain;
  block: { number: bigint; timestamp: bigint };
  ob: Address;
  store: Address;
  usdc: Address;
  weth: Address;
  accounts: Address[];
  engine: VirtualRaindex;
};

const obAbi = orderbookV5Abi as Abi;

/** Mines the next "block": the orderbook call runs in it and the engine gets the same env. */
async function tx(
  world: World,
  from: Address,
  to: Address,
  abi: Abi,
  functionName: string,
  args: unknown[],
): Promise<FixtureCallResult> {
  world.block = { number: world.block.number + 1n, timestamp: world.block.timestamp + 7n };
  applyMutations(world.engine, [{
    type: "setEnv",
    blockNumber: world.block.number,
    timestamp: world.block.timestamp,
  }]);
  const result = await world.chain.call({
    to,
    from,
    data: encodeFunctionData({ abi, functionName, args }),
    block: world.block,
  });
  assert.equal(
    result.reverted,
    false,
    `${functionName} reverted: ${result.error} ${result.returnData}`,
  );
  return result;
}

/** A view call at the current block. */
async function view<T>(
  world: World,
  from: Address,
  to: Address,
  abi: Abi,
  functionName: string,
  args: unknown[],
): Promise<T> {
  const result = await world.chain.call({
    to,
    from,
    data: encodeFunctionData({ abi, functionName, args }),
    block: world.block,
  });
  if (result.reverted) throw new Error(`${functionName} reverted: ${result.returnData}`);
  return decodeFunctionResult({ abi, functionName, data: result.returnData }) as T;
}

function logsOf(world: World, result: FixtureCallResult): RaindexEvent[] {
  const out: RaindexEvent[] = [];
  for (const log of result.logs) {
    const topics = log.topics as [Hex, ...Hex[]];
    if (log.address.toLowerCase() === world.store.toLowerCase()) {
      const d = decodeEventLog({
        abi: interpreterStoreV3Abi,
        data: log.data,
        topics,
      }) as unknown as {
        args: { namespace: bigint; key: Hex; value: Hex };
      };
      out.push({ type: "Set", store: world.store, ...d.args });
    } else if (log.address.toLowerCase() === world.ob.toLowerCase()) {
      const d = decodeEventLog({ abi: orderbookEventsAbi, data: log.data, topics }) as unknown as {
        eventName: string;
        args: Record<string, unknown>;
      };
      out.push({ type: d.eventName, ...d.args } as unknown as RaindexEvent);
    }
  }
  return out;
}

/** The parts of an event both sides must agree on, lowercased. */
function essence(event: RaindexEvent): unknown {
  const lower = (v: unknown): unknown =>
    typeof v === "string" ? v.toLowerCase() : Array.isArray(v) ? v.map(lower) : v;
  switch (event.type) {
    case "ContextV2":
      return [event.type, lower(event.sender), lower(event.context)];
    case "TakeOrderV3":
      return [event.type, lower(event.sender), event.input, event.output];
    case "AfterClearV2":
      return [event.type, lower(event.sender), event.clearStateChange];
    case "Set":
      return [event.type, event.namespace, event.key, event.value];
    case "OrderNotFound":
    case "OrderZeroAmount":
    case "OrderExceedsMaxRatio":
      return [event.type, lower(event.owner), event.orderHash];
    default:
      return [event.type];
  }
}

async function checkVaults(world: World, label: string): Promise<void> {
  let nonZero = 0;
  for (const owner of world.accounts) {
    for (const token of [world.usdc, world.weth]) {
      for (const vaultId of [word(1), word(2), word(7), word(8)]) {
        const chain = await view<Hex>(world, owner, world.ob, obAbi, "vaultBalance2", [
          owner,
          token,
          vaultId,
        ]);
        const virtual = getVaultBalance(world.engine, { owner, token, vaultId });
        assert.equal(virtual, chain.toLowerCase(), `${label}: vault ${owner}/${token}/${vaultId}`);
        if (BigInt(chain) !== 0n) nonZero++;
      }
    }
  }
  assert.ok(nonZero > 0, `${label}: some vault is funded`);
}

async function checkStore(world: World, label: string): Promise<void> {
  for (const owner of world.accounts) {
    for (const key of [KEY_RATIO, KEY_AFTER, KEY_TS, KEY_DIFF, KEY_MAX, KEY_BOB]) {
      const chain = await view<Hex>(
        world,
        owner,
        world.store,
        interpreterStoreV3Abi as Abi,
        "get",
        [
          BigInt(fqn(owner, world.ob)),
          key,
        ],
      );
      const virtual = getStoreValue(world.engine, { store: world.store, owner, key });
      assert.equal(virtual, chain.toLowerCase(), `${label}: store ${owner} ${key}`);
    }
  }
}

Deno.test("engine vs the fixture V5 orderbook (in-process EVM)", async (t) => {
  const chain = await createFixtureChain();
  const accounts: Address[] = [
    "0xa11ce00000000000000000000000000000000a11",
    "0xb0b0000000000000000000000000000000000b0b",
    "0xca401000000000000000000000000000000ca401",
  ];
  const [alice, bob, carol] = accounts;
  const interpreter = await chain.deploy("FixtureInterpreter");
  const store = await chain.deploy("FixtureStore");
  const usdc = await chain.deploy("FixtureToken", ["USD Coin", "USDC", 6, false]);
  const weth = await chain.deploy("FixtureToken", ["Wrapped Ether", "WETH", 18, false]);
  const ob = await chain.deploy("FixtureOrderBook");
  const codeCache = createCodeCache([
    {
      address: interpreter,
      kind: "interpreter",
      bytecode: loadFixtureArtifact("FixtureInterpreter").deployedBytecode,
    },
    {
      address: store,
      kind: "store",
      bytecode: loadFixtureArtifact("FixtureStore").deployedBytecode,
    },
  ]);
  const world: World = {
    chain,
    block: { number: 100n, timestamp: 1_700_000_000n },
    ob,
    store,
    usdc,
    weth,
    accounts,
    engine: createVirtualRaindex({
      // LibFixtureFloat is bit-exact with rain.math.float f00888c (docs/fixture-orderbook.md).
      floatVersion: "f00888c",
      orderbook: ob,
      chainId: 1n,
      host: createInterpreterHost({ codeCache }),
      // ERC-1271 checks answered by the same chain, as an RPC-backed external state would.
      externalState: {
        async call(request) {
          const r = await chain.call({
            to: request.to,
            from: request.from,
            data: request.data,
            block: world.block,
          });
          return { returnData: r.returnData, reverted: r.reverted };
        },
      },
    }),
  };
  const engine = world.engine;
  applyMutations(engine, [{
    type: "setTokenDecimals",
    tokens: [{ token: usdc, decimals: 6 }, { token: weth, decimals: 18 }],
  }]);
  const tokenAbi = tokenArtifact.abi;
  for (const who of accounts) {
    await tx(world, who, usdc, tokenAbi, "mint", [who, 1_000_000_000n]);
    await tx(world, who, weth, tokenAbi, "mint", [who, 10n ** 21n]);
    await tx(world, who, usdc, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
    await tx(world, who, weth, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
  }
  const task = (bytecode: Hex): TaskV2 => ({
    evaluable: { interpreter, store, bytecode },
    signedContext: [],
  });
  const orderA: OrderV4 = {
    owner: alice,
    evaluable: { interpreter, store, bytecode: ORDER_A },
    validInputs: [{ token: weth, vaultId: word(2) }],
    validOutputs: [{ token: usdc, vaultId: word(1) }],
    nonce: word(1),
  };
  const orderB: OrderV4 = {
    owner: bob,
    evaluable: { interpreter, store, bytecode: ORDER_B },
    validInputs: [{ token: usdc, vaultId: word(2) }],
    validOutputs: [{ token: weth, vaultId: word(1) }],
    nonce: word(2),
  };
  const config = (order: OrderV4) => ({ ...order, secret: ZERO, meta: "0x" as Hex });

  await t.step("deposits with a post task; entask; add orders", async () => {
    const amount = parse("100.5");
    const result = await tx(world, alice, ob, obAbi, "deposit3", [usdc, word(1), amount, [
      task(TASK_RECORD_AFTER),
    ]]);
    const sim = await simulateDeposit(engine, {
      sender: alice,
      token: usdc,
      vaultId: word(1),
      amount,
      tasks: [task(TASK_RECORD_AFTER)],
    }, { apply: true });
    assert.deepEqual(sim.events.map((e) => e.type), ["DepositV2", "Set"]);
    assert.deepEqual(sim.events.map(essence), logsOf(world, result).map(essence));
    await tx(world, bob, ob, obAbi, "deposit3", [weth, word(1), parse("10"), []]);
    await simulateDeposit(engine, {
      sender: bob,
      token: weth,
      vaultId: word(1),
      amount: parse("10"),
    }, { apply: true });
    const entask = await tx(world, alice, ob, obAbi, "entask2", [[task(TASK_SET_RATIO)]]);
    const simEntask = await simulateEntask(
      engine,
      { sender: alice, tasks: [task(TASK_SET_RATIO)] },
      { apply: true },
    );
    assert.deepEqual(simEntask.events.map(essence), logsOf(world, entask).map(essence));
    for (const order of [orderA, orderB]) {
      await tx(world, order.owner, ob, obAbi, "addOrder3", [config(order), []]);
      await simulateAddOrder(engine, { sender: order.owner, config: config(order) }, {
        apply: true,
      });
    }
    await checkVaults(world, "after deposits");
    await checkStore(world, "after deposits");
  });

  await t.step("quote2 = virtual quote, per caller, with signed context", async () => {
    const signer = privateKeyToAccount(`0x${"44".repeat(32)}`);
    const words = [word(1), parse("2.5")];
    const signature = await signer.signMessage({ message: { raw: keccak256(concatHex(words)) } });
    const signedContext = [{ signer: signer.address, context: words, signature }];
    for (const order of [orderA, orderB]) {
      for (const from of [bob, carol]) {
        const [exists, maxOutput, ioRatio] = await view<readonly [boolean, Hex, Hex]>(
          world,
          from,
          ob,
          obAbi,
          "quote2",
          [
            { order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext },
          ],
        );
        const v = await quote(engine, {
          order,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: from,
          signedContext,
        });
        assert.equal(exists, true);
        assert.deepEqual([v.exists, v.maxOutput, v.ioRatio], [
          exists,
          maxOutput.toLowerCase(),
          ioRatio.toLowerCase(),
        ]);
      }
    }
    const bad = [{ ...signedContext[0], context: [word(2)] }];
    await assert.rejects(
      view(world, bob, ob, obAbi, "quote2", [{
        order: orderA,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        signedContext: bad,
      }]),
    );
    await assert.rejects(
      quote(engine, {
        order: orderA,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        counterparty: bob,
        signedContext: bad,
      }),
      (e: Error) => e.name === "InvalidSignatureError",
    );
  });

  await t.step("takeOrders3: logs, vaults and store agree", async () => {
    const take = {
      minimumInput: parse("1"),
      maximumInput: parse("20"),
      maximumIORatio: parse("1"),
      orders: [{ order: orderA, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
      data: "0x" as Hex,
    };
    const result = await tx(world, carol, ob, obAbi, "takeOrders3", [take]);
    const r = await takeOrdersAndApplyState(engine, { taker: carol, ...take });
    // calculate-io: the timestamp and the ratio read (get caches it); handle-io: diff and max.
    assert.deepEqual(r.events.map((e) => e.type), [
      "ContextV2",
      "TakeOrderV3",
      "Set",
      "Set",
      "Set",
      "Set",
    ]);
    assert.deepEqual(r.events.map(essence), logsOf(world, result).map(essence));
    assert.ok(eq(r.totalTakerInput, parse("20")));
    await checkVaults(world, "after take");
    await checkStore(world, "after take");
  });

  await t.step("clear3: logs (incl. AfterClearV2), bounties, vaults and store agree", async () => {
    const clearConfig = {
      aliceInputIOIndex: 0n,
      aliceOutputIOIndex: 0n,
      bobInputIOIndex: 0n,
      bobOutputIOIndex: 0n,
      aliceBountyVaultId: word(7),
      bobBountyVaultId: word(8),
    };
    const result = await tx(world, carol, ob, obAbi, "clear3", [
      orderA,
      orderB,
      clearConfig,
      [],
      [],
    ]);
    const r = await clearAndApplyState(engine, {
      clearer: carol,
      alice: orderA,
      bob: orderB,
      clearConfig,
    });
    assert.deepEqual(r.events.filter((e) => e.type !== "Set").map((e) => e.type), [
      "ClearV3",
      "ContextV2",
      "ContextV2",
      "AfterClearV2",
    ]);
    // alice: 50 × 0.5 = 25 > bob's 10 → input 10, output 20; bob: 10 × 1.9 = 19 → bounty 1 USDC.
    assert.ok(eq(r.aliceBounty!, parse("1")));
    assert.deepEqual(r.events.map(essence), logsOf(world, result).map(essence));
    await checkVaults(world, "after clear");
    await checkStore(world, "after clear");
  });

  await t.step("withdraw and remove; quotes of the removed order agree", async () => {
    const withdrawn = await tx(world, alice, ob, obAbi, "withdraw3", [
      usdc,
      word(1),
      parse("1.2345678"),
      [],
    ]);
    const sim = await simulateWithdraw(engine, {
      sender: alice,
      token: usdc,
      vaultId: word(1),
      targetAmount: parse("1.2345678"),
    }, { apply: true });
    const [event] = logsOf(world, withdrawn) as { withdrawAmountUint256?: bigint }[];
    assert.equal(
      (sim.events[0] as { withdrawAmountUint256: bigint }).withdrawAmountUint256,
      event.withdrawAmountUint256,
    );
    await tx(world, alice, ob, obAbi, "removeOrder3", [orderA, []]);
    await simulateRemoveOrder(engine, { sender: alice, order: orderA }, { apply: true });
    await checkVaults(world, "after withdraw");
    const [exists] = await view<readonly [boolean, Hex, Hex]>(world, bob, ob, obAbi, "quote2", [
      { order: orderA, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] },
    ]);
    const v = await quote(engine, {
      order: orderA,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: bob,
    });
    assert.equal(exists, false);
    assert.equal(v.exists, false);
  });
});
