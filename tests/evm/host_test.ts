import assert from "node:assert/strict";
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import {
  type Address,
  bytesToHex,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
  pad,
  parseSignature,
  toFunctionSelector,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import {
  createCodeCache,
  createInterpreterHost,
  type EvalEnv,
  EvalHaltedError,
  EvalOutOfGasError,
  type EvalRequest,
  EvalRevertedError,
  type ExternalCallRequest,
  ExternalStateUnavailableError,
  MissingBytecodeError,
  RAIN_STACK_TRACER,
  type StoreReader,
} from "../../src/evm/mod.ts";
import {
  type AsmItem,
  assemble,
  push,
  returnEval4FromMemory,
  returnsData,
  revertsWith,
} from "./_asm.ts";

const INTERPRETER: Address = "0x0000000000000000000000000000000000001001";
const STORE: Address = "0x0000000000000000000000000000000000002002";
const EXTERNAL: Address = "0x000000000000000000000000000000000000bEEF";
const ORDERBOOK: Address = "0x00000000000000000000000000000000000a11cE";
const ENV: EvalEnv = { chainId: 1n, blockNumber: 1234n, timestamp: 1_700_000_000n };
const KEY: Hex = pad("0x05");
const word = (n: bigint | number): Hex => pad(toHex(n));
const EVAL4_SIGNATURE = "eval4((address,uint256,bytes,uint256,bytes32[][],bytes32[],bytes32[]))";

function request(
  interpreter: Address = INTERPRETER,
  extra: Partial<EvalRequest> = {},
): EvalRequest {
  return {
    interpreter,
    store: STORE,
    namespace: 0xabcn,
    bytecode: "0x",
    sourceIndex: 0,
    context: [],
    inputs: [],
    stateOverlay: [],
    ...extra,
  };
}

function mapStore(values: Record<string, Hex>): StoreReader & { reads: unknown[] } {
  const reads: unknown[] = [];
  return {
    reads,
    get(store, namespace, key) {
      reads.push([store, namespace, key]);
      return values[`${store.toLowerCase()}/${namespace}/${key}`] ?? word(0);
    },
  };
}

const EMPTY_STORE = mapStore({});

/** Returns `abi.encode([2, 10], [6, 9])` regardless of input. */
const FIXED = returnsData(
  encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [
    [word(2), word(10)],
    [word(6), word(9)],
  ]),
);

/** STATICCALLs `store.get(namespace, KEY)` with `selector` and returns `[value]`, `[KEY, value]`. */
function storeReader(selector: Hex): Hex {
  return assemble([
    push(selector),
    push(0xe0),
    "SHL",
    push(0),
    "MSTORE",
    push(0x44),
    "CALLDATALOAD",
    push(4),
    "MSTORE",
    push(KEY, 32),
    push(0x24),
    "MSTORE",
    push(KEY, 32),
    push(0xc0),
    "MSTORE",
    push(0x20),
    push(0x80),
    push(0x44),
    push(0),
    push(0x24),
    "CALLDATALOAD",
    "GAS",
    "STATICCALL",
    "ISZERO",
    { ref: "fail" },
    "JUMPI",
    ...returnEval4FromMemory([0x80], [0xc0, 0x80]),
    ...bubbleRevert("fail"),
  ]);
}

function bubbleRevert(label: string): AsmItem[] {
  return [
    { label },
    "RETURNDATASIZE",
    push(0),
    push(0),
    "RETURNDATACOPY",
    "RETURNDATASIZE",
    push(0),
    "REVERT",
  ];
}

/** STATICCALLs `balanceOf(CALLER)` on `target` and returns `[result]`. */
function externalReader(target: Address): Hex {
  return assemble([
    push("0x70a08231"),
    push(0xe0),
    "SHL",
    push(0),
    "MSTORE",
    "CALLER",
    push(4),
    "MSTORE",
    push(0x20),
    push(0x80),
    push(0x24),
    push(0),
    push(target),
    "GAS",
    "STATICCALL",
    "ISZERO",
    { ref: "fail" },
    "JUMPI",
    ...returnEval4FromMemory([0x80], []),
    ...bubbleRevert("fail"),
  ]);
}

