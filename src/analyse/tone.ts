// Tone for relations around a group mention: the words of its sentence (and, more weakly,
// the neighbouring sentences of the paragraph) are scored from the domain list and AFINN,
// with negation and intensifiers. Conflict, crime, hostility and discrimination are
// negative whoever the victim is, so negating such a word ("eivät ole syyllistyneet
// rikokseen") does not make it positive: the tension is still there (R5).
import { factsOf, neighbours, type Doc, type Hit, type TokenInfo } from './doc.ts';
import type { Evidence } from './locality.ts';

export type ToneLabel = 'neg' | 'neu' | 'pos';

export interface ToneResult {
  label: ToneLabel;
  score: number;
  evidence: Evidence[];
}

export interface SentenceTone {
  score: number;
  evidence: Evidence[];
}

const NEGATION_SUFFIX = /t[oö]n$/;
export const MODIFIER_WEIGHT = 0.5;

function negated(doc: Doc, t: TokenInfo, from: number): boolean {
  const window = doc.lexicons.tone.negationWindow;
  for (let j = t.index - 1; j >= from && j >= t.index - window; j--) {
    const u = doc.tokens[j]!;
    if (!u.isWord) {
      if (u.tok.text === ',' || u.tok.text === ';' || u.tok.text === ':') return false;
      continue;
    }
    if (factsOf(doc, u).negator) return true;
  }
  return false;
}

function intensity(doc: Doc, t: TokenInfo, from: number): number {
  for (let j = t.index - 1; j >= from && j >= t.index - 2; j--) {
    const u = doc.tokens[j]!;
    if (!u.isWord) return 1;
    const factor = factsOf(doc, u).intensifier;
    if (factor !== undefined) return factor;
  }
  return 1;
}

/** Tone evidence of each sentence; mention windows combine these. */
export function sentenceTones(doc: Doc): SentenceTone[] {
  const out: SentenceTone[] = [];
  const tone = doc.lexicons.tone;
  for (const s of doc.sentences) {
    let score = 0;
    const evidence: Evidence[] = [];
    for (let i = s.tokenStart; i < s.tokenEnd; i++) {
      const t = doc.tokens[i]!;
      if (!t.isWord) continue;
      let hit: Hit<{ weight: number; source: 'domain' | 'afinn' }> | undefined = factsOf(doc, t).tone;
      let rule: string;
      let weight: number;
      let lemma: string;
      if (hit) {
        // A modifier part says less about the word than its head does.
        weight = hit.head ? hit.value.weight : hit.value.weight * MODIFIER_WEIGHT;
        rule = hit.value.source + (hit.viaPart ? '-part' : '');
        lemma = hit.key;
      } else {
        // "ongelmaton", "syrjinnätön": a -ton/-tön word negates its base.
        const r = t.readings.find((x) => x.negativeDerivation);
        const base = r ? r.lemma.toLowerCase().replace(NEGATION_SUFFIX, '') : null;
        const value = base ? doc.lex.tone.byLemma.get(base) : undefined;
        if (!value || !r) continue;
        hit = { value, key: base!, viaPart: false, head: true };
        weight = value.weight * -0.6;
        rule = `${value.source}-ton`;
        lemma = r.lemma;
      }
      if (weight === 0) continue;
      weight *= intensity(doc, t, s.tokenStart);
      if (negated(doc, t, s.tokenStart)) {
        if (weight > 0) {
          weight *= tone.negationFactor;
          rule += '+negated';
        } else if (hit.value.source === 'afinn') {
          weight *= -tone.negationFactor / 2;
          rule += '+negated';
        }
      }
      weight = Math.round(weight * 100) / 100;
      score += weight;
      evidence.push({ start: t.tok.start, end: t.tok.end, lemma, weight, rule });
    }
    out.push({ score, evidence });
  }
  return out;
}

function labelOf(doc: Doc, score: number): ToneLabel {
  const th = doc.lexicons.tone.thresholds;
  return score <= th.negative ? 'neg' : score >= th.positive ? 'pos' : 'neu';
}

const MAX_EVIDENCE = 6;

/** Tone of a mention: its sentence, plus its neighbours (see `neighbours`) at a lower weight. */
export function toneAround(doc: Doc, tones: SentenceTone[], sentence: number): ToneResult {
  const nw = doc.lexicons.tone.neighbourWeight;
  const own = tones[sentence]!;
  let score = own.score;
  const evidence = [...own.evidence];
  for (const k of neighbours(doc, sentence)) {
    const t = tones[k];
    if (!t || nw === 0) continue;
    score += t.score * nw;
    for (const e of t.evidence) evidence.push({ ...e, weight: Math.round(e.weight * nw * 100) / 100, rule: `${e.rule}+neighbour` });
  }
  score = Math.round(score * 100) / 100;
  evidence.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.start - b.start);
  return { label: labelOf(doc, score), score, evidence: evidence.slice(0, MAX_EVIDENCE) };
}

/** Article tone: the mean of its mention tones (one per sentence, so a long passage does not count twice). */
export function aggregateTone(doc: Doc, mentionTones: { sentence: number; tone: ToneResult }[]): ToneResult {
  if (mentionTones.length === 0) return { label: 'neu', score: 0, evidence: [] };
  const bySentence = new Map<number, ToneResult>();
  for (const m of mentionTones) bySentence.set(m.sentence, m.tone);
  let sum = 0;
  const evidence: Evidence[] = [];
  const seen = new Set<string>();
  for (const t of bySentence.values()) {
    sum += t.score;
    for (const e of t.evidence) {
      const k = `${e.start}:${e.end}`;
      if (!seen.has(k)) {
        seen.add(k);
        evidence.push(e);
      }
    }
  }
  const score = Math.round((sum / bySentence.size) * 100) / 100;
  evidence.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight) || a.start - b.start);
  return { label: labelOf(doc, score), score, evidence: evidence.slice(0, MAX_EVIDENCE) };
}
