import { describe, it, expect, afterAll } from 'vitest';
import { stringify } from 'yaml';
import { loadDemoCorpus, DemoCorpusError } from '../../src/demo/index.ts';
import { fixtureCorpusDir, removeFixtureDirs } from './helpers.ts';

afterAll(removeFixtureDirs);

const base = {
  slug: 'testijuttu',
  published: '2026-09-01T09:30:00+03:00',
  author: 'Testi Toimittaja',
  section: 'Paikalliset',
  title: 'Otsikko',
  lead: 'Ingressi.',
  body: 'Kappale yksi.\n\nKappale kaksi.\n',
  municipalities: ['061'],
  groups: [],
  tone: 'neu',
};

/** Loads the fixture corpus with one extra entry in the given source's file. */
function loadWith(source: string, entry: Record<string, unknown>, keep: Record<string, unknown>[] = []) {
  const file = `${source}.yaml`;
  return loadDemoCorpus(fixtureCorpusDir({ [file]: stringify([...keep, entry]) }));
}

function expectError(fn: () => unknown, file: string, slug: string, field: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(DemoCorpusError);
    const e = err as DemoCorpusError;
    expect({ file: e.file, slug: e.slug, field: e.field }).toEqual({ file: `articles/${file}`, slug, field });
    expect(e.message.startsWith(`articles/${file}: ${slug}: ${field}: `)).toBe(true);
    return;
  }
  throw new Error('expected the corpus to be rejected');
}

describe('corpus validation', () => {
  it('accepts a valid entry and derives url, id, feeds and paragraphs', () => {
    const corpus = loadWith('forssan-seutu', base);
    const a = corpus.articles.find((x) => x.id === 'forssan-seutu/testijuttu');
    expect(a?.url).toBe('/forssan-seutu/2026/09/01/testijuttu');
    expect(a?.feeds).toEqual(['forssan-seutu']);
    expect(a?.paragraphs).toEqual(['Kappale yksi.', 'Kappale kaksi.']);
  });

  it('reads an unquoted municipality code as the three-digit code', () => {
    const corpus = loadWith('forssan-seutu', { ...base, municipalities: [61] });
    expect(corpus.articles.find((x) => x.slug === 'testijuttu')?.municipalities).toEqual(['061']);
  });

  const cases: [string, string, Record<string, unknown>, string][] = [
    ['summer offset after the clocks change', 'forssan-seutu', { published: '2026-11-02T10:00:00+03:00' }, 'published'],
    ['a date before the corpus weeks', 'forssan-seutu', { published: '2026-08-30T10:00:00+03:00' }, 'published'],
    ['a date without offset', 'forssan-seutu', { published: '2026-09-01T10:00:00' }, 'published'],
    ['modified before published', 'forssan-seutu', { modified: '2026-09-01T08:00:00+03:00' }, 'modified'],
    ['an unknown group', 'forssan-seutu', { groups: ['romani'], tone: 'neg', frame: 'other' }, 'groups'],
    ['groups without a frame', 'forssan-seutu', { groups: ['roma'], tone: 'neg' }, 'frame'],
    ['a frame without groups', 'forssan-seutu', { frame: 'other' }, 'frame'],
    ['a non-neutral tone without groups', 'forssan-seutu', { tone: 'pos' }, 'tone'],
    ['voice without groups', 'forssan-seutu', { voice: true }, 'voice'],
    ['an unknown municipality code', 'forssan-seutu', { municipalities: ['999'] }, 'municipalities'],
    ['a misspelt field', 'forssan-seutu', { municipality: ['061'] }, 'municipality'],
    ['paywalled on a site without a paywall', 'forssan-seutu', { paywalled: true }, 'paywalled'],
    ['a regional story without feeds', 'alueradio', {}, 'feeds'],
    ['a feed of another source', 'alueradio', { feeds: ['forssan-seutu'] }, 'feeds'],
    ['a syndication source that does not exist', 'forssan-seutu', { syndicated_from: 'tampereen-viikko/ei-ole' }, 'syndicated_from'],
    ['an empty title', 'forssan-seutu', { title: ' ' }, 'title'],
  ];
  for (const [what, source, patch, field] of cases) {
    it(`rejects ${what}, naming file, slug and field`, () => {
      expectError(() => loadWith(source, { ...base, ...patch }), `${source}.yaml`, 'testijuttu', field);
    });
  }

  it('rejects a duplicate slug and a non-ascii slug', () => {
    expectError(() => loadWith('forssan-seutu', base, [base]), 'forssan-seutu.yaml', 'testijuttu', 'slug');
    expectError(() => loadWith('forssan-seutu', { ...base, slug: 'kylä' }), 'forssan-seutu.yaml', '#1', 'slug');
  });

  it('rejects an article file of an unknown source', () => {
    expect(() => loadDemoCorpus(fixtureCorpusDir({ 'ei-lahde.yaml': stringify([base]) }))).toThrow(/no source "ei-lahde"/);
  });
});
