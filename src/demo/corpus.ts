// The offline demo corpus: sources (data/demo/sources.yaml) and hand-written articles
// (data/demo/articles/<source-id>.yaml). The articles carry their ground truth (locality,
// groups, tone, frame, voice), so the same files drive the demo server and the tests that
// check what the pipeline makes of them. Everything is validated here, at load, so that a
// typo in one entry fails loudly with its file, slug and field instead of quietly skewing
// an indicator.

import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { helsinkiTime } from './time.ts';

export const DEMO_GROUPS = [
  'immigrants', 'asylum_seekers', 'refugees', 'roma', 'sami', 'russian_speakers',
  'swedish_speakers', 'somalis', 'muslims', 'jews', 'ukrainians', 'estonians', 'other_ethnic',
] as const;
export type DemoGroup = (typeof DEMO_GROUPS)[number];

export const DEMO_FRAMES = [
  'crime_security', 'threat_burden', 'victim_discrimination', 'integration_work',
  'culture_community', 'policy_admin', 'other',
] as const;
export type DemoFrame = (typeof DEMO_FRAMES)[number];

export const DEMO_TONES = ['neg', 'neu', 'pos'] as const;
export type DemoTone = (typeof DEMO_TONES)[number];

export const SITE_TEMPLATES = ['portal', 'classic', 'subscriber', 'broadcaster', 'city'] as const;
export type SiteTemplate = (typeof SITE_TEMPLATES)[number];

