// Serves the whole demo corpus and reads it back the way the pipeline will: every feed
// parses and lists exactly its articles, and every listed page is there with its title.

import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import Parser from 'rss-parser';
import * as cheerio from 'cheerio';
import { startDemoServer, loadDemoCorpus, type DemoServer } from '../../src/demo/index.ts';
import { rawGet } from './helpers.ts';

const corpus = loadDemoCorpus();
let server: DemoServer;

beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(async () => {
  await server.close();
});

describe('the full demo corpus over HTTP', () => {
  const feeds = corpus.sources.flatMap((s) => s.feeds);

  for (const feed of feeds) {
    it(`${feed.id}: the feed lists its articles newest first and every page is served`, async () => {
      const res = await rawGet(server.url + feed.path);
      expect(res.status).toBe(200);
      const xml = feed.encoding === 'utf-8' ? res.body.toString('utf8') : res.body.toString('latin1');
      const parsed = await new Parser().parseString(xml);
      const expected = corpus.articles
        .filter((a) => a.feeds.includes(feed.id))
        .sort((a, b) => Date.parse(b.published) - Date.parse(a.published));
      expect(parsed.items.map((i) => i.title)).toEqual(expected.map((a) => a.title));
      for (const [i, item] of parsed.items.entries()) {
        const link = new URL(item.link ?? '');
        const a = expected[i];
        expect(link.pathname).toBe(a?.url);
        const page = await rawGet(`${server.url}${link.pathname}${link.search}`);
        expect(page.status, link.pathname).toBe(200);
        const $ = cheerio.loadBuffer(page.body);
        expect($('h1').first().text(), link.pathname).toBe(a?.title);
      }
    });
  }

  it('never emits raw C1 control characters (a sign of a wrong legacy encoding)', async () => {
    for (const s of corpus.sources.filter((x) => x.encoding === 'windows-1252')) {
      const a = corpus.articles.find((x) => x.source === s.id);
      if (!a) continue;
      const $ = cheerio.loadBuffer((await rawGet(server.url + a.url)).body);
      expect(/[\u0080-\u009f]/.test($.text()), s.id).toBe(false);
    }
  });
});