/** Returns `[NUMBER, TIMESTAMP, CHAINID]` (after a jump, so jump analysis runs). */
const ENV_READER = assemble([
  { ref: "go" },
  "JUMP",
  "INVALID",
  { label: "go" },
  "NUMBER",
  push(0),
  "MSTORE",
  "TIMESTAMP",
  push(0x20),
  "MSTORE",
  "CHAINID",
  push(0x40),
  "MSTORE",
  ...returnEval4FromMemory([0, 0x20, 0x40], []),
]);

/** Returns `[CALLER, calldata word 0]`. */
const CALLER_READER = assemble([
  "CALLER",
  push(0),
  "MSTORE",
  push(0),
  "CALLDATALOAD",
  push(0x20),
  "MSTORE",
  ...returnEval4FromMemory([0, 0x20], []),
]);

/** Calls the stack tracer and returns `[success]`. */
const TRACER_CALLER = assemble([
  push(0),
  push(0),
  push(0),
  push(0),
  push(RAIN_STACK_TRACER),
  "GAS",
  "STATICCALL",
  push(0),
  "MSTORE",
  ...returnEval4FromMemory([0], []),
]);

function ecrecoverCaller(input: Hex): Hex {
  const length = (input.length - 2) / 2;
  const head = (offset: number) =>
    assemble([
      push(length, 2),
      push(offset, 2),
      push(0),
      "CODECOPY",
      push(0x20),
      push(0x200, 2),
      push(length, 2),
      push(0),
      push(1),
      "GAS",
      "STATICCALL",
      "POP",
      ...returnEval4FromMemory([0x200], []),
    ]);
  const size = (head(0).length - 2) / 2;
  return `${head(size)}${input.slice(2)}` as Hex;
}

const ODD_SET_LENGTH_3: Hex = `${toFunctionSelector("OddSetLength(uint256)")}${word(3).slice(2)}`;

function hostWith(
  interpreterCode: Hex,
  options: Omit<Parameters<typeof createInterpreterHost>[0], "codeCache"> = {},
) {
  const codeCache = createCodeCache([
    { address: INTERPRETER, kind: "interpreter", bytecode: interpreterCode },
    // The store's code only has to exist (EXTCODESIZE); reads never run it.
    { address: STORE, kind: "store", bytecode: "0xfe" },
  ]);
  return createInterpreterHost({ codeCache, ...options });
}

