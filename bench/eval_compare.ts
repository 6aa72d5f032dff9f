/**
 * One-run comparison of every way vraindex (or anyone) can evaluate Rain bytecode, side by side on
 * the same programs in the same process, with the targets printed beside the figures:
 *
 * - `native host` — `createNativeHost` (EVM host as fallback).
 * - `tuned EVM host` — `createInterpreterHost` (`src/evm`, patched `@ethereumjs/evm`).
 * - `@ethereumjs/evm as-is, fresh` — a new `createEVM` per call (code put in its state each time).
 * - `@ethereumjs/evm as-is, reused` — one `createEVM` without vraindex's patches, reused.
 * - `anvil eth_call ×1` — one `eth_call` per HTTP request to a local anvil.
 * - `anvil eth_call ×100` — 100 `eth_call`s per JSON-RPC batch request.
 *
 * Programs: `_ _: 10 2;` and a ≥ 10-word expression on vraindex's FixtureInterpreter (no Float
 * words: hash, get/set, every/ensure, if/is-zero, uint256 maths), and — with
 * `VRAINDEX_RAIN_CODE_DIR` set (see `scripts/rain_code.ts`) — `_ _: 10 2;` and a 12-word Float
 * expression on the real Rainterpreter `2780cdd6`, parsed by the real deployer. Then quotes through
 * the engine (EVM host vs native host, 1/10/100 orders) and the per-call overhead of an unknown
 * selector on a ≥ 20 KB contract (tuned host vs a reused `@ethereumjs/evm` as-is).
 *
 * Each figure is the median of several interleaved rounds (every back end measured once per
 * round), so a burst of load on the machine hits all back ends alike. `--quick` runs one short
 * round (CI smoke test: checks every back end answers the same; asserts nothing on time).
 *
 * `deno run -A bench/eval_compare.ts [--quick]`
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import {
  type Address,
  bytesToHex,
  decodeFunctionResult,
  encodeFunctionData,
  type Hex,
  hexToBytes,
  parseAbi,
  stringToHex,
} from "viem";
import interpreterArtifact from "../fixtures/artifacts/FixtureInterpreter.json" with {
  type: "json",
};
import storeArtifact from "../fixtures/artifacts/FixtureStore.json" with { type: "json" };
import type { OrderV4 } from "../src/abi/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  listOrderHashes,
  quote,
  type RaindexMutation,
  type VirtualRaindex,
} from "../src/engine/mod.ts";
import {
  type CodeCache,
  createCodeCache,
  createInterpreterHost,
  decodeEval4ResultBytes,
  encodeEval4Bytes,
  type EvalRequest,
  type EvmInterpreterHost,
  type InterpreterHost,
} from "../src/evm/mod.ts";
import { parse } from "../src/float/mod.ts";
import { createNativeHost, encodeRainBytecode, type RainOp } from "../src/rainvm/mod.ts";
import { assemble, push } from "../tests/evm/_asm.ts";
import { type Anvil, startAnvil } from "../tests/_helpers/anvil.ts";

const QUICK = Deno.args.includes("--quick");
const ROUNDS = QUICK ? 1 : 5;
/** Time per back end per round. */
const ROUND_MS = QUICK ? 40 : 400;
const WARMUP_CALLS = QUICK ? 1 : 20;

const ENV = { chainId: 1n, blockNumber: 0n, timestamp: 0n };
const ZERO_WORD: Hex = `0x${"00".repeat(32)}`;
/** Every store slot reads zero, as on a fresh anvil. */
const STORE_VIEW = { get: (): Hex => ZERO_WORD };
const word = (n: bigint | number): Hex => `0x${BigInt(n).toString(16).padStart(64, "0")}`;
const CONTEXT: Hex[][] = [[word(5), word(3)], [word(7)]];

// ---------------------------------------------------------------------------------------------
// Measurement

type Runner = () => Promise<unknown>;

/** Operations per second of `run` (each call does `opsPerCall` operations) over about `ms`. */
async function rateOf(run: Runner, opsPerCall: number, ms: number): Promise<number> {
  let calls = 0;
  const start = performance.now();
  let now = start;
  do {
    await run();
    calls++;
    now = performance.now();
  } while (now - start < ms);
  return (calls * opsPerCall) / ((now - start) / 1000);
}

