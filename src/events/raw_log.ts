/**
 * Raw logs entering from outside (RPC responses, files, databases): validated with zod once, at
 * the edge, and turned into {@link RawLog}; and back to JSON.
 *
 * @module
 */
import type { Address, Hex } from "viem";
import { z } from "zod";
import { InvalidRawLogError } from "./errors.ts";
import type { RawLog, RawLogJson } from "./types.ts";

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "expected a 20-byte hex address");
const word = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "expected 32 bytes of hex");
const bytes = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, "expected hex bytes");

// Numbers arrive as JSON numbers, decimal strings (our files), 0x quantities (JSON-RPC) or bigints
// (in-process callers); all mean the same unsigned integer.
const uint = z.union([
  z.bigint().nonnegative(),
  z.number().int().nonnegative().refine(Number.isSafeInteger, "expected a safe integer"),
  z.string().regex(/^(?:[0-9]+|0x[0-9a-fA-F]+)$/, "expected a decimal or 0x quantity"),
]).transform((value) => BigInt(value));

const smallUint = uint.refine((value) => value <= BigInt(Number.MAX_SAFE_INTEGER), {
  message: "expected a safe integer",
}).transform((value) => Number(value));

/**
 * zod schema of a raw log from outside. Accepts numbers as JSON numbers, decimal strings, 0x
 * quantities or bigints, and `blockTimestamp` (as some nodes name it) for `timestamp`; outputs a
 * {@link RawLog}.
 *
 * @example
 * ```ts
 * import { rawLogSchema } from "./raw_log.ts";
 * const log = rawLogSchema.parse({
 *   chainId: 1,
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "0x10",
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: "0x1",
 *   transactionHash: `0x${"11".repeat(32)}`,
 *   transactionIndex: 0,
 *   topics: [`0x${"22".repeat(32)}`],
 *   data: "0x",
 * });
 * console.log(log.blockNumber); // 16n
 * ```
 */
export const rawLogSchema: z.ZodType<RawLog, unknown> = z.object({
  chainId: smallUint,
  address,
  blockNumber: uint,
  blockHash: word,
  logIndex: smallUint,
  transactionHash: word,
  transactionIndex: smallUint,
  topics: z.array(word),
  data: bytes,
  timestamp: uint.optional(),
  blockTimestamp: uint.optional(),
}).transform(({ blockTimestamp, timestamp, ...log }): RawLog => {
  const ts = timestamp ?? blockTimestamp;
  return {
    ...log,
    address: log.address as Address,
    blockHash: log.blockHash as Hex,
    transactionHash: log.transactionHash as Hex,
    topics: log.topics as Hex[],
    data: log.data as Hex,
    ...(ts === undefined ? {} : { timestamp: ts }),
  };
}) as unknown as z.ZodType<RawLog, unknown>;

/** Errors {@link parseRawLogs} and {@link parseRawLog} can raise. */
export type ParseRawLogErrorType = InvalidRawLogError;

/**
 * Validates one raw log from outside.
 *
 * @param input Parsed JSON (or an RPC log object with the chain id added).
 * @returns The typed log.
 * @throws {InvalidRawLogError} Naming the first bad field.
 *
 * @example
 * ```ts
 * import { parseRawLog } from "./raw_log.ts";
 * const log = parseRawLog({
 *   chainId: "1",
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: "12",
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: 0,
 *   transactionHash: `0x${"11".repeat(32)}`,
 *   transactionIndex: 0,
 *   topics: [],
 *   data: "0x",
 *   timestamp: "1700000000",
 * });
 * console.log(log.timestamp); // 1700000000n
 * ```
 */
export function parseRawLog(input: unknown): RawLog {
  return fastRawLog(input) ?? parseWith(rawLogSchema, input);
}

/**
 * Validates an array of raw logs from outside.
 *
 * @param input Parsed JSON: an array of logs.
 * @returns The typed logs, in input order.
 * @throws {InvalidRawLogError} Naming the first bad field (`3.topics.0`).
 *
 * @example
 * ```ts
 * import { parseRawLogs } from "./raw_log.ts";
 * console.log(parseRawLogs([]).length); // 0
 * ```
 */
export function parseRawLogs(input: unknown): RawLog[] {
  if (Array.isArray(input)) {
    const out: RawLog[] = new Array(input.length);
    let clean = true;
    for (let i = 0; i < input.length; i++) {
      const log = fastRawLog(input[i]);
      if (log === undefined) {
        clean = false;
        break;
      }
      out[i] = log;
    }
    if (clean) return out;
  }
  return parseWith(rawLogArraySchema, input);
}

const rawLogArraySchema = z.array(rawLogSchema);

