/**
 * The reference interpreter host: runs `IInterpreterV4.eval4` in `@ethereumjs/evm` (Cancun rules or
 * later) with interpreter code from the code cache, store reads answered from the virtual store at
 * the store address, and every other call sent to a pluggable external-state source.
 *
 * @module
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, EVMError, type ExecResult, type PrecompileInput } from "@ethereumjs/evm";
import { Address as EvmAddress } from "@ethereumjs/util";
import {
  type Address,
  bytesToHex,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
  stringToHex,
} from "viem";
import type { CodeCache, CodeEntry } from "./code_cache.ts";
import { decodeEval4ResultBytes, encodeEval4Bytes, STORE_GET_SELECTOR } from "./eval4_abi.ts";
import {
  EvalHaltedError,
  EvalOutOfGasError,
  EvalRevertedError,
  type ExternalStateUnavailableError,
  type MissingBytecodeError,
} from "./errors.ts";
import { externalStateUnavailable } from "./external_state.ts";
import { installEvmPatches, type PatchedEvmState, registerPatchedEvm } from "./patch.ts";
import { decodeRainError } from "../abi/mod.ts";
import type {
  EvalEnv,
  EvalRequest,
  EvalResult,
  ExternalState,
  InterpreterHost,
  StoreReader,
} from "./types.ts";

/** Hardforks the host accepts (Rain's interpreter needs Cancun's `MCOPY`/`PUSH0` at least). */
export type HostHardfork = "cancun" | "prague" | "osaka";

/** Options of `createInterpreterHost`. */
export type CreateInterpreterHostParameters = {
  /** Where interpreter and store code comes from. */
  readonly codeCache: CodeCache;
  /** Answers calls to contracts the host does not own; default: none (typed error). */
  readonly externalState?: ExternalState;
  /** Gas limit of each top-level call; default 30,000,000. */
  readonly gasLimit?: bigint;
  /** EVM rules; default `"cancun"`. */
  readonly hardfork?: HostHardfork;
  /**
   * Addresses known to hold no code on chain, where a call succeeds with empty return data as it
   * does on chain instead of going to the external-state source. Default: Rain's stack tracer
   * (`RAIN_STACK_TRACER`), which the interpreter calls after every source and whose result it
   * ignores.
   */
  readonly emptyAccounts?: readonly Address[];
};

/** A raw call through the host's EVM (e.g. a parser's `parse2` view). */
export type HostCallParameters = {
  /** Called contract; its code must be cached (any kind except `store`). */
  readonly to: Address;
  readonly data: Hex;
  /** `msg.sender`; zero address by default. */
  readonly from?: Address;
  /** Block environment; chain 1, block 0, timestamp 0 by default. */
  readonly env?: EvalEnv;
  /** Store view for store reads during the call; none (zero words) by default. */
  readonly store?: StoreReader;
};

/** The EVM host: an `InterpreterHost` plus raw calls. */
export type EvmInterpreterHost = InterpreterHost & {
  /**
   * Runs a static call and returns its return data; rejects with `EvalRevertedError` (details name
   * the called contract as `interpreter`, source index -1) and the other evaluation errors.
   */
  call(parameters: HostCallParameters): Promise<Hex>;
  /** The gas limit of each top-level call. */
  readonly gasLimit: bigint;
};

/** Errors an evaluation can reject with. */
export type Eval4ErrorType =
  | MissingBytecodeError
  | EvalRevertedError
  | EvalOutOfGasError
  | EvalHaltedError
  | ExternalStateUnavailableError;

const DEFAULT_GAS_LIMIT = 30_000_000n;

/**
 * Rain's stack tracer, `address(uint160(uint256(keccak256("rain.interpreter.stack-tracer.0"))))`
 * (`LibInterpreterState.STACK_TRACER`): an address without code that the interpreter `STATICCALL`s
 * with each source's final stack so off-chain tracers can see it.
 */
