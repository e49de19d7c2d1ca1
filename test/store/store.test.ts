import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.ts';
import { MIGRATIONS } from '../../src/store/migrations.ts';
import { Store, type ArticleInput, type FeedItemInput } from '../../src/store/store.ts';

const config = loadConfig();
const stores: Store[] = [];
function newStore(): Store {
  const s = new Store(join(mkdtempSync(join(tmpdir(), 'mm-store-')), 'test.db'));
  s.syncConfig(config);
  stores.push(s);
  return s;
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const paragraphs = [
  'Forssan kaupunki avaa uuden nuorisotilan keskustaan ensi kuussa. Tila on auki iltaisin ja viikonloppuisin, ja sitä ohjaavat kaupungin nuoriso-ohjaajat yhdessä vapaaehtoisten kanssa.',
  'Nuorisotoimen päällikön mukaan tilaa on toivottu pitkään. Nuoret ovat saaneet suunnitella sisustuksen itse, ja ensimmäiset tapahtumat on jo sovittu marraskuulle.',
  'Hanke rahoitetaan osin valtion avustuksella. Kaupunginhallitus päätti asiasta yksimielisesti maanantain kokouksessa, ja remontti valmistuu lokakuun lopussa.',
];
function article(url: string, over: Partial<ArticleInput> = {}): ArticleInput {
  return {
    url, finalUrl: url, canonicalUrl: null, title: 'Nuorisotila avautuu', lead: null, paragraphs, text: paragraphs.join('\n\n'),
    published: '2026-10-01T09:00:00+03:00', modified: null, author: 'Liisa Laine', section: 'Paikalliset', siteName: 'Forssan Seutu',
    language: 'fi', paywalled: false, usedFeedFallback: false, wordCount: 60, httpStatus: 200, fetchedAt: 1, rawHtml: { html: '<p>x</p>', contentType: 'text/html', charset: 'utf-8' },
    ...over,
  };
}
const item = (url: string, key = url): FeedItemInput => ({ itemKey: key, url, guid: null, title: 't', description: null, author: null, publishedAt: '2026-10-01T06:00:00.000Z' });

describe('store', () => {
  it('is at the latest schema version and reopens without migrating twice', () => {
    const s = newStore();
    expect(s.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    const again = new Store(s.path);
    expect(again.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    again.close();
  });

  it('tells when it updates an existing store, and a new store silently', async () => {
    const { createLogger } = await import('../../src/log/logger.ts');
    const lines: string[] = [];
    const log = createLogger({ format: 'json', write: (l) => lines.push(l) });
    const dir = mkdtempSync(join(tmpdir(), 'mm-store-'));
    new Store(join(dir, 'new.db'), { log }).close();
    expect(lines).toEqual([]);
    // A store as the previous version left it: every migration but the last.
    const path = join(dir, 'old.db');
    const last = MIGRATIONS.at(-1)!;
    const { default: Database } = await import('better-sqlite3');
    const raw = new Database(path);
    for (const m of MIGRATIONS.slice(0, -1)) raw.exec(m.sql);
    raw.pragma(`user_version = ${last.version - 1}`);
    const objects = () => raw.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get() as number;
    const before = objects();
    raw.close();
    const s = new Store(path, { log });
    stores.push(s);
    expect(s.schemaVersion).toBe(last.version);
    expect(s.db.prepare('SELECT COUNT(*) FROM sqlite_master').pluck().get()).toBeGreaterThan(before);
    const said = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(said.map((l) => [l.msg, l.version])).toEqual([
      ['updating the store schema; on a large store this can take minutes', last.version],
      ['store schema updated', last.version],
    ]);
    expect(said[0]).toMatchObject({ store: path, what: last.description });
  });

  it('records a poll twice without adding anything the second time', () => {
    const s = newStore();
    const items = [item('https://forssa.test/a'), item('https://forssa.test/b')];
    expect(s.recordFeedItems('forssan-lehti', items, 1000)).toBe(2);
    expect(s.recordFeedItems('forssan-lehti', items, 2000)).toBe(0);
    expect(s.pendingItems('forssan-lehti', 2000, 3).map((i) => i.url)).toEqual(['https://forssa.test/a', 'https://forssa.test/b']);
  });

  it('stores an article reached through two feeds once, with both sources and towns', () => {
    const s = newStore();
    const url = 'https://yle.test/a/1';
    s.recordFeedItems('yle-kanta-hame', [item(url)], 1000);
    s.recordFeedItems('forssan-lehti', [item(url, 'guid-77')], 1000);
    const first = s.saveArticle(article(url));
    expect(first.created).toBe(true);
    expect(first.linkedItems).toBe(2);
    // The same page again (a second fetch, a re-run) changes nothing.
    const second = s.saveArticle(article(url));
    expect(second).toMatchObject({ created: false, matchedBy: 'url', articleId: first.articleId });
    const sources = s.db.prepare('SELECT feed_id FROM article_sources ORDER BY 1').all();
    expect(sources).toEqual([{ feed_id: 'forssan-lehti' }, { feed_id: 'yle-kanta-hame' }]);
    expect(s.counts()).toMatchObject({ articles: 1, sources: 2, feedItems: { stored: 2, pending: 0 } });
    // A later poll of a third feed listing the same URL is linked without a fetch.
    s.recordFeedItems('yle-satakunta', [item(url)], 3000);
    expect(s.pendingItems('yle-satakunta', 3000, 3)).toEqual([]);
    expect(s.counts().sources).toBe(3);
    const towns = s.db.prepare('SELECT municipality_code FROM article_municipalities ORDER BY 1').all();
    expect(towns).toEqual([{ municipality_code: '061' }, { municipality_code: '102' }]);
  });

  it('recognises the same text under another URL, and canonical URLs', () => {
    const s = newStore();
    const a = s.saveArticle(article('https://a.test/1', { canonicalUrl: 'https://a.test/canonical/1' }));
    const viaCanonical = s.saveArticle(article('https://a.test/1?page=amp', { canonicalUrl: 'https://a.test/canonical/1', text: 'other' }));
    expect(viaCanonical).toMatchObject({ created: false, matchedBy: 'url', articleId: a.articleId });
    const sameText = s.saveArticle(article('https://mirror.test/x'));
    expect(sameText).toMatchObject({ created: false, matchedBy: 'text', articleId: a.articleId });
    expect(s.articleIdByUrl('https://mirror.test/x')).toBe(a.articleId);
    expect(s.counts().articles).toBe(1);
  });

  it('links a syndicated near-copy to the original with duplicate_of', () => {
    const s = newStore();
    const orig = s.saveArticle(article('https://a.test/orig'));
    const edited = [paragraphs[0]!.replace('Forssan kaupunki avaa', 'Forssa avaa'), paragraphs[1]!];
    const copy = s.saveArticle(article('https://b.test/copy', { paragraphs: edited, text: edited.join('\n\n') }));
    expect(copy.created).toBe(true);
    expect(copy.duplicateOf).toBe(orig.articleId);
    const unrelatedParas = ['Lieksan Pankakoskella korjataan tänä syksynä vanhaa siltaa, ja liikenne ohjataan kiertotielle kolmeksi viikoksi. Urakoitsija aloittaa työt maanantaina aamulla.', 'Kiertotie lisää matkaa noin neljä kilometriä. Koululaiskuljetukset kulkevat kiertotietä pitkin, ja aikatauluja on muutettu vastaavasti koko syksyn ajaksi.'];
    const other = s.saveArticle(article('https://c.test/other', { paragraphs: unrelatedParas, text: unrelatedParas.join('\n\n') }));
    expect(other.duplicateOf).toBeNull();
  });

  it('makes the earlier-published copy the original, whatever order the feeds bring them in', () => {
    const s = newStore();
    const edited = [paragraphs[0]!.replace('Forssan kaupunki avaa', 'Forssa avaa'), paragraphs[1]!, paragraphs[2]!];
    const copy = s.saveArticle(article('https://b.test/copy', { paragraphs: edited, text: edited.join('\n\n'), published: '2026-10-02T09:00:00+03:00' }));
    const orig = s.saveArticle(article('https://a.test/orig', { published: '2026-10-01T09:00:00+03:00' }));
    expect(orig.duplicateOf).toBeNull();
    const rows = s.db.prepare('SELECT url, duplicate_of FROM articles ORDER BY id').all();
    expect(rows).toEqual([
      { url: 'https://b.test/copy', duplicate_of: orig.articleId },
      { url: 'https://a.test/orig', duplicate_of: null },
    ]);
    expect(copy.created).toBe(true);
  });

  it('counts failed attempts and gives up after the limit; refusals at once', () => {
    const s = newStore();
    s.recordFeedItems('forssan-lehti', [item('https://a.test/slow'), item('http://127.0.0.1/x')], 1);
    for (let i = 0; i < 2; i++) s.recordItemFailure('https://a.test/slow', 'timeout', 'timed out', { permanent: false, refused: false, maxAttempts: 3 });
    expect(s.pendingItems('forssan-lehti', 2, 3).map((i) => i.url)).toContain('https://a.test/slow');
    s.recordItemFailure('https://a.test/slow', 'timeout', 'timed out', { permanent: false, refused: false, maxAttempts: 3 });
    s.recordItemFailure('http://127.0.0.1/x', 'blocked_address', 'refused: loopback', { permanent: true, refused: true, maxAttempts: 3 });
    expect(s.pendingItems('forssan-lehti', 3, 3)).toEqual([]);
    expect(s.counts().feedItems).toMatchObject({ failed: 1, refused: 1 });
  });

  it('purges kept page HTML after the retention but keeps the article', () => {
    const s = newStore();
    s.saveArticle(article('https://a.test/1', { fetchedAt: 100 }));
    expect(s.counts().rawPages).toBe(1);
    expect(s.purgeRawPages(50)).toBe(0);
    expect(s.purgeRawPages(200)).toBe(1);
    expect(s.counts()).toMatchObject({ rawPages: 0, articles: 1 });
  });
});
