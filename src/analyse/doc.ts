// One analysed document: tokens with their morphology, sentences, and the lookups every
// tagger shares (is this word a negator, a speech verb, a people noun, ...).
import type { CompiledLanguage, Keyed } from './compile.ts';
import type { Lang, Lexicons } from './lexicons.ts';
import type { Morphology, Reading } from './morphology.ts';
import { sentencesOf, tokenize, type Sentence, type Token } from './text.ts';

export interface TokenInfo {
  tok: Token;
  index: number;
  sentence: number;
  lower: string;
  isWord: boolean;
  /** Starts with a capital and is not all capitals (a name, or the first word of a sentence). */
  capital: boolean;
  /** First word of its sentence (after opening quotes and dashes). */
  initial: boolean;
  /** Voikko readings; for the fallback, one reading whose lemma is the Snowball stem. */
  readings: Reading[];
  /** Voikko knows the word (always false for the fallback). */
  known: boolean;
  /** Lower-cased distinct lemmas of the readings. */
  lemmas: string[];
  stem: string;
  /** Word-local lexicon facts, filled on first use (see factsOf). */
  facts?: WordFacts;
}

/** What the lexicons say about a word form, independent of its context. */
export interface WordFacts {
  tone: Hit<{ weight: number; source: 'domain' | 'afinn' }> | undefined;
  frames: Hit<{ frame: string; weight: number }[]> | undefined;
  negator: boolean;
  intensifier: number | undefined;
  speechVerb: boolean;
  attribution: boolean;
  residence: boolean;
  people: boolean;
}

export interface Doc {
  text: string;
  lang: Lang;
  tokens: TokenInfo[];
  sentences: Sentence[];
  /** Character offset where the body text starts (after the title and a blank line). */
  bodyStart: number;
  lex: CompiledLanguage;
  lexicons: Lexicons;
  morphology: Morphology;
}

const EMPTY: Reading[] = [];

export function buildDoc(text: string, bodyStart: number, lang: Lang, lex: CompiledLanguage, lexicons: Lexicons, morphology: Morphology): Doc {
  const toks = tokenize(text);
  const sentences = sentencesOf(text, toks);
  const tokens: TokenInfo[] = new Array(toks.length);
  const finnish = lang === 'fi';
  for (const s of sentences) {
    let initial = true;
    for (let i = s.tokenStart; i < s.tokenEnd; i++) {
      const tok = toks[i]!;
      const isWord = tok.kind === 'word';
      const lower = tok.text.toLowerCase();
      let readings = EMPTY;
      let known = false;
      if (isWord && finnish) {
        const an = morphology.analyse(tok.text);
        readings = an.readings;
        known = morphology.kind === 'voikko' && readings.length > 0;
      }
      const first = tok.text[0] ?? '';
      const capital = isWord && first !== first.toLowerCase() && tok.text !== tok.text.toUpperCase();
      const lemmas = known ? uniqueLower(readings) : EMPTY_STRINGS;
      tokens[i] = {
        tok,
        index: i,
        sentence: s.index,
        lower,
        isWord,
        capital,
        initial: isWord && initial,
        readings,
        known,
        lemmas,
        // Only words without a Voikko reading are looked up by stem.
        stem: isWord && !known ? lex.stem(lower) : lower,
      };
      if (isWord) initial = false;
    }
  }
  return { text, lang, tokens, sentences, bodyStart, lex, lexicons, morphology };
}

const EMPTY_STRINGS: string[] = [];

function uniqueLower(readings: Reading[]): string[] {
  if (readings.length === 1) return [readings[0]!.lemma.toLowerCase()];
  const out: string[] = [];
  for (const r of readings) {
    const l = r.lemma.toLowerCase();
    if (!out.includes(l)) out.push(l);
  }
  return out;
}

export interface Hit<V> {
  value: V;
  key: string;
  /** Found through a compound part rather than the whole word. */
  viaPart: boolean;
  /** That part was the compound's head (last part): "iskulause" is a kind of "lause", not of "isku". */
  head: boolean;
}

/**
 * Looks a word up by its lemmas, then (with `parts`) by its compound parts, head first;
 * words without a Voikko reading are looked up by surface form and Snowball stem.
 */
export function lookup<V>(k: Keyed<V>, t: TokenInfo, parts = false): Hit<V> | undefined {
  if (!t.isWord) return undefined;
  // The answer depends only on the word form, and word forms repeat (Zipf): remember it.
  let pair = memos.get(k) as [Map<string, Hit<V> | null>, Map<string, Hit<V> | null>] | undefined;
  if (!pair) {
    pair = [new Map(), new Map()];
    memos.set(k, pair);
  }
  const memo = pair[parts ? 1 : 0];
  const known = memo.get(t.tok.text);
  if (known !== undefined) return known ?? undefined;
  const hit = lookupUncached(k, t, parts);
  if (memo.size >= MEMO_LIMIT) memo.clear();
  memo.set(t.tok.text, hit ?? null);
  return hit;
}

