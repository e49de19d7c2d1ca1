// Lexicons turned into lookup structures for one morphology. With Voikko every group term is
// split into compound parts the same way as the text ("turvapaikanhakija" → turva + paikka +
// hakija), so matching is part-sequence matching; cue words are keyed by lemma. Without
// Voikko (and for words Voikko does not know) keys are Snowball stems and surface prefixes.
// Compiled once per (lexicons, morphology kind) and cached.
import { createRequire } from 'node:module';
import type { GroupTerm, Lang, Lexicons } from './lexicons.ts';
import type { Morphology } from './morphology.ts';

const require = createRequire(import.meta.url);
// natural's package root loads storage adapters that print to stdout; take the stemmers only.
const swedishStemmer = require('natural/lib/natural/stemmers/porter_stemmer_sv.js') as { stem(w: string): string };
const englishStemmer = require('natural/lib/natural/stemmers/porter_stemmer.js') as { stem(w: string): string };

export function stemFor(lang: Lang, morphology: Morphology): (word: string) => string {
  if (lang === 'sv') return (w) => swedishStemmer.stem(w.length > 60 ? w.slice(0, 60) : w);
  if (lang === 'en') return (w) => englishStemmer.stem(w.length > 60 ? w.slice(0, 60) : w);
  return (w) => morphology.stem(w);
}

/** A set or map looked up by lemma (Voikko) or by stem (fallback). */
export interface Keyed<V> {
  byLemma: Map<string, V>;
  byStem: Map<string, V>;
  /** Surface prefixes (pakolai-, rasism-) bucketed by their first three letters, longest first. */
  byPrefix: Map<string, { prefix: string; value: V }[]>;
}

export interface Exclusion {
  lemmas: Set<string>;
  parts: string[][];
  prefixes: string[];
}

export interface CompiledContext {
  near: Keyed<true>;
  window: number;
  then?: string | null;
  also?: string;
}

export interface CompiledTerm {
  group: string;
  term: GroupTerm;
  context: CompiledContext[];
  /** Part sequences of the lemma (more than one when Voikko segments it several ways). */
  parts: string[][];
  prefixes: string[];
  exclusion: Exclusion | null;
  people: boolean;
}

export interface CompiledPhrase {
  group: string;
  pattern: string[][];
  text: string;
}

export interface CompiledLanguage {
  lang: Lang;
  stem: (w: string) => string;
  /** Finnish with Voikko: index of terms by their first compound part. */
  partIndex: Map<string, { term: CompiledTerm; alt: number }[]>;
  lemmaIndex: Map<string, CompiledTerm[]>;
  /** Fallback: surface prefixes, longest first. */
  prefixTerms: { prefix: string; term: CompiledTerm; anywhere: boolean }[];
  /** Swedish/English: terms by stem. */
  stemTerms: Map<string, CompiledTerm[]>;
  groupExclusions: Map<string, Exclusion>;
  phrases: CompiledPhrase[];
  populationHeads: Keyed<true>;
  residenceCues: Keyed<true>;
  tone: Keyed<{ weight: number; source: 'domain' | 'afinn' }>;
  negators: Keyed<true>;
  intensifiers: Keyed<number>;
  frames: Keyed<{ frame: string; weight: number }[]>;
  speechVerbs: Keyed<true>;
  attribution: Keyed<true>;
}

export interface Compiled {
  morphologyKind: Morphology['kind'];
  langs: Record<Lang, CompiledLanguage>;
}

const cache = new WeakMap<Lexicons, Map<string, Compiled>>();

export function compiledFor(lexicons: Lexicons, morphology: Morphology): Compiled {
  let byKind = cache.get(lexicons);
  if (!byKind) {
    byKind = new Map();
    cache.set(lexicons, byKind);
  }
  const hit = byKind.get(morphology.kind);
  if (hit) return hit;
  const compiled: Compiled = {
    morphologyKind: morphology.kind,
    langs: { fi: compileFinnish(lexicons, morphology), sv: compileStemmed('sv', lexicons, morphology), en: compileStemmed('en', lexicons, morphology) },
  };
  byKind.set(morphology.kind, compiled);
  return compiled;
}

/**
 * Surface prefixes for a Finnish lemma when the lexicon gives none: strip the nominative
 * ending so that inflected forms share the prefix (pakolainen → pakolai-, maahanmuuttaja →
 * maahanmuuttaj-, maahanmuutto → maahanmuut- to allow "maahanmuuton").
 */
export function defaultPrefixes(lemma: string): string[] {
  const w = lemma.toLowerCase();
  if (w.length <= 4) return [w];
  if (/(inen)$/.test(w)) return [w.slice(0, -3)];
  if (/(nen)$/.test(w)) return [w.slice(0, -3)];
  if (/(uus|yys)$/.test(w)) return [w.slice(0, -2)];
  if (/(us|ys|os|ös)$/.test(w)) return [w.slice(0, -1)];
  if (/([kptsml])\1[aeiouyäö]$/.test(w)) return [w.slice(0, -2)];
  if (/(ton|tön)$/.test(w)) return [w.slice(0, -2)];
  if (/[aeiouyäö]$/.test(w)) return [w.slice(0, -1)];
  return [w];
}