// The fast path: plain checks that accept a subset of what rawLogSchema accepts and build the same
// RawLog. Anything it does not accept (including every malformed log) goes to zod, which decides
// and names the bad field, so errors are unchanged. zod's per-field machinery costs more than the
// ABI decode of a typical log.
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const WORD = /^0x[0-9a-fA-F]{64}$/;
// Hex bytes: an even length and hex digits (a length check and a plain scan beat a pattern that
// pairs the digits).
const HEX = /^0x[0-9a-fA-F]*$/;
const isHexBytes = (value: string): boolean => (value.length & 1) === 0 && HEX.test(value);
const QUANTITY = /^(?:[0-9]+|0x[0-9a-fA-F]+)$/;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function fastUint(value: unknown): bigint | undefined {
  switch (typeof value) {
    case "bigint":
      return value >= 0n ? value : undefined;
    case "number":
      return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : undefined;
    case "string":
      return QUANTITY.test(value) ? BigInt(value) : undefined;
    default:
      return undefined;
  }
}

function fastSmallUint(value: unknown): number | undefined {
  if (typeof value === "number") {
    return Number.isSafeInteger(value) && value >= 0 ? value + 0 : undefined;
  }
  const big = fastUint(value);
  return big === undefined || big > MAX_SAFE ? undefined : Number(big);
}

function fastRawLog(input: unknown): RawLog | undefined {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return undefined;
  const log = input as Record<string, unknown>;
  const chainId = fastSmallUint(log.chainId);
  const blockNumber = fastUint(log.blockNumber);
  const logIndex = fastSmallUint(log.logIndex);
  const transactionIndex = fastSmallUint(log.transactionIndex);
  const { address, blockHash, transactionHash, topics, data } = log;
  if (
    chainId === undefined || blockNumber === undefined || logIndex === undefined ||
    transactionIndex === undefined ||
    typeof address !== "string" || !ADDRESS.test(address) ||
    typeof blockHash !== "string" || !WORD.test(blockHash) ||
    typeof transactionHash !== "string" || !WORD.test(transactionHash) ||
    typeof data !== "string" || !isHexBytes(data) || !Array.isArray(topics)
  ) return undefined;
  const topicsOut: Hex[] = new Array(topics.length);
  for (let i = 0; i < topics.length; i++) {
    const topic = topics[i];
    if (typeof topic !== "string" || !WORD.test(topic)) return undefined;
    topicsOut[i] = topic as Hex;
  }
  let timestamp: bigint | undefined;
  if (log.timestamp !== undefined) {
    timestamp = fastUint(log.timestamp);
    if (timestamp === undefined) return undefined;
  }
  if (log.blockTimestamp !== undefined) {
    const blockTimestamp = fastUint(log.blockTimestamp);
    if (blockTimestamp === undefined) return undefined;
    timestamp ??= blockTimestamp;
  }
  const out: RawLog = {
    chainId,
    address: address as Address,
    blockNumber,
    blockHash: blockHash as Hex,
    logIndex,
    transactionHash: transactionHash as Hex,
    transactionIndex,
    topics: topicsOut,
    data: data as Hex,
  };
  return timestamp === undefined ? out : { ...out, timestamp };
}

function parseWith<T>(schema: z.ZodType<T, unknown>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new InvalidRawLogError({ path: issue.path.join("."), reason: issue.message });
  }
  return result.data;
}

/**
 * A raw log as JSON (bigints as decimal strings), the inverse of {@link parseRawLog}.
 *
 * @param log A typed log.
 * @returns A JSON-safe object.
 *
 * @example
 * ```ts
 * import { parseRawLog, rawLogToJson } from "./raw_log.ts";
 * const json = rawLogToJson({
 *   chainId: 1,
 *   address: "0x00000000000000000000000000000000000000aa",
 *   blockNumber: 12n,
 *   blockHash: `0x${"00".repeat(32)}`,
 *   logIndex: 0,
 *   transactionHash: `0x${"11".repeat(32)}`,
 *   transactionIndex: 0,
 *   topics: [],
 *   data: "0x",
 * });
 * console.log(json.blockNumber, parseRawLog(JSON.parse(JSON.stringify(json))).blockNumber); // "12" 12n
 * ```
 */
export function rawLogToJson(log: RawLog): RawLogJson {
  return {
    chainId: log.chainId,
    address: log.address,
    blockNumber: log.blockNumber.toString(),
    blockHash: log.blockHash,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
    transactionIndex: log.transactionIndex,
    topics: [...log.topics],
    data: log.data,
    ...(log.timestamp === undefined ? {} : { timestamp: log.timestamp.toString() }),
  };
}
