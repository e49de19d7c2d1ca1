// Export → read back with an independent parser (JSON.parse per line, csv-parse, DuckDB's
// Parquet reader) → equals what the store holds for the filtered slice, in all three formats.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parse as parseCsv } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportToFile, loadCatalogue, resolveRequest, type ExportFormat, type RawExportOptions } from '../../src/export/index.ts';
import { buildFixture, type Fixture } from './fixture.ts';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});
afterAll(() => {
  fx?.store.close();
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

type Row = Record<string, unknown>;

/** What the store says about an article, read with plain SQL (not the export's queries). */
function fromStore(id: number) {
  const db = fx.store.db;
  const a = db.prepare('SELECT * FROM articles WHERE id = ?').get(id) as Row;
  const an = db.prepare('SELECT * FROM analyses WHERE article_id = ?').get(id) as Row | undefined;
  const col = (sql: string) => (db.prepare(sql).all(id) as Row[]).map((r) => Object.values(r)[0]);
  return {
    id,
    url: a.url,
    canonical_url: a.canonical_url,
    title: a.title,
    text: a.text as string,
    published: a.published_ts,
    fetched: a.fetched_at,
    language: an?.language ?? a.language,
    sources: col('SELECT feed_id FROM article_sources WHERE article_id = ? ORDER BY feed_id'),
    municipalities: col('SELECT municipality_code FROM article_localities WHERE article_id = ? ORDER BY municipality_code'),
    groups: col('SELECT group_id FROM article_groups WHERE article_id = ? ORDER BY group_id'),
    mentions: (
      db.prepare('SELECT group_id, surface, lemma, rule, tone, tone_score, frame FROM group_mentions WHERE article_id = ? ORDER BY start').all(id) as Row[]
    ).map((m) => ({ group: m.group_id, surface: m.surface, lemma: m.lemma, rule: m.rule, tone: m.tone, tone_score: m.tone_score, frame: m.frame })),
    tone: an?.tone ?? null,
    tone_score: an?.tone_score ?? null,
    frame: an?.frame ?? null,
    duplicate_of: a.duplicate_of,
    paywalled: a.paywalled === 1,
    word_count: a.word_count,
    analysis_version: an?.version ?? null,
  };
}

/** An exported row in the same shape, whichever format it was read from. */
function comparable(r: Row) {
  const list = <T>(v: unknown) => (v ?? []) as T[];
  return {
    id: r.id,
    url: r.url,
    canonical_url: r.canonical_url,
    title: r.title,
    published: r.published === null ? null : Date.parse(String(r.published)),
    fetched: Date.parse(String(r.fetched)),
    language: r.language,
    sources: list<{ feed: string }>(r.sources).map((s) => s.feed),
    municipalities: list<{ code: string }>(r.municipalities).map((m) => m.code).sort(),
    groups: r.groups,
    mentions: list<Row>(r.mentions).map((m) => ({ group: m.group, surface: m.surface, lemma: m.lemma, rule: m.rule, tone: m.tone, tone_score: m.tone_score, frame: m.frame })),
    tone: r.tone,
    tone_score: r.tone_score,
    frame: r.frame,
    duplicate_of: r.duplicate_of,
    paywalled: r.paywalled,
    word_count: r.word_count,
    analysis_version: r.analysis_version,
  };
}

function readJsonl(path: string): Row[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

/** CSV read with csv-parse and typed by the datapackage's own schema, as a researcher's tool would. */
function readCsv(path: string): Row[] {
  const dp = JSON.parse(readFileSync(`${path}.datapackage.json`, 'utf8'));
  const types = new Map<string, string>(dp.resources[0].schema.fields.map((f: { name: string; type: string }) => [f.name, f.type]));
  const records = parseCsv(readFileSync(path), { columns: true, bom: true, record_delimiter: '\r\n', relax_quotes: false }) as Record<string, string>[];
  return records.map((rec) => {
    const out: Row = {};
    for (const [k, v] of Object.entries(rec)) {
      const t = types.get(k);
      if (v === '') out[k] = null;
      else if (t === 'integer' || t === 'number') out[k] = Number(v);
      else if (t === 'boolean') out[k] = v === 'true';
      else if (t === 'array' || t === 'object') out[k] = JSON.parse(v);
      else out[k] = v;
    }
    return out;
  });
}

async function readParquet(path: string): Promise<{ rows: Row[]; types: Record<string, string> }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const reader = await conn.runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}') ORDER BY id`);
    const names = reader.columnNames();
    const types = Object.fromEntries(names.map((n, i) => [n, String(reader.columnTypes()[i])]));
    const jsonCols = new Set(['sources', 'municipalities', 'snippets', 'groups', 'group_tags', 'mentions', 'tone_evidence', 'voice', 'corrections']);
    const rows = reader.getRowObjectsJS().map((r) => {
      const out: Row = {};
      for (const [k, v] of Object.entries(r)) {
        if (typeof v === 'bigint') out[k] = Number(v);
        else if (v instanceof Date) out[k] = v.toISOString();
        else if (jsonCols.has(k) && typeof v === 'string') out[k] = JSON.parse(v);
        else out[k] = v;
      }
      return out;
    });
    return { rows, types };
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

async function readBack(format: ExportFormat, path: string): Promise<Row[]> {
  if (format === 'jsonl') return readJsonl(path);
  if (format === 'csv') return readCsv(path);
  return (await readParquet(path)).rows;
}

function request(raw: Omit<RawExportOptions, 'format'>, format: ExportFormat) {
  return resolveRequest({ ...raw, format }, loadCatalogue(fx.config, fx.store.db));
}

const cp = (s: string, a: number, b: number) => [...s].slice(a, b).join('');

const SLICES: { name: string; raw: Omit<RawExportOptions, 'format'>; expect: (a: Fixture['articles'][number]) => boolean }[] = [
  { name: 'the whole corpus', raw: {}, expect: () => true },
  {
    name: 'roma or immigrants in Tampere in 2026-W45',
    raw: { group: ['roma,immigrants'], municipality: ['Tampere'], from: '2026-W45', to: '2026-W45' },
    expect: (a) =>
      a.analysed &&
      a.municipalities.includes('837') &&
      a.mentions.some((m) => m.group === 'roma' || m.group === 'immigrants') &&
      a.published !== null &&
      Date.parse(a.published) >= Date.parse('2026-11-02T00:00:00+02:00') &&
      Date.parse(a.published) < Date.parse('2026-11-09T00:00:00+02:00'),
  },
];

describe('round trip: export → independent reader → equals the store', () => {
  for (const format of ['jsonl', 'csv', 'parquet'] as const) {
    for (const slice of SLICES) {
      it(`${format}: ${slice.name}`, async () => {
        const out = join(fx.dir, `rt-${slice.name.length}.${format}`);
        const res = await exportToFile(fx.store, request({ ...slice.raw, text: 'snippet' }, format), out, { batchSize: 7 });
        const rows = await readBack(format, out);
        const expectedIds = fx.articles.filter(slice.expect).map((a) => a.id);
        expect(expectedIds.length).toBeGreaterThan(1);
        expect(rows.map((r) => r.id)).toEqual(expectedIds);
        expect(res.summary.rows).toBe(expectedIds.length);
        for (const r of rows) {
          const stored = fromStore(r.id as number);
          const { text, ...want } = stored;
          expect(comparable(r)).toEqual(want);
          // Every mention can be found again from its offsets: in the title, or in its snippet,
          // and the snippet is the stored text at the snippet's own offsets.
          const snippets = (r.snippets ?? []) as { start: number; end: number; text: string }[];
          for (const s of snippets) expect(cp(text, s.start, s.end)).toBe(s.text);
          for (const m of r.mentions as Row[]) {
            if (m.field === 'title') expect(cp(String(r.title), m.start as number, m.end as number)).toBe(m.surface);
            else {
              expect(m.field).toBe('text');
              expect(cp(text, m.start as number, m.end as number)).toBe(m.surface);
              expect(cp(snippets[m.snippet as number]!.text, m.snippet_start as number, m.snippet_end as number)).toBe(m.surface);
            }
          }
          for (const e of r.tone_evidence as Row[]) expect(cp(text, e.start as number, e.end as number)).toBe(e.word);
        }
      });
    }
  }

  it('the three formats carry identical rows', async () => {
    const all: Row[][] = [];
    for (const format of ['jsonl', 'csv', 'parquet'] as const) {
      const out = join(fx.dir, `same.${format}`);
      await exportToFile(fx.store, request({ text: 'full' }, format), out);
      all.push((await readBack(format, out)).map((r) => ({ ...r, published: r.published && Date.parse(String(r.published)), fetched: Date.parse(String(r.fetched)), analysed_at: r.analysed_at && Date.parse(String(r.analysed_at)) })));
    }
    expect(all[1]).toEqual(all[0]);
    expect(all[2]).toEqual(all[0]);
  });

  it('Parquet columns have real types for pandas / R arrow (read by DuckDB)', async () => {
    const out = join(fx.dir, 'types.parquet');
    await exportToFile(fx.store, request({}, 'parquet'), out, { rowGroupSize: 5 });
    const { rows, types } = await readParquet(out);
    expect(types).toMatchObject({ id: 'BIGINT', published: 'TIMESTAMP WITH TIME ZONE', tone_score: 'DOUBLE', paywalled: 'BOOLEAN', word_count: 'INTEGER', title: 'VARCHAR', mentions: 'VARCHAR' });
    expect(rows).toHaveLength(fx.articles.length);
    const meta = await (async () => {
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      const r = await conn.runAndReadAll(`SELECT COUNT(DISTINCT row_group_id) n FROM parquet_metadata('${out}')`);
      const n = Number(r.getRowObjectsJS()[0]!.n);
      conn.closeSync();
      db.closeSync();
      return n;
    })();
    // Written as it streamed: one row group per five rows.
    expect(meta).toBe(Math.ceil(fx.articles.length / 5));
  });

  it('CSV follows RFC 4180: CRLF line ends, quotes doubled, a BOM on request', async () => {
    const out = join(fx.dir, 'bom.csv');
    await exportToFile(fx.store, { ...request({ text: 'full', bom: true }, 'csv') }, out);
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const s = bytes.toString('utf8').slice(1);
    // Every line break outside quoted fields is CRLF: the unquoted structure has no bare LF.
    const outside = s.replace(/"(?:[^"]|"")*"/g, '');
    expect(outside).not.toMatch(/[^\r]\n/);
    expect(s).toContain('"Romaninaisten kimppuun hyökättiin Hervannassa, ""poliisi tutkii"""');
    const plain = join(fx.dir, 'plain.csv');
    await exportToFile(fx.store, request({}, 'csv'), plain);
    expect(readFileSync(plain).subarray(0, 2).toString()).toBe('id');
  });

  it('the hash and size in datapackage.json are those of the file', async () => {
    const out = join(fx.dir, 'hash.jsonl');
    await exportToFile(fx.store, request({}, 'jsonl'), out);
    const dp = JSON.parse(readFileSync(`${out}.datapackage.json`, 'utf8'));
    const bytes = readFileSync(out);
    expect(dp.resources[0].bytes).toBe(bytes.length);
    expect(dp.resources[0].hash).toBe(`sha256:${createHash('sha256').update(bytes).digest('hex')}`);
    expect(readdirSync(fx.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });
});
