/**
 * The patch layer over `@ethereumjs/evm` 10.1.3, scoped to the host's own EVM instances (any other
 * EVM in the process keeps the library's behaviour):
 *
 * - **Jump-destination analysis cache.** The library's `Interpreter` re-analyses the whole code of
 *   every frame (valid `JUMPDEST`s, every `PUSH` value as a bigint, an opcode-entry array as long as
 *   the code) the first time a frame jumps. For a 24 KB interpreter that is most of a short call's
 *   cost. The analysis is a pure function of the code bytes and the EVM's opcode table, and the
 *   interpreter only reads it, so it is cached per code buffer (the host always hands the same
 *   buffer for the same cached code).
 * - **Chain id per call.** `CHAINID` reads `Common.chainId()`; the host answers it from the call's
 *   `EvalEnv` instead of building a `Common` per chain id.
 * - **Synchronous step loop.** The library's `Interpreter.run` awaits an `async runStep` for every
 *   opcode (two promises and a microtask per step). The patched loop runs the same steps in the
 *   same order with the same gas accounting, awaiting only opcodes and gas handlers that are
 *   asynchronous (calls, account and storage access). It steps aside (the library's own loop runs)
 *   whenever a feature it does not reproduce is on: EOF code, `step` listeners, debug logging, the
 *   profiler, or EIPs 6800/7864/7928/8037.
 * - **Gas per straight-line run.** Runs of fixed-fee opcodes that cannot observe the gas counter are
 *   charged once on entry when the gas left covers them (see `Segments`).
 * - **`MSTORE`/`MLOAD` without hex round trips.** The library converts words to hex strings and
 *   back (and pads with array spreads); the patch moves the same 32 big-endian bytes with a
 *   `DataView`.
 *
 * `Interpreter` is not exported by the package, so its prototype is reached once through a custom
 * opcode run on a throw-away EVM (a custom opcode's handler receives the run state, which holds the
 * interpreter).
 *
 * @module
 */
import { Common, Hardfork, Mainnet } from "@ethereumjs/common";
import { createEVM, EVMError } from "@ethereumjs/evm";

/** Per-EVM settings the patched methods consult. */
export type PatchedEvmState = {
  /** Chain id `CHAINID` returns for the current call. */
  chainId: bigint;
  /** Jump analyses by code buffer. */
  readonly analyses: WeakMap<Uint8Array, unknown>;
  /** Static-gas segments by code buffer. */
  readonly segments: WeakMap<Uint8Array, Segments>;
  /** False when an EIP the fast loop does not reproduce is active (fixed per EVM). */
  readonly fastLoopEips: boolean;
};

type InterpreterPrototype = {
  _getValidJumpDestinations(this: InterpreterLike, code: Uint8Array): unknown;
  getChainId(this: InterpreterLike): bigint;
  run(this: InterpreterLike, code: Uint8Array, opts?: { pc?: number }): Promise<unknown>;
};
type OpcodeInfo = {
  code: number;
  feeBigInt: bigint;
  dynamicGas: boolean;
  isAsync: boolean;
  isInvalid: boolean;
};
type OpcodeEntry = {
  opcodeInfo: OpcodeInfo;
  opHandler: (runState: RunStateLike, common: unknown) => unknown;
  gasHandler: (runState: RunStateLike, gas: bigint, common: unknown) => bigint | Promise<bigint>;
};
type RunStateLike = {
  programCounter: number;
  opCode: number;
  code: Uint8Array;
  validJumps: Uint8Array;
  cachedPushes: Record<number, bigint>;
  shouldDoJumpAnalysis: boolean;
  gasLeft: bigint;
  stack: { pop(): bigint; popN(n: number): bigint[]; push(value: bigint): void };
  memory: {
    write(offset: number, size: number, value: Uint8Array): void;
    read(offset: number, size: number, avoidCopy?: boolean): Uint8Array;
  };
};
type EvmLike = {
  _opcodeMap: OpcodeEntry[];
  events: { listenerCount(name: string): number };
  DEBUG: boolean;
  _optsCached: { profiler?: { enabled?: boolean } };
  common: { isActivatedEIP(eip: number): boolean };
};
type InterpreterLike = {
  _evm: object;
  _runState: RunStateLike;
  common: unknown;
  useGas(amount: bigint, context?: unknown): void;
  _getValidJumpDestinations(
    code: Uint8Array,
  ): { jumps: Uint8Array; pushes: Record<number, bigint>; opcodesCached: OpcodeEntry[] };
};

