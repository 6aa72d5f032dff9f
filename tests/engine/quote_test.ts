import assert from "node:assert/strict";
import type { Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { concatHex, keccak256 } from "viem";
import { eq, packFloat } from "../../src/float/mod.ts";
import { applyMutations, getStoreValue, quote, snapshot } from "../../src/engine/mod.ts";
import { createScriptedHost, type ScriptedCall } from "./_scripted_host.ts";
import {
  ALICE,
  aw,
  BOB,
  deposit,
  f,
  fqn,
  hashOf,
  makeEngine,
  makeOrder,
  ORDERBOOK,
  rejectsWith,
  STORE,
  TAKER,
  TOKEN_A,
  TOKEN_B,
  TOKEN_C,
  w,
} from "./_fixtures.ts";

const PROGRAM: Hex = "0x01";

Deno.test("quote: calculate-io context, namespace and stack", async (t) => {
  let seen: ScriptedCall | undefined;
  const host = createScriptedHost({
    [PROGRAM]: [(call) => {
      seen = call;
      // `_ _: 10 2;` returns top first: [ioRatio 2, maxOutput 10].
      return { stack: [f("2"), f("10")], writes: [w(7), w(8)] };
    }],
  });
  const order = makeOrder({ bytecode: PROGRAM });
  const hash = hashOf(order);
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [order] },
    deposit(ALICE, TOKEN_A, w(1), "3"),
    deposit(ALICE, TOKEN_B, w(2), "100"),
  ]);

  await t.step("column by column", async () => {
    const result = await quote(engine, {
      orderHash: hash,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    assert.ok(seen);
    assert.deepEqual(seen.context, [
      [aw(TAKER), aw(ORDERBOOK)],
      [hash, aw(ALICE), aw(TAKER)],
      [],
      [aw(TOKEN_A), w(18), w(1), f("3"), w(0)],
      [aw(TOKEN_B), w(6), w(2), f("100"), w(0)],
    ]);
    assert.equal(seen.context.length, 5, "no signers column without signed context");
    assert.equal(seen.request.sourceIndex, 0);
    assert.equal(seen.request.namespace, BigInt(fqn(ALICE)));
    assert.equal(seen.request.store, STORE);
    assert.deepEqual(seen.request.inputs, []);
    assert.deepEqual(seen.request.stateOverlay, []);
    assert.equal(seen.request.caller?.toLowerCase(), ORDERBOOK);
    assert.equal(seen.env.chainId, 137n);
    assert.equal(seen.env.blockNumber, 100n);
    assert.equal(result.exists, true);
    assert.equal(result.ioRatio, f("2"));
    assert.equal(result.maxOutput, f("10"));
    assert.deepEqual(result.writes, [w(7), w(8)]);
    assert.deepEqual(result.context, seen.context);
  });

  await t.step("a quote writes nothing", () => {
    assert.equal(getStoreValue(engine, { store: STORE, owner: ALICE, key: w(7) }), w(0));
  });

  await t.step("by body gives the same", async () => {
    const result = await quote(engine, {
      order,
      inputIOIndex: 0,
      outputIOIndex: 0,
      counterparty: BOB,
    });
    assert.equal(result.maxOutput, f("10"));
    assert.deepEqual(seen?.context[0], [aw(BOB), aw(ORDERBOOK)]);
    assert.equal(seen?.context[1][2], aw(BOB));
  });
});

Deno.test("quote: max output capped by the output vault", async (t) => {
  let maxOutput = f("10");
  const host = createScriptedHost({ [PROGRAM]: [() => ({ stack: [f("1.5"), maxOutput] })] });
  const order = makeOrder({ bytecode: PROGRAM });
  const hash = hashOf(order);
  const engine = makeEngine(host, [{ type: "setOrders", orders: [order] }]);
  const q = () =>
    quote(engine, { orderHash: hash, inputIOIndex: 0n, outputIOIndex: 0n, counterparty: TAKER });

  await t.step("empty vault caps to zero", async () => {
    const r = await q();
    assert.equal(r.maxOutput, w(0));
    assert.equal(r.ioRatio, f("1.5"));
  });
  await t.step("smaller vault wins", async () => {
    applyMutations(engine, [deposit(ALICE, TOKEN_B, w(2), "4")]);
    assert.equal((await q()).maxOutput, f("4"));
  });
  await t.step("smaller stack value wins", async () => {
    maxOutput = f("3.25");
    assert.equal((await q()).maxOutput, f("3.25"));
  });
  await t.step(
    "tie: the vault balance's bits win (Float.min returns its 2nd argument)",
    async () => {
      // vault holds 4 as (40, -1); the expression returns 4 as (4, 0): same value, different bits.
      const vault40 = packFloat(40n, -1);
      const four = packFloat(4n, 0);
      applyMutations(engine, [{
        type: "vaultDeltas",
        deltas: [{ owner: ALICE, token: TOKEN_B, vaultId: w(2), op: "set", amount: vault40 }],
      }]);
      maxOutput = four;
      const r = await q();
      assert.ok(eq(r.maxOutput, four));
      assert.equal(r.maxOutput, vault40);
    },
  );
});