type Contender = { name: string; run: Runner; opsPerCall: number };

/** Interleaved rounds; the median rate per contender. */
async function measure(contenders: readonly Contender[]): Promise<Map<string, number>> {
  for (const c of contenders) for (let i = 0; i < WARMUP_CALLS; i++) await c.run();
  const samples = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      samples.get(c.name)!.push(await rateOf(c.run, c.opsPerCall, ROUND_MS));
    }
  }
  const medians = new Map<string, number>();
  for (const [name, rates] of samples) {
    const sorted = [...rates].sort((a, b) => a - b);
    medians.set(name, sorted[Math.floor(sorted.length / 2)]);
  }
  return medians;
}

// ---------------------------------------------------------------------------------------------
// Output

type Row = { group: string; name: string; rate: number; unit: string };
const rows: Row[] = [];
type Target = { what: string; ratio: number; goal: number };
const targets: Target[] = [];

function fmtRate(rate: number): string {
  return rate >= 100 ? Math.round(rate).toLocaleString("en-US") : rate.toFixed(1);
}

function fmtTime(rate: number): string {
  const us = 1e6 / rate;
  return us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(us >= 10 ? 1 : 2)} µs`;
}

function record(group: string, unit: string, medians: Map<string, number>): void {
  for (const [name, rate] of medians) rows.push({ group, name, rate, unit });
  const width = Math.max(...[...medians.keys()].map((n) => n.length));
  console.log(`\n${group}`);
  for (const [name, rate] of medians) {
    console.log(
      `  ${name.padEnd(width)}  ${fmtRate(rate).padStart(12)} ${unit}  ${
        fmtTime(rate).padStart(10)
      } each`,
    );
  }
}

function ratio(group: string, what: string, a: number, b: number, goal?: number): number {
  const r = a / b;
  const mark = goal === undefined
    ? ""
    : r >= goal
    ? `  ✓ target ≥ ${goal}×`
    : `  ✗ target ≥ ${goal}×`;
  console.log(`  → ${what}: ${r >= 10 ? r.toFixed(0) : r.toFixed(2)}×${mark}`);
  if (goal !== undefined) targets.push({ what: `${group} — ${what}`, ratio: r, goal });
  return r;
}

// ---------------------------------------------------------------------------------------------
// Back ends

type PlainEvm = Awaited<ReturnType<typeof createEVM>>;

/** `@ethereumjs/evm` as published: no vraindex patch, code put in its state manager. */
async function plainEvm(code: Record<string, Hex>): Promise<PlainEvm> {
  const evm = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
  });
  for (const [address, bytecode] of Object.entries(code)) {
    await evm.stateManager.putCode(
      new EvmAddress(hexToBytes(address as Hex)),
      hexToBytes(bytecode),
    );
  }
  return evm;
}

const BLOCK = {
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
};

async function plainCall(evm: PlainEvm, to: Address, data: Uint8Array): Promise<Uint8Array> {
  const result = await evm.runCall({
    to: new EvmAddress(hexToBytes(to)),
    data,
    gasLimit: 30_000_000n,
    isStatic: true,
    skipNonceIncrement: true,
    block: BLOCK as never,
  });
  return result.execResult.returnValue;
}

type Rpc = { jsonrpc: "2.0"; id: number; method: string; params: unknown[] };

async function postJson<T>(url: string, body: unknown): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return await response.json() as T;
}

function ethCall(id: number, to: Address, data: Hex): Rpc {
  return { jsonrpc: "2.0", id, method: "eth_call", params: [{ to, data }, "latest"] };
}

/** A program on one interpreter, with everything needed to run it on every back end. */
type Subject = {
  group: string;
  request: EvalRequest;
  code: Record<string, Hex>;
  evm: EvmInterpreterHost;
  native: InterpreterHost & { telemetry: { native: number; fallback: { total: number } } };
};

function sameStack(a: readonly Hex[], b: readonly Hex[], what: string): void {
  if (
    JSON.stringify(a.map((x) => x.toLowerCase())) !== JSON.stringify(b.map((x) => x.toLowerCase()))
  ) {
    throw new Error(`${what}: stacks differ: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  }
}