const patchedEvms = new WeakMap<object, PatchedEvmState>();
let installed: Promise<void> | undefined;
const MARK = Symbol.for("vraindex.evm.patched");

/**
 * Installs the patch layer once per process (idempotent).
 *
 * @returns Resolves when the `Interpreter` prototype is patched.
 * @example
 * ```ts
 * import { installEvmPatches } from "./patch.ts";
 * await installEvmPatches();
 * ```
 */
export function installEvmPatches(): Promise<void> {
  installed ??= patchInterpreterPrototype();
  return installed;
}

/**
 * Opts an EVM instance into the patched behaviour.
 *
 * @param evm The host's EVM.
 * @param chainId Initial chain id.
 * @returns The mutable per-EVM state (set `chainId` before each call).
 * @example
 * ```ts
 * import { createEVM } from "@ethereumjs/evm";
 * import { installEvmPatches, registerPatchedEvm } from "./patch.ts";
 * await installEvmPatches();
 * const state = registerPatchedEvm(await createEVM(), 1n);
 * state.chainId = 137n;
 * ```
 */
export function registerPatchedEvm(evm: object, chainId: bigint): PatchedEvmState {
  const common = (evm as EvmLike).common;
  const state: PatchedEvmState = {
    chainId,
    analyses: new WeakMap(),
    segments: new WeakMap(),
    fastLoopEips: SLOW_PATH_EIPS.every((eip) => !common.isActivatedEIP(eip)),
  };
  const map = (evm as EvmLike)._opcodeMap;
  const mstore = map[0x52];
  if (mstore?.opcodeInfo.code === 0x52) map[0x52] = { ...mstore, opHandler: fastMstore };
  const mload = map[0x51];
  if (mload?.opcodeInfo.code === 0x51) map[0x51] = { ...mload, opHandler: fastMload };
  patchedEvms.set(evm, state);
  return state;
}

function fastMstore(runState: RunStateLike): void {
  const [offset, word] = runState.stack.popN(2);
  const bytes = new Uint8Array(32);
  const view = new DataView(bytes.buffer);
  // setBigUint64 keeps the low 64 bits of its argument: four writes give the 32-byte big-endian word
  // (most stored words are small memory pointers, which need only the last).
  if (word > 0xffffffffffffffffn) {
    view.setBigUint64(0, word >> 192n);
    view.setBigUint64(8, word >> 128n);
    view.setBigUint64(16, word >> 64n);
  }
  view.setBigUint64(24, word);
  runState.memory.write(Number(offset), 32, bytes);
}

function fastMload(runState: RunStateLike): void {
  const offset = runState.stack.pop();
  const bytes = runState.memory.read(Number(offset), 32, true);
  const view = new DataView(bytes.buffer, bytes.byteOffset, 32);
  const high = view.getBigUint64(0) | view.getBigUint64(8) | view.getBigUint64(16);
  const low = view.getBigUint64(24);
  runState.stack.push(
    high === 0n ? low : (view.getBigUint64(0) << 192n) | (view.getBigUint64(8) << 128n) |
      (view.getBigUint64(16) << 64n) | low,
  );
}

/** EIPs whose per-step bookkeeping the fast loop does not reproduce. */
const SLOW_PATH_EIPS = [3540, 6800, 7864, 7928, 8037];

function canRunFast(evm: EvmLike, state: PatchedEvmState, code: Uint8Array): boolean {
  if (!state.fastLoopEips || code[0] === 0xef) return false;
  if (evm.DEBUG || evm.events.listenerCount("step") > 0) return false;
  return evm._optsCached.profiler?.enabled !== true;
}

