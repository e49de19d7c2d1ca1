import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { gunzipSync } from 'node:zlib';
import Parser from 'rss-parser';
import * as cheerio from 'cheerio';
import { startDemoServer, loadDemoCorpus, type DemoServer, type DemoCorpus } from '../../src/demo/index.ts';
import { fixtureCorpusDir, rawGet, removeFixtureDirs } from './helpers.ts';

let server: DemoServer;
let corpus: DemoCorpus;

const HOSTILE_TITLE = 'Otsikossa <script>alert("x")</script> & "lainausmerkit"';

function article(source: string, slug: string) {
  const a = corpus.articles.find((x) => x.source === source && x.slug === slug);
  if (!a) throw new Error(`fixture ${source}/${slug} missing`);
  return a;
}

async function page(path: string): Promise<cheerio.CheerioAPI> {
  const res = await fetch(server.url + path);
  expect(res.status).toBe(200);
  return cheerio.load(await res.text());
}

function jsonLd($: cheerio.CheerioAPI): unknown[] {
  return $('script[type="application/ld+json"]').toArray().map((el) => JSON.parse($(el).text()) as unknown);
}

beforeAll(async () => {
  const dir = fixtureCorpusDir();
  corpus = loadDemoCorpus(dir);
  server = await startDemoServer({
    corpusDir: dir,
    extraRoutes: (req, res) => {
      if (req.url === '/fault/500') {
        res.writeHead(500);
        res.end('boom');
        return true;
      }
      return false;
    },
  });
});

afterAll(async () => {
  await server.close();
  removeFixtureDirs();
});

