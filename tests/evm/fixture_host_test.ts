/**
 * The host running the fixture interpreter (Rain's bytecode layout and opcode indices, our own
 * Solidity) on programs built with the Rain bytecode codec.
 */
import assert from "node:assert/strict";
import { type Address, getAddress, type Hex, pad, toHex } from "viem";
import interpreterArtifact from "../../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import {
  createCodeCache,
  createInterpreterHost,
  type EvalEnv,
  type EvalRequest,
  EvalRevertedError,
  type ExternalCallRequest,
  ExternalStateUnavailableError,
  type StoreReader,
} from "../../src/evm/mod.ts";
import { encodeRainBytecode, type RainOp } from "../../src/rainvm/mod.ts";

const INTERPRETER: Address = "0x00000000000000000000000000000000000F1001";
const STORE: Address = "0x00000000000000000000000000000000000F2002";
const TOKEN: Address = "0x00000000000000000000000000000000000F3003";
const OWNER: Address = "0x0000000000000000000000000000000000000A11";
const ENV: EvalEnv = { chainId: 42161n, blockNumber: 300n, timestamp: 1_720_000_000n };
const NAMESPACE = 0xfeedn;
const word = (n: bigint | number): Hex => pad(toHex(n));

// Rain's opcode indices (rain.interpreter 2780cdd6), as the fixture implements them.
const OP = {
  stack: 0,
  constant: 1,
  context: 3,
  balanceOf: 17,
  blockNumber: 23,
  blockTimestamp: 24,
  chainId: 26,
  ensure: 30,
  get: 70,
  set: 71,
};
const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});
const constant = (index: number) => op(OP.constant, 0, 1, index);

function program(constants: Hex[], ops: RainOp[]): Hex {
  return encodeRainBytecode({ constants, sources: [{ ops }] });
}

function recordingStore(values: Record<string, Hex> = {}): StoreReader & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    get(store, namespace, key) {
      const id = `${store.toLowerCase()}/${namespace}/${key}`;
      reads.push(id);
      return values[id] ?? word(0);
    },
  };
}

