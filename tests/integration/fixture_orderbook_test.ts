/**
 * The fixture V5 orderbook on a local anvil: signatures, deposits with more precision than the
 * token, orders, `quote2` over `eth_call`, takes, withdrawals, removals, clears, post tasks and the
 * orderbook's own multicall. Calls go through vraindex's V5 ABI (`src/abi`); every expected Float is
 * computed by Rain's own Float (`@rainlanguage/float`) or by hand from the contract rules, never by
 * the contract under test.
 */
import assert from "node:assert/strict";
import { Float as Oracle } from "@rainlanguage/float";
import {
  type Abi,
  type Address,
  concat,
  decodeEventLog,
  encodeAbiParameters,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  type Log,
  pad,
  toEventSelector,
  toFunctionSelector,
} from "viem";
import {
  orderbookEventsAbi,
  orderbookV5Abi,
  type OrderV4,
  orderV4Parameter,
} from "../../src/abi/mod.ts";
import { parse } from "../../src/float/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import { loadFixtureArtifact, rainOps } from "../_helpers/fixtures.ts";
import { type Anvil, deployArtifact, startAnvil } from "../_helpers/anvil.ts";

const orderBookArtifact = loadFixtureArtifact("FixtureOrderBook");
const tokenArtifact = loadFixtureArtifact("FixtureToken");
const storeArtifact = loadFixtureArtifact("FixtureStore");

/** Rain's Float through the oracle, as packed hex. */
function oracle(value: string): Oracle {
  const parsed = Oracle.parse(value);
  if (parsed.error) throw new Error(`oracle cannot parse ${value}: ${parsed.error.msg}`);
  return parsed.value;
}
function hexOf(result: { value?: Oracle; error?: { msg: string } }): Hex {
  if (result.error || !result.value) throw new Error(`oracle error: ${result.error?.msg}`);
  return result.value.asHex().toLowerCase() as Hex;
}
const same = (a: Hex, b: Hex): boolean => a.toLowerCase() === b.toLowerCase();

const ZERO: Hex = pad("0x0");
const vault1: Hex = pad("0x01");
const vault2: Hex = pad("0x02");
const STORE_KEY: Hex = pad("0x5eed");

/** `_ _: maxOutput ratio;` plus a handle-io that stores the output diff under STORE_KEY. */
function orderProgram(maxOutput: string, ratio: string): Hex {
  return encodeRainBytecode({
    constants: [parse(maxOutput), parse(ratio), STORE_KEY],
    sources: [
      { ops: [rainOps.constant(0), rainOps.constant(1)] },
      { ops: [rainOps.context(4, 4), rainOps.constant(2), rainOps.set()] },
    ],
  });
}

type Env = {
  anvil: Anvil;
  ob: Address;
  interpreter: Address;
  store: Address;
  usdc: Address;
  weth: Address;
  broken: Address;
  alice: Address;
  bob: Address;
  carol: Address;
};

async function send(
  env: Env,
  from: number,
  to: Address,
  abi: Abi,
  functionName: string,
  args: unknown[],
) {
  const wallet = env.anvil.walletClients[from];
  const hash = await wallet.sendTransaction({
    to,
    data: encodeFunctionData({ abi, functionName, args }),
  });
  const receipt = await env.anvil.publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 });
  assert.equal(receipt.status, "success", `${functionName} reverted`);
  return receipt;
}

type Decoded = { eventName: string; args: Record<string, unknown> };
function obEvents(env: Env, logs: readonly Log[]): Decoded[] {
  return logs.filter((log) => same(log.address, env.ob)).map((log) =>
    decodeEventLog({
      abi: orderbookEventsAbi,
      data: log.data,
      topics: log.topics,
    }) as unknown as Decoded
  );
}

async function vaultBalance(env: Env, owner: Address, token: Address, vaultId: Hex): Promise<Hex> {
  return await env.anvil.publicClient.readContract({
    address: env.ob,
    abi: orderbookV5Abi,
    functionName: "vaultBalance2",
    args: [owner, token, vaultId],
  }) as Hex;
}

async function erc20Balance(env: Env, token: Address, owner: Address): Promise<bigint> {
  return await env.anvil.publicClient.readContract({
    address: token,
    abi: tokenArtifact.abi,
    functionName: "balanceOf",
    args: [owner],
  }) as bigint;
}

