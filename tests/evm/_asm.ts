/**
 * A tiny EVM assembler for hand-written test contracts: opcode names, `PUSH` of numbers/hex with the
 * smallest width (or a fixed width), and labels resolved to 2-byte `PUSH2` offsets.
 */
import { type Hex, toHex } from "viem";

const OPS: Record<string, number> = {
  STOP: 0x00,
  ADD: 0x01,
  MUL: 0x02,
  SUB: 0x03,
  LT: 0x10,
  GT: 0x11,
  EQ: 0x14,
  ISZERO: 0x15,
  AND: 0x16,
  SHL: 0x1b,
  SHR: 0x1c,
  KECCAK256: 0x20,
  ADDRESS: 0x30,
  CALLER: 0x33,
  CALLDATALOAD: 0x35,
  CALLDATASIZE: 0x36,
  CALLDATACOPY: 0x37,
  CODECOPY: 0x39,
  EXTCODESIZE: 0x3b,
  RETURNDATASIZE: 0x3d,
  RETURNDATACOPY: 0x3e,
  TIMESTAMP: 0x42,
  NUMBER: 0x43,
  CHAINID: 0x46,
  POP: 0x50,
  MLOAD: 0x51,
  MSTORE: 0x52,
  JUMP: 0x56,
  JUMPI: 0x57,
  GAS: 0x5a,
  JUMPDEST: 0x5b,
  PUSH0: 0x5f,
  DUP1: 0x80,
  DUP2: 0x81,
  DUP3: 0x82,
  SWAP1: 0x90,
  CALL: 0xf1,
  RETURN: 0xf3,
  STATICCALL: 0xfa,
  REVERT: 0xfd,
  INVALID: 0xfe,
};

/** One assembly item: an opcode name, a push, a label definition or a label reference. */
export type AsmItem =
  | string
  | { push: bigint | number | Hex; width?: number }
  | { label: string }
  | { ref: string };

/** Assembles items into runtime bytecode hex. */
export function assemble(items: readonly AsmItem[]): Hex {
  const labels = new Map<string, number>();
  const refs: { at: number; name: string }[] = [];
  const out: number[] = [];
  for (const item of items) {
    if (typeof item === "string") {
      const op = OPS[item];
      if (op === undefined) throw new Error(`asm: unknown op ${item}`);
      out.push(op);
    } else if ("label" in item) {
      labels.set(item.label, out.length);
      out.push(OPS.JUMPDEST);
    } else if ("ref" in item) {
      out.push(0x61);
      refs.push({ at: out.length, name: item.ref });
      out.push(0, 0);
    } else {
      const value = typeof item.push === "string" ? BigInt(item.push) : BigInt(item.push);
      let hex = value.toString(16);
      if (hex.length % 2) hex = `0${hex}`;
      const width = item.width ?? Math.max(1, hex.length / 2);
      hex = hex.padStart(width * 2, "0");
      if (width > 32 || hex.length > width * 2) throw new Error("asm: push too wide");
      out.push(0x5f + width);
      for (let i = 0; i < width; i++) out.push(parseInt(hex.slice(i * 2, i * 2 + 2), 16));
    }
  }
  for (const { at, name } of refs) {
    const target = labels.get(name);
    if (target === undefined) throw new Error(`asm: unknown label ${name}`);
    out[at] = target >> 8;
    out[at + 1] = target & 0xff;
  }
  return toHex(Uint8Array.from(out));
}

/** Shorthand for a push item. */
export function push(value: bigint | number | Hex, width?: number): AsmItem {
  return width === undefined ? { push: value } : { push: value, width };
}

/** Code that copies `payload` (appended after the code) to memory and returns it. */
export function returnsData(payload: Hex): Hex {
  const length = (payload.length - 2) / 2;
  const head = (offset: number) =>
    assemble([
      push(length, 2),
      push(offset, 2),
      push(0),
      "CODECOPY",
      push(length, 2),
      push(0),
      "RETURN",
    ]);
  const size = (head(0).length - 2) / 2;
  return `${head(size)}${payload.slice(2)}` as Hex;
}

/** Code that reverts with `data` (appended after the code). */
export function revertsWith(data: Hex): Hex {
  const length = (data.length - 2) / 2;
  const head = (offset: number) =>
    assemble([
      push(length, 2),
      push(offset, 2),
      push(0),
      "CODECOPY",
      push(length, 2),
      push(0),
      "REVERT",
    ]);
  const size = (head(0).length - 2) / 2;
  return `${head(size)}${data.slice(2)}` as Hex;
}

/**
 * Items that return `abi.encode(bytes32[] stack, bytes32[] writes)` built from words already in
 * memory: each stack/write word is given as a memory offset to `MLOAD`. Uses memory from 0x400.
 */
export function returnEval4FromMemory(
  stackOffsets: readonly number[],
  writeOffsets: readonly number[],
): AsmItem[] {
  const base = 0x400;
  const items: AsmItem[] = [];
  const store = (value: AsmItem[], at: number) => items.push(...value, push(at, 2), "MSTORE");
  const writesHead = 0x40 + 0x20 * (1 + stackOffsets.length);
  store([push(0x40)], base);
  store([push(writesHead, 2)], base + 0x20);
  store([push(stackOffsets.length)], base + 0x40);
  stackOffsets.forEach((offset, i) => store([push(offset, 2), "MLOAD"], base + 0x60 + 0x20 * i));
  const w = base + writesHead;
  store([push(writeOffsets.length)], w);
  writeOffsets.forEach((offset, i) => store([push(offset, 2), "MLOAD"], w + 0x20 + 0x20 * i));
  const total = writesHead + 0x20 * (1 + writeOffsets.length);
  items.push(push(total, 2), push(base, 2), "RETURN");
  return items;
}