function keyed<V>(entries: Iterable<[string, V]>, stem: (w: string) => string, merge?: (a: V, b: V) => V): Keyed<V> {
  const byLemma = new Map<string, V>();
  const byStem = new Map<string, V>();
  const byPrefix = new Map<string, { prefix: string; value: V }[]>();
  const put = (m: Map<string, V>, k: string, v: V): void => {
    const old = m.get(k);
    m.set(k, old === undefined ? v : merge ? merge(old, v) : old);
  };
  for (const [word, v] of entries) {
    const lower = word.toLowerCase();
    put(byLemma, lower, v);
    put(byStem, stem(lower), v);
    for (const prefix of defaultPrefixes(lower)) {
      if (prefix.length < 4) continue;
      const bucket = byPrefix.get(prefix.slice(0, 3)) ?? [];
      if (!bucket.some((x) => x.prefix === prefix)) bucket.push({ prefix, value: v });
      byPrefix.set(prefix.slice(0, 3), bucket);
    }
  }
  for (const bucket of byPrefix.values()) bucket.sort((a, b) => b.prefix.length - a.prefix.length);
  return { byLemma, byStem, byPrefix };
}

function setOf(words: Iterable<string>, stem: (w: string) => string): Keyed<true> {
  return keyed([...words].map((w): [string, true] => [w, true]), stem);
}

/** Part sequences of a lemma as Voikko would split it in running text. */
function partsOf(lemma: string, morphology: Morphology): string[][] {
  if (morphology.kind !== 'voikko') return [];
  const lower = lemma.toLowerCase();
  const an = morphology.analyse(lemma.includes(' ') ? lemma.replace(/ /g, '') : lemma);
  const own = an.readings.filter((r) => r.lemma.toLowerCase() === lower);
  const readings = own.length > 0 ? own : an.readings;
  const seen = new Set<string>();
  const out: string[][] = [];
  for (const r of readings) {
    const k = r.parts.join('+');
    if (!seen.has(k)) {
      seen.add(k);
      out.push(r.parts);
    }
  }
  return out;
}

function compileExclusion(words: string[], morphology: Morphology): Exclusion | null {
  if (words.length === 0) return null;
  const lemmas = new Set(words.map((w) => w.toLowerCase()));
  const parts: string[][] = [];
  for (const w of words) for (const p of partsOf(w, morphology)) if (p.length > 1) parts.push(p);
  // For a false friend the prefix keeps as much of the word as inflection allows: "romania"
  // must veto "romaniasta" but not "romanien", "somalia" not "somalit".
  const prefixes = words.map((w) => {
    const lower = w.toLowerCase();
    if (/inen$/.test(lower)) return lower.slice(0, -3);
    if (/ia$/.test(lower)) return lower;
    return defaultPrefixes(lower)[0] ?? lower;
  });
  return { lemmas, parts, prefixes };
}

function peopleTerm(t: GroupTerm): boolean {
  return !t.topic;
}

function compileFinnish(lexicons: Lexicons, morphology: Morphology): CompiledLanguage {
  const stem = stemFor('fi', morphology);
  const partIndex = new Map<string, { term: CompiledTerm; alt: number }[]>();
  const lemmaIndex = new Map<string, CompiledTerm[]>();
  const prefixTerms: CompiledLanguage['prefixTerms'] = [];
  const groupExclusions = new Map<string, Exclusion>();
  const phrases: CompiledPhrase[] = [];
  const termLemmas: string[] = [];
  for (const g of lexicons.groups.groups) {
    const ex = compileExclusion(g.exclude, morphology);
    if (ex) groupExclusions.set(g.id, ex);
    for (const term of g.terms) {
      const parts = partsOf(term.lemma, morphology);
      const prefixes = term.prefixes.length > 0 ? term.prefixes : defaultPrefixes(term.lemma);
      const context = term.context.map((c): CompiledContext => ({ near: setOf(c.near, stem), window: c.window, ...('then' in c ? { then: c.then } : {}), ...(c.also !== undefined ? { also: c.also } : {}) }));
      const ct: CompiledTerm = { group: g.id, term, context, parts, prefixes, exclusion: compileExclusion(term.exclude, morphology), people: peopleTerm(term) };
      termLemmas.push(term.lemma);
      parts.forEach((p, alt) => {
        const first = p[0];
        if (first === undefined) return;
        const list = partIndex.get(first) ?? [];
        list.push({ term: ct, alt });
        partIndex.set(first, list);
      });
      const lower = term.lemma.toLowerCase();
      lemmaIndex.set(lower, [...(lemmaIndex.get(lower) ?? []), ct]);
      // Short prefixes only match at the start of a word: "arab" must not fire inside "karabiini".
      for (const prefix of prefixes) prefixTerms.push({ prefix, term: ct, anywhere: prefix.length >= 6 && term.position !== 'whole' });
    }
    for (const pattern of g.phrases) phrases.push({ group: g.id, pattern, text: pattern.map((alts) => alts.join('|')).join(' ') });
  }
  prefixTerms.sort((a, b) => b.prefix.length - a.prefix.length);
  const tone = lexicons.tone;
  return {
    lang: 'fi',
    stem,
    partIndex,
    lemmaIndex,
    prefixTerms,
    stemTerms: new Map(),
    groupExclusions,
    phrases,
    populationHeads: setOf([...lexicons.groups.populationHeads, ...termLemmas], stem),
    residenceCues: setOf(lexicons.groups.residenceCues, stem),
    tone: toneMap('fi', lexicons, morphology, stem),
    negators: setOf(tone.negators.fi, stem),
    intensifiers: keyed(tone.intensifiers.fi, stem),
    frames: keyed(frameEntries(lexicons, 'fi'), stem, (a, b) => [...a, ...b]),
    speechVerbs: setOf(lexicons.voice.speechVerbs.fi, stem),
    attribution: setOf(lexicons.voice.attribution.fi, stem),
  };
}

