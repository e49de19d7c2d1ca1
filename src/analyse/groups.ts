// Group mentions. A word mentions a group when one of the group's terms is its lemma or a
// run of its compound parts ("romaninaisten" = romani + nainen), unless a false friend vetoes
// it. Rules then read the context the way a Finnish reader would:
// - an adjectival group word before a noun refers to people only when the noun does
//   ("ruotsinkieliset lapset", not "ruotsinkielinen päivähoito", not "venäläiset joukot");
// - a capitalised group word inside a name is a surname ("Sami Venäläinen");
// - nationality words of states count only with people living in or moving to Finland (R3);
// - per-term context rules ("turvapaikan saanut" is a refugee, not an asylum seeker).
import type { CompiledTerm, Exclusion } from './compile.ts';
import { factsOf, has, memoFor, neighbours, type Doc, type TokenInfo } from './doc.ts';
import { guessInflection, type Reading } from './morphology.ts';

export interface RawMention {
  group: string;
  tokenStart: number;
  tokenEnd: number;
  start: number;
  end: number;
  surface: string;
  /** The lemma of the matched term. */
  lemma: string;
  rule: string;
  sentence: number;
  /** The mention denotes people (not a topic such as "maahanmuutto"): it can be a speaker. */
  people: boolean;
}

type Position = 'whole' | 'head' | 'modifier';

interface Candidate {
  ct: CompiledTerm;
  position: Position;
  how: 'lemma' | 'compound' | 'prefix' | 'stem';
  reading: Reading | null;
}

const ADJECTIVAL: ReadonlySet<Reading['pos']> = new Set(['adjective', 'noun_adjective']);

function partsMatch(parts: string[], at: number, seq: string[]): boolean {
  if (at + seq.length > parts.length) return false;
  for (let k = 0; k < seq.length; k++) if (parts[at + k] !== seq[k]) return false;
  return true;
}

function containsSeq(parts: string[], seq: string[]): boolean {
  for (let p = 0; p + seq.length <= parts.length; p++) if (partsMatch(parts, p, seq)) return true;
  return false;
}

// Candidates and vetoes depend only on the word form: computed once per form.
function candidates(doc: Doc, t: TokenInfo): Candidate[] {
  const memo = memoFor<Candidate[]>(doc.lex.partIndex);
  const hit = memo.get(t.tok.text);
  if (hit) return hit;
  const found = candidatesUncached(doc, t).filter((c) => !vetoed(t, doc.lex.groupExclusions.get(c.ct.group)) && !vetoed(t, c.ct.exclusion));
  memo.set(t.tok.text, found);
  return found;
}

function candidatesUncached(doc: Doc, t: TokenInfo): Candidate[] {
  const lex = doc.lex;
  const out: Candidate[] = [];
  if (lex.lang !== 'fi') {
    for (const ct of lex.stemTerms.get(t.stem) ?? []) out.push({ ct, position: 'whole', how: 'stem', reading: null });
    if (out.length === 0) prefixCandidates(doc, t, out);
    return out;
  }
  if (t.known) {
    for (const r of t.readings) {
      const parts = r.parts;
      for (let p = 0; p < parts.length; p++) {
        const list = lex.partIndex.get(parts[p]!);
        if (!list) continue;
        for (const { term, alt } of list) {
          const seq = term.parts[alt]!;
          if (!partsMatch(parts, p, seq)) continue;
          const end = p + seq.length;
          const position: Position = end === parts.length ? (p === 0 ? 'whole' : 'head') : 'modifier';
          out.push({ ct: term, position, how: position === 'whole' ? 'lemma' : 'compound', reading: r });
        }
      }
      for (const term of lex.lemmaIndex.get(r.lemma.toLowerCase()) ?? []) out.push({ ct: term, position: 'whole', how: 'lemma', reading: r });
    }
    return out;
  }
  prefixCandidates(doc, t, out);
  return out;
}

// Words without a Voikko reading (the fallback, slang such as "mamu", typos) match by prefix.
function prefixCandidates(doc: Doc, t: TokenInfo, out: Candidate[]): void {
  const w = t.lower;
  const seen = new Set<CompiledTerm>();
  for (const { prefix, term, anywhere } of doc.lex.prefixTerms) {
    if (seen.has(term)) continue;
    let at = -1;
    if (w.startsWith(prefix)) at = 0;
    else if (anywhere) at = w.indexOf(prefix, 1);
    if (at < 0) continue;
    seen.add(term);
    // What follows the prefix: a short rest is an inflection ending, a long one another word.
    const rest = w.length - at - prefix.length;
    const position: Position = rest <= 7 ? (at === 0 ? 'whole' : 'head') : 'modifier';
    out.push({ ct: term, position, how: doc.lex.lang === 'fi' ? 'prefix' : 'stem', reading: t.readings[0] ?? null });
  }
}

