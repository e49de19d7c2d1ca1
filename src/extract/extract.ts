import { load } from 'cheerio/slim';
import type { Document } from 'domhandler';
import { limitNesting } from './bounds.ts';
import { extractMainText } from './content.ts';
import { dateBounds, parseDate } from './dates.ts';
import { normalizeSpace } from './dom.ts';
import {
  cleanAuthor,
  decodeEntities,
  ldText,
  pickArticleNode,
  resolveAuthor,
  resolveCanonical,
  resolveDates,
  resolveLead,
  resolvePaywall,
  resolveSection,
  resolveSiteName,
  resolveTitle,
} from './fields.ts';
import { articleLanguage } from './language.ts';
import { collectSignals } from './signals.ts';
import type { ExtractedArticle, ExtractOptions } from './types.ts';

/**
 * Pages beyond this are cut before parsing: real articles are far smaller, and the cut keeps
 * time and memory bounded on broken or hostile input.
 */
const MAX_HTML_CHARS = 3_000_000;
/** Real pages nest a few dozen levels; see bounds.ts for why deeper start tags are dropped. */
const MAX_NESTING = 400;

const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

export function countWords(text: string): number {
  let n = 0;
  WORD.lastIndex = 0;
  while (WORD.exec(text) !== null) n++;
  return n;
}

function plainText(htmlish: string): string {
  return normalizeSpace(decodeEntities(htmlish.replace(/<[^>]{0,2000}>/g, ' ')));
}

function splitParagraphs(text: string): string[] {
  return text
    .split(/\n\s*\n|\r\n\s*\r\n|\n/)
    .map((p) => normalizeSpace(p))
    .filter((p) => p.length > 0);
}

/**
 * JSON-LD articleBody is the publisher's own statement of the text. It wins when the page's
 * markup yields clearly less of it (script-rendered pages, bodies split by widgets).
 */
function jsonLdBody(article: Record<string, unknown> | null): string[] | null {
  if (!article) return null;
  const body = article['articleBody'];
  if (typeof body !== 'string') return null;
  const decoded = decodeEntities(body.replace(/<\/(p|div|h\d|li)>|<br\s*\/?>/gi, '\n').replace(/<[^>]{0,2000}>/g, ' '));
  const paragraphs = splitParagraphs(decoded);
  return paragraphs.length > 0 ? paragraphs : null;
}

export function extractArticle(html: string, url: string, options: ExtractOptions = {}): ExtractedArticle {
  const bounds = dateBounds(options.now);
  const feed = options.feedItem ?? {};
  const source = limitNesting(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html, MAX_NESTING);
  const $ = load(source);
  const doc = $.root()[0] as unknown as Document;

  const signals = collectSignals(doc);
  const article = pickArticleNode(signals.jsonLd);
  const siteName = resolveSiteName(signals, article);
  const title = resolveTitle(signals, article, siteName, url) ?? (feed.title ? plainText(feed.title) || null : null);

  let paragraphs = extractMainText(doc, { title });
  const fromLd = jsonLdBody(article);
  if (fromLd) {
    const ldWords = countWords(fromLd.join(' '));
    const domWords = countWords(paragraphs.join(' '));
    if (ldWords >= 80 && domWords < ldWords * 0.6) paragraphs = fromLd;
  }

  let usedFeedFallback = false;
  const description = feed.description ? plainText(feed.description) : '';
  if (description !== '' && paragraphs.join(' ').length < description.length) {
    paragraphs = splitParagraphs(description);
    usedFeedFallback = true;
  }
  const text = paragraphs.join('\n\n');

  const dates = resolveDates(signals, article, url, title, bounds);
  const published = dates.published ?? (feed.published ? parseDate(feed.published, bounds) : null);
  const author = resolveAuthor(signals, article) ?? (feed.author ? cleanAuthor(feed.author) : null);
  const languageSample = text.length >= 200 ? text : [title ?? '', resolveLead(signals, article) ?? '', text].join('\n');

  return {
    url,
    canonicalUrl: resolveCanonical(signals, url),
    title,
    lead: resolveLead(signals, article),
    paragraphs,
    text,
    published,
    modified: dates.modified,
    author,
    section: resolveSection(signals, article, title),
    siteName: siteName ?? (article ? ldText(article['publisher']) : null),
    language: articleLanguage(languageSample, signals.lang),
    paywalled: resolvePaywall(signals, article),
    usedFeedFallback,
    wordCount: countWords(text),
  };
}
