// The pipeline's stages. A stage takes a job payload and returns the next jobs; a runner
// (in-process here, BullMQ queues in the distributed mode) decides how they travel. Only
// `poll` and `persist` touch the store, so fetching, extracting and analysing can run anywhere;
// whatever can be worked out from the page alone (the text's dedup fingerprint, the page's
// gzip) is worked out there, leaving the one store-writing process only the writes.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { analyseText, loadLexicons, openMorphology, type Analysis, type Lexicons, type Morphology } from '../analyse/index.ts';
import { DEFAULT_CONFIG_DIR, type AppConfig } from '../config/load.ts';
import { extractArticle, type FeedItemHints } from '../extract/index.ts';
import { pollFeed } from '../feeds/pollFeed.ts';
import { normaliseUrl } from '../feeds/urls.ts';
import { HttpError, type HttpClient, type HttpErrorCode } from '../http/index.ts';
import type { Logger } from '../log/logger.ts';
import { fingerprint } from '../store/dedup.ts';
import type { ArticleInput, Store } from '../store/store.ts';

export interface PollPayload {
  feedId: string;
}

export interface FetchPayload {
  url: string;
  feedId: string;
  hints: FeedItemHints;
}

export interface AnalysePayload {
  feedId: string;
  article: ArticleInput;
}

export type PersistPayload =
  | { kind: 'article'; feedId: string; article: ArticleInput; analysis: Analysis | null }
  | { kind: 'failure'; feedId: string; url: string; code: string; message: string; permanent: boolean; refused: boolean };

export type Job =
  | { stage: 'poll'; id: string; payload: PollPayload }
  | { stage: 'fetch'; id: string; payload: FetchPayload }
  | { stage: 'analyse'; id: string; payload: AnalysePayload }
  | { stage: 'persist'; id: string; payload: PersistPayload };

export type StageName = Job['stage'];

export interface StageContext {
  config: AppConfig;
  http: HttpClient;
  log: Logger;
  now: () => number;
  signal?: AbortSignal;
  /** Present where the store lives (the embedded runner, or the writer process). */
  store?: Store;
  /** Lexicons and morphology, opened on first use by the analyse stage. */
  analyser?: Analyser;
  /** Observers for progress displays and summaries. */
  events?: PipelineEvents;
}

export interface PipelineEvents {
  polled?(feedId: string, outcome: string, newItems: number, error: string | null): void;
  fetched?(url: string, ok: boolean, code?: string): void;
  stored?(url: string, created: boolean, duplicateOf: number | null): void;
}

export interface Analyser {
  lexicons: Lexicons;
  morphology: Morphology;
  /** Set when Voikko is missing: what the fallback costs, to tell the operator once. */
  notice?: string;
}

/** Lexicons from <config>/lexicons (or the shipped ones) and the best morphology available. */
export function openAnalyser(config: AppConfig, opts: { prefer?: 'voikko' | 'snowball' } = {}): Analyser {
  const own = join(config.dir, 'lexicons');
  const lexicons = loadLexicons({
    dir: existsSync(own) ? own : join(DEFAULT_CONFIG_DIR, 'lexicons'),
    municipalitiesFile: config.files.municipalities,
  });
  const { morphology, notice } = openMorphology({ prefer: opts.prefer });
  return { lexicons, morphology, notice };
}

function analyserOf(ctx: StageContext): Analyser {
  if (!ctx.analyser) {
    ctx.analyser = openAnalyser(ctx.config);
    if (ctx.analyser.notice) ctx.log.warn(`notice: ${ctx.analyser.notice}`);
  }
  return ctx.analyser;
}

/** Job ids come from content, so the same work submitted twice is done once. */
export function jobId(stage: StageName, key: string): string {
  return `${stage}:${createHash('sha1').update(key).digest('hex').slice(0, 20)}`;
}

export function pollJob(feedId: string): Job {
  return { stage: 'poll', id: `poll:${feedId}`, payload: { feedId } };
}

