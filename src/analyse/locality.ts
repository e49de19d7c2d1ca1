// Locality: which configured municipalities an article is about. Finnish place names inflect
// with consonant gradation (Huittinen → Huittisissa, Haukipudas → Haukiputaalla); Voikko knows
// most of them, and the `forms:` stems of municipalities.yaml cover the rest and the fallback.
// A mention in the title or the lead weighs more than one in the body; a regional feed's
// story counts for a town only when the town is its subject, not a passing mention.
import { memoFor, type Doc, type TokenInfo } from './doc.ts';
import type { Lexicons } from './lexicons.ts';

export interface Evidence {
  start: number;
  end: number;
  lemma: string;
  weight: number;
  rule: string;
}

export interface PlaceHit {
  code: string;
  token: number;
  sentence: number;
  evidence: Evidence;
}

export interface MunicipalityScore {
  code: string;
  score: number;
  evidence: Evidence[];
}

interface PlaceEntry {
  code: string;
  name: string;
  kind: 'municipality' | 'place';
}

interface PlaceIndex {
  byLemma: Map<string, PlaceEntry>;
  /** Inflection stems bucketed by their first two letters. */
  stems: Map<string, { stem: string; entry: PlaceEntry }[]>;
}

// Finnish case endings (with plural i/e and clitics) and the Swedish genitive -s.
const ENDING = /^(?:[ie]|ie)?(?:|n|a|ä|ta|tä|tta|ttä|ssa|ssä|sta|stä|hin|han|hen|hon|hun|hyn|hän|hön|seen|siin|an|en|in|on|un|yn|än|ön|lla|llä|lta|ltä|lle|na|nä|ksi|ten|den|tten|ne|s)(?:kin|kaan|kään|han|hän|pa|pä|ko|kö)?$/;
const DEMONYM = /^(?:e|i)?(?:lai|läi)(?:nen|s|se|st)/;

const indexCache = new WeakMap<Lexicons, PlaceIndex>();

function indexFor(lexicons: Lexicons): PlaceIndex {
  const hit = indexCache.get(lexicons);
  if (hit) return hit;
  const byLemma = new Map<string, PlaceEntry>();
  const stems = new Map<string, { stem: string; entry: PlaceEntry }[]>();
  const addStem = (stem: string, entry: PlaceEntry): void => {
    const s = stem.toLowerCase();
    if (s.length < 3) return;
    const key = s.slice(0, 2);
    const list = stems.get(key) ?? [];
    if (!list.some((x) => x.stem === s)) list.push({ stem: s, entry });
    stems.set(key, list);
  };
  for (const p of lexicons.places) {
    for (const name of [p.nameFi, p.nameSv]) {
      const entry: PlaceEntry = { code: p.code, name: p.nameFi, kind: 'municipality' };
      byLemma.set(name.toLowerCase(), entry);
      addStem(name, entry);
    }
    for (const place of p.places) {
      const entry: PlaceEntry = { code: p.code, name: place, kind: 'place' };
      byLemma.set(place.toLowerCase(), entry);
      addStem(place, entry);
    }
    for (const form of p.forms) {
      const lower = form.toLowerCase();
      const own = p.places.find((x) => lower.startsWith(x.toLowerCase().slice(0, Math.max(3, x.length - 3))));
      addStem(form, own ? { code: p.code, name: own, kind: 'place' } : { code: p.code, name: p.nameFi, kind: 'municipality' });
    }
  }
  const index = { byLemma, stems };
  indexCache.set(lexicons, index);
  return index;
}

function matchToken(t: TokenInfo, index: PlaceIndex): { entry: PlaceEntry; rule: string } | null {
  if (!t.isWord || t.lower.length < 2) return null;
  const first = t.tok.text[0]!;
  if (first === first.toLowerCase()) return null; // place names are written with a capital
  if (t.known) {
    for (const r of t.readings) {
      const e = index.byLemma.get(r.lemma.toLowerCase());
      if (e && (r.proper === 'place' || r.proper === 'name' || r.pos === 'noun' || r.pos === 'proper')) return { entry: e, rule: e.kind === 'place' ? 'place' : 'name' };
    }
  }
  const list = index.stems.get(t.lower.slice(0, 2));
  if (!list) return null;
  for (const { stem, entry } of list) {
    if (!t.lower.startsWith(stem)) continue;
    const rest = t.lower.slice(stem.length);
    if (ENDING.test(rest)) return { entry, rule: entry.kind === 'place' ? 'place-form' : 'name-form' };
    if (DEMONYM.test(rest)) return { entry, rule: 'demonym' };
  }
  return null;
}

