/**
 * A scripted V6 history on anvil for the V6 sync test: `FixtureOrderBookV6`, interpreter, store and
 * two tokens (6 and 18 decimals); vault and vaultless orders, `deposit4`s with more precision than
 * the token, takes with `IOIsInput` true and false, a take across two vaultless orders of one owner,
 * a clear with both bounties to vault 0, a withdrawal, a plain `approve` that changes a vaultless
 * quote and transfers to and from a vaultless owner by a third party. It only sends transactions
 * and records what it sent; every expected value is read from the chain by the test.
 */
import { type Abi, type Address, encodeFunctionData, type Hex, pad } from "viem";
import { orderbookV6Abi, type OrderV4 } from "../../src/abi/mod.ts";
import { parse } from "../../src/float/mod.ts";
import { encodeRainBytecode } from "../../src/rainvm/mod.ts";
import { type Anvil, deployArtifact } from "../_helpers/anvil.ts";
import { loadFixtureArtifact, rainOps } from "../_helpers/fixtures.ts";

const tokenArtifact = loadFixtureArtifact("FixtureToken");
const orderBookArtifact = loadFixtureArtifact("FixtureOrderBookV6");
const storeArtifact = loadFixtureArtifact("FixtureStore");
const interpreterArtifact = loadFixtureArtifact("FixtureInterpreter");
const obAbi = orderbookV6Abi as Abi;
/** The fixture token's ABI (ERC-20 plus `mint`). */
export const tokenAbi: Abi = tokenArtifact.abi as Abi;

export const ZERO: Hex = pad("0x0");
const vault1: Hex = pad("0x01");
const vault2: Hex = pad("0x02");
const STORE_KEY: Hex = pad("0x5eed");
const MAX = 2n ** 256n - 1n;

/** What the scenario deployed and did. */
export type V6Scenario = {
  ob: Address;
  usdc: Address;
  weth: Address;
  /** alice (vaults), bob (taker, clearer), carol (vaultless), dave (third party). */
  accounts: { alice: Address; bob: Address; carol: Address; dave: Address };
  deployBlock: bigint;
  /** Every order added, in order. */
  orders: OrderV4[];
  /** Vaults (non-zero ids) deposited to or written by the orders. */
  vaults: { owner: Address; token: Address; vaultId: Hex }[];
  /** Send a transaction from account `from` (0 alice … 3 dave); resolves its receipt. */
  send: (from: number, to: Address, abi: Abi, fn: string, args: unknown[]) => Promise<unknown>;
};

/** `_ _: maxOutput ratio;` and a handle-io: one storing the output diff, or an empty one. */
function program(maxOutput: string, ratio: string, handleIO: "store" | "empty"): Hex {
  const sources = [{ ops: [rainOps.constant(0), rainOps.constant(1)] }];
  if (handleIO === "store") {
    sources.push({ ops: [rainOps.context(4, 4), rainOps.constant(2), rainOps.set()] });
  } else {
    sources.push({ ops: [] });
  }
  return encodeRainBytecode({ constants: [parse(maxOutput), parse(ratio), STORE_KEY], sources });
}