const STOP = EVMError.errorMessages.STOP;
const INVALID_OPCODE = EVMError.errorMessages.INVALID_OPCODE;
const OUT_OF_GAS = EVMError.errorMessages.OUT_OF_GAS;

/**
 * Straight-line runs of opcodes whose gas is a fixed fee and that neither read the gas counter nor
 * leave the run (no jumps, calls, memory growth, `GAS`, `STOP`…): `end[start]` is the pc after the
 * run starting at `start` (0 where no run starts) and `cost[start]` the sum of its fees. A run is
 * paid for once on entry when the gas left covers all of it; then no op inside can run out of gas,
 * any other failure inside still consumes all the frame's gas as before, and no op inside can see
 * the difference. Runs start at every `JUMPDEST`, so a jump never lands inside one.
 */
type Segments = { end: Int32Array; cost: bigint[] };

/** Opcodes that end a run although their gas is a fixed fee. */
const RUN_BREAKERS = new Set([0x00, 0x56, 0x57, 0x5a, 0x5e, 0xf3, 0xfd, 0xfe, 0xff]);

function segmentsOf(code: Uint8Array, analysed: OpcodeEntry[]): Segments {
  const end = new Int32Array(code.length);
  const cost: bigint[] = [];
  let start = -1;
  let sum = 0n;
  const close = (at: number) => {
    if (start >= 0) {
      end[start] = at;
      cost[start] = sum;
    }
    start = -1;
  };
  for (let pc = 0; pc < code.length; pc++) {
    // Push data and immediates have no entry in the analysis: they are not instructions.
    const entry = analysed[pc];
    if (entry === undefined) continue;
    const info = entry.opcodeInfo;
    if (code[pc] === 0x5b) close(pc);
    const plain = !info.dynamicGas && !info.isAsync && !info.isInvalid &&
      !RUN_BREAKERS.has(code[pc]);
    if (!plain) {
      close(pc);
      continue;
    }
    if (start < 0) {
      start = pc;
      sum = 0n;
    }
    sum += info.feeBigInt;
  }
  close(code.length);
  return { end, cost };
}

/**
 * The step loop for legacy code: same order as the library's (dynamic gas, invalid check, base and
 * dynamic gas charge, pc advance, handler), but synchronous unless a handler is asynchronous.
 */
