// A synthetic corpus of any size for load and failure tests of the pipeline: N articles
// across N/50 feeds, written from the paragraphs of the offline demo corpus and rendered
// with its site templates and feed formats. Deterministic from a seed, so two runs over
// the same corpus (embedded and distributed, say) see byte-identical pages.
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { stringify } from 'yaml';
import { DEFAULT_CORPUS_DIR, SITE_TEMPLATES, articlePath, loadDemoCorpus, type DemoArticle, type DemoCorpus, type DemoFeed, type DemoSource, type FeedFormat } from './corpus.ts';
import { renderFeed } from './feeds.ts';
import { renderArticle } from './templates.ts';
import { DEFAULT_CONFIG_DIR } from '../config/load.ts';

export interface SyntheticCorpusOptions {
  articles: number;
  /** Articles per feed (the last feed takes the remainder); default 50. */
  perFeed?: number;
  seed?: number;
  /** Demo corpus whose paragraphs and towns are reused. */
  corpusDir?: string;
}

export interface SyntheticFeed {
  id: string;
  name: string;
  /** Path on the server, e.g. /lehti-003/feed.xml */
  path: string;
  /** Configured municipality names the feed covers (as in municipalities.yaml). */
  municipalities: string[];
}

export interface SyntheticCorpus {
  feeds: SyntheticFeed[];
  /** Every article page path, in feed order. */
  articlePaths: string[];
  /** Per source, the demo-shaped corpus its pages and feed are rendered from. */
  sources: { source: DemoSource; corpus: DemoCorpus }[];
}

const FORMATS: FeedFormat[] = ['rss2', 'atom', 'rss1'];
const WEEK_MS = 7 * 24 * 3600 * 1000;
const START = Date.parse('2026-08-31T06:00:00+03:00');

/** mulberry32: small, fast and good enough to pick paragraphs; the same seed, the same corpus. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticCorpus(opts: SyntheticCorpusOptions): SyntheticCorpus {
  const n = Math.max(0, Math.floor(opts.articles));
  const perFeed = Math.max(1, Math.floor(opts.perFeed ?? 50));
  const random = prng(opts.seed ?? 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const demo = loadDemoCorpus(opts.corpusDir ?? DEFAULT_CORPUS_DIR);
  const bases = demo.articles.filter((a) => a.paragraphs.length >= 2);
  const pool = demo.articles.flatMap((a) => a.paragraphs);
  const towns = [...new Map(demo.sources.flatMap((s) => s.municipalities.map((m, i) => [m, s.municipalityCodes[i]!] as const))).entries()];
  if (bases.length === 0 || towns.length === 0) throw new Error('synthetic corpus: the demo corpus has no articles or towns to draw from');

  const feedCount = Math.ceil(n / perFeed);
  const sources: SyntheticCorpus['sources'] = [];
  const feeds: SyntheticFeed[] = [];
  const articlePaths: string[] = [];
  for (let f = 0; f < feedCount; f++) {
    const id = `lehti-${String(f + 1).padStart(3, '0')}`;
    const [town, code] = towns[f % towns.length]!;
    const feed: DemoFeed = {
      id,
      source: id,
      title: `${town}n Lehti ${f + 1}`,
      path: `/${id}/feed.xml`,
      format: FORMATS[f % FORMATS.length]!,
      encoding: 'utf-8',
      pubDate: 'gmt',
      guid: 'link',
      fullText: false,
      municipalities: [town],
      municipalityCodes: [code],
      alsoCovers: [],
    };
    const source: DemoSource = {
      id,
      name: feed.title,
      kind: 'local_paper',
      municipalities: [town],
      municipalityCodes: [code],
      template: SITE_TEMPLATES[f % SITE_TEMPLATES.length]!,
      encoding: 'utf-8',
      feeds: [feed],
    };
    const articles: DemoArticle[] = [];
    const count = Math.min(perFeed, n - f * perFeed);
    for (let i = 0; i < count; i++) {
      const number = f * perFeed + i + 1;
      const base = pick(bases);
      // The base article's opening gives the story its subject (and so its tags); paragraphs
      // drawn from the whole corpus make each text distinct, so none is a near-copy of another.
      const paragraphs = [base.paragraphs[0]!, base.paragraphs[1]!];
      for (let k = 0; k < 3; k++) paragraphs.push(pick(pool));
      paragraphs.push(`Juttu ${number} julkaistiin ${town}n paikallislehdessä, ja sen numero on ${number}.`);
      const published = new Date(START + Math.floor(random() * 12 * WEEK_MS)).toISOString();
      const slug = `juttu-${number}`;
      const path = articlePath(source, slug, new Date(published));
      articles.push({
        slug,
        published,
        author: base.author,
        section: base.section,
        title: `${base.title} (${number})`,
        lead: base.lead,
        body: paragraphs.join('\n\n'),
        feeds: [id],
        municipalities: [code],
        groups: base.groups,
        tone: base.tone,
        frame: base.frame,
        voice: base.voice,
        source: id,
        id: `${id}/${slug}`,
        url: path,
        paragraphs,
      });
      articlePaths.push(path);
    }
    articles.sort((a, b) => Date.parse(a.published) - Date.parse(b.published) || a.slug.localeCompare(b.slug));
    sources.push({ source, corpus: { sources: [source], articles } });
    feeds.push({ id, name: feed.title, path: feed.path, municipalities: [town] });
  }
  return { feeds, articlePaths, sources };
}

/** feeds.yaml for a config that collects the corpus from `baseUrl`. */
export function syntheticFeedsYaml(corpus: SyntheticCorpus, baseUrl: string, interval = '30m'): string {
  const base = baseUrl.replace(/\/$/, '');
  return stringify({
    feeds: corpus.feeds.map((f) => ({ id: f.id, name: f.name, url: `${base}${f.path}`, kind: 'local_paper', municipalities: f.municipalities, interval, enabled: true })),
  });
}