async function compareEval(subject: Subject, anvil: Anvil): Promise<void> {
  const { request, evm, native, code, group } = subject;
  const to = request.interpreter;
  const calldata = encodeEval4Bytes(request);
  const calldataHex = bytesToHex(calldata);
  // Every back end must give the same stack before any is timed.
  const expected = await evm.eval4(request, ENV, STORE_VIEW);
  const fallbacks = native.telemetry.fallback.total;
  sameStack(
    (await native.eval4(request, ENV, STORE_VIEW)).stack,
    expected.stack,
    `${group} native`,
  );
  if (native.telemetry.fallback.total !== fallbacks) throw new Error(`${group}: native fell back`);
  const reused = await plainEvm(code);
  sameStack(
    decodeEval4ResultBytes(await plainCall(reused, to, calldata)).stack,
    expected.stack,
    `${group} @ethereumjs/evm`,
  );
  const single = await postJson<{ result?: Hex; error?: unknown }>(
    anvil.url,
    ethCall(1, to, calldataHex),
  );
  if (single.result === undefined) {
    throw new Error(`${group}: anvil: ${JSON.stringify(single.error)}`);
  }
  sameStack(
    decodeEval4ResultBytes(hexToBytes(single.result)).stack,
    expected.stack,
    `${group} anvil`,
  );
  const batch = Array.from({ length: 100 }, (_, i) => ethCall(i, to, calldataHex));

  const medians = await measure([
    { name: "native host", opsPerCall: 1, run: () => native.eval4(request, ENV, STORE_VIEW) },
    { name: "tuned EVM host", opsPerCall: 1, run: () => evm.eval4(request, ENV, STORE_VIEW) },
    {
      name: "@ethereumjs/evm as-is, one reused EVM",
      opsPerCall: 1,
      run: () => plainCall(reused, to, calldata),
    },
    {
      name: "@ethereumjs/evm as-is, fresh EVM per call",
      opsPerCall: 1,
      run: async () => plainCall(await plainEvm(code), to, calldata),
    },
    {
      name: "anvil eth_call, 1 per HTTP request",
      opsPerCall: 1,
      run: async () => {
        const answer = await postJson<{ result?: Hex }>(anvil.url, ethCall(1, to, calldataHex));
        if (answer.result === undefined) throw new Error("anvil eth_call failed");
      },
    },
    {
      name: "anvil eth_call, 100 per JSON-RPC batch",
      opsPerCall: 100,
      run: async () => {
        const answers = await postJson<{ result?: Hex }[]>(anvil.url, batch);
        if (answers.length !== 100 || answers[0].result === undefined) {
          throw new Error("anvil batch failed");
        }
      },
    },
  ]);
  record(group, "evals/s", medians);
  const n = medians.get("native host")!;
  const tuned = medians.get("tuned EVM host")!;
  const real = group.startsWith("Rainterpreter");
  ratio(group, "native / anvil ×1", n, medians.get("anvil eth_call, 1 per HTTP request")!, 20);
  ratio(
    group,
    "native / anvil ×100 batch",
    n,
    medians.get("anvil eth_call, 100 per JSON-RPC batch")!,
    3,
  );
  ratio(group, "native / tuned EVM host", n, tuned);
  ratio(
    group,
    "tuned EVM host / as-is reused",
    tuned,
    medians.get("@ethereumjs/evm as-is, one reused EVM")!,
    real ? 1.8 : undefined,
  );
  ratio(
    group,
    "tuned EVM host / as-is fresh",
    tuned,
    medians.get("@ethereumjs/evm as-is, fresh EVM per call")!,
    real ? 1.8 : undefined,
  );
}

// ---------------------------------------------------------------------------------------------
// Programs

const op = (opcode: number, inputs: number, outputs: number, operand = 0): RainOp => ({
  opcode,
  inputs,
  outputs,
  operand,
});
const constant = (i: number) => op(1, 0, 1, i);
const context = (column: number, row: number) => op(3, 0, 1, (row << 8) | column);

function request(interpreter: Address, store: Address, bytecode: Hex): EvalRequest {
  return {
    interpreter,
    store,
    namespace: 1n,
    bytecode,
    sourceIndex: 0,
    context: CONTEXT,
    inputs: [],
    stateOverlay: [],
  };
}

