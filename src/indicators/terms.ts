// Distinctive terms: what sets a handful of articles (this week's negative stories about a
// group, say) apart from the town's usual coverage. TF-IDF with the focus articles as one
// side and the baseline articles as the document collection:
//   score(t) = (focus articles containing t / focus articles) · ln((B + 1) / (baseline articles containing t + 1))
// Document frequency rather than raw term frequency on the focus side, so that one long
// article repeating a word does not outweigh a word shared by several stories. Words are
// conflated by their Snowball Finnish stem and shown in their most frequent surface form.
import { stemmer } from '@orama/stemmers/finnish';

export interface DistinctiveTerm {
  term: string;
  score: number;
  /** Focus articles containing the term, and baseline articles containing it. */
  focusDocs: number;
  baselineDocs: number;
}

export interface TermOptions {
  limit?: number;
  /** A term must occur in at least this many focus articles (capped at their number). */
  minFocusDocs?: number;
  /** Extra words never to show (e.g. the municipality's own name). */
  exclude?: readonly string[];
}

// Finnish function words and the commonest verbs and adverbs of news prose: they are frequent
// everywhere, so IDF already damps them, but in a small focus set they would still surface.
const STOPWORDS = new Set(
  `ja tai sekä mutta vaan eli kuin kun jos niin että jotta koska vaikka kuitenkin myös vielä jo nyt sitten siis ei eikä en et emme ette eivät
   ole olla on oli olivat ovat olen olet olemme olette ollut olleet olisi olisivat ollaan oltiin olevan oleva olevat olleen
   se sen siitä sitä siihen siinä sillä siltä sille ne niiden niitä niihin niissä niillä niistä noin
   tämä tämän tästä tätä tähän tässä tällä tältä tälle nämä näiden näitä näihin näissä näillä
   tuo tuon tuota tuohon tuossa tuolla nuo
   hän hänen häntä häneen hänessä hänellä häneltä hänelle he heidän heitä heihin heissä heillä heiltä heille
   minä minun minua minulle minulla me meidän meitä meille meillä sinä sinun sinua te teidän teitä
   joka jonka jota johon jossa josta jolla jolle jolta jotka joiden joita joihin joissa joista joilla joille
   mikä minkä mitä mihin missä mistä millä mille miltä mitkä mutta miten miksi milloin kuinka kuka ketkä kenen
   itse oma oman omaa omat omien omia
   kaikki kaikkien kaikkia kaikille kaikessa muu muut muiden muita muun muuta toinen toisen toista toiset
   yksi yhden yhtä kaksi kahden kolme neljä viisi
   voi voida voivat voidaan voisi pitää pitäisi täytyy saa saada saavat sanoo sanoi sanovat kertoo kertoi kertovat toteaa totesi
   tulee tulla tuli tulevat mukaan mukana kanssa ilman jälkeen ennen aikana vuoden vuonna viikolla viime ensi
   yli alle noin kohti luona luokse takia vuoksi kautta välillä ympäri sisällä ulkona edessä takana
   hyvin paljon vähän enemmän vähemmän aina usein joskus koskaan melko aivan ihan vain ainoastaan juuri lähes
   nyt tänään eilen huomenna kello klo
   tms yms esim mm ns jne`
    .split(/\s+/)
    .filter(Boolean),
);

const WORD = /[\p{L}][\p{L}\p{M}'’-]*/gu;

// Stemming is most of the work (a baseline is hundreds of articles) and news prose repeats
// its words, so stems are remembered; bounded so a long-running server does not grow with it.
const STEMS = new Map<string, string>();
const STEMS_MAX = 200_000;

function stemOf(word: string): string {
  let stem = STEMS.get(word);
  if (stem === undefined) {
    if (STEMS.size >= STEMS_MAX) STEMS.clear();
    STEMS.set(word, (stem = stemmer(word)));
  }
  return stem;
}

/** Each content word of a text with its stem, in order. */
function forEachContentWord(text: string, exclude: ReadonlySet<string>, visit: (word: string, stem: string) => void): void {
  for (const m of text.toLowerCase().matchAll(WORD)) {
    const w = m[0].replace(/['’-]+$/, '');
    if (w.length < 3 || STOPWORDS.has(w) || exclude.has(w)) continue;
    const stem = stemOf(w);
    if (!exclude.has(stem)) visit(w, stem);
  }
}

/** Stems of the content words of a text, with the surface forms seen for each. */
export function contentStems(text: string, exclude: ReadonlySet<string> = new Set()): Map<string, string[]> {
  const out = new Map<string, string[]>();
  forEachContentWord(text, exclude, (w, stem) => {
    const forms = out.get(stem);
    if (forms) forms.push(w);
    else out.set(stem, [w]);
  });
  return out;
}

/** How many baseline articles contain each stem: the IDF side, computed once per baseline. */
export interface DocumentFrequencies {
  documents: number;
  df: ReadonlyMap<string, number>;
}

/**
 * The baseline's document frequencies. A report asks for terms per group and per alert against
 * the same town's baseline: reading its few hundred texts once instead of once per question.
 */
export function documentFrequencies(texts: readonly string[]): DocumentFrequencies {
  const df = new Map<string, number>();
  const none = new Set<string>();
  for (const text of texts) {
    // The stems alone: a baseline text's surface forms are never shown.
    const stems = new Set<string>();
    forEachContentWord(text, none, (_, stem) => stems.add(stem));
    for (const stem of stems) df.set(stem, (df.get(stem) ?? 0) + 1);
  }
  return { documents: texts.length, df };
}

export function distinctiveTerms(focus: readonly string[], baseline: readonly string[] | DocumentFrequencies, opts: TermOptions = {}): DistinctiveTerm[] {
  if (focus.length === 0) return [];
  const exclude = new Set<string>();
  for (const e of opts.exclude ?? []) {
    for (const m of e.toLowerCase().matchAll(WORD)) {
      exclude.add(m[0]);
      exclude.add(stemOf(m[0]));
    }
  }
  const focusDf = new Map<string, number>();
  const forms = new Map<string, Map<string, number>>();
  for (const text of focus) {
    for (const [stem, surfaces] of contentStems(text, exclude)) {
      focusDf.set(stem, (focusDf.get(stem) ?? 0) + 1);
      let f = forms.get(stem);
      if (!f) forms.set(stem, (f = new Map()));
      for (const s of surfaces) f.set(s, (f.get(s) ?? 0) + 1);
    }
  }
  // Excluded words never reach focusDf, so the baseline's frequencies are taken without
  // exclusions and can be shared. They differ from excluding in the baseline only where an
  // excluded stem is written out in a text and stems again to a focus word (a town name's
  // stem as a word of its own): rare, and it only lowers that word's score.
  const base = 'df' in baseline ? baseline : documentFrequencies(baseline);
  const baseDf = base.df;
  const minDocs = Math.min(opts.minFocusDocs ?? 2, focus.length);
  const out: DistinctiveTerm[] = [];
  for (const [stem, df] of focusDf) {
    if (df < minDocs) continue;
    const bdf = baseDf.get(stem) ?? 0;
    const score = (df / focus.length) * Math.log((base.documents + 1) / (bdf + 1));
    if (score <= 0) continue;
    const surface = [...forms.get(stem)!.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0]![0];
    out.push({ term: surface, score, focusDocs: df, baselineDocs: bdf });
  }
  out.sort((a, b) => b.score - a.score || a.term.localeCompare(b.term));
  return out.slice(0, opts.limit ?? 10);
}
