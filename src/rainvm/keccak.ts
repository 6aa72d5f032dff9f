/**
 * Keccak-256 (the pre-standard padding Ethereum uses) straight from hex to hex, written for the
 * evaluator's hot path: `hash` and the memory KV's list choice hash one to a few 32-byte words per
 * call, where a general-purpose byte-array implementation spends most of its time converting.
 * Lanes are kept as 32-bit halves; round constants and rotation offsets are derived at load time
 * from the Keccak specification (the LFSR and the (x, y) → (y, 2x + 3y) walk).
 *
 * @module
 */
import type { Hex } from "viem";

const RATE_BYTES = 136;
const ROUNDS = 24;

// Round constants ι: bit 2^j − 1 of RC[i] is rc(j + 7i), rc being the LFSR x^8 + x^6 + x^5 + x^4 + 1.
const RC_LO = new Int32Array(ROUNDS);
const RC_HI = new Int32Array(ROUNDS);
{
  let r = 1;
  const rcBit = (): number => {
    const bit = r & 1;
    r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
    return bit;
  };
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < 7; j++) {
      if (rcBit()) {
        const position = (1 << j) - 1;
        if (position < 32) RC_LO[i] |= 1 << position;
        else RC_HI[i] |= 1 << (position - 32);
      }
    }
  }
}

// Rotation offsets ρ and the lane permutation π, indexed by x + 5y.
const ROTATION = new Uint8Array(25);
const PI_TARGET = new Uint8Array(25);
{
  let x = 1, y = 0;
  for (let t = 0; t < 24; t++) {
    ROTATION[x + 5 * y] = (((t + 1) * (t + 2)) / 2) % 64;
    const nx = y, ny = (2 * x + 3 * y) % 5;
    x = nx;
    y = ny;
  }
  for (let px = 0; px < 5; px++) {
    for (let py = 0; py < 5; py++) PI_TARGET[px + 5 * py] = py + 5 * ((2 * px + 3 * py) % 5);
  }
}

const lo = new Int32Array(25);
const hi = new Int32Array(25);
const bLo = new Int32Array(25);
const bHi = new Int32Array(25);
const cLo = new Int32Array(5);
const cHi = new Int32Array(5);

// Per-lane ρ/π plan: target lane, and shift amounts for the (possibly swapped) halves.
const RHO_TARGET = new Uint8Array(25);
const RHO_SWAP = new Uint8Array(25);
const RHO_SHIFT = new Uint8Array(25);
for (let i = 0; i < 25; i++) {
  RHO_TARGET[i] = PI_TARGET[i];
  RHO_SWAP[i] = ROTATION[i] >= 32 ? 1 : 0;
  RHO_SHIFT[i] = ROTATION[i] % 32;
}

const LANE_X = Uint8Array.from({ length: 25 }, (_, i) => i % 5);

