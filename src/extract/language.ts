// The language of a page: the text decides (with the project's one detector, shared with
// the analysis); the page's declared language stands in when the text is too short to judge.
import { detectLanguage, languageScores } from '../analyse/language.ts';
import type { Language } from './types.ts';

export { detectLanguage };

/** Base language of an <html lang> / content-language value when it is one we report. */
export function declaredLanguage(lang: string | null | undefined): Language | null {
  if (!lang) return null;
  const base = lang.trim().toLowerCase().split(/[-_]/)[0];
  if (base === 'fi' || base === 'sv' || base === 'en') return base;
  // Norwegian/Danish declarations are not ours, and 'se' is Northern Sami.
  return null;
}

/** Below this many words the text alone is not trusted. */
const MIN_WORDS = 8;

/**
 * Language of an article: the text decides; the declared page language stands in when the
 * text is too short or gives no clear answer (placeholder text, a page of links).
 */
export function articleLanguage(text: string, declared: string | null | undefined): Language | null {
  const fromPage = declaredLanguage(declared);
  const s = languageScores(text);
  // Real prose in any of the candidate languages is a third or more function words; far
  // fewer (placeholder Latin, lists of names) means the text cannot say.
  const evidence = s.best === null ? 0 : s.scores[s.best] / Math.max(1, Math.min(s.words, 300));
  if (s.words < MIN_WORDS || s.best === null || evidence < 0.08) return fromPage;
  return detectLanguage(text);
}
