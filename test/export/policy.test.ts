// Text policies (publishers' text: snippets by default, full on request, or none), snippets
// built from the analysis's own sentences, and the datapackage.json that documents an export.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyseText, loadLexicons, openMorphology, splitSentences, type Analysis } from '../../src/analyse/index.ts';
import { loadDemoCorpus } from '../../src/demo/corpus.ts';
import { exportArticles, exportToFile, FIELDS, type ExportRequest, type TextPolicy } from '../../src/export/index.ts';
import { ArticleSpans } from '../../src/export/spans.ts';
import { Store } from '../../src/store/store.ts';
import { buildFixture, type Fixture } from './fixture.ts';

let fx: Fixture;
beforeAll(() => {
  fx = buildFixture();
});
afterAll(() => {
  fx?.store.close();
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
});

type Row = Record<string, any>;

async function rows(store: Store, text: TextPolicy): Promise<Row[]> {
  const chunks: Buffer[] = [];
  await exportArticles(store, { format: 'jsonl', text, filters: {} }, (c) => {
    chunks.push(Buffer.from(c));
  });
  return Buffer.concat(chunks)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);
}

const cp = (s: string, a: number, b: number) => [...s].slice(a, b).join('');

describe('text policies', () => {
  it('full: the stored text, offsets index it', async () => {
    for (const r of await rows(fx.store, 'full')) {
      const stored = (fx.store.db.prepare('SELECT text FROM articles WHERE id = ?').get(r.id) as { text: string }).text;
      expect(r.text).toBe(stored);
      expect(r.snippets).toBeNull();
      for (const m of r.mentions) expect(cp(m.field === 'title' ? r.title : r.text, m.start, m.end)).toBe(m.surface);
      for (const m of r.mentions) expect(m.snippet).toBeNull();
    }
  });

  it('none: no text or snippets anywhere in the row; offsets stay, voice evidence gives no words', async () => {
    const out = await rows(fx.store, 'none');
    for (const r of out) {
      expect(r.text).toBeNull();
      expect(r.snippets).toBeNull();
      const stored = (fx.store.db.prepare('SELECT text FROM articles WHERE id = ?').get(r.id) as { text: string }).text;
      // No sentence of the article appears in the row.
      for (const s of splitSentences(stored)) if (s.end - s.start > 20) expect(JSON.stringify(r)).not.toContain(stored.slice(s.start, s.end));
      for (const v of r.voice) for (const e of v.evidence) expect(Object.keys(e).sort()).toEqual(['end', 'field', 'rule', 'snippet', 'snippet_end', 'snippet_start', 'start']);
    }
    const a1 = out.find((r) => r.id === fx.articles.find((a) => a.key === 'a1')!.id)!;
    expect(a1.mentions.map((m: Row) => [m.field, m.start, m.end])).toEqual([
      ['title', 0, 13],
      ['text', 18, 30],
      ['text', 221, 238],
    ]);
  });

  it('snippet (default): the mention sentences with a neighbour on each side, merged, nothing else', async () => {
    const a1 = (await rows(fx.store, 'snippet')).find((r) => r.title.startsWith('Romaninaisten'))!;
    expect(a1.text).toBeNull();
    expect(a1.snippets.map((s: Row) => s.text)).toEqual([
      // the mention in paragraph 1, sentence 1, and its neighbour
      'Hervannassa kaksi romaninaista joutui maanantaina pahoinpitelyn kohteeksi. Poliisi tutkii tapausta, ja epäilty on otettu kiinni.',
      // paragraph 3, sentence 1: the neighbour before it is the last sentence of paragraph 2
      '– Tämä on pelottavaa, hän sanoo.\n\nRomaniyhdistyksen puheenjohtaja sanoo, että syrjintä on arkea. Yhdistys järjestää ensi viikolla tilaisuuden.',
    ]);
    // The title mention needs no snippet: the title is exported whole.
    expect(a1.mentions[0]).toMatchObject({ field: 'title', snippet: null });
    expect(a1.mentions[2]).toMatchObject({ snippet: 1, snippet_start: 34, snippet_end: 51 });
  });

  it('offsets count code points: an emoji before a mention does not shift it', async () => {
    const a2 = (await rows(fx.store, 'snippet')).find((r) => r.title.startsWith('Maahanmuuttajat'))!;
    const e = a2.tone_evidence[0];
    expect(e.word).toBe('haluavat');
    expect(cp(a2.snippets[e.snippet].text, e.snippet_start, e.snippet_end)).toBe('haluavat');
    // Python and R index the same way: "😀" is one character there.
    expect(a2.snippets[0].text.slice(e.snippet_start, e.snippet_end)).not.toBe('haluavat');
  });

  it('a text changed since its analysis keeps its offsets, marked as counting in the analysed document', () => {
    const title = 'Romanit juhlivat';
    const text = 'Tampereen romanit järjestivät juhlan.';
    const same = new ArticleSpans({ title, text, bodyOffset: title.length + 2, check: [{ start: 28, end: 35, surface: 'romanit' }] });
    expect(same.matches).toBe(true);
    expect(same.span({ start: 28, end: 35 })).toMatchObject({ field: 'text', start: 10, end: 17 });
    const edited = new ArticleSpans({ title, text: 'Tampereella romanit järjestivät juhlan.', bodyOffset: title.length + 2, check: [{ start: 28, end: 35, surface: 'romanit' }] });
    expect(edited.matches).toBe(false);
    expect(edited.span({ start: 28, end: 35 })).toMatchObject({ field: 'document', start: 28, end: 35, snippet: null });
    expect(edited.buildSnippets([28])).toEqual([]);
  });

  it('articles without an analysis export with empty tags and no version', async () => {
    const r = (await rows(fx.store, 'snippet')).find((x) => x.title === 'Analysoimaton juttu')!;
    expect(r).toMatchObject({ analysis_version: null, analysed_at: null, tone: null, groups: [], mentions: [], snippets: [], corrections: [] });
  });
});

