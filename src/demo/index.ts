// The offline demo corpus and the server that publishes it on loopback.
export {
  loadDemoCorpus,
  articlePath,
  DemoCorpusError,
  DEFAULT_CORPUS_DIR,
  CORPUS_START,
  CORPUS_END,
  DEMO_GROUPS,
  DEMO_FRAMES,
  DEMO_TONES,
  SITE_TEMPLATES,
} from './corpus.ts';
export type {
  DemoCorpus,
  DemoSource,
  DemoFeed,
  DemoArticle,
  DemoGroup,
  DemoFrame,
  DemoTone,
  SiteTemplate,
  SourceKind,
  FeedFormat,
} from './corpus.ts';
export { startDemoServer, ROBOTS_TXT } from './server.ts';
export type { DemoServer, DemoServerOptions, DemoRequest } from './server.ts';
export { renderArticle, renderFrontPage, escapeHtml } from './templates.ts';
export type { RenderOptions } from './templates.ts';
export { renderFeed, feedArticles, feedLastModified } from './feeds.ts';
export { encodeMarkup } from './encoding.ts';
export { isoWeek, helsinkiTime } from './time.ts';