export const SOURCE_KINDS = ['local_paper', 'regional_broadcaster', 'city'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export type FeedFormat = 'rss2' | 'rss1' | 'atom';

/** First and last instant of the corpus: ISO weeks 2026-W36 … 2026-W47 in Helsinki. */
export const CORPUS_START = new Date('2026-08-31T00:00:00+03:00');
export const CORPUS_END = new Date('2026-11-23T00:00:00+02:00'); // exclusive

export interface DemoFeed {
  id: string;
  source: string;
  title: string;
  /** path on the demo server, e.g. /forssan-seutu/feed.xml */
  path: string;
  format: FeedFormat;
  encoding: 'utf-8' | 'iso-8859-1';
  pubDate: 'gmt' | 'helsinki';
  guid: 'link' | 'urn';
  linkQuery?: string;
  fullText: boolean;
  region?: string;
  /** configured municipalities the feed covers (names) and their codes */
  municipalities: string[];
  municipalityCodes: string[];
  /** towns the feed also reports on that are not configured */
  alsoCovers: string[];
}

export interface DemoSource {
  id: string;
  name: string;
  kind: SourceKind;
  municipalities: string[];
  municipalityCodes: string[];
  template: SiteTemplate;
  encoding: 'utf-8' | 'windows-1252';
  feeds: DemoFeed[];
}

export interface DemoArticle {
  // as written in the YAML
  slug: string;
  published: string;
  modified?: string;
  author?: string;
  section: string;
  title: string;
  lead: string;
  body: string;
  feeds: string[];
  municipalities: string[];
  groups: DemoGroup[];
  tone: DemoTone;
  frame?: DemoFrame;
  voice?: boolean;
  paywalled?: boolean;
  syndicated_from?: string;
  // derived
  source: string;
  /** "<source>/<slug>", the form syndicated_from refers to */
  id: string;
  /** path on the demo server */
  url: string;
  /** body split into paragraphs (blank-line separated, inner line breaks joined) */
  paragraphs: string[];
}

export interface DemoCorpus {
  sources: DemoSource[];
  articles: DemoArticle[];
}

export class DemoCorpusError extends Error {
  constructor(
    readonly file: string,
    readonly slug: string | undefined,
    readonly field: string | undefined,
    problem: string,
  ) {
    super(`${file}${slug !== undefined ? `: ${slug}` : ''}${field !== undefined ? `: ${field}` : ''}: ${problem}`);
    this.name = 'DemoCorpusError';
  }
}

export const DEFAULT_CORPUS_DIR = fileURLToPath(new URL('../../data/demo', import.meta.url));

const cache = new Map<string, { stamp: string; corpus: DemoCorpus }>();

/**
 * Loads and validates the corpus. Synchronous and cached; the cache is keyed on the
 * files' sizes and modification times so that an edited article file is picked up.
 */
export function loadDemoCorpus(dir: string = DEFAULT_CORPUS_DIR): DemoCorpus {
  const root = resolve(dir);
  const files = corpusFiles(root);
  const stamp = files.map((f) => {
    const st = statSync(f);
    return `${f}:${st.size}:${st.mtimeMs}`;
  }).join('|');
  const hit = cache.get(root);
  if (hit && hit.stamp === stamp) return hit.corpus;
  const corpus = readCorpus(root, files);
  cache.set(root, { stamp, corpus });
  return corpus;
}

function corpusFiles(root: string): string[] {
  const sourcesFile = join(root, 'sources.yaml');
  if (!existsSync(sourcesFile)) throw new DemoCorpusError(sourcesFile, undefined, undefined, 'file not found');
  const articleDir = join(root, 'articles');
  const articleFiles = existsSync(articleDir)
    ? readdirSync(articleDir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort().map((f) => join(articleDir, f))
    : [];
  return [sourcesFile, ...articleFiles];
}

function readCorpus(root: string, files: string[]): DemoCorpus {
  const [sourcesFile, ...articleFiles] = files;
  if (sourcesFile === undefined) throw new Error('unreachable: corpusFiles always lists sources.yaml');
  const sources = parseSources(relName(root, sourcesFile), readYaml(sourcesFile, root));
  const byId = new Map(sources.map((s) => [s.id, s]));
  const knownCodes = new Set(sources.flatMap((s) => s.feeds.flatMap((f) => f.municipalityCodes).concat(s.municipalityCodes)));
  const articles: DemoArticle[] = [];
  const loadedSources = new Set<string>();
  for (const file of articleFiles) {
    const rel = relName(root, file);
    const sourceId = basename(file).replace(/\.ya?ml$/, '');
    const source = byId.get(sourceId);
    if (!source) throw new DemoCorpusError(rel, undefined, undefined, `no source "${sourceId}" in sources.yaml`);
    loadedSources.add(sourceId);
    const raw = readYaml(file, root);
    if (raw === null || raw === undefined) continue; // an empty file is a source not written yet
    if (!Array.isArray(raw)) throw new DemoCorpusError(rel, undefined, undefined, 'expected a YAML list of articles');
    const slugs = new Set<string>();
    raw.forEach((entry, i) => {
      const article = parseArticle(rel, i, entry, source, knownCodes);
      if (slugs.has(article.slug)) throw new DemoCorpusError(rel, article.slug, 'slug', 'duplicate slug in this source');
      slugs.add(article.slug);
      articles.push(article);
    });
  }
  checkCrossReferences(root, articles, byId, loadedSources);
  const order = new Map(sources.map((s, i) => [s.id, i]));
  articles.sort((a, b) =>
    (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) ||
    Date.parse(a.published) - Date.parse(b.published) ||
    a.slug.localeCompare(b.slug));
  return { sources, articles };
}

function relName(root: string, file: string): string {
  const rel = file.startsWith(root) ? file.slice(root.length + 1) : file;
  return root === DEFAULT_CORPUS_DIR ? `data/demo/${rel}` : rel;
}

function readYaml(file: string, root: string): unknown {
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new DemoCorpusError(relName(root, file), undefined, undefined, `invalid YAML: ${(err as Error).message}`);
  }
}

// ---------------------------------------------------------------- sources.yaml

function parseSources(rel: string, raw: unknown): DemoSource[] {
  if (!isRecord(raw)) throw new DemoCorpusError(rel, undefined, undefined, 'expected a mapping');
  const towns = raw.municipalities;
  if (!isRecord(towns)) throw new DemoCorpusError(rel, undefined, 'municipalities', 'expected a mapping name → code');
  const codeOf = new Map<string, string>();
  for (const [name, code] of Object.entries(towns)) {
    if (typeof code !== 'string' || !/^\d{3}$/.test(code)) {
      throw new DemoCorpusError(rel, undefined, `municipalities.${name}`, 'expected a quoted three-digit code');
    }
    codeOf.set(name, code);
  }
  if (!Array.isArray(raw.sources)) throw new DemoCorpusError(rel, undefined, 'sources', 'expected a list');
  const seenSources = new Set<string>();
  const seenFeeds = new Set<string>();
  const seenPaths = new Set<string>();
  const towns2codes = (where: string, field: string, v: unknown): { names: string[]; codes: string[] } => {
    const names = stringList(v, () => new DemoCorpusError(rel, where, field, 'expected a list of municipality names'));
    const codes = names.map((n) => {
      const c = codeOf.get(n);
      if (!c) throw new DemoCorpusError(rel, where, field, `"${n}" is not in municipalities`);
      return c;
    });
    return { names, codes };
  };
  return raw.sources.map((s: unknown, i: number): DemoSource => {
    if (!isRecord(s)) throw new DemoCorpusError(rel, `#${i + 1}`, undefined, 'expected a mapping');
    const id = reqString(rel, `#${i + 1}`, s, 'id');
    if (!/^[a-z0-9-]+$/.test(id)) throw new DemoCorpusError(rel, id, 'id', 'use a-z, 0-9 and -');
    if (seenSources.has(id)) throw new DemoCorpusError(rel, id, 'id', 'duplicate source id');
    seenSources.add(id);
    const kind = oneOf(rel, id, s, 'kind', SOURCE_KINDS);
    const template = oneOf(rel, id, s, 'template', SITE_TEMPLATES);
    const encoding = oneOf(rel, id, s, 'encoding', ['utf-8', 'windows-1252'] as const);
    const { names, codes } = towns2codes(id, 'municipalities', s.municipalities);
    if (!Array.isArray(s.feeds) || s.feeds.length === 0) throw new DemoCorpusError(rel, id, 'feeds', 'expected a non-empty list');
    const feeds = s.feeds.map((f: unknown, j: number): DemoFeed => {
      const where = `${id}.feeds[${j}]`;
      if (!isRecord(f)) throw new DemoCorpusError(rel, where, undefined, 'expected a mapping');
      const feedId = reqString(rel, where, f, 'id');
      if (seenFeeds.has(feedId)) throw new DemoCorpusError(rel, where, 'id', 'duplicate feed id');
      seenFeeds.add(feedId);
      const path = reqString(rel, where, f, 'path');
      if (!path.startsWith(`/${id}/`)) throw new DemoCorpusError(rel, where, 'path', `must start with /${id}/`);
      if (seenPaths.has(path)) throw new DemoCorpusError(rel, where, 'path', 'duplicate path');
      seenPaths.add(path);
      const covered = f.municipalities === undefined ? { names, codes } : towns2codes(where, 'municipalities', f.municipalities);
      const linkQuery = f.link_query;
      if (linkQuery !== undefined && typeof linkQuery !== 'string') throw new DemoCorpusError(rel, where, 'link_query', 'expected a string');
      const region = f.region;
      if (region !== undefined && typeof region !== 'string') throw new DemoCorpusError(rel, where, 'region', 'expected a string');
      const feed: DemoFeed = {
        id: feedId,
        source: id,
        title: reqString(rel, where, f, 'title'),
        path,
        format: oneOf(rel, where, f, 'format', ['rss2', 'rss1', 'atom'] as const),
        encoding: f.encoding === undefined ? 'utf-8' : oneOf(rel, where, f, 'encoding', ['utf-8', 'iso-8859-1'] as const),
        pubDate: f.pub_date === undefined ? 'gmt' : oneOf(rel, where, f, 'pub_date', ['gmt', 'helsinki'] as const),
        guid: f.guid === undefined ? 'link' : oneOf(rel, where, f, 'guid', ['link', 'urn'] as const),
        fullText: f.full_text === true,
        municipalities: covered.names,
        municipalityCodes: covered.codes,
        alsoCovers: f.also_covers === undefined
          ? []
          : stringList(f.also_covers, () => new DemoCorpusError(rel, where, 'also_covers', 'expected a list of names')),
      };
      if (linkQuery !== undefined) feed.linkQuery = linkQuery;
      if (region !== undefined) feed.region = region;
      return feed;
    });
    return {
      id, name: reqString(rel, id, s, 'name'), kind, municipalities: names, municipalityCodes: codes,
      template, encoding, feeds,
    };
  });
}

// ---------------------------------------------------------------- articles

const ARTICLE_FIELDS = new Set([
  'slug', 'published', 'modified', 'author', 'section', 'title', 'lead', 'body', 'feeds',
  'municipalities', 'groups', 'tone', 'frame', 'voice', 'paywalled', 'syndicated_from',
]);
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?([+-])(\d{2}):(\d{2})$/;

function parseArticle(file: string, index: number, raw: unknown, source: DemoSource, knownCodes: Set<string>): DemoArticle {
  if (!isRecord(raw)) throw new DemoCorpusError(file, `#${index + 1}`, undefined, 'expected a mapping');
  const slugRaw = raw.slug;
  if (typeof slugRaw !== 'string' || !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slugRaw)) {
    throw new DemoCorpusError(file, `#${index + 1}`, 'slug', 'expected ascii a-z0-9 words joined with -');
  }
  const slug = slugRaw;
  const fail = (field: string, problem: string): never => {
    throw new DemoCorpusError(file, slug, field, problem);
  };
  for (const key of Object.keys(raw)) if (!ARTICLE_FIELDS.has(key)) fail(key, 'unknown field');

  const published = timestamp(raw.published, 'published', fail);
  const publishedAt = new Date(published);
  if (publishedAt < CORPUS_START || publishedAt >= CORPUS_END) {
    fail('published', 'outside the corpus weeks 2026-08-31 … 2026-11-22');
  }
  let modified: string | undefined;
  if (raw.modified !== undefined) {
    modified = timestamp(raw.modified, 'modified', fail);
    if (new Date(modified) < publishedAt) fail('modified', 'earlier than published');
  }

  const text = (field: string, optional = false): string | undefined => {
    const v = raw[field];
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string' || v.trim() === '') return fail(field, 'expected a non-empty string');
    return v.replace(/\s+/g, ' ').trim();
  };
  const author = text('author', true);
  const section = text('section') as string;
  const title = text('title') as string;
  const lead = text('lead') as string;
  if (typeof raw.body !== 'string' || raw.body.trim() === '') fail('body', 'expected a non-empty string');
  const body = (raw.body as string).trim();
  const paragraphs = body.split(/\n[ \t]*\n/).map((p) => p.replace(/\s+/g, ' ').trim()).filter((p) => p !== '');

  const feedIds = source.feeds.map((f) => f.id);
  let feeds: string[];
  if (raw.feeds === undefined) {
    if (feedIds.length > 1) fail('feeds', `required for ${source.id}: one or more of ${feedIds.join(', ')}`);
    feeds = feedIds;
  } else {
    feeds = stringList(raw.feeds, () => fail('feeds', 'expected a list of feed ids'));
    if (feeds.length === 0) fail('feeds', 'expected at least one feed');
    for (const f of feeds) if (!feedIds.includes(f)) fail('feeds', `"${f}" is not a feed of ${source.id} (${feedIds.join(', ')})`);
    if (new Set(feeds).size !== feeds.length) fail('feeds', 'duplicate feed id');
  }

  if (!Array.isArray(raw.municipalities)) fail('municipalities', "expected a list of codes like ['837'] ([] for none)");
  const municipalities = (raw.municipalities as unknown[]).map((c) => {
    // An unquoted 061 reads as the number 61; the intent is still clear.
    const code = typeof c === 'number' && Number.isInteger(c) ? String(c).padStart(3, '0') : c;
    if (typeof code !== 'string' || !knownCodes.has(code)) {
      return fail('municipalities', `"${String(c)}" is not a configured municipality code (${[...knownCodes].join(', ')})`);
    }
    return code;
  });
  if (new Set(municipalities).size !== municipalities.length) fail('municipalities', 'duplicate code');

  if (!Array.isArray(raw.groups)) fail('groups', 'expected a list of group ids ([] for none)');
  const groups = (raw.groups as unknown[]).map((g) => {
    if (typeof g !== 'string' || !(DEMO_GROUPS as readonly string[]).includes(g)) {
      return fail('groups', `"${String(g)}" is not a group id (${DEMO_GROUPS.join(', ')})`);
    }
    return g as DemoGroup;
  });
  if (new Set(groups).size !== groups.length) fail('groups', 'duplicate group');

  if (typeof raw.tone !== 'string' || !(DEMO_TONES as readonly string[]).includes(raw.tone)) fail('tone', 'expected neg, neu or pos');
  const tone = raw.tone as DemoTone;
  if (groups.length === 0 && tone !== 'neu') fail('tone', 'must be neu when groups is empty');

  let frame: DemoFrame | undefined;
  if (raw.frame !== undefined) {
    if (typeof raw.frame !== 'string' || !(DEMO_FRAMES as readonly string[]).includes(raw.frame)) {
      fail('frame', `expected one of ${DEMO_FRAMES.join(', ')}`);
    }
    if (groups.length === 0) fail('frame', 'only for articles with groups');
    frame = raw.frame as DemoFrame;
  } else if (groups.length > 0) {
    fail('frame', 'required when groups is non-empty');
  }

  let voice: boolean | undefined;
  if (raw.voice !== undefined) {
    if (typeof raw.voice !== 'boolean') fail('voice', 'expected true or false');
    voice = raw.voice as boolean;
    if (voice && groups.length === 0) fail('voice', 'a group member can only speak when groups is non-empty');
  }
  let paywalled: boolean | undefined;
  if (raw.paywalled !== undefined) {
    if (typeof raw.paywalled !== 'boolean') fail('paywalled', 'expected true or false');
    if (source.template !== 'subscriber') fail('paywalled', `only for subscriber sites; ${source.id} is ${source.template}`);
    paywalled = raw.paywalled as boolean;
  }
  let syndicatedFrom: string | undefined;
  if (raw.syndicated_from !== undefined) {
    if (typeof raw.syndicated_from !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+$/.test(raw.syndicated_from)) {
      fail('syndicated_from', 'expected <source-id>/<slug>');
    }
    syndicatedFrom = raw.syndicated_from as string;
  }

  const article: DemoArticle = {
    slug, published, section, title, lead, body, feeds, municipalities, groups, tone,
    source: source.id,
    id: `${source.id}/${slug}`,
    url: articlePath(source, slug, publishedAt),
    paragraphs,
  };
  if (modified !== undefined) article.modified = modified;
  if (author !== undefined) article.author = author;
  if (frame !== undefined) article.frame = frame;
  if (voice !== undefined) article.voice = voice;
  if (paywalled !== undefined) article.paywalled = paywalled;
  if (syndicatedFrom !== undefined) article.syndicated_from = syndicatedFrom;
  return article;
}