/** Every configured place name in the document, weighted by where it stands. */
export function findPlaces(doc: Doc): PlaceHit[] {
  const index = indexFor(doc.lexicons);
  const out: PlaceHit[] = [];
  // The lead: the first two sentences of the body's first paragraph.
  const firstBody = doc.sentences.find((s) => s.start >= doc.bodyStart);
  const lead = new Set(doc.sentences.filter((s) => firstBody && s.paragraph === firstBody.paragraph && s.index < firstBody.index + 2).map((s) => s.index));
  const memo = memoFor<{ entry: PlaceEntry; rule: string } | null>(index);
  for (const t of doc.tokens) {
    if (!t.isWord) continue;
    let m = memo.get(t.tok.text);
    if (m === undefined) {
      m = matchToken(t, index);
      memo.set(t.tok.text, m);
    }
    if (!m) continue;
    // "Ville Ojala": a place name after a first name is a surname.
    const prev = doc.tokens[t.index - 1];
    if (prev && prev.isWord && prev.readings.some((r) => r.proper === 'firstname') && !prev.readings.some((r) => r.proper === 'place')) continue;
    const inTitle = t.tok.start < doc.bodyStart;
    const inLead = !inTitle && lead.has(t.sentence);
    const base = inTitle ? 3 : inLead ? 2 : 1;
    const weight = m.rule === 'demonym' ? base / 2 : base;
    out.push({
      code: m.entry.code,
      token: t.index,
      sentence: t.sentence,
      evidence: { start: t.tok.start, end: t.tok.end, lemma: m.entry.name, weight, rule: `${m.rule}${inTitle ? '+title' : inLead ? '+lead' : ''}` },
    });
  }
  return out;
}

export interface LocalityInput {
  feedMunicipalities?: string[];
  regionalFeed?: boolean;
}

// A story counts for a town at this score: one mention in the title or lead, or two in the
// body. A regional feed's story must also name the town in its title or lead, or keep coming
// back to it (three body mentions): a passing mention is not what the story is about.
const THRESHOLD = 2;
const REGIONAL_BODY_MENTIONS = 3;
const FEED_PRIOR = 2;

export function scoreLocality(hits: PlaceHit[], input: LocalityInput): MunicipalityScore[] {
  const byCode = new Map<string, MunicipalityScore & { anchored: boolean; body: number }>();
  const get = (code: string): MunicipalityScore & { anchored: boolean; body: number } => {
    let m = byCode.get(code);
    if (!m) {
      m = { code, score: 0, evidence: [], anchored: false, body: 0 };
      byCode.set(code, m);
    }
    return m;
  };
  for (const h of hits) {
    const m = get(h.code);
    m.score += h.evidence.weight;
    if (/\+(title|lead)$/.test(h.evidence.rule)) m.anchored = true;
    else m.body++;
    if (m.evidence.length < 20) m.evidence.push(h.evidence);
  }
  const regional = input.regionalFeed === true;
  // The feed's own town is a prior for a local paper: its stories are local unless shown otherwise.
  if (!regional) {
    for (const code of input.feedMunicipalities ?? []) {
      const m = get(code);
      m.score += FEED_PRIOR;
      m.evidence.push({ start: 0, end: 0, lemma: code, weight: FEED_PRIOR, rule: 'feed-prior' });
    }
  }
  return [...byCode.values()]
    .filter((m) => m.score >= THRESHOLD && (!regional || m.anchored || m.body >= REGIONAL_BODY_MENTIONS))
    .map((m) => ({ code: m.code, score: Math.round(m.score * 100) / 100, evidence: m.evidence }))
    .sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
}
