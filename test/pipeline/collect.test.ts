// The collector end to end against a real HTTP server on loopback: feeds with the faults
// publishers really have, pages, robots.txt, and a real SQLite file.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG_DIR, loadConfig, type AppConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { feedHealthReport } from '../../src/feeds/health.ts';
import { collectOnce, openCollector, type Collector } from '../../src/pipeline/collector.ts';

let server: Server;
let base: string;
const hits = new Map<string, number>();
let staleEtagCounter = 0;

const page = (title: string, n: number) => `<!doctype html><html lang="fi"><head><meta charset="utf-8"><title>${title}</title>
<meta property="article:published_time" content="2026-10-0${n}T08:00:00+03:00"></head><body>
<nav><a href="/">Etusivu</a> <a href="/uutiset">Uutiset</a></nav>
<article><h1>${title}</h1>
<p>Tämä on uutisen ${n} ensimmäinen kappale. Kaupunginhallitus käsitteli maanantaina useita asioita, joista tärkein koski koulujen korjauksia ja ensi vuoden talousarviota.</p>
<p>Toisessa kappaleessa kerrotaan tarkemmin, mitä päätettiin. Päätös syntyi äänestyksen jälkeen, ja osa valtuutetuista jätti asiasta eriävän mielipiteen pöytäkirjaan.</p>
<p>Kolmas kappale kertoo, mitä seuraavaksi tapahtuu. Asia etenee valtuuston käsittelyyn joulukuussa, ja asukkaat voivat kommentoida suunnitelmaa kaupungin verkkosivuilla ennen sitä.</p>
<p>Uutisen numero on ${n}, ja sen otsikko on ${title}.</p>
</article><footer>© Testilehti</footer></body></html>`;

