/**
 * Seeded random Rain programs for differential tests: expression trees over a set of words,
 * emitted either as ops (for `encodeRainBytecode`) or as Rainlang text (for the real parser).
 */
import type { Hex } from "viem";
import type { RainOp } from "../../src/rainvm/mod.ts";
import { intOrAString, op, OPCODE, word } from "./_programs.ts";
import { prng } from "../_helpers/prng.ts";
export { prng };

type Node =
  | { kind: "leaf"; text: string; op: (constants: Hex[]) => RainOp }
  | { kind: "word"; name: string; opcode: number; operand: number; args: Node[]; angle?: string };

/** Words a generated tree may use, with their arity range. */
export type WordSpec = {
  readonly name: string;
  readonly opcode: number;
  readonly min: number;
  readonly max: number;
  /** Operand (low 16 bits) and its Rainlang `<…>` form, if the word takes one. */
  readonly operand?: (random: () => number) => { value: number; text: string };
};

/** Fixture-table words (everything `FixtureInterpreter` runs except external calls). */
export const FIXTURE_TREE_WORDS: readonly WordSpec[] = [
  { name: "bitwise-and", opcode: OPCODE.bitwiseAnd, min: 2, max: 2 },
  { name: "bitwise-or", opcode: OPCODE.bitwiseOr, min: 2, max: 2 },
  { name: "bitwise-count-ones", opcode: OPCODE.bitwiseCountOnes, min: 1, max: 1 },
  {
    name: "bitwise-shift-left",
    opcode: OPCODE.shiftLeft,
    min: 1,
    max: 1,
    operand: (r) => {
      const v = 1 + Math.floor(r() * 255);
      return { value: v, text: `<${v}>` };
    },
  },
  {
    name: "bitwise-shift-right",
    opcode: OPCODE.shiftRight,
    min: 1,
    max: 1,
    operand: (r) => {
      const v = 1 + Math.floor(r() * 255);
      return { value: v, text: `<${v}>` };
    },
  },
  { name: "hash", opcode: OPCODE.hash, min: 0, max: 3 },
  { name: "any", opcode: OPCODE.any, min: 1, max: 4 },
  { name: "every", opcode: OPCODE.every, min: 1, max: 4 },
  { name: "binary-equal-to", opcode: OPCODE.binaryEqualTo, min: 2, max: 2 },
  { name: "conditions", opcode: OPCODE.conditions, min: 2, max: 5 },
  { name: "if", opcode: OPCODE.if, min: 3, max: 3 },
  { name: "is-zero", opcode: OPCODE.isZero, min: 1, max: 1 },
  { name: "uint256-add", opcode: OPCODE.uint256Add, min: 2, max: 3 },
  { name: "uint256-sub", opcode: OPCODE.uint256Sub, min: 2, max: 3 },
  { name: "uint256-mul", opcode: OPCODE.uint256Mul, min: 2, max: 3 },
  { name: "uint256-div", opcode: OPCODE.uint256Div, min: 2, max: 3 },
  { name: "get", opcode: OPCODE.get, min: 1, max: 1 },
];

/** Float words of the real table (beyond the fixture's). */
export const FLOAT_TREE_WORDS: readonly WordSpec[] = [
  { name: "add", opcode: OPCODE.add, min: 2, max: 2 },
  { name: "sub", opcode: OPCODE.sub, min: 2, max: 2 },
  { name: "mul", opcode: OPCODE.mul, min: 2, max: 2 },
  { name: "div", opcode: OPCODE.div, min: 2, max: 2 },
  { name: "min", opcode: OPCODE.min, min: 2, max: 4 },
  { name: "max", opcode: OPCODE.max, min: 2, max: 4 },
  { name: "abs", opcode: OPCODE.abs, min: 1, max: 1 },
  { name: "floor", opcode: OPCODE.floor, min: 1, max: 1 },
  { name: "ceil", opcode: OPCODE.ceil, min: 1, max: 1 },
  { name: "frac", opcode: OPCODE.frac, min: 1, max: 1 },
  { name: "inv", opcode: OPCODE.inv, min: 1, max: 1 },
  { name: "headroom", opcode: OPCODE.headroom, min: 1, max: 1 },
  { name: "avg", opcode: OPCODE.avg, min: 2, max: 2 },
  { name: "linear-growth", opcode: OPCODE.linearGrowth, min: 3, max: 3 },
  { name: "equal-to", opcode: OPCODE.equalTo, min: 2, max: 2 },
  { name: "less-than", opcode: OPCODE.lessThan, min: 2, max: 2 },
  { name: "less-than-or-equal-to", opcode: OPCODE.lessThanOrEqualTo, min: 2, max: 2 },
  { name: "greater-than", opcode: OPCODE.greaterThan, min: 2, max: 2 },
  { name: "greater-than-or-equal-to", opcode: OPCODE.greaterThanOrEqualTo, min: 2, max: 2 },
];

/** Leaf values: Rainlang literal text and its word (small integers are the same either way). */
const LEAF_NUMBERS: readonly [string, Hex][] = [
  ["0", word(0)],
  ["1", word(1)],
  ["2", word(2)],
  ["3", word(3)],
  ["10", word(10)],
  ["255", word(255)],
  ["0x05", word(5)],
  ["0xff00", word(0xff00)],
  ["0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", word((1n << 256n) - 1n)],
  ["0x8000000000000000000000000000000000000000000000000000000000000000", word(1n << 255n)],
];

