/**
 * The interpreter host seam: what the engine asks of any back end that runs Rain bytecode (the
 * reference `@ethereumjs/evm` host, the native evaluator, or a verifying pair of both).
 */
import type { Address, Hex } from "viem";

/** Block environment an evaluation runs in. */
export type EvalEnv = {
  /** Chain id reported by `CHAINID` (and Rain's `chain-id` word). */
  readonly chainId: bigint;
  /** Block number reported by `NUMBER` (Rain's `block-number`). */
  readonly blockNumber: bigint;
  /** Block timestamp in seconds reported by `TIMESTAMP` (Rain's `block-timestamp`). */
  readonly timestamp: bigint;
};

/**
 * One `IInterpreterV4.eval4` call: the `EvalV4` struct plus the interpreter it is sent to. Hex words
 * are 32-byte `0x…` strings.
 */
export type EvalRequest = {
  /** Interpreter contract address (its code comes from the code cache). */
  readonly interpreter: Address;
  /** Store contract address the interpreter reads through `get`. */
  readonly store: Address;
  /** Fully qualified namespace (`keccak256(abi.encode(stateNamespace, orderbook))`) as uint256. */
  readonly namespace: bigint;
  /** Rain bytecode as produced by the parser. */
  readonly bytecode: Hex;
  /** Source to run (calculate-io 0, handle-io 1, post task 0). */
  readonly sourceIndex: number;
  /** Context matrix, column-major: `context[column][row]`. */
  readonly context: readonly (readonly Hex[])[];
  /** Inputs of the source (empty for the orderbook's calls). */
  readonly inputs: readonly Hex[];
  /** Flat key/value pairs pre-loaded into the interpreter's state (empty for the orderbook). */
  readonly stateOverlay: readonly Hex[];
  /**
   * Address the interpreter sees as `msg.sender` (the orderbook). Stores qualify namespaces by
   * their caller, so it matters for external reads only; defaults to the zero address.
   */
  readonly caller?: Address;
};

/** What `eval4` returns: the final stack (top first, as the interpreter returns it) and writes. */
export type EvalResult = {
  /** Stack items, top of stack first (`stack[0]` is the last value pushed). */
  readonly stack: readonly Hex[];
  /** Flat key/value pairs the orderbook would pass to `store.set` afterwards. */
  readonly writes: readonly Hex[];
};

/**
 * Read access to the virtual interpreter store, keyed like the real store: `(store, fqn, key)`. An
 * unset key reads as the zero word.
 */
export type StoreReader = {
  /** Value at `(store, namespace, key)`; zero word when never set. */
  get(store: Address, namespace: bigint, key: Hex): Hex;
};

/**
 * Source of state outside the orderbook and its store: extern words, oracles, token balances. The
 * default has none; a later wave plugs in an RPC-backed source pinned at a block and the engine's
 * token model (V6 vaultless orders).
 */
export type ExternalState = {
  /**
   * Answers a CALL/STATICCALL from inside an evaluation to `to` with `data`. Returns the return
   * data, or throws `ExternalStateUnavailableError` (or a revert) when it cannot.
   */
  call(request: ExternalCallRequest): Promise<ExternalCallResult> | ExternalCallResult;
};

/** A call the interpreter made to a contract the host does not own. */
export type ExternalCallRequest = {
  readonly to: Address;
  readonly from: Address;
  readonly data: Hex;
  readonly env: EvalEnv;
};

/** The answer of an external call: return data and whether it reverted. */
export type ExternalCallResult = {
  readonly returnData: Hex;
  readonly reverted?: boolean;
};

/**
 * Anything that can run `IInterpreterV4.eval4` for the engine. Implementations: the EVM host
 * (`createInterpreterHost`), the native evaluator, and the verifying host.
 */
export type InterpreterHost = {
  /** Runs one evaluation against the virtual store `store`. Rejects with typed errors. */
  eval4(request: EvalRequest, env: EvalEnv, store: StoreReader): Promise<EvalResult>;
  /** Runs several evaluations in order (same store view for all); results in request order. */
  evalMany(
    requests: readonly EvalRequest[],
    env: EvalEnv,
    store: StoreReader,
  ): Promise<EvalResult[]>;
};