const FIXTURE_INTERPRETER: Address = "0x00000000000000000000000000000000000F1001";
const FIXTURE_STORE: Address = "0x00000000000000000000000000000000000F2002";

/** `_ _: 10 2;`: two constants. */
const FIXTURE_ONE_WORD = encodeRainBytecode({
  constants: [word(10), word(2)],
  sources: [{ ops: [constant(0), constant(1)] }],
});

/**
 * 15 words, none of them Float (the fixture has none):
 * `:set(hash(c00) uint256-add(get(hash(c00)) 1)), :ensure(every(c01 1) ""),
 *  _: if(is-zero(c00) 1 uint256-mul(c00 2));`
 */
const FIXTURE_FIFTEEN_WORDS = encodeRainBytecode({
  constants: [word(1), word(2), `0x${"0".repeat(62)}e0`],
  sources: [{
    ops: [
      constant(0),
      context(0, 0),
      op(12, 1, 1), // hash
      op(70, 1, 1), // get
      op(64, 2, 1), // uint256-add
      context(0, 0),
      op(12, 1, 1), // hash
      op(71, 2, 0), // set
      constant(2),
      constant(0),
      context(0, 1),
      op(32, 2, 1), // every
      op(30, 2, 0), // ensure
      constant(1),
      context(0, 0),
      op(67, 2, 1), // uint256-mul
      constant(0),
      context(0, 0),
      op(36, 1, 1), // is-zero
      op(35, 3, 1), // if
    ],
  }],
});

/** 12 Float words: the outer `add` (9 inputs), `mul` ×2, `div` ×2, `sub` ×2, `max` ×2, `min` ×2, `add`. */
const REAL_FLOAT_EXPRESSION =
  "_: add(mul(div(10 3) sub(7 2.5)) max(1 2) min(3 4) add(0.1 0.2) mul(1.5 2) " +
  "sub(100 0.001) div(1 7) max(0.5 0.25) min(9 8));";

type RainContract = { address: Address; runtimeCode: Hex };

function loadRain(dir: string) {
  const load = (name: string): RainContract =>
    JSON.parse(Deno.readTextFileSync(`${dir}/${name}.json`));
  const [interpreter, store, parser, deployer] = [
    "Rainterpreter",
    "RainterpreterStore",
    "RainterpreterParser",
    "RainterpreterExpressionDeployer",
  ].map(load);
  const codeCache = createCodeCache([
    { address: interpreter.address, kind: "interpreter", bytecode: interpreter.runtimeCode },
    { address: store.address, kind: "store", bytecode: store.runtimeCode },
    { address: parser.address, kind: "contract", bytecode: parser.runtimeCode },
    { address: deployer.address, kind: "contract", bytecode: deployer.runtimeCode },
  ]);
  return { interpreter, store, deployer, codeCache };
}

const PARSE2 = parseAbi(["function parse2(bytes data) view returns (bytes)"]);

async function parseRainlang(host: EvmInterpreterHost, deployer: Address, rainlang: string) {
  const data = encodeFunctionData({
    abi: PARSE2,
    functionName: "parse2",
    args: [stringToHex(rainlang)],
  });
  return decodeFunctionResult({
    abi: PARSE2,
    functionName: "parse2",
    data: await host.call({ to: deployer, data }),
  });
}

function hostsFor(codeCache: CodeCache) {
  const evm = createInterpreterHost({ codeCache });
  const native = createNativeHost({ fallback: evm, codeCache });
  return { evm, native };
}

// ---------------------------------------------------------------------------------------------
// Engine quotes

const ORDERBOOK: Address = "0x00000000000000000000000000000000000000ab";
const TOKEN_A: Address = "0xaaaa000000000000000000000000000000000001";
const TOKEN_B: Address = "0xbbbb000000000000000000000000000000000002";
const TAKER: Address = "0x7a4e400000000000000000000000000000000004";

/** `_ _: 10 get(1);` (calculate-io with one store read) and an empty handle-io. */
const FIXTURE_QUOTE_BYTECODE = encodeRainBytecode({
  constants: [parse("10"), word(1)],
  sources: [{ ops: [constant(0), constant(1), op(70, 1, 1)] }, { ops: [] }],
});