Deno.test("quote: liveness and typed errors", async (t) => {
  let stack: Hex[] = [f("1"), f("1")];
  const host = createScriptedHost({ [PROGRAM]: [() => ({ stack })] });
  const order = makeOrder({ bytecode: PROGRAM });
  const hash = hashOf(order);
  const engine = makeEngine(host, [{ type: "setOrders", orders: [order] }]);

  await t.step("never-seen hash → OrderNotFoundError", async () => {
    const e = await rejectsWith(
      () =>
        quote(engine, {
          orderHash: w(99),
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        }),
      "OrderNotFoundError",
    );
    assert.equal(e.details.orderHash, w(99));
  });
  await t.step("unknown body → exists false (not live on chain)", async () => {
    const other = makeOrder({ bytecode: PROGRAM, nonce: 5 });
    const r = await quote(engine, {
      order: other,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    assert.equal(r.exists, false);
    assert.equal(r.maxOutput, w(0));
    assert.equal(r.ioRatio, w(0));
  });
  await t.step("IO index out of range", async () => {
    const e = await rejectsWith(
      () =>
        quote(engine, {
          orderHash: hash,
          inputIOIndex: 1n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        }),
      "IOIndexOutOfRangeError",
    );
    assert.equal(e.details.side, "input");
    assert.equal(e.details.length, 1);
  });
  await t.step("fewer than 2 outputs", async () => {
    stack = [f("1")];
    const e = await rejectsWith(
      () =>
        quote(engine, {
          orderHash: hash,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        }),
      "UnsupportedCalculateOutputsError",
    );
    assert.equal(e.details.outputs, 1);
    stack = [f("1"), f("1"), f("9")];
    const ok = await quote(engine, {
      orderHash: hash,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    assert.equal(ok.ioRatio, f("1"));
  });
  await t.step("self trade", async () => {
    const selfOrder = makeOrder({
      bytecode: PROGRAM,
      inputs: [{ token: TOKEN_A, vaultId: w(1) }],
      outputs: [{ token: TOKEN_A, vaultId: w(2) }],
    });
    applyMutations(engine, [{ type: "setOrders", orders: [selfOrder] }]);
    await rejectsWith(
      () =>
        quote(engine, {
          order: selfOrder,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        }),
      "TokenSelfTradeError",
    );
  });
  await t.step("missing decimals", async () => {
    const noDecimals = makeOrder({
      bytecode: PROGRAM,
      inputs: [{ token: "0xdddd000000000000000000000000000000000004", vaultId: w(1) }],
    });
    applyMutations(engine, [{ type: "setOrders", orders: [noDecimals] }]);
    const e = await rejectsWith(
      () =>
        quote(engine, {
          order: noDecimals,
          inputIOIndex: 0n,
          outputIOIndex: 0n,
          counterparty: TAKER,
        }),
      "TokenDecimalsMissingError",
    );
    assert.equal(e.details.token, "0xdddd000000000000000000000000000000000004");
  });
  await t.step("removed order → exists false, state unchanged", async () => {
    const before = JSON.stringify(snapshot(engine));
    applyMutations(engine, [{ type: "removeOrders", orderHashes: [hash] }]);
    const r = await quote(engine, {
      orderHash: hash,
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    assert.equal(r.exists, false);
    assert.notEqual(JSON.stringify(snapshot(engine)), before);
  });
});

Deno.test("quote: store reads come from the virtual store under the owner's namespace", async () => {
  const host = createScriptedHost({
    [PROGRAM]: [(call) => ({ stack: [call.get(w(5)), f("1")] })],
  });
  const order = makeOrder({ bytecode: PROGRAM });
  const engine = makeEngine(host, [
    { type: "setOrders", orders: [order] },
    deposit(ALICE, TOKEN_B, w(2), "1"),
    { type: "applyStore", store: STORE, namespace: fqn(ALICE), kvs: [w(5), f("7.5")] },
    // Another owner's namespace must not leak into alice's reads.
    { type: "applyStore", store: STORE, namespace: fqn(BOB), kvs: [w(5), f("9")] },
  ]);
  const r = await quote(engine, {
    order,
    inputIOIndex: 0n,
    outputIOIndex: 0n,
    counterparty: TAKER,
  });
  assert.equal(r.ioRatio, f("7.5"));
});

Deno.test("quote: signed context columns and signature checks", async (t) => {
  const signer = privateKeyToAccount(`0x${"11".repeat(32)}`);
  const other = privateKeyToAccount(`0x${"22".repeat(32)}`);
  const words = [w(1), w(2), f("3.5")];
  // EIP-191 over keccak256 of the packed words, as LibContext checks it.
  const signature = await signer.signMessage({ message: { raw: keccak256(concatHex(words)) } });
  const badSignature = await other.signMessage({ message: { raw: keccak256(concatHex(words)) } });
  let context: readonly (readonly Hex[])[] = [];
  const host = createScriptedHost({
    [PROGRAM]: [(call) => ((context = call.context), { stack: [f("1"), f("1")] })],
  });
  const order = makeOrder({ bytecode: PROGRAM, inputs: [{ token: TOKEN_C, vaultId: w(3) }] });
  const calls: Hex[] = [];
  const engine = makeEngine(host, [{ type: "setOrders", orders: [order] }], {
    call(request) {
      calls.push(request.data);
      // An EOA answers an ERC-1271 call with empty data; signer 0x…e1271 accepts everything.
      if (request.to.toLowerCase() === "0x00000000000000000000000000000000000e1271") {
        return { returnData: `0x1626ba7e${"0".repeat(56)}` };
      }
      return { returnData: "0x" };
    },
  });
  const base = { order, inputIOIndex: 0n, outputIOIndex: 0n, counterparty: TAKER };

  await t.step("valid ECDSA: signers column then the context column", async () => {
    await quote(engine, {
      ...base,
      signedContext: [
        { signer: signer.address, context: words, signature },
        { signer: signer.address, context: words, signature },
      ],
    });
    assert.equal(context.length, 8);
    assert.deepEqual(context[3], [aw(TOKEN_C), w(0), w(3), w(0), w(0)]);
    assert.deepEqual(context[5], [aw(signer.address), aw(signer.address)]);
    assert.deepEqual(context[6], words);
    assert.deepEqual(context[7], words);
    assert.equal(calls.length, 0, "valid ECDSA needs no external call");
  });
  await t.step("wrong signer → InvalidSignatureError with the index", async () => {
    const e = await rejectsWith(
      () =>
        quote(engine, {
          ...base,
          signedContext: [
            { signer: signer.address, context: words, signature },
            { signer: signer.address, context: words, signature: badSignature },
          ],
        }),
      "InvalidSignatureError",
    );
    assert.equal(e.details.index, 1);
    assert.equal(calls.length, 1, "falls back to ERC-1271 through external state");
  });
  await t.step("tampered words → InvalidSignatureError", async () => {
    await rejectsWith(
      () =>
        quote(engine, {
          ...base,
          signedContext: [{ signer: signer.address, context: [w(1)], signature }],
        }),
      "InvalidSignatureError",
    );
  });
  await t.step("ERC-1271 contract signer accepted through external state", async () => {
    const contract = "0x00000000000000000000000000000000000e1271";
    await quote(engine, {
      ...base,
      signedContext: [{ signer: contract, context: [w(4)], signature: "0x1234" }],
    });
    assert.deepEqual(context[5], [aw(contract)]);
    assert.deepEqual(context[6], [w(4)]);
  });
  await t.step("no external state → SignatureCheckUnavailableError", async () => {
    const bare = makeEngine(host, [{ type: "setOrders", orders: [order] }]);
    await rejectsWith(
      () =>
        quote(bare, {
          ...base,
          signedContext: [{ signer: signer.address, context: words, signature: badSignature }],
        }),
      "SignatureCheckUnavailableError",
    );
  });
});