function vetoed(t: TokenInfo, ex: Exclusion | null | undefined): boolean {
  if (!ex) return false;
  if (t.known) {
    for (const l of t.lemmas) if (ex.lemmas.has(l)) return true;
    for (const r of t.readings) for (const seq of ex.parts) if (containsSeq(r.parts, seq)) return true;
    return false;
  }
  for (const p of ex.prefixes) if (t.lower.includes(p)) return true;
  return false;
}

/** A capitalised word inside a run of names: "Sami Venäläinen", "Mohammad Islam". */
function isSurname(doc: Doc, t: TokenInfo): boolean {
  if (!t.capital || t.initial) return false;
  if (t.readings.some((r) => r.proper === 'surname' || r.proper === 'firstname')) return true;
  const prev = doc.tokens[t.index - 1];
  return prev !== undefined && prev.isWord && prev.capital && prev.tok.end + 1 >= t.tok.start;
}

function inflectionOf(t: TokenInfo): Reading[] {
  if (t.readings.length > 0) return t.readings;
  return guessInflection(t.lower).map((g) => ({ lemma: t.lower, parts: [t.lower], pos: g.pos, case: g.case, plural: g.plural }));
}

function agrees(a: Reading, b: Reading): boolean {
  return a.case !== undefined && a.case !== '' && a.case === b.case && !!a.plural === !!b.plural;
}

const CONTINUE_POS: ReadonlySet<Reading['pos']> = new Set(['adjective', 'numeral', 'pronoun', 'adverb', 'adposition']);
const CONJUNCTIONS = new Set(['ja', 'tai', 'sekä', 'että', 'eli', 'ynnä', 'taikka']);

type HeadKind = 'people' | 'common' | 'proper' | 'nominal';

/**
 * What an adjectival group word describes: scans the noun phrase to its right for the noun it
 * agrees with (skipping adjectives, numerals, genitive modifiers and coordinations).
 * "nominal" means the word stands as a noun itself ("ruotsinkieliset olisivat muuttaneet").
 */
function headOf(doc: Doc, t: TokenInfo, own: Reading[]): HeadKind {
  const sentence = doc.sentences[t.sentence]!;
  const end = Math.min(sentence.tokenEnd, t.index + 7);
  let fallback: HeadKind | null = null;
  for (let j = t.index + 1; j < end; j++) {
    const u = doc.tokens[j]!;
    if (u.tok.kind === 'number') continue;
    if (!u.isWord) break;
    if (CONJUNCTIONS.has(u.lower)) continue;
    const readings = inflectionOf(u);
    const agreeing = readings.filter((r) => own.some((o) => agrees(o, r)));
    // Inside a sentence a capital marks a name, whatever else Voikko reads into it ("Mursin"),
    // when it belongs to the noun phrase (agrees, or is a genitive modifier).
    if (u.capital && !u.initial) {
      if (agreeing.length > 0 || readings.some((r) => r.case === 'omanto') || !u.known) return 'proper';
      break;
    }
    if (agreeing.length > 0) {
      const nounish = agreeing.find((r) => r.pos === 'noun' || r.pos === 'proper' || r.pos === 'abbreviation' || r.pos === 'unknown');
      if (nounish) {
        if (nounish.pos === 'proper') return 'proper';
        return factsOf(doc, u).people ? 'people' : 'common';
      }
      const nounAdj = agreeing.find((r) => r.pos === 'noun_adjective');
      if (nounAdj && fallback === null) fallback = factsOf(doc, u).people ? 'people' : 'common';
      if (agreeing.some((r) => CONTINUE_POS.has(r.pos) || r.pos === 'noun_adjective')) continue;
    }
    if (readings.some((r) => r.case === 'omanto' && r.pos !== 'verb')) continue;
    if (readings.some((r) => r.pos === 'adverb' || r.pos === 'adposition')) continue;
    break;
  }
  return fallback ?? 'nominal';
}

function residenceAround(doc: Doc, sentence: number, residence: boolean[]): boolean {
  return residence[sentence] === true || neighbours(doc, sentence).some((k) => residence[k] === true);
}

function contextNear(doc: Doc, t: TokenInfo, window: number, near: CompiledTerm['context'][number]['near']): boolean {
  const s = doc.sentences[t.sentence]!;
  const from = Math.max(s.tokenStart, t.index - window);
  const to = Math.min(s.tokenEnd, t.index + window + 1);
  for (let j = from; j < to; j++) {
    if (j === t.index) continue;
    if (has(near, doc.tokens[j]!)) return true;
  }
  return false;
}