/** Options of a generated tree. */
export type TreeOptions = {
  readonly words: readonly WordSpec[];
  /** Extra Rainlang-only leaves (decimal literals the parser turns into Floats). */
  readonly rainlangLeaves?: readonly string[];
  /** Context shape to draw in-range reads from (occasionally out of range). */
  readonly contextColumns: number;
  readonly contextRows: number;
  readonly maxDepth: number;
  /** Ops mode only: `stack<i>` leaves reading the source's first `stackLeaves` items. */
  readonly stackLeaves?: number;
};

function leaf(random: () => number, options: TreeOptions, forRainlang: boolean): Node {
  if (!forRainlang && options.stackLeaves && random() < 0.3) {
    const index = Math.floor(random() * options.stackLeaves);
    return {
      kind: "leaf",
      text: `stack<${index}>()`,
      op: () => op(OPCODE.stack, 0, 1, index),
    };
  }
  const pick = random();
  if (pick < 0.25) {
    const outOfRange = random() < 0.05;
    const column = outOfRange
      ? options.contextColumns
      : Math.floor(random() * options.contextColumns);
    const row = Math.floor(random() * options.contextRows);
    return {
      kind: "leaf",
      text: `context<${column} ${row}>()`,
      op: () => op(OPCODE.context, 0, 1, (row << 8) | column),
    };
  }
  if (pick < 0.32) {
    const names = [
      ["block-number", OPCODE.blockNumber],
      ["block-timestamp", OPCODE.blockTimestamp],
      ["chain-id", OPCODE.chainId],
      ["now", OPCODE.now],
    ] as const;
    const [name, opcode] = names[Math.floor(random() * names.length)];
    return { kind: "leaf", text: `${name}()`, op: () => op(opcode, 0, 1) };
  }
  if (forRainlang && options.rainlangLeaves && pick < 0.6) {
    const text = options.rainlangLeaves[Math.floor(random() * options.rainlangLeaves.length)];
    return {
      kind: "leaf",
      text,
      op: () => {
        throw new Error("Rainlang-only leaf");
      },
    };
  }
  const [text, value] = LEAF_NUMBERS[Math.floor(random() * LEAF_NUMBERS.length)];
  return {
    kind: "leaf",
    text,
    op: (constants) => {
      let index = constants.indexOf(value);
      if (index < 0) index = constants.push(value) - 1;
      return op(OPCODE.constant, 0, 1, index);
    },
  };
}

function tree(random: () => number, options: TreeOptions, depth: number, rl: boolean): Node {
  if (depth >= options.maxDepth || random() < 0.3) return leaf(random, options, rl);
  const spec = options.words[Math.floor(random() * options.words.length)];
  const n = spec.min + Math.floor(random() * (spec.max - spec.min + 1));
  const operand = spec.operand?.(random);
  const args: Node[] = [];
  for (let i = 0; i < n; i++) args.push(tree(random, options, depth + 1, rl));
  return {
    kind: "word",
    name: spec.name,
    opcode: spec.opcode,
    operand: operand?.value ?? 0,
    angle: operand?.text,
    args,
  };
}

function emit(node: Node, constants: Hex[], out: RainOp[]): void {
  if (node.kind === "leaf") {
    out.push(node.op(constants));
    return;
  }
  // Rain pushes arguments last to first so the first argument ends on top.
  for (let i = node.args.length - 1; i >= 0; i--) emit(node.args[i], constants, out);
  out.push(op(node.opcode, node.args.length, 1, node.operand));
}

function text(node: Node): string {
  if (node.kind === "leaf") return node.text;
  return `${node.name}${node.angle ?? ""}(${node.args.map(text).join(" ")})`;
}

/** A generated single-source program: ops and constants, or Rainlang. */
export type GeneratedProgram = {
  readonly constants: Hex[];
  readonly ops: RainOp[];
  readonly rainlang: string;
};

/**
 * Generates 1–3 output expressions plus optional `set`/`ensure` statements.
 */
export function generateProgram(
  random: () => number,
  options: TreeOptions,
  forRainlang = false,
): GeneratedProgram {
  const constants: Hex[] = [];
  const out: RainOp[] = [];
  const lines: string[] = [];
  const statements = Math.floor(random() * 3);
  for (let s = 0; s < statements; s++) {
    const key = tree(random, options, options.maxDepth - 1, forRainlang);
    const value = tree(random, options, options.maxDepth - 1, forRainlang);
    if (random() < 0.8) {
      if (!forRainlang) {
        emit(value, constants, out);
        emit(key, constants, out);
        out.push(op(OPCODE.set, 2, 0));
      }
      lines.push(`:set(${text(key)} ${text(value)})`);
    } else {
      const reason = "fail";
      if (!forRainlang) {
        let index = constants.indexOf(intOrAString(reason));
        if (index < 0) index = constants.push(intOrAString(reason)) - 1;
        out.push(op(OPCODE.constant, 0, 1, index));
        emit(key, constants, out);
        out.push(op(OPCODE.ensure, 2, 0));
      }
      lines.push(`:ensure(${text(key)} "${reason}")`);
    }
  }
  const outputs = 1 + Math.floor(random() * 3);
  const exprs: string[] = [];
  for (let i = 0; i < outputs; i++) {
    const node = tree(random, options, 0, forRainlang);
    if (!forRainlang) emit(node, constants, out);
    exprs.push(text(node));
  }
  lines.push(`${exprs.map(() => "_").join(" ")}: ${exprs.join(" ")}`);
  return { constants, ops: out, rainlang: `${lines.join(",\n")};` };
}

/**
 * Ops for `count` independent expressions (one stack item each), sharing `constants`.
 */
export function generateExpressions(
  random: () => number,
  options: TreeOptions,
  count: number,
  constants: Hex[],
): RainOp[] {
  const out: RainOp[] = [];
  for (let i = 0; i < count; i++) emit(tree(random, options, 0, false), constants, out);
  return out;
}
