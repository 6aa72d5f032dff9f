/**
 * Keccak-256 from hex to hex, shared by the hot paths that hash: the engine's order hashes (a rebuild
 * adds tens of thousands of ~700-byte orders) and the native evaluator's `hash` word and key/value
 * bucket choice. The permutation is written out
 * round-body-wise over 32-bit lane halves held in locals, which runs several times faster than a
 * general-purpose byte-array implementation. Round constants are derived at load time from the
 * Keccak specification's LFSR; rotation offsets and the π lane walk are folded into the code.
 *
 * @module
 */
import type { Hex } from "viem";

const RATE_LANES = 17;
const ROUNDS = 24;

// ι round constants: bit 2^j − 1 of RC[i] is rc(j + 7i), rc being the LFSR x^8 + x^6 + x^5 + x^4 + 1.
const RC_LO = new Int32Array(ROUNDS);
const RC_HI = new Int32Array(ROUNDS);
{
  let r = 1;
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < 7; j++) {
      const bit = r & 1;
      r = r & 0x80 ? ((r << 1) ^ 0x71) & 0xff : (r << 1) & 0xff;
      if (bit === 0) continue;
      const position = (1 << j) - 1;
      if (position < 32) RC_LO[i] |= 1 << position;
      else RC_HI[i] |= 1 << (position - 32);
    }
  }
}

const LO = new Int32Array(25);
const HI = new Int32Array(25);

