// The JSON API over the demo corpus: every endpoint against what the store holds, the filters
// and their refusals, who may read, export and correct, the streamed export against the file
// export of the same request, and the OpenAPI document against the routes the server has.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseCsv } from 'csv-parse/sync';
import { exportArticles, exportToFile, loadCatalogue, resolveRequest, type RawExportOptions } from '../../src/export/index.ts';
import {
  computeIndicatorSet, forEachIndicatorValue, indicatorsFile, loadIndicatorCatalogue, weekEnd, weekStart, writeIndicatorExport,
} from '../../src/indicators/index.ts';
import { groupTags } from '../../src/indicators/articles.ts';
import { silentLogger } from '../../src/log/logger.ts';
import { buildMatch, parseQuery, queryKeys, queryMorphology } from '../../src/web/analyst/search.ts';
import { buildWebServer } from '../../src/web/server.ts';
import { csrfOf, USERS, startWebFixture, type WebFixture } from './harness.ts';

let fx: WebFixture;
beforeAll(async () => {
  fx = await startWebFixture();
}, 300_000);
afterAll(async () => fx?.close());

type Json = Record<string, any>;

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; res: Response }> {
  const res = await fetch(`${fx.url}${path}`, { headers });
  const text = await res.text();
  return { status: res.status, body: res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as Json) : { text }, res };
}

const all = <T>(sql: string, ...params: unknown[]) => fx.ctx.store.db.prepare(sql).all(...params) as T[];
const one = <T>(sql: string, ...params: unknown[]) => fx.ctx.store.db.prepare(sql).get(...params) as T;
const ids = (articles: { id: number }[]) => articles.map((a) => a.id);
const TIME = 'COALESCE(a.published_ts, a.fetched_at)';

