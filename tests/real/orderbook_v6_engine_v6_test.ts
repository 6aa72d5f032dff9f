/**
 * Opt-in (TESTING.md § 3b): Rain's real OrderBookV6 on anvil against vraindex's engine with **V6
 * rules**: `takeOrders4` limited on taker output (`IOIsInput: false`), vaultless orders (vault id 0)
 * funded by a plain ERC-20 balance and allowance, a take across two vaultless orders of one owner
 * (the second sees the first's push and pull, also through `uint256-erc20-balance-of` /
 * `uint256-erc20-allowance` answered by `tokenModelExternalState`), an allowance change with no
 * orderbook event, and a clear whose bounty goes to vault 0 (pushed to the clearer).
 *
 * Run: `VRAINDEX_RAIN_CODE_DIR=/work/rain-code deno test -A tests/real/orderbook_v6_engine_v6_test.ts`.
 * Expected values always come from the chain; Floats are compared by value and by bits (no bit
 * difference is expected), token balances and allowances exactly.
 */
import assert from "node:assert/strict";
import {
  type Abi,
  type Address,
  decodeErrorResult,
  decodeEventLog,
  encodeFunctionData,
  getAddress,
  type Hex,
  maxUint256,
  pad,
  toHex,
} from "viem";
import {
  erc20TokenAbi,
  interpreterStoreV3Abi,
  orderbookV6Abi,
  type OrderV4,
  qualifyNamespace,
  rainErrorsAbi,
  stateNamespace,
} from "../../src/abi/mod.ts";
import { format, parse } from "../../src/float/mod.ts";
import {
  applyMutations,
  clearAndApplyState,
  createVirtualRaindex,
  getAllowance,
  getStoreValue,
  getTokenBalance,
  getVaultBalance,
  quote,
  type RaindexMutation,
  simulateDeposit,
  takeOrders4,
  takeOrders4AndApplyState,
  tokenModelExternalState,
  type TokenTransfer,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import { createInterpreterHost } from "../../src/evm/mod.ts";
import { loadFixtureArtifact } from "../_helpers/fixtures.ts";
import {
  compareEventLists,
  createFloatLedger,
  decodeRaindexLogs,
  REAL_CODE_DIR,
  showFloat,
  startRealRaindex,
  virtualRaindexFromChain,
} from "../_helpers/real_chain.ts";

const V0 = pad(toHex(0));
const V1 = pad(toHex(1));

Deno.test({
  name: "real OrderBookV6 vs the v6 engine: takeOrders4 by output, vaultless IOs, vault-0 bounty",
  ignore: REAL_CODE_DIR === undefined,
  async fn(t) {
    const chain = await startRealRaindex();
    const ledger = createFloatLedger();
    try {
      const [deployer, alice, bob, taker, carol] = chain.walletClients;
      const ALICE = alice.account.address;
      const BOB = bob.account.address;
      const TAKER = taker.account.address;
      const CAROL = carol.account.address;
      const OB = chain.orderbook.address;
      const token = loadFixtureArtifact("FixtureToken");
      const client = chain.publicClient;
      const send = async (
        wallet: typeof deployer,
        request: { address: Address; abi: unknown; functionName: string; args: unknown[] },
      ) => {
        // deno-lint-ignore no-explicit-any
        const hash = await wallet.writeContract(request as any);
        const receipt = await client.waitForTransactionReceipt({ hash, timeout: 20_000 });
        assert.equal(receipt.status, "success", `${request.functionName} reverted`);
        return receipt;
      };
      const erc20 = (address: Address, functionName: string, args: unknown[]) => ({
        address,
        abi: token.abi,
        functionName,
        args,
      });

      // A: 6 decimals (alice sells it vaultless), B: 18 decimals (alice buys it vaultless).
      const A = await chain.deploy(token, ["Six", "SIX", 6, false]);
      const B = await chain.deploy(token, ["Eighteen", "EIGHTEEN", 18, false]);
      await send(deployer, erc20(A, "mint", [ALICE, 1000n * 10n ** 6n]));
      await send(alice, erc20(A, "approve", [OB, 300n * 10n ** 6n])); // allowance-limited
      await send(alice, erc20(B, "approve", [OB, maxUint256]));
      await send(deployer, erc20(B, "mint", [BOB, 500n * 10n ** 18n]));
      await send(bob, erc20(B, "approve", [OB, maxUint256]));
      await send(deployer, erc20(B, "mint", [TAKER, 10n ** 24n]));
      await send(taker, erc20(B, "approve", [OB, maxUint256]));
      // Bob's deposit is also what the orderbook pays alice's in-loop pushes of B from.
      await send(bob, {
        address: OB,
        abi: orderbookV6Abi,
        functionName: "deposit4",
        args: [B, V1, parse("500"), []],
      });

      const orderConfig = (
        bytecode: Hex,
        nonce: number,
        inputs: unknown[],
        outputs: unknown[],
      ) => ({
        evaluable: { interpreter: chain.interpreter.address, store: chain.store.address, bytecode },
        validInputs: inputs,
        validOutputs: outputs,
        nonce: pad(toHex(nonce)),
        secret: pad(toHex(0)),
        meta: "0x" as Hex,
      });
      const addOrder = async (wallet: typeof deployer, config: unknown): Promise<OrderV4> => {
        const receipt = await send(wallet, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "addOrder4",
          args: [config, []],
        });
        const added = decodeRaindexLogs(receipt.logs, chain).find((l) => l.type === "AddOrderV3");
        assert.ok(added);
        return added.order as OrderV4;
      };
      const vaultlessIO = { in: [{ token: B, vaultId: V0 }], out: [{ token: A, vaultId: V0 }] };
      // o1: 100 A at 2 B/A. o2 reads alice's A balance and allowance through the token (external
      // state) in calculate-io and again in handle-io, and offers 1000 A at 3 B/A.
      const o1 = await addOrder(
        alice,
        orderConfig(await chain.parseRainlang("_ _: 100 2;:;"), 1, vaultlessIO.in, vaultlessIO.out),
      );
      const o2 = await addOrder(
        alice,
        orderConfig(
          await chain.parseRainlang(
            `bal: uint256-erc20-balance-of(${A} ${ALICE}),` +
              ` allow: uint256-erc20-allowance(${A} ${ALICE} ${OB}),` +
              " :set(9 bal), :set(10 allow), _ _: 1000 3;" +
              `:set(11 uint256-erc20-balance-of(${A} ${ALICE}));`,
          ),
          2,
          vaultlessIO.in,
          vaultlessIO.out,
        ),
      );
      // Bob sells B (vault 1) for A (vault 1) at 0.4 A/B.
      const bobOrder = await addOrder(
        bob,
        orderConfig(
          await chain.parseRainlang("_ _: 1000 0.4;:;"),
          3,
          [{ token: A, vaultId: V1 }],
          [{ token: B, vaultId: V1 }],
        ),
      );

      // The v6 engine: orders, decimals, vaults, code and store from what a sync sees (minus the
      // vault-0 "balances", which are no vaults), plus the token model seeded from balanceOf and
      // allowance at the same block.
      const head = await client.getBlockNumber();
      const built = await virtualRaindexFromChain(chain, head);
      const accounts = [ALICE, BOB, TAKER, CAROL, OB];
      const tracked: RaindexMutation[] = [];
      for (const tok of [A, B]) {
        const balances = [];
        const allowances = [];
        for (const account of accounts) {
          const amount = await client.readContract({
            address: tok,
            abi: erc20TokenAbi,
            functionName: "balanceOf",
            args: [account],
            blockNumber: head,
          }) as bigint;
          balances.push({ token: tok, account, amount: amount.toString() });
          if (account === OB) continue;
          const allowed = await client.readContract({
            address: tok,
            abi: erc20TokenAbi,
            functionName: "allowance",
            args: [account, OB],
            blockNumber: head,
          }) as bigint;
          allowances.push({ token: tok, owner: account, amount: allowed.toString() });
        }
        tracked.push({ type: "setTokenBalances", balances }, { type: "setAllowances", allowances });
      }
      const host = createInterpreterHost({
        codeCache: built.codeCache,
        externalState: tokenModelExternalState(),
      });
      const engine: VirtualRaindex = createVirtualRaindex({
        orderbook: OB,
        chainId: BigInt(chain.chain.id),
        version: "v6",
        host,
      });
      applyMutations(engine, [
        ...built.mutations.map((m): RaindexMutation =>
          m.type === "vaultDeltas"
            ? { ...m, deltas: m.deltas.filter((d) => BigInt(d.vaultId) !== 0n) }
            : m
        ),
        ...tracked,
      ]);

      const compareQuotes = async (label: string) => {
        const block = await client.getBlockNumber();
        const rows: string[] = [];
        for (const [name, order] of [["o1", o1], ["o2", o2], ["bob", bobOrder]] as const) {
          const [exists, maxOutput, ioRatio] = await client.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "quote2",
            args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
            account: TAKER,
            blockNumber: block,
          }) as [boolean, Hex, Hex];
          const virtual = await quote(engine, {
            order,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            counterparty: TAKER,
          });
          assert.equal(virtual.exists, exists);
          ledger.compare(`${label} quote ${name} maxOutput`, maxOutput, virtual.maxOutput);
          ledger.compare(`${label} quote ${name} ioRatio`, ioRatio, virtual.ioRatio);
          rows.push(`${label} ${name}: max ${showFloat(maxOutput)} ratio ${showFloat(ioRatio)}`);
        }
        console.log(rows.join("\n"));
      };

      const compareTokens = async (label: string) => {
        const block = await client.getBlockNumber();
        for (const tok of [A, B]) {
          for (const account of accounts) {
            const balance = await client.readContract({
              address: tok,
              abi: erc20TokenAbi,
              functionName: "balanceOf",
              args: [account],
              blockNumber: block,
            });
            assert.equal(getTokenBalance(engine, tok, account), balance, `${label} balance`);
            if (account === OB) continue;
            const allowed = await client.readContract({
              address: tok,
              abi: erc20TokenAbi,
              functionName: "allowance",
              args: [account, OB],
              blockNumber: block,
            });
            assert.equal(getAllowance(engine, tok, account), allowed, `${label} allowance`);
          }
        }
        for (
          const [owner, tok, vaultId] of [
            [ALICE, A, V0],
            [ALICE, B, V0],
            [BOB, A, V1],
            [BOB, B, V1],
            [CAROL, B, V0],
          ] as const
        ) {
          const onChain = await client.readContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "vaultBalance2",
            args: [owner, tok, vaultId],
            blockNumber: block,
          }) as Hex;
          ledger.compare(
            `${label} vaultBalance2 ${owner}/${tok}/${BigInt(vaultId)}`,
            onChain,
            getVaultBalance(engine, { owner, token: tok, vaultId }),
          );
        }
        const fqn = qualifyNamespace(stateNamespace(ALICE), OB);
        for (const key of [9n, 10n, 11n]) {
          const onChain = await client.readContract({
            address: chain.store.address,
            abi: interpreterStoreV3Abi,
            functionName: "get",
            args: [fqn, pad(toHex(key))],
            blockNumber: block,
          }) as Hex;
          const virtual = getStoreValue(engine, {
            store: chain.store.address,
            owner: ALICE,
            key: pad(toHex(key)),
          });
          assert.equal(virtual, onChain.toLowerCase(), `${label} store key ${key}`);
        }
      };

      const chainTransfers = (logs: readonly { address: Address; topics: Hex[]; data: Hex }[]) =>
        logs.flatMap((log) => {
          if (![A, B].some((tok) => tok.toLowerCase() === log.address.toLowerCase())) return [];
          const decoded = decodeEventLog({
            abi: erc20TokenAbi,
            data: log.data,
            topics: log.topics as [Hex, ...Hex[]],
          });
          if (decoded.eventName !== "Transfer") return [];
          const { from, to, value } = decoded.args as { from: Address; to: Address; value: bigint };
          return [{
            token: getAddress(log.address),
            from: getAddress(from),
            to: getAddress(to),
            amount: value,
          }];
        });
      const engineTransfers = (transfers: readonly TokenTransfer[]) =>
        transfers.map((x) => ({
          token: getAddress(x.token),
          from: getAddress(x.direction === "push" ? OB : x.account),
          to: getAddress(x.direction === "push" ? x.account : OB),
          amount: x.amount,
        }));

      await t.step("seeded token model = chain; vaultless quotes agree", async () => {
        await compareTokens("start");
        await compareQuotes("start");
      });

      await t.step("takeOrders4 IOIsInput false across two vaultless orders of alice", async () => {
        const config = {
          minimumIO: parse("400"),
          maximumIO: parse("400"),
          maximumIORatio: parse("10"),
          IOIsInput: false,
          orders: [o1, o2].map((order) => ({
            order,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            signedContext: [],
          })),
          data: "0x" as Hex,
        };
        const next = (await client.getBlockNumber()) + 1n;
        applyMutations(engine, [{ type: "setEnv", blockNumber: next }]);
        const result = await takeOrders4AndApplyState(engine, { taker: TAKER, ...config });
        const receipt = await send(taker, {
          address: OB,
          abi: orderbookV6Abi,
          functionName: "takeOrders4",
          args: [config],
        });
        assert.equal(receipt.blockNumber, next);
        compareEventLists("take", decodeRaindexLogs(receipt.logs, chain), result.events, ledger);
        assert.deepEqual(chainTransfers(receipt.logs), engineTransfers(result.transfers));
        console.log(
          `take: in ${showFloat(result.totalTakerInput)} out ${
            showFloat(result.totalTakerOutput)
          }; ` +
            `transfers ${result.transfers.map((x) => `${x.direction} ${x.amount}`).join(", ")}`,
        );
        // Hand check of the scenario: o1 100 A for 200 B, o2 capped by the allowance left (200 A)
        // gives 200 B for 200/3 A.
        assert.equal(format(result.taken[0].takerInput), "100");
        assert.equal(format(result.totalTakerOutput), "400");
        await compareTokens("after take");
        await compareQuotes("after take");
      });

      await t.step("a plain approve (no orderbook event) changes the vaultless quote", async () => {
        await send(alice, erc20(A, "approve", [OB, 50n * 10n ** 6n]));
        applyMutations(engine, [{
          type: "setAllowances",
          allowances: [{ token: A, owner: ALICE, amount: 50n * 10n ** 6n }],
        }]);
        await compareQuotes("after approve");
        const q = await quote(engine, {
          order: o1,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        });
        assert.equal(format(q.maxOutput), "50");
        await send(alice, erc20(A, "approve", [OB, 300n * 10n ** 6n]));
        applyMutations(engine, [{
          type: "setAllowances",
          allowances: [{ token: A, owner: ALICE, amount: 300n * 10n ** 6n }],
        }]);
        await compareTokens("after re-approve");
      });

      await t.step("a take the orderbook's own B cannot fund reverts on both sides", async () => {
        // The orderbook holds bob's 500 B; alice's in-loop pushes of a take of 1200 B output would
        // need up to 1200 B before the taker pays.
        const config = {
          minimumIO: parse("0"),
          maximumIO: parse("1200"),
          maximumIORatio: parse("10"),
          IOIsInput: false,
          orders: [o2].map((order) => ({
            order,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            signedContext: [],
          })),
          data: "0x" as Hex,
        };
        const holdings = getTokenBalance(engine, B, OB)!;
        const error = await takeOrders4(engine, { taker: TAKER, ...config }).then(
          () => undefined,
          (e: Error) => e,
        );
        await assert.rejects(() =>
          client.simulateContract({
            address: OB,
            abi: orderbookV6Abi,
            functionName: "takeOrders4",
            args: [config] as never,
            account: TAKER,
          })
        );
        console.log(`orderbook holds ${holdings} B; engine: ${error?.name}: ${error?.message}`);
        assert.equal(error?.name, "InsufficientTokenBalanceError");
      });

      await t.step(
        "clear3 with both bounties to vault 0: pushed straight to the clearer",
        async () => {
          const clearConfig = {
            aliceInputIOIndex: 0n,
            aliceOutputIOIndex: 0n,
            bobInputIOIndex: 0n,
            bobOutputIOIndex: 0n,
            aliceBountyVaultId: V0,
            bobBountyVaultId: V0,
          };
          const next = (await client.getBlockNumber()) + 1n;
          applyMutations(engine, [{ type: "setEnv", blockNumber: next }]);
          const result = await clearAndApplyState(engine, {
            clearer: CAROL,
            alice: o1,
            bob: bobOrder,
            clearConfig,
          });
          const receipt = await send(carol, {
            address: OB,
            abi: orderbookV6Abi,
            functionName: "clear3",
            args: [o1, bobOrder, clearConfig, [], []],
          });
          compareEventLists("clear", decodeRaindexLogs(receipt.logs, chain), result.events, ledger);
          assert.deepEqual(chainTransfers(receipt.logs), engineTransfers(result.transfers));
          console.log(
            `clear: bounties alice ${showFloat(result.aliceBounty!)} bob ${
              showFloat(result.bobBounty!)
            }; ` +
              `transfers ${
                result.transfers.map((x) => `${x.direction} ${x.account} ${x.amount}`).join(", ")
              }`,
          );
          assert.ok(
            result.transfers.some((x) => x.account === CAROL || getAddress(x.account) === CAROL),
          );
          await compareTokens("after clear");
          await compareQuotes("after clear");
        },
      );

      // eth_call of a write; returns the decoded revert (name, args) or undefined when it succeeds.
      const revertOf = async (from: Address, functionName: string, args: unknown[]) => {
        const data = encodeFunctionData({
          abi: orderbookV6Abi,
          functionName,
          args,
        } as never);
        const response = await fetch(chain.url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            jsonrpc: "2.0",
            id: 1,
            method: "eth_call",
            params: [{ from, to: OB, data }, "latest"],
          }),
        });
        const body = await response.json();
        if (body.error === undefined) return undefined;
        const decoded = decodeErrorResult({
          abi: [...orderbookV6Abi, ...token.abi as Abi, ...rainErrorsAbi] as Abi,
          data: body.error.data as Hex,
        });
        return { name: decoded.errorName, args: (decoded.args ?? []) as readonly unknown[] };
      };
      const engineError = async (run: () => Promise<unknown>) => {
        try {
          await run();
        } catch (error) {
          return error as Error & { details: Record<string, unknown> };
        }
        throw new Error("the engine did not fail");
      };

      await t.step("typed errors = the chain's reverts (names and arguments)", async () => {
        const take = (orders: OrderV4[], limits: Record<string, unknown>) => ({
          minimumIO: parse("0"),
          maximumIO: parse("1000"),
          maximumIORatio: parse("10"),
          IOIsInput: false,
          orders: orders.map((order) => ({
            order,
            inputIOIndex: 0n,
            outputIOIndex: 0n,
            signedContext: [],
          })),
          data: "0x" as Hex,
          ...limits,
        });
        // deposit4 to vault 0, with a zero amount too: ZeroVaultId comes first.
        for (const amount of ["1", "0"]) {
          const chainRevert = await revertOf(ALICE, "deposit4", [A, V0, parse(amount), []]);
          const local = await engineError(() =>
            simulateDeposit(engine, { sender: ALICE, token: A, vaultId: V0, amount: parse(amount) })
          );
          assert.equal(chainRevert?.name, "ZeroVaultId");
          assert.equal(local.name, "ZeroVaultIdError");
          assert.deepEqual(chainRevert?.args, [ALICE, A]);
          assert.deepEqual([local.details.sender, local.details.token], [ALICE, A]);
        }
        const withdraw = await revertOf(ALICE, "withdraw4", [A, V0, parse("1"), []]);
        assert.equal(withdraw?.name, "ZeroVaultId");
        // ZeroMaximumIO.
        const zeroMax = take([o1], { maximumIO: parse("0") });
        assert.equal((await revertOf(TAKER, "takeOrders4", [zeroMax]))?.name, "ZeroMaximumIO");
        assert.equal(
          (await engineError(() => takeOrders4(engine, { taker: TAKER, ...zeroMax }))).name,
          "ZeroMaximumIOError",
        );
        // MinimumIO(minimumIO, actualIO) on the taker's output total, compared bit for bit.
        const tooMuch = take([o1], { minimumIO: parse("1000") });
        const chainMin = await revertOf(TAKER, "takeOrders4", [tooMuch]);
        const localMin = await engineError(() => takeOrders4(engine, { taker: TAKER, ...tooMuch }));
        assert.equal(chainMin?.name, "MinimumIO");
        assert.equal(localMin.name, "MinimumIOError");
        assert.equal(localMin.details.minimumIO, (chainMin?.args[0] as Hex).toLowerCase());
        assert.equal(localMin.details.actualIO, (chainMin?.args[1] as Hex).toLowerCase());
        console.log(`MinimumIO: chain actual ${showFloat(chainMin?.args[1] as Hex)}`);
        // The orderbook's own B cannot fund the in-loop push: ERC20InsufficientBalance with the
        // same balance and need.
        const unfunded = take([o2], { maximumIO: parse("1200") });
        const chainFunds = await revertOf(TAKER, "takeOrders4", [unfunded]);
        const localFunds = await engineError(() =>
          takeOrders4(engine, { taker: TAKER, ...unfunded })
        );
        assert.equal(chainFunds?.name, "ERC20InsufficientBalance");
        assert.equal(localFunds.name, "InsufficientTokenBalanceError");
        assert.deepEqual(chainFunds?.args, [
          OB,
          localFunds.details.balance,
          localFunds.details.needed,
        ]);
        console.log(`ERC20InsufficientBalance: ${chainFunds?.args.join(", ")}`);
      });

      await t.step("addOrder4 without handle-io: quotes, but takes revert on both", async () => {
        const bytecode = await chain.parseRainlang("_ _: 10 2;");
        const order = await addOrder(
          alice,
          orderConfig(bytecode, 9, vaultlessIO.in, vaultlessIO.out),
        );
        applyMutations(engine, [{ type: "setOrders", orders: [order] }]);
        const [exists, maxOutput] = await client.readContract({
          address: OB,
          abi: orderbookV6Abi,
          functionName: "quote2",
          args: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
          account: TAKER,
        }) as [boolean, Hex, Hex];
        const virtual = await quote(engine, {
          order,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        });
        assert.equal(exists, true);
        ledger.compare("no handle-io quote maxOutput", maxOutput, virtual.maxOutput);
        const config = {
          minimumIO: parse("0"),
          maximumIO: parse("1"),
          maximumIORatio: parse("10"),
          IOIsInput: true,
          orders: [{ order, inputIOIndex: 0n, outputIOIndex: 0n, signedContext: [] }],
          data: "0x" as Hex,
        };
        const chainRevert = await revertOf(TAKER, "takeOrders4", [config]);
        const local = await engineError(() => takeOrders4(engine, { taker: TAKER, ...config }));
        console.log(
          `no handle-io: chain ${chainRevert?.name}; engine ${local.name}: ${local.message}`,
        );
        assert.equal(chainRevert?.name, "SourceIndexOutOfBounds");
        assert.match(
          `${local.message} ${
            JSON.stringify(local.details, (_, v) => typeof v === "bigint" ? v.toString() : v)
          }`,
          /SourceIndexOutOfBounds/,
        );
      });

      await t.step("no value or bit differences", () => {
        console.log(`${ledger.count} Float comparisons; bits ${JSON.stringify(ledger.bits)}`);
        assert.deepEqual(ledger.values.map((v) => v.text), []);
        assert.deepEqual(ledger.bits, []);
      });
    } finally {
      await chain.stop();
    }
  },
});
