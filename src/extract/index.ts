export type { ExtractedArticle, ExtractOptions, FeedItemHints, Language } from './types.ts';
export { extractArticle } from './extract.ts';
export { detectLanguage } from './language.ts';