function rss(items: { link: string; guid?: string; title: string }[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Testilehti</title><link>${base}/</link>
${items.map((i) => `<item><title>${i.title}</title><link>${i.link.replace(/&/g, '&amp;')}</link>${i.guid ? `<guid isPermaLink="false">${i.guid}</guid>` : ''}<pubDate>Thu, 01 Oct 2026 06:00:00 GMT</pubDate><description>Kuvaus: ${i.title}</description></item>`).join('\n')}
</channel></rss>`;
}

function route(req: IncomingMessage, res: ServerResponse): void {
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const send = (status: number, body: string, type = 'text/html; charset=utf-8', headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': type, ...headers });
    res.end(body);
  };
  if (path === '/robots.txt') return send(200, 'User-agent: *\nDisallow: /private/\n', 'text/plain');
  if (path === '/feeds/main.xml') {
    const body = rss([
      { link: `${base}/articles/1?utm_source=rss&utm_medium=feed`, title: 'Koulujen korjaukset' },
      { link: `${base}/articles/2`, guid: 'main-2', title: 'Talousarvio' },
      { link: `${base}/shared/story`, title: 'Yhteinen juttu' },
      { link: 'http://127.0.0.1:1/evil', title: 'Loopback' },
      { link: 'http://169.254.169.254/latest/meta-data/', title: 'Metadata' },
      { link: 'file:///etc/passwd', title: 'Tiedosto' },
      { link: `${base}/private/secret`, title: 'Kielletty' },
    ]);
    const etag = '"main-v1"';
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      return void res.end();
    }
    return send(200, body, 'application/rss+xml; charset=utf-8', { etag });
  }
  if (path === '/feeds/second.xml') {
    // Atom, listing the shared story too.
    return send(
      200,
      `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Toinen</title><id>urn:second</id><updated>2026-10-01T06:00:00Z</updated>
<entry><title>Yhteinen juttu</title><id>urn:second:shared</id><link href="${base}/shared/story#kommentit"/><updated>2026-10-01T06:00:00Z</updated></entry>
<entry><title>Oma juttu</title><id>urn:second:3</id><link href="/articles/3"/><updated>2026-10-01T07:00:00Z</updated></entry></feed>`,
      'application/atom+xml',
    );
  }
  if (path === '/feeds/stale-etag.xml') {
    // A server whose validators change on every response although the content does not.
    staleEtagCounter++;
    return send(200, rss([{ link: `${base}/articles/4`, title: 'Neljäs' }]), 'application/rss+xml', { etag: `"v${staleEtagCounter}"` });
  }
  if (path === '/feeds/broken.xml') return send(200, '<?xml version="1.0"?><rss><channel><item><title>Rikki</title></chan', 'application/rss+xml');
  if (path === '/feeds/gone.xml') return send(410, 'Gone', 'text/plain');
  if (path === '/feeds/flaky.xml') return send(500, 'oops', 'text/plain');
  const m = /^\/(articles|shared|private)\/(\w+)$/.exec(path);
  if (m) {
    const n = m[2] === 'story' ? 5 : Number(m[2]);
    return send(200, page(m[2] === 'story' ? 'Yhteinen juttu' : `Juttu ${n}`, n));
  }
  send(404, 'not found', 'text/plain');
}

function configFor(dbPath: string, extraFeeds = ''): AppConfig {
  const dir = mkdtempSync(join(tmpdir(), 'mm-collect-'));
  copyFileSync(join(DEFAULT_CONFIG_DIR, 'municipalities.yaml'), join(dir, 'municipalities.yaml'));
  writeFileSync(
    join(dir, 'feeds.yaml'),
    `feeds:
  - { id: main, url: /feeds/main.xml, kind: local_paper, municipalities: [Forssa], interval: 30m }
  - { id: second, url: /feeds/second.xml, kind: regional_broadcaster, municipalities: [Forssa, Huittinen], interval: 30m }
  - { id: stale, url: /feeds/stale-etag.xml, kind: city, municipalities: [Tornio], interval: 30m }
  - { id: broken, url: /feeds/broken.xml, kind: city, municipalities: [Oulu], interval: 30m }
  - { id: gone, url: /feeds/gone.xml, kind: city, municipalities: [Lieksa], interval: 30m }
  - { id: flaky, url: /feeds/flaky.xml, kind: city, municipalities: [Tampere], interval: 1h }
${extraFeeds}`,
  );
  return loadConfig({
    dir,
    baseUrl: base,
    overrides: { storePath: dbPath, http: { allowedOrigins: [base], hostMinGapMs: 0, hostMaxConcurrency: 8, retries: 0, totalTimeoutMs: 5000 } },
  });
}

let collector: Collector;
let now = Date.parse('2026-10-01T12:00:00Z');

beforeAll(async () => {
  server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const db = join(mkdtempSync(join(tmpdir(), 'mm-collect-db-')), 'store.db');
  collector = openCollector(configFor(db), { log: silentLogger, now: () => now });
});

afterAll(async () => {
  await collector?.close();
  await new Promise<void>((r) => server.close(() => r()));
});

describe('collecting from loopback feeds', () => {
  it('first pass: stores each article once, links both feeds, records refusals and broken feeds', async () => {
    const pass = await collectOnce(collector);
    expect(pass.feedsPolled).toBe(6);
    const s = collector.store;
    // articles 1, 2, 3, 4 and the shared story
    expect(s.counts().articles).toBe(5);
    expect(hits.get('/shared/story')).toBe(1);
    const shared = s.db.prepare(`SELECT a.id, group_concat(src.feed_id) feeds FROM articles a JOIN article_sources src ON src.article_id = a.id
      WHERE a.url LIKE '%/shared/story' GROUP BY a.id`).all() as { feeds: string }[];
    expect(shared).toHaveLength(1);
    expect(shared[0]!.feeds.split(',').sort()).toEqual(['main', 'second']);
    // Towns come from both feeds: Forssa and Huittinen.
    const towns = s.db.prepare(`SELECT municipality_code FROM article_municipalities am JOIN articles a ON a.id = am.article_id WHERE a.url LIKE '%/shared/story' ORDER BY 1`).all();
    expect(towns).toEqual([{ municipality_code: '061' }, { municipality_code: '102' }]);
    // Tracking parameters are gone from the stored URL.
    expect(s.articleIdByUrl(`${base}/articles/1`)).not.toBeNull();

    // Refused: other loopback port, link-local metadata address, file:, robots.txt.
    const refused = s.db.prepare(`SELECT url, last_error_code code FROM feed_items WHERE status = 'refused' ORDER BY url`).all() as { url: string; code: string }[];
    expect(refused.map((r) => r.code).sort()).toEqual(['blocked_address', 'blocked_address', 'blocked_scheme', 'robots_disallowed']);
    expect(refused.map((r) => r.url)).toEqual(expect.arrayContaining(['file:///etc/passwd', 'http://127.0.0.1:1/evil', 'http://169.254.169.254/latest/meta-data/', `${base}/private/secret`]));
    expect(hits.get('/private/secret')).toBeUndefined();

    const health = new Map(feedHealthReport(collector.store, collector.config.settings.polling, now).map((h) => [h.id, h]));
    expect(health.get('main')!.state).toBe('ok');
    expect(health.get('broken')!.state).toBe('failing');
    expect(health.get('broken')!.lastError).toMatch(/broken\.xml: malformed feed XML/);
    expect(health.get('gone')!.state).toBe('disabled');
    expect(health.get('gone')!.disabledReason).toMatch(/410/);
    expect(health.get('flaky')!.consecutiveFailures).toBe(1);
    // Back-off: the next poll of a failing feed is one doubled interval away.
    expect(Date.parse(health.get('flaky')!.nextPollAt!) - now).toBe(2 * 3_600_000);
  });

  it('second pass over the same feeds adds nothing: 304, unchanged body despite a new ETag', async () => {
    const before = collector.store.counts();
    now += 2 * 3_600_000 + 1; // everything is due again, the flaky feed included
    const pass = await collectOnce(collector);
    expect(pass.feedsPolled).toBe(5); // the gone feed is disabled
    const after = collector.store.counts();
    expect(after.articles).toBe(before.articles);
    expect(after.sources).toBe(before.sources);
    const outcomes = collector.store.db.prepare(`SELECT feed_id, outcome FROM polls WHERE started_at = ? ORDER BY feed_id`).all(now) as { feed_id: string; outcome: string }[];
    expect(Object.fromEntries(outcomes.map((o) => [o.feed_id, o.outcome]))).toEqual({
      broken: 'error', flaky: 'error', main: 'not_modified', second: 'unchanged', stale: 'unchanged',
    });
    expect(hits.get('/articles/4')).toBe(1);
    const flaky = collector.store.feed('flaky')!;
    expect(flaky.consecutive_failures).toBe(2);
    expect(flaky.next_poll_at! - now).toBe(4 * 3_600_000);
  });
});