function permute(): void {
  let l0 = LO[0], l1 = LO[1], l2 = LO[2], l3 = LO[3], l4 = LO[4];
  let l5 = LO[5], l6 = LO[6], l7 = LO[7], l8 = LO[8], l9 = LO[9];
  let l10 = LO[10], l11 = LO[11], l12 = LO[12], l13 = LO[13], l14 = LO[14];
  let l15 = LO[15], l16 = LO[16], l17 = LO[17], l18 = LO[18], l19 = LO[19];
  let l20 = LO[20], l21 = LO[21], l22 = LO[22], l23 = LO[23], l24 = LO[24];
  let h0 = HI[0], h1 = HI[1], h2 = HI[2], h3 = HI[3], h4 = HI[4];
  let h5 = HI[5], h6 = HI[6], h7 = HI[7], h8 = HI[8], h9 = HI[9];
  let h10 = HI[10], h11 = HI[11], h12 = HI[12], h13 = HI[13], h14 = HI[14];
  let h15 = HI[15], h16 = HI[16], h17 = HI[17], h18 = HI[18], h19 = HI[19];
  let h20 = HI[20], h21 = HI[21], h22 = HI[22], h23 = HI[23], h24 = HI[24];
  for (let round = 0; round < ROUNDS; round++) {
    // θ, then ρ and π into b (b[π(i)] = rot(a[i], ρ[i])), then χ back into the lanes, then ι.
    const cl0 = l0 ^ l5 ^ l10 ^ l15 ^ l20;
    const ch0 = h0 ^ h5 ^ h10 ^ h15 ^ h20;
    const cl1 = l1 ^ l6 ^ l11 ^ l16 ^ l21;
    const ch1 = h1 ^ h6 ^ h11 ^ h16 ^ h21;
    const cl2 = l2 ^ l7 ^ l12 ^ l17 ^ l22;
    const ch2 = h2 ^ h7 ^ h12 ^ h17 ^ h22;
    const cl3 = l3 ^ l8 ^ l13 ^ l18 ^ l23;
    const ch3 = h3 ^ h8 ^ h13 ^ h18 ^ h23;
    const cl4 = l4 ^ l9 ^ l14 ^ l19 ^ l24;
    const ch4 = h4 ^ h9 ^ h14 ^ h19 ^ h24;
    const dl0 = cl4 ^ ((cl1 << 1) | (ch1 >>> 31));
    const dh0 = ch4 ^ ((ch1 << 1) | (cl1 >>> 31));
    const dl1 = cl0 ^ ((cl2 << 1) | (ch2 >>> 31));
    const dh1 = ch0 ^ ((ch2 << 1) | (cl2 >>> 31));
    const dl2 = cl1 ^ ((cl3 << 1) | (ch3 >>> 31));
    const dh2 = ch1 ^ ((ch3 << 1) | (cl3 >>> 31));
    const dl3 = cl2 ^ ((cl4 << 1) | (ch4 >>> 31));
    const dh3 = ch2 ^ ((ch4 << 1) | (cl4 >>> 31));
    const dl4 = cl3 ^ ((cl0 << 1) | (ch0 >>> 31));
    const dh4 = ch3 ^ ((ch0 << 1) | (cl0 >>> 31));
    const al0 = l0 ^ dl0, ah0 = h0 ^ dh0;
    const bl0 = al0, bh0 = ah0;
    const al1 = l1 ^ dl1, ah1 = h1 ^ dh1;
    const bl10 = (al1 << 1) | (ah1 >>> 31), bh10 = (ah1 << 1) | (al1 >>> 31);
    const al2 = l2 ^ dl2, ah2 = h2 ^ dh2;
    const bl20 = (ah2 << 30) | (al2 >>> 2), bh20 = (al2 << 30) | (ah2 >>> 2);
    const al3 = l3 ^ dl3, ah3 = h3 ^ dh3;
    const bl5 = (al3 << 28) | (ah3 >>> 4), bh5 = (ah3 << 28) | (al3 >>> 4);
    const al4 = l4 ^ dl4, ah4 = h4 ^ dh4;
    const bl15 = (al4 << 27) | (ah4 >>> 5), bh15 = (ah4 << 27) | (al4 >>> 5);
    const al5 = l5 ^ dl0, ah5 = h5 ^ dh0;
    const bl16 = (ah5 << 4) | (al5 >>> 28), bh16 = (al5 << 4) | (ah5 >>> 28);
    const al6 = l6 ^ dl1, ah6 = h6 ^ dh1;
    const bl1 = (ah6 << 12) | (al6 >>> 20), bh1 = (al6 << 12) | (ah6 >>> 20);
    const al7 = l7 ^ dl2, ah7 = h7 ^ dh2;
    const bl11 = (al7 << 6) | (ah7 >>> 26), bh11 = (ah7 << 6) | (al7 >>> 26);
    const al8 = l8 ^ dl3, ah8 = h8 ^ dh3;
    const bl21 = (ah8 << 23) | (al8 >>> 9), bh21 = (al8 << 23) | (ah8 >>> 9);
    const al9 = l9 ^ dl4, ah9 = h9 ^ dh4;
    const bl6 = (al9 << 20) | (ah9 >>> 12), bh6 = (ah9 << 20) | (al9 >>> 12);
    const al10 = l10 ^ dl0, ah10 = h10 ^ dh0;
    const bl7 = (al10 << 3) | (ah10 >>> 29), bh7 = (ah10 << 3) | (al10 >>> 29);
    const al11 = l11 ^ dl1, ah11 = h11 ^ dh1;
    const bl17 = (al11 << 10) | (ah11 >>> 22), bh17 = (ah11 << 10) | (al11 >>> 22);
    const al12 = l12 ^ dl2, ah12 = h12 ^ dh2;
    const bl2 = (ah12 << 11) | (al12 >>> 21), bh2 = (al12 << 11) | (ah12 >>> 21);
    const al13 = l13 ^ dl3, ah13 = h13 ^ dh3;
    const bl12 = (al13 << 25) | (ah13 >>> 7), bh12 = (ah13 << 25) | (al13 >>> 7);
    const al14 = l14 ^ dl4, ah14 = h14 ^ dh4;
    const bl22 = (ah14 << 7) | (al14 >>> 25), bh22 = (al14 << 7) | (ah14 >>> 25);
    const al15 = l15 ^ dl0, ah15 = h15 ^ dh0;
    const bl23 = (ah15 << 9) | (al15 >>> 23), bh23 = (al15 << 9) | (ah15 >>> 23);
    const al16 = l16 ^ dl1, ah16 = h16 ^ dh1;
    const bl8 = (ah16 << 13) | (al16 >>> 19), bh8 = (al16 << 13) | (ah16 >>> 19);
    const al17 = l17 ^ dl2, ah17 = h17 ^ dh2;
    const bl18 = (al17 << 15) | (ah17 >>> 17), bh18 = (ah17 << 15) | (al17 >>> 17);
    const al18 = l18 ^ dl3, ah18 = h18 ^ dh3;
    const bl3 = (al18 << 21) | (ah18 >>> 11), bh3 = (ah18 << 21) | (al18 >>> 11);
    const al19 = l19 ^ dl4, ah19 = h19 ^ dh4;
    const bl13 = (al19 << 8) | (ah19 >>> 24), bh13 = (ah19 << 8) | (al19 >>> 24);
    const al20 = l20 ^ dl0, ah20 = h20 ^ dh0;
    const bl14 = (al20 << 18) | (ah20 >>> 14), bh14 = (ah20 << 18) | (al20 >>> 14);
    const al21 = l21 ^ dl1, ah21 = h21 ^ dh1;
    const bl24 = (al21 << 2) | (ah21 >>> 30), bh24 = (ah21 << 2) | (al21 >>> 30);
    const al22 = l22 ^ dl2, ah22 = h22 ^ dh2;
    const bl9 = (ah22 << 29) | (al22 >>> 3), bh9 = (al22 << 29) | (ah22 >>> 3);
    const al23 = l23 ^ dl3, ah23 = h23 ^ dh3;
    const bl19 = (ah23 << 24) | (al23 >>> 8), bh19 = (al23 << 24) | (ah23 >>> 8);
    const al24 = l24 ^ dl4, ah24 = h24 ^ dh4;
    const bl4 = (al24 << 14) | (ah24 >>> 18), bh4 = (ah24 << 14) | (al24 >>> 18);
    l0 = bl0 ^ (~bl1 & bl2);
    h0 = bh0 ^ (~bh1 & bh2);
    l1 = bl1 ^ (~bl2 & bl3);
    h1 = bh1 ^ (~bh2 & bh3);
    l2 = bl2 ^ (~bl3 & bl4);
    h2 = bh2 ^ (~bh3 & bh4);
    l3 = bl3 ^ (~bl4 & bl0);
    h3 = bh3 ^ (~bh4 & bh0);
    l4 = bl4 ^ (~bl0 & bl1);
    h4 = bh4 ^ (~bh0 & bh1);
    l5 = bl5 ^ (~bl6 & bl7);
    h5 = bh5 ^ (~bh6 & bh7);
    l6 = bl6 ^ (~bl7 & bl8);
    h6 = bh6 ^ (~bh7 & bh8);
    l7 = bl7 ^ (~bl8 & bl9);
    h7 = bh7 ^ (~bh8 & bh9);
    l8 = bl8 ^ (~bl9 & bl5);
    h8 = bh8 ^ (~bh9 & bh5);
    l9 = bl9 ^ (~bl5 & bl6);
    h9 = bh9 ^ (~bh5 & bh6);
    l10 = bl10 ^ (~bl11 & bl12);
    h10 = bh10 ^ (~bh11 & bh12);
    l11 = bl11 ^ (~bl12 & bl13);
    h11 = bh11 ^ (~bh12 & bh13);
    l12 = bl12 ^ (~bl13 & bl14);
    h12 = bh12 ^ (~bh13 & bh14);
    l13 = bl13 ^ (~bl14 & bl10);
    h13 = bh13 ^ (~bh14 & bh10);
    l14 = bl14 ^ (~bl10 & bl11);
    h14 = bh14 ^ (~bh10 & bh11);
    l15 = bl15 ^ (~bl16 & bl17);
    h15 = bh15 ^ (~bh16 & bh17);
    l16 = bl16 ^ (~bl17 & bl18);
    h16 = bh16 ^ (~bh17 & bh18);
    l17 = bl17 ^ (~bl18 & bl19);
    h17 = bh17 ^ (~bh18 & bh19);
    l18 = bl18 ^ (~bl19 & bl15);
    h18 = bh18 ^ (~bh19 & bh15);
    l19 = bl19 ^ (~bl15 & bl16);
    h19 = bh19 ^ (~bh15 & bh16);
    l20 = bl20 ^ (~bl21 & bl22);
    h20 = bh20 ^ (~bh21 & bh22);
    l21 = bl21 ^ (~bl22 & bl23);
    h21 = bh21 ^ (~bh22 & bh23);
    l22 = bl22 ^ (~bl23 & bl24);
    h22 = bh22 ^ (~bh23 & bh24);
    l23 = bl23 ^ (~bl24 & bl20);
    h23 = bh23 ^ (~bh24 & bh20);
    l24 = bl24 ^ (~bl20 & bl21);
    h24 = bh24 ^ (~bh20 & bh21);
    l0 ^= RC_LO[round];
    h0 ^= RC_HI[round];
  }
  LO[0] = l0, LO[1] = l1, LO[2] = l2, LO[3] = l3, LO[4] = l4;
  LO[5] = l5, LO[6] = l6, LO[7] = l7, LO[8] = l8, LO[9] = l9;
  LO[10] = l10, LO[11] = l11, LO[12] = l12, LO[13] = l13, LO[14] = l14;
  LO[15] = l15, LO[16] = l16, LO[17] = l17, LO[18] = l18, LO[19] = l19;
  LO[20] = l20, LO[21] = l21, LO[22] = l22, LO[23] = l23, LO[24] = l24;
  HI[0] = h0, HI[1] = h1, HI[2] = h2, HI[3] = h3, HI[4] = h4;
  HI[5] = h5, HI[6] = h6, HI[7] = h7, HI[8] = h8, HI[9] = h9;
  HI[10] = h10, HI[11] = h11, HI[12] = h12, HI[13] = h13, HI[14] = h14;
  HI[15] = h15, HI[16] = h16, HI[17] = h17, HI[18] = h18, HI[19] = h19;
  HI[20] = h20, HI[21] = h21, HI[22] = h22, HI[23] = h23, HI[24] = h24;
}