function createHost(externalState?: Parameters<typeof createInterpreterHost>[0]["externalState"]) {
  const codeCache = createCodeCache([
    {
      address: INTERPRETER,
      kind: "interpreter",
      bytecode: interpreterArtifact.deployedBytecode,
    },
    { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
  ]);
  return createInterpreterHost({ codeCache, externalState });
}

function evalRequest(bytecode: Hex, extra: Partial<EvalRequest> = {}): EvalRequest {
  return {
    interpreter: INTERPRETER,
    store: STORE,
    namespace: NAMESPACE,
    bytecode,
    sourceIndex: 0,
    context: [],
    inputs: [],
    stateOverlay: [],
    caller: OWNER,
    ...extra,
  };
}

Deno.test("host running FixtureInterpreter programs", async (t) => {
  const host = createHost();

  await t.step("`_ _: 10 2;` returns [2, 10], top first", async () => {
    const bytecode = program([word(10), word(2)], [constant(0), constant(1)]);
    const result = await host.eval4(evalRequest(bytecode), ENV, recordingStore());
    assert.deepEqual(result, { stack: [word(2), word(10)], writes: [] });
  });

  await t.step("context reads follow [column][row]", async () => {
    // Operand: column in the low byte, row in the next.
    const bytecode = program([], [op(OP.context, 0, 1, 0x0100), op(OP.context, 0, 1, 0x0001)]);
    const context = [[word(1), word(2)], [word(3)]];
    const result = await host.eval4(evalRequest(bytecode, { context }), ENV, recordingStore());
    assert.deepEqual(result.stack, [word(3), word(2)]);
  });

  await t.step("an empty context column reverts with panic 0x32", async () => {
    const bytecode = program([], [op(OP.context, 0, 1, 0x0002)]);
    await assert.rejects(
      host.eval4(evalRequest(bytecode, { context: [[], [], []] }), ENV, recordingStore()),
      (error: unknown) =>
        error instanceof EvalRevertedError && error.details.error?.name === "Panic" &&
        error.details.error.args[0] === 0x32n,
    );
  });

  await t.step("block number, timestamp and chain id come from the env", async () => {
    const bytecode = program([], [
      op(OP.blockNumber, 0, 1),
      op(OP.blockTimestamp, 0, 1),
      op(OP.chainId, 0, 1),
    ]);
    const result = await host.eval4(evalRequest(bytecode), ENV, recordingStore());
    assert.deepEqual(result.stack, [word(42161), word(1_720_000_000), word(300)]);
  });

  await t.step("get reads through the store contract; read keys come back in writes", async () => {
    const key = word(5);
    const store = recordingStore({ [`${STORE.toLowerCase()}/${NAMESPACE}/${key}`]: word(7) });
    const bytecode = program([key], [constant(0), op(OP.get, 1, 1)]);
    const result = await host.eval4(evalRequest(bytecode), ENV, store);
    assert.deepEqual(result.stack, [word(7)]);
    assert.deepEqual(result.writes, [key, word(7)]);
    assert.deepEqual(store.reads, [`${STORE.toLowerCase()}/${NAMESPACE}/${key}`]);
  });

  await t.step("a key set first is read from memory without touching the store", async () => {
    const store = recordingStore();
    // set(key 6, value 9): the key is on top when set runs; then get(6).
    const bytecode = program([word(6), word(9)], [
      constant(1),
      constant(0),
      op(OP.set, 2, 0),
      constant(0),
      op(OP.get, 1, 1),
    ]);
    const result = await host.eval4(evalRequest(bytecode), ENV, store);
    assert.deepEqual(result.stack, [word(9)]);
    assert.deepEqual(result.writes, [word(6), word(9)]);
    assert.deepEqual(store.reads, []);
  });

  await t.step("stateOverlay pairs are visible to get and come back in writes", async () => {
    const store = recordingStore();
    const bytecode = program([word(5)], [constant(0), op(OP.get, 1, 1)]);
    const result = await host.eval4(
      evalRequest(bytecode, { stateOverlay: [word(5), word(11)] }),
      ENV,
      store,
    );
    assert.deepEqual(result.stack, [word(11)]);
    assert.deepEqual(result.writes, [word(5), word(11)]);
    assert.deepEqual(store.reads, []);
  });

  await t.step("a failed ensure reverts with its reason", async () => {
    // Condition 0 fails; the reason word (0 here) is rendered by the interpreter as a string.
    const bytecode = program([word(0), word(0)], [constant(1), constant(0), op(OP.ensure, 2, 0)]);
    await assert.rejects(
      host.eval4(evalRequest(bytecode), ENV, recordingStore()),
      (error: unknown) =>
        error instanceof EvalRevertedError && error.details.error?.name === "Error" &&
        error.details.block === 300n && error.details.sourceIndex === 0,
    );
  });

  await t.step("token reads go to the external-state source", async () => {
    const bytecode = program([pad(OWNER), pad(TOKEN)], [
      constant(0),
      constant(1),
      op(OP.balanceOf, 2, 1),
    ]);
    await assert.rejects(
      host.eval4(evalRequest(bytecode), ENV, recordingStore()),
      (error: unknown) =>
        error instanceof ExternalStateUnavailableError &&
        error.details.address === getAddress(TOKEN) && error.details.selector === "0x70a08231",
    );
    const seen: ExternalCallRequest[] = [];
    const withState = createHost({
      call(request) {
        seen.push(request);
        return { returnData: word(1234) };
      },
    });
    const result = await withState.eval4(evalRequest(bytecode), ENV, recordingStore());
    assert.deepEqual(result.stack, [word(1234)]);
    assert.equal(seen[0].to, getAddress(TOKEN));
    assert.equal(seen[0].from, getAddress(INTERPRETER));
    assert.equal(seen[0].data, `0x70a08231${pad(OWNER).slice(2)}`.toLowerCase());
  });
});