export const RAIN_STACK_TRACER: Address = getAddress(
  `0x${keccak256(stringToHex("rain.interpreter.stack-tracer.0")).slice(-40)}`,
);
const ZERO_ADDRESS: Address = "0x0000000000000000000000000000000000000000";
const DEFAULT_ENV: EvalEnv = { chainId: 1n, blockNumber: 0n, timestamp: 0n };
const EMPTY_STORE: StoreReader = {
  get: () => "0x0000000000000000000000000000000000000000000000000000000000000000",
};
const EMPTY = new Uint8Array(0);
const WORD = /^0x[0-9a-fA-F]{64}$/;
const HARDFORKS: Record<HostHardfork, Hardfork> = {
  cancun: Hardfork.Cancun,
  prague: Hardfork.Prague,
  osaka: Hardfork.Osaka,
};

type PrecompileFn = (input: PrecompileInput) => ExecResult | Promise<ExecResult>;
type MessageLike = {
  code?: unknown;
  isCompiled?: boolean;
  chargeCodeAccesses?: boolean;
  codeAddress: EvmAddress;
  caller: EvmAddress;
};
/** What the EVM-side handlers need to know about the call in flight. */
type CallContext = {
  env: EvalEnv;
  store: StoreReader;
  /** First error raised inside a handler; it fails the whole call. */
  failure: unknown;
};
type EvmInstance = {
  evm: Awaited<ReturnType<typeof createEVM>>;
  patch: PatchedEvmState;
  context: CallContext;
  installed: Set<string>;
};

/**
 * Creates the reference interpreter host on `@ethereumjs/evm`. One EVM instance is created lazily
 * and reused by every call; calls are serialized.
 *
 * @param parameters Code cache, external state, gas limit, hardfork.
 * @returns The host.
 * @example
 * ```ts
 * import { createCodeCache, createInterpreterHost } from "./mod.ts";
 * const host = createInterpreterHost({ codeCache: createCodeCache() });
 * console.log(host.gasLimit); // 30000000n
 * ```
 */
