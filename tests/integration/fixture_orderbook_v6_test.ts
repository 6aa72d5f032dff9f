/**
 * The fixture V6 orderbook (`FixtureOrderBookV6`) on a local anvil: V6 signatures, `deposit4` with
 * more precision than the token, vault id 0 reverts, an order without handle-io, `takeOrders4` with
 * `IOIsInput` true and false, vaultless orders (quotes from wallet balance and allowance, a plain
 * `approve` changing a quote, a take across two vaultless orders of one owner) and a clear whose
 * bounty goes to vault 0. Calls go through vraindex's V6 ABI (`src/abi`); every expected Float
 * comes from Rain's own Float (`@rainlanguage/float`, the f00888c build the fixture matches) or
 * from the contract rules by hand, never from the contract under test.
 */
import assert from "node:assert/strict";
import { Float as Oracle } from "@rainlanguage/float";
import {
  type Abi,
  type Address,
  decodeEventLog,
  encodeAbiParameters,
  encodeFunctionData,
  type Hex,
  keccak256,
  type Log,
  pad,
  toEventSelector,
  toFunctionSelector,
} from "viem";
import {
  orderbookEventsAbi,
  orderbookV6Abi,
  type OrderV4,
  orderV4Parameter,
} from "../../src/abi/mod.ts";
import { parse } from "../../src/float/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import { loadFixtureArtifact, rainOps } from "../_helpers/fixtures.ts";
import { type Anvil, deployArtifact, startAnvil } from "../_helpers/anvil.ts";

const orderBookArtifact = loadFixtureArtifact("FixtureOrderBookV6");
const tokenArtifact = loadFixtureArtifact("FixtureToken");
const storeArtifact = loadFixtureArtifact("FixtureStore");
const interpreterArtifact = loadFixtureArtifact("FixtureInterpreter");

/** Errors a call can revert with: the orderbook's, and the interpreter's and token's it bubbles. */
const revertAbi: Abi = [
  ...orderBookArtifact.abi,
  ...interpreterArtifact.abi.filter((item) => item.type === "error"),
  ...tokenArtifact.abi.filter((item) => item.type === "error"),
];

type OracleResult = { value?: Oracle; error?: { msg: string } };
function unwrap(result: OracleResult): Oracle {
  if (result.error || !result.value) throw new Error(`oracle error: ${result.error?.msg}`);
  return result.value;
}
/** A comparison's answer; an oracle error fails the test. */
function yes(result: { value?: boolean; error?: { msg: string } }): boolean {
  if (result.error) throw new Error(`oracle error: ${result.error.msg}`);
  return result.value === true;
}
const o = (value: string): Oracle => unwrap(Oracle.parse(value));
const h = (result: OracleResult | Oracle): Hex =>
  ((result instanceof Oracle ? result : unwrap(result)).asHex().toLowerCase()) as Hex;
const fromHex = (hex: Hex): Oracle => unwrap(Oracle.fromHex(hex));
/** DOMAIN.md § Vaultless: `min(balance lossless, allowance lossy)` in the token's decimals. */
const walletBalance = (balance: bigint, allowance: bigint, decimals: number): Oracle =>
  unwrap(
    unwrap(Oracle.fromFixedDecimal(balance, decimals)).min(
      unwrap(Oracle.fromFixedDecimalLossy(allowance, decimals)),
    ),
  );
const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();
const word = (a: Address): Hex => pad(a.toLowerCase() as Hex);

const ZERO: Hex = pad("0x0");
const vault1: Hex = pad("0x01");
const vault2: Hex = pad("0x02");
const STORE_KEY: Hex = pad("0x5eed");
const MAX = 2n ** 256n - 1n;

/** `_ _: maxOutput ratio;` and a handle-io: one storing the output diff, or an empty one. */
function program(maxOutput: string, ratio: string, handleIO: "store" | "empty" | "none"): Hex {
  const sources = [{ ops: [rainOps.constant(0), rainOps.constant(1)] }];
  if (handleIO === "store") {
    sources.push({ ops: [rainOps.context(4, 4), rainOps.constant(2), rainOps.set()] });
  }
  if (handleIO === "empty") sources.push({ ops: [] });
  return encodeRainBytecode({ constants: [parse(maxOutput), parse(ratio), STORE_KEY], sources });
}