function needStore(ctx: StageContext, stage: string): Store {
  if (!ctx.store) throw new Error(`stage ${stage} needs the store; run it in the writer process`);
  return ctx.store;
}

export async function pollStage(p: PollPayload, ctx: StageContext): Promise<Job[]> {
  const store = needStore(ctx, 'poll');
  const feed = store.feed(p.feedId);
  if (!feed) {
    ctx.log.warn('poll for a feed that is not configured', { feed: p.feedId });
    return [];
  }
  const { polling } = ctx.config.settings;
  const result = await pollFeed(feed, ctx.http, polling, ctx.now, ctx.signal);
  const now = ctx.now();
  const newItems = result.items.length > 0 ? store.recordFeedItems(feed.id, result.items.slice(0, polling.maxItemsPerPoll), now) : 0;
  store.recordPoll({ ...result.record, newItems });
  const log = ctx.log.child({ feed: feed.id });
  if (result.record.outcome === 'error' || result.record.outcome === 'gone') {
    log.warn(`feed poll failed: ${result.record.error}`, {
      outcome: result.record.outcome,
      status: result.record.httpStatus,
      failures: result.record.state.consecutive_failures,
      next_poll: result.record.state.next_poll_at ? new Date(result.record.state.next_poll_at).toISOString() : null,
    });
  } else {
    log.debug('feed polled', { outcome: result.record.outcome, items: result.record.items, new_items: newItems });
  }
  for (const w of result.warnings) log.warn(`feed item skipped: ${w}`);
  ctx.events?.polled?.(feed.id, result.record.outcome, newItems, result.record.error);

  // Pending items include earlier failures still within their attempts, so they are
  // retried even when the feed answers 304 Not Modified.
  return store.pendingItems(feed.id, now, polling.maxItemAttempts).map((item) => ({
    stage: 'fetch',
    id: jobId('fetch', item.url),
    payload: {
      url: item.url,
      feedId: feed.id,
      hints: {
        title: item.title ?? undefined,
        description: item.description ?? undefined,
        published: item.publishedAt ?? undefined,
        author: item.author ?? undefined,
      },
    },
  }));
}

/** Which fetch failures are final, and which of them are refusals rather than errors. */
export function classifyFailure(code: HttpErrorCode | 'not_html' | 'no_text', status?: number): { permanent: boolean; refused: boolean } {
  switch (code) {
    case 'bad_url':
    case 'blocked_scheme':
    case 'blocked_address':
    case 'robots_disallowed':
      return { permanent: true, refused: true };
    case 'too_many_redirects':
    case 'redirect_loop':
    case 'body_too_large':
    case 'decoded_too_large':
    case 'decode_failed':
    case 'not_html':
    case 'no_text':
      return { permanent: true, refused: false };
    case 'http_status':
      // 4xx (but 408 and 429) will not change by asking again; 5xx may.
      return { permanent: status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429, refused: false };
    default:
      return { permanent: false, refused: false };
  }
}

const HTML_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';

