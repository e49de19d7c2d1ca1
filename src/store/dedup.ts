// Duplicate detection. Exact copies share a hash of their normalised text; syndicated
// near-copies (a chain paper re-running a story with an edited title or one paragraph
// fewer) are found with MinHash over word shingles and LSH banding, then confirmed with the
// exact shingle containment of the two texts, so that a band collision alone never links
// two different stories.
import { createHash } from 'node:crypto';

const SHINGLE = 3;
const HASHES = 64;
export const BANDS = 16;
const ROWS = HASHES / BANDS;
/** Share of the shorter text's shingles found in the longer one for a near-copy. */
export const NEAR_DUPLICATE_CONTAINMENT = 0.7;
/** Texts shorter than this (in words) are too little to call anything a copy of them. */
export const MIN_WORDS_FOR_DEDUP = 40;

export function normaliseText(text: string): string {
  return words(text).join(' ');
}

export function words(text: string): string[] {
  return text.toLowerCase().normalize('NFC').match(/[\p{L}\p{N}]+/gu) ?? [];
}

export function textHash(text: string): string {
  return createHash('sha256').update(normaliseText(text)).digest('hex');
}

export function shingleHashes(text: string): Set<number> {
  const w = words(text);
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= w.length; i++) out.add(hash32(w.slice(i, i + SHINGLE).join(' ')));
  if (out.size === 0 && w.length > 0) out.add(hash32(w.join(' ')));
  return out;
}

/** FNV-1a, 32 bits: enough to tell word shingles apart, and fast. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const SEEDS = Array.from({ length: HASHES }, (_, i) => mix(0x9e3779b9 ^ Math.imul(i + 1, 0x85ebca6b)));

function mix(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

export function minhash(shingles: Set<number>): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < HASHES; i++) {
      const v = mix(s ^ SEEDS[i]!);
      if (v < sig[i]!) sig[i] = v;
    }
  }
  return sig;
}

/** One bucket per band: texts sharing a bucket in any band are candidates. */
export function lshBuckets(sig: Uint32Array): number[] {
  const out: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = 0x811c9dc5 ^ b;
    for (let r = 0; r < ROWS; r++) h = mix(h ^ sig[b * ROWS + r]!);
    // Kept within SQLite's signed 32-bit comfort zone.
    out.push(h & 0x7fffffff);
  }
  return out;
}

export function containment(a: Set<number>, b: Set<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / small.size;
}