function hashOrder(order: OrderV4): Hex {
  return keccak256(encodeAbiParameters([orderV4Parameter], [order]));
}

type Decoded = { eventName: string; args: Record<string, unknown> };

Deno.test("FixtureOrderBookV6 on anvil", async (t) => {
  const anvil: Anvil = await startAnvil();
  try {
    const [alice, bob, carol, dave] = anvil.walletClients.map((w) => w.account.address);
    const interpreter = await deployArtifact(anvil, interpreterArtifact);
    const store = await deployArtifact(anvil, storeArtifact);
    const usdc = await deployArtifact(anvil, tokenArtifact, ["USD Coin", "USDC", 6, false]);
    const weth = await deployArtifact(anvil, tokenArtifact, ["Wrapped Ether", "WETH", 18, false]);
    const ob = await deployArtifact(anvil, orderBookArtifact);
    const abi = orderbookV6Abi as Abi;
    const tokenAbi = tokenArtifact.abi;
    const client = anvil.publicClient;

    const send = async (from: number, to: Address, fnAbi: Abi, fn: string, args: unknown[]) => {
      const hash = await anvil.walletClients[from].sendTransaction({
        to,
        data: encodeFunctionData({ abi: fnAbi, functionName: fn, args }),
      });
      const receipt = await client.waitForTransactionReceipt({ hash, timeout: 20_000 });
      assert.equal(receipt.status, "success", `${fn} reverted`);
      return receipt;
    };
    const simulate = (fn: string, args: unknown[], account: Address = bob) =>
      client.simulateContract({ address: ob, abi: revertAbi, functionName: fn, args, account });
    const obEvents = (logs: readonly Log[]): Decoded[] =>
      logs.filter((log) => same(log.address, ob)).map((log) =>
        decodeEventLog({
          abi: orderbookEventsAbi,
          data: log.data,
          topics: log.topics,
        }) as unknown as Decoded
      );
    const transfers = (logs: readonly Log[]) =>
      logs.filter((log) => same(log.address, usdc) || same(log.address, weth)).map((log) => {
        const e = decodeEventLog({
          abi: tokenAbi,
          data: log.data,
          topics: log.topics,
        }) as unknown as Decoded;
        return [
          same(log.address, usdc) ? "USDC" : "WETH",
          e.eventName,
          e.args.from,
          e.args.to,
          e.args.value,
        ];
      });
    const vaultBalance = async (owner: Address, token: Address, vaultId: Hex) =>
      await client.readContract({
        address: ob,
        abi,
        functionName: "vaultBalance2",
        args: [owner, token, vaultId],
      }) as Hex;
    const balanceOf = async (token: Address, owner: Address) =>
      await client.readContract({
        address: token,
        abi: tokenAbi,
        functionName: "balanceOf",
        args: [owner],
      }) as bigint;
    const quote = async (order: OrderV4, from: Address = bob) =>
      await client.readContract({
        address: ob,
        abi,
        functionName: "quote2",
        args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
        account: from,
      }) as readonly [boolean, Hex, Hex];
    const item = (order: OrderV4) => ({
      order,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      signedContext: [],
    });
    const takeConfig = (
      orders: OrderV4[],
      limits: { min?: string; max: string; ratio?: string; IOIsInput: boolean },
    ) => ({
      minimumIO: parse(limits.min ?? "0"),
      maximumIO: parse(limits.max),
      maximumIORatio: parse(limits.ratio ?? "1"),
      IOIsInput: limits.IOIsInput,
      orders: orders.map(item),
      data: "0x" as Hex,
    });
    const addOrder = async (
      from: number,
      bytecode: Hex,
      input: [Address, Hex],
      output: [Address, Hex],
      nonce: Hex,
    ): Promise<OrderV4> => {
      const config = {
        evaluable: { interpreter, store, bytecode },
        validInputs: [{ token: input[0], vaultId: input[1] }],
        validOutputs: [{ token: output[0], vaultId: output[1] }],
        nonce,
        secret: ZERO,
        meta: "0x" as Hex,
      };
      const receipt = await send(from, ob, abi, "addOrder4", [config, []]);
      const order: OrderV4 = {
        owner: anvil.walletClients[from].account.address,
        evaluable: config.evaluable,
        validInputs: config.validInputs,
        validOutputs: config.validOutputs,
        nonce,
      };
      assert.deepEqual(obEvents(receipt.logs).map((e) => [e.eventName, e.args.orderHash]), [
        ["AddOrderV3", hashOrder(order)],
      ]);
      return order;
    };

    for (const [who, index] of [[alice, 0], [bob, 1]] as const) {
      await send(index, usdc, tokenAbi, "mint", [who, 1_000_000_000n]);
      await send(index, weth, tokenAbi, "mint", [who, 10n ** 21n]);
      await send(index, usdc, tokenAbi, "approve", [ob, MAX]);
      await send(index, weth, tokenAbi, "approve", [ob, MAX]);
    }
    // Carol trades vaultless: 10 USDC of which she lets the orderbook pull 3, and 1000 WETH.
    await send(2, usdc, tokenAbi, "mint", [carol, 10_000_000n]);
    await send(2, weth, tokenAbi, "mint", [carol, 10n ** 21n]);
    await send(2, usdc, tokenAbi, "approve", [ob, 3_000_000n]);
    await send(2, weth, tokenAbi, "approve", [ob, MAX]);
    // Dave holds 1.5 USDC with an unlimited approval: his balance is the smaller side.
    await send(3, usdc, tokenAbi, "mint", [dave, 1_500_000n]);
    await send(3, usdc, tokenAbi, "approve", [ob, MAX]);

    await t.step("functions, events and errors are V6's (src/abi orderbookV6Abi)", () => {
      const selectors = (items: Abi, type: "function" | "error") =>
        new Set(items.filter((i) => i.type === type).map((i) => toFunctionSelector(i as never)));
      const fixtureFunctions = selectors(orderBookArtifact.abi, "function");
      // Every V6 function of src/abi but the ERC-3156 lender and ERC-165, which the fixture omits.
      const missing = abi.filter((i) =>
        i.type === "function" && !fixtureFunctions.has(toFunctionSelector(i))
      ).map((i) => "name" in i ? i.name : "");
      assert.deepEqual(missing.sort(), [
        "flashFee",
        "flashLoan",
        "maxFlashLoan",
        "supportsInterface",
      ]);
      // Hand-written from IRaindexV6 (DOMAIN.md § OrderBook V6).
      const order =
        "(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32)";
      const signed = "(address,bytes32[],bytes)";
      const task = `((address,address,bytes),${signed}[])`;
      const takeOrder = `(${order},uint256,uint256,${signed}[])`;
      for (
        const signature of [
          `addOrder4(((address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32,bytes32,bytes),${task}[])`,
          `deposit4(address,bytes32,bytes32,${task}[])`,
          `withdraw4(address,bytes32,bytes32,${task}[])`,
          `takeOrders4((bytes32,bytes32,bytes32,bool,${takeOrder}[],bytes))`,
          `removeOrder3(${order},${task}[])`,
          `quote2((${order},uint256,uint256,${signed}[]))`,
          "vaultBalance2(address,address,bytes32)",
          "multicall(bytes[])",
        ]
      ) {
        assert.ok(fixtureFunctions.has(toFunctionSelector(signature)), `fixture has ${signature}`);
      }
      for (const v5 of ["deposit3", "withdraw3", "addOrder3", "takeOrders3"]) {
        assert.ok(!orderBookArtifact.abi.some((i) => "name" in i && i.name === v5), `no ${v5}`);
      }
      const fixtureEvents = new Set(
        orderBookArtifact.abi.filter((i) => i.type === "event").map((i) => toEventSelector(i)),
      );
      const projectEvents = orderbookEventsAbi.filter((i) => i.type === "event");
      assert.equal(projectEvents.length, 12);
      for (const event of projectEvents) {
        assert.ok(fixtureEvents.has(toEventSelector(event)), `fixture emits ${event.name}`);
      }
      const fixtureErrors = selectors(orderBookArtifact.abi, "error");
      const projectErrors = selectors(abi, "error");
      for (
        const signature of [
          "ZeroVaultId(address,address)",
          "ZeroMaximumIO()",
          "MinimumIO(bytes32,bytes32)",
          "NotOrderOwner(address)",
          "ZeroDepositAmount(address,address,bytes32)",
        ]
      ) {
        const selector = toFunctionSelector(signature);
        assert.ok(fixtureErrors.has(selector), `fixture reverts ${signature}`);
        assert.ok(projectErrors.has(selector), `src/abi knows ${signature}`);
      }
    });

    await t.step(
      "deposit4: exact Float in the vault, pull rounded up; vault 0 reverts",
      async () => {
        const amount = parse("1.0000001");
        const before = await balanceOf(usdc, alice);
        const receipt = await send(0, ob, abi, "deposit4", [usdc, vault1, amount, []]);
        // 1.0000001 × 10^6 = 1000000.1 units: lossy, so 1000000 + 1.
        assert.equal(before - await balanceOf(usdc, alice), 1_000_001n);
        assert.deepEqual(obEvents(receipt.logs), [{
          eventName: "DepositV2",
          args: { sender: alice, token: usdc, vaultId: vault1, depositAmountUint256: 1_000_001n },
        }]);
        assert.equal(await vaultBalance(alice, usdc, vault1), amount);
        await send(0, ob, abi, "deposit4", [usdc, vault1, parse("9"), []]);
        assert.equal(await vaultBalance(alice, usdc, vault1), h(o("1.0000001").add(o("9"))));

        // Vault id 0 is checked before the amount: a zero amount still reports ZeroVaultId.
        await assert.rejects(
          simulate("deposit4", [usdc, ZERO, parse("0"), []], alice),
          /ZeroVaultId/,
        );
        await assert.rejects(
          simulate("deposit4", [usdc, ZERO, parse("1"), []], alice),
          /ZeroVaultId/,
        );
        await assert.rejects(
          simulate("withdraw4", [usdc, ZERO, parse("1"), []], alice),
          /ZeroVaultId/,
        );
        await assert.rejects(
          simulate("deposit4", [usdc, vault1, parse("0"), []], alice),
          /ZeroDepositAmount/,
        );
      },
    );

    await t.step("addOrder4 without handle-io: added, quotes, every take reverts", async () => {
      const order = await addOrder(
        0,
        program("5", "0.0004", "none"),
        [weth, vault1],
        [usdc, vault1],
        pad("0x0bad"),
      );
      // Vault 10.0000001 > 5: the expression's 5, with its bits.
      assert.deepEqual(await quote(order), [true, parse("5"), parse("0.0004")]);
      await assert.rejects(
        simulate("takeOrders4", [takeConfig([order], { max: "1", IOIsInput: true })]),
        /SourceIndexOutOfBounds/,
      );
      await assert.rejects(simulate("removeOrder3", [order, []], bob), /NotOrderOwner/);
      const removed = await send(0, ob, abi, "removeOrder3", [order, []]);
      assert.deepEqual(obEvents(removed.logs).map((e) => e.eventName), ["RemoveOrderV3"]);
      assert.deepEqual(await quote(order), [false, ZERO, ZERO]);
    });

    const order = await addOrder(
      0,
      program("5", "0.0004", "store"),
      [weth, vault1],
      [usdc, vault1],
      pad("0x01"),
    );
    const orderHash = hashOrder(order);

    await t.step("takeOrders4 with IOIsInput: limits on the taker's input", async () => {
      const usdcBefore = await balanceOf(usdc, bob);
      const wethBefore = await balanceOf(weth, bob);
      const outBefore = await vaultBalance(alice, usdc, vault1);
      const receipt = await send(1, ob, abi, "takeOrders4", [
        takeConfig([order], { max: "2", ratio: "0.001", IOIsInput: true }),
      ]);
      // takerInput = min(outputMax 5, remaining 2) = 2 USDC; takerOutput = 0.0004 × 2 WETH.
      const takerInput = h(o("5").min(o("2")));
      const takerOutput = h(o("0.0004").mul(fromHex(takerInput)));
      assert.equal(await balanceOf(usdc, bob) - usdcBefore, 2_000_000n);
      assert.equal(wethBefore - await balanceOf(weth, bob), 800_000_000_000_000n);
      assert.equal(
        await vaultBalance(alice, usdc, vault1),
        h(fromHex(outBefore).sub(fromHex(takerInput))),
      );
      assert.equal(
        await vaultBalance(alice, weth, vault1),
        h(fromHex(ZERO).add(fromHex(takerOutput))),
      );
      const events = obEvents(receipt.logs);
      assert.deepEqual(events.map((e) => e.eventName), ["ContextV2", "TakeOrderV3"]);
      assert.deepEqual(events[0].args.context, [
        [word(bob), word(ob)],
        [orderHash, word(alice), word(bob)],
        [parse("5"), parse("0.0004")],
        [word(weth), pad("0x12"), vault1, ZERO, takerOutput],
        [word(usdc), pad("0x06"), vault1, outBefore, takerInput],
      ]);
      assert.deepEqual(
        [events[1].args.sender, events[1].args.input, events[1].args.output],
        [bob, takerInput, takerOutput],
      );
    });

    await t.step("takeOrders4 without IOIsInput: limits on the taker's output", async () => {
      const usdcBefore = await balanceOf(usdc, bob);
      const wethBefore = await balanceOf(weth, bob);
      const outBefore = await vaultBalance(alice, usdc, vault1);
      const receipt = await send(1, ob, abi, "takeOrders4", [
        takeConfig([order], { max: "0.0004", ratio: "0.001", IOIsInput: false }),
      ]);
      // outputMax = min(5, 8.0000001) = 5; the order would take 0.0004 × 5 = 0.002 WETH; the taker
      // offers 0.0004, so takerOutput = 0.0004 and takerInput = 0.0004 / 0.0004 = 1 USDC.
      const takerOutput = h(o("0.0004").mul(o("5")).value!.min(o("0.0004")));
      const takerInput = h(fromHex(takerOutput).div(o("0.0004")));
      assert.ok(yes(fromHex(takerInput).eq(o("1"))));
      assert.equal(await balanceOf(usdc, bob) - usdcBefore, 1_000_000n);
      assert.equal(wethBefore - await balanceOf(weth, bob), 400_000_000_000_000n);
      assert.equal(
        await vaultBalance(alice, usdc, vault1),
        h(fromHex(outBefore).sub(fromHex(takerInput))),
      );
      const events = obEvents(receipt.logs);
      assert.deepEqual(events.map((e) => e.eventName), ["ContextV2", "TakeOrderV3"]);
      assert.deepEqual(
        (events[0].args.context as Hex[][]).slice(2).map((column) => column.at(-1)),
        [parse("0.0004"), takerOutput, takerInput],
      );
      assert.deepEqual([events[1].args.input, events[1].args.output], [takerInput, takerOutput]);

      // MinimumIO applies to the total output here (0.0004 < 0.001), though the input is 1.
      await assert.rejects(
        simulate("takeOrders4", [
          takeConfig([order], { min: "0.001", max: "0.0004", IOIsInput: false }),
        ]),
        /MinimumIO/,
      );
      await assert.rejects(
        simulate("takeOrders4", [takeConfig([order], { max: "0", IOIsInput: false })]),
        /ZeroMaximumIO/,
      );
      await assert.rejects(
        simulate("takeOrders4", [takeConfig([], { max: "1", IOIsInput: true })]),
        /NoOrders/,
      );
      // A zero ratio cannot be inverted: the whole take reverts.
      const free = await addOrder(
        0,
        program("5", "0", "store"),
        [weth, vault1],
        [usdc, vault1],
        pad("0xf4ee"),
      );
      await assert.rejects(
        simulate("takeOrders4", [takeConfig([free], { max: "1", IOIsInput: false })]),
        /DivisionByZero/,
      );
    });

    const vaultless = (from: number, maxOutput: string, ratio: string, nonce: Hex, sell: Address) =>
      addOrder(
        from,
        program(maxOutput, ratio, "empty"),
        [sell === usdc ? weth : usdc, ZERO],
        [sell, ZERO],
        nonce,
      );
    const orderB = await vaultless(2, "100", "0.0005", pad("0x0b"), usdc);

    await t.step("vaultless: quote and vaultBalance2 = min(balance, allowance)", async () => {
      const expected = walletBalance(10_000_000n, 3_000_000n, 6);
      assert.equal(await vaultBalance(carol, usdc, ZERO), h(expected));
      assert.ok(yes(expected.eq(o("3"))), "the allowance is the smaller side");
      assert.deepEqual(await quote(orderB), [true, h(o("100").min(expected)), parse("0.0005")]);
      // Dave's 1.5 USDC is below his unlimited allowance.
      const daves = walletBalance(1_500_000n, MAX, 6);
      assert.equal(await vaultBalance(dave, usdc, ZERO), h(daves));
      assert.equal(h(daves), h(Oracle.fromFixedDecimal(1_500_000n, 6)));
    });

    await t.step(
      "a plain approve, with no orderbook event, changes a vaultless quote",
      async () => {
        const receipt = await send(2, usdc, tokenAbi, "approve", [ob, 2_500_000n]);
        assert.equal(obEvents(receipt.logs).length, 0);
        const expected = walletBalance(10_000_000n, 2_500_000n, 6);
        const [, outputMax] = await quote(orderB);
        assert.equal(outputMax, h(o("100").min(expected)));
        assert.ok(yes(fromHex(outputMax).eq(o("2.5"))));
      },
    );

    await t.step(
      "a take across two vaultless orders of one owner: the second sees the first's moves",
      async () => {
        const orderA = await vaultless(2, "2", "0.0004", pad("0x0a"), usdc);
        const carolWeth = await balanceOf(weth, carol);
        const bobUsdc = await balanceOf(usdc, bob);
        const bobWeth = await balanceOf(weth, bob);
        const receipt = await send(1, ob, abi, "takeOrders4", [
          takeConfig([orderA, orderB], { max: "10", IOIsInput: true }),
        ]);
        // A: wallet min(10, 2.5) = 2.5; outputMax min(2, 2.5) = 2; takes 2 USDC for 0.0008 WETH.
        const usdcA = walletBalance(10_000_000n, 2_500_000n, 6);
        const wethA = walletBalance(carolWeth, MAX, 18);
        const inA = o("2").min(usdcA).value!.min(o("10")).value!;
        const outA = o("0.0004").mul(inA).value!;
        const remaining = o("10").sub(inA).value!;
        // B, after A pushed 0.0008 WETH to carol and pulled 2 USDC: wallet min(8, 0.5) = 0.5.
        const usdcB = walletBalance(8_000_000n, 500_000n, 6);
        const wethB = walletBalance(carolWeth + 800_000_000_000_000n, MAX, 18);
        const inB = o("100").min(usdcB).value!.min(remaining).value!;
        const outB = o("0.0005").mul(inB).value!;
        assert.ok(yes(inB.eq(o("0.5"))));

        const events = obEvents(receipt.logs);
        assert.deepEqual(events.map((e) => e.eventName), [
          "ContextV2",
          "TakeOrderV3",
          "ContextV2",
          "TakeOrderV3",
        ]);
        const [ctxA, ctxB] = [events[0].args.context, events[2].args.context] as Hex[][][];
        assert.deepEqual(ctxA[3], [word(weth), pad("0x12"), ZERO, h(wethA), h(outA)]);
        assert.deepEqual(ctxA[4], [word(usdc), pad("0x06"), ZERO, h(usdcA), h(inA)]);
        assert.deepEqual(ctxB[1], [hashOrder(orderB), word(carol), word(bob)]);
        assert.deepEqual(ctxB[2], [h(o("100").min(usdcB)), parse("0.0005")]);
        assert.deepEqual(ctxB[3], [word(weth), pad("0x12"), ZERO, h(wethB), h(outB)]);
        assert.deepEqual(ctxB[4], [word(usdc), pad("0x06"), ZERO, h(usdcB), h(inB)]);
        assert.deepEqual([events[3].args.input, events[3].args.output], [h(inB), h(outB)]);

        // Vaultless moves happen inside the loop, paid from the orderbook's WETH; the taker settles
        // after it: 2.5 USDC out, 0.00105 WETH in.
        assert.deepEqual(transfers(receipt.logs), [
          ["WETH", "Transfer", ob, carol, 800_000_000_000_000n],
          ["USDC", "Transfer", carol, ob, 2_000_000n],
          ["WETH", "Transfer", ob, carol, 250_000_000_000_000n],
          ["USDC", "Transfer", carol, ob, 500_000n],
          ["USDC", "Transfer", ob, bob, 2_500_000n],
          ["WETH", "Transfer", bob, ob, 1_050_000_000_000_000n],
        ]);
        assert.equal(await balanceOf(usdc, bob) - bobUsdc, 2_500_000n);
        assert.equal(bobWeth - await balanceOf(weth, bob), 1_050_000_000_000_000n);
        // Carol's allowance is spent: her vaultless USDC balance is now 0.
        assert.equal(
          await vaultBalance(carol, usdc, ZERO),
          h(walletBalance(7_500_000n, 0n, 6)),
        );
      },
    );

    await t.step("clear3 with both bounties to vault 0: pushed to the clearer", async () => {
      await send(0, ob, abi, "deposit4", [usdc, vault2, parse("10"), []]);
      const aliceOrder = await addOrder(
        0,
        program("5", "0.0004", "store"),
        [weth, vault1],
        [usdc, vault2],
        pad("0x02"),
      );
      const carolOrder = await vaultless(2, "0.001", "2000", pad("0x0c"), weth);
      const aliceUsdc = await vaultBalance(alice, usdc, vault2);
      const aliceWeth = await vaultBalance(alice, weth, vault1);
      const receipt = await send(1, ob, abi, "clear3", [
        aliceOrder,
        carolOrder,
        {
          aliceInputIOIndex: 0n,
          aliceOutputIOIndex: 0n,
          bobInputIOIndex: 0n,
          bobOutputIOIndex: 0n,
          aliceBountyVaultId: ZERO,
          bobBountyVaultId: ZERO,
        },
        [],
        [],
      ]);
      // Alice: outputMax 5, 5 × 0.0004 = 0.002 > carol's 0.001, so input 0.001 and output
      // 0.001 / 0.0004 = 2.5. Carol: outputMax 0.001, input 0.001 × 2000 = 2 ≤ 5, output 0.001.
      const aliceInput = h(o("0.001"));
      const aliceOutput = h(o("0.001").div(o("0.0004")));
      const carolInput = h(o("0.001").mul(o("2000")));
      const carolOutput = h(o("0.001"));
      const events = obEvents(receipt.logs);
      assert.deepEqual(events.map((e) => e.eventName), [
        "ClearV3",
        "ContextV2",
        "ContextV2",
        "AfterClearV2",
      ]);
      assert.deepEqual(events[3].args.clearStateChange, {
        aliceOutput,
        bobOutput: carolOutput,
        aliceInput,
        bobInput: carolInput,
      });
      // Carol's IOs are vaultless (2 USDC pushed, 0.001 WETH pulled); the USDC bounty
      // 2.5 − 2 = 0.5 goes straight to bob; the WETH bounty 0.001 − 0.001 = 0 moves nothing.
      assert.deepEqual(transfers(receipt.logs), [
        ["USDC", "Transfer", ob, carol, 2_000_000n],
        ["WETH", "Transfer", carol, ob, 1_000_000_000_000_000n],
        ["USDC", "Transfer", ob, bob, 500_000n],
      ]);
      assert.ok(yes(fromHex(aliceOutput).sub(fromHex(carolInput)).value!.eq(o("0.5"))));
      assert.equal(
        await vaultBalance(alice, usdc, vault2),
        h(fromHex(aliceUsdc).sub(fromHex(aliceOutput))),
      );
      assert.equal(
        await vaultBalance(alice, weth, vault1),
        h(fromHex(aliceWeth).add(fromHex(aliceInput))),
      );
    });

    await t.step(
      "a vaultless push is paid from the orderbook's own holdings, or the take reverts",
      async () => {
        const dai = await deployArtifact(anvil, tokenArtifact, ["Dai", "DAI", 18, false]);
        await send(1, dai, tokenAbi, "mint", [bob, 10n ** 21n]);
        await send(1, dai, tokenAbi, "approve", [ob, MAX]);
        // Carol sells up to 0.001 WETH from her wallet at 5 DAI each, taking DAI into her wallet.
        const daiOrder = await addOrder(
          2,
          program("0.001", "5", "empty"),
          [dai, ZERO],
          [weth, ZERO],
          pad("0xda1"),
        );
        const take = takeConfig([daiOrder], { max: "0.001", ratio: "10", IOIsInput: true });
        // The orderbook holds no DAI: pushing carol's 0.005 DAI fails before bob pays anything.
        await assert.rejects(simulate("takeOrders4", [take]), /ERC20InsufficientBalance/);
        await send(0, dai, tokenAbi, "mint", [alice, 10n ** 18n]);
        await send(0, dai, tokenAbi, "approve", [ob, MAX]);
        await send(0, ob, abi, "deposit4", [dai, vault1, parse("1"), []]);
        const receipt = await send(1, ob, abi, "takeOrders4", [take]);
        assert.deepEqual(transfers(receipt.logs.filter((log) => !same(log.address, dai))), [
          ["WETH", "Transfer", carol, ob, 1_000_000_000_000_000n],
          ["WETH", "Transfer", ob, bob, 1_000_000_000_000_000n],
        ]);
        assert.equal(await balanceOf(dai, carol), 5_000_000_000_000_000n);
        assert.equal(await balanceOf(dai, ob), 10n ** 18n, "bob's payment refills the orderbook");
      },
    );

    await t.step("withdraw4: min(target, vault), push truncated, vault drops exactly", async () => {
      const balance = await vaultBalance(alice, usdc, vault1);
      // 10.0000001 − 2 − 1 (the two takes of alice's order).
      assert.ok(yes(fromHex(balance).eq(o("7.0000001"))));
      const before = await balanceOf(usdc, alice);
      const receipt = await send(0, ob, abi, "withdraw4", [usdc, vault1, parse("100"), []]);
      assert.equal(await balanceOf(usdc, alice) - before, 7_000_000n);
      assert.deepEqual(obEvents(receipt.logs), [{
        eventName: "WithdrawV2",
        args: {
          sender: alice,
          token: usdc,
          vaultId: vault1,
          targetAmount: parse("100"),
          withdrawAmount: h(o("100").min(fromHex(balance))),
          withdrawAmountUint256: 7_000_000n,
        },
      }]);
      assert.equal(
        await vaultBalance(alice, usdc, vault1),
        h(fromHex(balance).sub(fromHex(balance))),
      );
    });

    await t.step("multicall: deposit4 then entask2 in one transaction", async () => {
      const calls = [
        encodeFunctionData({
          abi,
          functionName: "deposit4",
          args: [weth, vault2, parse("0.5"), []],
        }),
        encodeFunctionData({ abi, functionName: "entask2", args: [[]] }),
      ];
      const receipt = await send(2, ob, orderBookArtifact.abi, "multicall", [calls]);
      assert.deepEqual(obEvents(receipt.logs).map((e) => e.eventName), ["DepositV2"]);
      assert.equal(await vaultBalance(carol, weth, vault2), parse("0.5"));
    });
  } finally {
    await anvil.stop();
  }
});