function timestamp(v: unknown, field: string, fail: (field: string, problem: string) => never): string {
  // A YAML 1.1 reader would hand us a Date and lose the written offset; insist on text.
  const s = v instanceof Date ? undefined : v;
  if (typeof s !== 'string') return fail(field, 'expected an ISO timestamp with offset, e.g. 2026-09-01T09:30:00+03:00');
  const m = ISO_WITH_OFFSET.exec(s);
  if (!m) return fail(field, `"${s}" is not an ISO timestamp with offset, e.g. 2026-09-01T09:30:00+03:00`);
  const at = new Date(s);
  if (Number.isNaN(at.getTime())) return fail(field, `"${s}" is not a valid date`);
  const [, , mo, d, h, mi] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59) {
    return fail(field, `"${s}" is not a valid date`);
  }
  const written = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const local = helsinkiTime(at).offsetMinutes;
  if (written !== local) {
    const want = `+0${local / 60}:00`;
    return fail(field, `"${s}": Helsinki time then is ${want} (summer time ends 2026-10-25 03:00)`);
  }
  return s;
}

function checkCrossReferences(
  root: string,
  articles: DemoArticle[],
  sources: Map<string, DemoSource>,
  loaded: Set<string>,
): void {
  const ids = new Set(articles.map((a) => a.id));
  const urls = new Map<string, string>();
  for (const a of articles) {
    const file = relName(root, join(root, 'articles', `${a.source}.yaml`));
    const other = urls.get(a.url);
    if (other) throw new DemoCorpusError(file, a.slug, 'slug', `its URL ${a.url} collides with ${other}; choose another slug`);
    urls.set(a.url, a.id);
    const ref = a.syndicated_from;
    if (ref === undefined) continue;
    const refSource = ref.split('/')[0] ?? '';
    if (!sources.has(refSource)) throw new DemoCorpusError(file, a.slug, 'syndicated_from', `unknown source "${refSource}"`);
    if (ref === a.id) throw new DemoCorpusError(file, a.slug, 'syndicated_from', 'refers to itself');
    // The other source's file may not be written yet; only a present file can be checked.
    if (loaded.has(refSource) && !ids.has(ref)) {
      throw new DemoCorpusError(file, a.slug, 'syndicated_from', `no article ${ref}`);
    }
  }
}