export interface SyntheticServer {
  url: string;
  port: number;
  corpus: SyntheticCorpus;
  /** Requests answered, by path. */
  hits: Map<string, number>;
  close(): Promise<void>;
}

export interface SyntheticServerOptions extends SyntheticCorpusOptions {
  port?: number;
  /** Runs before the corpus routes; return true when it has answered. */
  extraRoutes?: (req: IncomingMessage, res: ServerResponse) => boolean;
}

/**
 * Serves the corpus on 127.0.0.1. Pages are rendered once up front, so the server costs
 * little CPU next to the pipeline it feeds (it shares the machine in benchmarks).
 */
export async function startSyntheticServer(opts: SyntheticServerOptions): Promise<SyntheticServer> {
  const corpus = syntheticCorpus(opts);
  const hits = new Map<string, number>();
  const pages = new Map<string, { body: Buffer; type: string }>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (opts.extraRoutes?.(req, res)) return;
    const page = pages.get(path);
    if (!page) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('ei löydy\n');
      return;
    }
    res.writeHead(200, { 'content-type': page.type, 'content-length': page.body.length });
    res.end(page.body);
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  pages.set('/robots.txt', { body: Buffer.from('User-agent: *\nDisallow: /admin/\n'), type: 'text/plain; charset=utf-8' });
  for (const { source, corpus: c } of corpus.sources) {
    for (const feed of source.feeds) pages.set(feed.path, { body: Buffer.from(renderFeed(feed, c, url)), type: 'application/xml; charset=utf-8' });
    for (const a of c.articles) pages.set(a.url, { body: Buffer.from(renderArticle(a, c, { baseUrl: url })), type: 'text/html; charset=utf-8' });
  }
  return {
    url,
    port,
    corpus,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface SyntheticConfigOptions {
  baseUrl: string;
  corpus: SyntheticCorpus;
  storePath: string;
  /** Config folder whose municipalities, lexicons and other files are linked in; default the project's. */
  from?: string;
  /** Extra lines for the `http:` section of settings.yaml. */
  http?: Record<string, string | number | boolean>;
  interval?: string;
}

/**
 * Writes a config folder that collects the corpus: its feeds, loopback allowed for the
 * server's origin only, and no pacing (everything is one local host). The rest of the
 * config (municipalities, lexicons) is linked from `from`, so the analysis sees the real one.
 */
export function writeSyntheticConfig(dir: string, opts: SyntheticConfigOptions): string {
  const from = resolve(opts.from ?? DEFAULT_CONFIG_DIR);
  mkdirSync(dir, { recursive: true });
  for (const entry of readdirSync(from)) {
    if (entry === 'settings.yaml' || entry === 'feeds.yaml') continue;
    const target = join(dir, entry);
    if (!existsSync(target)) symlinkSync(join(from, entry), target);
  }
  const http = { allowed_origins: [new URL(opts.baseUrl).origin], host_min_gap: '0s', host_max_concurrency: 32, retries: 1, ...opts.http };
  writeFileSync(join(dir, 'settings.yaml'), stringify({ contact: { name: 'Mediamittari', email: 'mediamittari@localhost' }, http, store: { path: opts.storePath } }));
  writeFileSync(join(dir, 'feeds.yaml'), syntheticFeedsYaml(opts.corpus, opts.baseUrl, opts.interval));
  return dir;
}
