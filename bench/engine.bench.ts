/**
 * Quote throughput of the engine: a warm engine with 1, 10 and 100 live orders (each iteration
 * quotes every order once, so quotes/s = orders / time per iteration), on the scripted host (engine
 * overhead only) and on the EVM host running the fixture interpreter; plus a cold first quote
 * (new host and engine, first EVM call included). Also: applying 1,000 `AddOrderV3`-style
 * `setOrders` mutations (each order hashed once, with the engine's keccak) against hashing the same
 * orders with `orderHash` (viem's keccak), the path `setOrders` took before.
 */
import {
  type Address,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  parseAbi,
  stringToHex,
} from "viem";
import interpreterArtifact from "../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import { parse } from "../src/float/mod.ts";
import { orderHash, type OrderV4 } from "../src/abi/mod.ts";
import {
  createCodeCache,
  createInterpreterHost,
  type EvmInterpreterHost,
  type InterpreterHost,
} from "../src/evm/mod.ts";
import { encodeRainBytecode } from "../src/rainvm/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  listOrderHashes,
  quote,
  type RaindexMutation,
  type VirtualRaindex,
} from "../src/engine/mod.ts";

const ORDERBOOK: Address = "0x00000000000000000000000000000000000000ab";
const INTERPRETER: Address = "0x1000000000000000000000000000000000000001";
const STORE: Address = "0x2000000000000000000000000000000000000002";
const TOKEN_A: Address = "0xaaaa000000000000000000000000000000000001";
const TOKEN_B: Address = "0xbbbb000000000000000000000000000000000002";
const TAKER: Address = "0x7a4e400000000000000000000000000000000004";
const word = (n: number): Hex => `0x${n.toString(16).padStart(64, "0")}`;

// calculate-io: `_ _: 10 get(1);` — one store read, as most real orders have.
const BYTECODE = encodeRainBytecode({
  constants: [parse("10"), word(1)],
  sources: [
    {
      ops: [
        { opcode: 1, inputs: 0, outputs: 1, operand: 0 },
        { opcode: 1, inputs: 0, outputs: 1, operand: 1 },
        { opcode: 70, inputs: 1, outputs: 1, operand: 0 },
      ],
    },
    { ops: [] },
  ],
});

const scriptedHost: InterpreterHost = {
  eval4: (request, _env, store) =>
    Promise.resolve({
      stack: [store.get(request.store, request.namespace, word(1)), parse("10")],
      writes: [],
    }),
  evalMany: () => Promise.resolve([]),
};

function evmHost(): InterpreterHost {
  return createInterpreterHost({
    codeCache: createCodeCache([
      { address: INTERPRETER, kind: "interpreter", bytecode: interpreterArtifact.deployedBytecode },
      { address: STORE, kind: "store", bytecode: storeArtifact.deployedBytecode },
    ]),
  });
}

function setup(
  host: InterpreterHost,
  count: number,
  code: { bytecode: Hex; interpreter: Address; store: Address } = {
    bytecode: BYTECODE,
    interpreter: INTERPRETER,
    store: STORE,
  },
): { engine: VirtualRaindex; hashes: Hex[] } {
  const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host });
  const orders: OrderV4[] = [];
  const mutations: RaindexMutation[] = [{
    type: "setTokenDecimals",
    tokens: [{ token: TOKEN_A, decimals: 18 }, { token: TOKEN_B, decimals: 6 }],
  }];
  for (let i = 0; i < count; i++) {
    const owner = `0x${(0xa0000 + i).toString(16).padStart(40, "0")}` as Address;
    orders.push({
      owner,
      evaluable: code,
      validInputs: [{ token: TOKEN_A, vaultId: word(1) }],
      validOutputs: [{ token: TOKEN_B, vaultId: word(2) }],
      nonce: word(i),
    });
    mutations.push({
      type: "vaultDeltas",
      deltas: [{ owner, token: TOKEN_B, vaultId: word(2), op: "increase", amount: parse("5") }],
    });
  }
  mutations.push({ type: "setOrders", orders });
  applyMutations(engine, mutations);
  return { engine, hashes: listOrderHashes(engine) };
}

async function quoteAll(engine: VirtualRaindex, hashes: readonly Hex[]): Promise<void> {
  for (const orderHash of hashes) {
    await quote(engine, { orderHash, inputIOIndex: 0n, outputIOIndex: 0n, counterparty: TAKER });
  }
}

/** Rain's real interpreter, when `VRAINDEX_RAIN_CODE_DIR` holds the extracted code (opt-in). */
async function realRain(): Promise<
  { host: EvmInterpreterHost; bytecode: Hex; interpreter: Address; store: Address } | undefined
