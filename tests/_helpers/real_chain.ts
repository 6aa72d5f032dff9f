/**
 * Opt-in harness (TESTING.md § 3b): a local anvil running Rain's **real** Rainterpreter, store,
 * parser, expression deployer and OrderBookV6, put at their deployed addresses with `anvil_setCode`,
 * plus the TOFU token-decimals singleton OrderBookV6 reads decimals from.
 *
 * The runtime code comes from `scripts/rain_code.ts` (folder `$VRAINDEX_RAIN_CODE_DIR`, outside the
 * repository). The TOFU singleton's creation code is read at test time from a local clone of
 * `rainlanguage/rain.tofu.erc20-decimals` (`$VRAINDEX_RAIN_TOFU_GIT`, default the mirror under
 * `/work/.mirror`), deployed on the anvil and its runtime copied to the fixed address; the creation
 * code is cached as `TOFUTokenDecimals.json` in the same folder. Nothing is written into the repo.
 *
 * @module
 */
import assert from "node:assert/strict";
import {
  type Address,
  concat,
  decodeEventLog,
  decodeFunctionResult,
  encodeFunctionData,
  getAddress,
  type Hex,
  keccak256,
  parseAbi,
  stringToHex,
} from "viem";
import {
  erc20TokenAbi,
  interpreterStoreV3Abi,
  orderbookV6Abi,
  orderHash,
  type OrderV4,
} from "../../src/abi/mod.ts";
import { eq, type Float, format } from "../../src/float/mod.ts";
import {
  applyMutations,
  createVirtualRaindex,
  ORDERBOOK_FLOAT_VERSION,
  type RaindexEvent,
  type RaindexMutation,
  type VirtualRaindex,
} from "../../src/engine/mod.ts";
import {
  type CodeCache,
  createCodeCache,
  createInterpreterHost,
  type EvmInterpreterHost,
} from "../../src/evm/mod.ts";
import { git } from "../../scripts/rain_code.ts";
import { type Anvil, startAnvil, type StartAnvilOptions } from "./anvil.ts";

/** Folder with the extracted code, or undefined when the opt-in suite is off. */
export const REAL_CODE_DIR: string | undefined = Deno.env.get("VRAINDEX_RAIN_CODE_DIR") ||
  undefined;

/** One of Rain's contracts as `scripts/rain_code.ts` writes it. */
export type RealContract = {
  readonly name: string;
  readonly address: Address;
  readonly runtimeCode: Hex;
  readonly runtimeCodeHash: Hex;
};

/** The TOFU decimals singleton: fixed address, expected code hash, creation code. */
export type TofuSingleton = {
  readonly address: Address;
  readonly expectedCodeHash: Hex;
  readonly creationCode: Hex;
  /** Where the creation code was read (git dir and commit, or the cache file). */
  readonly source: string;
};

/** A running anvil with Rain's real contracts in place. */
export type RealRaindex = Anvil & {
  readonly orderbook: RealContract;
  readonly interpreter: RealContract;
  readonly store: RealContract;
  readonly parser: RealContract;
  readonly deployer: RealContract;
  readonly tofu: TofuSingleton;
  /** Parses Rainlang to Rain bytecode with the real deployer's `parse2` (an `eth_call`). */
  parseRainlang(text: string): Promise<Hex>;
};

function loadContract(dir: string, name: string): RealContract {
  const parsed = JSON.parse(Deno.readTextFileSync(`${dir}/${name}.json`));
  const runtimeCode = parsed.runtimeCode as Hex;
  if (keccak256(runtimeCode) !== parsed.runtimeCodeHash) {
    throw new Error(`${dir}/${name}.json: runtime code does not hash to runtimeCodeHash`);
  }
  return {
    name,
    address: getAddress(parsed.address),
    runtimeCode,
    runtimeCodeHash: parsed.runtimeCodeHash,
  };
}

/**
 * Reads the TOFU singleton's fixed address, expected code hash and creation code from
 * `src/lib/LibTOFUTokenDecimals.sol` of rain.tofu.erc20-decimals (cached in `dir`).
 *
 * @example
 * ```ts
 * const tofu = await loadTofuSingleton("/work/rain-code");
 * console.log(tofu.address); // 0x200e12D10bb0c5E4a17e7018f0F1161919bb9389
 * ```
 */
