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
  return hashOfWords(words(text));
}

function hashOfWords(w: string[]): string {
  return createHash('sha256').update(w.join(' ')).digest('hex');
}

export function shingleHashes(text: string): Set<number> {
  return shinglesOf(words(text));
}

function shinglesOf(w: string[]): Set<number> {
  const out = new Set<number>();
  for (let i = 0; i + SHINGLE <= w.length; i++) {
    // hash32 of the shingle's words joined by spaces, without building the string
    let h = FNV_OFFSET;
    for (let k = 0; k < SHINGLE; k++) {
      if (k > 0) h = fnvStep(h, 0x20);
      const word = w[i + k]!;
      for (let c = 0; c < word.length; c++) h = fnvStep(h, word.charCodeAt(c));
    }
    out.add(h >>> 0);
  }
  if (out.size === 0 && w.length > 0) out.add(hash32(w.join(' ')));
  return out;
}

const FNV_OFFSET = 0x811c9dc5;

function fnvStep(h: number, code: number): number {
  return Math.imul(h ^ code, 0x01000193);
}

/** FNV-1a, 32 bits: enough to tell word shingles apart, and fast. */
export function hash32(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = fnvStep(h, s.charCodeAt(i));
  return h >>> 0;
}

/**
 * What the store needs to recognise copies of a text, computed where the text is extracted
 * (any machine) so that the one process writing the store only looks it up.
 */
export interface TextFingerprint {
  /** Changes with the hashing below; a fingerprint of another version is computed again. */
  version: number;
  /** textHash of the text. */
  hash: string;
  /** Words in the normalised text. */
  words: number;
  /** The MinHash signature's LSH bucket per band; none for texts too short to compare. */
  buckets: number[];
}

export const FINGERPRINT_VERSION = 1;

export function fingerprint(text: string): TextFingerprint {
  const w = words(text);
  return {
    version: FINGERPRINT_VERSION,
    hash: hashOfWords(w),
    words: w.length,
    buckets: w.length >= MIN_WORDS_FOR_DEDUP ? lshBuckets(minhash(shinglesOf(w))) : [],
  };
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