function permute(): void {
  for (let round = 0; round < ROUNDS; round++) {
    // θ
    const c0l = lo[0] ^ lo[5] ^ lo[10] ^ lo[15] ^ lo[20];
    const c1l = lo[1] ^ lo[6] ^ lo[11] ^ lo[16] ^ lo[21];
    const c2l = lo[2] ^ lo[7] ^ lo[12] ^ lo[17] ^ lo[22];
    const c3l = lo[3] ^ lo[8] ^ lo[13] ^ lo[18] ^ lo[23];
    const c4l = lo[4] ^ lo[9] ^ lo[14] ^ lo[19] ^ lo[24];
    const c0h = hi[0] ^ hi[5] ^ hi[10] ^ hi[15] ^ hi[20];
    const c1h = hi[1] ^ hi[6] ^ hi[11] ^ hi[16] ^ hi[21];
    const c2h = hi[2] ^ hi[7] ^ hi[12] ^ hi[17] ^ hi[22];
    const c3h = hi[3] ^ hi[8] ^ hi[13] ^ hi[18] ^ hi[23];
    const c4h = hi[4] ^ hi[9] ^ hi[14] ^ hi[19] ^ hi[24];
    cLo[0] = c4l ^ ((c1l << 1) | (c1h >>> 31));
    cHi[0] = c4h ^ ((c1h << 1) | (c1l >>> 31));
    cLo[1] = c0l ^ ((c2l << 1) | (c2h >>> 31));
    cHi[1] = c0h ^ ((c2h << 1) | (c2l >>> 31));
    cLo[2] = c1l ^ ((c3l << 1) | (c3h >>> 31));
    cHi[2] = c1h ^ ((c3h << 1) | (c3l >>> 31));
    cLo[3] = c2l ^ ((c4l << 1) | (c4h >>> 31));
    cHi[3] = c2h ^ ((c4h << 1) | (c4l >>> 31));
    cLo[4] = c3l ^ ((c0l << 1) | (c0h >>> 31));
    cHi[4] = c3h ^ ((c0h << 1) | (c0l >>> 31));
    // θ applied, then ρ and π; lane 0 is the only one that does not rotate.
    bLo[0] = lo[0] ^ cLo[0];
    bHi[0] = hi[0] ^ cHi[0];
    for (let i = 1; i < 25; i++) {
      const x = LANE_X[i];
      const l0 = lo[i] ^ cLo[x], h0 = hi[i] ^ cHi[x];
      const swap = RHO_SWAP[i] === 1;
      const l = swap ? h0 : l0, h = swap ? l0 : h0;
      const n = RHO_SHIFT[i], m = 32 - n, target = RHO_TARGET[i];
      bLo[target] = (l << n) | (h >>> m);
      bHi[target] = (h << n) | (l >>> m);
    }
    // χ
    for (let y = 0; y < 25; y += 5) {
      const l0 = bLo[y], l1 = bLo[y + 1], l2 = bLo[y + 2], l3 = bLo[y + 3], l4 = bLo[y + 4];
      const h0 = bHi[y], h1 = bHi[y + 1], h2 = bHi[y + 2], h3 = bHi[y + 3], h4 = bHi[y + 4];
      lo[y] = l0 ^ (~l1 & l2);
      lo[y + 1] = l1 ^ (~l2 & l3);
      lo[y + 2] = l2 ^ (~l3 & l4);
      lo[y + 3] = l3 ^ (~l4 & l0);
      lo[y + 4] = l4 ^ (~l0 & l1);
      hi[y] = h0 ^ (~h1 & h2);
      hi[y + 1] = h1 ^ (~h2 & h3);
      hi[y + 2] = h2 ^ (~h3 & h4);
      hi[y + 3] = h3 ^ (~h4 & h0);
      hi[y + 4] = h4 ^ (~h0 & h1);
    }
    // ι
    lo[0] ^= RC_LO[round];
    hi[0] ^= RC_HI[round];
  }
}

const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = NIBBLE[65 + i] = 10 + i;
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

function absorbByte(position: number, byte: number): void {
  const lane = position >> 3, shift = (position & 3) << 3;
  if ((position & 7) < 4) lo[lane] ^= byte << shift;
  else hi[lane] ^= byte << shift;
}

/**
 * `keccak256` of the bytes `hex` encodes, as lowercase hex. Same result as viem's `keccak256`.
 *
 * @param hex `0x`-prefixed hex of whole bytes (any case).
 * @returns The 32-byte digest.
 * @example
 * ```ts
 * import { keccak256Hex } from "./keccak.ts";
 * console.log(keccak256Hex("0x")); // 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
 * ```
 */
export function keccak256Hex(hex: string): Hex {
  lo.fill(0);
  hi.fill(0);
  const length = (hex.length - 2) >> 1;
  let position = 0;
  for (let i = 0; i < length; i++) {
    const h = NIBBLE[hex.charCodeAt(2 + 2 * i)], l = NIBBLE[hex.charCodeAt(3 + 2 * i)];
    if (h < 0 || l < 0) throw new TypeError(`keccak256Hex: not hex: ${hex.slice(0, 80)}`);
    absorbByte(position, (h << 4) | l);
    if (++position === RATE_BYTES) {
      permute();
      position = 0;
    }
  }
  absorbByte(position, 0x01);
  absorbByte(RATE_BYTES - 1, 0x80);
  permute();
  let out = "0x";
  for (let lane = 0; lane < 4; lane++) {
    const l = lo[lane], h = hi[lane];
    out += HEX_BYTE[l & 0xff] + HEX_BYTE[(l >>> 8) & 0xff] + HEX_BYTE[(l >>> 16) & 0xff] +
      HEX_BYTE[l >>> 24] + HEX_BYTE[h & 0xff] + HEX_BYTE[(h >>> 8) & 0xff] +
      HEX_BYTE[(h >>> 16) & 0xff] + HEX_BYTE[h >>> 24];
  }
  return out as Hex;
}
