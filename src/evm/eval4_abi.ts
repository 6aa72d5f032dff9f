/**
 * ABI of `IInterpreterV4.eval4(EvalV4)` and of the store's `get`, kept minimal and local so the
 * host does not depend on the ABI module.
 *
 * @module
 */
import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { EvalRequest, EvalResult } from "./types.ts";

/** Selector of `eval4(EvalV4)`. */
export const EVAL4_SELECTOR: Hex = "0xd04dfe23";
/** Selector of the store's `get(uint256 namespace, bytes32 key)`. */
export const STORE_GET_SELECTOR: Hex = "0x295f36d7";

/**
 * Encodes the call data of `eval4` for a request as bytes (ABI head/tail layout written directly;
 * viem's `encodeFunctionData` gives the same bytes, checked in the tests, at ~10× the cost).
 *
 * @param request The evaluation.
 * @returns ABI-encoded call data.
 * @example
 * ```ts
 * import { encodeEval4Bytes } from "./mod.ts";
 * const data = encodeEval4Bytes({
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   store: "0x0000000000000000000000000000000000000002",
 *   namespace: 0n, bytecode: "0x", sourceIndex: 0, context: [], inputs: [], stateOverlay: [],
 * });
 * console.log(data.length); // 356
 * ```
 */
export function encodeEval4Bytes(request: EvalRequest): Uint8Array {
  const bytecode = parseHex(request.bytecode, "bytecode");
  const bytecodeSize = 32 + ceil32(bytecode.length);
  let contextSize = 32 + 32 * request.context.length;
  for (const column of request.context) contextSize += 32 + 32 * column.length;
  const inputsSize = 32 + 32 * request.inputs.length;
  const overlaySize = 32 + 32 * request.stateOverlay.length;
  const headSize = 7 * 32;
  const out = new Uint8Array(
    4 + 32 + headSize + bytecodeSize + contextSize + inputsSize + overlaySize,
  );
  out.set(SELECTOR_BYTES, 0);
  const tuple = 4 + 32;
  writeUint(out, 4, 32n);
  writeHex(out, tuple + 12, request.store, 20, "store");
  writeUint(out, tuple + 32, request.namespace);
  let tail = headSize;
  writeUint(out, tuple + 64, BigInt(tail));
  writeUint(out, tuple + 96, BigInt(request.sourceIndex));
  writeUint(out, tuple + tail, BigInt(bytecode.length));
  out.set(bytecode, tuple + tail + 32);
  tail += bytecodeSize;
  writeUint(out, tuple + 128, BigInt(tail));
  // bytes32[][]: length, then one offset per column (relative to the word after the length), then
  // each column as length + words.
  const context = tuple + tail;
  writeUint(out, context, BigInt(request.context.length));
  let columnAt = 32 * request.context.length;
  request.context.forEach((column, i) => {
    writeUint(out, context + 32 + 32 * i, BigInt(columnAt));
    writeWords(out, context + 32 + columnAt, column);
    columnAt += 32 + 32 * column.length;
  });
  tail += contextSize;
  writeUint(out, tuple + 160, BigInt(tail));
  writeWords(out, tuple + tail, request.inputs);
  tail += inputsSize;
  writeUint(out, tuple + 192, BigInt(tail));
  writeWords(out, tuple + tail, request.stateOverlay);
  return out;
}

/**
 * Encodes the call data of `eval4` for a request.
 *
 * @param request The evaluation.
 * @returns ABI-encoded call data.
 * @example
 * ```ts
 * import { encodeEval4 } from "./eval4_abi.ts";
 * const data = encodeEval4({
 *   interpreter: "0x0000000000000000000000000000000000000001",
 *   store: "0x0000000000000000000000000000000000000002",
 *   namespace: 0n, bytecode: "0x", sourceIndex: 0, context: [], inputs: [], stateOverlay: [],
 * });
 * console.log(data.slice(0, 10)); // 0xd04dfe23
 * ```
 */
export function encodeEval4(request: EvalRequest): Hex {
  return bytesToHex(encodeEval4Bytes(request));
}

