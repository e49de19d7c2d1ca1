// Language of a text: Finnish, Swedish or English, or null for anything else. This is the one
// language detector of the project (the extractor and the analysis both call it).
//
// Function words decide: every language writes its commonest words in every sentence, so a
// few hundred characters are enough. Languages we do not report (the neighbours that share
// words and letters with ours: Estonian, Norwegian, Danish, German, Dutch, French, Spanish,
// Portuguese, Italian, Czech) take part as competitors, so that their text is answered with
// null instead of being forced into the nearest of our three. n-gram models such as eld cost
// about 190 MB of memory and two seconds of loading in every process for the same answers on
// news text (measured on the extraction eval pages, see the README).
import type { Lang } from './lexicons.ts';

type Candidate = Lang | 'et' | 'no' | 'da' | 'de' | 'nl' | 'fr' | 'es' | 'pt' | 'it' | 'cs';

const FUNCTION_WORDS: Record<Candidate, string> = {
  fi: `ja on ei että oli se hän kun mutta myös ovat joka tai kuin mukaan vuonna sekä ole olla jo nyt vain tämä
    jotka mitä niin sen hänen eivät tässä siitä kanssa jälkeen vielä eikä jos koska kuitenkin sitä he me olisi ollut
    mikä miten siis noin yli alle ennen aikana kaikki en et emme olen olet olemme onko näin nämä ne hyvin paljon klo
    sekä ovat jonka jossa joiden mutta vaan sillä heidän meidän myöskin tänä viime`,
  sv: `och i att det som en är på för med till av har inte den om var de ett jag men så kan från han hon vi också
    efter eller när nu sig ska blir finns hade under vid mot utan enligt säger år många bara någon något detta
    dessa vara varit skulle kommer mellan genom`,
  en: `the and of to in is that for it was on with as are be this by at from have has not but they an or were which
    their will said would been who its more also about after there than when he she we our you can into could`,
  et: `ja on ei et see oli kui ka aga mis ning või kes oma seda selle nad tema siis veel pole olnud kuid nii
    väga ole juba mida ta ma sa meie teie nende ainult kõik üle pärast`,
  no: `og i det som en er på for med til av har ikke den om var de et jeg men så kan fra han hun vi også etter
    eller når nå seg skal blir finnes hadde under ved mot uten ifølge sier år mange bare noe dette`,
  da: `og i at det som en er på for med til af har ikke den om var de et jeg men så kan fra han hun vi også efter
    eller når nu sig skal bliver findes havde under ved mod uden ifølge siger år mange bare noget dette`,
  de: `der die das und in den von zu mit ist im nicht sich des auf für ein eine als auch es an dem werden aus er
    hat dass sie nach wird bei einer um am sind noch wie einem über einen so zum war haben nur oder aber vor zur bis`,
  nl: `de het een en van in is dat op te voor met zijn niet aan er om ook als bij door maar dan nog naar uit was
    worden wordt heeft hebben deze die dit ze wij zij hij`,
  fr: `le la les de des du un une et est en que qui dans pour pas sur au aux avec il elle ce ne se plus par son
    sa ses sont été mais ou comme nous vous ils leur cette`,
  es: `el la los las de del un una y que en es por con para no se su sus al lo como más pero o este esta fue ha
    han ser son también entre sobre desde cuando muy`,
  pt: `o a os as de do da dos das um uma e que em é por com para não se seu sua ao como mais mas ou este esta
    foi tem são também entre sobre quando muito pelo pela`,
  it: `il lo la i gli le di del della un una e che in è per con non si su al come più ma o questo questa sono
    anche tra quando molto nel nella degli`,
  cs: `a v se na je že to s z do o k jsou jako by ale po od pro jak tak jeho její už jen za při který která které
    bylo byl být také než`,
};

const REPORTED = new Set<Candidate>(['fi', 'sv', 'en']);
const CANDIDATES = Object.keys(FUNCTION_WORDS) as Candidate[];

const LOOKUP = new Map<string, Candidate[]>();
for (const lang of CANDIDATES) {
  for (const w of new Set(FUNCTION_WORDS[lang].split(/\s+/).filter(Boolean))) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang]);
}

