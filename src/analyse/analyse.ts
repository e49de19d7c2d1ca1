// analyseText: the whole analysis of one article, a pure function of its text, the lexicons
// and the morphology. Every tag carries its evidence (offsets, lemma, rule).
import { compiledFor } from './compile.ts';
import { buildDoc, type Doc } from './doc.ts';
import { articleFrames, frameAround, sentenceFrames } from './frame.ts';
import { findMentions, residenceSentences } from './groups.ts';
import { detectLanguage } from './language.ts';
import type { Lang, Lexicons } from './lexicons.ts';
import { findPlaces, scoreLocality, type Evidence, type MunicipalityScore } from './locality.ts';
import type { Morphology } from './morphology.ts';
import { aggregateTone, sentenceTones, toneAround, type ToneResult } from './tone.ts';
import { detectVoice, type Voice } from './voice.ts';

export interface AnalyseInput {
  text: string;
  title?: string;
  /** Codes of the feed's own municipalities: a prior for a local feed. */
  feedMunicipalities?: string[];
  /** The feed covers a whole region: a town counts only when the story is about it. */
  regionalFeed?: boolean;
  /** Known language; detected when omitted. */
  language?: Lang;
}

export interface GroupMention {
  group: string;
  start: number;
  end: number;
  surface: string;
  /** The lemma of the matched term (or the phrase). */
  lemma: string;
  /** Which rule fired, e.g. "compound:romani", "lemma:ruotsinkielinen(head:people)". */
  rule: string;
  sentence: number;
  tone: ToneResult;
  frame: string;
}

export interface Analysis {
  language: Lang | null;
  municipalities: MunicipalityScore[];
  mentions: GroupMention[];
  groups: string[];
  /** Article tone: the aggregate of the mention tones (neutral when no group is mentioned). */
  tone: ToneResult;
  /** Main frame of the article, null when no group is mentioned. */
  frame: string | null;
  /** Share of mentions per frame. */
  frames: Record<string, number>;
  voice: Voice[];
  /** Lexicon and code hash, and the morphology used ("a1-…+voikko"). */
  version: string;
  /**
   * Offsets count from the start of the analysed document: the title, a blank line, then the
   * text. `bodyOffset` is where the text starts (0 without a title).
   */
  bodyOffset: number;
  /** The text was longer than the analysis reads (MAX_ANALYSED_CHARS) and was cut. */
  truncated: boolean;
  /**
   * Distinct lower-case base forms of the document's words (lemmas and compound parts, or the
   * stem of a word the morphology does not know), for full-text search: the store indexes
   * them beside the text and keeps them out of result_json.
   */
  lemmas?: string[];
}

export type { Evidence, MunicipalityScore, ToneResult, Voice };

/** News articles are far shorter; past this the text is cut so time stays bounded. */
export const MAX_ANALYSED_CHARS = 200_000;

function boundedText(text: string): { text: string; truncated: boolean } {
  if (text.length <= MAX_ANALYSED_CHARS) return { text, truncated: false };
  const cut = text.lastIndexOf(' ', MAX_ANALYSED_CHARS);
  return { text: text.slice(0, cut > MAX_ANALYSED_CHARS - 1000 ? cut : MAX_ANALYSED_CHARS), truncated: true };
}

export function analyseText(input: AnalyseInput, lexicons: Lexicons, morphology: Morphology): Analysis {
  const title = (input.title ?? '').slice(0, 2000).trim();
  const body = boundedText(typeof input.text === 'string' ? input.text : '');
  const document = title ? `${title}\n\n${body.text}` : body.text;
  const bodyOffset = title ? title.length + 2 : 0;
  const language = input.language ?? detectLanguage(document);
  const compiled = compiledFor(lexicons, morphology);
  const doc = buildDoc(document, bodyOffset, language ?? 'fi', compiled.langs[language ?? 'fi'], lexicons, morphology);

  const places = findPlaces(doc);
  const municipalities = scoreLocality(places, input);
  const residence = residenceSentences(doc, places.map((p) => p.sentence));
  const raw = findMentions(doc, residence);

  const tones = sentenceTones(doc);
  const frameScores = sentenceFrames(doc);
  const toneBySentence = new Map<number, ToneResult>();
  const frameBySentence = new Map<number, ReturnType<typeof frameAround>>();
  const mentions: GroupMention[] = raw.map((m) => {
    let tone = toneBySentence.get(m.sentence);
    if (!tone) {
      tone = toneAround(doc, tones, m.sentence);
      toneBySentence.set(m.sentence, tone);
    }
    let frame = frameBySentence.get(m.sentence);
    if (!frame) {
      frame = frameAround(doc, frameScores, m.sentence, tone);
      frameBySentence.set(m.sentence, frame);
    }
    return { group: m.group, start: m.start, end: m.end, surface: m.surface, lemma: m.lemma, rule: m.rule, sentence: m.sentence, tone, frame: frame.frame };
  });
  const groups = [...new Set(mentions.map((m) => m.group))].sort();
  const tone = aggregateTone(doc, mentions.map((m) => ({ sentence: m.sentence, tone: m.tone })));
  const { frame, frames } = articleFrames(doc, raw.map((m) => frameBySentence.get(m.sentence)!));
  const voice = detectVoice(doc, raw, groups);
  return {
    language,
    municipalities,
    mentions,
    groups,
    tone,
    frame,
    frames,
    voice,
    version: `${lexicons.version}+${morphology.kind}`,
    bodyOffset,
    truncated: body.truncated,
    lemmas: searchLemmas(doc),
  };
}

/** Past this many distinct base forms a text adds nothing a search would miss. */
const MAX_SEARCH_LEMMAS = 20_000;

/**
 * What a search finds the document by: every reading's lemma and compound parts ("romani",
 * "nainen" for "romaninaisten"), and for words the morphology does not know (or in Swedish
 * and English) the stem the lexicons are keyed by. Queries are lemmatised the same way.
 */
function searchLemmas(doc: Doc): string[] {
  const out = new Set<string>();
  for (const t of doc.tokens) {
    if (!t.isWord) continue;
    if (t.known) {
      for (const l of t.lemmas) out.add(l);
      for (const r of t.readings) if (r.parts.length > 1) for (const p of r.parts) if (p.length >= 3) out.add(p);
    } else {
      out.add(t.stem);
    }
    if (out.size >= MAX_SEARCH_LEMMAS) break;
  }
  return [...out];
}
