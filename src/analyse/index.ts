// The analysis stage: language, locality, group mentions, tone, frame and voice of an
// article, with evidence. Pure functions over text, lexicon data and a morphology; the store,
// pipeline and CLI call analyseText once per article and keep `version` with the result.
export { analyseText, MAX_ANALYSED_CHARS, type AnalyseInput, type Analysis, type GroupMention, type Evidence, type MunicipalityScore, type ToneResult, type Voice } from './analyse.ts';
export { loadLexicons, type Lexicons, type LoadLexiconsOptions, type Lang } from './lexicons.ts';
export { openMorphology, voikkoAvailable, type Morphology, type WordAnalysis, type Reading, type OpenMorphologyOptions } from './morphology.ts';
export { tokenize, splitSentences, type Token, type Sentence } from './text.ts';
export { detectLanguage } from './language.ts';
export type { ToneLabel } from './tone.ts';
