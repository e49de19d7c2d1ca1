// Finnish morphology behind one small interface: Voikko when the system has it, a Snowball
// stemmer otherwise. Results are cached per surface form; news text is Zipfian, so a few
// thousand entries answer most lookups.
import { stemmer as finnishStem } from '@orama/stemmers/finnish';
import { openVoikko, type VoikkoBinding } from './voikko.ts';

export type PartOfSpeech =
  | 'noun' | 'adjective' | 'noun_adjective' | 'verb' | 'pronoun' | 'numeral' | 'adverb' | 'adposition'
  | 'conjunction' | 'negation' | 'proper' | 'abbreviation' | 'interjection' | 'other' | 'unknown';

/** One reading of a word form. Voikko often gives several ("Venäläiset": surname or nationality). */
export interface Reading {
  /** Base form as the dictionary spells it (proper names keep their capital). */
  lemma: string;
  /** Lower-case base forms of the compound parts, derivations kept whole ("turva","paikka","hakija"). */
  parts: string[];
  pos: PartOfSpeech;
  /** Voikko's case name (nimento, omanto, osanto, sisaolento, ...), when inflected. */
  case?: string;
  plural?: boolean;
  proper?: 'firstname' | 'surname' | 'place' | 'name';
  /** A -ton/-tön/-maton derivation: "ongelmaton" negates its base. */
  negativeDerivation?: boolean;
}

export interface WordAnalysis {
  /** Distinct base forms; empty when the word is unknown. */
  lemmas: string[];
  /** Compound parts of each reading. */
  compoundParts: string[][];
  readings: Reading[];
}

export interface Morphology {
  kind: 'voikko' | 'snowball';
  analyse(word: string): WordAnalysis;
  /** Snowball stem of a lower-case word: the fallback key for words Voikko does not know. */
  stem(word: string): string;
  cacheStats(): { size: number; hits: number; misses: number };
  clearCache(): void;
  close(): void;
}

const UNKNOWN: WordAnalysis = Object.freeze({ lemmas: [], compoundParts: [], readings: [] }) as WordAnalysis;
const DEFAULT_CACHE = 50_000;

/** A map that forgets its oldest half when full: cheap, and good enough for Zipfian keys. */
class HalvingCache<V> {
  private map = new Map<string, V>();
  hits = 0;
  misses = 0;
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v === undefined) this.misses++;
    else this.hits++;
    return v;
  }
  set(key: string, value: V): void {
    if (this.map.size >= this.max) {
      let drop = this.map.size >> 1;
      for (const k of this.map.keys()) {
        if (drop-- <= 0) break;
        this.map.delete(k);
      }
    }
    this.map.set(key, value);
  }
  get size(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
    this.hits = 0;
    this.misses = 0;
  }
}

function snowballStem(word: string): string {
  return word.length > 60 ? word.slice(0, 60) : finnishStem(word);
}

function cached(kind: Morphology['kind'], compute: (word: string) => WordAnalysis, closeFn: () => void, size: number): Morphology {
  const cache = new HalvingCache<WordAnalysis>(size);
  const stems = new HalvingCache<string>(size);
  return {
    kind,
    analyse(word: string): WordAnalysis {
      const hit = cache.get(word);
      if (hit !== undefined) return hit;
      const result = compute(word);
      cache.set(word, result);
      return result;
    },
    stem(word: string): string {
      const hit = stems.get(word);
      if (hit !== undefined) return hit;
      const s = snowballStem(word);
      stems.set(word, s);
      return s;
    },
    cacheStats: () => ({ size: cache.size, hits: cache.hits, misses: cache.misses }),
    clearCache: () => {
      cache.clear();
      stems.clear();
    },
    close: closeFn,
  };
}

function fromReadings(readings: ReturnType<VoikkoBinding['readings']>): WordAnalysis {
  if (readings.length === 0) return UNKNOWN;
  const lemmas = [...new Set(readings.map((r) => r.lemma))];
  return { lemmas, compoundParts: readings.map((r) => r.parts), readings };
}