describe('analyst corrections', () => {
  it('listed oldest first with who and when; the latest per group and field applied; the tags left as analysed', async () => {
    for (const r of await rows(fx.store, 'none')) expect(r.corrections).toEqual([]);
    const a1 = fx.articles.find((a) => a.key === 'a1')!.id;
    const add = fx.store.db.prepare(
      'INSERT INTO corrections (article_id, group_id, field, value, machine_value, username, created_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const at = Date.UTC(2026, 10, 20, 10, 30);
    add.run(a1, 'roma', 'tone', 'neu', 'neg', 'aino', at, null);
    add.run(a1, 'roma', 'frame', 'victim_discrimination', 'crime_security', 'aino', at, 'syrjintää, ei rikos');
    add.run(a1, 'roma', 'tone', 'neg', 'neg', 'olli', at + 60_000, null);
    try {
      const out = await rows(fx.store, 'none');
      const r = out.find((x) => x.id === a1)!;
      expect(r.corrections).toEqual([
        { group: 'roma', field: 'tone', value: 'neu', machine_value: 'neg', by: 'aino', at: '2026-11-20T12:30:00+02:00', note: null, applied: false },
        { group: 'roma', field: 'frame', value: 'victim_discrimination', machine_value: 'crime_security', by: 'aino', at: '2026-11-20T12:30:00+02:00', note: 'syrjintää, ei rikos', applied: true },
        { group: 'roma', field: 'tone', value: 'neg', machine_value: 'neg', by: 'olli', at: '2026-11-20T12:31:00+02:00', note: null, applied: true },
      ]);
      expect(r.group_tags[0]).toMatchObject({ group: 'roma', tone: 'neg', frame: 'crime_security' });
      expect(out.filter((x) => x.id !== a1).every((x) => x.corrections.length === 0)).toBe(true);
    } finally {
      fx.store.db.exec('DELETE FROM corrections');
    }
  });
});

describe('snippets from a real analysis', () => {
  it('each snippet holds the sentence the analysis put the mention in, and its neighbours', async () => {
    const corpus = loadDemoCorpus();
    const lexicons = loadLexicons();
    const { morphology } = openMorphology({ prefer: 'snowball' });
    const store = new Store(join(fx.dir, 'real.db'));
    const analyses = new Map<number, { doc: string; a: Analysis }>();
    let t = Date.parse('2026-11-01T10:00:00Z');
    for (const art of corpus.articles.filter((x) => x.groups.length > 0).slice(0, 12)) {
      const text = [art.lead, art.body].filter(Boolean).join('\n\n').trim();
      const saved = store.saveArticle({
        url: `https://demo.example/${art.slug}`,
        finalUrl: null,
        canonicalUrl: null,
        title: art.title,
        lead: null,
        paragraphs: text.split('\n\n'),
        text,
        published: null,
        modified: null,
        author: null,
        section: null,
        siteName: null,
        language: 'fi',
        paywalled: false,
        usedFeedFallback: false,
        wordCount: 100,
        httpStatus: 200,
        fetchedAt: (t += 1000),
      });
      const a = analyseText({ text, title: art.title }, lexicons, morphology);
      store.saveAnalysis(saved.articleId, a);
      analyses.set(saved.articleId, { doc: `${art.title.trim()}\n\n${text}`, a });
    }
    morphology.close?.();
    let checked = 0;
    for (const r of await rows(store, 'snippet')) {
      const { doc, a } = analyses.get(r.id)!;
      const sentences = splitSentences(doc);
      const snippetText = r.snippets.map((s: Row) => s.text).join('\n');
      for (const m of a.mentions) {
        if (m.start < a.bodyOffset) continue;
        for (const k of [m.sentence - 1, m.sentence, m.sentence + 1]) {
          const s = sentences[k];
          if (!s || s.start < a.bodyOffset) continue;
          expect(snippetText).toContain(doc.slice(s.start, s.end));
          checked++;
        }
      }
      // Nothing beyond the windows: every snippet sentence is a mention sentence or its neighbour.
      const wanted = new Set(a.mentions.flatMap((m) => [m.sentence - 1, m.sentence, m.sentence + 1]));
      for (const s of r.snippets) {
        const at = (store.db.prepare('SELECT body_offset FROM analyses WHERE article_id = ?').get(r.id) as { body_offset: number }).body_offset;
        const inside = sentences.filter((x) => x.start >= at && x.start - at >= s.start && x.end - at <= s.end);
        for (const x of inside) expect(wanted.has(x.index)).toBe(true);
      }
    }
    expect(checked).toBeGreaterThan(20);
    store.close();
  });
});

describe('datapackage.json', () => {
  const req = (over: Partial<ExportRequest> = {}): ExportRequest => ({
    format: 'csv',
    text: 'snippet',
    filters: { groups: ['roma'], municipalities: ['837'] },
    ...over,
  });

  it('documents every column with type and description, the filters, rows, versions, time and licence', async () => {
    const out = join(fx.dir, 'dp.csv');
    const res = await exportToFile(fx.store, req(), out);
    const dp = JSON.parse(readFileSync(res.datapackage, 'utf8'));
    expect(res.datapackage).toBe(`${out}.datapackage.json`);
    const resource = dp.resources[0];
    expect(resource).toMatchObject({ path: 'dp.csv', format: 'csv', mediatype: 'text/csv', encoding: 'utf-8', profile: 'tabular-data-resource' });
    expect(resource.dialect).toMatchObject({ delimiter: ',', lineTerminator: '\r\n', doubleQuote: true, header: true });
    const header = readFileSync(out, 'utf8').split('\r\n')[0]!.split(',');
    expect(resource.schema.fields.map((f: Row) => f.name)).toEqual(header);
    for (const f of resource.schema.fields) {
      expect(['integer', 'number', 'string', 'boolean', 'datetime', 'array', 'object']).toContain(f.type);
      expect(f.description.length).toBeGreaterThan(10);
      if (f.type === 'array') expect(f.description).toMatch(/JSON/);
    }
    const roma = fx.articles.filter((a) => a.municipalities.includes('837') && a.mentions.some((m) => m.group === 'roma'));
    expect(dp.mediamittari.rows).toBe(roma.length);
    expect(readFileSync(out, 'utf8').trim().split('\r\n')).toHaveLength(roma.length + 1);
    expect(dp.mediamittari.analysis_versions).toEqual(['test-lexicon-1+snowball']);
    expect(dp.mediamittari.filters).toMatchObject({ group: ['roma'], municipality: ['837'], text: 'snippet', from: null });
    expect(Date.parse(dp.created)).toBeGreaterThan(Date.now() - 60_000);
    expect(dp.licenses[0].title).toMatch(/julkaisijoiden/);
    expect(dp.profile).toBe('tabular-data-package');
  });

  it('in English on request; Parquet and JSONL say their media type', async () => {
    const res = await exportToFile(fx.store, req({ format: 'parquet' }), join(fx.dir, 'dp.parquet'), { lang: 'en' });
    const dp = JSON.parse(readFileSync(res.datapackage, 'utf8'));
    expect(dp.licenses[0].title).toMatch(/work of their publishers/);
    expect(dp.resources[0]).toMatchObject({ format: 'parquet', mediatype: 'application/vnd.apache.parquet' });
    expect(dp.resources[0].dialect).toBeUndefined();
    const descr = Object.fromEntries(dp.resources[0].schema.fields.map((f: Row) => [f.name, f.description]));
    expect(descr.mentions).toMatch(/code point/);
    expect(Object.keys(descr)).toEqual(FIELDS.map((f) => f.name));
  });
});
