// The analyst pages over the demo corpus, through HTTP: the overview with the planted Tampere
// Roma alert and the planted quiet week in Lieksa, the municipality page's charts and alert
// evidence, the weekly summary, the article browser's filters against SQL, Finnish-aware
// search, the article page's evidence at the analysis's offsets, escaping, 404s and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Analysis } from '../../src/analyse/index.ts';
import { voikkoAvailable } from '../../src/analyse/index.ts';
import {
  alertEvidence, computeIndicatorSet, firedAlerts, loadIndicatorCatalogue, weekEnd, weekStart,
} from '../../src/indicators/index.ts';
import { analysedDocument, evidenceMarks } from '../../src/pipeline/analysisCommands.ts';
import { analyseStored, feedInfoOf } from '../../src/pipeline/reanalyse.ts';
import { openAnalyser } from '../../src/pipeline/stages.ts';
import { chosenWeek } from '../../src/web/analyst/data.ts';
import { escapeHtml } from '../../src/web/html.ts';
import { startWebFixture, type WebFixture } from './harness.ts';

const TAMPERE = '837';
const LIEKSA = '422';
const PILOT_TOWNS = ['Forssa', 'Huittinen', 'Lieksa', 'Nurmijärvi', 'Oulu', 'Tampere', 'Tornio'];
const XSS = '<img src=x onerror=alert(1)>';
const voikko = voikkoAvailable().ok;
const voikkoRequired = process.env.MEDIAMITTARI_REQUIRE_VOIKKO === '1';
if (!voikko && !voikkoRequired) console.warn('\n!!! Voikko is missing: the consonant-gradation search test is SKIPPED (install libvoikko1 voikko-fi).\n');