function engineWith(
  host: InterpreterHost,
  count: number,
  evaluable: { bytecode: Hex; interpreter: Address; store: Address },
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
      evaluable,
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

async function compareQuotes(
  label: string,
  codeCache: CodeCache,
  evaluable: { bytecode: Hex; interpreter: Address; store: Address },
): Promise<void> {
  for (const count of [1, 10, 100]) {
    const { evm, native } = hostsFor(codeCache);
    const onEvm = engineWith(evm, count, evaluable);
    const onNative = engineWith(native, count, evaluable);
    await quoteAll(onEvm.engine, onEvm.hashes);
    await quoteAll(onNative.engine, onNative.hashes);
    if (native.telemetry.fallback.total !== 0) throw new Error(`${label}: quotes fell back`);
    const a = await quote(onEvm.engine, {
      orderHash: onEvm.hashes[0],
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    const b = await quote(onNative.engine, {
      orderHash: onNative.hashes[0],
      inputIOIndex: 0n,
      outputIOIndex: 0n,
      counterparty: TAKER,
    });
    if (
      JSON.stringify(a, (_, v) => typeof v === "bigint" ? `${v}` : v) !==
        JSON.stringify(b, (_, v) => typeof v === "bigint" ? `${v}` : v)
    ) {
      throw new Error(`${label}: quotes differ between hosts`);
    }
    const group = `engine quotes, ${label}, ${count} order(s)`;
    const medians = await measure([
      {
        name: "native host",
        opsPerCall: count,
        run: () => quoteAll(onNative.engine, onNative.hashes),
      },
      {
        name: "tuned EVM host",
        opsPerCall: count,
        run: () => quoteAll(onEvm.engine, onEvm.hashes),
      },
    ]);
    record(group, "quotes/s", medians);
    ratio(
      group,
      "native / tuned EVM host",
      medians.get("native host")!,
      medians.get("tuned EVM host")!,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Per-call overhead

/** A selector dispatcher in front of ~24 KB of code: an unknown selector reverts after ~15 steps. */
function bigContract(): Hex {
  const head = assemble([
    push(0),
    "CALLDATALOAD",
    push(0xe0),
    "SHR",
    push("0xd04dfe23"),
    "EQ",
    { ref: "body" },
    "JUMPI",
    push(0),
    push(0),
    "REVERT",
    { label: "body" },
  ]);
  // PUSH2 x POP JUMPDEST: pushes and jump destinations for the code analysis to walk through.
  return `${head}${"61abcd505b".repeat(4_800)}00` as Hex;
}

async function compareOverhead(label: string, host: EvmInterpreterHost, to: Address, code: Hex) {
  const reused = await plainEvm({ [to]: code });
  const data = hexToBytes("0x12345678");
  const group = `per-call overhead, unknown selector, ${label} (${(code.length - 2) / 2} B)`;
  const medians = await measure([
    {
      name: "tuned EVM host",
      opsPerCall: 1,
      run: () => host.call({ to, data: "0x12345678" }).catch(() => undefined),
    },
    {
      name: "@ethereumjs/evm as-is, one reused EVM",
      opsPerCall: 1,
      run: () => plainCall(reused, to, data),
    },
  ]);
  record(group, "calls/s", medians);
  ratio(
    group,
    "per-call overhead as-is / tuned",
    medians.get("tuned EVM host")!,
    medians.get("@ethereumjs/evm as-is, one reused EVM")!,
    10,
  );
}

// ---------------------------------------------------------------------------------------------
// Main

const rainDir = Deno.env.get("VRAINDEX_RAIN_CODE_DIR") || undefined;
const started = performance.now();
const load = Deno.loadavg();
console.log(
  `eval_compare${QUICK ? " --quick" : ""}: ${ROUNDS} round(s) × ${ROUND_MS} ms per back end, ` +
    `median of rounds; ${navigator.hardwareConcurrency} CPUs, load ${
      load.map((x) => x.toFixed(2)).join(" ")
    }` +
    (rainDir === undefined ? "; real Rainterpreter skipped (VRAINDEX_RAIN_CODE_DIR unset)" : ""),
);

const anvil = await startAnvil();
try {
  // Fixture.
  const fixtureCode = {
    [FIXTURE_INTERPRETER]: interpreterArtifact.deployedBytecode as Hex,
    [FIXTURE_STORE]: storeArtifact.deployedBytecode as Hex,
  };
  const fixtureCache = createCodeCache([
    {
      address: FIXTURE_INTERPRETER,
      kind: "interpreter",
      bytecode: fixtureCode[FIXTURE_INTERPRETER],
    },
    { address: FIXTURE_STORE, kind: "store", bytecode: fixtureCode[FIXTURE_STORE] },
  ]);
  for (const [address, code] of Object.entries(fixtureCode)) {
    await anvil.rpc("anvil_setCode", [address, code]);
  }
  const fixture = hostsFor(fixtureCache);
  await compareEval({
    group: "FixtureInterpreter `_ _: 10 2;` (2 constants)",
    request: request(FIXTURE_INTERPRETER, FIXTURE_STORE, FIXTURE_ONE_WORD),
    code: fixtureCode,
    ...fixture,
  }, anvil);
  await compareEval({
    group: "FixtureInterpreter 20 ops / 15 non-Float words (hash, get/set, ensure, uint256)",
    request: request(FIXTURE_INTERPRETER, FIXTURE_STORE, FIXTURE_FIFTEEN_WORDS),
    code: fixtureCode,
    ...fixture,
  }, anvil);

  // Real Rainterpreter.
  let real: ReturnType<typeof loadRain> | undefined;
  if (rainDir !== undefined) {
    real = loadRain(rainDir);
    const code = {
      [real.interpreter.address]: real.interpreter.runtimeCode,
      [real.store.address]: real.store.runtimeCode,
    };
    for (const [address, runtime] of Object.entries(code)) {
      await anvil.rpc("anvil_setCode", [address, runtime]);
    }
    const hosts = hostsFor(real.codeCache);
    const parsed = (rainlang: string) => parseRainlang(hosts.evm, real!.deployer.address, rainlang);
    const rq = async (rainlang: string) =>
      request(real!.interpreter.address, real!.store.address, await parsed(rainlang));
    await compareEval({
      group: "Rainterpreter 2780cdd6 `_ _: 10 2;`",
      request: await rq("_ _: 10 2;"),
      code,
      ...hosts,
    }, anvil);
    await compareEval({
      group: "Rainterpreter 2780cdd6 12-word Float expression (outer add of 9)",
      request: await rq(REAL_FLOAT_EXPRESSION),
      code,
      ...hosts,
    }, anvil);
  }

  // Engine quotes.
  await compareQuotes("FixtureInterpreter `_ _: 10 get(1);`", fixtureCache, {
    bytecode: FIXTURE_QUOTE_BYTECODE,
    interpreter: FIXTURE_INTERPRETER,
    store: FIXTURE_STORE,
  });
  if (real !== undefined) {
    const { evm } = hostsFor(real.codeCache);
    await compareQuotes("Rainterpreter `_ _: 10 get(1);`", real.codeCache, {
      bytecode: await parseRainlang(evm, real.deployer.address, "_ _: 10 get(1);:;"),
      interpreter: real.interpreter.address,
      store: real.store.address,
    });
  }

  // Per-call overhead.
  const BIG: Address = "0x0000000000000000000000000000000000003003";
  const big = bigContract();
  const bigHost = createInterpreterHost({
    codeCache: createCodeCache([{ address: BIG, kind: "contract", bytecode: big }]),
  });
  await compareOverhead("synthetic", bigHost, BIG, big);
  if (real !== undefined) {
    await compareOverhead(
      "Rainterpreter 2780cdd6",
      createInterpreterHost({ codeCache: real.codeCache }),
      real.interpreter.address,
      real.interpreter.runtimeCode,
    );
  }
} finally {
  await anvil.stop();
}

console.log(
  QUICK ? "\nTargets (--quick: one short, cold round — these ratios mean nothing)" : "\nTargets",
);
for (const t of targets) {
  console.log(
    `  ${t.ratio >= t.goal ? "✓" : "✗"} ${t.what}: ${
      t.ratio.toFixed(t.ratio >= 10 ? 0 : 2)
    }× (target ≥ ${t.goal}×)`,
  );
}
const after = Deno.loadavg();
console.log(
  `\n${rows.length} figures in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
    `load after ${after.map((x) => x.toFixed(2)).join(" ")}`,
);