describe('demo server basics', () => {
  it('listens on loopback with a random port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.port).toBeGreaterThan(0);
  });

  it('serves robots.txt that disallows /admin/ and sets no crawl delay', async () => {
    const res = await fetch(`${server.url}/robots.txt`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('User-agent: *');
    expect(text).toContain('Disallow: /admin/');
    expect(text.toLowerCase()).not.toContain('crawl-delay');
  });

  it('answers 404 for unknown paths, 405 for POST, and 301 to the slashed front page', async () => {
    expect((await fetch(`${server.url}/no/such/page`)).status).toBe(404);
    expect((await fetch(`${server.url}/robots.txt`, { method: 'POST' })).status).toBe(405);
    const res = await fetch(`${server.url}/forssan-seutu`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/forssan-seutu/');
  });

  it('runs extraRoutes first and records every request', async () => {
    const before = server.requests.length;
    const res = await fetch(`${server.url}/fault/500`);
    expect(res.status).toBe(500);
    await fetch(`${server.url}/robots.txt?x=1`);
    const logged = server.requests.slice(before);
    expect(logged).toContainEqual({ method: 'GET', path: '/fault/500', status: 500 });
    expect(logged).toContainEqual({ method: 'GET', path: '/robots.txt?x=1', status: 200 });
  });

  it('serves a page whatever tracking parameters are appended', async () => {
    const a = article('tampereen-viikko', 'hervannan-kirjasto');
    const res = await fetch(`${server.url}${a.url}?utm_source=rss&utm_medium=feed`);
    expect(res.status).toBe(200);
  });
});

describe('conditional GET and compression', () => {
  it('answers 304 to a matching If-None-Match and 200 to a stale one', async () => {
    const path = '/forssan-seutu/feed.xml';
    const first = await rawGet(server.url + path);
    expect(first.status).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toBeTruthy();
    const again = await rawGet(server.url + path, { 'If-None-Match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const stale = await rawGet(server.url + path, { 'If-None-Match': 'W/"something-else"' });
    expect(stale.status).toBe(200);
  });

  it('answers 304 when nothing changed since If-Modified-Since', async () => {
    const path = '/alueradio/syotteet/lansi.atom';
    const first = await rawGet(server.url + path);
    const lastModified = first.headers['last-modified'] as string;
    // the newest item of that feed in the fixture was published 2026-11-03 11:00 Helsinki
    expect(new Date(lastModified).toISOString()).toBe('2026-11-03T09:00:00.000Z');
    expect((await rawGet(server.url + path, { 'If-Modified-Since': lastModified })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await rawGet(server.url + path, { 'If-Modified-Since': earlier })).status).toBe(200);
  });

  it('gzips pages for clients that accept it, and only for them', async () => {
    const a = article('forssan-seutu', 'tavallinen-uutinen');
    const plain = await rawGet(server.url + a.url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const zipped = await rawGet(server.url + a.url, { 'Accept-Encoding': 'br, gzip;q=0.8' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    const refused = await rawGet(server.url + a.url, { 'Accept-Encoding': 'gzip;q=0' });
    expect(refused.headers['content-encoding']).toBeUndefined();
  });
});

describe('site templates', () => {
  it('portal: JSON-LD NewsArticle, og: meta and boilerplate around the body', async () => {
    const a = article('forssan-seutu', 'tavallinen-uutinen');
    const $ = await page(a.url);
    const ld = jsonLd($)[0] as Record<string, unknown>;
    expect(ld['@type']).toBe('NewsArticle');
    expect(ld.headline).toBe(a.title);
    expect(ld.datePublished).toBe('2026-09-01T08:00:00+03:00');
    expect(ld.articleSection).toBe('Paikalliset');
    expect((ld.publisher as Record<string, unknown>).name).toBe('Forssan Seutu');
    expect($('meta[property="og:title"]').attr('content')).toBe(a.title);
    expect($('.article__body p').toArray().map((p) => $(p).text())).toEqual(a.paragraphs);
    expect($('.related li').length).toBeGreaterThan(0);
    expect($('.newsletter').text()).toContain('Tilaa uutiskirje');
    expect($('.comments-teaser').length).toBe(1);
  });

  it('classic: windows-1252 bytes, visible date, no structured data', async () => {
    const a = article('huittisten-sanomat', 'kausityontekijat');
    const res = await rawGet(server.url + a.url);
    expect(res.headers['content-type']).toBe('text/html; charset=windows-1252');
    // Not UTF-8: a strict UTF-8 decoder must reject the bytes.
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body)).toThrow();
    expect(res.body.includes(Buffer.from([0x8a]))).toBe(true); // Š
    expect(res.body.includes(Buffer.from([0x9a]))).toBe(true); // š
    expect(res.body.includes(Buffer.from([0x96]))).toBe(true); // – en dash
    expect(res.body.includes(Buffer.from([0x80]))).toBe(true); // €
    expect(res.body.includes(Buffer.from('&#331;'))).toBe(true); // ŋ is not in windows-1252
    expect(res.body.includes(Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">'))).toBe(true);
    // Node 20's TextDecoder('windows-1252') decodes as ISO-8859-1 (C1 controls for
    // 0x80–0x9F); cheerio's byte loader sniffs the meta charset and decodes properly.
    const $ = cheerio.loadBuffer(res.body);
    expect($('h1').text()).toBe(a.title);
    expect($('.pvm').first().text()).toBe('Julkaistu 1.9.2026 klo 9.30');
    expect($('meta[name="date"]').attr('content')).toBe('2026-09-01T09:30:00+03:00');
    expect($('script[type="application/ld+json"]').length).toBe(0);
    const text = $('.teksti').text();
    for (const p of a.paragraphs) expect(text).toContain(p);
  });

  it('subscriber: a locked article shows title, lead and first paragraph, then the paywall', async () => {
    const a = article('lieksan-viesti', 'lukittu-juttu');
    const $ = await page(a.url);
    expect($('h1').text()).toBe(a.title);
    expect($('.story__ingress').text()).toBe(a.lead);
    expect($('.story__content p').toArray().map((p) => $(p).text())).toEqual([a.paragraphs[0]]);
    expect($.html()).not.toContain(a.paragraphs[1]);
    expect($('.paywall').text().replace(/\s+/g, ' ')).toContain('Tämä juttu on vain tilaajille. Tilaa Lieksan Viesti');
    const ld = jsonLd($)[0] as Record<string, unknown>;
    expect(ld.isAccessibleForFree).toBe(false);
  });

  it('subscriber: a free article shows the whole text', async () => {
    const a = article('lieksan-viesti', 'vapaa-juttu');
    const $ = await page(a.url);
    expect($('.story__content p').toArray().map((p) => $(p).text())).toEqual(a.paragraphs);
    expect($('.paywall').length).toBe(0);
    expect((jsonLd($)[0] as Record<string, unknown>).isAccessibleForFree).toBe(true);
  });

  it('broadcaster: JSON-LD @graph, <time datetime> and photo credits', async () => {
    const a = article('alueradio', 'hervannan-kirjasto-laajenee');
    const $ = await page(a.url);
    const graph = (jsonLd($)[0] as { '@graph': Record<string, unknown>[] })['@graph'];
    const news = graph.find((n) => n['@type'] === 'NewsArticle');
    expect(news?.headline).toBe(a.title);
    expect(news?.datePublished).toBe('2026-11-03T09:00:00.000Z');
    expect($('time[datetime]').first().attr('datetime')).toBe('2026-11-03T09:00:00.000Z');
    expect($('figcaption').text()).toContain('Kuva: Mikko Aho / Alueradio');
    expect($('.ar-article__content p').toArray().map((p) => $(p).text())).toEqual(a.paragraphs);
  });

  it('city: plain page without structured data', async () => {
    const a = article('tampere-kaupunki', 'katujen-talvikunnossapito');
    const $ = await page(a.url);
    expect($('h1').text()).toBe(a.title);
    expect($('.ingress').text()).toBe(a.lead);
    expect($('script[type="application/ld+json"]').length).toBe(0);
    expect($('.text-content p').length).toBe(a.paragraphs.length);
    expect($('.page-meta').text()).toContain('Julkaistu 16.11.2026 klo 13.00');
  });

  it('builds URLs per template: dated paths and numeric ids', () => {
    expect(article('forssan-seutu', 'tavallinen-uutinen').url).toBe('/forssan-seutu/2026/09/01/tavallinen-uutinen');
    expect(article('huittisten-sanomat', 'kausityontekijat').url).toMatch(/^\/huittisten-sanomat\/uutiset\/a-\d{6}$/);
    expect(article('lieksan-viesti', 'lukittu-juttu').url).toMatch(/^\/lieksan-viesti\/art-\d{7}\.html$/);
    expect(article('alueradio', 'kemin-satama').url).toMatch(/^\/alueradio\/uutiset\/3-\d{8}$/);
    expect(article('tampere-kaupunki', 'katujen-talvikunnossapito').url).toBe('/tampere-kaupunki/ajankohtaista/2026/11/katujen-talvikunnossapito');
  });
});

describe('escaping', () => {
  it('escapes hostile text in the page, its meta tags and its JSON-LD', async () => {
    const a = article('forssan-seutu', 'vaarallinen-otsikko');
    const res = await fetch(server.url + a.url);
    const html = await res.text();
    expect(html).not.toContain('<script>alert');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    const $ = cheerio.load(html);
    expect($('h1').text()).toBe(HOSTILE_TITLE);
    expect($('meta[property="og:title"]').attr('content')).toBe(HOSTILE_TITLE);
    expect($('.article__body p').toArray().map((p) => $(p).text())).toEqual(a.paragraphs);
    const ld = jsonLd($)[0] as Record<string, unknown>;
    expect(ld.headline).toBe(HOSTILE_TITLE);
    expect((ld.author as { name: string }[])[0]?.name).toBe('Testi "Toimittaja" O\'Brien');
    // the only script elements are the ones the template put there
    expect($('script').length).toBe(2);
  });

  it('escapes hostile text in the feed', async () => {
    const res = await fetch(`${server.url}/forssan-seutu/feed.xml`);
    const xml = await res.text();
    expect(xml).not.toContain('<script>');
    const feed = await new Parser().parseString(xml);
    const item = feed.items.find((i) => i.link?.endsWith('/vaarallinen-otsikko'));
    expect(item?.title).toBe(HOSTILE_TITLE);
    expect(item?.contentSnippet ?? item?.content).toContain(']]>');
  });

  it('keeps ]]> from breaking the CDATA of content:encoded', async () => {
    const res = await fetch(`${server.url}/tampere-kaupunki/ajankohtaista/rss`);
    const feed = await new Parser().parseString(await res.text());
    const encoded = (feed.items[0] as Record<string, unknown>)['content:encoded'] as string;
    expect(encoded).toContain('<p>Kolmas kappale ]]&gt; ja &lt;script&gt;x&lt;/script&gt; &amp; muuta.</p>');
  });
});

describe('feeds', () => {
  const parser = new Parser();

  it('RSS 2.0 lists all items newest first with guid, pubDate and the lead as description', async () => {
    const xml = await (await fetch(`${server.url}/forssan-seutu/feed.xml`)).text();
    const feed = await parser.parseString(xml);
    expect(feed.items.map((i) => i.title)).toEqual([HOSTILE_TITLE, 'Tavallinen uutinen Forssasta']);
    const plain = feed.items[1];
    expect(plain?.link).toBe(`${server.url}/forssan-seutu/2026/09/01/tavallinen-uutinen`);
    expect(plain?.guid).toBe(plain?.link);
    expect(plain?.pubDate).toBe('Tue, 01 Sep 2026 05:00:00 GMT');
    expect(plain?.contentSnippet).toBe('Tämä on tavallinen ingressi.');
  });

  it('huittisten-sanomat: ISO-8859-1 feed with local-offset dates', async () => {
    const res = await rawGet(`${server.url}/huittisten-sanomat/rss.php`);
    expect(res.headers['content-type']).toBe('application/rss+xml; charset=ISO-8859-1');
    expect(res.body.subarray(0, 45).toString('latin1')).toBe('<?xml version="1.0" encoding="ISO-8859-1"?>\n<');
    expect(() => new TextDecoder('utf-8', { fatal: true }).decode(res.body)).toThrow();
    // No byte in 0x80–0x9F: those are windows-1252 characters, not ISO-8859-1.
    expect([...res.body].some((b) => b >= 0x80 && b <= 0x9f)).toBe(false);
    expect(res.body.includes(Buffer.from('&#352;ev'))).toBe(true); // Š as a reference
    const feed = await parser.parseString(res.body.toString('latin1'));
    const a = article('huittisten-sanomat', 'kausityontekijat');
    expect(feed.items[0]?.title).toBe(a.title);
    expect(feed.items[0]?.pubDate).toBe('Tue, 01 Sep 2026 09:30:00 +0300');
  });

  it('tampereen-viikko adds tracking parameters to item links', async () => {
    const feed = await parser.parseURL(`${server.url}/tampereen-viikko/feed.xml`);
    expect(feed.items[0]?.link).toBe(`${server.url}/tampereen-viikko/2026/11/03/hervannan-kirjasto?utm_source=rss&utm_medium=feed`);
  });

  it('oulun-paiva uses a guid that is not the link', async () => {
    const feed = await parser.parseURL(`${server.url}/oulun-paiva/feed/`);
    const item = feed.items[0];
    expect(item?.guid).toBe('urn:oulun-paiva:article:haukiputaan-silta');
    expect(item?.link).toBe(server.url + article('oulun-paiva', 'haukiputaan-silta').url);
  });

  it('tornion-rajaseutu publishes RSS 1.0 (RDF)', async () => {
    const res = await fetch(`${server.url}/tornion-rajaseutu/uutiset.rdf`);
    expect(res.headers.get('content-type')).toBe('application/rdf+xml; charset=utf-8');
    const xml = await res.text();
    expect(xml).toContain('<rdf:RDF');
    const feed = await parser.parseString(xml);
    expect(feed.items[0]?.title).toBe('Rajakaupan joulusesonki alkaa');
    expect(feed.items[0]?.link).toBe(server.url + article('tornion-rajaseutu', 'rajakaupan-joulusesonki').url);
  });

  it('Atom feeds: nurmijarven-uutiset and the two regional feeds', async () => {
    const nurmi = await parser.parseURL(`${server.url}/nurmijarven-uutiset/atom.xml`);
    expect(nurmi.items[0]?.title).toBe('Klaukkalan ohitustie avautuu');
    const west = await parser.parseURL(`${server.url}/alueradio/syotteet/lansi.atom`);
    const north = await parser.parseURL(`${server.url}/alueradio/syotteet/pohjoinen.atom`);
    expect(west.items.map((i) => i.title)).toEqual(['Tampereen Hervannan kirjasto laajenee']);
    expect(north.items.map((i) => i.title)).toEqual(['Tampereen Hervannan kirjasto laajenee', 'Kemin satamaan uusi laituri']);
    // the same story in both regional feeds has the same entry id
    expect(west.items[0]?.id).toBe(north.items[0]?.id);
    expect(west.items[0]?.id).toMatch(/^tag:alueradio\.demo,2026:3-\d{8}$/);
  });

  it('city feed carries the full text in content:encoded', async () => {
    const feed = await parser.parseURL(`${server.url}/tampere-kaupunki/ajankohtaista/rss`);
    const a = article('tampere-kaupunki', 'katujen-talvikunnossapito');
    const encoded = (feed.items[0] as Record<string, unknown>)['content:encoded'] as string;
    const $ = cheerio.load(encoded);
    expect($('p').toArray().map((p) => $(p).text())).toEqual(a.paragraphs);
  });
});