function frameEntries(lexicons: Lexicons, lang: Lang): [string, { frame: string; weight: number }[]][] {
  return [...lexicons.frames.cues[lang]];
}

/**
 * Tone words: the domain list first, then AFINN. AFINN entries are surface forms; with Voikko
 * they are lemmatised so that "väärinkäytöllä" scores as "väärinkäyttö". An entry that is
 * itself a lemma wins over inflected entries of the same lemma.
 */
function toneMap(lang: Lang, lexicons: Lexicons, morphology: Morphology, stem: (w: string) => string): Keyed<{ weight: number; source: 'domain' | 'afinn' }> {
  const t = lexicons.tone;
  const domain = keyed([...t.domain[lang]].map(([w, weight]): [string, { weight: number; source: 'domain' | 'afinn' }] => [w, { weight, source: 'domain' }]), stem);
  const { byLemma, byStem, byPrefix } = domain;
  const afinn = lang === 'fi' ? t.afinn.fi : lang === 'sv' ? t.afinn.sv : new Map<string, number>();
  const exact = new Set<string>();
  for (const [entry, score] of afinn) {
    if (entry.includes(' ') || t.afinn.ignore.has(entry)) continue;
    const weight = score * t.afinn.weight;
    const s = stem(entry);
    if (!byStem.has(s)) byStem.set(s, { weight, source: 'afinn' });
    if (lang === 'fi' && morphology.kind === 'voikko') {
      const an = morphology.analyse(entry);
      const lemmas = an.lemmas.map((l) => l.toLowerCase());
      const own = lemmas.includes(entry);
      for (const lemma of own ? [entry] : lemmas) {
        if (t.afinn.ignore.has(lemma)) continue;
        const old = byLemma.get(lemma);
        if (old?.source === 'domain') continue;
        if (old && (exact.has(lemma) || !own)) continue;
        byLemma.set(lemma, { weight, source: 'afinn' });
        if (own) exact.add(lemma);
      }
      if (lemmas.length === 0 && !byLemma.has(entry)) byLemma.set(entry, { weight, source: 'afinn' });
    } else if (!byLemma.has(entry)) {
      byLemma.set(entry, { weight, source: 'afinn' });
    }
  }
  return { byLemma, byStem, byPrefix };
}

function compileStemmed(lang: Lang, lexicons: Lexicons, morphology: Morphology): CompiledLanguage {
  const stem = stemFor(lang, morphology);
  const stemTerms = new Map<string, CompiledTerm[]>();
  const prefixTerms: CompiledLanguage['prefixTerms'] = [];
  for (const g of lexicons.groups.groups) {
    for (const word of lang === 'sv' ? g.sv : g.en) {
      const term: GroupTerm = { lemma: word, prefixes: [], attributive: 'any', scope: 'anywhere', position: 'any', topic: false, context: [], exclude: [], line: 0 };
      const s = stem(word.toLowerCase());
      const ct: CompiledTerm = { group: g.id, term, context: [], parts: [], prefixes: [s], exclusion: null, people: true };
      stemTerms.set(s, [...(stemTerms.get(s) ?? []), ct]);
      // Swedish writes compounds as one word ("flyktingförläggning").
      if (lang === 'sv' && s.length >= 5) prefixTerms.push({ prefix: s, term: ct, anywhere: true });
    }
  }
  prefixTerms.sort((a, b) => b.prefix.length - a.prefix.length);
  const t = lexicons.tone;
  return {
    lang,
    stem,
    partIndex: new Map(),
    lemmaIndex: new Map(),
    prefixTerms,
    stemTerms,
    groupExclusions: new Map(),
    phrases: [],
    populationHeads: setOf([], stem),
    residenceCues: setOf([], stem),
    tone: toneMap(lang, lexicons, morphology, stem),
    negators: setOf(t.negators[lang], stem),
    intensifiers: keyed(t.intensifiers[lang], stem),
    frames: keyed(frameEntries(lexicons, lang), stem, (a, b) => [...a, ...b]),
    speechVerbs: setOf(lexicons.voice.speechVerbs[lang], stem),
    attribution: setOf(lexicons.voice.attribution[lang], stem),
  };
}