function phraseMentions(doc: Doc, consumed: Set<number>): RawMention[] {
  const out: RawMention[] = [];
  if (doc.lex.phrases.length === 0) return out;
  const accepts = (u: TokenInfo, alts: string[]): boolean => {
    for (const a of alts) if (a === '*' || a === u.lower || a === u.stem || u.lemmas.includes(a)) return true;
    return false;
  };
  for (const s of doc.sentences) {
    for (let i = s.tokenStart; i < s.tokenEnd; i++) {
      if (!doc.tokens[i]!.isWord) continue;
      for (const ph of doc.lex.phrases) {
        let j = i;
        let ok = true;
        for (const alts of ph.pattern) {
          while (j < s.tokenEnd && doc.tokens[j]!.tok.kind === 'punct' && doc.tokens[j]!.tok.text === '-') j++;
          const u = doc.tokens[j];
          if (!u || j >= s.tokenEnd || (!u.isWord && !alts.includes('*'))) {
            ok = false;
            break;
          }
          if (!accepts(u, alts)) {
            ok = false;
            break;
          }
          j++;
        }
        if (!ok) continue;
        const a = doc.tokens[i]!;
        const b = doc.tokens[j - 1]!;
        for (let k = i; k < j; k++) consumed.add(k);
        out.push({
          group: ph.group,
          tokenStart: i,
          tokenEnd: j,
          start: a.tok.start,
          end: b.tok.end,
          surface: doc.text.slice(a.tok.start, b.tok.end),
          lemma: ph.text,
          rule: `phrase:${ph.text}`,
          sentence: s.index,
          people: true,
        });
      }
    }
  }
  return out;
}

/** All group mentions of the document, one per word and group, in text order. */
export function findMentions(doc: Doc, residence: boolean[]): RawMention[] {
  const consumed = new Set<number>();
  const out = phraseMentions(doc, consumed);
  const tagged = new Set<string>();
  for (const t of doc.tokens) {
    if (!t.isWord || consumed.has(t.index) || t.lower.length < 3) continue;
    const cands = candidates(doc, t);
    if (cands.length === 0) continue;
    const done = new Set<string>();
    for (const c of cands) {
      const { ct } = c;
      if (done.has(ct.group)) continue;
      const term = ct.term;
      if (term.position === 'whole' && c.position !== 'whole') continue;
      if (term.position === 'head' && c.position === 'modifier') continue;
      if (isSurname(doc, t)) continue;
      const notes: string[] = [];
      if (term.attributive !== 'any' && c.position !== 'modifier') {
        const own = inflectionOf(t).filter((r) => ADJECTIVAL.has(r.pos) || r.pos === 'unknown');
        if (own.length > 0) {
          const head = headOf(doc, t, own);
          if (term.attributive === 'people' && (head === 'common' || head === 'proper')) continue;
          if (term.attributive === 'common' && head === 'proper') continue;
          if (head !== 'nominal') notes.push(`head:${head}`);
        }
      }
      if (term.scope === 'resident') {
        if (!residenceAround(doc, t.sentence, residence)) continue;
        notes.push('resident');
      }
      let group: string | null = ct.group;
      const also: string[] = [];
      for (const ctx of ct.context) {
        if (!contextNear(doc, t, ctx.window, ctx.near)) continue;
        if (ctx.then !== undefined) {
          group = ctx.then;
          notes.push(`context→${ctx.then ?? 'none'}`);
        }
        if (ctx.also !== undefined) also.push(ctx.also);
      }
      done.add(ct.group);
      const rule = `${c.how}:${term.lemma}${notes.length > 0 ? `(${notes.join(',')})` : ''}`;
      for (const g of [group, ...also]) {
        if (g === null || tagged.has(`${t.index}:${g}`)) continue;
        tagged.add(`${t.index}:${g}`);
        out.push({
          group: g,
          tokenStart: t.index,
          tokenEnd: t.index + 1,
          start: t.tok.start,
          end: t.tok.end,
          surface: t.tok.text,
          lemma: term.lemma,
          rule,
          sentence: t.sentence,
          people: ct.people && (c.position !== 'modifier' || headIsPeople(doc, t)),
        });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start || a.group.localeCompare(b.group));
}

// "maahanmuuttajanuoret" (a people head) is people; "romanikylä" is a place.
function headIsPeople(doc: Doc, t: TokenInfo): boolean {
  return factsOf(doc, t).people;
}

/** Sentences that place people in Finland: residence cues or a configured place. */
export function residenceSentences(doc: Doc, placeSentences: Iterable<number>): boolean[] {
  const out = new Array<boolean>(doc.sentences.length).fill(false);
  for (const s of placeSentences) out[s] = true;
  for (const t of doc.tokens) {
    if (!t.isWord || out[t.sentence]) continue;
    if (factsOf(doc, t).residence) out[t.sentence] = true;
  }
  return out;
}