let fx: WebFixture;
beforeAll(async () => {
  fx = await startWebFixture();
}, 300_000);
afterAll(async () => fx?.close());

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; res: Response }> {
  const res = await fetch(`${fx.url}${path}`, { headers });
  return { status: res.status, body: await res.text(), res };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const rowIds = (body: string) => [...body.matchAll(/<tr data-id="(\d+)"/g)].map((m) => Number(m[1]));
/** "280 juttua" / "More than 10,000 articles" → the number shown. */
const shownTotal = (body: string) => {
  const m = /<p class="results"><strong>(?:Yli |More than )?([\d\u00a0,]+) (?:juttua|articles)/.exec(body);
  return m ? Number(m[1]!.replace(/[\u00a0,]/g, '')) : 0;
};
const sql = <T>(q: string, ...params: unknown[]) => fx.ctx.store.db.prepare(q).all(...params) as T[];
const pluck = (q: string, ...params: unknown[]) => fx.ctx.store.db.prepare(q).pluck().all(...params) as number[];
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

/** All ids of a browser query, following its pages. */
async function allIds(path: string): Promise<{ ids: number[]; total: number }> {
  const ids: number[] = [];
  let total = -1;
  for (let page = 1; page < 20; page++) {
    const { status, body } = await get(`${path}${path.includes('?') ? '&' : '?'}page=${page}`);
    expect(status).toBe(200);
    if (total < 0) total = shownTotal(body);
    ids.push(...rowIds(body));
    if (!body.includes('rel="next"')) break;
  }
  return { ids, total };
}

/** Originals local to a town (its analysed localities, its feeds' towns before analysis). */
const LOCAL = `(EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = @m)
  OR (NOT EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id) AND EXISTS (SELECT 1 FROM article_municipalities am WHERE am.article_id = a.id AND am.municipality_code = @m AND am.via = 'feed')))`;

describe('the week shown', () => {
  it('is the one asked for, else the latest with data up to now, else the latest of all', () => {
    const now = weekStart('2026-W48') + 86_400_000;
    expect(chosenWeek('2026-W40', ['2026-W47'], now)).toBe('2026-W40');
    expect(chosenWeek('2026-W99', ['2026-W50', '2026-W47', '2026-W46'], now)).toBe('2026-W47');
    expect(chosenWeek('', ['2027-W02', '2027-W01'], now)).toBe('2027-W02');
    expect(chosenWeek(undefined, [], now)).toBeNull();
  });
});

describe('the overview', () => {
  it('lists the seven pilot towns and the Tampere 2026-W45 Roma alert, linked to its evidence', async () => {
    const { status, body } = await get('/?week=2026-W45');
    expect(status).toBe(200);
    for (const town of PILOT_TOWNS) expect(body).toMatch(new RegExp(`<a href="/m/\\d{3}\\?to=2026-W45">${town}</a>`));
    expect(body).toContain('<a class="badge alert" href="/m/837?to=2026-W45#alert-2026-W45-roma">romanit: ');
    // One alert that week, listed below the table with its weekly summary and articles.
    expect(body.match(/<li class="alert-item">/g)).toHaveLength(1);
    expect(body).toContain('href="/weekly?week=2026-W45&amp;municipality=837"');
    expect(body).toContain('href="/articles?municipality=837&amp;week=2026-W45&amp;group=roma&amp;tone=neg"');
    // Local articles per town as the counts have them, linking to the browser.
    const counts = sql<{ municipality_code: string; articles: number }>(`SELECT municipality_code, articles FROM indicator_counts WHERE week = '2026-W45' AND group_id = ''`);
    expect(counts.length).toBe(7);
    for (const c of counts) expect(body).toContain(`<a href="/articles?municipality=${c.municipality_code}&amp;week=2026-W45">${c.articles}</a>`);
  });

  it('opens on the latest week with data and offers the others', async () => {
    const last = (fx.ctx.store.db.prepare(`SELECT MAX(week) FROM indicator_counts`).pluck().get() as string);
    const { status, body } = await get('/');
    expect(status).toBe(200);
    expect(body).toContain(`<option value="${last}" selected>`);
    expect(body).toContain('<option value="2026-W42">');
  });

  it('marks Lieksa 2026-W42 as low coverage, and no other town that week', async () => {
    const { body } = await get('/?week=2026-W42');
    const rows = [...body.matchAll(/<tr class="([^"]*)" data-municipality="(\d{3})">([\s\S]*?)<\/tr>/g)];
    expect(rows).toHaveLength(7);
    const low = rows.filter((r) => r[1] === 'low-coverage').map((r) => r[2]);
    expect(low).toEqual([LIEKSA]);
    const lieksa = rows.find((r) => r[2] === LIEKSA)![3]!;
    expect(lieksa).toContain('class="badge low"');
    expect(lieksa).toMatch(/title="Vähäinen kattavuus: hiljaista viikkoa ei pidä lukea rauhalliseksi\./);
    expect(body).toContain('class="coverage-warning"');
  });
});

describe('the municipality page', () => {
  it('draws salience, tone balance, framing and frames as SVG, and lists the alert with its driving articles', async () => {
    const { status, body } = await get(`/m/${TAMPERE}?to=2026-W45`);
    expect(status).toBe(200);
    expect(body.match(/<svg /g)?.length).toBeGreaterThanOrEqual(4);
    expect(body).toContain('Näkyvyys');
    expect(body).toContain('Sävytase');
    expect(body).toMatch(/<path d="M[^"]+" fill="none" stroke="#/);
    // The alert block lists exactly the articles alertEvidence finds.
    const catalogue = loadIndicatorCatalogue();
    const set = computeIndicatorSet(fx.ctx.store, catalogue, { from: '2026-W34', to: '2026-W45', municipalities: [TAMPERE] });
    const alert = firedAlerts(set).find((a) => a.week === '2026-W45' && a.group === 'roma')!;
    expect(alert).toBeDefined();
    const ev = alertEvidence(fx.ctx.store, alert, { baselineWeeks: catalogue.alerts.baselineWeeks, exclude: ['Tampere', 'Tammerfors'] });
    const block = /<div class="alert-box" id="alert-2026-W45-roma">([\s\S]*?)<\/div>/.exec(body)![1]!;
    const linked = [...block.matchAll(/<a href="\/articles\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(sorted(linked)).toEqual(sorted(ev.articles.map((a) => a.id)));
    expect(linked.length).toBe(alert.test.observed);
    // Coverage per week, the low Lieksa week included on Lieksa's page.
    const lieksa = await get(`/m/${LIEKSA}?to=2026-W45`);
    expect(lieksa.body).toMatch(/<tr class="low-coverage">\s*<td><a href="\/weekly\?week=2026-W42&amp;municipality=422">2026-W42<\/a>/);
  });

  it('narrows to one group and answers 404 for a town that is not monitored', async () => {
    const { body } = await get(`/m/${TAMPERE}?to=2026-W45&group=roma&weeks=8`);
    expect(body).toContain('<option value="roma" selected>');
    expect(body).toContain('Kehykset jaksolla (romanit)');
    expect(body).toContain('Viikot 2026-W38–2026-W45');
    expect((await get('/m/999')).status).toBe(404);
  });
});

describe('the weekly summary', () => {
  it('shows the report for one town and week, its articles linking to the article pages', async () => {
    const { status, body } = await get(`/weekly?week=2026-W45&municipality=${TAMPERE}`);
    expect(status).toBe(200);
    expect(body).toContain('Viikon luvut');
    expect(body).toContain('<div class="alert"><b>romanit: ');
    expect(body.match(/<svg /g)?.length).toBe(3);
    expect(body).toMatch(/<a href="\/articles\/\d+">/);
    expect(body).not.toContain('<style>');
    const all = await get('/weekly?week=2026-W45&municipality=all');
    for (const town of PILOT_TOWNS) expect(all.body).toContain(`<h2>${town} <span class="sub">`);
  });
});

describe('the article browser', () => {
  it('lists originals newest first and pages through them', async () => {
    const originals = pluck(`SELECT id FROM articles WHERE duplicate_of IS NULL ORDER BY COALESCE(published_ts, fetched_at) DESC, id DESC`);
    const first = await get('/articles');
    expect(shownTotal(first.body)).toBe(originals.length);
    expect(rowIds(first.body)).toEqual(originals.slice(0, 50));
    expect(first.body).toContain('href="/articles?page=2" rel="next"');
    const { ids } = await allIds('/articles');
    expect(ids).toEqual(originals);
    const copies = await get('/articles?copies=1');
    expect(shownTotal(copies.body)).toBe(pluck('SELECT id FROM articles').length);
  });

  const cases: [string, string, Record<string, unknown>][] = [
    ['town and week', `municipality=${TAMPERE}&week=2026-W45`, {}],
    ['group and tone', 'group=roma&tone=neg', {}],
    ['town, group and frame', `municipality=${TAMPERE}&group=immigrants&frame=integration_work`, {}],
    ['source and language', 'source=alueradio-lansi&language=fi', {}],
    ['article tone without a group', 'tone=pos', {}],
    ['article frame without a group', 'frame=crime_security', {}],
  ];
  it.each(cases)('filters by %s exactly as SQL counts', async (_name, qs) => {
    const p = new URLSearchParams(qs);
    const where = ['a.duplicate_of IS NULL'];
    const params: Record<string, unknown> = {};
    if (p.get('municipality')) {
      where.push(LOCAL);
      params.m = p.get('municipality');
    }
    if (p.get('week')) {
      where.push('COALESCE(a.published_ts, a.fetched_at) >= @from AND COALESCE(a.published_ts, a.fetched_at) < @to');
      params.from = weekStart(p.get('week')!);
      params.to = weekEnd(p.get('week')!);
    }
    if (p.get('group')) {
      where.push(`EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = a.id AND g.group_id = @g ${p.get('tone') ? 'AND g.tone = @tone' : ''} ${p.get('frame') ? 'AND g.frame = @frame' : ''})`);
      params.g = p.get('group');
    } else {
      if (p.get('tone')) where.push('EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id AND x.tone = @tone)');
      if (p.get('frame')) where.push('EXISTS (SELECT 1 FROM analyses x WHERE x.article_id = a.id AND x.frame = @frame)');
    }
    if (p.get('tone')) params.tone = p.get('tone');
    if (p.get('frame')) params.frame = p.get('frame');
    if (p.get('source')) {
      where.push('EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id AND s.feed_id = @source)');
      params.source = p.get('source');
    }
    if (p.get('language')) {
      where.push('COALESCE((SELECT x.language FROM analyses x WHERE x.article_id = a.id), a.language) = @lang');
      params.lang = p.get('language');
    }
    const expected = pluck(`SELECT a.id FROM articles a WHERE ${where.join(' AND ')}`, params);
    expect(expected.length).toBeGreaterThan(0);
    const all = pluck('SELECT id FROM articles WHERE duplicate_of IS NULL');
    expect(expected.length).toBeLessThan(all.length);
    const { ids, total } = await allIds(`/articles?${qs}`);
    expect(sorted(ids)).toEqual(sorted(expected));
    expect(total).toBe(expected.length);
  });

  it('shows a town-week as many local articles as the overview counts', async () => {
    const n = fx.ctx.store.db.prepare(`SELECT articles FROM indicator_counts WHERE week = '2026-W45' AND municipality_code = ? AND group_id = ''`).pluck().get(TAMPERE) as number;
    const { ids } = await allIds(`/articles?municipality=${TAMPERE}&week=2026-W45`);
    expect(ids.length).toBe(n);
  });

  it('each row has its title linking to the article page, its date, sources, towns and groups with tone', async () => {
    const { body } = await get(`/articles?municipality=${TAMPERE}&week=2026-W45&group=roma&tone=neg`);
    const row = /<tr data-id="(\d+)">([\s\S]*?)<\/tr>/.exec(body)!;
    const id = Number(row[1]);
    const a = sql<{ title: string }>('SELECT title FROM articles WHERE id = ?', id)[0]!;
    expect(row[2]).toContain(`<a href="/articles/${id}">${escapeHtml(a.title)}</a>`);
    expect(row[2]).toMatch(/\d{1,2}\.\d{1,2}\.2026 klo \d{1,2}\.\d{2}/);
    expect(row[2]).toContain('Tampere');
    expect(row[2]).toContain('<span class="gtag tone-neg" title="romanit: kielteinen">romanit <small>kielteinen</small></span>');
    const source = sql<{ name: string }>('SELECT f.name FROM article_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.article_id = ?', id)[0]!;
    expect(row[2]).toContain(source.name);
  });

  it('ignores filter values that mean nothing instead of failing', async () => {
    for (const qs of ['week=2026-W99', 'tone=angry', 'language=de', 'page=-4', 'page=abc', 'municipality=xyz', 'week[]=1']) {
      const { status } = await get(`/articles?${qs}`);
      expect(status, qs).toBe(200);
    }
    expect(rowIds((await get('/articles?municipality=xyz')).body)).toEqual([]);
  });
});

describe('full-text search', () => {
  const docOf = (id: number) => {
    const r = sql<{ title: string | null; text: string }>('SELECT title, text FROM articles WHERE id = ?', id)[0]!;
    return `${r.title ?? ''}\n${r.text}`;
  };
  const hasWord = (text: string, word: string) => new RegExp(`(^|[^\\p{L}])${word}([^\\p{L}]|$)`, 'iu').test(text);

  it('"maahanmuuttaja" finds articles with only inflected forms, and ranks title matches first', async () => {
    const { ids } = await allIds('/articles?q=maahanmuuttaja');
    expect(ids.length).toBeGreaterThan(5);
    // Every hit has a form of the word; some have no base form at all.
    for (const id of ids) expect(docOf(id).toLowerCase()).toContain('maahanmuuttaj');
    const inflectedOnly = ids.filter((id) => !hasWord(docOf(id), 'maahanmuuttaja'));
    expect(inflectedOnly.length).toBeGreaterThan(0);
    // Articles naming the group in the title come before those that only mention it in the text.
    const titles = new Map(sql<{ id: number; title: string }>(`SELECT id, title FROM articles WHERE id IN (${ids.join(',')})`).map((r) => [r.id, r.title.toLowerCase()]));
    const inTitle = ids.map((id) => titles.get(id)!.includes('maahanmuuttaj'));
    expect(inTitle[0]).toBe(true);
    if (inTitle.includes(false)) expect(inTitle.lastIndexOf(true)).toBeLessThan(inTitle.indexOf(false));
  });

  it.runIf(voikko || voikkoRequired)('"kaupunki" finds "kaupungissa" across consonant gradation (Voikko lemmas)', async () => {
    const { ids } = await allIds('/articles?q=kaupunki&sort=date');
    const gradedOnly = ids.filter((id) => !/kaupunki/i.test(docOf(id)));
    expect(gradedOnly.length).toBeGreaterThan(0);
    for (const id of gradedOnly) expect(docOf(id)).toMatch(/kaupung/i);
  });

  it('a quoted phrase matches the words in a row only', async () => {
    const phrase = await allIds('/articles?q=%22kotoutumisen%20kustannuksista%22');
    expect(phrase.ids.length).toBeGreaterThan(0);
    for (const id of phrase.ids) expect(docOf(id).toLowerCase()).toContain('kotoutumisen kustannuksista');
    const words = await allIds('/articles?q=kotoutumisen%20kustannuksista');
    expect(words.ids.length).toBeGreaterThanOrEqual(phrase.ids.length);
  });

  it('combines with the filters', async () => {
    const { ids } = await allIds(`/articles?q=romani&municipality=${TAMPERE}&week=2026-W45`);
    const local = new Set(pluck(`SELECT a.id FROM articles a WHERE a.duplicate_of IS NULL AND ${LOCAL} AND COALESCE(a.published_ts, a.fetched_at) >= @from AND COALESCE(a.published_ts, a.fetched_at) < @to`, {
      m: TAMPERE, from: weekStart('2026-W45'), to: weekEnd('2026-W45'),
    }));
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(local.has(id)).toBe(true);
  });

  it('treats FTS5 syntax in the query as text: no query makes the page fail', async () => {
    for (const q of ['"', 'AND (', 'title:romani', '*', 'NEAR(a b)', '"unbalanced', '-', '^x', "'", '{title}: x', 'a OR', ')(', 'lemmas : "x" OR', '\u0000', 'x'.repeat(3000)]) {
      const { status, body } = await get(`/articles?q=${encodeURIComponent(q)}`);
      expect(status, q).toBe(200);
      expect(body).toContain('<form method="get" action="/articles"');
    }
    // Nothing searchable in it: the page says so and lists by the filters alone.
    expect((await get(`/articles?q=${encodeURIComponent('" ( )')}`)).body).toContain('class="notice"');
  });
});

describe('the article page', () => {
  it('marks group mentions, tone words and voices at the offsets the analysis recorded', async () => {
    const id = pluck(`SELECT article_id FROM article_groups WHERE voice = 1 AND tone = 'neg' ORDER BY article_id LIMIT 1`)[0]!;
    const row = sql<{ title: string; text: string; result_json: string }>('SELECT a.title, a.text, an.result_json FROM articles a JOIN analyses an ON an.article_id = a.id WHERE a.id = ?', id)[0]!;
    const analysis = JSON.parse(row.result_json) as Analysis;
    expect('lemmas' in analysis).toBe(false);
    const document = analysedDocument(row.title, row.text);
    const { status, body: page } = await get(`/articles/${id}`);
    expect(status).toBe(200);
    expect(page).toContain('class="legend"');
    const body = page.slice(page.indexOf('<div class="article-text"'));
    const pieces = (cls: string) =>
      [...body.matchAll(new RegExp(`<mark class="${cls}"([^>]*)>((?:(?!<mark|</mark>)[\\s\\S])*)</mark>`, 'g'))].map((m) => ({
        start: Number(/data-start="(\d+)"/.exec(m[1]!)![1]),
        end: Number(/data-end="(\d+)"/.exec(m[1]!)![1]),
        title: unescape(/title="([^"]*)"/.exec(m[1]!)![1]!),
        group: /data-group="([^"]*)"/.exec(m[1]!)?.[1],
        text: unescape(m[2]!),
      }));
    const groups = pieces('group');
    const tones = [...pieces('tone-neg'), ...pieces('tone-pos')];
    expect(groups.length).toBeGreaterThan(0);
    expect(tones.length).toBeGreaterThan(0);
    for (const p of [...groups, ...tones]) expect(p.text).toBe(document.slice(p.start, p.end));
    for (const p of groups) expect(p.title).toContain(fx.ctx.labels.label(p.group!, 'fi'));
    expect(groups.some((p) => p.group === 'roma')).toBe(true);
    // Every kept mention and tone word is covered by its marks, end to end.
    const expected = evidenceMarks(document, analysis);
    for (const m of expected.words) {
      const mine = (m.kind === 'group' ? groups : tones).filter((p) => p.start >= m.start && p.end <= m.end);
      expect(mine.reduce((n, p) => n + p.end - p.start, 0), `${m.kind} ${m.start}`).toBe(m.end - m.start);
    }
    // Voices: the speech verb and the speaker, around any mark inside them.
    const voices = [...body.matchAll(/<mark class="voice"[^>]*data-start="(\d+)" data-end="(\d+)"[^>]*>/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(voices.length).toBeGreaterThan(0);
    for (const v of expected.voices) expect(voices.some(([s, e]) => s! >= v.start && e! <= v.end)).toBe(true);
  });

  it('shows sources, towns, the per-group table, the original link and the duplicate link', async () => {
    const copy = sql<{ id: number; duplicate_of: number; url: string }>('SELECT id, duplicate_of, COALESCE(canonical_url, final_url, url) url FROM articles WHERE duplicate_of IS NOT NULL LIMIT 1')[0]!;
    const { body } = await get(`/articles/${copy.id}`);
    expect(body).toContain(`<a href="/articles/${copy.duplicate_of}" class="duplicate-of">`);
    expect(body).toContain(`href="${escapeHtml(new URL(copy.url).href)}" rel="noopener noreferrer" class="original"`);
    const original = await get(`/articles/${copy.duplicate_of}`);
    expect(original.body).toContain(`<a href="/articles/${copy.id}">#${copy.id} `);
    const tagged = pluck(`SELECT article_id FROM article_groups WHERE group_id = 'roma' LIMIT 1`)[0]!;
    const page = (await get(`/articles/${tagged}`)).body;
    expect(page).toMatch(/<table class="article-groups">[\s\S]*<tr data-group="roma"/);
    const feed = sql<{ name: string }>('SELECT f.name FROM article_sources s JOIN feeds f ON f.id = s.feed_id WHERE s.article_id = ?', tagged)[0]!;
    expect(page).toContain(feed.name);
  });

  it('shows an analyst correction beside the machine value', async () => {
    const id = pluck(`SELECT article_id FROM article_groups WHERE group_id = 'roma' AND tone = 'neu' ORDER BY article_id LIMIT 1`)[0]!;
    fx.ctx.store.db
      .prepare(`INSERT INTO corrections (article_id, group_id, field, value, machine_value, user_id, username, created_at, note) VALUES (?, 'roma', 'tone', 'neg', 'neu', NULL, 'aino', ?, 'uhkaava sävy')`)
      .run(id, Date.now());
    const { body } = await get(`/articles/${id}`);
    const row = /<tr data-group="roma"[^>]*>([\s\S]*?)<\/tr>/.exec(body)![1]!;
    expect(row).toContain('<s class="muted" title="kone">neutraali</s> → <strong class="corr" title="uhkaava sävy">kielteinen</strong>');
    expect(row).toContain('korjannut aino');
    // The browser's filters follow the correction, as the indicators do.
    const { ids } = await allIds('/articles?group=roma&tone=neg');
    expect(ids).toContain(id);
    expect((await allIds('/articles?group=roma&tone=neu')).ids).not.toContain(id);
  });

  it('answers 404 with a page for an unknown or malformed id', async () => {
    for (const path of ['/articles/999999', '/articles/abc', '/articles/0', '/articles/1e3']) {
      const { status, body, res } = await get(path);
      expect(status, path).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(body).toContain('role="alert"');
    }
  });
});

describe('escaping', () => {
  it('an article titled with markup renders as text in the browser, on its page and in search results', async () => {
    const analyser = openAnalyser(fx.config);
    try {
      const saved = fx.ctx.store.saveArticle({
        url: 'https://lehti.test/xss', finalUrl: null, canonicalUrl: null, title: XSS, lead: null,
        paragraphs: ['Xssmerkki on testisana. Tampereella romanit kertoivat kokemuksistaan.'],
        text: 'Xssmerkki on testisana. Tampereella romanit kertoivat kokemuksistaan.',
        published: '2026-11-27T10:00:00+02:00', modified: null, author: '<b>toimittaja</b>', section: null, siteName: null, language: 'fi',
        paywalled: false, usedFeedFallback: false, wordCount: 8, httpStatus: 200, fetchedAt: Date.now(),
      });
      const row = { id: saved.articleId, title: XSS, text: 'Xssmerkki on testisana. Tampereella romanit kertoivat kokemuksistaan.', language: 'fi', feeds: null };
      fx.ctx.store.saveAnalysis(saved.articleId, analyseStored(row, feedInfoOf(fx.ctx.store), analyser));
      const pages = [
        await get('/articles?copies=1'),
        await get(`/articles/${saved.articleId}`),
        await get('/articles?q=xssmerkki'),
        await get(`/articles?q=${encodeURIComponent(XSS)}`),
      ];
      for (const { status, body } of pages) {
        expect(status).toBe(200);
        expect(body).not.toContain(XSS);
        expect(body).not.toContain('<b>toimittaja</b>');
      }
      expect(pages[0]!.body).toContain(`<a href="/articles/${saved.articleId}">&lt;img src=x onerror=alert(1)&gt;</a>`);
      expect(pages[1]!.body).toContain('<h1>&lt;img src=x onerror=alert(1)&gt;</h1>');
      expect(pages[2]!.body).toContain(`<tr data-id="${saved.articleId}">`);
      expect(pages[3]!.body).toContain('value="&lt;img src=x onerror=alert(1)&gt;"');
    } finally {
      analyser.morphology.close();
    }
  });
});

describe('English', () => {
  it('?lang=en switches the pages, the group names and the number format, and the choice sticks', async () => {
    const { body, res } = await get('/?week=2026-W45&lang=en');
    expect(body).toContain('<html lang="en">');
    expect(body).toContain('Overview – week 2026-W45');
    expect(body).toContain('>Roma: ');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('mm_lang='))!.split(';')[0]!;
    const again = await get(`/m/${TAMPERE}?to=2026-W45`, { cookie });
    expect(again.body).toContain('Tampere: week by week');
    expect(again.body).toContain('Salience: share of local articles');
    const id = pluck(`SELECT article_id FROM article_groups WHERE group_id = 'roma' LIMIT 1`)[0]!;
    const article = await get(`/articles/${id}?lang=en`);
    expect(article.body).toContain('Text and evidence');
    expect(article.body).toMatch(/title="Roma – base form/);
    const list = await get('/articles?lang=en&group=roma');
    expect(list.body).toMatch(/\d+ articles<\/strong>,\s+showing 1–\d+/);
    const weekly = await get(`/weekly?week=2026-W45&municipality=${TAMPERE}&lang=en`);
    expect(weekly.body).toContain('This week in figures');
  });
});