/** Every id the list returns for a query, following next_cursor page by page. */
async function everyId(query: string, limit = 37): Promise<number[]> {
  const out: number[] = [];
  let cursor: string | null = null;
  do {
    const { status, body } = await get(`/api/v1/articles?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(status).toBe(200);
    out.push(...ids(body.articles));
    cursor = body.next_cursor;
  } while (cursor);
  return out;
}

describe('monitoring', () => {
  it('lists the municipalities with their feeds and article counts as the store has them', async () => {
    const { status, body } = await get('/api/v1/municipalities');
    expect(status).toBe(200);
    const stored = all<{ code: string; name_fi: string; n: number }>(
      `SELECT m.code, m.name_fi, (SELECT COUNT(*) FROM article_localities l WHERE l.municipality_code = m.code) n FROM municipalities m ORDER BY m.code`,
    );
    expect(body.municipalities.map((m: Json) => [m.code, m.name_fi, m.articles])).toEqual(stored.map((r) => [r.code, r.name_fi, r.n]));
    const tampere = body.municipalities.find((m: Json) => m.code === '837');
    expect(tampere.feeds.sort()).toEqual(fx.config.feeds.filter((f) => f.enabled && f.municipalities.includes('837')).map((f) => f.id).sort());
    expect(tampere.monitored).toBe(true);
    expect(tampere.places.length).toBeGreaterThan(0);
  });

  it('lists the configured feeds with their health and article counts', async () => {
    const { status, body } = await get('/api/v1/feeds');
    expect(status).toBe(200);
    expect(body.feeds.map((f: Json) => f.id)).toEqual(fx.config.feeds.map((f) => f.id));
    for (const f of body.feeds) {
      const row = one<{ last_success_at: number | null; consecutive_failures: number; n: number }>(
        `SELECT last_success_at, consecutive_failures, (SELECT COUNT(*) FROM article_sources s WHERE s.feed_id = f.id) n FROM feeds f WHERE id = ?`,
        f.id,
      );
      expect(f.articles).toBe(row.n);
      expect(f.health.consecutive_failures).toBe(row.consecutive_failures);
      expect(f.health.last_success_at).toBe(row.last_success_at === null ? null : new Date(row.last_success_at).toISOString());
    }
    expect(body.feeds.filter((f: Json) => f.health.state === 'ok').length).toBeGreaterThan(0);
  });
});

describe('indicators and alerts', () => {
  it('gives the rows of `indicators export` for the same weeks and towns', async () => {
    const { status, body } = await get('/api/v1/indicators?from=2026-W44&to=2026-W46&municipality=Tampere&municipality=564');
    expect(status).toBe(200);
    const catalogue = loadIndicatorCatalogue(indicatorsFile(fx.config.dir));
    const set = computeIndicatorSet(fx.ctx.store, catalogue, { from: '2026-W44', to: '2026-W46', municipalities: ['837', '564'] });
    let json = '';
    writeIndicatorExport((visit) => forEachIndicatorValue(set, catalogue, visit), 'json', (chunk) => (json += chunk));
    expect(body.rows).toEqual(JSON.parse(json));
    expect(body.rows.length).toBeGreaterThan(50);
    // n of a group row is the count the weekly table holds
    const salience = body.rows.find((r: Json) => r.municipality_code === '837' && r.week === '2026-W45' && r.group === 'roma' && r.indicator === 'salience');
    const counted = one<{ articles: number }>(`SELECT articles FROM indicator_counts WHERE municipality_code = '837' AND week = '2026-W45' AND group_id = ''`);
    expect(salience.n).toBe(counted.articles);
  });

  it('filters by group and indicator; an empty group selects the municipality-level indicators', async () => {
    const roma = (await get('/api/v1/indicators?from=2026-W45&to=2026-W45&group=roma&indicator=salience,negative_share')).body.rows as Json[];
    expect(roma.length).toBeGreaterThan(0);
    expect(new Set(roma.map((r) => `${r.group}/${r.indicator}`))).toEqual(new Set(['roma/salience', 'roma/negative_share']));
    const towns = (await get('/api/v1/indicators?from=2026-W45&to=2026-W45&group=')).body.rows as Json[];
    expect(towns.length).toBeGreaterThan(0);
    expect(towns.every((r) => r.group === '' && r.domain === 'coverage')).toBe(true);
  });

  it('refuses unknown indicators, groups, towns and bad weeks, naming the parameter', async () => {
    for (const [q, param] of [
      ['indicator=happiness', 'indicator'],
      ['group=martians', 'group'],
      ['municipality=Turku', 'municipality'],
      ['from=2026-W60', 'from'],
      ['from=2026-47', 'from'],
      ['from=2026-W47&to=2026-W40', 'to'],
    ] as const) {
      const { status, body } = await get(`/api/v1/indicators?${q}`);
      expect(status, q).toBe(400);
      expect(body.status).toBe(400);
      expect(body.parameters, q).toContain(param);
      expect(body.error).toMatch(new RegExp(param));
    }
  });

  it('lists a week’s alerts with the negative stories behind them', async () => {
    const { status, body } = await get('/api/v1/alerts?week=2026-W45');
    expect(status).toBe(200);
    expect(body.week).toBe('2026-W45');
    const alert = body.alerts.find((a: Json) => a.municipality_code === '837' && a.group === 'roma');
    expect(alert).toBeDefined();
    const negative = all<{ id: number }>(
      `SELECT a.id FROM articles a JOIN article_groups g ON g.article_id = a.id AND g.group_id = 'roma' AND g.tone = 'neg'
       WHERE a.duplicate_of IS NULL AND ${TIME} >= ? AND ${TIME} < ?
         AND EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = '837')`,
      weekStart('2026-W45'),
      weekEnd('2026-W45'),
    );
    expect(alert.observed).toBe(negative.length);
    expect(ids(alert.articles).sort((a: number, b: number) => a - b)).toEqual(ids(negative).sort((a, b) => a - b));
    expect(alert.terms.length).toBeGreaterThan(0);
    expect(alert.p).toBeLessThan(0.001);
    expect((await get('/api/v1/alerts?week=2026-W45&municipality=Oulu')).body.alerts.some((a: Json) => a.municipality_code === '837')).toBe(false);
    const bad = await get('/api/v1/alerts?week=viikko');
    expect(bad.status).toBe(400);
    expect(bad.body.parameters).toEqual(['week']);
  });
});

describe('articles', () => {
  it('lists every article newest first, and cursor and offset paging agree', async () => {
    const expected = ids(all<{ id: number }>(`SELECT a.id FROM articles a ORDER BY ${TIME} DESC, a.id DESC`));
    const first = await get('/api/v1/articles?limit=500');
    expect(first.body.total).toBe(expected.length);
    expect(ids(first.body.articles)).toEqual(expected);
    expect(await everyId('')).toEqual(expected);
    const page3 = await get('/api/v1/articles?limit=20&offset=40');
    expect(ids(page3.body.articles)).toEqual(expected.slice(40, 60));
  });

  it('shows an article’s sources, towns and corrected tags as stored', async () => {
    const { body } = await get('/api/v1/articles?group=roma&limit=5');
    for (const a of body.articles as Json[]) {
      const row = one<{ title: string; url: string }>('SELECT title, url FROM articles WHERE id = ?', a.id);
      expect([a.title, a.url]).toEqual([row.title, row.url]);
      expect(a.sources.map((s: Json) => s.feed)).toEqual(all<{ feed_id: string }>('SELECT feed_id FROM article_sources WHERE article_id = ? ORDER BY feed_id', a.id).map((r) => r.feed_id));
      expect(a.municipalities.map((m: Json) => m.code).sort()).toEqual(
        all<{ c: string }>('SELECT municipality_code c FROM article_localities WHERE article_id = ?', a.id).map((r) => r.c).sort(),
      );
      expect(a.tags.map((t: Json) => t.group)).toEqual(groupTags(fx.ctx.store, [a.id]).get(a.id)!.map((t) => t.group));
      expect(a.tags.some((t: Json) => t.group === 'roma')).toBe(true);
    }
  });

  it('applies the export’s filters', async () => {
    const count = (sql: string, ...p: unknown[]) => one<{ n: number }>(`SELECT COUNT(*) n FROM articles a LEFT JOIN analyses an ON an.article_id = a.id WHERE ${sql}`, ...p).n;
    const total = async (q: string) => (await get(`/api/v1/articles?${q}&limit=1`)).body.total as number;
    const roma = count(`EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = a.id AND g.group_id = 'roma')`);
    expect(roma).toBeGreaterThan(5);
    expect(await total('group=roma')).toBe(roma);
    const romaTampereNeg = count(
      `EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = a.id AND g.group_id = 'roma' AND g.tone = 'neg')
       AND EXISTS (SELECT 1 FROM article_localities l WHERE l.article_id = a.id AND l.municipality_code = '837')`,
    );
    expect(await total('group=roma&tone=neg&municipality=Tampere')).toBe(romaTampereNeg);
    expect(await total('group=roma&tone=neg&municipality=837')).toBe(romaTampereNeg);
    expect(await total('group=roma,sami')).toBe(count(`EXISTS (SELECT 1 FROM article_groups g WHERE g.article_id = a.id AND g.group_id IN ('roma', 'sami'))`));
    expect(await total('language=sv')).toBe(count(`COALESCE(an.language, a.language) = 'sv'`));
    expect(await total('source=tampereen-viikko')).toBe(count(`EXISTS (SELECT 1 FROM article_sources s WHERE s.article_id = a.id AND s.feed_id = 'tampereen-viikko')`));
    const originals = count('a.duplicate_of IS NULL');
    expect(originals).toBeLessThan(count('1'));
    expect(await total('originals=true')).toBe(originals);
    expect(await total('originals=1')).toBe(originals);
    expect(await total('originals')).toBe(originals);
    expect(await total('originals=0')).toBe(count('1'));
    const w45 = count(`${TIME} >= ? AND ${TIME} < ?`, weekStart('2026-W45'), weekEnd('2026-W45'));
    expect(w45).toBeGreaterThan(0);
    expect(await total('week=2026-W45')).toBe(w45);
    expect(await total('from=2026-W45&to=2026-W45')).toBe(w45);
    expect(await total('frame=crime_security')).toBe(count(`an.frame = 'crime_security'`));
  });

  it('searches the full text as the article browser does', async () => {
    const morphology = queryMorphology();
    for (const q of ['romanit', 'kaupunki', '"poliisi tutkii"']) {
      const match = buildMatch(parseQuery(q), (w) => queryKeys(w, morphology))!;
      const expected = ids(all<{ id: number }>(`SELECT a.id FROM articles a WHERE a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ?) ORDER BY ${TIME} DESC, a.id DESC`, match));
      expect(expected.length, q).toBeGreaterThan(0);
      expect(await everyId(`q=${encodeURIComponent(q)}`)).toEqual(expected);
    }
    const both = await get(`/api/v1/articles?q=romanit&group=roma&limit=500`);
    expect(both.body.articles.every((a: Json) => a.tags.some((t: Json) => t.group === 'roma'))).toBe(true);
    expect((await get('/api/v1/articles?q=%21%21')).body.parameters).toEqual(['q']);
  });

  it('refuses bad parameters with 400, naming them', async () => {
    for (const [q, params] of [
      ['group=martians', ['group']],
      ['tone=angry', ['tone']],
      ['from=2026-W47&to=2026-W40', ['from', 'to']],
      ['from=yesterday', ['from']],
      ['week=2026-W45&from=2026-W40', ['week', 'from']],
      ['limit=501', ['limit']],
      ['limit=0', ['limit']],
      ['offset=-1', ['offset']],
      ['limit=ten', ['limit']],
      ['originals=maybe', ['originals']],
      ['cursor=bm9wZQ', ['cursor']],
      ['offset=5&cursor=MTAwLjU', ['offset', 'cursor']],
      ['grup=roma', ['grup']],
      ['source=nowhere', ['source']],
      ['language=de', ['language']],
    ] as const) {
      const { status, body } = await get(`/api/v1/articles?${q}`);
      expect(status, q).toBe(400);
      expect(body, q).toMatchObject({ status: 400, parameters: params });
      expect(body.error, q).toContain(params[0]);
    }
  });

  it('gives one article as the JSONL export writes it, with its corrected tags', async () => {
    const id = one<{ id: number }>(`SELECT article_id id FROM article_groups WHERE group_id = 'roma' AND voice = 1 LIMIT 1`).id;
    let jsonl = '';
    await exportArticles(fx.ctx.store, { format: 'jsonl', text: 'snippet', filters: {} }, (chunk) => {
      jsonl += Buffer.from(chunk).toString('utf8');
    });
    const line = jsonl.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json).find((r) => r.id === id)!;
    const { status, body } = await get(`/api/v1/articles/${id}`);
    expect(status).toBe(200);
    const { tags, ...record } = body;
    expect(record).toEqual(line);
    expect(record.mentions.length).toBeGreaterThan(0);
    expect(record.voice.some((v: Json) => v.speaks)).toBe(true);
    expect(tags.map((t: Json) => t.group)).toEqual(line.groups);
    const full = (await get(`/api/v1/articles/${id}?text=full`)).body;
    expect(full.text).toBe(one<{ text: string }>('SELECT text FROM articles WHERE id = ?', id).text);
    expect(full.snippets).toBeNull();
  });

  it('answers 404 for an unknown article and 400 for a malformed id or text policy', async () => {
    expect(await get('/api/v1/articles/999999')).toMatchObject({ status: 404, body: { status: 404 } });
    expect((await get('/api/v1/articles/abc')).body.parameters).toEqual(['id']);
    expect((await get('/api/v1/articles/1?text=all')).body).toMatchObject({ status: 400, parameters: ['text'] });
  });
});

describe('the export over the API', () => {
  async function fileExport(raw: RawExportOptions): Promise<Buffer> {
    const request = resolveRequest(raw, loadCatalogue(fx.config, fx.ctx.store.db));
    const out = join(fx.dir, `file-export.${raw.format}`);
    await exportToFile(fx.ctx.store, request, out);
    return readFileSync(out);
  }

  it('needs a user: anonymous readers on loopback may not export', async () => {
    const { status, body } = await get('/api/v1/export?format=jsonl');
    expect(status).toBe(401);
    expect(body.status).toBe(401);
  });

  it('streams JSONL byte for byte as the file export of the same request', async () => {
    const cookie = await fx.login('viewer');
    const res = await fetch(`${fx.url}/api/v1/export?format=jsonl&group=roma,immigrants&from=2026-W40&text=snippet`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mediamittari-articles.jsonl"');
    const body = Buffer.from(await res.arrayBuffer());
    const file = await fileExport({ format: 'jsonl', group: ['roma', 'immigrants'], from: '2026-W40', text: 'snippet' });
    expect(body.length).toBeGreaterThan(10_000);
    expect(body.equals(file)).toBe(true);
  });

  it('streams CSV that parses back to the same rows as the file export', async () => {
    const t = fx.ctx.accounts.createToken(USERS.viewer, 'api test csv');
    const res = await fetch(`${fx.url}/api/v1/export?format=csv&municipality=Tampere&text=none&bom=true`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    const body = Buffer.from(await res.arrayBuffer());
    const file = await fileExport({ format: 'csv', municipality: ['Tampere'], text: 'none', bom: true });
    expect(body.equals(file)).toBe(true);
    const rows = parseCsv(body, { columns: true, bom: true }) as Record<string, string>[];
    const tampere = all<{ id: number }>(`SELECT DISTINCT article_id id FROM article_localities WHERE municipality_code = '837' ORDER BY article_id`);
    expect(rows.map((r) => Number(r.id))).toEqual(ids(tampere));
  });

  it('describes the same request with datapackage=1, linked from the data: rows, size and hash of the data', async () => {
    const cookie = await fx.login('analyst');
    const dataRes = await fetch(`${fx.url}/api/v1/export?format=csv&group=roma&text=snippet`, { headers: { cookie } });
    const data = Buffer.from(await dataRes.arrayBuffer());
    const link = /^<([^>]+)>; rel="describedby"; type="application\/json"$/.exec(dataRes.headers.get('link')!)![1]!;
    expect(new URL(link, fx.url).searchParams.get('datapackage')).toBe('1');
    const res = await fetch(`${fx.url}${link}&lang=en`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="mediamittari-articles.csv.datapackage.json"');
    const dp = (await res.json()) as Json;
    const resource = dp.resources[0];
    expect(resource.path).toBe('mediamittari-articles.csv');
    expect(resource.bytes).toBe(data.length);
    expect(resource.hash).toBe(`sha256:${createHash('sha256').update(data).digest('hex')}`);
    expect(dp.mediamittari.filters.group).toEqual(['roma']);
    expect(dp.mediamittari.rows).toBe(one<{ n: number }>(`SELECT COUNT(DISTINCT article_id) n FROM article_groups WHERE group_id = 'roma'`).n);
    expect(dp.title).toMatch(/population group/);
    expect(resource.schema.fields.map((f: Json) => f.name)).toEqual(Object.keys(parseCsv(data, { columns: true, to: 1 })[0] as object));
  });

  it('streams Parquet as the file export writes it', async () => {
    const t = fx.ctx.accounts.createToken(USERS.operator, 'api test parquet');
    const res = await fetch(`${fx.url}/api/v1/export?format=parquet&group=immigrants&text=none`, { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.parquet');
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.subarray(0, 4).toString()).toBe('PAR1');
    expect(body.equals(await fileExport({ format: 'parquet', group: ['immigrants'], text: 'none' }))).toBe(true);
  });

  it('refuses a bad request before streaming, naming the parameter', async () => {
    const cookie = await fx.login('viewer');
    for (const [q, params] of [
      ['format=xml', ['format']],
      ['text=everything', ['text']],
      ['group=martians', ['group']],
      ['from=2026-W47&to=2026-W40', ['from', 'to']],
      ['format=jsonl&bom=true', ['bom']],
      ['municipality=Atlantis', ['municipality']],
      ['groups=roma', ['groups']],
    ] as const) {
      const res = await fetch(`${fx.url}/api/v1/export?${q}`, { headers: { cookie } });
      expect(res.status, q).toBe(400);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(await res.json(), q).toMatchObject({ status: 400, parameters: params });
    }
  });
});

describe('the OpenAPI document', () => {
  let doc: Json;
  beforeAll(async () => {
    const res = await fetch(`${fx.url}/api/openapi.json`);
    expect(res.headers.get('content-type')).toContain('application/json');
    doc = JSON.parse(await res.text()) as Json;
  });

  it('lists exactly the API routes the server has', async () => {
    const { app } = await buildWebServer({ config: fx.config, configOptions: fx.ctx.configOptions, log: silentLogger });
    try {
      await app.ready();
      // printRoutes draws a tree, four columns per level: a route's path is its ancestors' segments and its own.
      const routes = new Set<string>();
      const stack: string[] = [];
      for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
        const m = /^([│├└─ ]*)(\S.*?)(?: \(([A-Z, ]+)\))?$/.exec(line);
        if (!m) continue;
        const depth = m[1]!.length / 4;
        stack[depth] = (stack[depth - 1] ?? '') + m[2]!;
        stack.length = depth + 1;
        const path = stack[depth]!.replace(/\/+/g, '/');
        if (!path.startsWith('/api/') || !m[3]) continue;
        for (const method of m[3].split(', ')) if (method !== 'HEAD') routes.add(`${method} ${path.replace(/:(\w+)/g, '{$1}')}`);
      }
      const documented = new Set(Object.entries(doc.paths as Json).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`)));
      expect([...routes].filter((r) => r.startsWith('GET /api/v1/')).length).toBeGreaterThanOrEqual(7);
      expect(routes.has('POST /api/v1/articles/{id}/corrections')).toBe(true);
      expect(documented).toEqual(routes);
    } finally {
      await app.close();
    }
  });

  it('gives every operation its parameters, a success response with a schema, and security', () => {
    expect(doc.openapi).toBe('3.1.0');
    const refs: string[] = [];
    const collect = (v: unknown) => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === '$ref') refs.push(x as string);
          else collect(x);
        }
      }
    };
    collect(doc);
    for (const r of refs) expect(doc.components.schemas[r.replace('#/components/schemas/', '')], r).toBeDefined();
    for (const [path, ops] of Object.entries(doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(ops as Record<string, Json>)) {
        const where = `${method} ${path}`;
        expect(op.operationId, where).toBeTruthy();
        expect(Array.isArray(op.security), where).toBe(true);
        const success = op.responses['200'] ?? op.responses['201'];
        expect(success, where).toBeDefined();
        for (const [, content] of Object.entries(success.content as Record<string, Json>)) expect(content.schema, where).toBeTruthy();
        for (const r of Object.values(op.responses as Record<string, Json>)) expect(typeof r.description, where).toBe('string');
        for (const p of op.parameters as Json[]) {
          expect(['query', 'path'], where).toContain(p.in);
          expect(p.schema, `${where} ${p.name}`).toBeTruthy();
        }
        for (const name of path.match(/\{(\w+)\}/g) ?? []) expect(op.parameters.some((p: Json) => p.in === 'path' && `{${p.name}}` === name), where).toBe(true);
      }
    }
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearerToken', 'csrfHeader', 'sessionCookie']);
    const list = doc.paths['/api/v1/articles'].get;
    expect(list.parameters.map((p: Json) => p.name)).toEqual(expect.arrayContaining(['municipality', 'group', 'tone', 'frame', 'week', 'from', 'to', 'source', 'language', 'q', 'limit', 'offset', 'cursor']));
    expect(doc.paths['/api/v1/export'].get.security).toEqual([{ bearerToken: [] }, { sessionCookie: [] }]);
    expect(doc.paths['/api/v1/articles/{id}/corrections'].post['x-required-role']).toBe('analyst');
  });

  it('documents the response fields the API sends', async () => {
    const schema = doc.components.schemas.ArticleSummary;
    const { body } = await get('/api/v1/articles?limit=1');
    expect(Object.keys(body.articles[0]).sort()).toEqual(Object.keys(schema.properties).sort());
    const detail = (await get(`/api/v1/articles/${body.articles[0].id}`)).body;
    expect(Object.keys(detail).sort()).toEqual(Object.keys(doc.components.schemas.ArticleDetail.properties).sort());
  });

  // The reference validator of the OpenAPI Initiative's schemas, where Python has it installed.
  const validator = spawnSync('python3', ['-c', 'import openapi_spec_validator'], { encoding: 'utf8' });
  if (validator.status !== 0) console.warn('\n!!! python3 openapi-spec-validator is missing: the OpenAPI document is checked by the structural tests only\n');
  it.skipIf(validator.status !== 0)('passes openapi-spec-validator', () => {
    const r = spawnSync('python3', ['-c', 'import json, sys; from openapi_spec_validator import validate; validate(json.load(sys.stdin)); print("valid")'], {
      input: JSON.stringify(doc),
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('valid');
  });

  it('is readable as a page, with every operation on it', async () => {
    const res = await fetch(`${fx.url}/api/docs?lang=en`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const page = await res.text();
    for (const path of Object.keys(doc.paths)) expect(page).toContain(path);
    expect(page).toContain('id="schema-ArticleRecord"');
    expect(page).not.toMatch(/<script>/);
  });
});

describe('who may do what', () => {
  let gated: WebFixture;
  beforeAll(async () => {
    gated = await startWebFixture({ requireLogin: true });
  }, 120_000);
  afterAll(async () => gated?.close());

  const call = (path: string, init: RequestInit = {}) => fetch(`${gated.url}${path}`, init);
  const judge = (id: number, body: unknown, headers: Record<string, string>) =>
    call(`/api/v1/articles/${id}/corrections`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const romaArticle = () =>
    gated.ctx.store.db.prepare(`SELECT article_id id, tone, voice FROM article_groups WHERE group_id = 'roma' AND tone <> 'pos' ORDER BY article_id LIMIT 1`).get() as {
      id: number;
      tone: string;
      voice: number;
    };

  it('with login required, anonymous readers get 401 everywhere but the OpenAPI document', async () => {
    for (const path of ['/api/v1/articles', '/api/v1/municipalities', '/api/v1/indicators', '/api/v1/alerts', '/api/v1/feeds', '/api/v1/articles/1', '/api/v1/export']) {
      const res = await call(path);
      expect(res.status, path).toBe(401);
      expect(await res.json()).toMatchObject({ status: 401 });
    }
    expect((await call('/api/openapi.json')).status).toBe(200);
  });

  it('a viewer reads and exports with a session or a token; a revoked token is refused', async () => {
    const cookie = await gated.login('viewer');
    expect((await call('/api/v1/articles?limit=1', { headers: { cookie } })).status).toBe(200);
    const t = gated.ctx.accounts.createToken(USERS.viewer, 'script');
    const auth = { authorization: `Bearer ${t.token}` };
    expect((await call('/api/v1/municipalities', { headers: auth })).status).toBe(200);
    const exp = await call('/api/v1/export?format=jsonl&group=sami', { headers: auth });
    expect(exp.status).toBe(200);
    expect((await exp.text()).trim().split('\n').length).toBe(
      (gated.ctx.store.db.prepare(`SELECT COUNT(DISTINCT article_id) n FROM article_groups WHERE group_id = 'sami'`).get() as { n: number }).n,
    );
    gated.ctx.accounts.revokeToken(t.id);
    expect((await call('/api/v1/municipalities', { headers: auth })).status).toBe(401);
  });

  it('a viewer may not correct tags; anonymous callers are refused too', async () => {
    const { id } = romaArticle();
    const viewer = await gated.login('viewer');
    const asViewer = await judge(id, { group: 'roma', tone: 'pos' }, { cookie: viewer, 'x-csrf-token': csrfOf(gated, viewer) });
    expect(asViewer.status).toBe(403);
    expect(await asViewer.json()).toMatchObject({ status: 403 });
    const viewerToken = gated.ctx.accounts.createToken(USERS.viewer, 'viewer script').token;
    expect((await judge(id, { group: 'roma', tone: 'pos' }, { authorization: `Bearer ${viewerToken}` })).status).toBe(403);
    expect((await judge(id, { group: 'roma', tone: 'pos' }, {})).status).toBe(401);
    expect(gated.ctx.store.db.prepare('SELECT COUNT(*) n FROM corrections').get()).toEqual({ n: 0 });
  });

  it('an analyst corrects with a session and its CSRF header, or with a token; the article and the indicators show it', async () => {
    const { id, tone, voice } = romaArticle();
    const analyst = await gated.login('analyst');
    const noCsrf = await judge(id, { group: 'roma', tone: 'pos' }, { cookie: analyst });
    expect(noCsrf.status).toBe(403);

    const res = await judge(id, { group: 'roma', tone: 'pos', note: 'sävy on myönteinen' }, { cookie: analyst, 'x-csrf-token': csrfOf(gated, analyst) });
    expect(res.status).toBe(201);
    const body = (await res.json()) as Json;
    expect(body.recorded).toEqual([{ id: expect.any(Number), group: 'roma', field: 'tone', value: 'pos', machine_value: tone, previous: tone }]);
    expect(body.tags.find((t: Json) => t.group === 'roma').tone).toBe('pos');
    const stored = gated.ctx.store.db.prepare('SELECT article_id, group_id, field, value, username, note FROM corrections ORDER BY id DESC LIMIT 1').get();
    expect(stored).toEqual({ article_id: id, group_id: 'roma', field: 'tone', value: 'pos', username: USERS.analyst, note: 'sävy on myönteinen' });

    const token = gated.ctx.accounts.createToken(USERS.analyst, 'analyst script').token;
    const byToken = await judge(id, { group: 'roma', voice: voice === 0 }, { authorization: `Bearer ${token}` });
    expect(byToken.status).toBe(201);

    const detail = (await (await call(`/api/v1/articles/${id}`, { headers: { cookie: analyst } })).json()) as Json;
    expect(detail.tags.find((t: Json) => t.group === 'roma')).toMatchObject({ tone: 'pos', voice: voice === 0 });
    expect(detail.group_tags.find((t: Json) => t.group === 'roma').tone).toBe(tone);
    expect(detail.corrections.map((c: Json) => [c.field, c.value, c.by, c.applied])).toEqual([
      ['tone', 'pos', USERS.analyst, true],
      ['voice', voice === 0 ? '1' : '0', USERS.analyst, true],
    ]);
  });

  it('refuses a bad judgement, naming the field', async () => {
    const { id } = romaArticle();
    const token = gated.ctx.accounts.createToken(USERS.analyst, 'analyst script 2').token;
    const auth = { authorization: `Bearer ${token}` };
    for (const [body, params] of [
      [{ group: 'martians', tone: 'neg' }, ['group']],
      [{ group: 'roma', tone: 'angry' }, ['tone']],
      [{ group: 'roma', frame: 'nonsense' }, ['frame']],
      [{ tone: 'neg' }, ['group']],
      [{ group: 'roma', tone: 'neg', mood: 'bad' }, ['mood']],
    ] as const) {
      const res = await judge(id, body, auth);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json(), JSON.stringify(body)).toMatchObject({ status: 400, parameters: params });
    }
    expect((await judge(999_999, { group: 'roma', tone: 'neg' }, auth)).status).toBe(404);
  });
});