// ---------------------------------------------------------------- URLs

/**
 * Page path of an article. Templates differ the way real sites do: dated paths on the
 * portals and the city site, numeric ids on the older and the paywalled systems.
 */
export function articlePath(source: DemoSource, slug: string, published: Date): string {
  const t = helsinkiTime(published);
  const yyyy = String(t.year);
  const mm = String(t.month).padStart(2, '0');
  const dd = String(t.day).padStart(2, '0');
  const key = `${source.id}/${slug}`;
  switch (source.template) {
    case 'portal':
      return `/${source.id}/${yyyy}/${mm}/${dd}/${slug}`;
    case 'classic':
      return `/${source.id}/uutiset/a-${numericId(key, 6)}`;
    case 'subscriber':
      return `/${source.id}/art-${numericId(key, 7)}.html`;
    case 'broadcaster':
      return `/${source.id}/uutiset/3-${numericId(key, 8)}`;
    case 'city':
      return `/${source.id}/ajankohtaista/${yyyy}/${mm}/${slug}`;
  }
}

/** Stable pseudo id with a fixed number of digits (FNV-1a of the article key). */
function numericId(key: string, digits: number): string {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(key, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const low = 10 ** (digits - 1);
  return String(low + (h % (9 * low)));
}

// ---------------------------------------------------------------- small helpers

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, error: () => Error): string[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) throw error();
  return v as string[];
}

function reqString(file: string, where: string, obj: Record<string, unknown>, field: string): string {
  const v = obj[field];
  if (typeof v !== 'string' || v.trim() === '') throw new DemoCorpusError(file, where, field, 'expected a non-empty string');
  return v;
}

function oneOf<T extends string>(file: string, where: string, obj: Record<string, unknown>, field: string, allowed: readonly T[]): T {
  const v = obj[field];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new DemoCorpusError(file, where, field, `expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}