// Spelling traits that function words alone would miss or tie.
const TRAITS: { lang: Candidate; re: RegExp; weight: number }[] = [
  // Finnish: vowel pairs, case endings and -nen names; Estonian lacks ä-harmony endings like -ssä.
  { lang: 'fi', re: /(ää|öö|yy|äy|yö)/, weight: 0.4 },
  { lang: 'fi', re: /(ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|nen|ista|isen|iin|aan|ään|een|tta|ttä|ita|itä|sti|vat|vät|nut|nyt|neet|ja|jä|iden|ille|ihin|ien|mme|tte|kin|kaan|kään|ten|den|nsa|nsä)$/, weight: 0.4 },
  { lang: 'fi', re: /^[^õü]*[äö][^õü]*$/, weight: 0.2 },
  { lang: 'et', re: /[õ]/, weight: 1.5 },
  { lang: 'et', re: /(ga|st|le|lt|ks|ni|sse)$/, weight: 0.1 },
  { lang: 'sv', re: /å/, weight: 0.3 },
  { lang: 'sv', re: /(ning|het|liga|lig|arna|erna|orna)$/, weight: 0.2 },
  { lang: 'no', re: /[øæ]/, weight: 0.6 },
  { lang: 'da', re: /[øæ]/, weight: 0.6 },
  { lang: 'en', re: /(tion|ing|ed|ly)$/, weight: 0.2 },
  { lang: 'en', re: /^(th|wh)/, weight: 0.2 },
  { lang: 'de', re: /(ß|sch|ung|keit|lich)/, weight: 0.4 },
  { lang: 'fr', re: /[éèêàçù]|(eux|aux|ment)$/, weight: 0.4 },
  { lang: 'es', re: /[ñ¿¡]|(ción|mente)$/, weight: 0.6 },
  { lang: 'pt', re: /[ãõç]|(ção|ões)$/, weight: 0.6 },
  { lang: 'it', re: /(zione|mente|gli)$/, weight: 0.4 },
  { lang: 'cs', re: /[ěščřžýůťďň]/, weight: 0.8 },
];

// Detection looks at the start of the text: enough for a stable answer, bounded in time.
const SAMPLE_CHARS = 1200;
const WORD_RE = /\p{L}+/gu;
const LATIN_WORD = /^[\p{Script=Latin}]+$/u;

export interface LanguageScores {
  best: Candidate | null;
  scores: Record<Candidate, number>;
  latinShare: number;
  words: number;
}

// Trait scores per word, remembered: word frequencies are Zipfian, so most lookups hit.
const traitMemo = new Map<string, [Candidate, number][]>();
const TRAIT_MEMO_MAX = 50_000;

function traitsOf(w: string): [Candidate, number][] {
  let t = traitMemo.get(w);
  if (t === undefined) {
    t = [];
    for (const trait of TRAITS) if (trait.re.test(w)) t.push([trait.lang, trait.weight]);
    if (traitMemo.size >= TRAIT_MEMO_MAX) traitMemo.clear();
    traitMemo.set(w, t);
  }
  return t;
}

export function languageScores(text: string): LanguageScores {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const words = sample.toLowerCase().match(WORD_RE) ?? [];
  const scores = Object.fromEntries(CANDIDATES.map((c) => [c, 0])) as Record<Candidate, number>;
  let latin = 0;
  for (const w of words) {
    if (!LATIN_WORD.test(w)) continue;
    latin++;
    const langs = LOOKUP.get(w);
    if (langs) for (const l of langs) scores[l] += 1 / langs.length;
    for (const [lang, weight] of traitsOf(w)) scores[lang] += weight;
  }
  const ranked = CANDIDATES.map((c) => [c, scores[c]] as const).sort((a, b) => b[1] - a[1]);
  const [first, second] = ranked;
  // A short text may have a single clue; it counts when no other language has any.
  const enough = first !== undefined && (first[1] >= 0.6 || (first[1] >= 0.4 && (second?.[1] ?? 0) === 0));
  const best = enough && (!second || first![1] - second[1] >= 0.3) ? first![0] : null;
  return { best, scores, latinShare: words.length === 0 ? 0 : latin / words.length, words: words.length };
}

/** fi, sv or en; null for other languages and scripts, or too little text to tell. */
export function detectLanguage(text: string): Lang | null {
  const s = languageScores(text);
  // Another script (Cyrillic, Arabic, ...) or a mixture that is mostly not Latin.
  if (s.words === 0 || s.latinShare < 0.5) return null;
  return s.best !== null && REPORTED.has(s.best) ? (s.best as Lang) : null;
}
