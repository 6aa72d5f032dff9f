/**
 * A scripted orderbook history on anvil for the ingestion tests: the fixture V5 orderbook,
 * interpreter, store, tokens (6, 18 and 0 decimals, one whose `decimals()` reverts) and a
 * forwarder; rounds of deposits (some with more precision than the token, some through the
 * orderbook's multicall, some through the forwarder), orders, takes, clears, withdrawals and a
 * removal. Every expectation the tests use is recorded here from what was sent and from the
 * receipts the node returned, never from the code under test.
 */
import {
  type Abi,
  type Address,
  decodeEventLog,
  encodeFunctionData,
  getAddress,
  type Hex,
  pad,
} from "viem";
import { orderbookEventsAbi, orderbookV5Abi, type OrderV4 } from "../../src/abi/mod.ts";
import { parse } from "../../src/float/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import { type Anvil, deployArtifact } from "../_helpers/anvil.ts";
import { loadFixtureArtifact, rainOps } from "../_helpers/fixtures.ts";

const tokenArtifact = loadFixtureArtifact("FixtureToken");
const forwarderArtifact = loadFixtureArtifact("FixtureForwarder");
const obAbi = orderbookV5Abi as Abi;
const tokenAbi = tokenArtifact.abi as Abi;

export const ZERO: Hex = pad("0x0");
export const STORE_KEY: Hex = pad("0x5eed");
const MAX = 2n ** 256n - 1n;

/** A deposit the scenario made, with what the vault must grow by. */
export type ExpectedDeposit = {
  txHash: Hex;
  owner: Address;
  token: Address;
  vaultId: Hex;
  /** The Float passed to deposit3. */
  amount: Hex;
  via: "direct" | "multicall" | "forwarder";
};

/** What the scenario deployed and did. */
export type Scenario = {
  ob: Address;
  interpreter: Address;
  store: Address;
  usdc: Address;
  weth: Address;
  zero: Address;
  broken: Address;
  forwarder: Address;
  accounts: Address[];
  /** Block of the orderbook's deployment. */
  deployBlock: bigint;
  deposits: ExpectedDeposit[];
  /** Orderbook event names as the receipts logged them, in order. */
  obEventNames: string[];
  /** Number of store `Set` logs in the receipts. */
  storeSets: number;
  /** Every (owner, token, vaultId) touched. */
  vaults: { owner: Address; token: Address; vaultId: Hex }[];
  /** Orders added (still live or not). */
  orders: OrderV4[];
};

/** Sends a transaction from an unlocked anvil account and waits for its successful receipt. */
export async function sendAndWait(
  anvil: Anvil,
  from: Address,
  to: Address,
  data: Hex,
): Promise<{ hash: Hex; logs: { address: Address; topics: Hex[]; data: Hex }[] }> {
  const hash = await anvil.rpc<Hex>("eth_sendTransaction", [{ from, to, data, gas: "0x989680" }]);
  type Receipt = { status: string; logs: { address: Address; topics: Hex[]; data: Hex }[] };
  let receipt: Receipt | null = null;
  // anvil mines on its own task: the receipt can lag the hash by a moment.
  for (let i = 0; i < 400 && receipt === null; i++) {
    receipt = await anvil.rpc<Receipt | null>("eth_getTransactionReceipt", [hash]);
    if (receipt === null) await new Promise((resolve) => setTimeout(resolve, 5));
  }
  if (receipt === null || receipt.status !== "0x1") {
    const reason = await anvil.rpc("eth_call", [{ from, to, data }, "latest"]).catch((e) =>
      String(e)
    );
    throw new Error(`transaction ${hash} to ${to} failed: ${reason}`);
  }
  return { hash, logs: receipt.logs };
}

/** `maxOutput ratio` for calculate-io; handle-io stores the output diff under STORE_KEY. */
export function orderProgram(maxOutput: string, ratio: string): Hex {
  return encodeRainBytecode({
    constants: [parse(maxOutput), parse(ratio), STORE_KEY],
    sources: [
      { ops: [rainOps.constant(0), rainOps.constant(1)] },
      { ops: [rainOps.context(4, 4), rainOps.constant(2), rainOps.set()] },
    ],
  });
}

/**
 * Deploys the fixtures and runs `rounds` rounds of activity (about 8 orderbook events and 3 store
 * sets per round, one transaction per block).
 */