// Indexed by any UTF-16 code unit, so no character aliases a hex digit.
const NIBBLE = new Int8Array(65536).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[48 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[97 + i] = NIBBLE[65 + i] = 10 + i;
const HEX_BYTE: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

// Four bytes starting at hex character `at`, little-endian (Keccak lanes are little-endian).
function word32(hex: string, at: number): number {
  const n0 = NIBBLE[hex.charCodeAt(at)], n1 = NIBBLE[hex.charCodeAt(at + 1)];
  const n2 = NIBBLE[hex.charCodeAt(at + 2)], n3 = NIBBLE[hex.charCodeAt(at + 3)];
  const n4 = NIBBLE[hex.charCodeAt(at + 4)], n5 = NIBBLE[hex.charCodeAt(at + 5)];
  const n6 = NIBBLE[hex.charCodeAt(at + 6)], n7 = NIBBLE[hex.charCodeAt(at + 7)];
  if ((n0 | n1 | n2 | n3 | n4 | n5 | n6 | n7) < 0) throw notHex(hex);
  return ((n0 << 4) | n1) | (((n2 << 4) | n3) << 8) | (((n4 << 4) | n5) << 16) |
    (((n6 << 4) | n7) << 24);
}

function notHex(hex: string): TypeError {
  return new TypeError(`keccak256Hex: not hex bytes: ${hex.slice(0, 80)}`);
}

function xorByte(position: number, byte: number): void {
  const lane = position >> 3, shift = (position & 3) << 3;
  if ((position & 7) < 4) LO[lane] ^= byte << shift;
  else HI[lane] ^= byte << shift;
}

/**
 * `keccak256` of the bytes `hex` encodes, as lowercase hex (same digest as viem's `keccak256`).
 *
 * @param hex `0x`-prefixed hex of whole bytes, any case.
 * @returns The 32-byte digest.
 * @example
 * ```ts
 * import { keccak256Hex } from "./keccak.ts";
 * console.log(keccak256Hex("0x")); // 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470
 * ```
 */
export function keccak256Hex(hex: string): Hex {
  if (hex.length % 2 !== 0 || hex.charCodeAt(0) !== 48 || (hex.charCodeAt(1) | 0x20) !== 120) {
    throw notHex(hex);
  }
  LO.fill(0);
  HI.fill(0);
  const bytes = (hex.length - 2) >> 1;
  const fullBlocks = Math.floor(bytes / (RATE_LANES * 8));
  let at = 2;
  for (let block = 0; block < fullBlocks; block++) {
    for (let lane = 0; lane < RATE_LANES; lane++) {
      LO[lane] ^= word32(hex, at);
      HI[lane] ^= word32(hex, at + 8);
      at += 16;
    }
    permute();
  }
  let position = 0;
  for (; at < hex.length; at += 2) {
    const h = NIBBLE[hex.charCodeAt(at)], l = NIBBLE[hex.charCodeAt(at + 1)];
    if ((h | l) < 0) throw notHex(hex);
    xorByte(position++, (h << 4) | l);
  }
  xorByte(position, 0x01);
  xorByte(RATE_LANES * 8 - 1, 0x80);
  permute();
  let out = "0x";
  for (let lane = 0; lane < 4; lane++) {
    const l = LO[lane], h = HI[lane];
    out += HEX_BYTE[l & 0xff] + HEX_BYTE[(l >>> 8) & 0xff] + HEX_BYTE[(l >>> 16) & 0xff] +
      HEX_BYTE[l >>> 24] + HEX_BYTE[h & 0xff] + HEX_BYTE[(h >>> 8) & 0xff] +
      HEX_BYTE[(h >>> 16) & 0xff] + HEX_BYTE[h >>> 24];
  }
  return out as Hex;
}