const MEMO_LIMIT = 50_000;
let memos = new WeakMap<object, unknown>();

/** Forgets every per-word memo (for measuring a cold start). */
export function clearWordMemos(): void {
  memos = new WeakMap();
}

/** A per-word memo for other word-local results (group candidates, place names). */
export function memoFor<V>(owner: object): Map<string, V> {
  let m = memos.get(owner) as Map<string, V> | undefined;
  if (!m || m.size >= MEMO_LIMIT) {
    m = new Map();
    memos.set(owner, m);
  }
  return m;
}

function lookupUncached<V>(k: Keyed<V>, t: TokenInfo, parts: boolean): Hit<V> | undefined {
  if (t.known) {
    for (const l of t.lemmas) {
      const v = k.byLemma.get(l);
      if (v !== undefined) return { value: v, key: l, viaPart: false, head: true };
    }
    const v = k.byLemma.get(t.lower);
    if (v !== undefined) return { value: v, key: t.lower, viaPart: false, head: true };
    if (parts) {
      for (const r of t.readings) {
        const n = r.parts.length;
        if (n < 2) continue;
        for (let p = n - 1; p >= 0; p--) {
          const part = r.parts[p]!;
          if (part.length < 3) continue;
          const pv = k.byLemma.get(part);
          if (pv !== undefined) return { value: pv, key: part, viaPart: true, head: p === n - 1 };
        }
      }
    }
    return undefined;
  }
  const v = k.byLemma.get(t.lower) ?? k.byStem.get(t.stem);
  if (v !== undefined) return { value: v, key: t.stem, viaPart: false, head: true };
  // Gradation defeats the stemmer ("syrjinnän" vs "syrjintä"); a known prefix plus a short
  // inflection ending still identifies the word.
  const bucket = k.byPrefix.get(t.lower.slice(0, 3));
  if (bucket) {
    for (const { prefix, value } of bucket) {
      if (t.lower.startsWith(prefix) && t.lower.length - prefix.length <= 6) return { value, key: prefix, viaPart: false, head: true };
    }
  }
  return undefined;
}

export function has(k: Keyed<true>, t: TokenInfo, parts = false): boolean {
  return lookup(k, t, parts) !== undefined;
}

/** The lemma to show in evidence: the first reading's base form, or the surface word. */
export function lemmaOf(t: TokenInfo): string {
  return t.known ? t.readings[0]!.lemma : t.lower;
}

export function sentenceTokens(doc: Doc, s: Sentence): TokenInfo[] {
  return doc.tokens.slice(s.tokenStart, s.tokenEnd);
}

/** The word-local facts of a token, computed once per word form and shared by all taggers. */
export function factsOf(doc: Doc, t: TokenInfo): WordFacts {
  if (t.facts) return t.facts;
  const memo = memoFor<WordFacts>(doc.lex);
  let f = memo.get(t.tok.text);
  if (!f) {
    const lex = doc.lex;
    f = {
      tone: lookupUncached(lex.tone, t, true),
      frames: lookupUncached(lex.frames, t, true),
      negator: lookupUncached(lex.negators, t, false) !== undefined,
      intensifier: lookupUncached(lex.intensifiers, t, false)?.value,
      speechVerb: lookupUncached(lex.speechVerbs, t, false) !== undefined && (t.readings.length === 0 || t.readings.some((r) => r.pos === 'verb' || r.pos === 'unknown')),
      attribution: lookupUncached(lex.attribution, t, false) !== undefined,
      residence: lookupUncached(lex.residenceCues, t, true) !== undefined,
      people: lookupUncached(lex.populationHeads, t, true) !== undefined,
    };
    memo.set(t.tok.text, f);
  }
  t.facts = f;
  return f;
}

/**
 * The sentences whose words count, more weakly, around sentence `i`: its neighbours in the
 * same paragraph. A title has no paragraph of its own to lean on; it summarises the story, so
 * its neighbours are the first sentences of the body.
 */
export function neighbours(doc: Doc, i: number): number[] {
  const s = doc.sentences[i];
  if (!s) return [];
  if (s.end <= doc.bodyStart) {
    const first = doc.sentences.findIndex((x) => x.start >= doc.bodyStart);
    return first < 0 ? [] : [first, first + 1].filter((k) => k < doc.sentences.length && doc.sentences[k]!.paragraph === doc.sentences[first]!.paragraph);
  }
  return [i - 1, i + 1].filter((k) => {
    const n = doc.sentences[k];
    return n !== undefined && n.paragraph === s.paragraph && n.start >= doc.bodyStart;
  });
}