// Without Voikko the case of a word is guessed from its ending, which is enough for the one
// thing it is used for: does an adjective agree with the noun after it? An ending can be
// ambiguous (a bare -a is a nominative or a partitive), so each guess lists its options.
const ENDINGS: [RegExp, [string, boolean][]][] = [
  [/iss[aä]$/, [['sisaolento', true]]], [/ss[aä]$/, [['sisaolento', false]]],
  [/ist[aä]$/, [['sisaeronto', true], ['osanto', false]]], [/st[aä]$/, [['sisaeronto', false]]],
  [/ill[aä]$/, [['ulkoolento', true]]], [/ll[aä]$/, [['ulkoolento', false]]],
  [/ilt[aä]$/, [['ulkoeronto', true]]], [/lt[aä]$/, [['ulkoeronto', false]]],
  [/ille$/, [['ulkotulento', true]]], [/lle$/, [['ulkotulento', false]]],
  [/iksi$/, [['tulento', true]]], [/ksi$/, [['tulento', false]]],
  [/(iin|ihin)$/, [['sisatulento', true]]], [/seen$/, [['sisatulento', false]]],
  [/([aeiouyäö])\1n$/, [['sisatulento', false], ['omanto', false]]],
  [/nen$/, [['nimento', false]]], [/(ien|iden|itten|jen)$/, [['omanto', true]]], [/ten$/, [['omanto', true]]], [/n$/, [['omanto', false]]],
  [/(it[aä]|ej[aä]|j[aä]|i[aä])$/, [['osanto', true]]], [/t[aä]$/, [['osanto', false]]],
  [/[aä]$/, [['osanto', false], ['nimento', false]]],
  [/t$/, [['nimento', true]]],
];
const VERB_ENDING = /(vat|vät|ivat|ivät|isi|isivat|isivät|taan|tään|ttiin|tiin|kaa|kää|mme|tte|nut|nyt|neet|vansa|vänsä)$/;

export function guessInflection(lower: string): { pos: PartOfSpeech; case: string; plural: boolean }[] {
  if (VERB_ENDING.test(lower)) return [{ pos: 'verb', case: '', plural: false }];
  for (const [re, options] of ENDINGS) if (re.test(lower)) return options.map(([c, plural]) => ({ pos: 'unknown' as const, case: c, plural }));
  return [{ pos: 'unknown', case: 'nimento', plural: false }];
}

/** Snowball fallback: the stem stands in for the lemma; compounds are not split. */
function snowballAnalysis(word: string): WordAnalysis {
  if (!/\p{L}/u.test(word)) return UNKNOWN;
  const lower = word.toLowerCase();
  const s = snowballStem(lower);
  const readings = guessInflection(lower).map((g): Reading => ({ lemma: s, parts: [s], pos: g.pos, case: g.case, plural: g.plural }));
  return { lemmas: [s], compoundParts: readings.map(() => [s]), readings };
}

export interface OpenMorphologyOptions {
  prefer?: 'voikko' | 'snowball';
  cacheSize?: number;
}

/**
 * Voikko when available (or asked for), else Snowball with a one-line notice of what that
 * costs. Never throws: a missing library only lowers accuracy.
 */
export function openMorphology(opts: OpenMorphologyOptions = {}): { morphology: Morphology; notice?: string } {
  const size = opts.cacheSize ?? DEFAULT_CACHE;
  if (opts.prefer !== 'snowball') {
    try {
      const v = openVoikko();
      return { morphology: cached('voikko', (w) => fromReadings(v.readings(w)), () => v.close(), size) };
    } catch (e) {
      const reason = (e as Error).message;
      return {
        morphology: cached('snowball', snowballAnalysis, () => undefined, size),
        notice: `Voikko is not available (${reason}); using the Snowball stemmer: compounds are not split and inflected group and place names are matched by prefix, so tagging is less accurate (install libvoikko1 voikko-fi).`,
      };
    }
  }
  return { morphology: cached('snowball', snowballAnalysis, () => undefined, size) };
}

/** True when libvoikko and the Finnish dictionary can be opened on this machine. */
export function voikkoAvailable(): { ok: boolean; reason?: string } {
  try {
    openVoikko().close();
    return { ok: true };
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
