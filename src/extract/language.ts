// The medium n-gram set: as accurate as 'large' on fi/sv/en news text and about 8x faster per call.
import { eld } from 'eld/medium';
import type { Language } from './types.ts';

const SUPPORTED = new Set<string>(['fi', 'sv', 'en']);
/** Below this many letters a guess is noise. */
const MIN_LETTERS = 20;
/** Detection cost grows with length; a few paragraphs decide the language of an article. */
const SAMPLE_CHARS = 2500;

function letterCount(text: string): number {
  let n = 0;
  for (const ch of text) {
    if (/\p{L}/u.test(ch)) n++;
    if (n >= MIN_LETTERS) break;
  }
  return n;
}

export interface LanguageGuess {
  language: string;
  reliable: boolean;
  scores: Record<string, number>;
}

function guess(text: string): LanguageGuess | null {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  if (letterCount(sample) < MIN_LETTERS) return null;
  const r = eld.detect(sample);
  return { language: r.language, reliable: r.isReliable(), scores: r.getScores() };
}

/** fi, sv or en by the text alone; null when the text is too short or in another language. */
export function detectLanguage(text: string): Language | null {
  const g = guess(text);
  if (!g || !SUPPORTED.has(g.language)) return null;
  return g.language as Language;
}

/** Base language of an <html lang> / content-language value when it is one we report. */
export function declaredLanguage(lang: string | null | undefined): Language | null {
  if (!lang) return null;
  const base = lang.trim().toLowerCase().split(/[-_]/)[0];
  if (base === 'fi' || base === 'sv' || base === 'en') return base;
  // Norwegian/Danish declarations are not ours, and 'se' is Northern Sami.
  return null;
}

/**
 * Language of an article: the text decides; the declared page language breaks near-ties
 * (Finland-Swedish and Finnish pages share names and loanwords) and stands in when the text
 * is too short to judge.
 */
export function articleLanguage(text: string, declared: string | null | undefined): Language | null {
  const fromPage = declaredLanguage(declared);
  const g = guess(text);
  if (!g) return fromPage;
  if (g.language === '' || !g.reliable) {
    if (fromPage) return fromPage;
    return SUPPORTED.has(g.language) ? (g.language as Language) : null;
  }
  if (fromPage && fromPage !== g.language) {
    const top = g.scores[g.language] ?? 0;
    const declaredScore = g.scores[fromPage] ?? 0;
    if (declaredScore > 0 && declaredScore >= top * 0.9) return fromPage;
  }
  return SUPPORTED.has(g.language) ? (g.language as Language) : null;
}