export async function fetchStage(p: FetchPayload, ctx: StageContext): Promise<Job[]> {
  const persistId = jobId('persist', p.url);
  const fail = (code: HttpErrorCode | 'not_html' | 'no_text', message: string, status?: number): Job[] => {
    ctx.events?.fetched?.(p.url, false, code);
    ctx.log.warn(`article not fetched: ${message}`, { feed: p.feedId, url: p.url, code });
    return [{ stage: 'persist', id: persistId, payload: { kind: 'failure', feedId: p.feedId, url: p.url, code, message, ...classifyFailure(code, status) } }];
  };
  let res;
  try {
    res = await ctx.http.fetch({ url: p.url, accept: HTML_ACCEPT, signal: ctx.signal });
  } catch (e) {
    if (e instanceof HttpError) return fail(e.code, e.message, e.status);
    throw e;
  }
  if (res.contentType && !/html|xml/i.test(res.contentType)) {
    return fail('not_html', `${res.url}: content type ${res.contentType} is not a web page`);
  }
  const html = res.text();
  const extracted = extractArticle(html, res.url, { now: new Date(ctx.now()), feedItem: p.hints });
  if (!extracted.text.trim() && !extracted.title) return fail('no_text', `${res.url}: no article text or title found on the page`);
  ctx.events?.fetched?.(p.url, true);
  const article: ArticleInput = {
    url: p.url,
    finalUrl: normaliseUrl(res.url),
    canonicalUrl: extracted.canonicalUrl ? normaliseUrl(extracted.canonicalUrl) : null,
    title: extracted.title ?? p.hints.title ?? null,
    lead: extracted.lead,
    paragraphs: extracted.paragraphs,
    text: extracted.text,
    published: extracted.published,
    modified: extracted.modified,
    author: extracted.author,
    section: extracted.section,
    siteName: extracted.siteName,
    language: extracted.language,
    paywalled: extracted.paywalled,
    usedFeedFallback: extracted.usedFeedFallback,
    wordCount: extracted.wordCount,
    httpStatus: res.status,
    fetchedAt: ctx.now(),
    // Gzipped here, a third of the size, for the queues after this one as well as the store.
    rawHtml: ctx.config.settings.store.rawHtml ? { gzipBase64: gzipSync(html).toString('base64'), contentType: res.contentType, charset: res.charset } : null,
    fingerprint: fingerprint(extracted.text),
  };
  return [{ stage: 'analyse', id: jobId('analyse', p.url), payload: { feedId: p.feedId, article } }];
}

export async function analyseStage(p: AnalysePayload, ctx: StageContext): Promise<Job[]> {
  const { lexicons, morphology } = analyserOf(ctx);
  const feed = ctx.config.feeds.find((f) => f.id === p.feedId);
  const analysis = analyseText(
    {
      text: p.article.text,
      title: p.article.title ?? undefined,
      // The feed's own towns are a prior for a local paper; a regional feed's story counts
      // for a town only when the text is about it.
      feedMunicipalities: feed?.municipalities,
      regionalFeed: feed?.kind === 'regional_broadcaster',
      language: p.article.language === 'fi' || p.article.language === 'sv' || p.article.language === 'en' ? p.article.language : undefined,
    },
    lexicons,
    morphology,
  );
  return [{ stage: 'persist', id: jobId('persist', p.article.url), payload: { kind: 'article', feedId: p.feedId, article: p.article, analysis } }];
}

export async function persistStage(p: PersistPayload, ctx: StageContext): Promise<Job[]> {
  const store = needStore(ctx, 'persist');
  if (p.kind === 'failure') {
    store.recordItemFailure(p.url, p.code, p.message, { permanent: p.permanent, refused: p.refused, maxAttempts: ctx.config.settings.polling.maxItemAttempts });
    return [];
  }
  const saved = store.saveArticle(p.article, ctx.now());
  // An article already stored (reached again under another URL or as identical text) keeps
  // the analysis it has; `reanalyse` is the way to re-tag stored articles.
  if (saved.created && p.analysis) store.saveAnalysis(saved.articleId, p.analysis, ctx.now());
  ctx.events?.stored?.(p.article.url, saved.created, saved.duplicateOf);
  ctx.log.debug(saved.created ? 'article stored' : 'article already stored', {
    feed: p.feedId,
    url: p.article.url,
    article: saved.articleId,
    matched_by: saved.matchedBy,
    duplicate_of: saved.duplicateOf,
  });
  return [];
}

export const STAGES: { [K in StageName]: (payload: Extract<Job, { stage: K }>['payload'], ctx: StageContext) => Promise<Job[]> } = {
  poll: pollStage,
  fetch: fetchStage,
  analyse: analyseStage,
  persist: persistStage,
};
