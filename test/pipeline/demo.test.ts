// The demo corpus collected end to end, as `npm run demo` does it: every article stored
// exactly once, syndicated copies linked to their originals, and a second run adds nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { demoConfig } from '../../src/demo/run.ts';
import { startDemoServer, type DemoServer } from '../../src/demo/server.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { collectOnce, openCollector, type Collector } from '../../src/pipeline/collector.ts';

const corpus = loadDemoCorpus();
let server: DemoServer;
let c: Collector;

beforeAll(async () => {
  server = await startDemoServer({ port: 0 });
  c = openCollector(demoConfig(server.url, join(mkdtempSync(join(tmpdir(), 'mm-demo-')), 'demo.db')), { log: silentLogger });
});
afterAll(async () => {
  await c?.close();
  await server?.close();
});

describe('demo corpus through the pipeline', () => {
  it('stores every article exactly once, with every feed it is listed in', async () => {
    const pass = await collectOnce(c, { all: true });
    expect(pass.stats.failed).toEqual({ poll: 0, fetch: 0, analyse: 0, persist: 0 });
    const rows = c.store.db.prepare('SELECT id, url, title, text, paywalled, duplicate_of, language FROM articles').all() as {
      id: number; url: string; title: string; text: string; paywalled: number; duplicate_of: number | null; language: string | null;
    }[];
    expect(rows).toHaveLength(corpus.articles.length);
    const byPath = new Map(rows.map((r) => [new URL(r.url).pathname, r]));
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const a of corpus.articles) {
      const row = byPath.get(a.url);
      expect(row, a.id).toBeDefined();
      expect(row!.title).toBe(a.title);
      // What the page shows is stored: the whole body, or for a locked article the part
      // before the paywall (the first paragraph).
      expect(row!.text, a.id).toContain(a.paragraphs[0]!.slice(0, 60));
      if (!a.paywalled) expect(row!.text, a.id).toContain(a.paragraphs.at(-1)!.slice(-60));
      expect(Boolean(row!.paywalled), a.id).toBe(Boolean(a.paywalled));
      expect(row!.language, a.id).toBe('fi');
      // Syndicated copies point at their original, and nothing else is a copy.
      if (a.syndicated_from) {
        const orig = corpus.articles.find((o) => o.id === a.syndicated_from)!;
        expect(row!.duplicate_of, a.id).toBe(byPath.get(orig.url)!.id);
      } else {
        expect(row!.duplicate_of, a.id).toBeNull();
      }
    }
    expect(byId.size).toBe(rows.length);
    const links = corpus.articles.reduce((n, a) => n + a.feeds.length, 0);
    expect(c.store.counts().sources).toBe(links);
    expect(c.store.counts().feedItems).toMatchObject({ pending: 0, failed: 0, refused: 0 });
    // Every article is analysed once, with the version that tagged it.
    const analysed = c.store.db.prepare('SELECT COUNT(*) n, COUNT(DISTINCT version) versions FROM analyses').get() as { n: number; versions: number };
    expect(analysed).toEqual({ n: rows.length, versions: 1 });
  });

  it('decodes the windows-1252 site and the ISO-8859-1 feed', () => {
    const a = corpus.articles.find((x) => x.source === 'huittisten-sanomat' && /[äö]/.test(x.title))!;
    const row = c.store.db.prepare('SELECT title FROM articles WHERE url LIKE ?').get(`%${a.url}`) as { title: string };
    expect(row.title).toBe(a.title);
    const item = c.store.db.prepare(`SELECT title FROM feed_items WHERE feed_id = 'huittisten-sanomat' AND url LIKE ?`).get(`%${a.url}`) as { title: string };
    expect(item.title).toBe(a.title);
  });

  it('a second run adds nothing, also when the feeds must be parsed again', async () => {
    const before = c.store.counts();
    await collectOnce(c, { all: true });
    // Forget the validators and body hashes: every feed is fetched and parsed afresh.
    c.store.db.prepare('UPDATE feeds SET etag = NULL, last_modified = NULL, body_hash = NULL').run();
    const requestsBefore = server.requests.length;
    await collectOnce(c, { all: true });
    const after = c.store.counts();
    expect(after).toEqual({ ...before, polls: before.polls + 2 * corpus.sources.reduce((n, s) => n + s.feeds.length, 0) });
    // Only the feeds were requested: no page was fetched again.
    const feedPaths = new Set(corpus.sources.flatMap((s) => s.feeds.map((f) => f.path)));
    const pages = server.requests.slice(requestsBefore).filter((r) => !feedPaths.has(r.path.split('?')[0]!));
    expect(pages).toEqual([]);
  });
});