async function quote(env: Env, order: OrderV4, from: Address) {
  return await env.anvil.publicClient.readContract({
    address: env.ob,
    abi: orderbookV5Abi,
    functionName: "quote2",
    args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
    account: from,
  }) as readonly [boolean, Hex, Hex];
}

function hashOrder(order: OrderV4): Hex {
  return keccak256(encodeAbiParameters([orderV4Parameter], [order]));
}

Deno.test("FixtureOrderBook (V5) on anvil", async (t) => {
  const anvil = await startAnvil();
  try {
    const [alice, bob, carol] = anvil.walletClients.map((w) => w.account.address);
    const interpreter = await deployArtifact(anvil, "FixtureInterpreter");
    const store = await deployArtifact(anvil, storeArtifact);
    const usdc = await deployArtifact(anvil, tokenArtifact, ["USD Coin", "USDC", 6, false]);
    const weth = await deployArtifact(anvil, tokenArtifact, ["Wrapped Ether", "WETH", 18, false]);
    const broken = await deployArtifact(anvil, tokenArtifact, ["Broken", "BRK", 18, true]);
    const ob = await deployArtifact(anvil, orderBookArtifact);
    const env: Env = { anvil, ob, interpreter, store, usdc, weth, broken, alice, bob, carol };
    const abi = orderbookV5Abi as Abi;
    const tokenAbi = tokenArtifact.abi;
    for (const [who, index] of [[alice, 0], [bob, 1], [carol, 2]] as const) {
      await send(env, index, usdc, tokenAbi, "mint", [who, 1_000_000_000n]);
      await send(env, index, weth, tokenAbi, "mint", [who, 10n ** 21n]);
      await send(env, index, usdc, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
      await send(env, index, weth, tokenAbi, "approve", [ob, 2n ** 256n - 1n]);
    }

    await t.step("selectors and event topics are V5's", () => {
      // Hand-written from IOrderBookV5 / IInterpreterCallerV4 / IMetaV1_2 (DOMAIN.md § Structs).
      const order =
        "(address,(address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32)";
      const signed = "(address,bytes32[],bytes)";
      const takeOrder = `(${order},uint256,uint256,${signed}[])`;
      const clearConfig = "(uint256,uint256,uint256,uint256,bytes32,bytes32)";
      const events = [
        "DepositV2(address,address,bytes32,uint256)",
        "WithdrawV2(address,address,bytes32,bytes32,bytes32,uint256)",
        `AddOrderV3(address,bytes32,${order})`,
        `RemoveOrderV3(address,bytes32,${order})`,
        `TakeOrderV3(address,${takeOrder},bytes32,bytes32)`,
        "OrderNotFound(address,address,bytes32)",
        "OrderZeroAmount(address,address,bytes32)",
        "OrderExceedsMaxRatio(address,address,bytes32)",
        `ClearV3(address,${order},${order},${clearConfig})`,
        "AfterClearV2(address,(bytes32,bytes32,bytes32,bytes32))",
        "ContextV2(address,bytes32[][])",
        "MetaV1_2(address,bytes32,bytes)",
      ];
      const artifactTopics = new Set(
        orderBookArtifact.abi.filter((item) => item.type === "event").map((item) =>
          toEventSelector(item)
        ),
      );
      const projectTopics = new Set(
        (orderbookEventsAbi as Abi).filter((i) => i.type === "event").map((i) =>
          toEventSelector(i)
        ),
      );
      for (const signature of events) {
        assert.ok(artifactTopics.has(toEventSelector(signature)), `fixture emits ${signature}`);
        assert.ok(projectTopics.has(toEventSelector(signature)), `src/abi knows ${signature}`);
      }
      const functions = [
        `addOrder3(((address,address,bytes),(address,bytes32)[],(address,bytes32)[],bytes32,bytes32,bytes),((address,address,bytes),${signed}[])[])`,
        `removeOrder3(${order},((address,address,bytes),${signed}[])[])`,
        "deposit3(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
        "withdraw3(address,bytes32,bytes32,((address,address,bytes),(address,bytes32[],bytes)[])[])",
        `takeOrders3((bytes32,bytes32,bytes32,${takeOrder}[],bytes))`,
        `clear3(${order},${order},${clearConfig},${signed}[],${signed}[])`,
        `quote2((${order},uint256,uint256,${signed}[]))`,
        "vaultBalance2(address,address,bytes32)",
        "orderExists(bytes32)",
        "entask2(((address,address,bytes),(address,bytes32[],bytes)[])[])",
        "multicall(bytes[])",
      ];
      const artifactSelectors = new Set(
        orderBookArtifact.abi.filter((i) => i.type === "function").map((i) =>
          toFunctionSelector(i)
        ),
      );
      const projectSelectors = new Set(
        abi.filter((i) => i.type === "function").map((i) => toFunctionSelector(i)),
      );
      for (const signature of functions) {
        assert.ok(artifactSelectors.has(toFunctionSelector(signature)), `fixture has ${signature}`);
        if (signature !== "multicall(bytes[])") {
          assert.ok(
            projectSelectors.has(toFunctionSelector(signature)),
            `src/abi has ${signature}`,
          );
        }
      }
    });

    await t.step(
      "deposit with more precision than the token: exact vault, pull rounded up",
      async () => {
        const amount = parse("1.0000001");
        const before = await erc20Balance(env, usdc, alice);
        const receipt = await send(env, 0, ob, abi, "deposit3", [usdc, vault1, amount, []]);
        // 1.0000001 × 10^6 = 1000000.1 units: truncated 1000000, lossy, so one more unit.
        assert.equal(before - await erc20Balance(env, usdc, alice), 1_000_001n);
        const events = obEvents(env, receipt.logs);
        assert.deepEqual(events.map((e) => e.eventName), ["DepositV2"]);
        assert.deepEqual(events[0].args, {
          sender: alice,
          token: usdc,
          vaultId: vault1,
          depositAmountUint256: 1_000_001n,
        });
        // Adding to a zero vault returns the deposit's own bits.
        assert.equal(await vaultBalance(env, alice, usdc, vault1), amount);

        await send(env, 0, ob, abi, "deposit3", [usdc, vault1, parse("9"), []]);
        const expected = hexOf(oracle("1.0000001").add(oracle("9")));
        assert.equal(await vaultBalance(env, alice, usdc, vault1), expected);
        assert.equal(oracle("10.0000001").eq(Oracle.fromHex(expected).value!).value, true);
      },
    );

    const orderConfig = {
      evaluable: { interpreter, store, bytecode: orderProgram("5", "0.0004") },
      validInputs: [{ token: weth, vaultId: vault1 }],
      validOutputs: [{ token: usdc, vaultId: vault1 }],
      nonce: pad("0x6e6f6e6365"),
      secret: ZERO,
      meta: "0xff0a89c674ee78740102" as Hex,
    };
    const order: OrderV4 = {
      owner: alice,
      evaluable: orderConfig.evaluable,
      validInputs: orderConfig.validInputs,
      validOutputs: orderConfig.validOutputs,
      nonce: orderConfig.nonce,
    };
    const orderHash = hashOrder(order);

    await t.step("addOrder3: order hash, AddOrderV3 and MetaV1_2", async () => {
      const [missing] = await quote(env, order, bob);
      assert.equal(missing, false);
      const receipt = await send(env, 0, ob, abi, "addOrder3", [orderConfig, []]);
      const events = obEvents(env, receipt.logs);
      assert.deepEqual(events.map((e) => e.eventName), ["AddOrderV3", "MetaV1_2"]);
      assert.equal(events[0].args.sender, alice);
      assert.equal(events[0].args.orderHash, orderHash);
      assert.equal(
        hashOrder(events[0].args.order as OrderV4),
        orderHash,
        "the logged order hashes to the logged hash",
      );
      assert.deepEqual(events[1].args, {
        sender: alice,
        subject: orderHash,
        meta: orderConfig.meta,
      });
      assert.equal(
        await anvil.publicClient.readContract({
          address: ob,
          abi,
          functionName: "orderExists",
          args: [orderHash],
        }),
        true,
      );
      // Adding the same order again changes nothing and logs nothing.
      const again = await send(env, 0, ob, abi, "addOrder3", [orderConfig, []]);
      assert.deepEqual(obEvents(env, again.logs), []);
    });

    await t.step("quote2 over eth_call: (true, min(maxOutput, vault), ratio)", async () => {
      // Vault 10.0000001 > 5: the expression's 5 wins, with the constant's bits.
      const [exists, outputMax, ratio] = await quote(env, order, bob);
      assert.equal(exists, true);
      assert.equal(outputMax, parse("5"));
      assert.equal(ratio, parse("0.0004"));
    });

    await t.step(
      "takeOrders3 moves vaults and tokens, logs ContextV2 then TakeOrderV3",
      async () => {
        const usdcBefore = await erc20Balance(env, usdc, bob);
        const wethBefore = await erc20Balance(env, weth, bob);
        const vaultOutBefore = await vaultBalance(env, alice, usdc, vault1);
        const takeOrder = { order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] };
        const receipt = await send(env, 1, ob, abi, "takeOrders3", [{
          minimumInput: parse("0"),
          maximumInput: parse("2"),
          maximumIORatio: parse("0.001"),
          orders: [takeOrder],
          data: "0x",
        }]);
        // takerInput = min(5, 2) = 2 USDC; takerOutput = 0.0004 × 2 WETH.
        const takerInput = parse("2");
        const takerOutput = hexOf(oracle("0.0004").mul(oracle("2")));
        assert.equal(await erc20Balance(env, usdc, bob) - usdcBefore, 2_000_000n);
        assert.equal(wethBefore - await erc20Balance(env, weth, bob), 800_000_000_000_000n);
        assert.equal(
          await vaultBalance(env, alice, usdc, vault1),
          hexOf(Oracle.fromHex(vaultOutBefore).value!.sub(oracle("2"))),
        );
        assert.equal(await vaultBalance(env, alice, weth, vault1), takerOutput);

        const events = obEvents(env, receipt.logs);
        assert.deepEqual(events.map((e) => e.eventName), ["ContextV2", "TakeOrderV3"]);
        const word = (a: Address): Hex => pad(a.toLowerCase() as Hex);
        assert.deepEqual(events[0].args.context, [
          [word(bob), word(ob)],
          [orderHash, word(alice), word(bob)],
          [parse("5"), parse("0.0004")],
          [word(weth), pad("0x12"), vault1, ZERO, takerOutput],
          [word(usdc), pad("0x06"), vault1, vaultOutBefore, takerInput],
        ]);
        assert.equal(events[1].args.sender, bob);
        assert.equal(events[1].args.input, takerInput);
        assert.equal(events[1].args.output, takerOutput);
        // Handle-io stored the output diff in alice's namespace, qualified by the orderbook.
        const storeLogs = receipt.logs.filter((log) => same(log.address, store));
        assert.equal(storeLogs.length, 1);
        const fqn = BigInt(keccak256(encodeAbiParameters(
          [{ type: "uint256" }, { type: "address" }],
          [BigInt(alice), ob],
        )));
        const set = decodeEventLog({
          abi: storeArtifact.abi,
          ...storeLogs[0],
        }) as unknown as Decoded;
        assert.deepEqual(set.args, { namespace: fqn, key: STORE_KEY, value: takerInput });
      },
    );

    await t.step("a ratio above maximumIORatio is skipped; MinimumInput reverts", async () => {
      const takeOrder = { order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] };
      const receipt = await send(env, 1, ob, abi, "takeOrders3", [{
        minimumInput: parse("0"),
        maximumInput: parse("1"),
        maximumIORatio: parse("0.0001"),
        orders: [takeOrder],
        data: "0x",
      }]);
      assert.deepEqual(obEvents(env, receipt.logs), [{
        eventName: "OrderExceedsMaxRatio",
        args: { sender: bob, owner: alice, orderHash },
      }]);
      await assert.rejects(
        anvil.publicClient.simulateContract({
          address: ob,
          abi,
          functionName: "takeOrders3",
          args: [{
            minimumInput: parse("1"),
            maximumInput: parse("1"),
            maximumIORatio: parse("0.0001"),
            orders: [takeOrder],
            data: "0x",
          }],
          account: bob,
        }),
        /MinimumInput/,
      );
    });

    await t.step("a token whose decimals() reverts makes quote2 revert", async () => {
      const brokenConfig = {
        ...orderConfig,
        validInputs: [{ token: broken, vaultId: vault1 }],
        meta: "0x" as Hex,
      };
      await send(env, 0, ob, abi, "addOrder3", [brokenConfig, []]);
      const brokenOrder: OrderV4 = { ...order, validInputs: brokenConfig.validInputs };
      await assert.rejects(quote(env, brokenOrder, bob), /TokenDecimalsReadFailure/);
    });

    await t.step(
      "withdraw3: min(target, balance), push truncated, vault drops exactly",
      async () => {
        const balance = await vaultBalance(env, alice, usdc, vault1);
        const usdcBefore = await erc20Balance(env, usdc, alice);
        const receipt = await send(env, 0, ob, abi, "withdraw3", [usdc, vault1, parse("100"), []]);
        // balance = 8.0000001: 8000000.1 units truncated to 8000000.
        assert.equal(oracle("8.0000001").eq(Oracle.fromHex(balance).value!).value, true);
        assert.equal(await erc20Balance(env, usdc, alice) - usdcBefore, 8_000_000n);
        const events = obEvents(env, receipt.logs);
        assert.deepEqual(events, [{
          eventName: "WithdrawV2",
          args: {
            sender: alice,
            token: usdc,
            vaultId: vault1,
            targetAmount: parse("100"),
            withdrawAmount: balance,
            withdrawAmountUint256: 8_000_000n,
          },
        }]);
        const after = await vaultBalance(env, alice, usdc, vault1);
        assert.equal(
          after,
          hexOf(Oracle.fromHex(balance).value!.sub(Oracle.fromHex(balance).value!)),
        );
        assert.equal(Oracle.fromHex(after).value!.isZero().value, true);
        // With an empty output vault the quote's max output is the vault's zero…
        const [exists, outputMax] = await quote(env, order, bob);
        assert.equal(exists, true);
        assert.equal(outputMax, after);
        // …and a take skips the order with OrderZeroAmount, moving nothing.
        const take = await send(env, 1, ob, abi, "takeOrders3", [{
          minimumInput: parse("0"),
          maximumInput: parse("1"),
          maximumIORatio: parse("1"),
          orders: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
          data: "0x",
        }]);
        assert.deepEqual(obEvents(env, take.logs), [{
          eventName: "OrderZeroAmount",
          args: { sender: bob, owner: alice, orderHash },
        }]);
        assert.equal(take.logs.length, 1, "no transfers, no store writes");
      },
    );

    await t.step("clear3: both sides, bounties, AfterClearV2, handle-io", async () => {
      // Alice sells USDC at 0.0004 WETH each (max 5); carol sells WETH at 2000 USDC each (max 0.001).
      await send(env, 0, ob, abi, "deposit3", [usdc, vault2, parse("10"), []]);
      const aliceConfig = {
        ...orderConfig,
        validOutputs: [{ token: usdc, vaultId: vault2 }],
        nonce: pad("0x02"),
        meta: "0x" as Hex,
      };
      await send(env, 0, ob, abi, "addOrder3", [aliceConfig, []]);
      const aliceOrder: OrderV4 = {
        ...order,
        validOutputs: aliceConfig.validOutputs,
        nonce: pad("0x02"),
      };
      const carolConfig = {
        evaluable: { interpreter, store, bytecode: orderProgram("0.001", "2000") },
        validInputs: [{ token: usdc, vaultId: vault1 }],
        validOutputs: [{ token: weth, vaultId: vault1 }],
        nonce: ZERO,
        secret: ZERO,
        meta: "0x" as Hex,
      };
      await send(env, 2, ob, abi, "deposit3", [weth, vault1, parse("1"), []]);
      await send(env, 2, ob, abi, "addOrder3", [carolConfig, []]);
      const carolOrder: OrderV4 = {
        owner: carol,
        evaluable: carolConfig.evaluable,
        validInputs: carolConfig.validInputs,
        validOutputs: carolConfig.validOutputs,
        nonce: ZERO,
      };
      const aliceUsdcBefore = await vaultBalance(env, alice, usdc, vault2);
      const aliceWethBefore = await vaultBalance(env, alice, weth, vault1);
      const clearConfig = {
        aliceInputIOIndex: 0n,
        aliceOutputIOIndex: 0n,
        bobInputIOIndex: 0n,
        bobOutputIOIndex: 0n,
        aliceBountyVaultId: vault1,
        bobBountyVaultId: vault2,
      };
      const receipt = await send(env, 1, ob, abi, "clear3", [
        aliceOrder,
        carolOrder,
        clearConfig,
        [],
        [],
      ]);
      // Alice: outputMax 5, input = 5 × 0.0004 = 0.002 > carol's outputMax 0.001, so
      // input = 0.001 and output = 0.001 / 0.0004 = 2.5. Carol: outputMax 0.001,
      // input = 0.001 × 2000 = 2 ≤ alice's 5, output = 0.001.
      const o = (s: string) => oracle(s);
      const aliceInput = parse("0.001");
      const aliceOutput = hexOf(o("0.001").div(o("0.0004")));
      const carolInput = hexOf(o("0.001").mul(o("2000")));
      const carolOutput = parse("0.001");
      const events = obEvents(env, receipt.logs);
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
      const A = (h: Hex) => Oracle.fromHex(h).value!;
      assert.equal(
        await vaultBalance(env, alice, usdc, vault2),
        hexOf(A(aliceUsdcBefore).sub(A(aliceOutput))),
      );
      assert.equal(
        await vaultBalance(env, alice, weth, vault1),
        hexOf(A(aliceWethBefore).add(A(aliceInput))),
      );
      // Bounties go to the clearer (bob): 2.5 − 2 USDC and 0.001 − 0.001 WETH (a zero, credited).
      assert.equal(
        await vaultBalance(env, bob, usdc, vault1),
        hexOf(A(aliceOutput).sub(A(carolInput))),
      );
      assert.equal(
        await vaultBalance(env, bob, weth, vault2),
        hexOf(A(carolOutput).sub(A(carolOutput))),
      );
      // Handle-io ran for both, in order: alice then carol.
      const sets = receipt.logs.filter((log) => same(log.address, store)).map((log) =>
        (decodeEventLog({ abi: storeArtifact.abi, ...log }) as unknown as Decoded).args.value
      );
      assert.deepEqual(sets, [aliceOutput, carolOutput]);
    });

    await t.step(
      "signed context: verified, appended as signers + columns; a bad one reverts",
      async () => {
        // Alice's second order (USDC vault 2) is still live with 7.5 USDC.
        const liveOrder: OrderV4 = {
          ...order,
          validOutputs: [{ token: usdc, vaultId: vault2 }],
          nonce: pad("0x02"),
        };
        const words: Hex[] = [pad("0x01"), pad("0xabcd")];
        const signature = await anvil.walletClients[2].signMessage({
          message: { raw: keccak256(concat(words)) },
        });
        const take = (signed: { signer: Address; context: Hex[]; signature: Hex }[]) => ({
          minimumInput: parse("0"),
          maximumInput: parse("0.5"),
          maximumIORatio: parse("1"),
          orders: [{
            order: liveOrder,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            signedContext: signed,
          }],
          data: "0x" as Hex,
        });
        const receipt = await send(env, 1, ob, abi, "takeOrders3", [
          take([{ signer: carol, context: words, signature }]),
        ]);
        const context = obEvents(env, receipt.logs).find((e) => e.eventName === "ContextV2")!.args
          .context as Hex[][];
        assert.equal(context.length, 7);
        assert.deepEqual(context[5], [pad(carol.toLowerCase() as Hex)]);
        assert.deepEqual(context[6], words);
        // The same signature claimed for another signer fails ECDSA and ERC-1271 (an EOA).
        await assert.rejects(
          anvil.publicClient.simulateContract({
            address: ob,
            abi: orderBookArtifact.abi,
            functionName: "takeOrders3",
            args: [take([{ signer: bob, context: words, signature }])],
            account: bob,
          }),
          /InvalidSignature/,
        );
      },
    );

    await t.step("typed reverts of V5", async () => {
      const simulate = (functionName: string, args: unknown[], account: Address = bob) =>
        anvil.publicClient.simulateContract({
          address: ob,
          abi: orderBookArtifact.abi,
          functionName,
          args,
          account,
        });
      const takeWith = (orders: unknown[], maximumInput = parse("1")) => [{
        minimumInput: parse("0"),
        maximumInput,
        maximumIORatio: parse("1"),
        orders,
        data: "0x",
      }];
      const item = (o: OrderV4) => ({
        order: o,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        signedContext: [],
      });
      await assert.rejects(simulate("takeOrders3", takeWith([])), /NoOrders/);
      await assert.rejects(
        simulate("takeOrders3", takeWith([item(order)], parse("0"))),
        /ZeroMaximumInput/,
      );
      const selfTrade: OrderV4 = { ...order, validInputs: order.validOutputs };
      await assert.rejects(simulate("takeOrders3", takeWith([item(selfTrade)])), /TokenSelfTrade/);
      const otherPair: OrderV4 = { ...order, validInputs: [{ token: broken, vaultId: vault1 }] };
      await assert.rejects(
        simulate("takeOrders3", takeWith([item(order), item(otherPair)], parse("1000"))),
        /TokenMismatch/,
      );
      await assert.rejects(simulate("removeOrder3", [order, []]), /NotOrderOwner/);
      await assert.rejects(
        simulate("deposit3", [usdc, vault1, parse("0"), []]),
        /ZeroDepositAmount/,
      );
      await assert.rejects(
        simulate("withdraw3", [usdc, vault1, parse("-1"), []]),
        /ZeroWithdrawTargetAmount/,
      );
      // An expression that leaves one item on the stack.
      const oneItem = {
        ...orderConfig,
        evaluable: {
          interpreter,
          store,
          bytecode: encodeRainBytecode({
            constants: [parse("1")],
            sources: [{ ops: [rainOps.constant(0)] }, { ops: [] }],
          }),
        },
        meta: "0x" as Hex,
      };
      await send(env, 0, ob, abi, "addOrder3", [oneItem, []]);
      const oneItemOrder: OrderV4 = { ...order, evaluable: oneItem.evaluable };
      await assert.rejects(quote(env, oneItemOrder, bob), /UnsupportedCalculateOutputs/);
    });

    await t.step("removeOrder3, then a take finds OrderNotFound and moves nothing", async () => {
      const receipt = await send(env, 0, ob, abi, "removeOrder3", [order, []]);
      const events = obEvents(env, receipt.logs);
      assert.deepEqual(events.map((e) => [e.eventName, e.args.orderHash]), [[
        "RemoveOrderV3",
        orderHash,
      ]]);
      const [exists, outputMax, ratio] = await quote(env, order, bob);
      assert.deepEqual([exists, outputMax, ratio], [false, ZERO, ZERO]);
      const take = await send(env, 1, ob, abi, "takeOrders3", [{
        minimumInput: parse("0"),
        maximumInput: parse("1"),
        maximumIORatio: parse("1"),
        orders: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
        data: "0x",
      }]);
      assert.deepEqual(obEvents(env, take.logs), [{
        eventName: "OrderNotFound",
        args: { sender: bob, owner: alice, orderHash },
      }]);
      assert.equal(take.logs.filter((log) => !same(log.address, ob)).length, 0, "no transfers");
    });

    await t.step("entask2 and post tasks write the caller's namespace; multicall", async () => {
      const task = {
        evaluable: {
          interpreter,
          store,
          // :set(key context<1 3>) — for a deposit, column 1 row 3 is the balance after.
          bytecode: encodeRainBytecode({
            constants: [STORE_KEY],
            sources: [{ ops: [rainOps.context(1, 3), rainOps.constant(0), rainOps.set()] }],
          }),
        },
        signedContext: [],
      };
      const calls = [
        encodeFunctionData({
          abi,
          functionName: "deposit3",
          args: [weth, vault2, parse("0.5"), [task]],
        }),
        encodeFunctionData({ abi, functionName: "entask2", args: [[]] }),
      ];
      const receipt = await send(env, 2, ob, orderBookArtifact.abi, "multicall", [calls]);
      const events = obEvents(env, receipt.logs);
      assert.deepEqual(events.map((e) => e.eventName), ["DepositV2"]);
      const storeLogs = receipt.logs.filter((log) => same(log.address, store));
      const set = decodeEventLog({ abi: storeArtifact.abi, ...storeLogs[0] }) as unknown as Decoded;
      const fqn = BigInt(keccak256(encodeAbiParameters(
        [{ type: "uint256" }, { type: "address" }],
        [BigInt(carol), ob],
      )));
      assert.deepEqual(set.args, {
        namespace: fqn,
        key: STORE_KEY,
        value: await vaultBalance(env, carol, weth, vault2),
      });
      assert.equal(getAddress(carol), carol);
    });
  } finally {
    await anvil.stop();
  }
});
