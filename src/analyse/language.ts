// Language of an article: Finnish, Swedish or English, or null for anything else (Cyrillic,
// Arabic, too little text). Only these three matter here, and they are told apart reliably by
// their most frequent function words and a few spelling traits. (eld would do it too, but it
// takes about two seconds to load its n-gram tables, on every CLI start and in every worker.)
import type { Lang } from './lexicons.ts';

const FUNCTION_WORDS: Record<Lang, string[]> = {
  fi: [
    'ja', 'on', 'ei', 'että', 'oli', 'se', 'hän', 'kun', 'mutta', 'myös', 'ovat', 'joka', 'tai', 'kuin', 'mukaan',
    'vuonna', 'sekä', 'ole', 'olla', 'jo', 'nyt', 'vain', 'tämä', 'jotka', 'mitä', 'niin', 'sen', 'hänen', 'eivät',
    'tässä', 'siitä', 'kanssa', 'jälkeen', 'vielä', 'ovat', 'eikä', 'jos', 'koska', 'kuitenkin', 'sitä', 'he', 'me',
    'olisi', 'ollut', 'mikä', 'miten', 'siis', 'noin', 'yli', 'alle', 'ennen', 'aikana', 'mm', 'esim', 'kaikki',
    'en', 'et', 'emme', 'ette', 'olen', 'olet', 'olemme', 'onko', 'näin', 'nämä', 'ne', 'hyvin', 'paljon', 'klo',
  ],
  sv: [
    'och', 'i', 'att', 'det', 'som', 'en', 'är', 'på', 'för', 'med', 'till', 'av', 'har', 'inte', 'den', 'om', 'var',
    'de', 'ett', 'jag', 'men', 'så', 'kan', 'från', 'han', 'hon', 'vi', 'också', 'efter', 'eller', 'när', 'nu', 'sig',
    'ska', 'blir', 'finns', 'hade', 'under', 'vid', 'mot', 'utan', 'enligt', 'säger', 'år', 'många', 'bara',
  ],
  en: [
    'the', 'and', 'of', 'to', 'in', 'is', 'that', 'for', 'it', 'was', 'on', 'with', 'as', 'are', 'be', 'this', 'by',
    'at', 'from', 'have', 'has', 'not', 'but', 'they', 'an', 'or', 'were', 'which', 'their', 'will', 'said', 'would',
    'been', 'who', 'its', 'more', 'also', 'about', 'after', 'there', 'than', 'when', 'he', 'she', 'we',
  ],
};

const LOOKUP = new Map<string, Lang[]>();
for (const lang of ['fi', 'sv', 'en'] as const) {
  for (const w of FUNCTION_WORDS[lang]) LOOKUP.set(w, [...(LOOKUP.get(w) ?? []), lang]);
}

// Detection looks at the start of the text: enough for a stable answer, bounded in time.
const SAMPLE_CHARS = 1200;
const WORD_RE = /\p{L}+/gu;

export function detectLanguage(text: string): Lang | null {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  const words = sample.toLowerCase().match(WORD_RE);
  if (!words || words.length === 0) return null;
  let latinWords = 0;
  const score: Record<Lang, number> = { fi: 0, sv: 0, en: 0 };
  for (const w of words) {
    if (!/^[a-zåäöéüšž]+$/.test(w)) continue;
    latinWords++;
    const langs = LOOKUP.get(w);
    if (langs) for (const l of langs) score[l] += 1 / langs.length;
    // Spelling traits: å is Swedish; vowel harmony pairs, double vowels and case endings are Finnish.
    if (w.includes('å')) score.sv += 0.5;
    if (/(ää|öö|yy|ii|uu|aa|uo|yö|äy)/.test(w)) score.fi += 0.3;
    if (/(ssa|ssä|sta|stä|lla|llä|lta|ltä|lle|ksi|nen|ista|isen|iin|aan|ään|een|tta|ttä|ita|itä|sti|vat|vät|nut|nyt|neet|ja|jä)$/.test(w)) score.fi += 0.4;
    if (/(tion|ing|ed|ly)$/.test(w) || /^(th|wh)/.test(w)) score.en += 0.2;
    if (/(ning|het|liga|lig|arna|erna|orna)$/.test(w)) score.sv += 0.2;
  }
  // Another script (Cyrillic, Arabic, ...) or a mixture that is mostly not Latin.
  if (latinWords === 0 || latinWords / words.length < 0.5) return null;
  const ranked = (Object.entries(score) as [Lang, number][]).sort((a, b) => b[1] - a[1]);
  const [best, second] = ranked;
  if (!best || best[1] < 0.6 || (second && best[1] - second[1] < 0.3)) return null;
  return best[0];
}