export async function runScenario(anvil: Anvil, rounds: number): Promise<Scenario> {
  const accounts = anvil.walletClients.map((w) => w.account.address);
  const [alice, bob, carol, dave] = accounts;
  const interpreter = await deployArtifact(anvil, "FixtureInterpreter");
  const store = await deployArtifact(anvil, "FixtureStore");
  const usdc = await deployArtifact(anvil, tokenArtifact, ["USD Coin", "USDC", 6, false]);
  const weth = await deployArtifact(anvil, tokenArtifact, ["Wrapped Ether", "WETH", 18, false]);
  const zero = await deployArtifact(anvil, tokenArtifact, ["Whole", "WHL", 0, false]);
  const broken = await deployArtifact(anvil, tokenArtifact, ["Broken", "BRK", 18, true]);
  const ob = await deployArtifact(anvil, "FixtureOrderBook");
  const deployBlock = await anvil.publicClient.getBlockNumber();
  const forwarder = await deployArtifact(anvil, forwarderArtifact);

  const scenario: Scenario = {
    ob,
    interpreter,
    store,
    usdc,
    weth,
    zero,
    broken,
    forwarder,
    accounts,
    deployBlock,
    deposits: [],
    obEventNames: [],
    storeSets: 0,
    vaults: [],
    orders: [],
  };
  const vaultKeys = new Set<string>();
  const touch = (owner: Address, token: Address, vaultId: Hex) => {
    const key = `${owner}:${token}:${vaultId}`.toLowerCase();
    if (vaultKeys.has(key)) return;
    vaultKeys.add(key);
    scenario.vaults.push({ owner: getAddress(owner), token: getAddress(token), vaultId });
  };

  const send = async (from: Address, to: Address, data: Hex): Promise<Hex> => {
    const { hash, logs } = await sendAndWait(anvil, from, to, data);
    for (const log of logs) {
      if (log.address.toLowerCase() === ob.toLowerCase()) {
        const decoded = decodeEventLog({
          abi: orderbookEventsAbi,
          data: log.data,
          topics: log.topics as [Hex],
        });
        scenario.obEventNames.push(decoded.eventName);
      } else if (log.address.toLowerCase() === store.toLowerCase()) {
        scenario.storeSets++;
      }
    }
    return hash;
  };
  const call = (from: Address, to: Address, abi: Abi, functionName: string, args: unknown[]) =>
    send(from, to, encodeFunctionData({ abi, functionName, args }));

  for (const who of [alice, bob, carol, dave]) {
    await call(who, usdc, tokenAbi, "mint", [who, 10n ** 15n]);
    await call(who, weth, tokenAbi, "mint", [who, 10n ** 24n]);
    await call(who, zero, tokenAbi, "mint", [who, 10n ** 6n]);
    await call(who, usdc, tokenAbi, "approve", [ob, MAX]);
    await call(who, weth, tokenAbi, "approve", [ob, MAX]);
    await call(who, zero, tokenAbi, "approve", [ob, MAX]);
  }
  await call(alice, usdc, tokenAbi, "mint", [forwarder, 10n ** 12n]);
  await call(
    alice,
    forwarder,
    forwarderArtifact.abi as Abi,
    "forward",
    [usdc, encodeFunctionData({ abi: tokenAbi, functionName: "approve", args: [ob, MAX] })],
  );

  const vault = (n: number): Hex => pad(`0x${n.toString(16)}` as Hex);
  const deposit = async (
    owner: Address,
    token: Address,
    vaultId: Hex,
    amount: string,
  ) => {
    const float = parse(amount);
    const hash = await call(owner, ob, obAbi, "deposit3", [token, vaultId, float, []]);
    scenario.deposits.push({ txHash: hash, owner, token, vaultId, amount: float, via: "direct" });
    touch(owner, token, vaultId);
  };

  // Alice sells USDC for WETH at 0.0004 (max 5 per take); carol sells WETH for USDC at 2000.
  const aliceConfig = {
    evaluable: { interpreter, store, bytecode: orderProgram("5", "0.0004") },
    validInputs: [{ token: weth, vaultId: vault(1) }],
    validOutputs: [{ token: usdc, vaultId: vault(1) }],
    nonce: pad("0x01"),
    secret: ZERO,
    meta: "0xff0a89c674ee78740102" as Hex,
  };
  const aliceOrder: OrderV4 = {
    owner: alice,
    evaluable: aliceConfig.evaluable,
    validInputs: aliceConfig.validInputs,
    validOutputs: aliceConfig.validOutputs,
    nonce: aliceConfig.nonce,
  };
  const carolConfig = {
    evaluable: { interpreter, store, bytecode: orderProgram("0.001", "2000") },
    validInputs: [{ token: usdc, vaultId: vault(1) }],
    validOutputs: [{ token: weth, vaultId: vault(1) }],
    nonce: ZERO,
    secret: ZERO,
    meta: "0x" as Hex,
  };
  const carolOrder: OrderV4 = {
    owner: carol,
    evaluable: carolConfig.evaluable,
    validInputs: carolConfig.validInputs,
    validOutputs: carolConfig.validOutputs,
    nonce: ZERO,
  };
  // Dave's order names the reverting-decimals token and the 0-decimals token (never taken).
  const daveConfig = {
    evaluable: { interpreter, store, bytecode: orderProgram("1", "1") },
    validInputs: [{ token: broken, vaultId: vault(1) }],
    validOutputs: [{ token: zero, vaultId: vault(1) }],
    nonce: ZERO,
    secret: ZERO,
    meta: "0x" as Hex,
  };
  const daveOrder: OrderV4 = {
    owner: dave,
    evaluable: daveConfig.evaluable,
    validInputs: daveConfig.validInputs,
    validOutputs: daveConfig.validOutputs,
    nonce: ZERO,
  };

  await deposit(alice, usdc, vault(1), "10.0000001");
  await call(alice, ob, obAbi, "addOrder3", [aliceConfig, []]);
  scenario.orders.push(aliceOrder);
  touch(alice, weth, vault(1));
  await deposit(carol, weth, vault(1), "1");
  await call(carol, ob, obAbi, "addOrder3", [carolConfig, []]);
  scenario.orders.push(carolOrder);
  touch(carol, usdc, vault(1));
  await deposit(dave, zero, vault(1), "7");
  await call(dave, ob, obAbi, "addOrder3", [daveConfig, []]);
  scenario.orders.push(daveOrder);

  // Two deposits in one multicall, then the forwarder's (not the orderbook's calldata).
  const multicallItems = [
    encodeFunctionData({
      abi: obAbi,
      functionName: "deposit3",
      args: [usdc, vault(2), parse("3.1415926"), []],
    }),
    encodeFunctionData({
      abi: obAbi,
      functionName: "deposit3",
      args: [weth, vault(2), parse("0.5"), []],
    }),
  ];
  const multicallHash = await call(bob, ob, obAbi, "multicall", [multicallItems]);
  scenario.deposits.push(
    {
      txHash: multicallHash,
      owner: bob,
      token: usdc,
      vaultId: vault(2),
      amount: parse("3.1415926"),
      via: "multicall",
    },
    {
      txHash: multicallHash,
      owner: bob,
      token: weth,
      vaultId: vault(2),
      amount: parse("0.5"),
      via: "multicall",
    },
  );
  touch(bob, usdc, vault(2));
  touch(bob, weth, vault(2));
  for (const [amount, id] of [["2.5", 7], ["1.0000001", 8]] as const) {
    const float = parse(amount);
    const hash = await call(alice, forwarder, forwarderArtifact.abi as Abi, "forward", [
      ob,
      encodeFunctionData({
        abi: obAbi,
        functionName: "deposit3",
        args: [usdc, vault(id), float, []],
      }),
    ]);
    scenario.deposits.push({
      txHash: hash,
      owner: forwarder,
      token: usdc,
      vaultId: vault(id),
      amount: float,
      via: "forwarder",
    });
    touch(forwarder, usdc, vault(id));
  }

  const take = (maximumInput: string) =>
    call(bob, ob, obAbi, "takeOrders3", [{
      minimumInput: parse("0"),
      maximumInput: parse(maximumInput),
      maximumIORatio: parse("0.001"),
      orders: [{ order: aliceOrder, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
      data: "0x",
    }]);
  const clear = () =>
    call(bob, ob, obAbi, "clear3", [
      aliceOrder,
      carolOrder,
      {
        aliceInputIOIndex: 0n,
        aliceOutputIOIndex: 0n,
        bobInputIOIndex: 0n,
        bobOutputIOIndex: 0n,
        aliceBountyVaultId: vault(3),
        bobBountyVaultId: vault(4),
      },
      [],
      [],
    ]);
  touch(bob, usdc, vault(3));
  touch(bob, weth, vault(4));
  touch(bob, weth, vault(3));
  touch(bob, usdc, vault(4));

  for (let round = 0; round < rounds; round++) {
    // 5.0000001 or 4.75 USDC in (more precision than 6 decimals), a take, a clear, WETH in.
    await deposit(alice, usdc, vault(1), round % 2 === 0 ? "5.0000001" : "4.75");
    await take(round % 3 === 0 ? "2" : "0.123456789");
    await clear();
    await deposit(carol, weth, vault(1), "0.0020000000000000001");
    if (round % 4 === 3) {
      await call(alice, ob, obAbi, "withdraw3", [weth, vault(1), parse("0.0001"), []]);
    }
  }
  // Dave withdraws and removes his order at the end.
  await call(dave, ob, obAbi, "withdraw3", [zero, vault(1), parse("100"), []]);
  await call(dave, ob, obAbi, "removeOrder3", [daveOrder, []]);
  return scenario;
}