async function runFast(
  interpreter: InterpreterLike,
  state: PatchedEvmState,
  code: Uint8Array,
  pc: number | undefined,
): Promise<{ runState: RunStateLike; exceptionError?: unknown }> {
  const runState = interpreter._runState;
  const common = interpreter.common;
  const opcodeMap = (interpreter._evm as EvmLike)._opcodeMap;
  runState.code = code;
  runState.programCounter = pc ?? runState.programCounter;
  if (runState.programCounter !== 0 && runState.programCounter >= code.length) {
    throw new Error("Internal error: program counter not in range");
  }
  let analysed: OpcodeEntry[] | undefined;
  let segments: Segments | undefined;
  /** Ops before this pc are already paid for (inside a run entered at its start). */
  let paidUntil = -1;
  let exceptionError: unknown;
  const length = code.length;
  while (runState.programCounter < length) {
    const counter = runState.programCounter;
    let entry: OpcodeEntry;
    if (analysed === undefined) {
      const byte = code[counter];
      if (byte === 0x56 || byte === 0x57 || byte === 0x5e) {
        // The library analyses jump destinations the first time a jump opcode is reached.
        const analysis = interpreter._getValidJumpDestinations(code);
        runState.validJumps = analysis.jumps;
        runState.cachedPushes = analysis.pushes;
        runState.shouldDoJumpAnalysis = false;
        analysed = analysis.opcodesCached;
        segments = state.segments.get(code);
        if (segments === undefined) {
          segments = segmentsOf(code, analysed);
          state.segments.set(code, segments);
        }
        entry = analysed[counter];
        runState.opCode = entry.opcodeInfo.code;
      } else {
        entry = opcodeMap[byte];
        runState.opCode = byte;
      }
    } else {
      entry = analysed[counter];
      runState.opCode = entry.opcodeInfo.code;
    }
    if (segments !== undefined && counter >= paidUntil) {
      paidUntil = -1;
      const end = segments.end[counter];
      if (end > 0) {
        const cost = segments.cost[counter];
        if (runState.gasLeft >= cost) {
          runState.gasLeft -= cost;
          paidUntil = end;
        }
      }
    }
    try {
      const info = entry.opcodeInfo;
      if (counter >= paidUntil) {
        let gas = info.feeBigInt;
        if (info.dynamicGas) {
          const charged = entry.gasHandler(runState, gas, common);
          gas = typeof charged === "bigint" ? charged : await charged;
        }
        if (info.isInvalid) throw new EVMError(INVALID_OPCODE);
        // Interpreter.useGas without its debug logging (the fast loop never runs in debug mode).
        runState.gasLeft -= gas;
        if (runState.gasLeft < 0n) {
          runState.gasLeft = 0n;
          throw new EVMError(OUT_OF_GAS);
        }
      }
      runState.programCounter++;
      if (info.isAsync) await entry.opHandler(runState, common);
      else entry.opHandler(runState, common);
    } catch (error) {
      if (!isEvmError(error)) throw error;
      if (error.error !== STOP) exceptionError = error;
      // Inside a prepaid run: give back the fees of the ops the failure skipped, so the frame ends
      // with exactly the gas the library's loop would have left.
      if (analysed !== undefined) {
        for (let skipped = runState.programCounter; skipped < paidUntil; skipped++) {
          const fee = analysed[skipped]?.opcodeInfo.feeBigInt;
          if (fee !== undefined) runState.gasLeft += fee;
        }
      }
      break;
    }
  }
  return exceptionError === undefined ? { runState } : { runState, exceptionError };
}

function isEvmError(error: unknown): error is { error: string } {
  return typeof error === "object" && error !== null &&
    (error as { errorType?: string }).errorType === "EVMError";
}

async function patchInterpreterPrototype(): Promise<void> {
  let prototype: InterpreterPrototype | undefined;
  const probe = await createEVM({
    common: new Common({ chain: Mainnet, hardfork: Hardfork.Cancun }),
    customOpcodes: [{
      // 0x0c is unassigned in every hardfork the library knows; the probe EVM is discarded.
      opcode: 0x0c,
      opcodeName: "VRAINDEX_PROBE",
      baseFee: 0,
      logicFunction(runState: unknown) {
        prototype = Object.getPrototypeOf((runState as { interpreter: object }).interpreter);
      },
    }],
  });
  await probe.runCode({ code: Uint8Array.of(0x0c, 0x00), gasLimit: 100_000n });
  if (prototype === undefined || typeof prototype._getValidJumpDestinations !== "function") {
    throw new Error("vraindex evm patch: @ethereumjs/evm Interpreter prototype not reachable");
  }
  const target = prototype as InterpreterPrototype & { [MARK]?: true };
  if (target[MARK]) return;
  const analyse = target._getValidJumpDestinations;
  const chainId = target.getChainId;
  const run = target.run;
  target.run = function (code: Uint8Array, opts: { pc?: number } = {}): Promise<unknown> {
    const evm = this._evm as EvmLike;
    const state = patchedEvms.get(evm);
    if (state === undefined || !canRunFast(evm, state, code)) return run.call(this, code, opts);
    return runFast(this, state, code, opts.pc);
  };
  target._getValidJumpDestinations = function (code: Uint8Array): unknown {
    const state = patchedEvms.get(this._evm);
    if (state === undefined) return analyse.call(this, code);
    let analysis = state.analyses.get(code);
    if (analysis === undefined) {
      analysis = analyse.call(this, code);
      state.analyses.set(code, analysis);
    }
    return analysis;
  };
  target.getChainId = function (): bigint {
    return patchedEvms.get(this._evm)?.chainId ?? chainId.call(this);
  };
  target[MARK] = true;
}