export function createInterpreterHost(
  parameters: CreateInterpreterHostParameters,
): EvmInterpreterHost {
  const { codeCache } = parameters;
  const gasLimit = parameters.gasLimit ?? DEFAULT_GAS_LIMIT;
  const hardfork = HARDFORKS[parameters.hardfork ?? "cancun"];
  if (hardfork === undefined) {
    throw new TypeError(`createInterpreterHost: unsupported hardfork '${parameters.hardfork}'`);
  }
  const externalState = parameters.externalState;
  const emptyAccounts = new Set(
    (parameters.emptyAccounts ?? [RAIN_STACK_TRACER]).map((a) => a.toLowerCase()),
  );
  const addresses = new Map<string, EvmAddress>();
  let instance: Promise<EvmInstance> | undefined;
  let tail: Promise<unknown> = Promise.resolve();

  function evmAddress(address: string): EvmAddress {
    const key = address.toLowerCase();
    let value = addresses.get(key);
    if (value === undefined) {
      value = new EvmAddress(hexToBytes(key as Hex));
      addresses.set(key, value);
    }
    return value;
  }

  function exclusive<T>(run: () => Promise<T>): Promise<T> {
    const result = tail.then(run, run);
    tail = result.catch(() => undefined);
    return result;
  }

  async function createInstance(): Promise<EvmInstance> {
    await installEvmPatches();
    const evm = await createEVM({ common: new Common({ chain: Mainnet, hardfork }) });
    const created: EvmInstance = {
      evm,
      patch: registerPatchedEvm(evm, 1n),
      context: { env: DEFAULT_ENV, store: EMPTY_STORE, failure: undefined },
      installed: new Set(),
    };
    const context = created.context;
    // Handlers close over this instance's call context, so they live and die with the instance.
    const storeHandlers = new Map<string, PrecompileFn>();
    // Replaces how the EVM finds the code of a called account: built-in precompiles first (as the
    // library does), then the store handler, cached code, and finally the external-state source.
    // Cached code is handed as the cache's own buffer so the jump analysis cache hits.
    const loadCode = async (message: MessageLike): Promise<void> => {
      if (message.code !== undefined && message.code !== null) return;
      const precompile = evm.getPrecompile(message.codeAddress);
      if (precompile !== undefined) {
        message.code = precompile;
        message.isCompiled = true;
        return;
      }
      const address = message.codeAddress.toString();
      const entry = codeCache.get(address);
      if (entry?.kind === "store") {
        message.code = storeHandler(entry);
        message.isCompiled = true;
        return;
      }
      if (entry !== undefined) {
        await install(created, entry);
        message.code = entry.bytes;
        message.isCompiled = false;
        return;
      }
      if (emptyAccounts.has(address)) {
        // An account without code: the EVM returns success with no data, as on chain.
        message.code = EMPTY;
        message.isCompiled = false;
        return;
      }
      message.code = externalHandler(getAddress(address), getAddress(message.caller.toString()));
      message.isCompiled = true;
    };
    (evm as unknown as { _loadCode: typeof loadCode })._loadCode = loadCode;

    function storeHandler(entry: CodeEntry): PrecompileFn {
      let handler = storeHandlers.get(entry.address);
      if (handler !== undefined) return handler;
      const store = entry.address;
      handler = (input) => {
        const data = input.data;
        // Only `get(uint256,bytes32)` is answered; anything else reverts, as the real store
        // would for a static call it cannot serve. Short calldata reverts like Solidity's decoder.
        if (data.length < 68 || bytesToHex(data.subarray(0, 4)) !== STORE_GET_SELECTOR) {
          return revertResult(EMPTY);
        }
        try {
          const namespace = BigInt(bytesToHex(data.subarray(4, 36)));
          const key = bytesToHex(data.subarray(36, 68));
          const value = context.store.get(store, namespace, key);
          if (typeof value !== "string" || !WORD.test(value)) {
            throw new TypeError(
              `store reader returned ${String(value)} for ${store}/${namespace}/${key}; ` +
                "expected a 32-byte 0x word",
            );
          }
          return { returnValue: hexToBytes(value), executionGasUsed: 0n };
        } catch (error) {
          context.failure ??= error;
          return revertResult(EMPTY);
        }
      };
      storeHandlers.set(entry.address, handler);
      return handler;
    }

    function externalHandler(to: Address, from: Address): PrecompileFn {
      return async (input) => {
        const request = { to, from, data: bytesToHex(input.data), env: context.env };
        if (externalState === undefined) {
          context.failure ??= externalStateUnavailable(request);
          return revertResult(EMPTY);
        }
        try {
          const answer = await externalState.call(request);
          const returnValue = hexToBytes(answer.returnData);
          return answer.reverted === true
            ? revertResult(returnValue)
            : { returnValue, executionGasUsed: 0n };
        } catch (error) {
          context.failure ??= error;
          return revertResult(EMPTY);
        }
      };
    }
    return created;
  }

  async function installCachedCode(state: EvmInstance): Promise<void> {
    // Every cached account gets its code into state before a call, not only when called: Rain
    // builds read data contracts (e.g. rain.math.float's log tables) with EXTCODECOPY.
    if (state.installed.size === codeCache.size) return;
    for (const entry of codeCache.entries()) await install(state, entry);
  }

  async function install(state: EvmInstance, entry: CodeEntry): Promise<void> {
    // Code is put into state once per address so EXTCODESIZE/EXTCODEHASH see it; execution
    // itself takes the cached buffer from `loadCode`.
    if (state.installed.has(entry.address)) return;
    await state.evm.stateManager.putCode(evmAddress(entry.address), entry.bytes);
    state.installed.add(entry.address);
  }

  async function instanceReady(): Promise<EvmInstance> {
    instance ??= createInstance();
    try {
      return await instance;
    } catch (error) {
      instance = undefined;
      throw error;
    }
  }

  async function run(
    state: EvmInstance,
    to: Address,
    from: Address,
    data: Uint8Array,
    env: EvalEnv,
    store: StoreReader,
    location: { interpreter: Address; sourceIndex: number },
  ): Promise<Uint8Array> {
    const { evm, context } = state;
    await installCachedCode(state);
    context.env = env;
    context.store = store;
    context.failure = undefined;
    state.patch.chainId = env.chainId;
    let result;
    try {
      result = await evm.runCall({
        to: evmAddress(to),
        caller: evmAddress(from),
        data,
        gasLimit,
        isStatic: true,
        skipNonceIncrement: true,
        block: blockOf(env, gasLimit),
      });
      // Warm addresses of this call must not make the next one cheaper: each call starts cold.
      await evm.journal.cleanup();
    } catch (error) {
      // A throw from inside the EVM leaves its journal mid-frame: start a fresh instance next time.
      instance = undefined;
      throw error;
    }
    if (context.failure !== undefined) throw context.failure;
    const exec = result.execResult;
    const where = { ...location, block: env.blockNumber };
    const error = exec.exceptionError;
    if (error === undefined) return exec.returnValue;
    if (error.error === EVMError.errorMessages.REVERT) {
      const revertData = bytesToHex(exec.returnValue);
      const decoded = decodeRainError(revertData);
      throw new EvalRevertedError(
        `${location.interpreter} reverted` +
          (decoded === undefined ? ` with ${revertData}` : ` with ${decoded.name}`) +
          ` (source ${location.sourceIndex}, block ${env.blockNumber})`,
        decoded === undefined
          ? { ...where, data: revertData }
          : { ...where, data: revertData, error: decoded },
      );
    }
    if (error.error === EVMError.errorMessages.OUT_OF_GAS) {
      throw new EvalOutOfGasError(
        `${location.interpreter} ran out of gas at ${gasLimit} (source ${location.sourceIndex}, ` +
          `block ${env.blockNumber})`,
        { ...where, gasLimit },
      );
    }
    throw new EvalHaltedError(
      `${location.interpreter} halted: ${error.error} (source ${location.sourceIndex}, ` +
        `block ${env.blockNumber})`,
      { ...where, reason: error.error },
    );
  }

  async function evalOne(
    state: EvmInstance,
    request: EvalRequest,
    env: EvalEnv,
    store: StoreReader,
  ): Promise<EvalResult> {
    const interpreter = codeCache.require(request.interpreter, "interpreter");
    codeCache.require(request.store, "store");
    await install(state, interpreter);
    const location = { interpreter: interpreter.address, sourceIndex: request.sourceIndex };
    const returned = await run(
      state,
      interpreter.address,
      request.caller ?? ZERO_ADDRESS,
      encodeEval4Bytes(request),
      env,
      store,
      location,
    );
    try {
      return decodeEval4ResultBytes(returned);
    } catch (cause) {
      throw new EvalHaltedError(
        `${interpreter.address} returned data that is not an eval4 result`,
        { ...location, block: env.blockNumber, reason: "malformed eval4 result" },
        { cause },
      );
    }
  }

  return {
    gasLimit,
    eval4(request, env, store) {
      return exclusive(async () => evalOne(await instanceReady(), request, env, store));
    },
    evalMany(requests, env, store) {
      return exclusive(async () => {
        const results: EvalResult[] = [];
        for (const request of requests) {
          results.push(await evalOne(await instanceReady(), request, env, store));
        }
        return results;
      });
    },
    call(call) {
      return exclusive(async () => {
        const state = await instanceReady();
        const entry = codeCache.get(call.to);
        const target = entry === undefined || entry.kind === "store"
          ? codeCache.require(call.to, "contract")
          : entry;
        await install(state, target);
        const returned = await run(
          state,
          target.address,
          call.from ?? ZERO_ADDRESS,
          hexToBytes(call.data),
          call.env ?? DEFAULT_ENV,
          call.store ?? EMPTY_STORE,
          { interpreter: target.address, sourceIndex: -1 },
        );
        return bytesToHex(returned);
      });
    },
  };
}

function revertResult(returnValue: Uint8Array): ExecResult {
  return {
    returnValue,
    executionGasUsed: 0n,
    exceptionError: new EVMError(EVMError.errorMessages.REVERT),
  };
}

const ZERO_COINBASE = new EvmAddress(new Uint8Array(20));
const ZERO_WORD = new Uint8Array(32);

function blockOf(env: EvalEnv, gasLimit: bigint) {
  return {
    header: {
      number: env.blockNumber,
      timestamp: env.timestamp,
      coinbase: ZERO_COINBASE,
      difficulty: 0n,
      prevRandao: ZERO_WORD,
      gasLimit,
      baseFeePerGas: 0n,
      slotNumber: 0n,
      getBlobGasPrice: () => 1n,
    },
  };
}