> {
  const dir = Deno.env.get("VRAINDEX_RAIN_CODE_DIR");
  if (!dir) return undefined;
  const load = (name: string): { address: Address; runtimeCode: Hex } =>
    JSON.parse(Deno.readTextFileSync(`${dir}/${name}.json`));
  const [interpreter, store, parser, deployer] = [
    "Rainterpreter",
    "RainterpreterStore",
    "RainterpreterParser",
    "RainterpreterExpressionDeployer",
  ].map(load);
  const host = createInterpreterHost({
    codeCache: createCodeCache([
      { address: interpreter.address, kind: "interpreter", bytecode: interpreter.runtimeCode },
      { address: store.address, kind: "store", bytecode: store.runtimeCode },
      { address: parser.address, kind: "contract", bytecode: parser.runtimeCode },
      { address: deployer.address, kind: "contract", bytecode: deployer.runtimeCode },
    ]),
  });
  const abi = parseAbi(["function parse2(bytes data) view returns (bytes)"]);
  const data = encodeFunctionData({
    abi,
    functionName: "parse2",
    args: [stringToHex("_ _: 10 get(1);:;")],
  });
  const bytecode = decodeFunctionResult({
    abi,
    functionName: "parse2",
    data: await host.call({ to: deployer.address, data }),
  });
  return { host, bytecode, interpreter: interpreter.address, store: store.address };
}
const real = await realRain();

for (const count of [1, 10, 100]) {
  const scripted = setup(scriptedHost, count);
  await quoteAll(scripted.engine, scripted.hashes);
  Deno.bench({
    name: `scripted host, ${count} order(s)`,
    group: `warm quotes ×${count}`,
    baseline: true,
    async fn() {
      await quoteAll(scripted.engine, scripted.hashes);
    },
  });
  const evm = setup(evmHost(), count);
  await quoteAll(evm.engine, evm.hashes);
  if (real !== undefined) {
    const rain = setup(real.host, count, real);
    await quoteAll(rain.engine, rain.hashes);
    Deno.bench({
      name: `EVM host + Rain's Rainterpreter, ${count} order(s)`,
      group: `warm quotes ×${count}`,
      async fn() {
        await quoteAll(rain.engine, rain.hashes);
      },
    });
  }
  Deno.bench({
    name: `EVM host + fixture interpreter, ${count} order(s)`,
    group: `warm quotes ×${count}`,
    async fn() {
      await quoteAll(evm.engine, evm.hashes);
    },
  });
}

Deno.bench({
  name: "warm EVM quote (1 order)",
  group: "cold first quote",
  baseline: true,
  async fn(b) {
    const warm = setup(evmHost(), 1);
    await quoteAll(warm.engine, warm.hashes);
    b.start();
    await quoteAll(warm.engine, warm.hashes);
    b.end();
  },
});

Deno.bench({
  name: "cold: new EVM host + engine, first quote",
  group: "cold first quote",
  async fn(b) {
    b.start();
    const cold = setup(evmHost(), 1);
    await quoteAll(cold.engine, cold.hashes);
    b.end();
  },
});

// 1,000 distinct orders (160-byte bytecode, one IO each side), fresh objects per iteration.
function benchOrders(): OrderV4[] {
  return Array.from({ length: 1000 }, (_, n) => ({
    owner: "0x00000000000000000000000000000000000000C3",
    evaluable: { interpreter: INTERPRETER, store: STORE, bytecode: `0x${"01".repeat(160)}` },
    validInputs: [{ token: TOKEN_A, vaultId: `0x${"0".repeat(63)}1` }],
    validOutputs: [{
      token: TOKEN_A.replace("1", "2") as Address,
      vaultId: `0x${"0".repeat(63)}1`,
    }],
    nonce: `0x${n.toString(16).padStart(64, "0")}`,
  }));
}

Deno.bench({
  name: "orderHash (viem keccak) ×1000",
  group: "add 1000 orders",
  baseline: true,
  fn(b) {
    const orders = benchOrders();
    b.start();
    for (const order of orders) orderHash(order);
    b.end();
  },
});

Deno.bench({
  name: "applyMutations setOrders ×1000 (one block each)",
  group: "add 1000 orders",
  fn(b) {
    const engine = createVirtualRaindex({ orderbook: ORDERBOOK, host: scriptedHost });
    const blocks: RaindexMutation[][] = benchOrders().map((order) => [
      { type: "setOrders", orders: [order] },
    ]);
    b.start();
    for (const mutations of blocks) applyMutations(engine, mutations);
    b.end();
  },
});