/**
 * Decodes the return data of `eval4` (`(bytes32[], bytes32[])`) from bytes. Throws a `RangeError`
 * when the data is not a well-formed encoding of that pair.
 *
 * @param data ABI-encoded return data.
 * @returns The evaluation result.
 * @example
 * ```ts
 * import { decodeEval4ResultBytes } from "./mod.ts";
 * import { encodeAbiParameters, hexToBytes } from "viem";
 * const data = encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [[], []]);
 * console.log(decodeEval4ResultBytes(hexToBytes(data))); // { stack: [], writes: [] }
 * ```
 */
export function decodeEval4ResultBytes(data: Uint8Array): EvalResult {
  return { stack: readWords(data, readSize(data, 0)), writes: readWords(data, readSize(data, 32)) };
}

/**
 * Decodes the return data of `eval4` into stack (top first) and writes.
 *
 * @param data ABI-encoded `(bytes32[], bytes32[])`.
 * @returns The evaluation result.
 * @example
 * ```ts
 * import { decodeEval4Result } from "./eval4_abi.ts";
 * import { encodeAbiParameters } from "viem";
 * const data = encodeAbiParameters([{ type: "bytes32[]" }, { type: "bytes32[]" }], [[], []]);
 * console.log(decodeEval4Result(data)); // { stack: [], writes: [] }
 * ```
 */
export function decodeEval4Result(data: Hex): EvalResult {
  return decodeEval4ResultBytes(hexToBytes(data));
}

const SELECTOR_BYTES = hexToBytes(EVAL4_SELECTOR);

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[65 + i] = NIBBLE[97 + i] = 10 + i;

/**
 * Writes `0x` hex of exactly `size` bytes at `at`. Shorter words are refused rather than padded:
 * ABI `bytes32` pads on the right and numbers on the left, and a wrong guess would change the word.
 */
function writeHex(out: Uint8Array, at: number, hex: string, size: number, what: string): void {
  if (typeof hex !== "string" || !hex.startsWith("0x") || hex.length !== 2 + 2 * size) {
    throw new RangeError(`eval4: ${what} ${String(hex)} is not 0x-hex of exactly ${size} bytes`);
  }
  for (let i = 0, j = 2; j < hex.length; i++, j += 2) {
    const high = NIBBLE[hex.charCodeAt(j)] ?? -1;
    const low = NIBBLE[hex.charCodeAt(j + 1)] ?? -1;
    if (high < 0 || low < 0) throw new RangeError(`eval4: ${what} ${hex} is not hex`);
    out[at + i] = (high << 4) | low;
  }
}

function parseHex(hex: string, what: string): Uint8Array {
  if (typeof hex !== "string" || hex.length % 2 !== 0) {
    throw new RangeError(`eval4: ${what} ${String(hex)} is not even-length 0x-hex`);
  }
  const out = new Uint8Array((hex.length - 2) >> 1);
  writeHex(out, 0, hex, out.length, what);
  return out;
}

function ceil32(n: number): number {
  return Math.ceil(n / 32) * 32;
}

function writeUint(out: Uint8Array, at: number, value: bigint): void {
  if (value < 0n || value >= 1n << 256n) throw new RangeError(`eval4: ${value} is not a uint256`);
  const view = new DataView(out.buffer, out.byteOffset + at, 32);
  view.setBigUint64(0, value >> 192n);
  view.setBigUint64(8, value >> 128n);
  view.setBigUint64(16, value >> 64n);
  view.setBigUint64(24, value);
}

function writeWords(out: Uint8Array, at: number, words: readonly Hex[]): void {
  writeUint(out, at, BigInt(words.length));
  words.forEach((word, i) => writeHex(out, at + 32 + 32 * i, word, 32, "word"));
}

/** A uint256 at `at` that must fit a JS index into `data`. */
function readSize(data: Uint8Array, at: number): number {
  if (at + 32 > data.length) throw new RangeError(`eval4 result: truncated at ${at}`);
  for (let i = at; i < at + 24; i++) {
    if (data[i] !== 0) throw new RangeError(`eval4 result: size at ${at} out of range`);
  }
  const view = new DataView(data.buffer, data.byteOffset + at + 24, 8);
  return Number(view.getBigUint64(0));
}

function readWords(data: Uint8Array, offset: number): Hex[] {
  const length = readSize(data, offset);
  if (offset + 32 + 32 * length > data.length) {
    throw new RangeError(`eval4 result: array at ${offset} overruns the data`);
  }
  const words: Hex[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const at = offset + 32 + 32 * i;
    words[i] = bytesToHex(data.subarray(at, at + 32));
  }
  return words;
}