Deno.test("interpreter host on @ethereumjs/evm", async (t) => {
  await t.step("returns the decoded eval4 result (stack top first, writes)", async () => {
    const result = await hostWith(FIXED).eval4(request(), ENV, EMPTY_STORE);
    assert.deepEqual(result, { stack: [word(2), word(10)], writes: [word(6), word(9)] });
  });

  await t.step("sends eval4's selector and msg.sender = request.caller", async () => {
    const host = hostWith(CALLER_READER);
    const result = await host.eval4(request(INTERPRETER, { caller: ORDERBOOK }), ENV, EMPTY_STORE);
    assert.equal(getAddress(`0x${result.stack[0].slice(26)}`), getAddress(ORDERBOOK));
    assert.equal(result.stack[1].slice(0, 10), toFunctionSelector(EVAL4_SIGNATURE));
    assert.equal(toFunctionSelector(EVAL4_SIGNATURE), "0xd04dfe23");
    const anonymous = await host.eval4(request(), ENV, EMPTY_STORE);
    assert.equal(anonymous.stack[0], word(0));
  });

  await t.step("store reads go through the store address to the virtual store", async () => {
    const store = mapStore({ [`${STORE.toLowerCase()}/${0xabcn}/${KEY}`]: word(77) });
    const result = await hostWith(storeReader(toFunctionSelector("get(uint256,bytes32)")))
      .eval4(request(), ENV, store);
    assert.deepEqual(result.stack, [word(77)]);
    // Read keys come back in the writes, as Rain's `get` caches them.
    assert.deepEqual(result.writes, [KEY, word(77)]);
    assert.deepEqual(store.reads, [[getAddress(STORE), 0xabcn, KEY]]);
  });

  await t.step("an unset key reads as zero", async () => {
    const result = await hostWith(storeReader(toFunctionSelector("get(uint256,bytes32)")))
      .eval4(request(), ENV, mapStore({}));
    assert.deepEqual(result.stack, [word(0)]);
  });

  await t.step("any other selector at the store reverts", async () => {
    const host = hostWith(storeReader(toFunctionSelector("set(uint256,bytes32[])")));
    await assert.rejects(host.eval4(request(), ENV, EMPTY_STORE), (error: unknown) => {
      assert.ok(error instanceof EvalRevertedError);
      assert.equal(error.details.data, "0x");
      return true;
    });
  });

  await t.step("a throwing store reader fails the eval with its error", async () => {
    const boom = new Error("store offline");
    const host = hostWith(storeReader(toFunctionSelector("get(uint256,bytes32)")));
    await assert.rejects(
      host.eval4(request(), ENV, {
        get() {
          throw boom;
        },
      }),
      (error: unknown) => error === boom,
    );
    await assert.rejects(
      host.eval4(request(), ENV, { get: () => "0x07" }),
      (error: unknown) => error instanceof TypeError && /32-byte/.test(error.message),
    );
    // The host is still usable afterwards.
    const ok = await host.eval4(request(), ENV, mapStore({}));
    assert.deepEqual(ok.stack, [word(0)]);
  });

  await t.step("calls to unknown addresses fail without external state", async () => {
    await assert.rejects(
      hostWith(externalReader(EXTERNAL)).eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) => {
        assert.ok(error instanceof ExternalStateUnavailableError);
        assert.equal(error.details.address, getAddress(EXTERNAL));
        assert.equal(error.details.selector, "0x70a08231");
        assert.equal(error.details.block, 1234n);
        return true;
      },
    );
  });

  await t.step("calls to unknown addresses go to the external-state source", async () => {
    const seen: ExternalCallRequest[] = [];
    const host = hostWith(externalReader(EXTERNAL), {
      externalState: {
        call(call) {
          seen.push(call);
          return { returnData: word(42) };
        },
      },
    });
    const result = await host.eval4(request(INTERPRETER, { caller: ORDERBOOK }), ENV, EMPTY_STORE);
    assert.deepEqual(result.stack, [word(42)]);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].to, getAddress(EXTERNAL));
    assert.equal(seen[0].from, getAddress(INTERPRETER));
    // The interpreter forwards its own msg.sender (the orderbook) as balanceOf's argument.
    assert.equal(seen[0].data, `0x70a08231${pad(ORDERBOOK).slice(2)}`.toLowerCase());
    assert.deepEqual(seen[0].env, ENV);
  });

  await t.step("an external revert reaches the interpreter as a revert", async () => {
    const host = hostWith(externalReader(EXTERNAL), {
      externalState: {
        call: () => Promise.resolve({ returnData: ODD_SET_LENGTH_3, reverted: true }),
      },
    });
    await assert.rejects(host.eval4(request(), ENV, EMPTY_STORE), (error: unknown) => {
      assert.ok(error instanceof EvalRevertedError);
      assert.equal(error.details.data, ODD_SET_LENGTH_3);
      return true;
    });
  });

  await t.step("Rain's stack tracer is an account without code: calls succeed", async () => {
    assert.equal(RAIN_STACK_TRACER, "0xF06Cd48c98d7321649dB7D8b2C396A81A2046555");
    const result = await hostWith(TRACER_CALLER).eval4(request(), ENV, EMPTY_STORE);
    assert.deepEqual(result.stack, [word(1)]);
  });

  await t.step("NUMBER, TIMESTAMP and CHAINID come from the env, per call", async () => {
    const host = hostWith(ENV_READER);
    const polygon = { chainId: 137n, blockNumber: 5n, timestamp: 99n };
    assert.deepEqual((await host.eval4(request(), ENV, EMPTY_STORE)).stack, [
      word(1234),
      word(1_700_000_000),
      word(1),
    ]);
    assert.deepEqual((await host.eval4(request(), polygon, EMPTY_STORE)).stack, [
      word(5),
      word(99),
      word(137),
    ]);
    assert.deepEqual((await host.eval4(request(), ENV, EMPTY_STORE)).stack[2], word(1));
  });

  await t.step("patched host gives the same result as a fresh, unpatched EVM", async () => {
    const host = hostWith(ENV_READER);
    const viaHost = await host.eval4(request(), ENV, EMPTY_STORE);
    const evm = await createEVM({
      common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
    });
    const to = new EvmAddress(hexToBytes(INTERPRETER));
    await evm.stateManager.putCode(to, hexToBytes(ENV_READER));
    const plain = await evm.runCall({
      to,
      data: hexToBytes("0xd04dfe23"),
      gasLimit: 1_000_000n,
      block: {
        header: {
          number: ENV.blockNumber,
          timestamp: ENV.timestamp,
          coinbase: new EvmAddress(new Uint8Array(20)),
          difficulty: 0n,
          prevRandao: new Uint8Array(32),
          gasLimit: 30_000_000n,
          baseFeePerGas: 0n,
          getBlobGasPrice: () => 1n,
        },
      },
    });
    assert.equal(plain.execResult.exceptionError, undefined);
    const [stack] = [viaHost.stack];
    const expected = encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [
      [...stack],
      [],
    ]);
    assert.equal(bytesToHex(plain.execResult.returnValue), expected);
  });

  await t.step("precompiles keep working (ecrecover)", async () => {
    const account = privateKeyToAccount(
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    );
    const hash = keccak256(toHex("vraindex"));
    const signature = parseSignature(await account.sign({ hash }));
    const input = encodeAbiParameters(
      [{ type: "bytes32" }, { type: "uint8" }, { type: "bytes32" }, { type: "bytes32" }],
      [hash, Number(signature.v), signature.r, signature.s],
    );
    const result = await hostWith(ecrecoverCaller(input)).eval4(request(), ENV, EMPTY_STORE);
    assert.equal(getAddress(`0x${result.stack[0].slice(26)}`), account.address);
  });

  await t.step("a revert with a known Rain error is decoded", async () => {
    await assert.rejects(
      hostWith(revertsWith(ODD_SET_LENGTH_3)).eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) => {
        assert.ok(error instanceof EvalRevertedError);
        assert.equal(error.details.error?.name, "OddSetLength");
        assert.deepEqual(error.details.error?.args, [3n]);
        assert.equal(error.details.interpreter, getAddress(INTERPRETER));
        assert.equal(error.details.sourceIndex, 0);
        assert.equal(error.details.block, 1234n);
        return true;
      },
    );
  });

  await t.step("a revert with an unknown selector keeps the raw data", async () => {
    const data: Hex = "0xdeadbeef01";
    await assert.rejects(
      hostWith(revertsWith(data)).eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) =>
        error instanceof EvalRevertedError && error.details.data === data &&
        error.details.error === undefined,
    );
  });

  await t.step("out of gas is its own error", async () => {
    const loop = assemble([{ label: "top" }, { ref: "top" }, "JUMP"]);
    await assert.rejects(
      hostWith(loop, { gasLimit: 50_000n }).eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) => error instanceof EvalOutOfGasError && error.details.gasLimit === 50_000n,
    );
  });

  await t.step("other halts and malformed results are EvalHaltedError", async () => {
    await assert.rejects(
      hostWith("0xfe").eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) =>
        error instanceof EvalHaltedError && error.details.reason === "invalid opcode",
    );
    await assert.rejects(
      hostWith(returnsData("0x0102")).eval4(request(), ENV, EMPTY_STORE),
      (error: unknown) =>
        error instanceof EvalHaltedError && error.details.reason === "malformed eval4 result",
    );
  });

  await t.step("missing interpreter or store code is a MissingBytecodeError", async () => {
    const host = hostWith(FIXED);
    await assert.rejects(
      host.eval4(request("0x0000000000000000000000000000000000003003"), ENV, EMPTY_STORE),
      (error: unknown) =>
        error instanceof MissingBytecodeError && error.details.kind === "interpreter",
    );
    await assert.rejects(
      host.eval4(
        request(INTERPRETER, { store: "0x0000000000000000000000000000000000004004" }),
        ENV,
        EMPTY_STORE,
      ),
      (error: unknown) => error instanceof MissingBytecodeError && error.details.kind === "store",
    );
    // A store address given as the interpreter is not run as one.
    await assert.rejects(
      host.eval4(request(STORE), ENV, EMPTY_STORE),
      (error: unknown) =>
        error instanceof MissingBytecodeError && error.details.cachedKind === "store",
    );
  });

  await t.step("evalMany and concurrent eval4 calls keep request order", async () => {
    const codeCache = createCodeCache([
      { address: INTERPRETER, kind: "interpreter", bytecode: ENV_READER },
      {
        address: "0x0000000000000000000000000000000000003003",
        kind: "interpreter",
        bytecode: FIXED,
      },
      { address: STORE, kind: "store", bytecode: "0xfe" },
    ]);
    const host = createInterpreterHost({ codeCache });
    const requests = [
      request(),
      request("0x0000000000000000000000000000000000003003"),
      request(),
    ];
    const many = await host.evalMany(requests, ENV, EMPTY_STORE);
    assert.equal(many.length, 3);
    assert.deepEqual(many[0].stack, [word(1234), word(1_700_000_000), word(1)]);
    assert.deepEqual(many[1].stack, [word(2), word(10)]);
    assert.deepEqual(many[2], many[0]);
    const envs = [1n, 2n, 3n, 4n].map((n) => ({ chainId: n, blockNumber: n, timestamp: n }));
    const concurrent = await Promise.all(
      envs.map((env) => host.eval4(request(), env, EMPTY_STORE)),
    );
    concurrent.forEach((result, i) => {
      const n = BigInt(i + 1);
      assert.deepEqual(result.stack, [word(n), word(n), word(n)]);
    });
  });

  await t.step("later hardforks run the same program; unknown ones are refused", async () => {
    for (const hardfork of ["prague", "osaka"] as const) {
      const result = await hostWith(ENV_READER, { hardfork }).eval4(request(), ENV, EMPTY_STORE);
      assert.deepEqual(result.stack, [word(1234), word(1_700_000_000), word(1)], hardfork);
    }
    assert.throws(() => hostWith(FIXED, { hardfork: "london" as never }), TypeError);
  });

  await t.step("raw calls run cached contract code", async () => {
    const codeCache = createCodeCache([
      { address: EXTERNAL, kind: "contract", bytecode: returnsData("0xc0ffee") },
      { address: STORE, kind: "store", bytecode: "0xfe" },
    ]);
    const host = createInterpreterHost({ codeCache });
    assert.equal(await host.call({ to: EXTERNAL, data: "0x" }), "0xc0ffee");
    await assert.rejects(
      host.call({ to: STORE, data: "0x" }),
      (error: unknown) => error instanceof MissingBytecodeError,
    );
  });
});

Deno.test("cached code is in state before any call reaches it (EXTCODESIZE)", async () => {
  // A data contract that is never called, only read, like rain.math.float's log tables.
  const dataContract: Address = "0x00000000000000000000000000000000000da7a1";
  const dataCode: Hex = `0x${"5b".repeat(300)}`;
  const reader: Address = "0x0000000000000000000000000000000000000ead";
  // EXTCODESIZE(dataContract) → memory[0..32] → return.
  const readerCode: Hex = `0x73${dataContract.slice(2)}3b60005260206000f3`;
  const codeCache = createCodeCache([
    { address: reader, kind: "contract", bytecode: readerCode },
    { address: dataContract, kind: "contract", bytecode: dataCode },
  ]);
  const host = createInterpreterHost({ codeCache });
  const returned = await host.call({ to: reader, data: "0x" });
  assert.equal(BigInt(returned), 300n, "EXTCODESIZE sees the cached, never-called contract");
});