/** Runs the V6 history on `anvil`. */
export async function runV6Scenario(anvil: Anvil): Promise<V6Scenario> {
  const client = anvil.publicClient;
  const [alice, bob, carol, dave] = anvil.walletClients.map((w) => w.account.address);
  const interpreter = await deployArtifact(anvil, interpreterArtifact);
  const store = await deployArtifact(anvil, storeArtifact);
  const usdc = await deployArtifact(anvil, tokenArtifact, ["USD Coin", "USDC", 6, false]);
  const weth = await deployArtifact(anvil, tokenArtifact, ["Wrapped Ether", "WETH", 18, false]);
  const ob = await deployArtifact(anvil, orderBookArtifact);
  const deployBlock = await client.getBlockNumber();

  const send = async (from: number, to: Address, abi: Abi, fn: string, args: unknown[]) => {
    const hash = await anvil.walletClients[from].sendTransaction({
      to,
      data: encodeFunctionData({ abi, functionName: fn, args }),
    });
    const receipt = await client.waitForTransactionReceipt({ hash, timeout: 20_000 });
    if (receipt.status !== "success") throw new Error(`${fn} reverted`);
    return receipt;
  };
  const orders: OrderV4[] = [];
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
    await send(from, ob, obAbi, "addOrder4", [config, []]);
    const order: OrderV4 = {
      owner: anvil.walletClients[from].account.address,
      evaluable: config.evaluable,
      validInputs: config.validInputs,
      validOutputs: config.validOutputs,
      nonce,
    };
    orders.push(order);
    return order;
  };
  const take = (
    orders: OrderV4[],
    limits: { max: string; ratio?: string; IOIsInput: boolean },
  ) =>
    send(1, ob, obAbi, "takeOrders4", [{
      minimumIO: parse("0"),
      maximumIO: parse(limits.max),
      maximumIORatio: parse(limits.ratio ?? "1"),
      IOIsInput: limits.IOIsInput,
      orders: orders.map((order) => ({
        order,
        inputIOIndex: 0n,
        outputIOIndex: 0n,
        signedContext: [],
      })),
      data: "0x",
    }]);
  const vaultless = (maxOutput: string, ratio: string, nonce: Hex, sell: Address) =>
    addOrder(
      2,
      program(maxOutput, ratio, "empty"),
      [sell === usdc ? weth : usdc, ZERO],
      [sell, ZERO],
      nonce,
    );

  for (const [who, index] of [[alice, 0], [bob, 1]] as const) {
    await send(index, usdc, tokenAbi, "mint", [who, 1_000_000_000n]);
    await send(index, weth, tokenAbi, "mint", [who, 10n ** 21n]);
    await send(index, usdc, tokenAbi, "approve", [ob, MAX]);
    await send(index, weth, tokenAbi, "approve", [ob, MAX]);
  }
  await send(2, usdc, tokenAbi, "mint", [carol, 10_000_000n]);
  await send(2, weth, tokenAbi, "mint", [carol, 10n ** 21n]);
  await send(2, usdc, tokenAbi, "approve", [ob, 3_000_000n]);
  await send(2, weth, tokenAbi, "approve", [ob, MAX]);
  await send(3, usdc, tokenAbi, "mint", [dave, 5_000_000n]);

  // Deposits with more precision than the token (6 decimals).
  await send(0, ob, obAbi, "deposit4", [usdc, vault1, parse("1.0000001"), []]);
  await send(0, ob, obAbi, "deposit4", [usdc, vault1, parse("9"), []]);
  const order1 = await addOrder(
    0,
    program("5", "0.0004", "store"),
    [weth, vault1],
    [usdc, vault1],
    pad("0x01"),
  );
  await take([order1], { max: "2", ratio: "0.001", IOIsInput: true });
  await take([order1], { max: "0.0004", ratio: "0.001", IOIsInput: false });

  // Vaultless orders of carol; the orderbook's pushes are paid from alice's WETH vault holdings.
  const orderB = await vaultless("100", "0.0005", pad("0x0b"), usdc);
  // A plain approve (no orderbook event) changes orderB's quote.
  await send(2, usdc, tokenAbi, "approve", [ob, 2_500_000n]);
  // A third party sends carol tokens, and carol sends some to it.
  await send(3, usdc, tokenAbi, "transfer", [carol, 1_000_000n]);
  await send(2, usdc, tokenAbi, "transfer", [dave, 200_000n]);
  const orderA = await vaultless("2", "0.0004", pad("0x0a"), usdc);
  await take([orderA, orderB], { max: "10", IOIsInput: true });

  // A clear with both bounties to vault 0, against a vaultless order selling WETH.
  await send(0, ob, obAbi, "deposit4", [usdc, vault2, parse("10"), []]);
  const order2 = await addOrder(
    0,
    program("5", "0.0004", "store"),
    [weth, vault1],
    [usdc, vault2],
    pad("0x02"),
  );
  const orderC = await vaultless("0.001", "2000", pad("0x0c"), weth);
  await send(1, ob, obAbi, "clear3", [
    order2,
    orderC,
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
  // A withdrawal with more precision than the token: the orderbook's own holdings drop.
  await send(0, ob, obAbi, "withdraw4", [usdc, vault1, parse("1.2345678"), []]);
  // A take of a vaultless order with IOIsInput false after carol re-approves.
  await send(2, usdc, tokenAbi, "approve", [ob, 4_000_000n]);
  await take([orderB], { max: "0.0001", ratio: "0.001", IOIsInput: false });

  return {
    ob,
    usdc,
    weth,
    accounts: { alice, bob, carol, dave },
    deployBlock,
    orders,
    vaults: [
      { owner: alice, token: usdc, vaultId: vault1 },
      { owner: alice, token: weth, vaultId: vault1 },
      { owner: alice, token: usdc, vaultId: vault2 },
    ],
    send,
  };
}
