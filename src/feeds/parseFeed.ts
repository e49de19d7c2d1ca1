// Feed parsing: rss-parser on a body we fetched ourselves (so our HTTP client's limits,
// charset detection and refusals apply), then items normalised to what the pipeline needs.
import Parser from 'rss-parser';
import { resolveLink } from './urls.ts';
import type { FeedItemInput } from '../store/store.ts';

export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: FeedItemInput[];
  /** Items that could not be used (no link), with the reason; reported, not fatal. */
  skipped: { index: number; reason: string }[];
}

export class FeedParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedParseError';
  }
}

type RawItem = Parser.Item & { id?: string; author?: string; 'dc:creator'?: string; description?: string; summary?: string };

const parser: Parser<Record<string, unknown>, RawItem> = new Parser({
  customFields: { item: ['id', 'author', 'dc:creator', 'description', 'summary'] },
});

export async function parseFeed(body: string, feedUrl: string): Promise<ParsedFeed> {
  const trimmed = body.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.length === 0) throw new FeedParseError('empty body: expected RSS or Atom XML');
  if (!trimmed.startsWith('<')) throw new FeedParseError(`not XML: body starts with "${trimmed.slice(0, 40)}"`);
  let feed: Parser.Output<RawItem> & Record<string, unknown>;
  try {
    feed = await parser.parseString(trimmed);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0] ?? 'unknown error';
    throw new FeedParseError(/not recognized/i.test(msg) ? `not an RSS or Atom feed (${msg})` : `malformed feed XML: ${msg}`);
  }
  const items: FeedItemInput[] = [];
  const skipped: ParsedFeed['skipped'] = [];
  const keys = new Set<string>();
  (feed.items ?? []).forEach((raw, index) => {
    const guid = text(raw.guid) ?? text(raw.id);
    const linkText = text(raw.link) ?? (guid && /^https?:\/\//i.test(guid) ? guid : null);
    if (!linkText) {
      skipped.push({ index, reason: 'item has no link' });
      return;
    }
    const url = resolveLink(linkText, feedUrl);
    if (!url) {
      skipped.push({ index, reason: `item link "${linkText.slice(0, 200)}" is not a URL` });
      return;
    }
    const itemKey = guid ?? url;
    if (keys.has(itemKey)) return; // a feed listing one item twice
    keys.add(itemKey);
    items.push({
      itemKey,
      url,
      guid,
      title: clean(raw.title),
      description: clean(raw.contentSnippet ?? raw.summary ?? raw.description ?? raw.content),
      author: clean(raw.creator ?? raw['dc:creator'] ?? raw.author),
      publishedAt: isoOrNull(raw.isoDate ?? raw.pubDate),
    });
  });
  return { title: clean(feed.title), link: text(feed.link), items, skipped };
}

function text(v: unknown): string | null {
  if (typeof v === 'string') return v.trim() || null;
  if (v && typeof v === 'object' && '_' in v) return text((v as { _: unknown })._);
  return null;
}

function clean(v: unknown): string | null {
  const t = text(v);
  if (!t) return null;
  return t.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 4000) || null;
}

function isoOrNull(v: string | undefined): string | null {
  if (!v) return null;
  const t = Date.parse(v);
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}