export async function loadTofuSingleton(dir: string): Promise<TofuSingleton> {
  const cache = `${dir}/TOFUTokenDecimals.json`;
  try {
    return JSON.parse(Deno.readTextFileSync(cache)) as TofuSingleton;
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  const gitDir = Deno.env.get("VRAINDEX_RAIN_TOFU_GIT") ??
    "/work/.mirror/rainlanguage+rain.tofu.erc20-decimals/repo";
  const path = "src/lib/LibTOFUTokenDecimals.sol";
  const text = await git(gitDir, ["show", `HEAD:${path}`]);
  const commit = (await git(gitDir, ["rev-parse", "HEAD"])).trim();
  const address = text.match(
    /TOFU_DECIMALS_DEPLOYMENT\s*=\s*ITOFUTokenDecimals\((0x[0-9a-fA-F]{40})\)/,
  )
    ?.[1];
  const hash = text.match(/TOFU_DECIMALS_EXPECTED_CODE_HASH\s*=\s*(0x[0-9a-fA-F]{64})/)?.[1];
  const creation = text.match(/TOFU_DECIMALS_EXPECTED_CREATION_CODE\s*=\s*hex"([0-9a-fA-F]+)"/)
    ?.[1];
  if (address === undefined || hash === undefined || creation === undefined) {
    throw new Error(`${gitDir}:${path}: TOFU address, code hash or creation code not found`);
  }
  const tofu: TofuSingleton = {
    address: getAddress(address),
    expectedCodeHash: hash.toLowerCase() as Hex,
    creationCode: `0x${creation.toLowerCase()}`,
    source: `${gitDir} ${commit} ${path}`,
  };
  Deno.writeTextFileSync(cache, JSON.stringify(tofu, null, 2));
  return tofu;
}

const PARSE2 = parseAbi(["function parse2(bytes data) view returns (bytes)"]);

/**
 * Starts anvil (Cancun rules, so the same as the EVM host) with Rain's real contracts at their
 * deployed addresses and the TOFU singleton at its fixed address (deployed from its creation code,
 * runtime copied over, code hash checked against the one OrderBookV6 expects).
 *
 * @example
 * ```ts
 * await using chain = await startRealRaindex();
 * const bytecode = await chain.parseRainlang("_ _: 10 2;:;");
 * ```
 */
export async function startRealRaindex(options: StartAnvilOptions = {}): Promise<RealRaindex> {
  const dir = REAL_CODE_DIR;
  if (dir === undefined) throw new Error("VRAINDEX_RAIN_CODE_DIR is not set");
  const interpreter = loadContract(dir, "Rainterpreter");
  const store = loadContract(dir, "RainterpreterStore");
  const parser = loadContract(dir, "RainterpreterParser");
  const deployer = loadContract(dir, "RainterpreterExpressionDeployer");
  const orderbook = loadContract(dir, "OrderBookV6");
  const tofu = await loadTofuSingleton(dir);
  const anvil = await startAnvil({
    ...options,
    args: ["--hardfork", "cancun", ...(options.args ?? [])],
  });
  try {
    for (const contract of [interpreter, store, parser, deployer, orderbook]) {
      await anvil.rpc("anvil_setCode", [contract.address, contract.runtimeCode]);
    }
    // Deploy the singleton's creation code anywhere, then copy the runtime to the fixed address.
    const hash = await anvil.walletClient.sendTransaction({ data: tofu.creationCode });
    const receipt = await anvil.publicClient.waitForTransactionReceipt({ hash, timeout: 20_000 });
    if (receipt.status !== "success" || !receipt.contractAddress) {
      throw new Error("TOFU singleton deployment failed");
    }
    const runtime = await anvil.publicClient.getCode({ address: receipt.contractAddress });
    if (runtime === undefined || keccak256(runtime) !== tofu.expectedCodeHash) {
      throw new Error(
        `TOFU runtime hash ${runtime && keccak256(runtime)} != expected ${tofu.expectedCodeHash}`,
      );
    }
    await anvil.rpc("anvil_setCode", [tofu.address, runtime]);
    await anvil.mine();
  } catch (error) {
    await anvil.stop();
    throw error;
  }
  const parseRainlang = async (text: string): Promise<Hex> => {
    const data = await anvil.publicClient.call({
      to: deployer.address,
      data: encodeFunctionData({ abi: PARSE2, functionName: "parse2", args: [stringToHex(text)] }),
    });
    if (data.data === undefined) throw new Error("parse2 returned nothing");
    return decodeFunctionResult({ abi: PARSE2, functionName: "parse2", data: data.data });
  };
  return Object.assign(anvil, {
    orderbook,
    interpreter,
    store,
    parser,
    deployer,
    tofu,
    parseRainlang,
  });
}

/** A virtual orderbook rebuilt from the real chain, and what it was built from. */
export type ChainEngine = {
  readonly engine: VirtualRaindex;
  /** The engine's EVM host (for raw calls). */
  readonly host: EvmInterpreterHost;
  readonly codeCache: CodeCache;
  readonly mutations: readonly RaindexMutation[];
  /** Live orders by hash, from `AddOrderV3`/`RemoveOrderV3` logs decoded with the V6 ABI. */
  readonly orders: ReadonlyMap<Hex, OrderV4>;
  readonly blockNumber: bigint;
  readonly timestamp: bigint;
};

/**
 * Builds a V5-rules virtual orderbook for the real OrderBookV6 at `blockNumber`, only from what a
 * sync could see: order bodies from `AddOrderV3` (minus `RemoveOrderV3`) logs, every vault an order
 * names seeded from `vaultBalance2`, token decimals from `decimals()`, interpreter/store code from
 * `eth_getCode`, store values from the store's `Set` logs, env = that block.
 *
 * @example
 * ```ts
 * const { engine } = await virtualRaindexFromChain(chain, await chain.publicClient.getBlockNumber());
 * ```
 */
export async function virtualRaindexFromChain(
  chain: RealRaindex,
  blockNumber: bigint,
  options: {
    /** Other contracts whose code (if any) goes into the code cache as `contract`. */
    readonly extraCode?: readonly Address[];
  } = {},
): Promise<ChainEngine> {
  const client = chain.publicClient;
  const block = await client.getBlock({ blockNumber });
  const logs = await client.getContractEvents({
    address: chain.orderbook.address,
    abi: orderbookV6Abi,
    fromBlock: 0n,
    toBlock: blockNumber,
  });
  const orders = new Map<Hex, OrderV4>();
  const dead = new Set<Hex>();
  for (const log of logs) {
    if (log.eventName === "AddOrderV3") {
      const args = log.args as { orderHash: Hex; order: OrderV4 };
      orders.set(args.orderHash, args.order);
      dead.delete(args.orderHash);
    } else if (log.eventName === "RemoveOrderV3") {
      dead.add((log.args as { orderHash: Hex }).orderHash);
    }
  }
  const live = [...orders].filter(([hash]) => !dead.has(hash)).map(([, order]) => order);
  const codeCache = createCodeCache();
  const tokens = new Set<Address>();
  const vaults = new Map<string, { owner: Address; token: Address; vaultId: Hex }>();
  const stores = new Set<Address>();
  for (const order of orders.values()) {
    for (
      const [address, kind] of [
        [order.evaluable.interpreter, "interpreter"],
        [order.evaluable.store, "store"],
      ] as const
    ) {
      if (codeCache.has(address, kind)) continue;
      const code = await client.getCode({ address, blockNumber });
      if (code === undefined) throw new Error(`no code at ${address}`);
      codeCache.upsert({ address, kind, bytecode: code });
    }
    stores.add(getAddress(order.evaluable.store));
    for (const io of [...order.validInputs, ...order.validOutputs]) {
      tokens.add(getAddress(io.token));
      vaults.set(`${order.owner}/${io.token}/${io.vaultId}`.toLowerCase(), {
        owner: order.owner,
        token: io.token,
        vaultId: io.vaultId,
      });
    }
  }
  for (const address of options.extraCode ?? []) {
    const code = await client.getCode({ address, blockNumber });
    if (code !== undefined && code !== "0x") {
      codeCache.upsert({ address, kind: "contract", bytecode: code });
    }
  }
  const mutations: RaindexMutation[] = [
    {
      type: "setEnv",
      chainId: BigInt(chain.chain.id),
      blockNumber,
      timestamp: block.timestamp,
    },
    { type: "setOrders", orders: live },
  ];
  const decimals: { token: Address; decimals: number }[] = [];
  for (const token of tokens) {
    const value = await client.readContract({
      address: token,
      abi: erc20TokenAbi,
      functionName: "decimals",
      blockNumber,
    });
    decimals.push({ token, decimals: Number(value) });
  }
  mutations.push({ type: "setTokenDecimals", tokens: decimals });
  const deltas = [];
  for (const vault of vaults.values()) {
    const balance = await client.readContract({
      address: chain.orderbook.address,
      abi: orderbookV6Abi,
      functionName: "vaultBalance2",
      args: [vault.owner, vault.token, vault.vaultId],
      blockNumber,
    });
    deltas.push({ ...vault, op: "set" as const, amount: balance as Hex });
  }
  mutations.push({ type: "vaultDeltas", deltas });
  for (const store of stores) {
    const sets = await client.getContractEvents({
      address: store,
      abi: interpreterStoreV3Abi,
      eventName: "Set",
      fromBlock: 0n,
      toBlock: blockNumber,
    });
    for (const log of sets) {
      const { namespace, key, value } = log.args as { namespace: bigint; key: Hex; value: Hex };
      mutations.push({
        type: "applyStore",
        store,
        namespace: `0x${namespace.toString(16).padStart(64, "0")}`,
        kvs: [key, value],
      });
    }
  }
  const host = createInterpreterHost({ codeCache });
  const engine = createVirtualRaindex({
    orderbook: chain.orderbook.address,
    chainId: BigInt(chain.chain.id),
    // OrderBookV6 at rain.orderbook 247b3475d is built with rain.math.float 1cf3969.
    floatVersion: ORDERBOOK_FLOAT_VERSION.v6,
    host,
  });
  applyMutations(engine, mutations);
  return { engine, host, codeCache, mutations, orders, blockNumber, timestamp: block.timestamp };
}

/**
 * A Float rendered for reports (its hex when it does not format).
 *
 * @example
 * ```ts
 * showFloat(`0x${"0".repeat(63)}1`); // "1"
 * ```
 */
export function showFloat(float: Hex): string {
  try {
    return format(float as Float, 30);
  } catch {
    return float;
  }
}

/** A decoded orderbook or store log: `type` is the event name, the rest its arguments. */
export type ChainEvent = Record<string, unknown> & { type: string };

/**
 * Decodes a receipt's orderbook logs (V6 ABI) and store `Set` logs, in log order; other logs (ERC-20
 * transfers) are left out.
 *
 * @example
 * ```ts
 * const added = decodeRaindexLogs(receipt.logs, chain).find((l) => l.type === "AddOrderV3");
 * ```
 */
export function decodeRaindexLogs(
  logs: readonly { address: Address; topics: readonly Hex[]; data: Hex }[],
  chain: RealRaindex,
): ChainEvent[] {
  const out: ChainEvent[] = [];
  for (const log of logs) {
    const address = log.address.toLowerCase();
    const topics = log.topics as [Hex, ...Hex[]];
    if (address === chain.orderbook.address.toLowerCase()) {
      const decoded = decodeEventLog({ abi: orderbookV6Abi, data: log.data, topics });
      out.push({ ...(decoded.args as Record<string, unknown>), type: decoded.eventName });
    } else if (address === chain.store.address.toLowerCase()) {
      const decoded = decodeEventLog({ abi: interpreterStoreV3Abi, data: log.data, topics });
      out.push({ ...(decoded.args as Record<string, unknown>), type: "Set" });
    }
  }
  return out;
}

/** A Float pair with equal value and different bits. */
export type BitDivergence = { what: string; chain: Hex; engine: Hex; value: string };

/** Records chain-vs-engine Float comparisons: value mismatches and bit-only differences. */
export type FloatLedger = {
  /** Records a comparison of the chain's Float with the engine's. */
  compare(what: string, chainValue: Hex, engineValue: Hex): void;
  readonly bits: BitDivergence[];
  readonly values: { what: string; text: string }[];
  /** How many comparisons were recorded. */
  readonly count: number;
  /** Value mismatches whose `what` is not in `known`. */
  unexpectedValues(known: readonly string[]): string[];
};

/**
 * A fresh {@link FloatLedger}.
 *
 * @example
 * ```ts
 * const ledger = createFloatLedger();
 * ledger.compare("x", chainFloat, engineFloat);
 * ```
 */
export function createFloatLedger(): FloatLedger {
  const bits: BitDivergence[] = [];
  const values: { what: string; text: string }[] = [];
  let count = 0;
  return {
    bits,
    values,
    get count() {
      return count;
    },
    compare(what, chainValue, engineValue) {
      count++;
      const c = chainValue.toLowerCase() as Hex;
      const e = engineValue.toLowerCase() as Hex;
      if (!eq(c as Float, e as Float)) {
        values.push({
          what,
          text: `${what}: chain ${showFloat(c)} (${c}) engine ${showFloat(e)} (${e})`,
        });
      } else if (c !== e) {
        bits.push({ what, chain: c, engine: e, value: showFloat(c) });
      }
    },
    unexpectedValues: (known) => values.filter((m) => !known.includes(m.what)).map((m) => m.text),
  };
}

/**
 * Compares the chain's decoded logs with the engine's event list, in order: same event names;
 * `ContextV2` matrices cell by cell (Float cells through the ledger, the rest by bits);
 * `TakeOrderV3`, `AfterClearV2` Floats; `Set` namespace/key and value; `ClearV3` orders and config;
 * skip events' order hash. Throws (node assert) on structural differences.
 *
 * @example
 * ```ts
 * compareEventLists("take 1", decodeRaindexLogs(receipt.logs, chain), result.events, ledger);
 * ```
 */
export function compareEventLists(
  label: string,
  chainEvents: readonly ChainEvent[],
  engineEvents: readonly RaindexEvent[],
  ledger: FloatLedger,
): void {
  const engine = engineEvents as unknown as readonly ChainEvent[];
  assert.deepEqual(
    chainEvents.map((e) => e.type),
    engine.map((e) => e.type),
    `${label}: event sequence`,
  );
  for (const [i, c] of chainEvents.entries()) {
    const e = engine[i];
    const what = `${label} event ${i} ${c.type}`;
    switch (c.type) {
      case "ContextV2": {
        const cm = c.context as Hex[][];
        const em = e.context as Hex[][];
        assert.equal(cm.length, em.length, `${what}: columns`);
        for (const [col, column] of cm.entries()) {
          assert.equal(column.length, em[col].length, `${what}: column ${col} rows`);
          for (const [row, word] of column.entries()) {
            const cell = `${what} context[${col}][${row}]`;
            // Column 2 and rows 3/4 of columns 3/4 hold Floats; the rest are plain words.
            const isFloat = col === 2 || ((col === 3 || col === 4) && row >= 3);
            if (isFloat) ledger.compare(cell, word, em[col][row]);
            else assert.equal(word.toLowerCase(), em[col][row].toLowerCase(), cell);
          }
        }
        break;
      }
      case "TakeOrderV3":
        ledger.compare(`${what} input`, c.input as Hex, e.input as Hex);
        ledger.compare(`${what} output`, c.output as Hex, e.output as Hex);
        assert.equal(
          orderHash((c.config as { order: OrderV4 }).order),
          orderHash((e.config as { order: OrderV4 }).order),
          `${what} order`,
        );
        break;
      case "AfterClearV2": {
        const cs = c.clearStateChange as Record<string, Hex>;
        const es = e.clearStateChange as Record<string, Hex>;
        for (const field of ["aliceOutput", "bobOutput", "aliceInput", "bobInput"]) {
          ledger.compare(`${what} ${field}`, cs[field], es[field]);
        }
        break;
      }
      case "ClearV3":
        assert.equal(orderHash(c.alice as OrderV4), orderHash(e.alice as OrderV4), `${what} alice`);
        assert.equal(orderHash(c.bob as OrderV4), orderHash(e.bob as OrderV4), `${what} bob`);
        assert.deepEqual(c.clearConfig, e.clearConfig, `${what} config`);
        break;
      case "Set":
        assert.equal(c.namespace, e.namespace, `${what} namespace`);
        assert.equal((c.key as Hex).toLowerCase(), (e.key as Hex).toLowerCase(), `${what} key`);
        ledger.compare(`${what} value`, c.value as Hex, e.value as Hex);
        break;
      default:
        assert.equal(c.orderHash, e.orderHash, what);
    }
  }
}

/** The log-tables data contract `LibDecimalFloat.pow`/`sqrt` read with `EXTCODECOPY`. */
export type LogTables = {
  /** `LibDecimalFloat.LOG_TABLES_ADDRESS` of the rain.math.float commit read. */
  readonly address: Address;
  /** Data-contract runtime: `0x00` then the combined tables (rain.datacontract layout). */
  readonly runtimeCode: Hex;
  /** `LOG_TABLES_DATA_CONTRACT_HASH` of that commit (checked against `runtimeCode`). */
  readonly expectedCodeHash: Hex;
  readonly source: string;
};

/**
 * Builds the log-tables data contract from a local clone of rain.math.float at `commit` (default
 * `38dd2ee~1`, the last commit whose `LibDecimalFloat.LOG_TABLES_ADDRESS` is
 * `0x6421E8a2…3593`, the address the Rainterpreter build at rain.interpreter 2780cdd6 reads):
 * `0x00 ‖ LOG_TABLES ‖ LOG_TABLES_SMALL ‖ LOG_TABLES_SMALL_ALT ‖ ANTI_LOG_TABLES ‖
 * ANTI_LOG_TABLES_SMALL ‖ keccak256("LOG_TABLE_DISAMBIGUATOR_1")`, checked against the commit's
 * `LOG_TABLES_DATA_CONTRACT_HASH`. Nothing is written anywhere.
 *
 * @example
 * ```ts
 * const tables = await loadLogTables();
 * await chain.rpc("anvil_setCode", [tables.address, tables.runtimeCode]);
 * ```
 */
export async function loadLogTables(
  commit = Deno.env.get("VRAINDEX_RAIN_FLOAT_COMMIT") ?? "38dd2ee~1",
): Promise<LogTables> {
  const gitDir = Deno.env.get("VRAINDEX_RAIN_FLOAT_GIT") ??
    "/work/.mirror/rainlanguage+rain.math.float/repo";
  const show = (path: string) => git(gitDir, ["show", `${commit}:${path}`]);
  const pointers = await show("src/generated/LogTables.pointers.sol");
  const table = (name: string): Hex => {
    const found = pointers.match(new RegExp(`bytes constant ${name} =\\s*hex"([0-9a-fA-F]*)"`));
    if (found === null) throw new Error(`${commit}: ${name} not found`);
    return `0x${found[1].toLowerCase()}`;
  };
  const address = (await show("src/lib/LibDecimalFloat.sol")).match(
    /LOG_TABLES_ADDRESS\s*=\s*(0x[0-9a-fA-F]{40})/,
  )?.[1];
  const hash = (await show("src/lib/deploy/LibDecimalFloatDeploy.sol")).match(
    /LOG_TABLES_DATA_CONTRACT_HASH\s*=\s*(0x[0-9a-fA-F]{64})/,
  )?.[1];
  if (address === undefined || hash === undefined) {
    throw new Error(`${gitDir} ${commit}: LOG_TABLES_ADDRESS or its code hash not found`);
  }
  const runtimeCode = concat([
    "0x00",
    table("LOG_TABLES"),
    table("LOG_TABLES_SMALL"),
    table("LOG_TABLES_SMALL_ALT"),
    table("ANTI_LOG_TABLES"),
    table("ANTI_LOG_TABLES_SMALL"),
    keccak256(stringToHex("LOG_TABLE_DISAMBIGUATOR_1")),
  ]);
  if (keccak256(runtimeCode) !== hash.toLowerCase()) {
    throw new Error(`log tables hash ${keccak256(runtimeCode)} != ${hash} (${commit})`);
  }
  return {
    address: getAddress(address),
    runtimeCode,
    expectedCodeHash: hash.toLowerCase() as Hex,
    source: `${gitDir} ${commit}`,
  };
}
